"""The traversal planner's orchestration: analyse, seed, fetch a bounded subgraph, traverse, rank.

``Retriever.search`` runs the read path of DESIGN section 6 against the ``GraphStore`` protocol only,
in a handful of batched store calls per query (never the whole graph):

1. analyse the query (spaCy) and make the plan (pure: ``explain`` stops here);
2. one encoder call for the query and its mentions; seeds from entities (exact, then vector), facts
   (vector + full-text, RRF) and episodes (vector + full-text, RRF);
3. fetch the subgraph: the seed facts with their endpoints and evidence, then ``depth`` rounds of
   one-hop ``neighborhood`` calls from a frontier that is itself a beam (the entities reached through
   the most relevant facts), filtered by status and validity at ``as_of``;
4. traverse it: personalised PageRank with edge weights from validity and query similarity;
   bidirectional beam search that meets in the middle when two or more entities are named; down to
   evidencing episodes (AriGraph score) and up to insights;
5. rank and assemble: fused fact scores, one current value per slot with its history, diversity,
   a token budget; episodes ranked by seed rank, fact evidence, PageRank and session context;
6. when the mentioned entities are poorly covered, widen once (deeper, more episodes) and rerun.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from graphmem.config import Settings
from graphmem.embed import Encoder
from graphmem.errors import InvalidInput
from graphmem.model import Entity, Episode, Fact, Role, Subgraph, entity_key
from graphmem.retrieve.analysis import analyze_query, mask_mentions
from graphmem.retrieve.beam import Path, beam_paths
from graphmem.retrieve.episodes import episode_scores
from graphmem.retrieve.fusion import reciprocal_rank_fusion
from graphmem.retrieve.plan import Plan, PlannerConfig, PlanStep, make_plan
from graphmem.retrieve.ppr import personalized_pagerank
from graphmem.retrieve.rank import (
    collapse_slots,
    diversify,
    fact_relevance,
    rank_episodes,
    rank_facts,
    score_paths,
    slot_of,
    validity_weight,
)
from graphmem.retrieve.results import (
    EntityHit,
    EpisodeHit,
    FactHit,
    InsightHit,
    PathHit,
    SearchResult,
    estimate_tokens,
    fact_summary,
)
from graphmem.retrieve.seeds import Channel, EntitySeeds, SeedSet, entity_seeds, hybrid_seeds
from graphmem.retrieve.stance import focus_subject, question_wants, stance_weight
from graphmem.store.base import GraphStore

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Retriever"]

log = logging.getLogger(__name__)

_SEED_SHARE = {"entities": 0.4, "facts": 0.45, "episodes": 0.15}
"""How the restart mass of the walk is split between the three seed channels."""


_INSIGHT_UTILITY_WEIGHT = 0.1
"""How much one unit of feedback utility moves an insight (a failure is -2, a success +1)."""
_SESSION_MIN_SIMILARITY = 0.5
"""How close a past session's goal must be to the question for its insights to be reached."""


@dataclass
class _Run:
    """Everything one execution of a plan produced, handed to assembly."""

    seeds: SeedSet
    graph: Subgraph
    in_view: set[str]
    validity: dict[str, float]
    relevance: dict[str, float]
    ppr: dict[str, float]
    paths: list[Path]
    path_score: dict[str, float]
    path_text: dict[str, str]
    fact_order: list[str]
    fact_breakdown: dict[str, dict[str, float]]
    fact_found_by: dict[str, list[str]]
    coverage: float
    promote: dict[str, float] = field(default_factory=dict)
    history_facts: dict[str, Fact] = field(default_factory=dict)
    episodes: dict[str, Episode] = field(default_factory=dict)
    episode_order: list[str] = field(default_factory=list)
    episode_breakdown: dict[str, dict[str, float]] = field(default_factory=dict)
    episode_found_by: dict[str, list[str]] = field(default_factory=dict)
    insight_of: dict[str, list[str]] = field(default_factory=dict)
    query_vector: list[float] = field(default_factory=list)
    session_score: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Query:
    """The query and its topic (the query with resolved names masked), each with its vector."""

    text: str
    vector: np.ndarray
    topic: str
    topic_vector: np.ndarray


class _Clock:
    """Times plan steps into ``plan.steps`` and the result's ``timings_ms``."""

    def __init__(self, plan: Plan, timings: dict[str, float], started: float) -> None:
        self.plan = plan
        self.timings = timings
        self.last = started

    def step(self, name: str, *, count: int | None = None, detail: str = "") -> None:
        now = time.perf_counter()
        ms = (now - self.last) * 1000
        self.last = now
        self.timings[name] = round(self.timings.get(name, 0.0) + ms, 3)
        self.plan.steps.append(PlanStep(name=name, count=count, ms=round(ms, 3), detail=detail))


