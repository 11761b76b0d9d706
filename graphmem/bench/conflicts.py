"""``graphmem bench conflicts``: the reconsolidation scenario suite, run through the public API only.

Each scenario (``tests/scenarios/*.yaml``, schema in that folder's README) is a timestamped
conversation plus the answers a careful reader would give afterwards. The runner adds the statements
to a fresh namespace with ``Memory.add`` and then asks ``Memory.facts`` / ``Memory.history`` /
``Memory.search`` -- exactly what a user can do -- so the score measures extraction, resolution,
reconciliation and retrieval together, the way a user meets them. Accuracy is reported separately
for current values (including values that must be gone), as-of values, histories and multi-hop
questions, plus per scenario tag, and every failed check says what the memory returned instead so
a miss can be traced to the extractor (no fact at all) or to reconciliation (a stale value current).

Run it with ``graphmem bench conflicts --json`` or ``python -m graphmem.bench.conflicts --json``.
``graphmem bench conflicts --generated --seed N --json`` runs held-out scenarios generated from a seed
instead (:mod:`graphmem.bench.scenario_gen`), scored per class (paraphrase, hypothetical, negation):
tune on one seed, report on another.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graphmem.errors import GraphmemError, InvalidInput
from graphmem.model import FactStatus, Modality, UTCDateTime, entity_key
from graphmem.predicates import normalise_predicate

if TYPE_CHECKING:
    from graphmem.memory import Memory

__all__ = [
    "MULTIHOP_DEPTH",
    "AsOfCheck",
    "Expect",
    "HistoryCheck",
    "MultihopCheck",
    "Scenario",
    "SlotCheck",
    "Statement",
    "default_scenario_dir",
    "load_scenarios",
    "main",
    "render_text",
    "run",
]

MULTIHOP_DEPTH = 3
"""A multi-hop answer counts when it is named by one of the first three fact hits: the scenarios'
namespaces hold a handful of facts, so "somewhere in the top 10" would prove nothing."""

_LIVE = {FactStatus.active.value, FactStatus.disputed.value}
_CLAIMS = {Modality.asserted.value, Modality.reported.value}
_FETCH_LIMIT = 500
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


# --- the scenario schema -------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _one_or_many(value: Any) -> Any:
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list):
        return [str(v) for v in value]
    return value


class Statement(_Strict):
    """One utterance, added with ``Memory.add(text, speaker=..., timestamp=at)``."""

    at: UTCDateTime
    text: str = Field(min_length=1)
    speaker: str | None = None


class SlotCheck(_Strict):
    """A fact expected in (``current``) or missing from (``absent``) the current view."""

    subject: str
    predicate: list[str]
    object: list[str]
    polarity: bool = True
    status: FactStatus | None = None
    modality: Modality | None = None

    split_lists = field_validator("predicate", "object", mode="before")(_one_or_many)

    @field_validator("predicate")
    @classmethod
    def _canonical(cls, value: list[str]) -> list[str]:
        return [normalise_predicate(p) for p in value]


class AsOfCheck(SlotCheck):
    """A value that held (or, with ``present: false``, did not hold) at event time ``at``."""

    at: UTCDateTime
    present: bool = True


class HistoryCheck(_Strict):
    """The values of a slot, oldest first, exactly."""

    subject: str
    predicate: list[str]
    objects: list[str] = Field(min_length=1)

    split_lists = field_validator("predicate", mode="before")(_one_or_many)

    @field_validator("predicate")
    @classmethod
    def _canonical(cls, value: list[str]) -> list[str]:
        return [normalise_predicate(p) for p in value]


class MultihopCheck(_Strict):
    """A question whose answer depends on updated facts."""

    question: str = Field(min_length=1)
    answer: str
    stale: list[str] = Field(default_factory=list)
    distractors: list[str] = Field(default_factory=list)
    as_of: UTCDateTime | None = None

    @model_validator(mode="after")
    def _answer_is_not_a_wrong_answer(self) -> MultihopCheck:
        if entity_key(self.answer) in {entity_key(x) for x in (*self.stale, *self.distractors)}:
            raise ValueError(f"answer {self.answer!r} is also listed as stale or distractor")
        return self


class Expect(_Strict):
    current: list[SlotCheck] = Field(default_factory=list)
    absent: list[SlotCheck] = Field(default_factory=list)
    as_of: list[AsOfCheck] = Field(default_factory=list)
    history: list[HistoryCheck] = Field(default_factory=list)
    multihop: list[MultihopCheck] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Expect:
        if not any((self.current, self.absent, self.as_of, self.history, self.multihop)):
            raise ValueError("a scenario must expect something")
        return self


class Scenario(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    tags: list[str] = Field(default_factory=list)
    namespace_speaker: str
    statements: list[Statement] = Field(min_length=1)
    expect: Expect
    source: str = ""

    def speaker_of(self, statement: Statement) -> str:
        return statement.speaker or self.namespace_speaker


def default_scenario_dir() -> Path:
    """``tests/scenarios`` of the source checkout graphmem runs from."""
    return Path(__file__).resolve().parents[2] / "tests" / "scenarios"


def load_scenarios(directory: Path) -> list[Scenario]:
    """Every scenario of every ``*.yaml`` file in ``directory``, validated; names must be unique."""
    if not directory.is_dir():
        raise InvalidInput(f"scenario directory not found: {directory}")
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            raise InvalidInput(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(items, list):
            raise InvalidInput(f"{path.name}: expected a list of scenarios")
        for index, item in enumerate(items):
            try:
                scenario = Scenario.model_validate({**item, "source": path.name})
            except (ValidationError, TypeError) as exc:
                raise InvalidInput(f"{path.name}, scenario {index + 1}: {exc}") from exc
            if scenario.name in seen:
                raise InvalidInput(
                    f"scenario {scenario.name!r} is defined in {seen[scenario.name]} and {path.name}"
                )
            seen[scenario.name] = path.name
            scenarios.append(scenario)
    if not scenarios:
        raise InvalidInput(f"no scenarios in {directory}")
    return scenarios


# --- reading results ------------------------------------------------------------------------------


def _value(obj: Any) -> str:
    raw = getattr(obj, "value", obj)
    return str(raw) if raw is not None else ""


def _key(name: Any) -> str:
    return entity_key(str(name)) if name is not None else ""


def _describe(fact: Any) -> str:
    sign = "" if getattr(fact, "polarity", True) else "NOT "
    start = getattr(fact, "valid_from", None)
    end = getattr(fact, "valid_to", None)
    span = f" [{start.date() if start else '?'}..{end.date() if end else ''}]"
    modality = _value(getattr(fact, "modality", "asserted"))
    hedge = "" if modality in _CLAIMS else f" ({modality})"
    return (
        f"{fact.subject} {sign}{fact.predicate} {fact.object}{hedge} "
        f"<{_value(getattr(fact, 'status', ''))}>{span}"
    )


def _matches(fact: Any, check: SlotCheck, *, live_only: bool) -> bool:
    if _key(fact.subject) != _key(check.subject):
        return False
    if normalise_predicate(str(fact.predicate)) not in check.predicate:
        return False
    if _key(fact.object) not in {_key(o) for o in check.object}:
        return False
    if bool(fact.polarity) != check.polarity:
        return False
    status = _value(fact.status)
    if check.status is not None:
        if status != check.status.value:
            return False
    elif live_only and status not in _LIVE:
        return False
    modality = _value(fact.modality)
    return modality == check.modality.value if check.modality is not None else modality in _CLAIMS


class _Reader:
    """Memory reads for one scenario, cached so each (subject, as_of) view is fetched once."""

    def __init__(self, memory: Memory, namespace: str) -> None:
        self.memory = memory
        self.namespace = namespace
        self._cache: dict[tuple[str, datetime | None, bool], list[Any]] = {}

    def facts(
        self, subject: str, *, as_of: datetime | None = None, include_history: bool = False
    ) -> list[Any]:
        key = (_key(subject), as_of, include_history)
        if key not in self._cache:
            try:
                self._cache[key] = list(
                    self.memory.facts(
                        namespace=self.namespace,
                        subject=subject,
                        as_of=as_of,
                        include_history=include_history,
                        limit=_FETCH_LIMIT,
                    )
                )
            except GraphmemError:  # an unknown subject is "no facts", which the check reports
                self._cache[key] = []
        return self._cache[key]

    def slot_history(self, check: HistoryCheck) -> list[Any]:
        found: dict[str, Any] = {}
        for fact in self.facts(check.subject, include_history=True):
            found.setdefault(str(fact.id), fact)
            for older in getattr(fact, "history", None) or []:
                found.setdefault(str(older.id), older)
        for predicate in check.predicate:
            try:
                entries = self.memory.history(
                    namespace=self.namespace, subject=check.subject, predicate=predicate
                )
            except GraphmemError:
                continue
            for entry in entries:
                fact = getattr(entry, "fact", entry)
                found.setdefault(str(fact.id), fact)
        return [
            f
            for f in found.values()
            if _key(f.subject) == _key(check.subject)
            and normalise_predicate(str(f.predicate)) in check.predicate
            and bool(f.polarity)
            and _value(f.status) != FactStatus.retracted.value
            and _value(f.modality) in _CLAIMS
        ]


# --- scoring ------------------------------------------------------------------------------------


class _Score:
    def __init__(self) -> None:
        self.kinds: dict[str, list[int]] = {k: [0, 0] for k in ("current", "as_of", "history", "multihop")}
        self.tags: dict[str, list[int]] = {}
        self.failures: list[dict[str, Any]] = []
        self.scenarios_passed = 0

    def record(self, scenario: Scenario, kind: str, ok: bool, expected: Any, got: Any) -> bool:
        bucket = self.kinds[kind]
        bucket[1] += 1
        bucket[0] += int(ok)
        for tag in scenario.tags:
            tally = self.tags.setdefault(tag, [0, 0])
            tally[1] += 1
            tally[0] += int(ok)
        if not ok:
            self.failures.append({"scenario": scenario.name, "kind": kind, "expected": expected, "got": got})
        return ok

    @staticmethod
    def summary(correct: int, total: int) -> dict[str, Any]:
        return {"correct": correct, "total": total, "accuracy": round(correct / total, 4) if total else None}


def _check_slots(score: _Score, scenario: Scenario, reader: _Reader) -> bool:
    ok = True
    for check in scenario.expect.current:
        view = reader.facts(check.subject)
        hit = any(_matches(f, check, live_only=True) for f in view)
        ok &= score.record(scenario, "current", hit, _expected(check), _slot_got(view, check))
    for check in scenario.expect.absent:
        view = reader.facts(check.subject)
        hit = any(_matches(f, check, live_only=True) for f in view)
        ok &= score.record(
            scenario, "current", not hit, "absent: " + _expected(check), _slot_got(view, check)
        )
    for as_of in scenario.expect.as_of:
        view = reader.facts(as_of.subject, as_of=as_of.at)
        hit = any(_matches(f, as_of, live_only=False) for f in view)
        expected = f"{'' if as_of.present else 'absent: '}{_expected(as_of)} @ {as_of.at.isoformat()}"
        ok &= score.record(scenario, "as_of", hit == as_of.present, expected, _slot_got(view, as_of))
    return ok


def _expected(check: SlotCheck) -> str:
    sign = "" if check.polarity else "NOT "
    status = f" <{check.status.value}>" if check.status else ""
    return f"{check.subject} {sign}{'|'.join(check.predicate)} {'|'.join(check.object)}{status}"


def _slot_got(view: Iterable[Any], check: SlotCheck) -> list[str]:
    """What the memory holds for the subject: the slot's facts, else everything (extraction misses)."""
    facts = [f for f in view if _key(f.subject) == _key(check.subject)]
    slot = [f for f in facts if normalise_predicate(str(f.predicate)) in check.predicate]
    return [_describe(f) for f in (slot or facts)][:12]


