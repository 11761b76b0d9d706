"""Reciprocal-rank and weighted score fusion on rankings worked out by hand."""

from __future__ import annotations

import pytest

from graphmem.retrieve.fusion import minmax, reciprocal_rank_fusion, weighted_fusion


def test_rrf_hand_values() -> None:
    fused = reciprocal_rank_fusion({"vector": ["a", "b", "c"], "text": ["c", "a"]}, k=60)
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["b"] == pytest.approx(1 / 62)
    assert list(fused) == ["a", "c", "b"]


def test_rrf_weights_and_duplicates() -> None:
    fused = reciprocal_rank_fusion({"x": ["a", "a", "b"], "y": ["b"]}, k=0, weights={"y": 3.0})
    # the duplicate "a" counts once, so "b" is rank 2 in x
    assert fused == {"b": pytest.approx(0.5 + 3.0), "a": pytest.approx(1.0)}


def test_rrf_rejects_negative_k() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion({"x": ["a"]}, k=-1)


def test_minmax_edge_cases() -> None:
    assert minmax({}) == {}
    assert minmax({"a": 0.0, "b": 0.0}) == {"a": 0.0, "b": 0.0}
    assert minmax({"a": -1.0, "b": 1.0}) == {"a": 0.0, "b": 1.0}


def test_weighted_fusion_breakdown_adds_up() -> None:
    signals = {"dense": {"a": 0.9, "b": 0.5, "c": 0.1}, "ppr": {"c": 0.2, "b": 0.1}, "unused": {"a": 5.0}}
    scores, breakdown = weighted_fusion(signals, {"dense": 0.6, "ppr": 0.4})
    # dense normalised: a 1, b 0.5, c 0; ppr normalised over a, b, c: a 0, b 0.5, c 1
    assert scores == pytest.approx({"a": 0.6, "b": 0.5, "c": 0.4})
    assert list(scores) == ["a", "b", "c"]
    for key, parts in breakdown.items():
        assert sum(parts.values()) == pytest.approx(scores[key])
        assert "unused" not in parts


def test_weighted_fusion_without_normalising_and_explicit_candidates() -> None:
    scores, _ = weighted_fusion({"s": {"a": 0.3}}, {"s": 2.0}, candidates=["a", "z"], normalise=False)
    assert scores == {"a": pytest.approx(0.6), "z": 0.0}