class Retriever:
    """Multi-hop, bidirectional retrieval over a ``GraphStore``; the engine behind ``Memory.search``.

    Parameters
    ----------
    store
        Any ``GraphStore`` (opened); only protocol methods are called.
    encoder
        The sentence encoder the store's embeddings were made with.
    nlp
        A spaCy pipeline; loaded from ``settings.spacy_model`` on first use when not given.
    settings
        graphmem settings (for the spaCy model name).
    config
        Planner knobs (budgets, weights); defaults calibrated on LoCoMo.
    """

    def __init__(
        self,
        store: GraphStore,
        encoder: Encoder,
        nlp: Language | None = None,
        *,
        settings: Settings | None = None,
        config: PlannerConfig | None = None,
    ) -> None:
        self.store = store
        self.encoder = encoder
        self._nlp = nlp
        self.settings = settings
        self.config = config or PlannerConfig()
        self.feedback: Callable[[str, SearchResult], None] | None = None
        """Called with (namespace, result) after each search: the hook through which the service layer
        can record accesses (fact ``access_count`` / ``utility``), which the ``feedback`` signal ranks by."""

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from graphmem.extract.nlp import load_nlp

            self._nlp = load_nlp(self.settings.spacy_model if self.settings else "en_core_web_sm")
        return self._nlp

    # --- public ----------------------------------------------------------------------------------

    def explain(
        self,
        query: str,
        *,
        namespace: str,
        as_of: datetime | None = None,
        k: int = 10,
        now: datetime | None = None,
    ) -> Plan:
        """The plan for ``query`` with the reason for each choice; touches no store.

        ``now`` anchors the question's relative times ("4 years ago"); None means the wall clock."""
        _check(namespace, k, as_of)
        analysis = analyze_query(query, self.nlp, now=now)
        return make_plan(analysis, namespace=namespace, k=k, as_of=as_of, config=self.config)

    def search(
        self,
        query: str,
        *,
        namespace: str,
        k: int = 10,
        as_of: datetime | None = None,
        include_episodes: bool = True,
        now: datetime | None = None,
    ) -> SearchResult:
        """Facts, episodes, entities, paths and insights for ``query``, each with its score breakdown.

        ``now`` anchors the question's relative times ("4 years ago"); None means the wall clock."""
        _check(namespace, k, as_of)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        analysis = analyze_query(query, self.nlp, now=now)
        plan = make_plan(analysis, namespace=namespace, k=k, as_of=as_of, config=self.config)
        clock = _Clock(plan, timings, started)
        clock.step("analyse", count=len(analysis.mentions), detail="spaCy analysis and plan")
        keys = [m.key for m in analysis.mentions]
        exact = self.store.find_entities(namespace, keys) if keys else {}
        # only mentions that matched no entity exactly need a vector (one encoder call with the query)
        unresolved = [m for m in analysis.mentions if m.kind != "self" and m.key not in exact]
        # people are the "who" the graph resolves; other names ("LGBTQ", "Porto") are part of the topic.
        # Only people named on many episodes (a conversation's speakers) are masked: a person that a
        # few passages are about is what those passages are found by.
        masked = [
            m
            for m in analysis.names
            if m.kind == "name"
            and m.key in exact
            and exact[m.key].type == "person"
            and exact[m.key].mention_count >= self.config.mask_min_mentions
        ]
        topic = mask_mentions(analysis.query, masked) if self.config.mask_names and masked else analysis.query
        vectors = self.encoder.encode([analysis.query, topic, *(m.text for m in unresolved)])
        mention_vectors = {m.key: vectors[i + 2] for i, m in enumerate(unresolved)}
        request = _Query(text=analysis.query, vector=vectors[0], topic=topic, topic_vector=vectors[1])
        if topic != analysis.query:
            plan.reasons["episodes"] = (
                f"episodes are searched by the topic {topic!r}"
                + (" and the whole question" if self.config.episode_query_weight > 0 else "")
                + ": the named entities are also found through the graph (their facts, the episodes "
                "they said, the passages anchored on them)"
            )
        clock.step(
            "encode",
            count=len(vectors),
            detail=f"{len(exact)} exact entity match(es); query, topic and {len(unresolved)} unresolved "
            "mention(s) in one encoder call",
        )
        run = self._execute(plan, clock, request, mention_vectors, exact, include_episodes)
        if self._should_widen(plan, run):
            reason = (
                f"entity coverage {run.coverage:.2f} below {self.config.widen_coverage:g}"
                f" or fewer than {self.config.widen_min_facts} candidate facts"
            )
            steps = plan.steps
            plan = make_plan(analysis, namespace=namespace, k=k, as_of=as_of, config=self.config, widen=True)
            plan.reasons["widened"] = reason
            if "episodes" in clock.plan.reasons:
                plan.reasons["episodes"] = clock.plan.reasons["episodes"]
            plan.steps = [*steps, PlanStep(name="widen", detail=reason)]
            clock.plan = plan
            run = self._execute(plan, clock, request, mention_vectors, exact, include_episodes)
        result = self._assemble(plan, run, k, include_episodes)
        clock.step("assemble", count=len(result.facts) + len(result.episodes), detail="hits and history")
        timings["total"] = round((time.perf_counter() - started) * 1000, 3)
        result.timings_ms = timings
        if self.feedback is not None:
            self.feedback(namespace, result)
        return result

    # --- execution -------------------------------------------------------------------------------

    def _should_widen(self, plan: Plan, run: _Run) -> bool:
        if plan.widened:
            return False
        return run.coverage < self.config.widen_coverage or len(run.in_view) < self.config.widen_min_facts

    def _execute(
        self,
        plan: Plan,
        clock: _Clock,
        query: _Query,
        mention_vectors: Mapping[str, np.ndarray],
        exact: Mapping[str, Entity],
        include_episodes: bool,
    ) -> _Run:
        ns = plan.namespace
        budgets = plan.budgets
        analysis = plan.analysis
        ents = entity_seeds(
            self.store,
            ns,
            analysis,
            mention_vectors,
            exact=exact,
            k=budgets["entity_k"],
            min_similarity=self.config.entity_min_similarity,
        )
        f_dense, f_lex, f_fused = hybrid_seeds(
            self.store,
            "Fact",
            ns,
            query.text,
            query.vector.tolist(),
            k=budgets["fact_k"],
            vector_k=budgets["fact_similarity_k"],
        )
        e_dense, e_lex, e_fused = hybrid_seeds(
            self.store,
            "Episode",
            ns,
            query.topic,
            query.topic_vector.tolist(),
            k=budgets["episode_k"],
            rrf_k=self.config.episode_rrf_k,
            keep=2 * budgets["episode_k"],
        )
        if query.topic != query.text and self.config.episode_query_weight > 0:
            e_fused = self._full_query_episodes(plan, query, e_dense, e_lex)
        similarity = f_dense.scores
        if self.config.topic_fact_similarity and query.topic != query.text:
            # facts reached through the named entity are about it already: rank them by the topic
            hits = self.store.vector_search(
                "Fact", ns, query.topic_vector.tolist(), budgets["fact_similarity_k"]
            )
            similarity = {h.id: h.score for h in hits}
        seeds = SeedSet(ents, f_dense, f_lex, f_fused, e_dense, e_lex, e_fused, similarity)
        clock.step(
            "seeds",
            count=len(ents.weights) + len(f_fused) + len(e_fused),
            detail=f"{len(ents.weights)} entities, {len(f_fused)} facts, {len(e_fused)} episodes",
        )

        graph, found_by = self._fetch(plan, seeds, clock)
        wants = question_wants(analysis.query, temporal=analysis.temporal)  # hedged / negated asked for?
        validity = {
            fid: validity_weight(f, mode=plan.time_mode, as_of=plan.as_of) * stance_weight(f, wants)
            for fid, f in graph.facts.items()
        }
        in_view = {fid for fid, w in validity.items() if w > 0}
        history_pool = {fid: f for fid, f in graph.facts.items() if fid not in in_view}
        view = _restrict(graph, in_view)
        relevance = fact_relevance(view.facts, seeds.fact_similarity, f_lex.scores, analysis.predicates)
        weights = {fid: validity[fid] * (0.1 + 0.9 * relevance[fid]) for fid in view.facts}

        ppr = self._pagerank(plan, view, seeds, weights)
        clock.step("pagerank", count=len(ppr), detail=f"damping {self.config.damping:g} over the subgraph")

        paths = self._paths(plan, view, ents, weights)
        names = {eid: e.name for eid, e in view.entities.items()}
        path_score, path_text, promote = score_paths(
            paths, view.facts, analysis.relations, plan.depth, weights=weights, names=names
        )
        clock.step(
            "paths", count=len(paths), detail="meet in the middle" if plan.meet_in_middle else "outward beam"
        )

        dense_floor = min(seeds.fact_similarity.values(), default=0.0)
        order, breakdown = rank_facts(
            view.facts,
            dense=seeds.fact_similarity,
            lexical=f_lex.scores,
            ppr=ppr,
            path=path_score,
            predicates=analysis.predicates,
            weights=plan.fact_weights,
            validity=validity,
            dense_floor=dense_floor,
            target_predicates=analysis.target_predicates,
            promote=promote,
        )
        if promote:
            plan.reasons["answers"] = (
                f"{len(promote)} fact(s) complete a chain the question asks for: they rank first"
            )
        for fid in view.facts:
            channels = seeds.fact_found_by(fid) + found_by.get(fid, [])
            if fid in promote:
                channels.append("complete_path")
            elif fid in path_score:
                channels.append("path")
            found_by[fid] = list(dict.fromkeys(channels))
        coverage = _coverage(ents, view)
        clock.step("rank_facts", count=len(order), detail=f"entity coverage {coverage:.2f}")
        run = _Run(
            seeds=seeds,
            graph=view,
            in_view=in_view,
            validity=validity,
            relevance=relevance,
            ppr=ppr,
            paths=paths,
            path_score=path_score,
            path_text=path_text,
            fact_order=order,
            fact_breakdown=breakdown,
            fact_found_by=found_by,
            coverage=coverage,
            promote=promote,
            history_facts=history_pool,
            query_vector=[float(x) for x in query.vector],
        )
        self._episodes(plan, run, clock, include_episodes)
        return run

    def _full_query_episodes(
        self, plan: Plan, query: _Query, topic_dense: Channel, topic_lexical: Channel
    ) -> dict[str, float]:
        """The episode base when names were masked: the topic channels fused with the full query's.

        Masking a speaker's name helps in a conversation (the name is on every turn of theirs), but
        a document's names are its subject: searching by the topic alone can rank below a flat
        search of the whole question. Four channels, reciprocal-rank fused and scaled back to the
        two-channel range, keep the flat hybrid ranking as the floor in both cases."""
        budgets = plan.budgets
        full_dense, full_lexical, _ = hybrid_seeds(
            self.store,
            "Episode",
            plan.namespace,
            query.text,
            query.vector.tolist(),
            k=budgets["episode_k"],
            rrf_k=self.config.episode_rrf_k,
        )
        k = budgets["episode_k"]
        w = self.config.episode_query_weight
        fused = reciprocal_rank_fusion(
            {
                "vector": topic_dense.ranking[:k],
                "text": topic_lexical.ranking[:k],
                "query_vector": full_dense.ranking[:k],
                "query_text": full_lexical.ranking[:k],
            },
            k=self.config.episode_rrf_k,
            weights={"query_vector": w, "query_text": w},
        )
        scale = 2.0 / (2.0 + 2.0 * w)
        return {eid: value * scale for eid, value in list(fused.items())[: 2 * k]}

    def _anchor_lookup(self, plan: Plan, run: _Run) -> tuple[list[str], set[str]]:
        """Candidate passages of the entities the question names, and the keys they are anchored on.

        A document passage is anchored on its title entity; the question's named things (resolved
        or not) are looked up by name in the episodes' full-text index, and a hit counts as anchored
        when its title is one of those names (checked after the fetch)."""
        names: dict[str, str] = {}
        records = run.seeds.entities.records
        for mention, ids in run.seeds.entities.groups:
            if mention.kind != "name":
                continue
            names.setdefault(entity_key(mention.text), mention.text)
            for eid in ids:
                if eid in records:
                    names.setdefault(records[eid].key, records[eid].name)
                    for alias in records[eid].aliases:
                        names.setdefault(entity_key(alias), alias)
        candidates: list[str] = []
        for text in list(dict.fromkeys(names.values()))[: self.config.anchor_lookups]:
            candidates += [h.id for h in self.store.text_search("Episode", plan.namespace, text, 3)]
        return list(dict.fromkeys(candidates)), set(names)

    def _fetch(self, plan: Plan, seeds: SeedSet, clock: _Clock) -> tuple[Subgraph, dict[str, list[str]]]:
        """Seed facts with their endpoints, then ``depth`` one-hop rounds from a beam of entities."""
        ns = plan.namespace
        found_by: dict[str, list[str]] = {}
        seed_fact_ids = list(seeds.fact_fused)
        # the seed entities' records are in hand already: only the seed facts' endpoints are read
        graph = self.store.subgraph(ns, fact_ids=seed_fact_ids)
        graph = graph.merge(Subgraph(entities=dict(seeds.entities.records)))
        clock.step("fetch_seeds", count=len(graph.facts), detail="seed facts, endpoints and evidence")
        frontier = list(seeds.entities.weights)
        # the endpoints of the best seed facts start the walk too: fact search may find the first hop
        for fid in seed_fact_ids[:5]:
            fact = graph.facts.get(fid)
            if fact is not None and validity_weight(fact, mode=plan.time_mode, as_of=plan.as_of) > 0:
                frontier.extend(e for e in (fact.subject_id, fact.object_id) if e)
        frontier = list(dict.fromkeys(frontier))
        expanded: set[str] = set()
        names = {eid: e.name for eid, e in graph.entities.items()}
        for hop in range(plan.depth):
            frontier = [e for e in frontier if e not in expanded]
            if not frontier or len(graph.facts) >= plan.budgets["max_subgraph_facts"]:
                break
            part = self.store.neighborhood(
                ns,
                frontier,
                depth=1,
                direction=plan.direction,
                statuses=plan.statuses,
                as_of=plan.as_of,
                degree_cap=plan.budgets["degree_cap"],
            )
            expanded.update(frontier)
            names.update({eid: e.name for eid, e in part.entities.items()})
            for fid, fact in part.facts.items():
                if fid not in graph.facts:
                    anchor = fact.subject_id if fact.subject_id in expanded else (fact.object_id or "")
                    found_by.setdefault(fid, []).append(f"hop{hop + 1}:{names.get(anchor, anchor)}")
            graph = graph.merge(part)
            clock.step(
                f"neighborhood_{hop + 1}", count=len(part.facts), detail=f"from {len(frontier)} entities"
            )
            if hop + 1 < plan.depth and self._sides_met(plan, graph, seeds):
                plan.reasons["fetch"] = (
                    f"the named entities were connected after {hop + 1} hop(s): bidirectional search stops "
                    "where the two sides meet"
                )
                break
            frontier = self._next_frontier(plan, graph, part, expanded, seeds)
        return graph, found_by

    def _sides_met(self, plan: Plan, graph: Subgraph, seeds: SeedSet) -> bool:
        """In meet-in-the-middle mode, whether the fetched subgraph already joins the named entities."""
        if not plan.meet_in_middle:
            return False
        groups = [ids for _, ids in seeds.entities.strong_groups()]
        if len(groups) < 2:
            return False
        in_view = {
            fid
            for fid, f in graph.facts.items()
            if validity_weight(f, mode=plan.time_mode, as_of=plan.as_of) > 0
        }
        targets = [e for ids in groups[1:] for e in ids]
        paths = beam_paths(
            _restrict(graph, in_view),
            groups[0],
            targets=targets,
            depth=plan.depth,
            beam_width=plan.beam_width,
            max_paths=1,
        )
        return next(paths, None) is not None

    def _next_frontier(
        self, plan: Plan, graph: Subgraph, part: Subgraph, expanded: set[str], seeds: SeedSet
    ) -> list[str]:
        """The entities reached through the most relevant new facts: the store-side beam."""
        relevance = fact_relevance(
            part.facts, seeds.fact_similarity, seeds.fact_lexical.scores, plan.analysis.predicates
        )
        best: dict[str, float] = {}
        for fid, fact in part.facts.items():
            if validity_weight(fact, mode=plan.time_mode, as_of=plan.as_of) <= 0:
                continue
            for node in (fact.subject_id, fact.object_id):
                if node and node not in expanded:
                    best[node] = max(best.get(node, 0.0), relevance.get(fid, 0.0))
        # beam pruning: an entity reached only through facts unrelated to the question is not expanded
        promising = {n: v for n, v in best.items() if v >= self.config.frontier_min_relevance}
        width = 2 * plan.beam_width
        return sorted(promising, key=lambda n: (-promising[n], n))[:width]

    def _pagerank(
        self, plan: Plan, graph: Subgraph, seeds: SeedSet, weights: Mapping[str, float]
    ) -> dict[str, float]:
        nodes = set(graph.entities) | set(graph.facts)
        for fid in graph.facts:
            nodes.update(graph.evidence.get(fid, ()))
        restart: dict[str, float] = {}
        channels = {
            "entities": {e: w for e, w in seeds.entities.weights.items() if e in nodes},
            "facts": {f: w for f, w in seeds.fact_fused.items() if f in graph.facts},
            "episodes": {e: w for e, w in seeds.episode_fused.items() if e in nodes},
        }
        for name, values in channels.items():
            total = sum(values.values())
            if total <= 0:
                continue
            for node, value in values.items():
                restart[node] = restart.get(node, 0.0) + _SEED_SHARE[name] * value / total
        if not restart:
            return {}
        return personalized_pagerank(graph, restart, damping=self.config.damping, fact_weights=weights)

    def _paths(
        self, plan: Plan, graph: Subgraph, ents: EntitySeeds, weights: Mapping[str, float]
    ) -> list[Path]:
        groups = [[e for e in ids if e in graph.entities] for _, ids in ents.strong_groups()]
        groups = [g for g in groups if g]
        if not groups:
            groups = [[e for e in ents.weights if e in graph.entities]]
        if not groups[0]:
            return []
        budget = plan.budgets["max_paths"]
        if plan.meet_in_middle and len(groups) >= 2:
            targets = [e for g in groups[1:] for e in g]
            met = list(
                beam_paths(
                    graph,
                    groups[0],
                    targets=targets,
                    fact_weights=weights,
                    depth=plan.depth,
                    beam_width=plan.beam_width,
                    max_paths=budget,
                )
            )
            if met:
                plan.reasons.setdefault("paths", f"{len(met)} path(s) joined between the named entities")
                return met
            plan.reasons["paths"] = "no path joins the named entities within the depth: outward beam instead"
        sources = [e for g in groups for e in g]
        return list(
            beam_paths(
                graph,
                sources,
                fact_weights=weights,
                depth=plan.depth,
                beam_width=plan.beam_width,
                max_paths=budget,
            )
        )

    def _episodes(self, plan: Plan, run: _Run, clock: _Clock, include_episodes: bool) -> None:
        """Down to evidencing episodes (AriGraph score) and session context; up to insights."""
        ns = plan.namespace
        graph = run.graph
        top_facts = run.fact_order[: plan.budgets["evidence_facts"]]
        relevance = {fid: run.relevance.get(fid, 0.0) * run.validity.get(fid, 0.0) for fid in top_facts}
        candidates: list[str] = []
        if include_episodes:
            candidates.extend(run.seeds.episode_fused)
        for fid in top_facts:
            candidates.extend(graph.evidence.get(fid, ()))
        anchor_ids, anchor_keys = self._anchor_lookup(plan, run) if include_episodes else ([], set())
        candidates = list(dict.fromkeys([*candidates, *anchor_ids]))
        targets = [*top_facts[:20], *[e for e in run.seeds.entities.weights if e in graph.entities]]
        # the query tier: past sessions whose goals resemble the question lead up to their insights
        if run.query_vector:
            sessions = self.store.vector_search("Session", ns, run.query_vector, 3)
            run.session_score = {h.id: h.score for h in sessions if h.score >= _SESSION_MIN_SIMILARITY}
            targets.extend(run.session_score)
        insight_of = self.store.insights_of(ns, targets) if targets else {}
        insight_ids = list(dict.fromkeys(i for ids in insight_of.values() for i in ids))
        fetched = self.store.subgraph(ns, episode_ids=candidates, insight_ids=insight_ids)
        clock.step(
            "fetch_episodes",
            count=len(fetched.episodes),
            detail=f"{len(candidates)} candidates; {len(insight_ids)} insights",
        )
        run.graph = graph.merge(
            Subgraph(
                episodes=fetched.episodes,
                insights=fetched.insights,
                derived_from=fetched.derived_from,
                episode_fact_counts=fetched.episode_fact_counts,
            )
        )
        run.insight_of = insight_of
        run.episodes = fetched.episodes
        if not include_episodes:
            return
        ari = episode_scores(graph.evidence, relevance, fetched.episode_fact_counts)
        anchored = {
            eid: 1.0
            for eid, ep in fetched.episodes.items()
            if isinstance(ep.metadata.get("title"), str) and entity_key(ep.metadata["title"]) in anchor_keys
        }
        # the answer often sits next to the turn that matched: consecutive episodes of a session
        # among the candidates lend each other score (fetching neighbours outside the candidates
        # was measured on LoCoMo and added nothing)
        neighbours = _session_neighbours(fetched.episodes)
        speaker_keys = {entity_key(m.text) for m in plan.analysis.names}
        for _, ids in run.seeds.entities.strong_groups():
            speaker_keys.update(
                entity_key(run.seeds.entities.records[e].name) for e in ids if e in run.seeds.entities.records
            )
        order, breakdown = rank_episodes(
            [e for e in candidates if e in fetched.episodes],
            fetched.episodes,
            seed_rrf=run.seeds.episode_fused,
            from_facts=ari,
            ppr=run.ppr,
            weights=plan.episode_weights,
            speaker_keys=speaker_keys,
            speaker_boost=self.config.speaker_boost,
            neighbours=neighbours,
            neighbour_alpha=plan.episode_context,
            rrf_scale=self.config.episode_rrf_k + 1.0,
            anchored=anchored,
        )
        run.episode_order = [e for e in order if e in fetched.episodes]
        run.episode_breakdown = breakdown
        for eid in run.episode_order:
            channels = run.seeds.episode_found_by(eid)
            if eid in ari:
                channels.append("fact_evidence")
            if eid in anchored:
                channels.append("anchor")
            if "context" in breakdown.get(eid, {}) and not channels:
                channels.append("session_context")
            if run.ppr.get(eid):
                channels.append("ppr")
            run.episode_found_by[eid] = channels
        clock.step(
            "rank_episodes", count=len(run.episode_order), detail="seed rank, AriGraph, PageRank, context"
        )

    # --- assembly --------------------------------------------------------------------------------

    def _assemble(self, plan: Plan, run: _Run, k: int, include_episodes: bool) -> SearchResult:
        ns = plan.namespace
        graph = run.graph
        kept, _ = collapse_slots(run.fact_order, graph.facts, in_view=run.in_view, others=run.history_facts)
        scores = {fid: sum(run.fact_breakdown[fid].values()) for fid in kept}
        groups = {fid: [f"slot:{'/'.join(slot_of(graph.facts[fid]))}"] for fid in kept}
        chosen = diversify(kept, scores, groups, decay=0.85, limit=k)
        named = run.seeds.entities.strong_groups()  # "How old is Lukas?": Lukas's age first
        cues = plan.analysis.relations  # one relation asked of one name: no "sister" leading elsewhere
        direct = plan.analysis.hops == 1 or (len(cues) == 1 and cues[0].target)
        subjects = set(named[0][1]) if direct and len(named) == 1 else set()
        chosen = focus_subject(
            chosen,
            graph.facts,
            subjects=subjects,
            predicates=plan.analysis.target_predicates,
            wants=question_wants(plan.analysis.query, temporal=plan.analysis.temporal),
        )
        # history of the chosen slots: follow SUPERSEDES edges to older values not fetched yet
        extra: dict[str, Fact] = {}
        edges = self.store.supersedes(ns, chosen) if chosen else []
        missing = [
            e.old_id for e in edges if e.old_id not in graph.facts and e.old_id not in run.history_facts
        ]
        if missing:
            extra = self.store.get_facts(ns, missing)
        pool = {**run.history_facts, **extra}
        _, history = collapse_slots(chosen, graph.facts, in_view=run.in_view, others=pool)
        entity_ids = (
            {f.subject_id for f in graph.facts.values()}
            | {f.object_id for f in [*graph.facts.values(), *pool.values()] if f.object_id}
            | {f.subject_id for f in pool.values()}
        )
        missing_entities = [e for e in entity_ids if e not in graph.entities]
        entities = dict(graph.entities)
        if missing_entities:
            entities.update(self.store.get_entities(ns, missing_entities))

        def name(eid: str | None) -> str:
            return entities[eid].name if eid and eid in entities else (eid or "")

        budget = plan.budgets["tokens"]
        used = 0
        facts: list[FactHit] = []
        for fid in chosen:
            fact = graph.facts[fid]
            obj = name(fact.object_id) if fact.object_id else (fact.object_value or "")
            older = [
                name(f.object_id) if f.object_id else (f.object_value or "") for f in history.get(fid, [])
            ]
            hit = FactHit(
                id=fid,
                text=fact.text,
                subject=name(fact.subject_id),
                subject_id=fact.subject_id,
                predicate=fact.predicate,
                object=obj,
                object_id=fact.object_id,
                status=fact.status,
                polarity=fact.polarity,
                modality=fact.modality,
                valid_from=fact.valid_from,
                valid_to=fact.valid_to,
                confidence=fact.confidence,
                support=fact.support,
                score=round(scores[fid], 6),
                scores=run.fact_breakdown[fid],
                found_by=run.fact_found_by.get(fid, []),
                path=run.path_text.get(fid),
                episodes=sorted(graph.evidence.get(fid, [])),
                history=list(dict.fromkeys(older)),
                summary=fact_summary(
                    fact.predicate,
                    obj,
                    subject=name(fact.subject_id),
                    polarity=fact.polarity,
                    valid_from=fact.valid_from,
                    valid_to=fact.valid_to,
                    history=list(dict.fromkeys(older)),
                ),
            )
            cost = estimate_tokens(hit.text) + 8
            if facts and used + cost > budget:
                break
            used += cost
            facts.append(hit)

        episodes: list[EpisodeHit] = []
        if include_episodes:
            fact_ids = {f.id for f in facts}
            for eid in run.episode_order[:k]:
                ep = run.episodes[eid]
                hit_e = EpisodeHit(
                    id=eid,
                    content=ep.content,
                    speaker=ep.speaker,
                    session_id=ep.session_id,
                    occurred_at=ep.occurred_at,
                    metadata=ep.metadata,
                    score=round(sum(run.episode_breakdown.get(eid, {}).values()), 6),
                    scores=run.episode_breakdown.get(eid, {}),
                    found_by=run.episode_found_by.get(eid, []),
                    facts=sorted(f for f in fact_ids if eid in graph.evidence.get(f, [])),
                )
                cost = estimate_tokens(ep.content) + 8
                if episodes and used + cost > budget:
                    break
                used += cost
                episodes.append(hit_e)

        entity_scores: dict[str, float] = {}
        for eid in entities:
            value = run.ppr.get(eid, 0.0) + run.seeds.entities.weights.get(eid, 0.0)
            if value > 0:
                entity_scores[eid] = value
        entity_hits = [
            EntityHit(
                id=eid,
                name=entities[eid].name,
                type=entities[eid].type,
                aliases=entities[eid].aliases,
                summary=entities[eid].summary,
                mention_count=entities[eid].mention_count,
                score=round(entity_scores[eid], 6),
                scores={
                    "seed": round(run.seeds.entities.weights.get(eid, 0.0), 6),
                    "ppr": round(run.ppr.get(eid, 0.0), 6),
                },
                found_by=run.seeds.entities.found_by.get(eid, []) or ["ppr"],
            )
            for eid in sorted(entity_scores, key=lambda e: -entity_scores[e])[:k]
        ]
        names = {eid: e.name for eid, e in entities.items()}
        path_hits = [
            PathHit(
                text=p.render(names),
                entities=[names.get(n, n) for n in p.nodes],
                entity_ids=list(p.nodes),
                facts=list(p.fact_ids),
                predicates=[s.predicate for s in p.steps],
                kind=p.kind,
                score=round(p.score, 6),
            )
            for p in sorted(run.paths, key=lambda p: -p.score)[:k]
        ]
        insight_score: dict[str, float] = {}
        fact_rank = {fid: 1.0 / (i + 1) for i, fid in enumerate(chosen)}
        for target, ids in run.insight_of.items():
            for iid in ids:
                value = (
                    fact_rank.get(target, 0.0)
                    + run.seeds.entities.weights.get(target, 0.0)
                    + run.session_score.get(target, 0.0)
                )
                insight_score[iid] = max(insight_score.get(iid, 0.0), value)
        for iid in insight_score:  # feedback: useful insights rise, misleading ones sink (never vanish)
            if iid in graph.insights:
                insight_score[iid] += _INSIGHT_UTILITY_WEIGHT * graph.insights[iid].utility
        insight_hits = [
            InsightHit(
                id=iid,
                kind=graph.insights[iid].kind,
                text=graph.insights[iid].text,
                derived_from=graph.derived_from.get(iid, []),
                score=round(insight_score[iid], 6),
                scores={"targets": round(insight_score[iid], 6)},
                found_by=["derived_from"],
            )
            for iid in sorted(insight_score, key=lambda i: -insight_score[i])
            if iid in graph.insights and not graph.insights[iid].stale
        ][:k]
        return SearchResult(
            query=plan.query,
            namespace=ns,
            as_of=plan.as_of,
            facts=facts,
            episodes=episodes,
            entities=entity_hits,
            paths=path_hits,
            insights=insight_hits,
            plan=plan,
        )


