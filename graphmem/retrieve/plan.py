"""The query plan: every choice the planner makes, with the reason for it (EXPLAIN for memory).

``make_plan`` is a pure function of the query analysis, the caller's options and the planner
configuration; it decides depth, beam width, direction, the time filter, the seed and traversal
budgets and the ranking weights. The retriever then executes the plan and appends what each step did
(``Plan.steps``: counts and milliseconds), so ``Memory.explain`` (plan only) and ``Memory.search``
(plan and execution) show the same object, and ``Plan.render()`` (``str(plan)``) prints it as the
tree the CLI shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graphmem.model import FactStatus
from graphmem.retrieve.analysis import QueryAnalysis, TemporalIntent

__all__ = ["Plan", "PlanStep", "PlannerConfig", "make_plan"]


class PlannerConfig(BaseModel):
    """Knobs of the planner; the defaults are starting points calibrated on LoCoMo (see bench/locomo)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    entity_k: int = Field(default=5, ge=1, description="entity vector candidates per unresolved mention")
    entity_min_similarity: float = Field(
        default=0.55, description="cosine below which a vector match is dropped"
    )
    fact_k: int = Field(default=40, ge=1, description="fact seeds (vector + full-text, fused)")
    fact_similarity_k: int = Field(default=400, ge=1, description="facts whose query similarity is looked up")
    episode_k: int = Field(default=50, ge=1, description="episode seeds per channel (vector, full-text)")
    episode_rrf_k: int = Field(default=10, ge=0, description="RRF constant of the episode channels")
    mask_names: bool = Field(default=True, description="search episodes by the query minus resolved names")
    topic_fact_similarity: bool = Field(default=True, description="weigh reached facts by the topic vector")
    degree_cap: int = Field(default=60, ge=1, description="RELATES edges followed per entity and hop")
    max_subgraph_facts: int = Field(default=3000, ge=10)
    evidence_facts: int = Field(
        default=60, ge=1, description="top facts whose evidencing episodes are fetched"
    )
    beam_width: int = Field(default=8, ge=1)
    frontier_min_relevance: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="expand an entity only when a fact reaching it is this relevant",
    )
    max_paths: int = Field(default=20, ge=1)
    damping: float = Field(default=0.5, ge=0.0, lt=1.0)
    token_budget: int = Field(default=4000, ge=50, description="tokens of facts + episodes a result may hold")
    neighbour_alpha: float = Field(default=0.4, ge=0.0, le=1.0, description="share of a neighbour's score")
    speaker_boost: float = Field(default=1.0, ge=0.0, description="boost of turns a named person said")
    widen_coverage: float = Field(default=0.5, ge=0.0, le=1.0, description="widen below this entity coverage")
    widen_min_facts: int = Field(default=3, ge=0, description="widen when fewer candidate facts than this")
    fact_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "dense": 0.35,
            "lexical": 0.15,
            "ppr": 0.2,
            "path": 0.15,
            "relation": 0.1,
            "recency": 0.05,
            "feedback": 0.0,
        }
    )
    episode_weights: dict[str, float] = Field(
        default_factory=lambda: {"rrf": 1.0, "graph": 0.2, "anchor": 1.0},
        description="the flat hybrid base (rrf), graph evidence (fact evidence or PageRank, counted once) "
        "and the anchored passages of the named entities",
    )
    mask_min_mentions: int = Field(
        default=20,
        ge=0,
        description="mask a named person in the episode query only when this many episodes mention them "
        "(a speaker's name is on all their turns; a document's subject is on a few passages)",
    )
    episode_query_weight: float = Field(
        default=0.0,
        ge=0.0,
        description="weight of the full-query episode channels next to the topic channels when names "
        "were masked (a document's names are its subject, not noise)",
    )
    anchor_lookups: int = Field(default=4, ge=0, description="named mentions whose own passages are sought")


class PlanStep(BaseModel):
    """What one executed step did."""

    model_config = ConfigDict(extra="forbid")

    name: str
    detail: str = ""
    count: int | None = None
    ms: float | None = None


class Plan(BaseModel):
    """The plan of one query: each choice and the reason for it."""

    model_config = ConfigDict(extra="forbid")

    query: str
    namespace: str
    analysis: QueryAnalysis
    depth: int
    beam_width: int
    direction: Literal["both", "out", "in"] = "both"
    meet_in_middle: bool = False
    time_mode: TemporalIntent = "current"
    as_of: datetime | None = None
    statuses: list[FactStatus] | None = None
    budgets: dict[str, int] = Field(default_factory=dict)
    fact_weights: dict[str, float] = Field(default_factory=dict)
    episode_weights: dict[str, float] = Field(default_factory=dict)
    episode_context: float = 0.0
    widened: bool = False
    reasons: dict[str, str] = Field(default_factory=dict)
    steps: list[PlanStep] = Field(default_factory=list)

    def render(self) -> str:
        """A readable EXPLAIN, the tree ``graphmem explain`` prints: the analysis, each choice with its
        reason, then the executed steps."""
        from graphmem.retrieve.plan_tree import plan_text

        return plan_text(self)

    def __str__(self) -> str:
        """``print(mem.explain(...))`` shows the tree, not a one-line model dump."""
        return self.render()


_CURRENT = [FactStatus.active, FactStatus.disputed]
_HISTORY = [FactStatus.active, FactStatus.disputed, FactStatus.superseded]