def _check_histories(score: _Score, scenario: Scenario, reader: _Reader) -> bool:
    ok = True
    for check in scenario.expect.history:
        facts = sorted(
            reader.slot_history(check),
            key=lambda f: (f.valid_from or _EPOCH, f.recorded_at or _EPOCH),
        )
        got = [_key(f.object) for f in facts]
        expected = [_key(o) for o in check.objects]
        ok &= score.record(
            scenario,
            "history",
            got == expected,
            f"{check.subject} {'|'.join(check.predicate)}: {' -> '.join(check.objects)}",
            [_describe(f) for f in facts],
        )
    return ok


def _valid_at(hit: Any, when: datetime | None) -> bool:
    status = _value(getattr(hit, "status", FactStatus.active.value))
    if status == FactStatus.retracted.value:
        return False
    if when is None:
        return status in _LIVE
    start, end = getattr(hit, "valid_from", None), getattr(hit, "valid_to", None)
    return (start is None or start <= when) and (end is None or when < end)


def _check_multihop(score: _Score, scenario: Scenario, memory: Memory, namespace: str, depth: int) -> bool:
    ok = True
    for check in scenario.expect.multihop:
        try:
            result = memory.search(check.question, namespace=namespace, k=10, as_of=check.as_of)
            hits = list(getattr(result, "facts", []) or [])
        except GraphmemError as exc:
            ok &= score.record(scenario, "multihop", False, check.answer, f"error: {exc}")
            continue
        answer, stale = _key(check.answer), {_key(s) for s in check.stale}
        distractors = {_key(d) for d in check.distractors}
        answer_rank: int | None = None
        for rank, hit in enumerate(hits, start=1):
            names = {_key(getattr(hit, "subject", None)), _key(getattr(hit, "object", None))}
            valid = _valid_at(hit, check.as_of)
            if answer in names and valid:
                answer_rank = rank
                break
            if (names & stale and not valid) or names & distractors:
                break  # a wrong answer ranks first
        hit_ok = answer_rank is not None and answer_rank <= depth
        got = [
            f"{getattr(h, 'text', '')} <{_value(getattr(h, 'status', ''))}>" for h in hits[: max(depth, 5)]
        ]
        when = f" (as of {check.as_of.date()})" if check.as_of else ""
        ok &= score.record(scenario, "multihop", hit_ok, f"{check.question}{when} -> {check.answer}", got)
    return ok


