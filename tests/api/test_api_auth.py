"""API keys through the real app: 401 for missing or unknown keys, 403 for other namespaces and
missing scopes, on every operation of the schema; and the key ring itself (parsing, files, digests,
constant-time comparison, keys never logged)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import ADMIN, BOB_RW, KEYS, MARIA_RO, MARIA_RW, MARIA_WO, Api, make_api
from fastapi.testclient import TestClient

from graphmem import Memory
from graphmem.api.app import create_app
from graphmem.api.auth import KeyRing, load_keys_file, parse_inline_keys
from graphmem.api.errors import Unauthenticated
from graphmem.config import Settings
from graphmem.errors import InvalidInput

NS = "/v1/namespaces/{namespace}"
SCOPE: dict[tuple[str, str], str | None] = {
    ("GET", "/v1/health"): None,
    ("GET", "/v1/me"): None,  # any valid key, whatever its scopes: its 401s are in test_api_ui
    ("POST", f"{NS}/episodes"): "write",
    ("POST", f"{NS}/episodes/batch"): "write",
    ("DELETE", f"{NS}/episodes/{{episode_id}}"): "write",
    ("POST", f"{NS}/search"): "read",
    ("GET", f"{NS}/search"): "read",
    ("POST", f"{NS}/explain"): "read",
    ("GET", f"{NS}/explain"): "read",
    ("GET", f"{NS}/facts"): "read",
    ("GET", f"{NS}/history"): "read",
    ("POST", f"{NS}/facts/{{fact_id}}/undo"): "write",
    ("GET", f"{NS}/entities/{{name_or_id}}"): "read",
    ("GET", f"{NS}/entities/{{name_or_id}}/neighbors"): "read",
    ("GET", f"{NS}/graph"): "read",
    ("GET", f"{NS}/stats"): "read",
    ("DELETE", NS): "admin",
    ("GET", "/v1/stats"): "admin",
    ("POST", "/v1/cypher"): "admin",
}
"""The scope each operation needs; a test checks this table covers the whole schema."""

SECURED = [op for op, scope in SCOPE.items() if scope is not None]
NAMESPACED = [op for op in SECURED if "{namespace}" in op[1]]
SAMPLE = {"episode_id": "no-such-episode", "fact_id": "no-such-fact", "name_or_id": "Nobody"}


def _url(path: str, namespace: str = "maria") -> str:
    return path.format(namespace=namespace, **SAMPLE)


def _send(api: Api, op: tuple[str, str], key: str | None, namespace: str = "maria", **kw: Any) -> Any:
    method, path = op
    if method == "POST":
        kw.setdefault("json", {})
    return api.call(method, _url(path, namespace), key=key, **kw)


def _allowed(key: str, scope: str) -> bool:
    scopes = {
        ADMIN: {"read", "write", "admin"},
        MARIA_RW: {"read", "write"},
        MARIA_RO: {"read"},
        MARIA_WO: {"write"},
    }[key]
    return scope in scopes


def test_scope_table_covers_every_operation(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    operations = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert operations == set(SCOPE)


def test_health_needs_no_key_and_reports_auth_enabled(api: Api) -> None:
    response = api.get("/v1/health", key=None)
    assert response.status_code == 200
    assert response.json()["auth"] == "enabled"


@pytest.mark.parametrize("op", SECURED, ids=lambda op: f"{op[0]} {op[1]}")
def test_missing_key_is_401(api: Api, op: tuple[str, str]) -> None:
    response = _send(api, op, None)
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "unauthenticated"
    assert "missing API key" in response.json()["error"]["message"]
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("op", SECURED, ids=lambda op: f"{op[0]} {op[1]}")
def test_unknown_key_is_401(api: Api, op: tuple[str, str]) -> None:
    for headers in (
        {"Authorization": "Bearer wrong-key-000000000000"},
        {"X-API-Key": MARIA_RW[:-1]},
        {"Authorization": f"Basic {MARIA_RW}"},
        {"X-API-Key": ""},
    ):
        response = _send(api, op, None, headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["error"]["type"] == "unauthenticated"


@pytest.mark.parametrize("op", NAMESPACED, ids=lambda op: f"{op[0]} {op[1]}")
def test_other_namespace_is_403(api: Api, op: tuple[str, str]) -> None:
    response = _send(api, op, BOB_RW, namespace="maria")
    assert response.status_code == 403
    error = response.json()["error"]
    if SCOPE[op] == "admin":
        assert error["type"] == "forbidden" and "'admin' scope" in error["message"]
    else:
        assert error["type"] == "namespace_forbidden"
        assert error["message"] == "this API key may not use namespace 'maria'"


@pytest.mark.parametrize("op", SECURED, ids=lambda op: f"{op[0]} {op[1]}")
@pytest.mark.parametrize("key", [MARIA_RO, MARIA_WO, MARIA_RW, ADMIN], ids=["ro", "wo", "rw", "admin"])
def test_scopes(api: Api, op: tuple[str, str], key: str) -> None:
    """Keys without the scope get 403 forbidden; keys with it get past auth (whatever the route says)."""
    scope = SCOPE[op]
    assert scope is not None
    response = _send(api, op, key, namespace="maria")
    if _allowed(key, scope):
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"] == {
            "type": "forbidden",
            "message": f"this API key lacks the {scope!r} scope",
        }


def test_x_api_key_header_and_bearer_both_work(api: Api) -> None:
    assert api.get("/v1/namespaces/maria/stats", key=None, headers={"X-API-Key": MARIA_RO}).status_code == 200
    assert api.get("/v1/namespaces/maria/stats", key=MARIA_RO).status_code == 200
    same = {"X-API-Key": MARIA_RO, "Authorization": f"Bearer {MARIA_RO}"}
    assert api.get("/v1/namespaces/maria/stats", key=None, headers=same).status_code == 200


def test_two_different_keys_in_one_request_are_refused(api: Api) -> None:
    response = api.get("/v1/namespaces/maria/stats", key=MARIA_RO, headers={"X-API-Key": ADMIN})
    assert response.status_code == 401
    assert "different keys" in response.json()["error"]["message"]


def test_shared_namespace_is_reachable_by_both_tenants(api: Api) -> None:
    for key in (MARIA_RW, BOB_RW):
        assert api.get("/v1/namespaces/shared/stats", key=key).status_code == 200
    assert api.get("/v1/namespaces/bob/stats", key=MARIA_RW).status_code == 403


def test_a_forbidden_write_changes_nothing(api: Api) -> None:
    before = api.get("/v1/namespaces/maria/stats", key=ADMIN).json()["counts"]
    response = api.post("/v1/namespaces/maria/episodes", key=BOB_RW, json={"content": "I live in Oslo."})
    assert response.status_code == 403
    response = api.post("/v1/namespaces/maria/episodes", key=MARIA_RO, json={"content": "I live in Oslo."})
    assert response.status_code == 403
    assert api.get("/v1/namespaces/maria/stats", key=ADMIN).json()["counts"] == before


def test_keys_never_reach_the_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bad_inline = "sekret-inline-key-42=maria:fly"
    with pytest.raises(InvalidInput) as info:
        parse_inline_keys(bad_inline)
    assert "sekret" not in str(info.value)
    gen = make_api(tmp_path)
    api = next(gen)
    try:
        for key in (ADMIN, MARIA_RW, "not-a-key-but-secret-too"):
            api.get("/v1/namespaces/maria/stats", key=key)
            api.post("/v1/namespaces/maria/search", key=key, json={"query": ""})
    finally:
        gen.close()
    text = caplog.text + repr(api.app.state.keyring)
    for secret in (ADMIN, MARIA_RW, MARIA_RO, MARIA_WO, BOB_RW, "not-a-key-but-secret-too"):
        assert secret not in text
    assert "API key(s) configured" in caplog.text


def test_open_mode_without_keys(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    memory = Memory(settings=Settings(path=tmp_path / "db", threads=1))
    try:
        with caplog.at_level(logging.WARNING), TestClient(create_app(memory, warm_up=False)) as client:
            health = client.get("/v1/health").json()
            assert health["auth"] == "disabled"
            assert client.get("/v1/namespaces/anyone/stats").status_code == 200
            assert client.post("/v1/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [{"one": 1}]
        assert "no API keys configured" in caplog.text
    finally:
        memory.close()


# --- the key ring --------------------------------------------------------------------------------


def test_inline_keys_parse_namespaces_scopes_and_base64_keys() -> None:
    specs = parse_inline_keys("abc/def+ghi==" + "=maria|a:b@c:read+write ; k2=*:admin;")
    assert [(s.key.get_secret_value() if s.key else None) for s in specs] == ["abc/def+ghi==", "k2"]
    assert specs[0].namespaces == ["maria", "a:b@c"] and specs[0].scopes == ["read", "write"]
    assert specs[1].namespaces == ["*"] and specs[1].scopes == ["admin"]
    ring = KeyRing(specs)
    principal = ring.authenticate("abc/def+ghi==")
    assert principal.sees("a:b@c") and not principal.sees("bob") and not principal.has_scope("admin")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("justakey", "entry 1: expected"),
        ("k=maria", "entry 1: expected"),
        ("=maria:read", "entry 1: expected"),
        ("k1=maria:read;k2=maria:delete", "entry 2: scopes.0"),
        ("k1=:read", "entry 1: namespaces"),
        ("k1=../etc:read", "invalid namespace"),
        ("k1=maria:read;k1=bob:write", "configured twice"),
    ],
)
def test_inline_key_errors_name_the_entry_not_the_key(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as info:
        KeyRing(parse_inline_keys(text))
    assert problem in str(info.value)
    assert "k1=" not in str(info.value) and "justakey" not in str(info.value)


def test_keys_file_yaml_json_and_sha256(tmp_path: Path) -> None:
    digest = hashlib.sha256(b"hashed-key-0001").hexdigest()
    yaml_file = tmp_path / "keys.yaml"
    yaml_file.write_text(
        "keys:\n"
        "  - name: app\n    key: plain-key-0001\n    namespaces: [maria]\n    scopes: [read]\n"
        f"  - name: ops\n    sha256: {digest}\n    namespaces: ['*']\n    scopes: [admin]\n"
    )
    json_file = tmp_path / "keys.json"
    entry = {"key": "json-key-0001", "namespaces": ["bob"], "scopes": ["write"]}
    json_file.write_text(json.dumps({"keys": [entry]}))
    settings = Settings(path=tmp_path / "db", api_keys_file=yaml_file, api_keys="inline-key-0001=x:read")
    ring = KeyRing.from_settings(settings)
    assert len(ring) == 3 and ring.enabled
    assert ring.authenticate("plain-key-0001").name == "app"
    assert ring.authenticate("hashed-key-0001").name == "ops"
    assert ring.authenticate("inline-key-0001").namespaces == frozenset({"x"})
    assert [s.namespaces for s in load_keys_file(json_file)] == [["bob"]]
    assert "plain-key-0001" not in repr(vars(ring)) and "plain-key-0001" not in repr(ring)


@pytest.mark.parametrize(
    "content, problem",
    [
        ("keys: [{key: k, namespaces: [m], scopes: [read], sha256: '" + "0" * 64 + "'}]", "exactly one"),
        ("keys: [{namespaces: [m], scopes: [read], sha256: " + "0" * 64 + "}]", "quoted string"),
        ("keys: [{namespaces: [m], scopes: [read]}]", "exactly one"),
        ("keys: [{key: k, namespaces: [], scopes: [read]}]", "namespaces"),
        ("keys: [{key: k, namespaces: [m], scopes: [root]}]", "scopes.0"),
        ("keys: [{key: k, namespaces: [m], scopes: [read], colour: red}]", "colour"),
        ("keys: [{sha256: nothex, namespaces: [m], scopes: [read]}]", "64 hexadecimal"),
        ("keys: [unclosed", "not valid JSON or YAML"),
    ],
)
def test_bad_keys_files_fail_at_startup(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(content)
    with pytest.raises(InvalidInput) as info:
        create_app(Memory(settings=Settings(path=tmp_path / "db", api_keys_file=path)))
    assert problem in str(info.value)


def test_missing_keys_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read the API keys file"):
        KeyRing.from_settings(Settings(path=tmp_path / "db", api_keys_file=tmp_path / "absent.yaml"))


@pytest.fixture
def compare_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[bytes, bytes]]]:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return bool(real(a, b))

    monkeypatch.setattr(hmac, "compare_digest", counting)
    yield calls


def test_every_key_is_compared_with_fixed_length_digests(compare_calls: list[tuple[bytes, bytes]]) -> None:
    ring = KeyRing(parse_inline_keys(KEYS))
    for presented in (ADMIN, BOB_RW, "short", "x" * 500):
        compare_calls.clear()
        with contextlib.suppress(Unauthenticated):
            ring.authenticate(presented)
        assert len(compare_calls) == len(ring) == KEYS.count(";") + 1  # no early exit, whichever matches
        assert {len(a) for a, _ in compare_calls} == {32}  # digests: the key's length does not leak
        assert all(presented.encode() not in a for a, _ in compare_calls)
