"""Personalised PageRank over an already-fetched subgraph (HippoRAG's graph search step).

The walk runs on the reified graph the store returned: entity -- fact -- entity, fact -- episode
(evidence) and insight -- target (DERIVED_FROM), all traversed in both directions, because relevance
flows both ways (a question about Porto must reach the people who live there). Each fact's edges are
weighted by the caller's ``fact_weights`` (validity and similarity to the query), so a superseded or
off-topic fact passes little mass. The walk restarts at the seeds with probability ``1 - damping``;
HippoRAG (Gutiérrez et al., NeurIPS 2024) uses ``damping = 0.5``, which keeps the mass near the seeds,
what a question about a few named things wants.

``personalized_pagerank`` is the scipy sparse version used at query time; ``_ppr_reference`` is a plain
dict implementation of the same equations kept for the tests (the networkx habit of testing a fast
version against a slow one).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]

from graphmem.errors import GraphmemError, InvalidInput
from graphmem.model import Subgraph

__all__ = ["PPRNotConverged", "graph_edges", "personalized_pagerank"]


class PPRNotConverged(GraphmemError):
    """Power iteration did not reach the tolerance within ``max_iter`` rounds.

    With ``damping < 1`` the iteration is a contraction, so this only happens when ``max_iter`` is too
    small for the tolerance; it is raised rather than returning scores that are silently wrong.
    """


def graph_edges(
    graph: Subgraph,
    *,
    fact_weights: Mapping[str, float] | None = None,
    include_episodes: bool = True,
    include_insights: bool = True,
) -> dict[tuple[str, str], float]:
    """Undirected weighted edges of the reified subgraph, as ``{(a, b): weight}`` with ``a < b``.

    Entity--fact edges carry the fact's weight (default 1); fact--episode edges carry the fact's weight
    too, so an off-topic fact also passes little mass down to its episodes. Facts whose weight is 0 are
    cut out. Parallel edges add up.

    >>> from graphmem.model import Fact
    >>> f = Fact(id="f1", namespace="n", subject_id="a", predicate="knows", object_id="b", text="a knows b")
    >>> sorted(graph_edges(Subgraph(facts={"f1": f})).items())
    [(('a', 'f1'), 1.0), (('b', 'f1'), 1.0)]
    """
    edges: dict[tuple[str, str], float] = {}

    def add(a: str, b: str, weight: float) -> None:
        if a == b or weight <= 0.0:
            return
        key = (a, b) if a < b else (b, a)
        edges[key] = edges.get(key, 0.0) + weight

    for fact_id, fact in graph.facts.items():
        weight = 1.0 if fact_weights is None else float(fact_weights.get(fact_id, 1.0))
        if weight < 0:
            raise InvalidInput(f"fact weight must be >= 0, got {weight} for {fact_id}")
        add(fact.subject_id, fact_id, weight)
        if fact.object_id is not None:
            add(fact.object_id, fact_id, weight)
        if include_episodes:
            for episode_id in graph.evidence.get(fact_id, ()):
                add(fact_id, episode_id, weight)
    if include_insights:
        for insight_id, targets in graph.derived_from.items():
            for target in targets:
                add(insight_id, target, 1.0)
    return edges


def _normalise_seeds(seeds: Mapping[str, float], nodes: Mapping[str, int]) -> dict[str, float]:
    if not seeds:
        raise InvalidInput("personalised PageRank needs at least one seed")
    missing = [s for s in seeds if s not in nodes]
    if missing:
        raise InvalidInput(f"seed ids not in the subgraph: {sorted(missing)[:5]}")
    if any(w < 0 for w in seeds.values()):
        raise InvalidInput("seed weights must be >= 0")
    total = float(sum(seeds.values()))
    if total <= 0:
        raise InvalidInput("seed weights sum to zero")
    return {key: float(w) / total for key, w in seeds.items()}


def _node_index(graph: Subgraph, edges: Mapping[tuple[str, str], float]) -> dict[str, int]:
    """Every node of the subgraph (isolated ones too, so they can be seeds) plus edge endpoints."""
    order: dict[str, int] = {}
    for group in (graph.entities, graph.facts, graph.episodes, graph.insights):
        for node in group:
            order.setdefault(node, len(order))
    for a, b in edges:
        order.setdefault(a, len(order))
        order.setdefault(b, len(order))
    return order


def personalized_pagerank(
    graph: Subgraph,
    seeds: Mapping[str, float],
    *,
    damping: float = 0.5,
    fact_weights: Mapping[str, float] | None = None,
    include_episodes: bool = True,
    max_iter: int = 200,
    tol: float = 1e-10,
) -> dict[str, float]:
    """Personalised PageRank scores of every node of ``graph``, restarting at ``seeds``.

    Solves ``x = (1 - damping) p + damping (P^T x + (dangling . x) p)`` by power iteration, where ``p``
    is the normalised seed vector and ``P`` the row-normalised weighted adjacency of
    :func:`graph_edges`. Mass reaching a node without edges returns to the seeds (as networkx does
    with its default ``dangling`` distribution).

    Parameters
    ----------
    graph
        The subgraph the store returned; it is not modified and nothing is queried.
    seeds
        node id (entity, fact, episode or insight) -> non-negative weight; normalised to sum 1.
    damping
        Probability of following an edge rather than restarting; HippoRAG's 0.5 by default.
    fact_weights
        fact id -> edge weight (validity x query similarity); missing facts weigh 1, 0 cuts a fact.
    include_episodes
        Whether episodes (evidence) take part in the walk.
    max_iter, tol
        Power iteration stops when the L1 change is below ``tol``; :class:`PPRNotConverged` otherwise.

    Returns
    -------
    dict
        node id -> score, the scores summing to 1.

    Raises
    ------
    InvalidInput
        No seeds, a seed not in the subgraph, negative weights, or ``damping`` outside [0, 1).

    Examples
    --------
    >>> from graphmem.model import Fact
    >>> f = Fact(id="f", namespace="n", subject_id="a", predicate="knows", object_id="b", text="a knows b")
    >>> scores = personalized_pagerank(Subgraph(facts={"f": f}), {"a": 1.0})
    >>> [(node, round(score, 3)) for node, score in sorted(scores.items())]
    [('a', 0.583), ('b', 0.083), ('f', 0.333)]
    """
    if not 0.0 <= damping < 1.0:
        raise InvalidInput(f"damping must be in [0, 1), got {damping}")
    edges = graph_edges(graph, fact_weights=fact_weights, include_episodes=include_episodes)
    index = _node_index(graph, edges)
    p_map = _normalise_seeds(seeds, index)
    n = len(index)
    p = np.zeros(n)
    for node, weight in p_map.items():
        p[index[node]] = weight
    if edges:
        rows = np.fromiter((index[a] for a, _ in edges), dtype=np.int64, count=len(edges))
        cols = np.fromiter((index[b] for _, b in edges), dtype=np.int64, count=len(edges))
        vals = np.fromiter(edges.values(), dtype=np.float64, count=len(edges))
        adjacency = sp.coo_matrix(
            (np.concatenate([vals, vals]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
            shape=(n, n),
        ).tocsr()
    else:
        adjacency = sp.csr_matrix((n, n))
    out_weight = np.asarray(adjacency.sum(axis=1)).ravel()
    dangling = out_weight == 0
    inverse = np.divide(1.0, out_weight, out=np.zeros(n), where=~dangling)
    transition_t = (sp.diags(inverse) @ adjacency).T.tocsr()
    x = p.copy()
    for _ in range(max_iter):
        previous = x
        x = damping * (transition_t @ previous + previous[dangling].sum() * p) + (1.0 - damping) * p
        if np.abs(x - previous).sum() < tol:
            break
    else:
        raise PPRNotConverged(f"personalised PageRank did not converge in {max_iter} iterations")
    total = x.sum()
    names = list(index)
    return {names[i]: float(x[i] / total) for i in range(n)}


def _ppr_reference(
    graph: Subgraph,
    seeds: Mapping[str, float],
    *,
    damping: float = 0.5,
    fact_weights: Mapping[str, float] | None = None,
    include_episodes: bool = True,
    max_iter: int = 1000,
    tol: float = 1e-12,
) -> dict[str, float]:
    """The same equations with plain dicts: slow, obviously correct, used to test the scipy version."""
    edges = graph_edges(graph, fact_weights=fact_weights, include_episodes=include_episodes)
    index = _node_index(graph, edges)
    p = _normalise_seeds(seeds, index)
    neighbours: dict[str, dict[str, float]] = {node: {} for node in index}
    for (a, b), weight in edges.items():
        neighbours[a][b] = neighbours[a].get(b, 0.0) + weight
        neighbours[b][a] = neighbours[b].get(a, 0.0) + weight
    x = {node: p.get(node, 0.0) for node in index}
    for _ in range(max_iter):
        nxt = {node: (1.0 - damping) * p.get(node, 0.0) for node in index}
        dangling_mass = 0.0
        for node, mass in x.items():
            total = sum(neighbours[node].values())
            if total == 0:
                dangling_mass += mass
                continue
            for other, weight in neighbours[node].items():
                nxt[other] += damping * mass * weight / total
        for node, weight in p.items():
            nxt[node] += damping * dangling_mass * weight
        change = sum(abs(nxt[node] - x[node]) for node in index)
        x = nxt
        if change < tol:
            break
    else:
        raise PPRNotConverged(f"reference PageRank did not converge in {max_iter} iterations")
    total = sum(x.values())
    return {node: value / total for node, value in x.items()}
