"""Ranking: fact relevance and validity, fused fact and episode scores, slots with history, diversity.

Pure functions over records and score dictionaries; ``search.Retriever`` feeds them what the store
returned. Kept apart from the orchestration so every rule can be tested on hand-made records.

* ``fact_relevance``: how well a fact answers the query, in [0, 1], a noisy-or of dense similarity,
  lexical match and a predicate the question asked for. It weights the traversal's edges (PPR, beam).
* ``validity_weight``: 1 for a fact in the requested view, less for disputed or non-asserted ones,
  0 for facts outside the view (superseded facts in the current view, facts not valid at ``as_of``).
* ``rank_facts`` / ``rank_episodes``: weighted fusion of the ranking signals, with the breakdown.
* ``collapse_slots``: one current value per (subject, predicate) slot, older values attached as history.
* ``diversify``: a greedy pass that stops one slot or one episode from filling the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from graphmem.model import Episode, Fact, FactStatus, Modality
from graphmem.retrieve.analysis import RelationCue
from graphmem.retrieve.beam import Path
from graphmem.retrieve.fusion import minmax, weighted_fusion

__all__ = [
    "collapse_slots",
    "diversify",
    "fact_relevance",
    "path_coverage",
    "rank_episodes",
    "rank_facts",
    "score_paths",
    "slot_of",
    "validity_weight",
]


def slot_of(fact: Fact) -> tuple[str, str]:
    """The slot a fact belongs to: (subject, canonical predicate)."""
    return fact.subject_id, fact.predicate


def fact_relevance(
    facts: Mapping[str, Fact],
    dense: Mapping[str, float],
    lexical: Mapping[str, float],
    predicates: Iterable[str],
) -> dict[str, float]:
    """Relevance in [0, 1]: ``1 - (1 - d)(1 - 0.5 l)(1 - 0.6 p)``.

    ``d`` is the dense similarity min-max scaled over the facts whose similarity was looked up (facts
    outside that table score 0), ``l`` the lexical score scaled by its maximum, ``p`` 1 when the fact's
    predicate is one the question asked for. A noisy-or, so any one strong signal is enough.

    >>> from graphmem.model import Fact
    >>> f = Fact(id="f", namespace="n", subject_id="s", predicate="lives_in", object_value="x", text="t")
    >>> fact_relevance({"f": f}, {}, {}, ["lives_in"])
    {'f': 0.6}
    """
    wanted = set(predicates)
    d_scaled = minmax(dense) if len(dense) > 1 else {key: 1.0 for key in dense}
    top_lexical = max(lexical.values(), default=0.0)
    out: dict[str, float] = {}
    for fact_id, fact in facts.items():
        d = d_scaled.get(fact_id, 0.0)
        lex = lexical.get(fact_id, 0.0) / top_lexical if top_lexical > 0 else 0.0
        p = 1.0 if fact.predicate in wanted else 0.0
        out[fact_id] = round(1.0 - (1.0 - d) * (1.0 - 0.5 * lex) * (1.0 - 0.6 * p), 6)
    return out


def validity_weight(fact: Fact, *, mode: str, as_of: datetime | None = None) -> float:
    """Weight of a fact in the requested view: 0 means outside it.

    ``current``: active 1, disputed 0.7, anything else 0. ``historical``: active 1, superseded 0.8,
    disputed 0.7, retracted 0 (a retracted fact was never true). ``as_of``: facts valid at that time by
    event time (and not retracted) 1, others 0. Hypothetical and intended facts weigh 0.6 of that.

    >>> from graphmem.model import Fact
    >>> f = Fact(id="f", namespace="n", subject_id="s", predicate="p", object_value="x", text="t",
    ...          status="superseded")
    >>> validity_weight(f, mode="current"), validity_weight(f, mode="historical")
    (0.0, 0.8)
    """
    status = fact.status
    if status in (FactStatus.retracted, FactStatus.contested):
        return 0.0
    if mode == "as_of":
        if as_of is None:
            raise ValueError("as_of mode needs an as_of time")
        base = 1.0 if fact.valid_at(as_of) else 0.0
        if base and fact.recorded_at and fact.valid_from is None and fact.recorded_at > as_of:
            base = 0.0  # learnt after the requested time, with no event time of its own
    elif mode == "historical":
        base = {FactStatus.active: 1.0, FactStatus.superseded: 0.8, FactStatus.disputed: 0.7}.get(status, 0.0)
    else:
        base = {FactStatus.active: 1.0, FactStatus.disputed: 0.7}.get(status, 0.0)
    if fact.modality != Modality.asserted:
        base *= 0.6
    return base


def _timestamp(fact: Fact) -> float:
    when = fact.valid_from or fact.recorded_at
    return when.timestamp() if when else 0.0


def rank_facts(
    facts: Mapping[str, Fact],
    *,
    dense: Mapping[str, float],
    lexical: Mapping[str, float],
    ppr: Mapping[str, float],
    path: Mapping[str, float],
    predicates: Iterable[str],
    weights: Mapping[str, float],
    validity: Mapping[str, float],
    dense_floor: float = 0.0,
    target_predicates: Iterable[str] | None = None,
    promote: Mapping[str, float] | None = None,
) -> tuple[list[str], dict[str, dict[str, float]]]:
    """Fused ranking of the candidate facts, best first, with each signal's weighted contribution.

    Signals: ``dense`` (cosine; facts not looked up score ``dense_floor``), ``lexical``, ``ppr``
    (PageRank mass), ``path`` (best explicit path through the fact), ``relation`` (1 when the predicate
    is the one asked for, 0.4 when it only leads there, as "sister" in "Where does Maria's sister
    live?"), ``recency`` (newer valid_from / recorded_at) and ``feedback`` (access count and utility:
    the hook through which retrieval feedback strengthens useful facts). The fused score is scaled by
    the fact's validity weight, so a disputed or hypothetical fact ranks below an asserted one.
    Facts in ``promote`` (the answers of complete chains, see :func:`score_paths`) get a ``chain``
    bonus of ``1 + value``, which puts them above every fused score, best chain first.
    """
    wanted = set(predicates)
    target = set(target_predicates) if target_predicates is not None else wanted
    ids = list(facts)

    def relation(fact: Fact) -> float:
        return 1.0 if fact.predicate in target else 0.4 if fact.predicate in wanted else 0.0

    signals: dict[str, dict[str, float]] = {
        "dense": {i: dense.get(i, dense_floor) for i in ids},
        "lexical": {i: lexical.get(i, 0.0) for i in ids},
        "ppr": {i: ppr.get(i, 0.0) for i in ids},
        "path": {i: path.get(i, 0.0) for i in ids},
        "relation": {i: relation(facts[i]) for i in ids},
        "recency": {i: _timestamp(facts[i]) for i in ids},
        "feedback": {i: facts[i].utility + 0.1 * facts[i].access_count for i in ids},
    }
    scores, breakdown = weighted_fusion(signals, weights, candidates=ids)
    for fact_id in ids:
        factor = validity.get(fact_id, 1.0)
        scores[fact_id] *= factor
        breakdown[fact_id] = {k: round(v * factor, 6) for k, v in breakdown[fact_id].items()}
    for fact_id, value in (promote or {}).items():
        if fact_id in breakdown:
            # a complete chain's answer: the bonus (in [0, 1]) puts it above every fused score
            breakdown[fact_id]["chain"] = round(1.0 + value, 6)
            scores[fact_id] += 1.0 + value
    order = sorted(ids, key=lambda i: (-round(scores[i], 9), i))
    return order, breakdown


def path_coverage(
    path: Path, relations: Sequence[RelationCue], depth: int, *, extra: str | None = None
) -> float:
    """How completely a path answers the question, in [0, 1]; 1 means a complete chain.

    The product of: the share of the question's relation cues the path walks (half credit as a
    floor; a cue is walked when any of its predicates is), the share of the estimated hops it covers,
    and 0.6 unless its last step is a relation the question asks for (a chain ending elsewhere
    answers another question). ``extra`` is a literal fact's predicate appended as a last step.

    >>> from graphmem.retrieve.analysis import RelationCue
    >>> from graphmem.retrieve.beam import Step
    >>> cues = [RelationCue(word="sister", predicates=["sister"], target=False),
    ...         RelationCue(word="live", predicates=["lives_in"])]
    >>> full = Path("m", (Step("f1", "m", "a", "sister", True), Step("f2", "a", "p", "lives_in", True)))
    >>> path_coverage(full, cues, 2), round(path_coverage(Path("m", full.steps[:1]), cues, 2), 3)
    (1.0, 0.225)
    """
    predicates = [step.predicate for step in path.steps] + ([extra] if extra else [])
    walked = set(predicates)
    share = sum(1 for cue in relations if walked & set(cue.predicates)) / len(relations) if relations else 1.0
    target = {p for cue in relations if cue.target for p in cue.predicates}
    ends_right = 1.0 if not target or (predicates and predicates[-1] in target) else 0.6
    return (0.5 + 0.5 * share) * min(1.0, len(predicates) / max(depth, 1)) * ends_right


def score_paths(
    paths: Sequence[Path],
    facts: Mapping[str, Fact],
    relations: Sequence[RelationCue],
    depth: int,
    *,
    weights: Mapping[str, float],
    names: Mapping[str, str],
) -> tuple[dict[str, float], dict[str, str], dict[str, float]]:
    """The path signal of each fact, the path text that gave it, and the facts to promote.

    A path's value is its score times its :func:`path_coverage`. The last step of an outward path is
    the answer and takes the full value; earlier steps only lead there and take half. A literal fact
    of the entity an outward path ends at ("Tom's age") is one step further. Every fact of a path
    that joins two named entities (``meet``) takes the full value: the chain itself is the answer.
    Promoted: the answer facts of complete outward chains and the facts of meet paths.
    """
    score: dict[str, float] = {}
    text: dict[str, str] = {}
    promote: dict[str, float] = {}

    def offer(fact_id: str, value: float, rendered: str) -> None:
        if value > score.get(fact_id, 0.0):
            score[fact_id], text[fact_id] = value, rendered

    literals: dict[str, list[Fact]] = {}
    for fact in facts.values():
        if fact.object_id is None:
            literals.setdefault(fact.subject_id, []).append(fact)
    for path in paths:
        rendered = path.render(names)
        coverage = path_coverage(path, relations, depth)
        value = path.score * coverage
        for position, fact_id in enumerate(path.fact_ids):
            last = position == len(path) - 1
            offer(fact_id, value if last or path.kind == "meet" else 0.5 * value, rendered)
            if path.kind == "meet" or (last and coverage >= 0.999):
                promote[fact_id] = max(promote.get(fact_id, 0.0), value)
        if path.kind != "outward":
            continue
        for fact in literals.get(path.end, ()):
            extra_coverage = path_coverage(path, relations, depth, extra=fact.predicate)
            extra_value = path.score * weights.get(fact.id, 0.0) * extra_coverage
            offer(fact.id, extra_value, f"{rendered} -{fact.predicate}-> {fact.object_value}")
            if extra_coverage >= 0.999:
                promote[fact.id] = max(promote.get(fact.id, 0.0), extra_value)
    return score, text, promote


def collapse_slots(
    ranked: Sequence[str],
    facts: Mapping[str, Fact],
    *,
    in_view: set[str],
    others: Mapping[str, Fact] | None = None,
) -> tuple[list[str], dict[str, list[Fact]]]:
    """Keep facts in the view, in rank order; attach each slot's out-of-view facts as its history.

    Returns the kept ids and, per kept fact, the *other* facts of its slot that are older than it
    (oldest first): superseded values for the current view, earlier values in a historical view.
    ``others`` holds extra facts (fetched through SUPERSEDES edges) that are history only.

    >>> from datetime import UTC, datetime
    >>> def fact(i, o, y, status="active"):
    ...     return Fact(id=i, namespace="n", subject_id="m", predicate="lives_in", object_value=o, text=o,
    ...                 valid_from=datetime(y, 1, 1, tzinfo=UTC), status=status)
    >>> facts = {"new": fact("new", "Lisbon", 2024), "old": fact("old", "Paris", 2020, "superseded")}
    >>> kept, history = collapse_slots(["old", "new"], facts, in_view={"new"})
    >>> kept, [f.object_value for f in history["new"]]
    (['new'], ['Paris'])
    """
    everything: dict[str, Fact] = {**(others or {}), **facts}
    by_slot: dict[tuple[str, str], list[Fact]] = {}
    for fact in everything.values():
        by_slot.setdefault(slot_of(fact), []).append(fact)
    kept = [fact_id for fact_id in ranked if fact_id in in_view and fact_id in facts]
    history: dict[str, list[Fact]] = {}
    for fact_id in kept:
        fact = facts[fact_id]
        mine = _timestamp(fact)
        older = [
            f
            for f in by_slot.get(slot_of(fact), [])
            if f.id != fact_id
            and (f.id not in in_view or _timestamp(f) < mine)
            and f.status != FactStatus.retracted
            and _timestamp(f) <= mine
            and (f.object_id or f.object_value) != (fact.object_id or fact.object_value)
        ]
        older.sort(key=_timestamp)
        history[fact_id] = older
    return kept, history


def diversify(
    ranked: Sequence[str],
    scores: Mapping[str, float],
    groups: Mapping[str, Sequence[str]],
    *,
    decay: float = 0.85,
    limit: int | None = None,
) -> list[str]:
    """Greedy re-ranking: each item's score is multiplied by ``decay`` per already-picked item that
    shares a group with it (a slot, an episode), so near-duplicates give way to new information.

    >>> diversify(["a1", "a2", "b"], {"a1": 1.0, "a2": 0.9, "b": 0.8}, {"a1": ["A"], "a2": ["A"], "b": ["B"]},
    ...           decay=0.5)
    ['a1', 'b', 'a2']
    """
    if not 0.0 < decay <= 1.0:
        raise ValueError("decay must be in (0, 1]")
    pending = list(ranked)
    seen: dict[str, int] = {}
    out: list[str] = []
    while pending and (limit is None or len(out) < limit):
        best_index = max(
            range(len(pending)),
            key=lambda i: (
                scores.get(pending[i], 0.0)
                * decay ** sum(seen.get(g, 0) for g in groups.get(pending[i], ())),
                -i,
            ),
        )
        item = pending.pop(best_index)
        out.append(item)
        for group in groups.get(item, ()):
            seen[group] = seen.get(group, 0) + 1
    return out


def rank_episodes(
    candidates: Iterable[str],
    episodes: Mapping[str, Episode],
    *,
    seed_rrf: Mapping[str, float],
    from_facts: Mapping[str, float],
    ppr: Mapping[str, float],
    weights: Mapping[str, float],
    speaker_keys: set[str],
    speaker_boost: float = 0.3,
    neighbours: Mapping[str, Sequence[str]] | None = None,
    neighbour_alpha: float = 0.5,
    rrf_scale: float = 61.0,
    anchored: Mapping[str, float] | None = None,
) -> tuple[list[str], dict[str, dict[str, float]]]:
    """Episodes ranked from the flat hybrid base, moved by graph evidence, then context-smoothed.

    * ``rrf`` (the base): reciprocal-rank fusion of the episode search channels times ``rrf_scale``
      (``k + 1`` makes rank 1 in one channel worth 1). Everything else only moves items around it.
    * ``graph``: the stronger of the AriGraph score (the episode evidences relevant facts) and the
      episode's PageRank mass, each min-max normalised. Both measure the same thing (the graph
      around the question reaches this episode), so they are counted once, not added.
    * ``anchor``: the passage is anchored on an entity the question names (a document whose title is
      that entity): comparison and bridge questions need every named entity's own passage.

    Legacy weights ``facts`` / ``ppr`` (older configurations) are read as the ``graph`` weight. An
    episode said by a person the question names is boosted by ``speaker_boost`` (the speaker is an
    entity the episode is linked to). Finally each episode borrows ``neighbour_alpha`` of its best
    session neighbour's score (the answer often sits in the turn after the question).
    """
    from graphmem.model import entity_key
    from graphmem.retrieve.episodes import neighbour_smoothing

    ids = list(dict.fromkeys([*candidates, *(anchored or {})]))
    facts_n = minmax({i: from_facts.get(i, 0.0) for i in ids})
    ppr_n = minmax({i: ppr.get(i, 0.0) for i in ids})
    signals = {
        "rrf": {i: rrf_scale * seed_rrf.get(i, 0.0) for i in ids},
        "graph": {i: max(facts_n.get(i, 0.0), ppr_n.get(i, 0.0)) for i in ids},
        "anchor": {i: float((anchored or {}).get(i, 0.0)) for i in ids},
    }
    weights = dict(weights)
    if "graph" not in weights and ("facts" in weights or "ppr" in weights):
        weights["graph"] = max(weights.get("facts", 0.0), weights.get("ppr", 0.0))
    scores, breakdown = weighted_fusion(signals, weights, candidates=ids, normalise=False)
    for episode_id in ids:
        episode = episodes.get(episode_id)
        if episode is not None and speaker_boost and entity_key(episode.speaker or "") in speaker_keys:
            bonus = scores[episode_id] * speaker_boost
            scores[episode_id] += bonus
            breakdown[episode_id]["speaker"] = bonus
    if neighbours:
        smoothed = neighbour_smoothing(scores, neighbours, alpha=neighbour_alpha)
        for episode_id, value in smoothed.items():
            extra = value - scores.get(episode_id, 0.0)
            if extra > 0:
                breakdown.setdefault(episode_id, {})["context"] = extra
            scores[episode_id] = value
    order = sorted(scores, key=lambda i: (-round(scores[i], 9), i))
    return order, {i: {k: round(v, 6) for k, v in breakdown.get(i, {}).items()} for i in order}
