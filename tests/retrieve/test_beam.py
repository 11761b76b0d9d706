"""Bidirectional beam search on the hand-made graph, whose correct paths are worked out by hand."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from graphmem.errors import InvalidInput
from graphmem.model import Subgraph
from graphmem.retrieve.beam import Path, Step, beam_paths, relation_edges

NAMES = {
    "maria": "Maria",
    "anna": "Anna",
    "tom": "Tom",
    "siemens": "Siemens",
    "porto": "Porto",
    "bob": "Bob",
    "paris": "Paris",
    "lisbon": "Lisbon",
}


def texts(paths: list[Path]) -> list[str]:
    return [p.render(NAMES) for p in paths]


def test_two_hop_question_from_the_subject_side(graph: Subgraph) -> None:
    # "Where does Maria's sister live?" -- Maria -> sister -> Anna -> lives_in -> Porto
    paths = list(beam_paths(graph, ["maria"], depth=2, beam_width=20))
    assert "Maria -sister-> Anna -lives_in-> Porto" in texts(paths)
    two_hop = [p for p in paths if len(p) == 2]
    assert all(p.kind == "outward" for p in paths)
    # shortest first
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)
    assert two_hop


def test_meet_in_the_middle_between_two_named_entities(graph: Subgraph) -> None:
    paths = list(beam_paths(graph, ["maria"], targets=["tom"], depth=2))
    assert texts(paths) == ["Maria -sister-> Anna -husband-> Tom"]
    assert paths[0].kind == "meet"
    assert paths[0].fact_ids == ("f_sister", "f_husband")


def test_meet_from_the_object_side_walks_edges_backwards(graph: Subgraph) -> None:
    # "Who in Porto is Maria's sister?" asked from Porto: every step is walked against its direction
    paths = list(beam_paths(graph, ["porto"], targets=["maria"], depth=2))
    assert texts(paths) == ["Porto <-lives_in- Anna <-sister- Maria"]
    assert [s.forward for s in paths[0].steps] == [False, False]


def test_three_hops_needs_depth_three(graph: Subgraph) -> None:
    assert list(beam_paths(graph, ["maria"], targets=["siemens"], depth=2)) == []
    paths = list(beam_paths(graph, ["maria"], targets=["siemens"], depth=3))
    assert texts(paths) == ["Maria -sister-> Anna -husband-> Tom -works_at-> Siemens"]


def test_a_zero_weight_fact_cannot_be_walked(graph: Subgraph) -> None:
    weights = {"f_husband": 0.0}
    assert list(beam_paths(graph, ["maria"], targets=["tom"], fact_weights=weights, depth=3)) == []


def test_path_score_is_the_product_of_step_weights(graph: Subgraph) -> None:
    weights = {"f_sister": 0.5, "f_husband": 0.4}
    (path,) = beam_paths(graph, ["maria"], targets=["tom"], fact_weights=weights, depth=2)
    assert path.score == pytest.approx(0.2)


def test_narrow_beam_keeps_the_best_weighted_branch(graph: Subgraph) -> None:
    weights = {"f_anna_porto": 0.9, "f_husband": 0.2, "f_sister": 1.0, "f_paris": 0.1, "f_lisbon": 0.3}
    paths = list(beam_paths(graph, ["maria"], fact_weights=weights, depth=2, beam_width=1))
    assert texts(paths) == ["Maria -sister-> Anna", "Maria -sister-> Anna -lives_in-> Porto"]


def test_max_paths_and_laziness(graph: Subgraph) -> None:
    generator = beam_paths(graph, ["maria"], depth=3, beam_width=50, max_paths=2)
    first = next(generator)
    assert len(first) == 1
    assert len([first, *generator]) == 2


def test_literal_facts_are_not_relations(graph: Subgraph) -> None:
    adjacency = relation_edges(graph)
    assert all(step.fact_id != "f_age" for steps in adjacency.values() for step in steps)
    assert {s.fact_id for s in adjacency["porto"]} == {"f_anna_porto", "f_bob_porto"}
    assert all(not s.forward for s in adjacency["porto"])


def test_bad_arguments_raise(graph: Subgraph) -> None:
    with pytest.raises(InvalidInput):
        list(beam_paths(graph, ["maria"], depth=0))
    with pytest.raises(InvalidInput):
        list(beam_paths(graph, ["maria"], beam_width=0))


def test_path_reverse_and_render() -> None:
    path = Path("a", (Step("f1", "a", "b", "knows", True), Step("f2", "b", "c", "likes", False)))
    back = path.reversed()
    assert back.nodes == ("c", "b", "a")
    assert back.render({}) == "c -likes-> b <-knows- a"
    assert back.reversed().steps == path.steps


def test_meet_mode_finds_exactly_the_simple_paths_a_brute_force_finds(graph: Subgraph) -> None:
    """With a beam wide enough to keep everything, meet-in-the-middle must equal exhaustive search."""
    multi = nx.MultiGraph()
    for fact in graph.facts.values():
        if fact.object_id:
            multi.add_edge(fact.subject_id, fact.object_id, key=fact.id)
    entities = sorted(multi.nodes)
    for source, target in itertools.permutations(entities, 2):
        for depth in (1, 2, 3):
            expected = set()
            for edge_path in nx.all_simple_edge_paths(multi, source, target, cutoff=depth):
                expected.add(tuple(key for _, _, key in edge_path))
            found = {
                p.fact_ids
                for p in beam_paths(
                    graph, [source], targets=[target], depth=depth, beam_width=1000, max_paths=1000
                )
            }
            assert found == expected, (source, target, depth)
