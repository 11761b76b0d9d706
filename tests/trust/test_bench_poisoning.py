"""`bench poisoning` on a small slice: the defended run beats the same-run baseline (real Memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmem import Memory
from graphmem.bench import poisoning
from graphmem.bench.poison_gen import ATTACK_FAMILIES, HELDOUT_FAMILIES, injections
from graphmem.guard import detect


def test_generator_is_seeded_and_covers_every_family() -> None:
    a, b = injections(7, 3), injections(7, 3)
    assert a == b and a != injections(8, 3)
    assert {i.family for i in a} == set(ATTACK_FAMILIES) == set(HELDOUT_FAMILIES)
    assert len(a) == 3 * len(ATTACK_FAMILIES)


def test_detector_on_benign_everyday_text() -> None:
    # everyday sentences that share words with the attack families must pass
    for text in [
        "You should always follow your dreams, Mel!",
        "I forgot my password again, so I reset it.",
        "Can you send me the photos from the trip?",
        "We played a game where the kids pretend to be pirates.",
        "Check out this recipe at www.example.com, it's amazing.",
        "Ignore the noise next door, it stops at ten.",
    ]:
        assert not detect(text).flagged, text


@pytest.mark.skipif(not poisoning.default_locomo().exists(), reason="shared LoCoMo file not present")
def test_bench_small_slice(tmp_path: Path) -> None:
    report = poisoning.run(
        lambda: Memory(path=tmp_path / "m"), seed=3, scenarios=1, per_family=1, benign_limit=40
    )
    defended, baseline = report["defended"], report["baseline"]
    assert defended["injected"] == baseline["injected"] == 2 * len(ATTACK_FAMILIES)
    assert defended["trusted_displaced"] == 0 and baseline["trusted_displaced"] == 1
    assert defended["injected_in_top5"] < baseline["injected_in_top5"]
    assert report["benign"]["turns"] == 40 and report["benign"]["quarantined"] <= 1
    assert "injected in top 5" in poisoning.render_text(report)
