"""The graph page in a real headless Chromium, against a real ``graphmem serve`` holding the demo memory.

Chromium and its driver are Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them);
Selenium drives them through the local driver binary, so nothing is downloaded. The module skips, with
the reason printed, only when Chromium cannot be started at all.

Set ``GRAPHMEM_UI_SCREENSHOT=docs/ui.png`` to write the README's screenshot while the tests run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphmem.demo import load_conversation

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (test extra)")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

ADMIN = "ui-admin-key-0000000000001"
READER = "ui-demo-reader-0000000001"
WRITER = "ui-demo-writer-0000000001"
KEYS = f"{ADMIN}=*:admin;{READER}=demo|other:read;{WRITER}=demo:write"
NAMESPACE = "demo"
REPO = Path(__file__).resolve().parents[2]
"""The server runs this checkout's code, like the test process."""
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,900",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``graphmem serve`` in its own process on 127.0.0.1, with the demo conversation added over REST."""
    root = tmp_path_factory.mktemp("ui-server")
    port = _free_port()
    env = {
        **os.environ,
        "GRAPHMEM_API_KEYS": KEYS,
        "GRAPHMEM_NAMESPACE": NAMESPACE,
        "GRAPHMEM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    env.pop("GRAPHMEM_API_KEYS_FILE", None)
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "graphmem",
            "--path",
            str(root / "db"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"graphmem serve exited with {process.returncode}:\n"
                    f"{(root / 'server.log').read_text()[-3000:]}"
                )
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("graphmem serve did not answer within 300 s")
            time.sleep(0.5)
        fields = {
            "content": "content",
            "name": "speaker",
            "role": "role",
            "session": "session",
            "timestamp": "timestamp",
            "id": "id",
        }  # the demo file's keys -> the REST API's
        items = [
            {rest: m[key] for key, rest in fields.items() if m.get(key) is not None}
            for m in load_conversation()["messages"]
        ]
        response = httpx.post(
            f"{url}/v1/namespaces/{NAMESPACE}/episodes/batch",
            json={"items": items},
            headers={"Authorization": f"Bearer {ADMIN}"},
            timeout=600,
        )
        assert response.status_code == 201, response.text
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _chrome_binaries() -> tuple[str, str] | str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        return (
            f"Chromium cannot be started: {'chromium' if browser is None else 'chromedriver'} is not "
            "installed (apt-get install chromium chromium-driver)"
        )
    return browser, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    found = _chrome_binaries()
    if isinstance(found, str):
        print(f"SKIP: {found}")
        pytest.skip(found)
    binary, driver_path = found
    profile = tempfile.mkdtemp(prefix="graphmem-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(
            options=options, service=webdriver.ChromeService(executable_path=driver_path)
        )
    except WebDriverException as exc:
        reason = f"Chromium cannot be started: {exc.msg or exc}".splitlines()[0]
        print(f"SKIP: {reason}")
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(reason)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 120) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def status(driver: Any) -> str:
    text: str = driver.find_element(By.ID, "status").text
    return text


def errors_in_log(driver: Any) -> list[dict[str, Any]]:
    """Console entries at error level (uncaught exceptions, CSP refusals, failed loads)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def open_page(driver: Any, server: str, key: str) -> None:
    """Load /ui with an empty session (no key remembered), type ``key`` and connect.

    The browser log is drained first, so a test sees only the console entries of its own page load.
    """
    driver.get(f"{server}/v1/health")  # same origin: forget the key a previous test connected with
    driver.execute_script("sessionStorage.clear()")
    driver.get_log("browser")
    driver.get(f"{server}/ui")
    wait_for(lambda: "API key" in status(driver), "the page to ask for a key")
    field = driver.find_element(By.ID, "api-key")
    field.clear()
    field.send_keys(key)
    driver.find_element(By.ID, "connect").click()


def search(driver: Any, question: str) -> None:
    box = driver.find_element(By.ID, "query")
    box.clear()
    box.send_keys(question)
    driver.find_element(By.ID, "search-button").click()
    wait_for(
        lambda: status(driver) and not status(driver).startswith("Searching"), f"the search for {question!r}"
    )


def graph_counts(driver: Any) -> tuple[int, int]:
    counts: list[int] = driver.execute_script(
        "const cy = window.graphmemPage.cy; return cy ? [cy.nodes().length, cy.edges().length] : [0, 0];"
    )
    return counts[0], counts[1]


def painted_pixels(driver: Any) -> int:
    """Non-transparent pixels over the graph's canvas layers: proof that something was drawn."""
    count: int = driver.execute_script("""
        let painted = 0;
        for (const canvas of document.querySelectorAll('#graph canvas')) {
          if (!canvas.width || !canvas.height) continue;
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
        }
        return painted;""")
    return count