def _check(namespace: str, k: int, as_of: datetime | None) -> None:
    if not isinstance(namespace, str) or not namespace.strip():
        raise InvalidInput("namespace must be a non-empty string")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 1000:
        raise InvalidInput(f"k must be an integer in 1..1000, got {k!r}")
    if as_of is not None and (not isinstance(as_of, datetime) or as_of.tzinfo is None):
        raise InvalidInput("as_of must be a timezone-aware datetime")


def _restrict(graph: Subgraph, keep: set[str]) -> Subgraph:
    """The subgraph with only the facts in ``keep`` (the requested view)."""
    facts = {fid: f for fid, f in graph.facts.items() if fid in keep}
    return Subgraph(
        entities=graph.entities,
        facts=facts,
        episodes=graph.episodes,
        evidence={fid: eps for fid, eps in graph.evidence.items() if fid in facts},
        episode_fact_counts=graph.episode_fact_counts,
        insights=graph.insights,
        derived_from=graph.derived_from,
    )


def _coverage(ents: EntitySeeds, graph: Subgraph) -> float:
    """Share of the named mentions that resolved to an entity with at least one fact in the view."""
    named = [(m, ids) for m, ids in ents.groups if m.kind != "concept"]
    if not named:
        return 1.0 if graph.facts else 0.0
    touched: set[str] = set()
    for fact in graph.facts.values():
        touched.add(fact.subject_id)
        if fact.object_id:
            touched.add(fact.object_id)
    covered = sum(1 for _, ids in named if any(e in touched for e in ids))
    return covered / len(named)


