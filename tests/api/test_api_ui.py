"""The graph page's server side, without a browser: files served from the package, offline docs,
``GET /v1/me`` and the superseded facts the graph draws dashed (the browser test is test_ui_browser)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from api_support import ADMIN, BOB_RW, MARIA_RO, MARIA_RW, MARIA_WO, Api, make_api

from graphmem.api.ui import PAGE_CSP, REDOC_CSP
from graphmem.ui import STATIC_DIR, VENDOR_DIR


class _Refs(HTMLParser):
    """Every ``src`` / ``href`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [value for name, value in attrs if name in {"src", "href"} and value]


def refs_of(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.refs


def resolve(page: str, ref: str) -> str:
    """``ref`` as the browser resolves it on ``page`` (both relative to the server root)."""
    base = page.rsplit("/", 1)[0]
    parts: list[str] = [p for p in base.split("/") if p]
    for part in ref.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/" + "/".join(parts)


@pytest.fixture(scope="module")
def seeded(api: Api) -> Api:
    api.seed("maria")
    return api


def test_ui_redirects_to_the_page_which_loads_only_its_own_files(api: Api) -> None:
    redirect = api.client.get("/ui", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"] == "ui/"
    page = api.client.get("/ui/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == PAGE_CSP
    assert "script-src 'self'" in PAGE_CSP and "unsafe-inline" not in PAGE_CSP
    refs = refs_of(page.text)
    assert "static/vendor/cytoscape/cytoscape.min.js" in refs and "static/app.js" in refs
    for ref in refs:
        assert not re.match(r"^[a-z]+:|^//", ref), f"{ref} is not a relative URL"
        asset = api.client.get(resolve("/ui/", ref))
        assert asset.status_code == 200, ref
        assert len(asset.content) > 100
    assert "<script>" not in page.text  # no inline script: the CSP would refuse it


def test_static_files_are_the_packaged_ones_and_unknown_files_are_404(api: Api) -> None:
    served = api.client.get("/ui/static/app.js")
    assert served.content == (STATIC_DIR / "app.js").read_bytes()
    missing = api.client.get("/ui/static/nothing-here.js")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found"
    escape = api.client.get("/ui/static/../../api/auth.py")
    assert escape.status_code == 404


def test_the_page_inserts_remembered_text_only_as_text() -> None:
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon-32x32.png"}),
    ],
)
def test_docs_reference_no_external_host(api: Api, page: str, assets: set[str]) -> None:
    html = api.client.get(page)
    assert html.status_code == 200
    found = re.findall(r"(?:https?:)?//[A-Za-z0-9.-]+", html.text)
    assert found == [], f"{page} references {found}"
    refs = refs_of(html.text)
    assert {ref.rsplit("/", 1)[-1] for ref in refs} >= assets
    for ref in refs:
        asset = api.client.get(resolve(page, ref))
        assert asset.status_code == 200, ref
    assert "openapi.json" in html.text
    if page == "/docs":
        assert '"validatorUrl": null' in html.text  # no badge image from the public validator
    else:  # the bundle's own logo URL is refused by the browser (see test_ui_browser)
        assert html.headers["content-security-policy"] == REDOC_CSP and "img-src 'self' data:" in REDOC_CSP


def test_every_vendored_library_keeps_its_licence_and_recorded_version() -> None:
    record = (VENDOR_DIR / "VENDORED.md").read_text(encoding="utf-8")
    versions = dict(re.findall(r"^\| `([a-z-]+)` \| ([0-9.]+) \|", record, flags=re.MULTILINE))
    assert set(versions) == {"cytoscape", "swagger-ui-dist", "redoc"}
    folders = {"cytoscape": "cytoscape", "swagger-ui-dist": "swagger_ui", "redoc": "redoc"}
    for package, folder in folders.items():
        files = {p.name for p in (VENDOR_DIR / folder).iterdir()}
        assert "LICENSE" in files, package
        bundle = next(
            p for p in (VENDOR_DIR / folder).iterdir() if p.suffix == ".js" and p.stat().st_size > 1e5
        )
        assert f'"{versions[package]}"' in bundle.read_text(encoding="utf-8"), (package, bundle.name)
    # The files are the ones recorded (copied unchanged), and every shipped file is recorded.
    recorded = dict(
        (path, digest)
        for digest, path in re.findall(r"^ {4}([0-9a-f]{64})  (\S+/\S+)$", record, flags=re.MULTILINE)
    )
    shipped = {str(p.relative_to(VENDOR_DIR)): p for p in VENDOR_DIR.glob("*/*")}
    assert set(recorded) == set(shipped)
    for name, path in shipped.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded[name], name


def test_me_lists_the_keys_namespaces_and_scopes(api: Api) -> None:
    body = api.get("/v1/me", key=MARIA_RW).json()
    assert body == {
        "name": "inline key 2",
        "auth": "enabled",
        "namespaces": ["maria", "shared"],
        "all_namespaces": False,
        "scopes": ["read", "write"],
        "can": {"read": True, "write": True, "admin": False},
        "default_namespace": "default",
    }
    assert api.get("/v1/me", key=MARIA_WO).json()["can"] == {"read": False, "write": True, "admin": False}
    assert api.get("/v1/me", key=MARIA_RO).json()["scopes"] == ["read"]
    admin = api.get("/v1/me", key=ADMIN).json()
    assert admin["all_namespaces"] is True and admin["namespaces"] == ["*"]
    assert admin["can"] == {"read": True, "write": True, "admin": True}
    assert api.get("/v1/me", key=BOB_RW).json()["namespaces"] == ["bob", "shared"]
    for key, message in ((None, "missing API key"), ("no-such-key-0000000000000", "invalid API key")):
        response = api.get("/v1/me", key=key)
        assert response.status_code == 401 and message in response.json()["error"]["message"]
    assert ADMIN not in api.get("/v1/me", key=ADMIN).text


@pytest.fixture(scope="module")
def open_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(tmp_path_factory.mktemp("open"), warm_up=False, api_keys="", namespace="team")


def test_me_without_configured_keys_is_open_access(open_api: Api) -> None:
    body = open_api.get("/v1/me", key=None).json()
    assert body["auth"] == "disabled" and body["all_namespaces"] is True
    assert body["default_namespace"] == "team" and body["can"]["admin"] is True


def test_graph_adds_superseded_facts_only_when_asked(seeded: Api) -> None:
    def lives_in(**params: str) -> list[tuple[str, str]]:
        response = seeded.get(
            "/v1/namespaces/maria/graph", key=MARIA_RO, params={"entity": "Maria", **params}
        )
        assert response.status_code == 200, response.text
        view = response.json()
        labels = {n["id"]: n["label"] for n in view["nodes"]}
        maria = next(node_id for node_id, label in labels.items() if label == "Maria")
        return sorted(
            (labels[e["target"]], e["properties"]["status"])
            for e in view["edges"]
            if e["type"] == "lives_in" and e["source"] == maria
        )

    assert lives_in() == [("Lisbon", "active")]
    assert lives_in(include_superseded="true") == [("Lisbon", "active"), ("Paris", "superseded")]
    same = seeded.get(
        "/v1/namespaces/maria/entities/Maria/neighbors", key=MARIA_RO, params={"include_superseded": "true"}
    ).json()
    assert {e["properties"]["status"] for e in same["edges"]} == {"active", "superseded"}
    bad = seeded.get(
        "/v1/namespaces/maria/graph",
        key=MARIA_RO,
        params={"entity": "Maria", "include_superseded": "perhaps"},
    )
    assert bad.status_code == 422
