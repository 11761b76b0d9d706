"""Examples of the passive patterns (graphmem/extract/passive.py) on the real spaCy model."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I was hired by Spotify.", ("maria", "works_at", "spotify", True)),
        ("Jorge was born in Quito.", ("jorge", "born_in", "quito", True)),
        ("The mural was painted by Diego Rivera.", ("diego rivera", "paint", "mural", True)),
        ("The wallet was left in the taxi.", ("wallet", "located_at", "taxi", True)),
    ],
)
def test_passive_voice(keys, text, expected) -> None:
    assert expected in keys(text)