def test_page_loads_without_console_errors(server: str, browser: Any) -> None:
    open_page(browser, server, READER)
    wait_for(lambda: "is open" in status(browser), "the namespace to open")
    assert browser.current_url == f"{server}/ui/"
    assert browser.title == "graphmem"
    # The picker offers exactly the key's namespaces; the key's label and scopes are shown.
    options = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#namespace option")]
    assert options == ["demo", "other"]
    assert browser.find_element(By.ID, "namespace").get_attribute("value") == "demo"
    assert "read on demo, other" in browser.find_element(By.ID, "whoami").text
    assert "episode" in browser.find_element(By.ID, "stats").text
    assert errors_in_log(browser) == []


def test_a_store_wide_key_may_type_any_namespace(server: str, browser: Any) -> None:
    open_page(browser, server, ADMIN)
    wait_for(lambda: "is open" in status(browser), "the namespace to open")
    free = browser.find_element(By.ID, "namespace-free")
    assert free.is_displayed() and not browser.find_element(By.ID, "namespace").is_displayed()
    assert free.get_attribute("value") == NAMESPACE  # the server's default namespace
    assert "admin on every namespace" in browser.find_element(By.ID, "whoami").text
    free.clear()
    free.send_keys("nobody-here\n")
    wait_for(lambda: "no data yet" in status(browser), "the empty namespace")
    assert "nobody-here" in browser.find_element(By.ID, "stats").text
    assert errors_in_log(browser) == []


def test_search_renders_ranked_facts_paths_plan_and_a_drawn_graph(server: str, browser: Any) -> None:
    open_page(browser, server, READER)
    wait_for(lambda: "is open" in status(browser), "the namespace to open")
    search(browser, "Where does Maria's sister live?")
    facts = browser.find_elements(By.CSS_SELECTOR, "#facts li")
    assert facts, status(browser)
    scores = [float(li.find_element(By.CLASS_NAME, "score").text) for li in facts]
    assert scores == sorted(scores, reverse=True)  # ranked
    assert any("Porto" in li.text for li in facts)  # the demo's multi-hop answer is among them
    paths = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#paths li")]
    assert any("Anna" in p for p in paths), paths
    plan_rows = browser.find_elements(By.CSS_SELECTOR, "#plan-table tr")
    assert len(plan_rows) >= 8
    assert "because" in browser.find_element(By.ID, "plan").text
    nodes, edges = graph_counts(browser)
    assert nodes >= 3 and edges >= 2
    assert painted_pixels(browser) > 500
    # The answer path is highlighted in the drawing.
    assert browser.execute_script("return window.graphmemPage.cy.edges('.path').length") >= 1
    assert errors_in_log(browser) == []


def test_superseded_facts_are_dashed_and_a_fact_shows_its_timeline(server: str, browser: Any) -> None:
    open_page(browser, server, READER)
    wait_for(lambda: "is open" in status(browser), "the namespace to open")
    search(browser, "Where does Maria live?")
    old = browser.execute_script("""
        const edges = window.graphmemPage.cy.edges('[status = "superseded"]');
        return edges.map(e => [e.data('label'), e.target().data('label'), e.style('line-style')]);""")
    assert old, "no superseded fact drawn around Maria"
    assert all(style == "dashed" for _, _, style in old)
    assert ["lives in", "Paris", "dashed"] in old
    current = browser.execute_script(
        "return window.graphmemPage.cy.edges('[status = \"active\"]').map(e => e.style('line-style'))"
    )
    assert current and set(current) == {"solid"}
    # Click the Lisbon fact: its slot's history, with the decision that replaced Paris.
    lisbon = next(
        li for li in browser.find_elements(By.CSS_SELECTOR, "#facts li") if "lives in Lisbon" in li.text
    )
    lisbon.click()
    entries = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#timeline li"), "the timeline")
    texts = [e.text for e in entries]
    assert any("Paris" in t and "superseded" in t for t in texts), texts
    assert any("Lisbon" in t and "active" in t for t in texts), texts
    rules = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#timeline .rule")]
    assert rules and all(r.startswith("rule ") and len(r) > len("rule x") for r in rules), rules
    assert errors_in_log(browser) == []


