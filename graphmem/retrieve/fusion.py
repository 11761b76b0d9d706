"""Rank and score fusion: how the planner merges channels that score on incomparable scales.

Reciprocal-rank fusion (Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and
individual Rank Learning Methods", SIGIR 2009) needs only ranks, so a cosine in [-1, 1] and a BM25 score
in [0, 30] can be merged without calibration; it is what fuses the vector and full-text seed channels.
Weighted score fusion merges the ranking signals of one candidate (dense, lexical, PageRank, path,
recency), each first min-max normalised over the candidate set, and keeps the per-signal breakdown so
that every result can say why it ranked where it did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

__all__ = ["minmax", "reciprocal_rank_fusion", "weighted_fusion"]


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[str]],
    *,
    k: int = 60,
    weights: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Fuse ranked id lists: ``score(id) = sum_c weight_c / (k + rank_c(id))`` with 1-based ranks.

    Parameters
    ----------
    rankings
        channel name -> ids, best first. Duplicates inside one list count at their first rank only.
    k
        Smoothing constant; 60 is the value of the original paper.
    weights
        Optional channel weights (default 1.0 each).

    Returns
    -------
    dict
        id -> fused score, in descending score order (ties keep first-seen order).

    Examples
    --------
    >>> fused = reciprocal_rank_fusion({"vector": ["a", "b"], "text": ["b", "c"]}, k=1)
    >>> [(key, round(value, 3)) for key, value in fused.items()]
    [('b', 0.833), ('a', 0.5), ('c', 0.333)]
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    scores: dict[str, float] = {}
    for channel, ids in rankings.items():
        weight = 1.0 if weights is None else weights.get(channel, 1.0)
        seen: set[str] = set()
        rank = 0
        for item in ids:
            if item in seen:
                continue
            seen.add(item)
            rank += 1
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))


def minmax(values: Mapping[str, float]) -> dict[str, float]:
    """Min-max normalise to [0, 1]; a constant non-zero signal maps to 1, an all-zero one to 0.

    >>> minmax({"a": 2.0, "b": 4.0, "c": 3.0})
    {'a': 0.0, 'b': 1.0, 'c': 0.5}
    >>> minmax({"a": 0.3})
    {'a': 1.0}
    """
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi - lo <= 1e-12:
        return {key: (1.0 if hi > 0 else 0.0) for key in values}
    return {key: (value - lo) / (hi - lo) for key, value in values.items()}


def weighted_fusion(
    signals: Mapping[str, Mapping[str, float]],
    weights: Mapping[str, float],
    *,
    candidates: Iterable[str] | None = None,
    normalise: bool = True,
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Weighted sum of per-signal scores, with the weighted contribution of each signal kept.

    Parameters
    ----------
    signals
        signal name -> (id -> raw score). A candidate absent from a signal scores 0 on it.
    weights
        signal name -> weight; signals without a weight are ignored.
    candidates
        The ids to score (default: every id seen in any signal).
    normalise
        Min-max normalise each signal over the candidates first, so that weights compare like
        with like; turn it off for signals already in [0, 1].

    Returns
    -------
    (scores, breakdown)
        ``scores[id]`` is the fused score; ``breakdown[id][signal]`` the weighted contribution of one
        signal (they add up to the score), which is what a result shows as its score breakdown.

    Examples
    --------
    >>> scores, parts = weighted_fusion({"dense": {"a": 1.0, "b": 0.0}, "ppr": {"b": 1.0}},
    ...                                 {"dense": 0.75, "ppr": 0.25})
    >>> scores
    {'a': 0.75, 'b': 0.25}
    >>> parts["a"]
    {'dense': 0.75, 'ppr': 0.0}
    """
    ids = (
        list(dict.fromkeys(candidates))
        if candidates is not None
        else list(dict.fromkeys(key for signal in signals.values() for key in signal))
    )
    breakdown: dict[str, dict[str, float]] = {key: {} for key in ids}
    for name, raw in signals.items():
        weight = weights.get(name)
        if weight is None:
            continue
        values = {key: float(raw.get(key, 0.0)) for key in ids}
        if normalise:
            values = minmax(values)
        for key in ids:
            breakdown[key][name] = weight * values.get(key, 0.0)
    scores = {key: sum(parts.values()) for key, parts in breakdown.items()}
    return dict(sorted(scores.items(), key=lambda kv: -kv[1])), breakdown