def make_plan(
    analysis: QueryAnalysis,
    *,
    namespace: str,
    k: int = 10,
    as_of: datetime | None = None,
    config: PlannerConfig | None = None,
    widen: bool = False,
) -> Plan:
    """Decide how to run ``analysis``: pure, so ``explain`` costs no store access.

    >>> from graphmem.retrieve.analysis import QueryAnalysis, QueryMention
    >>> a = QueryAnalysis(query="q", hops=2, mentions=[QueryMention(text="Maria", key="maria", kind="name")])
    >>> plan = make_plan(a, namespace="n")
    >>> plan.depth, plan.meet_in_middle, plan.time_mode
    (2, False, 'current')
    """
    cfg = config or PlannerConfig()
    reasons: dict[str, str] = {}
    names = analysis.names
    meet = len({m.key for m in names}) >= 2
    depth = max(1, min(3, analysis.hops))
    reasons["depth"] = f"the question needs about {analysis.hops} hop(s) ({analysis.reasons.get('hops', '')})"
    if meet and depth < 2:
        depth = 2
        reasons["depth"] = "two named things may be linked through a third: at least 2 hops"
    if widen:
        depth = min(3, depth + 1)
        reasons["depth"] += "; +1 after widening"
    beam_width = cfg.beam_width
    reasons["beam_width"] = "default beam"
    if not analysis.predicates:
        beam_width = cfg.beam_width + cfg.beam_width // 2
        reasons["beam_width"] = "no relation word to steer the beam: keep more partial paths"
    elif depth >= 3:
        beam_width = max(2, cfg.beam_width - cfg.beam_width // 4)
        reasons["beam_width"] = "a 3-hop search: a narrower beam bounds the work"
    reasons["direction"] = (
        "relations are walked both ways: a question can start from either end of a fact "
        "('Where does Maria live?' from Maria, 'Who lives in Porto?' from Porto)"
    )
    if meet:
        reasons["meet_in_middle"] = (
            f"{len(names)} named things ({', '.join(m.text for m in names)}): search from both ends and "
            "join the halves, each only half as deep"
        )
    else:
        reasons["meet_in_middle"] = "fewer than two named things: outward beam from the seeds"
    if as_of is not None:
        time_mode: TemporalIntent = "as_of"
        when: datetime | None = as_of
        statuses: list[FactStatus] | None = list(_HISTORY)
        reasons["time"] = "the caller asked for the view as of this time: only facts valid then are walked"
    elif analysis.temporal == "as_of" and analysis.as_of is not None:
        time_mode, when, statuses = "as_of", analysis.as_of, list(_HISTORY)
        reasons["time"] = analysis.reasons.get("temporal", "a time is named in the question")
    elif analysis.temporal == "historical":
        time_mode, when, statuses = "historical", None, list(_HISTORY)
        reasons["time"] = analysis.reasons.get("temporal", "the question asks about the past")
    else:
        time_mode, when, statuses = "current", None, list(_CURRENT)
        reasons["time"] = "default: the current view (active and disputed facts); history is attached"
    scale = 2 if widen else 1
    budgets = {
        "k": k,
        "entity_k": cfg.entity_k,
        "fact_k": max(cfg.fact_k, 3 * k) * scale,
        "fact_similarity_k": cfg.fact_similarity_k * scale,
        "episode_k": max(cfg.episode_k, 2 * k) * scale,
        "degree_cap": cfg.degree_cap * scale,
        "max_subgraph_facts": cfg.max_subgraph_facts,
        "evidence_facts": cfg.evidence_facts * scale,
        "max_paths": cfg.max_paths,
        "tokens": cfg.token_budget,
    }
    reasons["budgets"] = "seed and traversal budgets bound the store work per query" + (
        "; doubled after widening" if widen else ""
    )
    fact_weights = dict(cfg.fact_weights)
    episode_weights = dict(cfg.episode_weights)
    episode_context = cfg.neighbour_alpha
    reasons["episode_context"] = "an episode borrows from its session neighbours: answers follow questions"
    if analysis.answer_many:
        episode_context = 0.0
        for signal in ("facts", "ppr"):
            episode_weights[signal] = round(4 * episode_weights.get(signal, 0.0), 6)
        reasons["episode_context"] = (
            f"a list question ({analysis.reasons.get('answer_many', '')}): its answers are spread over "
            "separate episodes, so no session context, and the graph's fact evidence and PageRank weigh 4x"
        )
    reasons["fact_weights"] = "fused ranking signals of a fact, each min-max normalised over the candidates"
    if not analysis.predicates:
        fact_weights["relation"] = 0.0
        reasons["fact_weights"] += "; no relation word, so no relation signal"
    if depth >= 2:
        for signal, share in (("dense", 0.15), ("ppr", 0.05), ("lexical", 0.05)):
            shift = min(fact_weights.get(signal, 0.0), share)
            fact_weights[signal] = round(fact_weights.get(signal, 0.0) - shift, 6)
            fact_weights["path"] = round(fact_weights.get("path", 0.0) + shift, 6)
        reasons["fact_weights"] += "; multi-hop: explicit paths weigh more than direct similarity"
    if time_mode == "historical":
        reasons["fact_weights"] += "; history included: recency only breaks ties"
    elif analysis.answer_type == "time":
        reasons["fact_weights"] += "; a 'when' question: validity dates are shown with each fact"
    reasons["episode_weights"] = (
        "episodes: fused vector + full-text rank, AriGraph score from the retrieved facts, PageRank"
    )
    if widen:
        reasons["widened"] = "the mentioned entities were poorly covered: deeper, more episodes"
    return Plan(
        query=analysis.query,
        namespace=namespace,
        analysis=analysis,
        depth=depth,
        beam_width=beam_width,
        direction="both",
        meet_in_middle=meet,
        time_mode=time_mode,
        as_of=when,
        statuses=statuses,
        budgets=budgets,
        fact_weights=fact_weights,
        episode_weights=episode_weights,
        episode_context=episode_context,
        widened=widen,
        reasons=reasons,
    )
