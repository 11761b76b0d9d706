"""Bidirectional beam search over entity -> entity relations, yielding explicit paths.

The edges are the subgraph's entity-valued facts (the RELATES projection): a fact (s, p, o) can be
walked forwards s -> o or backwards o -> s, because a question may be asked from either end
("Where does Maria's sister live?" starts at Maria; "Who lives in Porto?" starts at Porto).

Two modes:

* **outward** (one mentioned entity, or none known on the far side): a beam of the ``beam_width`` best
  partial paths per level, grown up to ``depth`` hops; every kept path is a candidate answer chain.
* **meet in the middle** (two or more mentioned entities): beams grow from the sources and from the
  targets at the same time, each to about half the depth, and paths are joined where the frontiers meet.
  Each side only goes half as deep, so with branching factor b the work is about 2 b^(d/2) instead of
  b^d, and the result is an explicit chain between the mentioned entities (Maria -sister-> Anna
  -husband-> Tom), which is what a multi-hop question about two named things wants.

A path's score is the product of its steps' weights (the caller's per-fact weights: query similarity
times validity, in [0, 1]), so longer paths pay for every extra hop. Paths are generated lazily, shortest
first and best first within a length, up to ``max_paths``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from graphmem.errors import InvalidInput
from graphmem.model import Subgraph

__all__ = ["Path", "Step", "beam_paths", "relation_edges"]


@dataclass(frozen=True, slots=True)
class Step:
    """One hop: from ``source`` to ``target`` over fact ``fact_id``; ``forward`` = subject -> object."""

    fact_id: str
    source: str
    target: str
    predicate: str
    forward: bool
    weight: float = 1.0

    def flipped(self) -> Step:
        return Step(self.fact_id, self.target, self.source, self.predicate, not self.forward, self.weight)


@dataclass(frozen=True, slots=True)
class Path:
    """A chain of steps starting at ``start``; ``kind`` says how it was found (outward or meet)."""

    start: str
    steps: tuple[Step, ...] = ()
    kind: str = "outward"
    score: float = field(default=1.0, compare=False)

    @property
    def end(self) -> str:
        return self.steps[-1].target if self.steps else self.start

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.start, *(step.target for step in self.steps))

    @property
    def fact_ids(self) -> tuple[str, ...]:
        return tuple(step.fact_id for step in self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def extend(self, step: Step) -> Path:
        return Path(self.start, (*self.steps, step), self.kind, self.score * step.weight)

    def reversed(self) -> Path:
        """The same chain read from its end (each step flipped)."""
        steps = tuple(step.flipped() for step in reversed(self.steps))
        return Path(self.end, steps, self.kind, self.score)

    def render(self, names: Mapping[str, str]) -> str:
        """``Maria -sister-> Anna -lives_in-> Porto``; a backwards step reads ``Porto <-lives_in- Anna``.

        >>> p = Path("m", (Step("f1", "m", "a", "sister", True), Step("f2", "a", "p", "lives_in", True)))
        >>> p.render({"m": "Maria", "a": "Anna", "p": "Porto"})
        'Maria -sister-> Anna -lives_in-> Porto'
        >>> p.reversed().render({"m": "Maria", "a": "Anna", "p": "Porto"})
        'Porto <-lives_in- Anna <-sister- Maria'
        """
        parts = [names.get(self.start, self.start)]
        for step in self.steps:
            arrow = f"-{step.predicate}->" if step.forward else f"<-{step.predicate}-"
            parts.append(f"{arrow} {names.get(step.target, step.target)}")
        return " ".join(parts)


def relation_edges(
    graph: Subgraph, *, fact_weights: Mapping[str, float] | None = None
) -> dict[str, list[Step]]:
    """Adjacency of the entity -> entity relations, both directions, best weight first.

    Literal-valued facts (``object_value``) are not relations and are left out, as are facts with a
    weight of 0 and self-loops.
    """
    adjacency: dict[str, list[Step]] = {}
    for fact_id, fact in graph.facts.items():
        if fact.object_id is None or fact.object_id == fact.subject_id:
            continue
        weight = 1.0 if fact_weights is None else float(fact_weights.get(fact_id, 1.0))
        if weight <= 0.0:
            continue
        step = Step(fact_id, fact.subject_id, fact.object_id, fact.predicate, True, weight)
        adjacency.setdefault(step.source, []).append(step)
        adjacency.setdefault(step.target, []).append(step.flipped())
    for steps in adjacency.values():
        steps.sort(key=lambda s: (-s.weight, s.fact_id, s.forward))
    return adjacency


def _grow(
    adjacency: Mapping[str, list[Step]], starts: Iterable[str], levels: int, beam_width: int, kind: str
) -> list[list[Path]]:
    """Beams per level: ``out[i]`` holds the best ``beam_width`` simple paths of i hops."""
    beams: list[list[Path]] = [[Path(s, (), kind) for s in dict.fromkeys(starts)]]
    for _ in range(levels):
        candidates: list[Path] = []
        for path in beams[-1]:
            visited = set(path.nodes)
            for step in adjacency.get(path.end, ()):
                if step.target not in visited:
                    candidates.append(path.extend(step))
        candidates.sort(key=lambda p: (-p.score, p.fact_ids))
        if not candidates:
            break
        beams.append(candidates[:beam_width])
    return beams


def beam_paths(
    graph: Subgraph,
    sources: Iterable[str],
    *,
    targets: Iterable[str] = (),
    fact_weights: Mapping[str, float] | None = None,
    depth: int = 2,
    beam_width: int = 8,
    max_paths: int = 50,
) -> Iterator[Path]:
    """Paths from ``sources`` (outward) or between ``sources`` and ``targets`` (meet in the middle).

    Parameters
    ----------
    graph
        The fetched subgraph; only its entity-valued facts are walked.
    sources, targets
        Entity ids. With targets, only complete source -> target chains are yielded (``kind="meet"``);
        without, every beam path of 1..depth hops is (``kind="outward"``).
    fact_weights
        fact id -> weight in [0, 1] (default 1); a path scores the product of its weights.
    depth
        Maximum hops of a yielded path (1-4).
    beam_width
        Partial paths kept per level and side.
    max_paths
        Stop after this many paths.

    Yields
    ------
    Path
        Shortest first; best score first within one length; never the same fact chain twice.

    Examples
    --------
    >>> from graphmem.model import Fact
    >>> def fact(i, s, p, o):
    ...     return Fact(id=i, namespace="n", subject_id=s, predicate=p, object_id=o, text=i)
    >>> g = Subgraph(facts={"f1": fact("f1", "maria", "sister", "anna"),
    ...                     "f2": fact("f2", "anna", "husband", "tom")})
    >>> [p.render({}) for p in beam_paths(g, ["maria"], targets=["tom"])]
    ['maria -sister-> anna -husband-> tom']
    >>> [p.render({}) for p in beam_paths(g, ["tom"], depth=1)]
    ['tom <-husband- anna']
    """
    if not 1 <= depth <= 4:
        raise InvalidInput(f"depth must be in 1..4, got {depth}")
    if beam_width < 1 or max_paths < 1:
        raise InvalidInput("beam_width and max_paths must be >= 1")
    source_list = list(dict.fromkeys(sources))
    target_list = [t for t in dict.fromkeys(targets) if t not in set(source_list)]
    adjacency = relation_edges(graph, fact_weights=fact_weights)
    produced = 0
    if not target_list:
        beams = _grow(adjacency, source_list, depth, beam_width, "outward")
        for level in beams[1:]:
            for path in level:
                yield path
                produced += 1
                if produced >= max_paths:
                    return
        return
    forward_levels = (depth + 1) // 2
    backward_levels = depth // 2
    forward = _grow(adjacency, source_list, forward_levels, beam_width, "meet")
    backward = _grow(adjacency, target_list, backward_levels, beam_width, "meet")
    reached_back: dict[str, list[Path]] = {}
    for level in backward:
        for path in level:
            reached_back.setdefault(path.end, []).append(path)
    joined: dict[tuple[str, ...], Path] = {}
    for level in forward:
        for head in level:
            for tail in reached_back.get(head.end, ()):
                if len(head) + len(tail) == 0 or len(head) + len(tail) > depth:
                    continue
                if set(head.nodes) & set(tail.nodes) != {head.end}:
                    continue  # the two halves cross elsewhere: not a simple path
                path = Path(head.start, head.steps, "meet", head.score)
                for step in tail.reversed().steps:
                    path = path.extend(step)
                best = joined.get(path.fact_ids)
                if best is None or path.score > best.score:
                    joined[path.fact_ids] = path
    ordered = sorted(joined.values(), key=lambda p: (len(p), -p.score, p.fact_ids))
    for path in ordered[:max_paths]:
        yield path
