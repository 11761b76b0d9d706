"""The held-out scenario generator: seeded, partly disjoint per seed, plain sentences, honest scoring."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graphmem.bench.scenario_check import score_check
from graphmem.bench.scenario_gen import CLASSES, Check, generate, render
from graphmem.bench.scenario_phrases import SLOTS
from graphmem.errors import InvalidInput
from graphmem.model import FactStatus, Modality
from graphmem.retrieve.results import FactHit


def test_same_seed_same_scenarios_other_seed_other_vocabulary() -> None:
    one, again, two = generate(1, per_class=6), generate(1, per_class=6), generate(2, per_class=6)
    assert one == again
    assert [s.klass for s in one] == [k for k in CLASSES for _ in range(6)]
    texts_one = {t.text for s in one for t in s.turns}
    texts_two = {t.text for s in two for t in s.turns}
    assert texts_one != texts_two
    assert texts_one - texts_two and texts_two - texts_one


def test_each_class_has_ten_phrasings_per_step() -> None:
    for step in ("state", "update", "hedge", "negate"):
        assert sum(len(spec.get(step, ())) for spec in SLOTS.values()) >= 10  # type: ignore[arg-type]
    for slot in ("residence", "employer"):
        for step in ("state", "update", "hedge", "negate"):
            assert len(SLOTS[slot][step]) >= 10, (slot, step)  # type: ignore[arg-type]


def test_templates_render_in_first_and_third_person() -> None:
    template = "[I|{S}] left {Y} and joined {X}."
    assert render(template, third=False, x="Meta", y="Google") == "I left Google and joined Meta."
    third = render(template, third=True, subject="Sofia, my sister,", x="Meta", y="Google")
    assert third == "Sofia, my sister, left Google and joined Meta."
    assert render("[I'm|{S} is] {aX}.", third=True, subject="Ben", x="architect") == "Ben is an architect."
    assert render("[I|{S}] quit [my|{their}] job.", third=True, subject="Ben", gender="m") == (
        "Ben quit his job."
    )


def test_scenarios_mix_persons_distractors_and_question_kinds() -> None:
    scenarios = generate(3, per_class=20)
    assert {s.person for s in scenarios} == {"first", "third"}
    kinds = {c.kind for s in scenarios for c in s.checks}
    assert kinds == {"current", "as_of", "multihop", "plans", "ever", "facts"}
    assert all(any(t.step == "distractor" for t in s.turns) for s in scenarios)
    for s in scenarios:
        times = [t.at for t in s.turns]
        assert times == sorted(times), s.name
    no_leftover = [t.text for s in scenarios for t in s.turns if any(c in t.text for c in "[]{}|")]
    assert no_leftover == []


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidInput):
        generate(1, per_class=0)
    with pytest.raises(InvalidInput):
        generate(1, classes=["jokes"])
    with pytest.raises(InvalidInput):
        generate("1")  # type: ignore[arg-type]


def _hit(subject: str, obj: str, **kw: Any) -> FactHit:
    return FactHit(
        id=obj,
        text="",
        subject=subject,
        subject_id=subject,
        predicate="lives_in",
        object=obj,
        status=kw.pop("status", FactStatus.active),
        **kw,
    )


def test_scoring_accepts_the_answer_and_rejects_stale_hedged_and_negated_values() -> None:
    check = Check("current", "Maria", "Where does Maria live?", "Lisbon", ("Paris", "Rome"))
    assert score_check(check, [_hit("Maria", "Lisbon"), _hit("Maria", "Paris", status="superseded")])
    assert not score_check(check, [_hit("Maria", "Paris", status="superseded"), _hit("Maria", "Lisbon")])
    assert not score_check(check, [_hit("Maria", "Lisbon"), _hit("Maria", "Paris")])  # both current
    assert not score_check(check, [_hit("Maria", "Lisbon"), _hit("Maria", "Rome", modality=Modality.intent)])
    assert not score_check(check, [_hit("Maria", "Lisbon"), _hit("Maria", "Paris", polarity=False)])
    assert not score_check(check, [_hit("Ben", "Lisbon")])  # someone else's value
    nothing = Check("current", "Maria", "Where does Maria live?", None, ("Paris",))
    assert score_check(nothing, [_hit("Maria", "Paris", status="superseded", valid_to=datetime.now(UTC))])
    assert not score_check(nothing, [_hit("Maria", "Paris", polarity=False)])
    plans = Check("plans", "Maria", "Where might Maria move?", "Rome")
    assert score_check(
        plans, [_hit("Maria", "Lisbon"), _hit("Maria", "Rome", modality=Modality.hypothetical)]
    )
    assert not score_check(plans, [_hit("Maria", "Rome")])  # a plan served as a fact
    ever = Check("ever", "Maria", "Did Maria ever live in Paris?", "Paris")
    assert score_check(ever, [_hit("Maria", "Paris", polarity=False)])
    assert not score_check(ever, [_hit("Maria", "Paris")])


@pytest.mark.slow
def test_a_few_generated_scenarios_run_through_the_public_sdk(tmp_path: Path) -> None:
    from graphmem import Memory
    from graphmem.bench.conflicts import render_text, run

    report = run(
        tmp_path / "unused", lambda: Memory(path=tmp_path / "memory"), generated=True, seed=11, per_class=2
    )
    assert report["scenarios"] == 6 and set(report["by_class"]) == set(CLASSES)
    assert report["statements"] == sum(len(s.turns) for s in generate(11, per_class=2))
    assert report["checks"]["total"] == sum(len(s.checks) for s in generate(11, per_class=2))
    assert "by class:" in render_text(report)
    for failure in report["failures"]:
        assert failure["got"] and failure["turns"]
