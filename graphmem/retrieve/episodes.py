"""Scoring episodes from the facts they evidence (AriGraph's episodic search), and session neighbours.

AriGraph (Anokhin et al., "AriGraph: Learning Knowledge Graph World Models with Episodic Memory for
LLM Agents", 2024) ranks an episode by the share of its triplets that semantic search retrieved,
weighted by the log of how many triplets it has: ``rel = n / N * log(N)``. An episode that states
many facts, most of them relevant, is the best evidence; one whose single fact matched is weak.
AriGraph's ``log(N)`` gives an episode with one fact a score of 0; chat turns often state one fact,
so graphmem uses ``log(1 + N)``, and ``n`` is the *sum of the retrieved facts' relevances* (each in
[0, 1]) rather than their count, so a strongly matching fact counts more than a marginal one.

Conversations also put an answer next to its question: the turn after "What do you do for fun?"
holds the answer but shares no words with it. ``neighbour_smoothing`` lets an episode borrow part of
its best neighbour's score (neighbours along the session's NEXT chain).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from graphmem.errors import InvalidInput

__all__ = ["episode_scores", "neighbour_smoothing"]


def episode_scores(
    evidence: Mapping[str, Sequence[str]],
    fact_relevance: Mapping[str, float],
    fact_counts: Mapping[str, int],
) -> dict[str, float]:
    """AriGraph episode relevance from fact relevance.

    Parameters
    ----------
    evidence
        fact id -> ids of the episodes evidencing it.
    fact_relevance
        fact id -> relevance in [0, 1] of the retrieved facts (facts absent here count 0).
    fact_counts
        episode id -> how many facts the episode evidences in total (``N``). When an episode is
        missing, the retrieved facts seen for it are used as a lower bound.

    Returns
    -------
    dict
        episode id -> ``min(1, n / N) * log(1 + N)``, best first.

    Examples
    --------
    One episode stating two facts, both retrieved, beats one stating three with one retrieved:

    >>> scores = episode_scores({"f1": ["e1"], "f2": ["e1", "e2"]}, {"f1": 1.0, "f2": 1.0},
    ...                         {"e1": 2, "e2": 3})
    >>> {k: round(v, 3) for k, v in scores.items()}
    {'e1': 1.099, 'e2': 0.462}
    """
    retrieved: dict[str, float] = {}
    seen: dict[str, int] = {}
    for fact_id, relevance in fact_relevance.items():
        if not 0.0 <= relevance <= 1.0 + 1e-9:
            raise InvalidInput(f"fact relevance must be in [0, 1], got {relevance} for {fact_id}")
        for episode_id in dict.fromkeys(evidence.get(fact_id, ())):
            retrieved[episode_id] = retrieved.get(episode_id, 0.0) + relevance
            seen[episode_id] = seen.get(episode_id, 0) + 1
    scores: dict[str, float] = {}
    for episode_id, share in retrieved.items():
        total = max(int(fact_counts.get(episode_id, 0)), seen[episode_id], 1)
        scores[episode_id] = min(1.0, share / total) * math.log1p(total)
    return dict(sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0])))


def neighbour_smoothing(
    scores: Mapping[str, float],
    neighbours: Mapping[str, Sequence[str]],
    *,
    alpha: float = 0.5,
) -> dict[str, float]:
    """``s'(e) = s(e) + alpha * max(s(n) for n in neighbours(e))``: an episode borrows from its context.

    Episodes that only appear as neighbours (score 0 themselves) enter with the borrowed part, so the
    answer turn after a matching question turn is found even when it shares no words with the query.

    >>> neighbour_smoothing({"q": 1.0}, {"q": ["a"], "a": ["q"]}, alpha=0.5)
    {'q': 1.0, 'a': 0.5}
    """
    if not 0.0 <= alpha <= 1.0:
        raise InvalidInput(f"alpha must be in [0, 1], got {alpha}")
    out: dict[str, float] = dict(scores)
    for episode_id, near in neighbours.items():
        best = max((scores.get(n, 0.0) for n in near), default=0.0)
        if best > 0.0:
            out[episode_id] = scores.get(episode_id, 0.0) + alpha * best
    return dict(sorted(out.items(), key=lambda kv: (-round(kv[1], 9), kv[0])))
