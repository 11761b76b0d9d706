"""The OpenAPI document: metadata, tags, examples, declared error codes, security, and the namespace
rule shown in the schema agreeing with the one the service layer enforces."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_support import Api

import graphmem
from graphmem.api.schemas import NAMESPACE_PATTERN
from graphmem.errors import InvalidInput
from graphmem.memory import validate_namespace


@pytest.fixture(scope="module")
def schema(api: Api) -> dict[str, Any]:
    response = api.client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m.upper(), p, op) for p, ops in schema["paths"].items() for m, op in ops.items()]


def test_metadata_and_tags(schema: dict[str, Any]) -> None:
    info = schema["info"]
    assert info["title"] == "graphmem" and info["version"] == graphmem.__version__
    assert "API keys" in info["description"] and "namespace" in info["description"]
    declared = {t["name"] for t in schema["tags"]}
    used = {tag for _, _, op in _operations(schema) for tag in op["tags"]}
    assert used <= declared and all(t["description"] for t in schema["tags"])


def test_every_path_is_versioned_and_documented(schema: dict[str, Any]) -> None:
    assert len(_operations(schema)) == 19
    for method, path, op in _operations(schema):
        assert path.startswith("/v1/"), path
        assert op.get("summary") and op.get("description"), (method, path)
        assert op.get("tags"), (method, path)


def test_every_secured_operation_declares_its_error_codes(schema: dict[str, Any]) -> None:
    for method, path, op in _operations(schema):
        codes = set(op["responses"])
        if path == "/v1/health":
            assert "security" not in op and codes == {"200"}
            continue
        if path == "/v1/me":  # any valid key; it reads no namespace and no store
            assert codes == {"200", "401"} and op["security"] == [{"BearerKey": []}, {"ApiKeyHeader": []}]
            continue
        assert {"401", "403", "503"} <= codes, (method, path)
        assert op["security"] == [{"BearerKey": []}, {"ApiKeyHeader": []}]
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in codes, (method, path)
        if method == "POST":
            assert "413" in codes, (method, path)
        for code, response in op["responses"].items():
            if code.startswith(("4", "5")):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorResponse", (method, path, code)


def test_request_bodies_carry_examples(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    for name in ("EpisodeIn", "BatchIn", "SearchIn", "ExplainIn", "CypherIn", "ErrorResponse"):
        assert components[name].get("examples"), name
    assert components["EpisodeIn"]["examples"][0]["content"] == "I moved to Lisbon last month."
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerKey"]["scheme"] == "bearer" and schemes["ApiKeyHeader"]["name"] == "X-API-Key"


def test_paginated_list_has_the_envelope(schema: dict[str, Any]) -> None:
    page = schema["components"]["schemas"]["FactPage"]
    assert set(page["properties"]) == {"data", "count", "next"}


@pytest.mark.parametrize(
    "namespace",
    [
        "maria",
        "Maria_2",
        "a",
        "team.a:agent@x-1",
        "x" * 128,
        "x" * 129,
        "",
        "-dash",
        "_under",
        "has space",
        "slash/no",
        "ümlaut",
        "tab\t",
        "dot.",
        "9lives",
        "a" + "é",
    ],
)
def test_namespace_pattern_matches_the_service_layer(namespace: str) -> None:
    try:
        validate_namespace(namespace)
        accepted = True
    except InvalidInput:
        accepted = False
    assert bool(re.match(NAMESPACE_PATTERN, namespace)) is accepted


def test_docs_are_served(api: Api) -> None:
    assert api.client.get("/docs").status_code == 200
    assert api.client.get("/redoc").status_code == 200
