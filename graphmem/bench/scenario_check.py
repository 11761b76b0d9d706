"""Run generated scenarios through the public SDK and score them per class (``--generated``).

Each scenario of :mod:`graphmem.bench.scenario_gen` gets its own namespace; its turns go in with
``Memory.add`` and the checks read with ``Memory.search`` (the first three fact hits, what a caller
puts in front of a model) and ``Memory.facts`` (the current view), nothing else.

A search check passes when, among the first :data:`DEPTH` fact hits,

* the answer is named by a hit about the right subject (any subject for multi-hop questions) that is
  *served*: live (or valid at the as-of time), positive and asserted;
* no hit above it names a wrong value (stale, hedged, ended, or someone else's);
* no hit names one of the subject's wrong values as served, and no hedged or negative hit of the
  subject is shown at all, because the question did not ask about plans or endings.

When no value is current (a negation with nothing after it) only the last two rules apply. A ``plans``
check needs the hedged value in the top three, marked as hedged; an ``ever`` check needs the ended
value in the top three, marked as closed or negative and not served as current. A ``facts`` check
compares the subject's live, positive, asserted values among the scenario's values with the expected
set, and for an ended value also requires that it is still on record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from graphmem.bench.scenario_gen import CLASSES, DEFAULT_PER_CLASS, Check, GeneratedScenario, generate
from graphmem.errors import GraphmemError
from graphmem.model import FactStatus, Modality, entity_key

if TYPE_CHECKING:
    from graphmem.memory import Memory

__all__ = ["DEPTH", "render_text", "run_generated", "score_check"]

DEPTH = 3
"""Only the first three fact hits count: the namespaces hold a handful of facts."""

_LIVE = {FactStatus.active.value, FactStatus.disputed.value}
_CLAIMS = {Modality.asserted.value, Modality.reported.value}
_KINDS = ("current", "as_of", "multihop", "plans", "ever", "facts")


def _value(obj: Any) -> str:
    raw = getattr(obj, "value", obj)
    return str(raw) if raw is not None else ""


def _key(name: Any) -> str:
    return entity_key(str(name)) if name is not None else ""


def _served(hit: Any, when: datetime | None) -> bool:
    """Presented as a value that holds: valid in the view, positive and a claim (not a hedge)."""
    if not hit.polarity or _value(hit.modality) not in _CLAIMS:
        return False
    status = _value(hit.status)
    if status == FactStatus.retracted.value:
        return False
    if when is None:
        return status in _LIVE and hit.valid_to is None
    start, end = hit.valid_from, hit.valid_to
    return (start is None or start <= when) and (end is None or when < end)


def _hedged_or_negative(hit: Any) -> bool:
    return (not hit.polarity) or _value(hit.modality) not in _CLAIMS


def _describe(hit: Any) -> str:
    sign = "" if hit.polarity else "NOT "
    modality = _value(hit.modality)
    hedge = "" if modality in _CLAIMS else f" ({modality})"
    start, end = hit.valid_from, hit.valid_to
    span = f" [{start.date() if start else '?'}..{end.date() if end else ''}]"
    return f"{hit.subject} {sign}{hit.predicate} {hit.object}{hedge} <{_value(hit.status)}>{span}"


def score_check(check: Check, hits: Sequence[Any]) -> bool:
    """Whether the first :data:`DEPTH` fact hits answer a search check (rules in the module docstring)."""
    top = list(hits)[:DEPTH]
    subject, wrong = _key(check.subject), {_key(w) for w in check.wrong}
    answer = _key(check.answer) if check.answer else None
    own = [h for h in top if _key(h.subject) == subject]
    if check.kind == "plans":
        named = [h for h in top if _key(h.object) == answer]
        return any(h.polarity and _value(h.modality) not in _CLAIMS for h in named) and not any(
            _served(h, None) for h in named
        )
    if check.kind == "ever":
        named = [h for h in own if _key(h.object) == answer]
        return bool(named) and not any(_served(h, None) for h in named)
    when = check.as_of
    for hit in own:
        if _key(hit.object) in wrong and (_served(hit, when) or _hedged_or_negative(hit)):
            return False  # a wrong value served as current, or a hedge / negation nobody asked for
    if answer is None:
        return True
    for hit in top:
        names = {_key(hit.subject), _key(hit.object)}
        right_subject = check.kind == "multihop" or _key(hit.subject) == subject
        if answer in names and right_subject and _served(hit, when):
            return True
        if names & wrong:
            return False  # a wrong value ranks above the answer
    return False


def _check_facts(memory: Memory, namespace: str, check: Check) -> tuple[bool, list[str]]:
    try:
        view = memory.facts(namespace=namespace, subject=check.subject, include_history=True, limit=500)
    except GraphmemError as exc:
        return False, [f"error: {exc}"]
    values = {_key(v) for v in check.values}
    live = {
        _key(f.object)
        for f in view
        if _value(f.status) in _LIVE and f.polarity and _value(f.modality) in _CLAIMS and f.valid_to is None
    }
    ok = live & values == {_key(v) for v in check.expected}
    if not check.expected:  # nothing current: the ended value must still be on record
        on_record = {_key(f.object) for f in view}
        for fact in view:
            on_record |= {_key(h.object) for h in getattr(fact, "history", None) or []}
        ok = ok and bool(on_record & values)
    got = [_describe(f) for f in view if _key(f.object) in values] or [_describe(f) for f in view][:8]
    return ok, got


class _Tally:
    def __init__(self) -> None:
        self.groups: dict[str, dict[str, list[int]]] = {"class": {}, "kind": {}, "slot": {}, "person": {}}
        self.failures: list[dict[str, Any]] = []
        self.scenarios_passed = 0

    def add(self, scenario: GeneratedScenario, check: Check, ok: bool, got: list[str]) -> None:
        for group, key in (
            ("class", scenario.klass),
            ("kind", check.kind),
            ("slot", scenario.slot),
            ("person", scenario.person),
        ):
            bucket = self.groups[group].setdefault(key, [0, 0])
            bucket[0] += int(ok)
            bucket[1] += 1
        if not ok:
            self.failures.append(
                {
                    "scenario": scenario.name,
                    "kind": check.kind,
                    "question": check.question,
                    "as_of": check.as_of.isoformat() if check.as_of else None,
                    "expected": check.answer if check.kind != "facts" else list(check.expected),
                    "turns": [f"{t.at.date()} {t.text}" for t in scenario.turns if t.step != "distractor"],
                    "got": got,
                }
            )

    @staticmethod
    def summary(correct: int, total: int) -> dict[str, Any]:
        return {"correct": correct, "total": total, "accuracy": round(correct / total, 4) if total else None}


def run_generated(
    memory_factory: Callable[[], Memory],
    *,
    seed: int,
    per_class: int = DEFAULT_PER_CLASS,
    classes: Iterable[str] = CLASSES,
    namespace_prefix: str = "generated-",
    scenarios: Sequence[GeneratedScenario] | None = None,
) -> dict[str, Any]:
    """Generate (or take) scenarios, run them through one Memory and score them.

    Returns ``{"seed", "scenarios", "scenarios_passed", "checks", "by_class", "by_kind", "by_slot",
    "by_person", "failures", "statements", "seconds"}``; each entry is ``{"correct", "total",
    "accuracy"}``.
    """
    items = (
        list(scenarios)
        if scenarios is not None
        else generate(seed, per_class=per_class, classes=tuple(classes))
    )
    tally = _Tally()
    statements = 0
    started = time.perf_counter()
    memory = memory_factory()
    try:
        for scenario in items:
            namespace = f"{namespace_prefix}{seed}-{scenario.name}"
            for index, turn in enumerate(scenario.turns):
                memory.add(
                    turn.text,
                    speaker=turn.speaker,
                    timestamp=turn.at,
                    namespace=namespace,
                    session=scenario.name,
                    id=f"{scenario.name}-{index}",
                )
                statements += 1
            passed = True
            for check in scenario.checks:
                if check.kind == "facts":
                    ok, got = _check_facts(memory, namespace, check)
                else:
                    try:
                        result = memory.search(check.question, namespace=namespace, k=10, as_of=check.as_of)
                        hits = list(result.facts)
                    except GraphmemError as exc:
                        hits, got = [], [f"error: {exc}"]
                    ok = score_check(check, hits)
                    got = [_describe(h) for h in hits[:DEPTH]] if hits else ["no fact hits"]
                tally.add(scenario, check, ok, got)
                passed &= ok
            tally.scenarios_passed += int(passed)
    finally:
        memory.close()
    correct = sum(c for c, _ in tally.groups["kind"].values())
    total = sum(t for _, t in tally.groups["kind"].values())
    report: dict[str, Any] = {
        "seed": seed,
        "scenarios": len(items),
        "scenarios_passed": tally.scenarios_passed,
        "checks": tally.summary(correct, total),
    }
    for group, entries in tally.groups.items():
        order = CLASSES if group == "class" else _KINDS if group == "kind" else sorted(entries)
        report[f"by_{group}"] = {k: tally.summary(*entries[k]) for k in order if k in entries}
    report["failures"] = tally.failures
    report["statements"] = statements
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def render_text(report: dict[str, Any]) -> str:
    """A readable summary of a generated-scenario report."""

    def pct(entry: dict[str, Any]) -> str:
        acc = entry["accuracy"]
        return f"{entry['correct']}/{entry['total']}" + (f" ({acc:.1%})" if acc is not None else "")

    lines = [
        f"generated scenarios, seed {report['seed']}: {report['scenarios']} "
        f"({report['scenarios_passed']} fully correct), {report['statements']} statements in "
        f"{report['seconds']}s",
        f"  checks    {pct(report['checks'])}",
    ]
    for group in ("class", "kind", "slot", "person"):
        lines.append(f"by {group}:")
        lines.extend(f"  {name:<13} {pct(entry)}" for name, entry in report[f"by_{group}"].items())
    if report["failures"]:
        lines.append(f"failures ({len(report['failures'])}):")
        for failure in report["failures"]:
            when = f" (as of {failure['as_of'][:10]})" if failure["as_of"] else ""
            lines.append(
                f"  [{failure['scenario']}] {failure['kind']}: {failure['question']}{when} "
                f"-> {failure['expected']}"
            )
            lines.extend(f"      said {t}" for t in failure["turns"])
            lines.extend(f"      got  {g}" for g in failure["got"])
    return "\n".join(lines)
