"""Entities and the graph endpoint through the API: lookup by name or id, neighbourhoods with depth,
direction and as-of, and nodes/edges that form a consistent graph."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import BOB_RW, MARIA_RO, Api

NS = "/v1/namespaces/maria"


@pytest.fixture(scope="module", autouse=True)
def seeded(api: Api) -> dict[str, Any]:
    return api.seed("maria")


def _edges(graph: dict[str, Any]) -> set[tuple[str, str, str]]:
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    return {(labels[e["source"]], e["type"], labels[e["target"]]) for e in graph["edges"]}


def _consistent(graph: dict[str, Any]) -> None:
    ids = [n["id"] for n in graph["nodes"]]
    assert len(ids) == len(set(ids))
    for edge in graph["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        assert edge["properties"]["fact_id"] and edge["properties"]["status"]


def test_entity_by_name_any_spelling_and_by_id(api: Api) -> None:
    response = api.get(f"{NS}/entities/Anna", key=MARIA_RO)
    assert response.status_code == 200, response.text
    anna = response.json()
    assert anna["name"] == "Anna" and anna["type"] == "person"
    assert {(f["predicate"], f["object"]) for f in anna["facts"]} == {
        ("lives_in", "Porto"),
        ("works_at", "University of Porto"),
        ("likes", "tea"),
    }
    assert api.get(f"{NS}/entities/ANNA", key=MARIA_RO).json()["id"] == anna["id"]
    assert api.get(f"{NS}/entities/{anna['id']}", key=MARIA_RO).json()["name"] == "Anna"
    multiword = api.get(f"{NS}/entities/university%20of%20porto", key=MARIA_RO).json()
    assert multiword["name"] == "University of Porto"


def test_unknown_entity_is_404(api: Api) -> None:
    for path in ("entities/Zed", "entities/Zed/neighbors"):
        response = api.get(f"{NS}/{path}", key=MARIA_RO)
        assert response.status_code == 404
        message = "no entity 'Zed' in namespace 'maria'"
        assert response.json()["error"] == {"type": "not_found", "message": message}
    assert api.get(f"{NS}/graph", key=MARIA_RO, params={"entity": "Zed"}).status_code == 404


def test_entities_are_scoped_to_the_namespace(api: Api) -> None:
    assert api.get("/v1/namespaces/bob/entities/Anna", key=BOB_RW).status_code == 404


ANNA = {("Anna", "lives_in", "Porto"), ("Anna", "works_at", "University of Porto"), ("Anna", "likes", "tea")}


def test_neighbors_depth_and_direction(api: Api) -> None:
    """Depth counts hops from the entity; direction says which way facts are followed."""
    one = api.get(f"{NS}/entities/Anna/neighbors", key=MARIA_RO).json()
    _consistent(one)
    assert _edges(one) == ANNA | {("Maria", "sister", "Anna")}
    out = api.get(f"{NS}/entities/Anna/neighbors", key=MARIA_RO, params={"direction": "out"}).json()
    _consistent(out)
    assert _edges(out) == ANNA  # Maria points at Anna, so she is not reached going out
    inward = api.get(f"{NS}/entities/Anna/neighbors", key=MARIA_RO, params={"direction": "in"}).json()
    assert _edges(inward) == {("Maria", "sister", "Anna")}
    two = api.get(f"{NS}/entities/Anna/neighbors", key=MARIA_RO, params={"depth": 2}).json()
    _consistent(two)
    assert _edges(one) <= _edges(two) and ("Maria", "friend_of", "Tom") in _edges(two)
    three = api.get(f"{NS}/entities/Anna/neighbors", key=MARIA_RO, params={"depth": 3}).json()
    _consistent(three)
    assert _edges(two) <= _edges(three) and ("Tom", "works_at", "Google") in _edges(three)
    small = api.get(f"{NS}/entities/Anna/neighbors", key=MARIA_RO, params={"direction": "out", "limit": 1})
    assert small.status_code == 200
    _consistent(small.json())
    assert len(_edges(small.json())) == 1 and _edges(small.json()) <= ANNA


def test_graph_endpoint_matches_neighbors_and_honours_as_of(api: Api) -> None:
    graph = api.get(f"{NS}/graph", key=MARIA_RO, params={"entity": "Maria", "depth": 1}).json()
    _consistent(graph)
    assert graph == api.get(f"{NS}/entities/Maria/neighbors", key=MARIA_RO).json()
    assert ("Maria", "lives_in", "Lisbon") in _edges(graph)
    assert ("Maria", "lives_in", "Paris") not in _edges(graph)
    kinds = {n["kind"] for n in graph["nodes"]}
    assert kinds == {"Entity"}
    past = api.get(
        f"{NS}/graph", key=MARIA_RO, params={"entity": "Maria", "as_of": "2023-06-01T00:00:00Z"}
    ).json()
    _consistent(past)
    assert ("Maria", "lives_in", "Paris") in _edges(past)
    assert ("Maria", "lives_in", "Lisbon") not in _edges(past)
