"""Ranking rules on hand-made records: relevance, validity, slots with history, paths, diversity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graphmem.model import Episode, FactStatus, Modality, Subgraph
from graphmem.retrieve.analysis import RelationCue
from graphmem.retrieve.beam import beam_paths
from graphmem.retrieve.rank import (
    collapse_slots,
    diversify,
    fact_relevance,
    rank_episodes,
    rank_facts,
    score_paths,
    validity_weight,
)

SISTER = RelationCue(word="sister", predicates=["sister"], target=False)
LIVES = RelationCue(word="live", predicates=["lives_in"])


def test_relevance_is_a_noisy_or(graph: Subgraph) -> None:
    rel = fact_relevance(
        graph.facts, {"f_anna_porto": 0.8, "f_bob_porto": 0.4, "f_age": 0.0}, {"f_age": 2.0}, ["lives_in"]
    )
    assert rel["f_anna_porto"] == pytest.approx(1.0)
    assert rel["f_bob_porto"] == pytest.approx(1 - (1 - 0.5) * (1 - 0.6))
    assert rel["f_age"] == pytest.approx(0.5)  # lexical only
    assert rel["f_sister"] == 0.0


def test_validity_per_view(graph: Subgraph) -> None:
    paris, lisbon = graph.facts["f_paris"], graph.facts["f_lisbon"]
    assert validity_weight(paris, mode="current") == 0.0
    assert validity_weight(lisbon, mode="current") == 1.0
    in_2022 = datetime(2022, 6, 1, tzinfo=UTC)
    assert validity_weight(paris, mode="as_of", as_of=in_2022) == 1.0
    assert validity_weight(lisbon, mode="as_of", as_of=in_2022) == 0.0
    assert validity_weight(paris, mode="historical") == 0.8
    retracted = paris.model_copy(update={"status": FactStatus.retracted})
    assert validity_weight(retracted, mode="historical") == 0.0
    maybe = lisbon.model_copy(update={"modality": Modality.hypothetical})
    assert validity_weight(maybe, mode="current") == pytest.approx(0.6)
    with pytest.raises(ValueError):
        validity_weight(paris, mode="as_of")


def test_one_current_value_per_slot_with_history(graph: Subgraph) -> None:
    in_view = {fid for fid, f in graph.facts.items() if validity_weight(f, mode="current") > 0}
    kept, history = collapse_slots(["f_paris", "f_lisbon", "f_sister"], graph.facts, in_view=in_view)
    assert kept == ["f_lisbon", "f_sister"]
    assert [f.id for f in history["f_lisbon"]] == ["f_paris"]
    assert history["f_sister"] == []


def test_complete_chains_are_promoted(graph: Subgraph) -> None:
    paths = list(beam_paths(graph, ["maria"], depth=2, beam_width=20))
    names = {e: e.title() for e in graph.entities}
    score, text, promote = score_paths(paths, graph.facts, [SISTER, LIVES], 2, weights={}, names=names)
    assert set(promote) == {"f_anna_porto"}  # Maria -sister-> Anna -lives_in-> Porto
    assert text["f_anna_porto"] == "Maria -sister-> Anna -lives_in-> Porto"
    assert score["f_anna_porto"] > score["f_sister"]  # the last step is the answer
    order, breakdown = rank_facts(
        graph.facts,
        dense={"f_lisbon": 0.9, "f_sister": 0.8},
        lexical={},
        ppr={},
        path=score,
        predicates=["sister", "lives_in"],
        target_predicates=["lives_in"],
        weights={"dense": 0.5, "path": 0.3, "relation": 0.2},
        validity={},
        promote=promote,
    )
    assert order[0] == "f_anna_porto"
    assert breakdown["f_anna_porto"]["chain"] > 1.0
    assert breakdown["f_sister"]["relation"] == pytest.approx(0.2 * 0.4)  # leads there only


def test_literal_fact_at_the_end_of_a_path(graph: Subgraph) -> None:
    paths = list(beam_paths(graph, ["anna"], depth=1))
    age = RelationCue(word="old", predicates=["age"])
    husband = RelationCue(word="husband", predicates=["husband"], target=False)
    _, text, promote = score_paths(
        paths, graph.facts, [husband, age], 2, weights={"f_age": 1.0}, names={"anna": "Anna", "tom": "Tom"}
    )
    assert "f_age" in promote
    assert text["f_age"] == "Anna -husband-> Tom -age-> 41"


def test_rank_facts_scales_by_validity(graph: Subgraph) -> None:
    order, breakdown = rank_facts(
        graph.facts,
        dense={"f_lisbon": 1.0, "f_paris": 1.0},
        lexical={},
        ppr={},
        path={},
        predicates=[],
        weights={"dense": 1.0},
        validity={"f_paris": 0.5},
    )
    assert order.index("f_lisbon") < order.index("f_paris")
    assert sum(breakdown["f_paris"].values()) == pytest.approx(0.5)


def test_diversify_spreads_slots() -> None:
    assert diversify(
        ["a", "b", "c"], {"a": 1, "b": 0.95, "c": 0.5}, {"a": ["s"], "b": ["s"], "c": ["t"]}, decay=0.5
    ) == ["a", "c", "b"]
    assert diversify(["a", "b"], {"a": 1, "b": 0.9}, {}, limit=1) == ["a"]
    with pytest.raises(ValueError):
        diversify([], {}, {}, decay=0)


def test_rank_episodes_speaker_boost_and_context() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    eps = {
        e: Episode(id=e, namespace="n", session_id="s", seq=i, speaker=sp, content=e, occurred_at=now)
        for i, (e, sp) in enumerate([("q", "Bob"), ("a", "Maria"), ("x", "Bob")])
    }
    order, parts = rank_episodes(
        ["q", "a", "x"],
        eps,
        seed_rrf={"q": 1 / 61, "x": 1 / 62},
        from_facts={},
        ppr={},
        weights={"rrf": 1.0},
        speaker_keys={"maria"},
        speaker_boost=0.3,
        neighbours={"a": ["q", "x"], "q": ["a"], "x": ["a"]},
        neighbour_alpha=0.5,
    )
    assert order[0] == "q"
    assert parts["a"]["context"] == pytest.approx(0.5)  # rank 1 in one channel scores 1
    assert "speaker" not in parts["q"]
    assert set(order) == {"q", "a", "x"}


def _episodes(*ids: str) -> dict[str, Episode]:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    return {
        e: Episode(id=e, namespace="n", session_id="s", seq=i, content=e, occurred_at=now)
        for i, e in enumerate(ids)
    }


def test_rank_episodes_counts_graph_evidence_once() -> None:
    # "b" is reached by fact evidence and by PageRank: one graph signal, not two
    order, parts = rank_episodes(
        ["a", "b"],
        _episodes("a", "b"),
        seed_rrf={"a": 1 / 11, "b": 1 / 12},
        from_facts={"b": 1.0},
        ppr={"b": 0.3, "a": 0.0},
        weights={"rrf": 1.0, "graph": 0.2},
        speaker_keys=set(),
        rrf_scale=11.0,
    )
    assert parts["b"]["graph"] == pytest.approx(0.2) and set(parts["b"]) == {"rrf", "graph"}
    assert order == ["b", "a"]  # 11/12 + 0.2 > 1.0
    # legacy weights (facts / ppr) are read as the graph weight, still counted once
    _, legacy = rank_episodes(
        ["a", "b"],
        _episodes("a", "b"),
        seed_rrf={"a": 1 / 11},
        from_facts={"b": 1.0},
        ppr={"b": 1.0},
        weights={"rrf": 1.0, "facts": 0.1, "ppr": 0.1},
        speaker_keys=set(),
        rrf_scale=11.0,
    )
    assert legacy["b"]["graph"] == pytest.approx(0.1)


def test_rank_episodes_anchored_passages_are_candidates_and_rise() -> None:
    # "z" was found by no search channel: as the named entity's own passage it still enters, and
    # the anchor weight puts it above the flat ranking's weaker items but not above a strong one
    order, parts = rank_episodes(
        ["a", "b"],
        _episodes("a", "b", "z"),
        seed_rrf={"a": 2 / 11, "b": 1 / 30},
        from_facts={},
        ppr={},
        weights={"rrf": 1.0, "graph": 0.2, "anchor": 0.5},
        speaker_keys=set(),
        rrf_scale=11.0,
        anchored={"z": 1.0},
    )
    assert order == ["a", "z", "b"]
    assert parts["z"]["anchor"] == pytest.approx(0.5) and parts["z"]["rrf"] == 0.0
