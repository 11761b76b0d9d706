"""Errors: one JSON envelope and the right status for every failure, body size limits (413), and 503
when the store is closed; never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import ADMIN, MARIA_RW, MAX_BODY, Api, make_api
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from graphmem.api.errors import USER_CYPHER_FLAG, Forbidden, Unauthenticated, install_handlers
from graphmem.errors import (
    ClosedError,
    GraphmemError,
    InvalidInput,
    NamespaceForbidden,
    NotFound,
    QueryError,
    ReadOnlyViolation,
    SchemaMismatch,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)

SECRET_INPUT = "do-not-echo-this-value"


@pytest.mark.parametrize(
    "exc, status, kind, shown",
    [
        (Unauthenticated("no key"), 401, "unauthenticated", True),
        (Forbidden("no scope"), 403, "forbidden", True),
        (NamespaceForbidden("not yours"), 403, "namespace_forbidden", True),
        (ReadOnlyViolation("writes"), 403, "read_only_violation", True),
        (NotFound("no such thing"), 404, "not_found", True),
        (WriteConflict("busy"), 409, "write_conflict", True),
        (InvalidInput("bad value"), 422, "invalid_input", True),
        (ClosedError("closed"), 503, "unavailable", True),
        (StoreUnavailable("locked"), 503, "unavailable", True),
        (SchemaMismatch("dimension 8 != 384"), 503, "schema_mismatch", True),
        (QueryError("internal query broke at /srv/x"), 500, "store_error", False),
        (StoreError("disk on fire at /srv/x"), 500, "store_error", False),
        (GraphmemError("bug at /srv/x"), 500, "internal_error", False),
        (RuntimeError("plain bug at /srv/x"), 500, "internal_error", False),
    ],
)
def test_error_table(exc: Exception, status: int, kind: str, shown: bool) -> None:
    """Every library error maps to one status and type; server faults hide their message."""
    app = FastAPI()
    install_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise exc

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == status
    body = response.json()
    assert body["error"]["type"] == kind
    assert (body["error"]["message"] == str(exc)) is shown
    assert "Traceback" not in response.text and "/srv/x" not in response.text
    assert ("www-authenticate" in response.headers) is (status == 401)


@pytest.mark.parametrize(
    "exc",
    [
        QueryError("Parser exception: Invalid input <MATCH (n RETURN>"),
        StoreError("Runtime exception: Cannot convert Python object"),
    ],
)
def test_database_errors_are_the_callers_only_on_the_cypher_route(exc: Exception) -> None:
    app = FastAPI()
    install_handlers(app)

    @app.get("/cypher")
    def cypher(request: Request) -> None:
        setattr(request.state, USER_CYPHER_FLAG, True)
        raise exc

    with TestClient(app) as client:
        response = client.get("/cypher")
    assert response.status_code == 400
    assert response.json()["error"] == {"type": "query_error", "message": str(exc)}


def test_unknown_route_and_method(api: Api) -> None:
    response = api.get("/v1/nowhere")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "type": "not_found",
        "message": "no route GET /v1/nowhere; see /docs for the API",
    }
    response = api.call("PUT", "/v1/namespaces/maria/facts")
    assert response.status_code == 405
    assert response.json()["error"]["type"] == "method_not_allowed"
    assert response.headers["allow"] == "GET, OPTIONS"
    both = api.call("PUT", "/v1/namespaces/maria/search")  # GET and POST are two routes: Allow has both
    assert both.status_code == 405 and both.headers["allow"] == "GET, OPTIONS, POST"
    options = api.call("OPTIONS", "/v1/namespaces/maria/episodes")
    assert options.status_code == 204 and options.headers["allow"] == "OPTIONS, POST"


def test_validation_errors_list_fields_without_echoing_input(api: Api) -> None:
    response = api.post("/v1/namespaces/maria/search", json={"query": "", "k": 0, "colour": SECRET_INPUT})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "invalid_input"
    assert error["message"] == "body.query: String should have at least 1 character (and 2 more problems)"
    locations = {tuple(d["loc"]) for d in error["detail"]}
    assert locations == {("body", "query"), ("body", "k"), ("body", "colour")}
    assert all(set(d) == {"loc", "msg", "type"} for d in error["detail"])
    assert SECRET_INPUT not in response.text


@pytest.mark.parametrize(
    "path, params, loc",
    [
        ("/v1/namespaces/maria/facts", {"limit": 0}, ["query", "limit"]),
        ("/v1/namespaces/maria/facts", {"limit": 501}, ["query", "limit"]),
        ("/v1/namespaces/maria/facts", {"skip": -1}, ["query", "skip"]),
        ("/v1/namespaces/maria/facts", {"as_of": "not a time"}, ["query", "as_of"]),
        ("/v1/namespaces/maria/facts", {"include_history": "perhaps"}, ["query", "include_history"]),
        ("/v1/namespaces/maria/graph", {}, ["query", "entity"]),
        ("/v1/namespaces/maria/graph", {"entity": "Maria", "depth": 4}, ["query", "depth"]),
        ("/v1/namespaces/maria/graph", {"entity": "Maria", "direction": "up"}, ["query", "direction"]),
        ("/v1/namespaces/maria/search", {}, ["query", "q"]),
        ("/v1/namespaces/maria/search", {"q": "x", "k": 201}, ["query", "k"]),
        ("/v1/namespaces/bad%20name/facts", {}, ["path", "namespace"]),
        ("/v1/namespaces/-leading-dash/facts", {}, ["path", "namespace"]),
        ("/v1/namespaces/maria%0A/facts", {}, ["path", "namespace"]),
    ],
)
def test_bad_query_and_path_parameters_are_422(
    api: Api, path: str, params: dict[str, object], loc: list[str]
) -> None:
    response = api.get(path, key=ADMIN, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["detail"][0]["loc"] == loc


def test_malformed_json_is_422(api: Api) -> None:
    response = api.post(
        "/v1/namespaces/maria/search",
        content=b'{"query": ',
        key=MARIA_RW,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["type"] == "json_invalid"


def test_body_that_is_not_utf8_is_400(api: Api) -> None:
    response = api.post(
        "/v1/namespaces/maria/episodes",
        content=b'{"content": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "bad_request",
        "message": "the request body could not be parsed: send UTF-8 encoded JSON",
    }


def test_body_over_the_limit_is_413_by_content_length(api: Api) -> None:
    payload = {"query": "x" * MAX_BODY}
    response = api.post("/v1/namespaces/maria/search", json=payload)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["type"] == "payload_too_large"
    assert f"limit of {MAX_BODY} bytes" in error["message"]


def test_body_over_the_limit_is_413_when_streamed_without_length(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "'
        for _ in range(MAX_BODY // 1000 + 1):
            yield b"y" * 1000
        yield b'"}'

    response = api.post(
        "/v1/namespaces/maria/search", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "payload_too_large"


def test_body_under_the_limit_streamed_in_chunks_is_read_whole(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": '
        yield b'"", "k": 3}'

    response = api.post(
        "/v1/namespaces/maria/search", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422  # parsed: the empty query is what is wrong
    assert response.json()["error"]["detail"][0]["loc"] == ["body", "query"]


def test_a_refused_body_reaches_no_route(api: Api) -> None:
    before = api.get("/v1/namespaces/maria/stats", key=ADMIN).json()["counts"]
    big = {"items": [{"content": "I live in Rome. " * 200}] * 30}
    response = api.post("/v1/namespaces/maria/episodes/batch", key=ADMIN, json=big)
    assert response.status_code == 413
    assert api.get("/v1/namespaces/maria/stats", key=ADMIN).json()["counts"] == before


def test_closed_store_is_503(tmp_path: Path) -> None:
    gen = make_api(tmp_path)
    api = next(gen)
    try:
        api.memory.close()
        for method, path, body in [
            ("GET", "/v1/namespaces/maria/stats", None),
            ("GET", "/v1/namespaces/maria/facts", None),
            ("POST", "/v1/namespaces/maria/search", {"query": "where?"}),
            ("POST", "/v1/namespaces/maria/episodes", {"content": "I live in Rome."}),
            ("POST", "/v1/cypher", {"query": "RETURN 1"}),
        ]:
            response = api.call(method, path, key=ADMIN, json=body)
            assert response.status_code == 503, (path, response.text)
            error = response.json()["error"]
            assert error["type"] == "unavailable" and "has been closed" in error["message"]
        assert api.get("/v1/health", key=None).status_code == 200
    finally:
        gen.close()
