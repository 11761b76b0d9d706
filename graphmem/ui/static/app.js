/* graphmem graph page: plain JavaScript over the REST API (/v1), no build step.
 *
 * The page is a client like any other: it sends the API key the user typed as a Bearer token and shows
 * the server's own 401/403 messages. Remembered text is inserted only as text (textContent, canvas
 * labels), never as HTML: a memory holds whatever anyone once said, and the page must not run it.
 */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const KEY_STORE = "graphmem.apiKey";
  const state = { key: "", me: null, namespace: null, cy: null, lastResult: null };

  // --- small helpers -----------------------------------------------------------------------------

  /** Create an element; children are nodes or text (never parsed as HTML). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const day = (iso) => (iso ? String(iso).slice(0, 10) : "");
  const words = (predicate) => String(predicate || "").replaceAll("_", " ");
  const chip = (text, cls) => el("span", { class: `chip ${cls || ""}` }, text);

  class ApiError extends Error {
    constructor(status, type, message) {
      super(message);
      this.status = status;
      this.type = type;
    }
  }

  /** GET ../v1/<path>?params with the key; a non-2xx answer becomes an ApiError with the server's text. */
  async function api(path, params) {
    const url = new URL(`../v1/${path}`, document.baseURI);
    for (const [name, value] of Object.entries(params || {})) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
    }
    const headers = { Accept: "application/json" };
    if (state.key) headers.Authorization = `Bearer ${state.key}`;
    let response;
    try {
      response = await fetch(url, { headers, cache: "no-store" });
    } catch (err) {
      throw new ApiError(0, "network", `the server cannot be reached (${err.message})`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      const error = body && body.error ? body.error : { type: "http_error", message: response.statusText };
      throw new ApiError(response.status, error.type, error.message);
    }
    return body;
  }

  const inNamespace = (path) => `namespaces/${encodeURIComponent(state.namespace)}/${path}`;

  function showStatus(text, isError) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function showError(err) {
    if (err instanceof ApiError && err.status) {
      const hint = {
        401: "Enter a valid API key and press Connect.",
        403: "This API key does not have the right for that (namespace or scope).",
      }[err.status] || "";
      showStatus(`${err.status} ${err.type}: ${err.message}. ${hint}`.trim(), true);
    } else {
      showStatus(`Error: ${err.message || err}`, true);
      if (!(err instanceof ApiError)) console.warn(err); // a bug of the page: keep the trace for devtools
    }
  }

  /** Run an async action, showing its error instead of leaving an unhandled rejection. */
  const guarded = (action) => async (...args) => {
    try {
      await action(...args);
    } catch (err) {
      showError(err);
    }
  };

  // --- key and namespace ---------------------------------------------------------------------------

  function setEnabled(enabled) {
    for (const id of ["query", "search-button", "entity", "draw", "namespace"]) $(id).disabled = !enabled;
  }

  function fillNamespaces(me) {
    const select = $("namespace");
    const free = $("namespace-free");
    const previous = state.namespace;
    select.replaceChildren();
    if (me.all_namespaces) {
      // A store-wide key may use any namespace: a free field, suggesting the server's default.
      select.hidden = true;
      free.hidden = false;
      $("namespace-list").replaceChildren(el("option", { value: me.default_namespace }));
      free.value = previous || me.default_namespace;
    } else {
      select.hidden = false;
      free.hidden = true;
      for (const name of me.namespaces) select.append(el("option", { value: name }, name));
      const preferred = [previous, me.default_namespace].find((n) => n && me.namespaces.includes(n));
      select.value = preferred || me.namespaces[0];
    }
    const scopes = me.scopes.join(", ");
    const where = me.all_namespaces ? "every namespace" : me.namespaces.join(", ");
    $("whoami").textContent = me.auth === "disabled"
      ? "auth disabled: everything is open"
      : `key "${me.name}": ${scopes} on ${where}`;
  }

  const pickedNamespace = () => ($("namespace-free").hidden ? $("namespace").value : $("namespace-free").value.trim());

  async function connect() {
    state.key = $("api-key").value.trim();
    try {
      if (state.key) sessionStorage.setItem(KEY_STORE, state.key);
      else sessionStorage.removeItem(KEY_STORE);
    } catch (_) { /* storage may be disabled: the key then lasts for this page only */ }
    state.me = null;
    setEnabled(false);
    clearResults();
    showStatus("Connecting…");
    state.me = await api("me");
    fillNamespaces(state.me);
    setEnabled(true);
    $("namespace-free").disabled = false;
    await openNamespace();
  }

  async function openNamespace() {
    const name = pickedNamespace();
    if (!name) return;
    state.namespace = name;
    clearResults();
    showStatus(`Opening namespace ${name}…`);
    const stats = await api(inNamespace("stats"));
    // Node kinds are lower-case plurals ("episodes"); relationship labels (upper case) are left out.
    const counts = Object.entries(stats.counts || {}).filter(([kind, n]) => n > 0 && kind === kind.toLowerCase());
    $("stats").textContent = counts.length
      ? `${name}: ${counts.map(([kind, n]) => `${n} ${kind}`).join(" · ")}`
      : `Namespace ${name} has no data yet.`;
    showStatus(counts.length ? `Namespace ${name} is open. Ask a question or draw an entity.`
      : `Namespace ${name} has no data yet.`);
  }

  function clearResults() {
    for (const id of ["facts", "paths", "plan", "stats"]) $(id).replaceChildren();
    $("timeline").replaceChildren(el("p", { class: "hint" }, "Click a fact or an edge to see its history."));
    if (state.cy) state.cy.elements().remove();
    state.lastResult = null;
  }

  // --- search --------------------------------------------------------------------------------------

  async function search(query) {
    showStatus(`Searching ${state.namespace} for “${query}”…`);
    const started = performance.now();
    const result = await api(inNamespace("search"), { q: query, k: 10 });
    state.lastResult = result;
    renderFacts(result.facts);
    renderPaths(result.paths);
    const plan = result.plan || (await api(inNamespace("explain"), { q: query }));
    renderPlan(plan);
    if (!result.facts.length) {
      if (state.cy) state.cy.elements().remove();
      showStatus(`Nothing found in namespace ${state.namespace} for “${query}”.`);
      return;
    }
    const path = answerPath(result);
    const top = result.facts[0];
    const centres = path ? path.entity_ids : [top.subject_id, top.object_id].filter(Boolean);
    await drawAround(centres.slice(0, 4), true);
    highlight(path ? path.facts : [top.id]);
    const ms = Math.round(performance.now() - started);
    showStatus(`${result.facts.length} facts and ${result.paths.length} paths for “${query}” (${ms} ms).`);
  }

  /** The path that explains the top fact: one ending at its object, else one through it, else none. */
  function answerPath(result) {
    const top = result.facts[0];
    if (!top) return result.paths[0] || null;
    return result.paths.find((p) => top.object_id && p.entity_ids[p.entity_ids.length - 1] === top.object_id)
      || result.paths.find((p) => p.facts.includes(top.id))
      || null;
  }

  function select(list, item) {
    for (const li of list.children) li.classList.toggle("selected", li === item);
  }

  function renderFacts(facts) {
    const list = $("facts");
    list.replaceChildren();
    for (const fact of facts) {
      const signals = Object.entries(fact.scores || {})
        .filter(([, v]) => v)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(", ");
      const validity = [fact.valid_from && `from ${day(fact.valid_from)}`, fact.valid_to && `to ${day(fact.valid_to)}`]
        .filter(Boolean).join(" ");
      const item = el("li", { "data-fact-id": fact.id, title: fact.text },
        el("div", {},
          el("span", { class: "score" }, fact.score.toFixed(3)),
          el("span", { class: "fact-text" },
            `${fact.polarity === false ? "not: " : ""}${fact.subject} ${words(fact.predicate)} ${fact.object}`),
          " ", chip(fact.status, `status-${fact.status}`),
          fact.modality && fact.modality !== "asserted" ? chip(fact.modality) : null),
        el("div", { class: "meta" },
          (fact.found_by || []).map((how) => chip(how)),
          fact.path ? `via ${fact.path}` : null),
        el("div", { class: "meta" },
          [validity, fact.history && fact.history.length ? `before: ${fact.history.join(", ")}` : "",
            signals && `signals: ${signals}`, `${fact.episodes.length} episode(s)`].filter(Boolean).join(" · ")));
      item.addEventListener("click", guarded(async () => {
        select(list, item);
        highlight([fact.id]);
        await showTimeline(fact.id);
      }));
      list.append(item);
    }
  }

  function renderPaths(paths) {
    const list = $("paths");
    list.replaceChildren();
    for (const path of paths) {
      const item = el("li", {}, el("span", { class: "score" }, path.score.toFixed(3)), path.text,
        " ", chip(path.kind));
      item.addEventListener("click", guarded(async () => {
        select(list, item);
        const missing = path.facts.some((id) => !state.cy || state.cy.getElementById(`fact:${id}`).empty());
        if (missing) await drawAround(path.entity_ids.slice(0, 4), false);
        highlight(path.facts);
      }));
      list.append(item);
    }
    if (!paths.length) list.append(el("li", { class: "hint" }, "no explicit path"));
  }

  function renderPlan(plan) {
    const box = $("plan");
    box.replaceChildren();
    if (!plan) return;
    const rows = [];
    const row = (name, value, because) => {
      rows.push(el("tr", {}, el("td", {}, name), el("td", {}, value,
        because ? el("div", { class: "because" }, `because ${because}`) : null)));
    };
    const a = plan.analysis || {};
    const reasons = a.reasons || {};
    row("mentions", (a.mentions || []).map((m) => `${m.text} [${m.kind}]`).join(", ") || "-");
    row("relations", (a.relations || []).map((c) => `${c.word}→${(c.predicates || []).slice(0, 3).join("/")}`)
      .join(", ") || "-");
    row("answer type", a.answer_type, reasons.answer_type);
    row("hops", a.hops, reasons.hops);
    row("temporal", a.temporal, reasons.temporal);
    const pr = plan.reasons || {};
    const pairs = (obj) => Object.entries(obj || {}).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(", ");
    row("depth", plan.depth, pr.depth);
    row("beam width", plan.beam_width, pr.beam_width);
    row("direction", plan.direction, pr.direction);
    row("meet in middle", plan.meet_in_middle ? "yes" : "no", pr.meet_in_middle);
    row("time", `${plan.time_mode}${plan.as_of ? ` ${plan.as_of}` : ""}; statuses ${(plan.statuses || ["any"]).join(", ")}`,
      pr.time);
    row("budgets", pairs(plan.budgets), pr.budgets);
    row("fact weights", pairs(plan.fact_weights), pr.fact_weights);
    row("episode weights", pairs(plan.episode_weights), pr.episode_weights);
    if (plan.widened) row("widened", "yes", pr.widened);
    for (const step of plan.steps || []) {
      const count = step.count === null || step.count === undefined ? "" : `${step.count} `;
      const ms = step.ms === null || step.ms === undefined ? "" : `${step.ms.toFixed(1)} ms `;
      row(`step ${step.name}`, `${count}${ms}${step.detail || ""}`.trim());
    }
    box.append(el("div", { class: "meta" }, `Plan for “${plan.query}” in ${plan.namespace}`),
      el("table", { id: "plan-table" }, rows));
  }

  // --- graph ---------------------------------------------------------------------------------------

  const GRAPH_STYLE = [
    { selector: "node", style: {
      label: "data(label)", "font-size": 11, color: "#1d2330", "text-valign": "bottom", "text-margin-y": 4,
      "background-color": "#4a7bd0", width: 26, height: 26, "text-wrap": "ellipsis", "text-max-width": 140,
    } },
    { selector: "node[kind = 'Value']", style: {
      shape: "round-rectangle", "background-color": "#c6ccd8", width: 18, height: 14,
    } },
    { selector: "node.expanded", style: { "border-width": 3, "border-color": "#1d2330" } },
    { selector: "node.path", style: { "background-color": "#e08a2c" } },
    { selector: "edge", style: {
      label: "data(label)", "font-size": 9, color: "#475467", "curve-style": "bezier", width: 1.6,
      "line-color": "#98a2b3", "target-arrow-color": "#98a2b3", "target-arrow-shape": "triangle",
      "text-rotation": "autorotate", "text-background-color": "#fcfdff", "text-background-opacity": 0.85,
      "text-background-padding": 1,
    } },
    { selector: "edge[status = 'superseded']", style: {
      "line-style": "dashed", "line-dash-pattern": [6, 4], "line-color": "#b8bfcc", "target-arrow-color": "#b8bfcc",
      color: "#98a2b3",
    } },
    { selector: "edge.path", style: {
      "line-color": "#e08a2c", "target-arrow-color": "#e08a2c", width: 3.2, color: "#b54708",
    } },
  ];

  function graph() {
    if (state.cy) return state.cy;
    const cy = cytoscape({ container: $("graph"), elements: [], style: GRAPH_STYLE, minZoom: 0.2, maxZoom: 3 });
    cy.on("tap", "node", guarded(async (event) => {
      const node = event.target;
      if (node.data("kind") === "Value") {
        const edge = node.connectedEdges()[0];
        if (edge) await showTimeline(edge.data("fact_id"));
        return;
      }
      await expand(node.id());
    }));
    cy.on("tap", "edge", guarded(async (event) => {
      highlight([event.target.data("fact_id")]);
      await showTimeline(event.target.data("fact_id"));
    }));
    state.cy = cy;
    return cy;
  }

  /** Merge a GraphView ({nodes, edges}) into the drawing; new nodes start beside ``near``. */
  function merge(view, near) {
    const cy = graph();
    const origin = near && !cy.getElementById(near).empty() ? cy.getElementById(near).position() : null;
    let added = 0;
    cy.batch(() => {
      for (const node of view.nodes) {
        if (!cy.getElementById(node.id).empty()) continue;
        const element = { group: "nodes", data: { id: node.id, label: node.label || node.id, kind: node.kind } };
        if (origin) element.position = { x: origin.x + (Math.random() - 0.5) * 80, y: origin.y + (Math.random() - 0.5) * 80 };
        cy.add(element);
        added += 1;
      }
      for (const edge of view.edges) {
        const props = edge.properties || {};
        const id = `fact:${props.fact_id || `${edge.source}|${edge.type}|${edge.target}`}`;
        if (!cy.getElementById(id).empty()) continue;
        if (cy.getElementById(edge.source).empty() || cy.getElementById(edge.target).empty()) continue;
        cy.add({ group: "edges", data: {
          id, source: edge.source, target: edge.target, label: words(edge.type),
          status: props.status || "active", fact_id: props.fact_id || "", text: props.text || "",
        } });
      }
    });
    return added;
  }

  function layout(randomize) {
    const cy = graph();
    cy.layout({
      name: "cose", animate: false, randomize, fit: true, padding: 30, nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 90, nodeRepulsion: () => 9000,
    }).run();
  }

  const neighbourhood = (entity) => api(inNamespace("graph"), {
    entity, depth: 1, include_superseded: true, limit: 50,
  });

  /** Draw the neighbourhoods of ``entities`` (ids or names); ``reset`` starts a new drawing. */
  async function drawAround(entities, reset) {
    const cy = graph();
    if (reset) cy.elements().remove();
    const views = await Promise.all(entities.map((entity) => neighbourhood(entity)));
    for (const view of views) merge(view, null);
    for (const entity of entities) cy.getElementById(entity).addClass("expanded");
    layout(true);
  }

  async function expand(entityId) {
    const cy = graph();
    const node = cy.getElementById(entityId);
    const label = node.empty() ? entityId : node.data("label");
    showStatus(`Expanding ${label}…`);
    const added = merge(await neighbourhood(entityId), entityId);
    node.addClass("expanded");
    $("entity").value = label;
    layout(false);
    showStatus(`Expanded ${label}: ${added} new node${added === 1 ? "" : "s"}.`);
  }

  function highlight(factIds) {
    if (!state.cy) return;
    state.cy.elements().removeClass("path");
    for (const id of factIds || []) {
      const edge = state.cy.getElementById(`fact:${id}`);
      edge.addClass("path");
      edge.connectedNodes().addClass("path");
    }
  }

  // --- timeline ------------------------------------------------------------------------------------

  async function showTimeline(factId) {
    if (!factId) return;
    const page = await api(inNamespace("history"), { fact_id: factId, limit: 100 });
    const entries = page.data || [];
    const box = $("timeline");
    if (!entries.length) {
      box.replaceChildren(el("p", { class: "hint" }, "No history for this fact."));
      return;
    }
    const first = entries[0].fact;
    const items = entries.map((entry) => {
      const fact = entry.fact;
      const validity = [fact.valid_from && `from ${day(fact.valid_from)}`, fact.valid_to && `to ${day(fact.valid_to)}`]
        .filter(Boolean).join(" ") || "(unknown)";
      const when = entry.at ? `decided ${day(entry.at)}` : `recorded ${day(fact.recorded_at)}`;
      return el("li", { class: fact.status, "data-fact-id": fact.id },
        el("div", { class: "when" }, `valid ${validity} · ${when}`),
        el("div", {}, el("strong", {}, `${fact.polarity === false ? "not " : ""}${fact.object}`), " ",
          chip(fact.status, `status-${fact.status}`), fact.id === factId ? chip("selected") : null),
        entry.rule || entry.reason
          ? el("div", { class: "rule" }, "rule ", el("b", {}, entry.rule || "-"), entry.reason ? `: ${entry.reason}` : "")
          : null,
        entry.superseded_by ? el("div", { class: "meta" }, `superseded by ${entry.superseded_by}`) : null,
        el("div", { class: "meta" }, `${fact.episodes.length} episode(s) · confidence ${fact.confidence.toFixed(2)}`));
    });
    box.replaceChildren(el("h3", {}, `${first.subject} · ${words(first.predicate)}`), el("ol", {}, items));
  }

  // --- wiring --------------------------------------------------------------------------------------

  function wire() {
    $("key-form").addEventListener("submit", guarded(async (event) => {
      event.preventDefault();
      await connect();
    }));
    $("namespace").addEventListener("change", guarded(openNamespace));
    $("namespace-free").addEventListener("change", guarded(openNamespace));
    $("search-form").addEventListener("submit", guarded(async (event) => {
      event.preventDefault();
      const query = $("query").value.trim();
      if (query) await search(query);
    }));
    $("entity-form").addEventListener("submit", guarded(async (event) => {
      event.preventDefault();
      const name = $("entity").value.trim();
      if (!name) return;
      showStatus(`Drawing ${name}…`);
      await drawAround([name], true);
      showStatus(`Drew the neighbourhood of ${name}. Click a node to expand it.`);
    }));
    $("fit").addEventListener("click", () => state.cy && state.cy.fit(undefined, 30));
  }

  async function start() {
    wire();
    // For tests and the curious: the drawing and the page state, read-only by convention.
    window.graphmemPage = { get cy() { return state.cy; }, state };
    let stored = "";
    try {
      stored = sessionStorage.getItem(KEY_STORE) || "";
    } catch (_) { /* storage disabled */ }
    $("api-key").value = stored;
    const health = await api("health");
    if (health.auth === "disabled" || stored) {
      await connect();
    } else {
      showStatus("Enter an API key and press Connect.");
    }
  }

  document.addEventListener("DOMContentLoaded", guarded(start));
})();
