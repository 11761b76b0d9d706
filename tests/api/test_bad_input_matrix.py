"""One table of bad inputs, sent through the SDK (``Memory``) and through REST alike.

Each case must end in ``InvalidInput`` with a message (SDK) and a 4xx JSON error (REST), and nothing may
be stored: the namespace's counts are the same before and after the whole table. A case names the
operation and its arguments once; the REST form is derived from the same arguments. Cases that one
surface cannot express (a Python list where JSON has objects, an epoch number the SDK accepts on
purpose) say which surface they are for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_support import ADMIN, Api, make_api

from graphmem.errors import InvalidInput
from graphmem.limits import MAX_METADATA_BYTES, MAX_METADATA_DEPTH, MAX_QUERY_CHARS

NS = "matrix"


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"k": value}
    return value


@dataclass(frozen=True)
class Case:
    name: str
    op: str  # add | search | explain | cypher
    args: dict[str, Any]
    fragment: str
    rest_fragment: str | None = None  # when the REST layer words it differently (pydantic)
    surfaces: tuple[str, ...] = ("sdk", "rest")
    extra: dict[str, Any] = field(default_factory=dict)


LONE = "\ud800"
TEA = "I like tea."
NOT_UNICODE = "valid string, unable to parse raw data as a unicode string"
"""pydantic's words for a lone surrogate in a typed REST field (the SDK says 'lone surrogate')."""
CASES = [
    Case("metadata 300 deep", "add", {"content": TEA, "metadata": _nested(300)}, "deeper than"),
    Case(
        "metadata 3000 deep",
        "add",
        {"content": TEA, "metadata": _nested(3000)},
        "deeper than",
        rest_fragment="deep",
    ),
    Case(
        "metadata just too deep",
        "add",
        {"content": TEA, "metadata": _nested(MAX_METADATA_DEPTH + 1)},
        "deeper than",
    ),
    Case(
        "metadata too large",
        "add",
        {"content": TEA, "metadata": {"x": "y" * MAX_METADATA_BYTES}},
        "larger than",
    ),
    Case(
        "metadata wide",
        "add",
        {"content": TEA, "metadata": {f"k{i}": i for i in range(20_000)}},
        "larger than",
    ),
    Case("metadata key lone surrogate", "add", {"content": TEA, "metadata": {LONE: 1}}, "lone surrogate"),
    Case(
        "metadata value lone surrogate", "add", {"content": TEA, "metadata": {"a": [LONE]}}, "lone surrogate"
    ),
    Case("metadata NaN", "add", {"content": TEA, "metadata": {"a": float("nan")}}, "NaN"),
    Case("metadata infinity", "add", {"content": TEA, "metadata": {"a": [float("inf")]}}, "NaN"),
    Case("metadata huge int", "add", {"content": TEA, "metadata": {"a": 1 << 80}}, "64-bit"),
    Case(
        "metadata as a list",
        "add",
        {"content": TEA, "metadata": [["a", 1]]},
        "must be an object",
        rest_fragment="metadata",
    ),
    Case("metadata set", "add", {"content": TEA, "metadata": {"a": {1, 2}}}, "type (set)", surfaces=("sdk",)),
    Case(
        "content lone surrogate",
        "add",
        {"content": f"I like {LONE} tea."},
        "lone surrogate",
        rest_fragment=NOT_UNICODE,
    ),
    Case(
        "speaker lone surrogate",
        "add",
        {"content": TEA, "speaker": f"Ma{LONE}"},
        "lone surrogate",
        rest_fragment=NOT_UNICODE,
    ),
    Case(
        "session lone surrogate",
        "add",
        {"content": TEA, "session": f"s{LONE}"},
        "lone surrogate",
        rest_fragment=NOT_UNICODE,
    ),
    Case(
        "id lone surrogate",
        "add",
        {"content": TEA, "id": f"e{LONE}"},
        "lone surrogate",
        rest_fragment=NOT_UNICODE,
    ),
    Case(
        "timestamp before year 1 in UTC",
        "add",
        {"content": TEA, "timestamp": "0001-01-01T00:00:00+05:00"},
        "out of range",
    ),
    Case(
        "timestamp after 9999 in UTC",
        "add",
        {"content": TEA, "timestamp": "9999-12-31T23:59:59-05:00"},
        "out of range",
    ),
    Case(
        "timestamp not a time",
        "add",
        {"content": TEA, "timestamp": "yesterday-ish"},
        "timestamp",
        rest_fragment="timestamp",
    ),
    Case(
        "timestamp as epoch number",
        "add",
        {"content": TEA, "timestamp": 1_700_000_000},
        "",
        rest_fragment="ISO 8601",
        surfaces=("rest",),
    ),
    Case("content empty", "add", {"content": "   "}, "empty"),
    Case("content too long", "add", {"content": "tea " * 6000}, "characters"),
    Case(
        "query lone surrogate",
        "search",
        {"query": f"where {LONE}"},
        "lone surrogate",
        rest_fragment=NOT_UNICODE,
    ),
    Case(
        "query too long",
        "search",
        {"query": "x" * (MAX_QUERY_CHARS + 1)},
        "longer than",
        rest_fragment="at most",
    ),
    Case(
        "explain lone surrogate",
        "explain",
        {"query": f"who {LONE}"},
        "lone surrogate",
        rest_fragment=NOT_UNICODE,
    ),
    Case(
        "as_of out of range",
        "search",
        {"query": "where?", "as_of": "0001-01-01T00:00:00+05:00"},
        "out of range",
        rest_fragment="out of range",
    ),
    Case(
        "as_of as epoch number",
        "search",
        {"query": "where?", "as_of": 1_700_000_000},
        "",
        rest_fragment="ISO 8601",
        surfaces=("rest",),
    ),
    Case("cypher NaN", "cypher", {"query": "RETURN $x AS x", "params": {"x": float("nan")}}, "NaN"),
    Case(
        "cypher null list",
        "cypher",
        {"query": "MATCH (e:Entity) WHERE e.name IN $xs RETURN e", "params": {"xs": None}},
        "null",
    ),
    Case(
        "cypher params not a map",
        "cypher",
        {"query": "RETURN 1", "params": [1]},
        "mapping",
        rest_fragment="params",
    ),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(tmp_path_factory.mktemp("matrix"), api_max_body_bytes=4_000_000)


def _counts(api: Api) -> dict[str, int]:
    counts: dict[str, int] = api.get(f"/v1/namespaces/{NS}/stats", key=ADMIN).json()["counts"]
    return counts


def _sdk(api: Api, case: Case) -> None:
    memory, args = api.memory, dict(case.args)
    if case.op == "add":
        memory.add(args.pop("content"), namespace=NS, **args)
    elif case.op == "search":
        memory.search(args.pop("query"), namespace=NS, **args)
    elif case.op == "explain":
        memory.explain(args.pop("query"), namespace=NS, **args)
    else:
        memory.cypher(args["query"], args.get("params"))


def _depth(value: Any) -> int:
    depth = 1
    while isinstance(value, dict) and "k" in value:
        value, depth = value["k"], depth + 1
    return depth


def _rest(api: Api, case: Case) -> Any:
    path = {
        "add": f"/v1/namespaces/{NS}/episodes",
        "search": f"/v1/namespaces/{NS}/search",
        "explain": f"/v1/namespaces/{NS}/explain",
        "cypher": "/v1/cypher",
    }[case.op]
    try:
        body = json.dumps(case.args)  # NaN / Infinity as literals, lone surrogates as \\ud800 escapes
    except RecursionError:  # deeper than json.dumps goes: write the nesting out by hand
        depth = _depth(case.args["metadata"])
        body = json.dumps({k: v for k, v in case.args.items() if k != "metadata"})[:-1]
        body += ', "metadata": ' + '{"k": ' * (depth - 1) + '{"leaf": 1}' + "}" * (depth - 1) + "}"
    return api.post(path, key=ADMIN, content=body, headers={"content-type": "application/json"})


@pytest.mark.parametrize("case", [c for c in CASES if "sdk" in c.surfaces], ids=lambda c: c.name)
def test_sdk_refuses_with_invalid_input(api: Api, case: Case) -> None:
    before = _counts(api)
    with pytest.raises(InvalidInput) as refused:
        _sdk(api, case)
    assert case.fragment in str(refused.value), str(refused.value)
    assert _counts(api) == before


@pytest.mark.parametrize("case", [c for c in CASES if "rest" in c.surfaces], ids=lambda c: c.name)
def test_rest_refuses_with_a_clear_4xx(api: Api, case: Case) -> None:
    before = _counts(api)
    response = _rest(api, case)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    error = response.json()["error"]
    assert (case.rest_fragment or case.fragment) in error["message"], error
    assert _counts(api) == before


def test_table_is_shared_and_broad() -> None:
    both = [c for c in CASES if set(c.surfaces) == {"sdk", "rest"}]
    assert len(both) >= 20 and len({c.op for c in both}) == 4


def test_search_still_serves_after_the_table(api: Api) -> None:
    """Nothing stored by the table breaks reads: a normal write and search work."""
    api.memory.add("I like green tea.", namespace=NS, speaker="Maria", metadata={"a": {"b": [1, 2.5, None]}})
    response = api.post(f"/v1/namespaces/{NS}/search", key=ADMIN, json={"query": "What does Maria like?"})
    assert response.status_code == 200, response.text
