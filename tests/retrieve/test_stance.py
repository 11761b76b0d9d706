"""Hedged and negated facts answer only the questions that ask for them; the named subject first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem.model import Fact, Modality
from graphmem.retrieve.stance import Wants, focus_subject, question_wants, stance_weight


@pytest.mark.parametrize(
    ("question", "hedged", "negative"),
    [
        ("Where does Maria live?", False, False),
        ("Which company does Maria work for?", False, False),
        ("Where is Maria thinking of moving?", True, False),
        ("What does Tom want to become?", True, False),
        ("Did Maria ever work at Google?", False, True),
        ("Where did Maria use to live?", False, True),
        ("Does Tom still drive a Volvo?", False, True),
        ("Does Ana like fish?", False, True),
    ],
)
def test_what_a_question_asks_for(question: str, hedged: bool, negative: bool) -> None:
    assert question_wants(question) == Wants(hedged=hedged, negative=negative)


def _fact(fid: str, subject: str, predicate: str, **kw: object) -> Fact:
    return Fact(
        id=fid, namespace="n", subject_id=subject, predicate=predicate, object_value=fid, text=fid, **kw
    )


def test_stance_weight_keeps_hedges_and_negations_out_unless_asked() -> None:
    plan = _fact("rome", "maria", "lives_in", modality=Modality.intent)
    ended = _fact("google", "maria", "works_at", polarity=False)
    stated = _fact("porto", "maria", "lives_in")
    plain, plans, past = Wants(), Wants(hedged=True), Wants(negative=True)
    assert [stance_weight(f, plain) for f in (plan, ended, stated)] == [0.0, 0.0, 1.0]
    assert [stance_weight(f, plans) for f in (plan, ended, stated)] == [1.0, 0.0, 1.0]
    assert [stance_weight(f, past) for f in (plan, ended, stated)] == [0.0, 1.0, 1.0]


def test_focus_puts_the_subjects_answer_first_and_plans_first_when_asked() -> None:
    facts = {
        "brother_age": _fact("brother_age", "ivan", "age"),
        "link": _fact("link", "lukas", "brother"),
        "age": _fact("age", "lukas", "age"),
        "plan": _fact("plan", "lukas", "lives_in", modality=Modality.hypothetical),
    }
    order = ["brother_age", "link", "age", "plan"]
    assert focus_subject(order, facts, subjects={"lukas"}, predicates={"age"})[0] == "age"
    assert focus_subject(order, facts, subjects=set(), predicates={"age"}) == order
    asked = focus_subject(order, facts, subjects={"lukas"}, predicates={"lives_in"}, wants=Wants(hedged=True))
    assert asked[0] == "plan"


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from graphmem import Memory

    with Memory(path=tmp_path_factory.mktemp("stance") / "memory") as mem:
        turns = [
            ("2023-01-10T10:00:00Z", "I live in Porto."),
            ("2023-02-01T10:00:00Z", "I work at Google."),
            ("2023-09-01T10:00:00Z", "I might move to Rome."),
            ("2023-10-01T10:00:00Z", "I no longer work at Google."),
        ]
        for at, text in turns:
            mem.add(text, speaker="Maria", namespace="m", timestamp=at)
        yield mem


@pytest.mark.slow
def test_search_serves_the_stated_value_and_marks_what_it_shows(memory: object, tmp_path: Path) -> None:
    def top(question: str) -> list[tuple[str, bool, str, str]]:
        hits = memory.search(question, namespace="m").facts[:3]  # type: ignore[attr-defined]
        return [(h.object, h.polarity, h.modality.value, h.status.value) for h in hits]

    live = top("Where does Maria live?")
    assert live[0][:3] == ("Porto", True, "asserted")
    assert not any(obj == "Rome" for obj, *_ in live)
    plans = top("Where is Maria thinking of moving?")
    assert ("Rome", True, "hypothetical", "active") in plans
    work = top("Where does Maria work?")
    assert not any(obj == "Google" and (not pos or status == "active") for obj, pos, _, status in work)
    ever = top("Did Maria ever work at Google?")
    google = [hit for hit in ever if hit[0] == "Google"]
    assert google and all(not pos or status != "active" for _, pos, _, status in google)