def _unexpanded_node_with_new_neighbours(driver: Any, server: str) -> tuple[str, int]:
    """A drawn entity whose neighbourhood (asked of the API directly) holds entities not drawn yet."""
    drawn: dict[str, Any] = driver.execute_script("""
        const cy = window.graphmemPage.cy;
        return {all: cy.nodes().map(n => n.id()),
                candidates: cy.nodes('[kind = "Entity"]').not('.expanded').map(n => n.id())};""")
    for node_id in drawn["candidates"]:
        response = httpx.get(
            f"{server}/v1/namespaces/{NAMESPACE}/graph",
            params={"entity": node_id, "include_superseded": "true", "limit": 50},
            headers={"Authorization": f"Bearer {READER}"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        view = response.json()
        edge_ends = {e["source"] for e in view["edges"]} | {e["target"] for e in view["edges"]}
        new = {n["id"] for n in view["nodes"] if n["id"] in edge_ends} - set(drawn["all"])
        if new:
            return node_id, len(new)
    pytest.fail(f"no drawn entity has undrawn neighbours: {drawn}")


def test_clicking_a_node_expands_it(server: str, browser: Any) -> None:
    open_page(browser, server, READER)
    wait_for(lambda: "is open" in status(browser), "the namespace to open")
    search(browser, "Where does Maria's sister live?")
    before, _ = graph_counts(browser)
    node_id, new = _unexpanded_node_with_new_neighbours(browser, server)
    # A real mouse click on the canvas, where Cytoscape drew the node.
    x, y = browser.execute_script(
        """
        const p = window.graphmemPage.cy.getElementById(arguments[0]).renderedPosition();
        return [p.x, p.y];""",
        node_id,
    )
    graph = browser.find_element(By.ID, "graph")
    size = graph.size
    ActionChains(browser).move_to_element_with_offset(
        graph, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()
    wait_for(lambda: "Expanded" in status(browser), "the node to expand")
    after, _ = graph_counts(browser)
    assert after == before + new, (before, new, after, status(browser))
    assert browser.execute_script(
        "return window.graphmemPage.cy.getElementById(arguments[0]).hasClass('expanded')", node_id
    )
    assert errors_in_log(browser) == []
    shot = os.environ.get("GRAPHMEM_UI_SCREENSHOT")
    if shot:
        facts = browser.find_elements(By.CSS_SELECTOR, "#facts li")
        next((li for li in facts if "lives in Lisbon" in li.text), facts[0]).click()
        wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#timeline li"), "the timeline")
        browser.save_screenshot(shot)


def test_a_key_without_rights_sees_401_or_403(server: str, browser: Any) -> None:
    open_page(browser, server, "not-a-configured-key-000001")
    wait_for(lambda: "401" in status(browser), "the 401 message")
    assert "invalid API key" in status(browser)
    assert "error" in browser.find_element(By.ID, "status").get_attribute("class")
    assert browser.find_element(By.ID, "query").get_attribute("disabled") is not None
    # A write-only key is valid (the picker fills) but may not read: the server's 403 is shown.
    open_page(browser, server, WRITER)
    wait_for(lambda: "403" in status(browser), "the 403 message")
    assert "read" in status(browser)
    search(browser, "Where does Maria live?")
    assert "403" in status(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "#facts li") == []


@pytest.mark.parametrize(("page", "rendered"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_docs_render_offline(server: str, browser: Any, page: str, rendered: str) -> None:
    """Swagger UI and ReDoc draw the operations from the vendored bundles, no request leaving 127.0.0.1."""
    browser.get_log("browser")
    browser.get(f"{server}{page}")
    wait_for(lambda: len(browser.find_elements(By.CSS_SELECTOR, rendered)) >= 10, f"{page} to render", 60)
    hosts = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)"
    )
    local = f"127.0.0.1:{server.rsplit(':', 1)[1]}"
    errors = [e["message"] for e in errors_in_log(browser)]
    refused = [m for m in errors if "Content Security Policy" in m and "has been blocked" in m]
    if page == "/redoc":  # its hard-wired vendor logo, which the page's policy refuses (api.ui.REDOC_CSP)
        assert {h for h in hosts if h != local} <= {"cdn.redoc.ly"}, hosts
        assert all("cdn.redoc.ly" in m for m in refused), refused
    else:
        assert set(hosts) == {local}, hosts
    assert hosts.count(local) >= 2  # the bundle and the schema
    # An external load shows up in the timing list even when refused: each one must have been refused.
    for host in {h for h in hosts if h != local}:
        assert any(host in m for m in refused), (host, errors)
    assert [m for m in errors if m not in refused] == []
    print(json.dumps({"page": page, "resources": len(hosts)}))
