"""The scenario suite is well-formed: schema, size, coverage of every theme the issue names."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graphmem.bench.conflicts import Scenario, default_scenario_dir, load_scenarios
from graphmem.errors import InvalidInput

THEMES = (
    "moves",
    "jobs",
    "relationships",
    "negation",
    "modality",
    "multi_valued",
    "immutable",
    "duplicates",
    "out_of_order",
    "corrections",
    "speakers",
    "multihop",
    "agent_world",
)


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    return load_scenarios(default_scenario_dir())


def test_at_least_sixty_scenarios_in_several_files(scenarios: list[Scenario]) -> None:
    assert len(scenarios) >= 60
    assert len({s.source for s in scenarios}) >= 5


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_has_several_scenarios(scenarios: list[Scenario], theme: str) -> None:
    assert sum(theme in s.tags for s in scenarios) >= 3


def test_tags_are_known(scenarios: list[Scenario]) -> None:
    known = set(THEMES) | {"history", "as_of"}
    assert {t for s in scenarios for t in s.tags} <= known


def test_every_kind_of_expectation_is_exercised(scenarios: list[Scenario]) -> None:
    kinds: Counter[str] = Counter()
    for s in scenarios:
        e = s.expect
        kinds.update(current=len(e.current), absent=len(e.absent), as_of=len(e.as_of))
        kinds.update(history=len(e.history), multihop=len(e.multihop))
        kinds.update(
            as_of_absent=sum(not a.present for a in e.as_of), negative=sum(not c.polarity for c in e.current)
        )
    assert kinds["current"] >= 80 and kinds["absent"] >= 50 and kinds["as_of"] >= 30
    assert kinds["history"] >= 25 and kinds["multihop"] >= 10
    assert kinds["as_of_absent"] >= 5 and kinds["negative"] >= 5


def test_out_of_order_scenarios_really_are(scenarios: list[Scenario]) -> None:
    for s in scenarios:
        times = [st.at for st in s.statements]
        if "out_of_order" in s.tags:
            assert times != sorted(times), s.name
        else:
            assert times == sorted(times), s.name


def test_several_speakers_appear(scenarios: list[Scenario]) -> None:
    multi = [s for s in scenarios if len({s.speaker_of(st) for st in s.statements}) > 1]
    assert len(multi) >= 5 and all("speakers" in s.tags for s in multi)


def test_as_of_dates_avoid_statement_instants(scenarios: list[Scenario]) -> None:
    """A check exactly at a statement time would depend on whether validity bounds are inclusive."""
    for s in scenarios:
        instants = {st.at for st in s.statements}
        assert not any(a.at in instants for a in s.expect.as_of), s.name


def test_loader_refuses_bad_files(tmp_path: Path) -> None:
    good = (default_scenario_dir() / "moves.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(good, encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"defined in a\.yaml and b\.yaml"):
        load_scenarios(tmp_path)
    (tmp_path / "b.yaml").write_text("- name: x\n  statements: [}", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid YAML"):
        load_scenarios(tmp_path)
    (tmp_path / "b.yaml").write_text(
        '- {name: x, namespace_speaker: A, statements: [{at: "2024-01-01T00:00:00", text: hi}],'
        " expect: {current: [{subject: A, predicate: likes, object: tea}]}}",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="timezone"):
        load_scenarios(tmp_path)
    (tmp_path / "b.yaml").write_text(
        '- {name: x, namespace_speaker: A, statements: [{at: "2024-01-01T00:00:00Z", text: hi}], expect: {}}',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="must expect something"):
        load_scenarios(tmp_path)
    with pytest.raises(InvalidInput, match="not found"):
        load_scenarios(tmp_path / "missing")