def run(
    scenario_dir: Path,
    memory_factory: Callable[[], Memory],
    *,
    names: Sequence[str] | str | None = None,
    namespace_prefix: str = "conflicts-",
    multihop_depth: int = MULTIHOP_DEPTH,
    generated: bool = False,
    seed: int = 1,
    per_class: int | None = None,
) -> dict[str, Any]:
    """Run the scenarios (all, or those in ``names``: a list or "a,b"), each in its own namespace.

    One memory serves every scenario; the namespaces keep them apart. With ``generated`` the
    scenarios are not read from ``scenario_dir`` but generated from ``seed`` (``per_class`` of each
    class, see :mod:`graphmem.bench.scenario_gen`) and scored per class by
    :func:`graphmem.bench.scenario_check.run_generated`.

    Returns ``{"scenarios", "scenarios_passed", "current", "as_of", "history", "multihop",
    "by_tag", "failures", "statements", "seconds"}``; each accuracy entry is
    ``{"correct", "total", "accuracy"}``.
    """
    if generated:
        from graphmem.bench.scenario_check import run_generated
        from graphmem.bench.scenario_gen import DEFAULT_PER_CLASS

        if names is not None:
            raise InvalidInput("--only names hand-written scenarios; it does not apply to --generated")
        return run_generated(memory_factory, seed=seed, per_class=per_class or DEFAULT_PER_CLASS)
    scenarios = load_scenarios(scenario_dir)
    if names is not None:
        wanted = {n.strip() for n in names.split(",")} if isinstance(names, str) else set(names)
        wanted.discard("")
        unknown = wanted - {s.name for s in scenarios}
        if unknown:
            raise InvalidInput(f"unknown scenario(s): {', '.join(sorted(unknown))}")
        scenarios = [s for s in scenarios if s.name in wanted]
    score = _Score()
    statements = 0
    started = time.perf_counter()
    memory = memory_factory()
    try:
        for scenario in scenarios:
            namespace = f"{namespace_prefix}{scenario.name}"
            added = True
            for index, statement in enumerate(scenario.statements):
                try:
                    memory.add(
                        statement.text,
                        speaker=scenario.speaker_of(statement),
                        timestamp=statement.at,
                        namespace=namespace,
                        session=scenario.name,
                        id=f"{scenario.name}-{index}",
                    )
                    statements += 1
                except GraphmemError as exc:
                    added = False
                    score.failures.append(
                        {
                            "scenario": scenario.name,
                            "kind": "add",
                            "expected": statement.text,
                            "got": str(exc),
                        }
                    )
            reader = _Reader(memory, namespace)
            passed = _check_slots(score, scenario, reader)
            passed &= _check_histories(score, scenario, reader)
            passed &= _check_multihop(score, scenario, memory, namespace, multihop_depth)
            score.scenarios_passed += int(passed and added)
    finally:
        memory.close()
    report: dict[str, Any] = {"scenarios": len(scenarios), "scenarios_passed": score.scenarios_passed}
    for kind, (correct, total) in score.kinds.items():
        report[kind] = score.summary(correct, total)
    report["by_tag"] = {tag: score.summary(c, t) for tag, (c, t) in sorted(score.tags.items())}
    report["failures"] = score.failures
    report["statements"] = statements
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def render_text(report: dict[str, Any]) -> str:
    """A readable summary of a report (the CLI prints this without ``--json``)."""
    if "by_class" in report:
        from graphmem.bench.scenario_check import render_text as render_generated

        return render_generated(report)

    def pct(entry: dict[str, Any]) -> str:
        acc = entry["accuracy"]
        return f"{entry['correct']}/{entry['total']}" + (f" ({acc:.1%})" if acc is not None else "")

    lines = [
        f"scenarios: {report['scenarios']} ({report['scenarios_passed']} fully correct), "
        f"{report['statements']} statements in {report['seconds']}s",
    ]
    for kind in ("current", "as_of", "history", "multihop"):
        lines.append(f"  {kind:<9} {pct(report[kind])}")
    lines.append("by tag:")
    lines.extend(f"  {tag:<14} {pct(entry)}" for tag, entry in report["by_tag"].items())
    if report["failures"]:
        lines.append(f"failures ({len(report['failures'])}):")
        for failure in report["failures"]:
            lines.append(f"  [{failure['scenario']}] {failure['kind']}: expected {failure['expected']}")
            got = failure["got"]
            for item in got if isinstance(got, list) else [got]:
                lines.append(f"      got {item}")
            if not got:
                lines.append("      got nothing")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graphmem.bench.conflicts [--json] [--dir DIR] [--path STORE] [--only NAME ...]``."""
    parser = argparse.ArgumentParser(prog="graphmem bench conflicts", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--dir", type=Path, default=None, help="scenario directory (default: tests/scenarios)"
    )
    parser.add_argument("--path", type=Path, default=None, help="memory directory (default: a temporary one)")
    parser.add_argument("--only", nargs="*", default=None, help="run only these scenarios")
    parser.add_argument("--generated", action="store_true", help="run generated held-out scenarios")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated scenarios")
    parser.add_argument("--per-class", type=int, default=None, help="generated scenarios per class")
    args = parser.parse_args(argv)
    from graphmem import Memory  # the surface is imported only when the benchmark really runs

    with tempfile.TemporaryDirectory(prefix="graphmem-conflicts-") as tmp:
        path = args.path or Path(tmp) / "memory"
        report = run(
            args.dir or default_scenario_dir(),
            lambda: Memory(path=path),
            names=args.only,
            generated=args.generated,
            seed=args.seed,
            per_class=args.per_class,
        )
    print(json.dumps(report, indent=2, default=str) if args.json else render_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
