"""The traversal planner: query analysis, seeds, plan/explain, PPR, bidirectional beam paths, ranking.

``Retriever`` (in ``search``) is the engine behind ``Memory.search`` and ``Memory.explain``; the other
modules are pure functions over records the store already returned, each tested on hand-made graphs.
"""

from graphmem.retrieve.analysis import QueryAnalysis, analyze_query
from graphmem.retrieve.beam import Path, Step, beam_paths
from graphmem.retrieve.fusion import reciprocal_rank_fusion, weighted_fusion
from graphmem.retrieve.plan import Plan, PlannerConfig, make_plan
from graphmem.retrieve.ppr import personalized_pagerank
from graphmem.retrieve.results import EntityHit, EpisodeHit, FactHit, InsightHit, PathHit, SearchResult
from graphmem.retrieve.search import Retriever

__all__ = [
    "EntityHit",
    "EpisodeHit",
    "FactHit",
    "InsightHit",
    "Path",
    "PathHit",
    "Plan",
    "PlannerConfig",
    "QueryAnalysis",
    "Retriever",
    "SearchResult",
    "Step",
    "analyze_query",
    "beam_paths",
    "make_plan",
    "personalized_pagerank",
    "reciprocal_rank_fusion",
    "weighted_fusion",
]