def _session_neighbours(episodes: Mapping[str, Episode]) -> dict[str, list[str]]:
    """Adjacent turns (same session, consecutive seq) among those already fetched.

    Document passages take no part: a turn's neighbour often answers it, but the passage stored
    after another is only the next one added (on a corpus stored in its benchmark's order, the
    neighbours of a hit are the other passages of the same question, a leak, not evidence).

    >>> from datetime import UTC, datetime
    >>> t = datetime(2024, 1, 1, tzinfo=UTC)
    >>> roles = [("a", "user"), ("b", "user"), ("c", "document"), ("d", "document")]
    >>> eps = {i: Episode(id=i, namespace="n", session_id="s", seq=n, role=r, content=i, occurred_at=t)
    ...        for n, (i, r) in enumerate(roles)}
    >>> _session_neighbours(eps)
    {'a': ['b'], 'b': ['a']}
    """
    episodes = {eid: e for eid, e in episodes.items() if e.role is not Role.document}
    by_position = {(e.session_id, e.seq): eid for eid, e in episodes.items()}
    out: dict[str, list[str]] = {}
    for eid, ep in episodes.items():
        near = [
            by_position[(ep.session_id, ep.seq + d)]
            for d in (-1, 1)
            if (ep.session_id, ep.seq + d) in by_position
        ]
        if near:
            out[eid] = near
    return out
