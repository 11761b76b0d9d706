"""Extraction coverage on real conversations (``graphmem bench extract --coverage --data locomo10.json``).

Precision on a labelled set says whether the facts we extract are right; coverage says whether we
extract anything at all from what people actually say. Per LoCoMo conversation, in turn order:

- ``turns_with_fact``: share of turns that yield at least one triple; ``facts_per_turn``;
- ``mentions_resolved``: share of entity mentions (triple subjects/objects that name entities, and
  typed mentions) whose key was already known in the conversation when the turn came: the share a
  key-based resolver links to an existing entity instead of creating one (the store also merges by
  embedding similarity; this measures what the extractor hands it);
- ``entities_per_person``: for each speaker, the distinct entity keys that denote them: the full
  name and any short form of it (a prefix of 3+ letters: "Mel" for "Melanie"); 1 is ideal;
- ``predicates``: histogram of canonical predicates; ``generic_share``: share of ``is_a`` /
  ``has_property`` triples (the generic fallbacks);
- ``extraction_errors``: turns whose extraction raised (contained as in ingest).

Items are extracted through :func:`graphmem.ingest.extract_contained`, exactly as ingest does.
Turns carry the caption of their shared photo (``blip_caption``) when ``captions`` is on.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from graphmem.extract.base import ExtractInput, Extraction, Extractor
from graphmem.model import entity_key

__all__ = ["Turn", "conversation_turns", "coverage", "entities_per_person"]

_KEPT_TYPES = frozenset({"person", "place", "organization", "event", "work", "animal", "group"})
_GENERIC = frozenset({"is_a", "has_property"})


class Turn:
    """One LoCoMo turn as an extraction input, with where it came from."""

    __slots__ = ("conversation", "dia_id", "input", "previous", "session")

    def __init__(
        self, conversation: int, session: int, dia_id: str, input: ExtractInput, previous: str | None
    ) -> None:
        self.conversation = conversation
        self.session = session
        self.dia_id = dia_id
        self.input = input
        self.previous = previous


def conversation_turns(
    path: Path, conversations: Sequence[int] | None = None, *, captions: bool = False
) -> list[Turn]:
    """Turns of the chosen conversations (1-based indices), in order, each with its session time;
    with ``captions``, a turn's shared photo caption is part of its text as ingest makes it."""
    from dateutil import parser as dateparser

    from graphmem.attachments import episode_text

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    turns: list[Turn] = []
    for index, sample in enumerate(data, start=1):
        if conversations and index not in conversations:
            continue
        conv = sample["conversation"]
        a, b = conv["speaker_a"], conv["speaker_b"]
        n = 1
        while f"session_{n}" in conv:
            at = dateparser.parse(conv[f"session_{n}_date_time"]).replace(tzinfo=UTC)
            previous: str | None = None
            for turn in conv[f"session_{n}"]:
                text = turn.get("text", "").strip()
                caption = turn.get("blip_caption")
                if text and captions and isinstance(caption, str) and caption.strip():
                    text = episode_text(text, [{"type": "image", "caption": caption.strip()}])
                if text:
                    other = b if turn["speaker"] == a else a
                    item = ExtractInput(text=text, speaker=turn["speaker"], addressee=other, occurred_at=at)
                    turns.append(Turn(index, n, turn.get("dia_id", ""), item, previous))
                    previous = text
            n += 1
    return turns


def entities_per_person(keys: set[str], speaker: str) -> list[str]:
    """The entity keys among ``keys`` that denote ``speaker``: the full name or a short form."""
    full = entity_key(speaker)
    first = full.split()[0] if full else full
    return sorted(
        k for k in keys if k in (full, first) or (len(k) >= 3 and " " not in k and first.startswith(k))
    )


def _entity_names(extraction: Extraction) -> list[str]:
    names = [t.subject for t in extraction.triples]
    names += [t.object for t in extraction.triples if t.object is not None]
    names += [m.name for m in extraction.mentions if m.type in _KEPT_TYPES]
    return names


def coverage(
    path: Path,
    extractor: Extractor,
    *,
    conversations: Sequence[int] | None = None,
    top_predicates: int = 25,
    captions: bool = False,
) -> dict[str, Any]:
    """Coverage figures per conversation and over all of them (see the module docstring)."""
    from graphmem.ingest import extract_contained

    turns = conversation_turns(path, conversations, captions=captions)
    started = time.perf_counter()
    extractions = extract_contained(extractor, [t.input for t in turns])
    elapsed = time.perf_counter() - started
    per: dict[int, dict[str, Any]] = {}
    predicates: Counter[str] = Counter()
    totals = Counter[str]()
    known: dict[int, set[str]] = {}
    for turn, extraction in zip(turns, extractions, strict=True):
        stats = per.setdefault(
            turn.conversation,
            {"turns": 0, "turns_with_fact": 0, "facts": 0, "mentions": 0, "resolved": 0, "errors": 0},
        )
        seen = known.setdefault(turn.conversation, set())
        stats["turns"] += 1
        stats["turns_with_fact"] += bool(extraction.triples)
        stats["facts"] += len(extraction.triples)
        stats["errors"] += extraction.error is not None
        predicates.update(t.predicate for t in extraction.triples)
        keys = [entity_key(n) for n in _entity_names(extraction) if n.strip()]
        stats["mentions"] += len(keys)
        stats["resolved"] += sum(1 for k in keys if k in seen)
        seen.update(keys)
        stats.setdefault("speakers", set()).add(turn.input.speaker)
    out_convs: dict[str, Any] = {}
    for index, stats in sorted(per.items()):
        people = {s: entities_per_person(known[index], s) for s in sorted(stats.pop("speakers"))}
        for key in ("turns", "turns_with_fact", "facts", "mentions", "resolved", "errors"):
            totals[key] += stats[key]
        totals["people"] += len(people)
        totals["person_entities"] += sum(max(1, len(v)) for v in people.values())
        out_convs[str(index)] = {
            **_ratios(stats),
            "entities_per_person": {s: len(v) for s, v in people.items()},
            "person_keys": people,
        }
    total_facts = sum(predicates.values())
    generic = sum(predicates[p] for p in _GENERIC)
    return {
        "data": str(path),
        "captions": captions,
        "conversations": out_convs,
        "overall": {
            **_ratios(totals),
            "entities_per_person": round(totals["person_entities"] / totals["people"], 3)
            if totals["people"]
            else None,
            "generic_share": round(generic / total_facts, 4) if total_facts else 0,
            "turns_per_s": round(len(turns) / elapsed, 1) if elapsed > 0 else None,
        },
        "predicates": dict(predicates.most_common(top_predicates)),
    }


def _ratios(stats: Any) -> dict[str, Any]:
    turns = stats["turns"] or 1
    return {
        "turns": stats["turns"],
        "turns_with_fact": round(stats["turns_with_fact"] / turns, 4),
        "facts": stats["facts"],
        "facts_per_turn": round(stats["facts"] / turns, 3),
        "mentions_resolved": round(stats["resolved"] / stats["mentions"], 4) if stats["mentions"] else None,
        "extraction_errors": stats["errors"],
    }
