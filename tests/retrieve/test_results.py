"""Result models: JSON round trip, fact summaries and the prompt context within its token budget."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graphmem.model import FactStatus
from graphmem.retrieve.results import (
    EpisodeHit,
    FactHit,
    PathHit,
    SearchResult,
    estimate_tokens,
    fact_summary,
)


def hit(i: int, status: FactStatus = FactStatus.active, **extra: object) -> FactHit:
    fields: dict[str, object] = {
        "id": f"f{i}",
        "text": f"Maria lives in City{i}",
        "subject": "Maria",
        "subject_id": "m",
        "predicate": "lives_in",
        "object": f"City{i}",
        "status": status,
        "episodes": [f"e{i}"],
    }
    fields.update(extra)
    return FactHit(**fields)  # type: ignore[arg-type]


def result() -> SearchResult:
    return SearchResult(
        query="Where does Maria live?",
        namespace="n",
        facts=[
            hit(1, valid_from=datetime(2024, 3, 1, tzinfo=UTC), history=["Paris"]),
            hit(2, FactStatus.superseded, valid_to=datetime(2024, 3, 1, tzinfo=UTC)),
        ]
        + [hit(i) for i in range(3, 40)],
        paths=[
            PathHit(
                text="Maria -lives_in-> City1",
                entities=["Maria", "City1"],
                entity_ids=["m", "c"],
                facts=["f1"],
                predicates=["lives_in"],
            )
        ],
        episodes=[
            EpisodeHit(
                id="e1",
                content="I moved to City1.",
                speaker="Maria",
                occurred_at=datetime(2024, 3, 1, tzinfo=UTC),
                metadata={"dia_id": "D1:1"},
            )
        ],
    )


def test_context_marks_validity_history_and_provenance() -> None:
    text = result().context(max_tokens=2000)
    lines = text.splitlines()
    assert lines[0] == "Memory for: Where does Maria live?"
    assert "- Maria lives in City1 (valid 2024-03 to now); before: Paris [from e1]" in lines
    assert any("City2 [superseded]" in line for line in lines)
    assert "Connections:" in lines and "- Maria -lives_in-> City1" in lines
    assert any(line.startswith("- [2024-03-01 Maria] I moved to City1.") for line in lines)


@pytest.mark.parametrize("budget", [5, 40, 120, 400])
def test_context_fits_the_budget_best_first(budget: int) -> None:
    text = result().context(max_tokens=budget)
    used = sum(estimate_tokens(line) + 1 for line in text.splitlines())
    assert used <= budget
    if budget >= 40:
        assert "City1" in text  # the best fact always comes first
    with pytest.raises(ValueError):
        result().context(max_tokens=0)


def test_summary_format() -> None:
    when = datetime(2024, 3, 1, tzinfo=UTC)
    assert (
        fact_summary("lives_in", "Lisbon", valid_from=when, history=["Paris", "Rome"])
        == "lives in Lisbon (since 2024-03; before: Paris, Rome)"
    )
    assert (
        fact_summary("works_at", "Acme", valid_from=when, valid_to=datetime(2024, 9, 1, tzinfo=UTC))
        == "works at Acme (2024-03 to 2024-09)"
    )
    assert fact_summary("age", "34") == "age 34"
    assert fact_summary("age", "34", subject="Tom") == "Tom age 34"
    assert fact_summary("likes", "fish", subject="Tom", polarity=False) == "Tom does not: likes fish"


def test_json_round_trip() -> None:
    original = result()
    again = SearchResult.model_validate_json(original.model_dump_json())
    assert again == original
    assert original.model_dump(mode="json")["episodes"][0]["metadata"] == {"dia_id": "D1:1"}
