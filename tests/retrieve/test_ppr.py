"""Personalised PageRank: the scipy version against the dict reference and against networkx."""

from __future__ import annotations

import networkx as nx
import pytest

from graphmem.errors import InvalidInput
from graphmem.model import Subgraph
from graphmem.retrieve.ppr import PPRNotConverged, _ppr_reference, graph_edges, personalized_pagerank

SEED_CASES = [
    {"maria": 1.0},
    {"maria": 1.0, "porto": 1.0},
    {"f_works": 2.0, "anna": 0.5},
    {"e_multi": 1.0},
]


@pytest.mark.parametrize("alg", [personalized_pagerank, _ppr_reference])
@pytest.mark.parametrize("seeds", SEED_CASES)
@pytest.mark.parametrize("damping", [0.5, 0.85])
def test_matches_networkx_pagerank(graph: Subgraph, alg, seeds, damping) -> None:  # type: ignore[no-untyped-def]
    weights = {"f_paris": 0.0, "f_works": 0.3, "f_sister": 0.9}
    ours = alg(graph, seeds, damping=damping, fact_weights=weights)
    reference = nx.Graph()
    reference.add_nodes_from(ours)
    for (a, b), w in graph_edges(graph, fact_weights=weights).items():
        reference.add_edge(a, b, weight=w)
    total = sum(seeds.values())
    expected = nx.pagerank(
        reference,
        alpha=damping,
        personalization={k: v / total for k, v in seeds.items()},
        weight="weight",
        tol=1e-12,
        max_iter=1000,
    )
    assert set(ours) == set(expected)
    for node, value in expected.items():
        assert ours[node] == pytest.approx(value, abs=1e-8), node


def test_scipy_and_reference_agree_with_default_weights(graph: Subgraph) -> None:
    fast = personalized_pagerank(graph, {"anna": 1.0})
    slow = _ppr_reference(graph, {"anna": 1.0})
    assert fast == pytest.approx(slow, abs=1e-9)


def test_hand_computed_chain() -> None:
    # a - f - b, seed a, damping 0.5: x_a = 7/12, x_f = 1/3, x_b = 1/12 (solved by hand)
    from graphmem.model import Fact

    f = Fact(id="f", namespace="n", subject_id="a", predicate="knows", object_id="b", text="a knows b")
    scores = personalized_pagerank(Subgraph(facts={"f": f}), {"a": 1.0}, damping=0.5)
    assert scores == pytest.approx({"a": 7 / 12, "f": 1 / 3, "b": 1 / 12}, abs=1e-9)


def test_scores_sum_to_one_and_the_seed_ranks_first(graph: Subgraph) -> None:
    scores = personalized_pagerank(graph, {"maria": 1.0})
    assert sum(scores.values()) == pytest.approx(1.0)
    assert max(scores, key=scores.__getitem__) == "maria"
    # two hops away through Anna beats the unconnected Bob side
    assert scores["porto"] > scores["bob"]


def test_a_cut_fact_passes_no_mass(graph: Subgraph) -> None:
    scores = personalized_pagerank(graph, {"maria": 1.0}, fact_weights={"f_paris": 0.0})
    assert scores["paris"] == 0.0
    assert scores["lisbon"] > 0.0


def test_relevance_weights_steer_the_walk(graph: Subgraph) -> None:
    towards_porto = personalized_pagerank(
        graph, {"anna": 1.0}, fact_weights={"f_anna_porto": 1.0, "f_husband": 0.1}
    )
    towards_tom = personalized_pagerank(
        graph, {"anna": 1.0}, fact_weights={"f_anna_porto": 0.1, "f_husband": 1.0}
    )
    assert towards_porto["porto"] > towards_tom["porto"]
    assert towards_tom["tom"] > towards_porto["tom"]


def test_episodes_can_be_left_out(graph: Subgraph) -> None:
    with_eps = personalized_pagerank(graph, {"maria": 1.0})
    assert "e_multi" in with_eps
    without = personalized_pagerank(
        Subgraph(entities=graph.entities, facts=graph.facts, evidence=graph.evidence),
        {"maria": 1.0},
        include_episodes=False,
    )
    assert "e_multi" not in without


@pytest.mark.parametrize(
    ("seeds", "kwargs"),
    [
        ({}, {}),
        ({"nobody": 1.0}, {}),
        ({"maria": -1.0}, {}),
        ({"maria": 0.0}, {}),
        ({"maria": 1.0}, {"damping": 1.0}),
    ],
)
def test_bad_input_raises(graph: Subgraph, seeds, kwargs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        personalized_pagerank(graph, seeds, **kwargs)


def test_non_convergence_is_an_error_not_silent(graph: Subgraph) -> None:
    with pytest.raises(PPRNotConverged):
        personalized_pagerank(graph, {"maria": 1.0}, damping=0.9, max_iter=2, tol=1e-15)
