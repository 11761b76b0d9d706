"""AriGraph episode scores and session-neighbour smoothing, against values computed by hand."""

from __future__ import annotations

import math

import pytest

from graphmem.errors import InvalidInput
from graphmem.model import Subgraph
from graphmem.retrieve.episodes import episode_scores, neighbour_smoothing


def test_share_of_retrieved_facts_weighted_by_log_of_fact_count(graph: Subgraph) -> None:
    # retrieve both facts of e_multi fully, and f_sister at half relevance
    relevance = {"f_husband": 1.0, "f_works": 1.0, "f_sister": 0.5}
    scores = episode_scores(graph.evidence, relevance, graph.episode_fact_counts)
    assert scores["e_multi"] == pytest.approx(1.0 * math.log(3))
    assert scores["e_f_husband"] == pytest.approx(math.log(2))
    assert scores["e_f_sister"] == pytest.approx(0.5 * math.log(2))
    assert next(iter(scores)) == "e_multi"
    assert "e_f_age" not in scores


def test_partly_retrieved_episode_scores_its_share() -> None:
    scores = episode_scores({"f1": ["e"]}, {"f1": 1.0}, {"e": 4})
    assert scores["e"] == pytest.approx(0.25 * math.log(5))


def test_missing_counts_fall_back_to_what_was_seen() -> None:
    scores = episode_scores({"f1": ["e"], "f2": ["e"]}, {"f1": 1.0, "f2": 1.0}, {})
    assert scores["e"] == pytest.approx(math.log(3))


def test_relevance_out_of_range_is_refused() -> None:
    with pytest.raises(InvalidInput):
        episode_scores({"f": ["e"]}, {"f": 1.5}, {"e": 1})


def test_neighbour_smoothing_lends_to_the_next_turn() -> None:
    scores = {"q": 1.0, "x": 0.2}
    neighbours = {"q": ["a", "p"], "a": ["q", "b"], "x": ["a"]}
    out = neighbour_smoothing(scores, neighbours, alpha=0.5)
    assert out["a"] == pytest.approx(0.5)  # borrowed from q, not from x
    assert out["q"] == pytest.approx(1.0)  # its neighbours score nothing
    assert out["x"] == pytest.approx(0.2)
    assert "b" not in out
    with pytest.raises(InvalidInput):
        neighbour_smoothing(scores, neighbours, alpha=2.0)
