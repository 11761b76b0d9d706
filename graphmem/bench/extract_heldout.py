"""Precision / recall of extracted triples on hand-labelled LoCoMo turns never used for tuning.

``graphmem bench extract --heldout --data locomo10.json [--json] [--details]``

The labels (``tests/data/locomo_heldout_labels.jsonl``) are 150 turns drawn from LoCoMo
conversations 6-10 with ``random.Random(SEED).sample(range(len(turns)), 150)`` over the turns of
those conversations in order (see :func:`draw`), labelled by hand before any pattern was changed:
one row per turn, ``{conversation, dia_id, triples: [{subject, predicate, object, polarity?}]}``;
the turn texts stay in the LoCoMo file (its licence forbids redistribution). Patterns are tuned on
conversations 1-5 only; these labels are a held-out test.

Label conventions: first person (and "we") is the speaker; objects drop articles; canonical
predicates where the vocabulary has one (visited for places, attended for events, has_pet, owns,
likes / loves, teaches, helped / supports for help given, plans_to for stated plans), ``did_activity``
for activities done ("went swimming", "went for a jog"), ``created`` for works made, otherwise the
verb lemma as the extractor names unknown verbs; small talk, questions and feelings give nothing.

Matching rule (one predicted triple matches at most one labelled triple of the same turn):

- subject: equal entity keys, or the predicted key is a short form of the labelled one
  (a 3+ letter prefix of its first word: "Mel" for "Melanie");
- predicate: equal canonical names (``strict``); ignored in the ``loose`` score;
- object: equal keys, or the same head (last word, plural "s" ignored), or one key's words are a
  contiguous part of the other's ("support group" in "lgbtq support group");
- polarity: equal.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphmem.bench.extract_coverage import Turn, conversation_turns
from graphmem.extract.base import Extraction, Extractor
from graphmem.model import entity_key

__all__ = ["DEFAULT_LABELS", "SEED", "draw", "matches", "run", "score"]

SEED = 20261204
SIZE = 150
CONVERSATIONS = (6, 7, 8, 9, 10)
DEFAULT_LABELS = Path(__file__).resolve().parents[2] / "tests" / "data" / "locomo_heldout_labels.jsonl"

Key = tuple[str, str, str, bool]


def draw(path: Path) -> list[Turn]:
    """The labelled sample: the same seeded draw the labels were written for."""
    turns = conversation_turns(path, CONVERSATIONS)
    picked = sorted(random.Random(SEED).sample(range(len(turns)), SIZE))
    return [turns[i] for i in picked]


def _head(key: str) -> str:
    word = key.split()[-1] if key.split() else key
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _object_match(gold: str, pred: str) -> bool:
    g, p = entity_key(gold), entity_key(pred)
    if g == p or _head(g) == _head(p):
        return True
    gw, pw = g.split(), p.split()
    shorter, longer = (gw, pw) if len(gw) <= len(pw) else (pw, gw)
    n = len(shorter)
    return n > 0 and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _subject_match(gold: str, pred: str) -> bool:
    g, p = entity_key(gold), entity_key(pred)
    first = g.split()[0] if g else g
    return g == p or (len(p) >= 3 and " " not in p and first.startswith(p))


def matches(gold: dict[str, Any], pred: Key, *, strict: bool = True) -> bool:
    """Whether a predicted (subject, predicate, object, polarity) matches a labelled triple."""
    subject, predicate, obj, polarity = pred
    return (
        _subject_match(gold["subject"], subject)
        and (not strict or gold["predicate"] == predicate)
        and _object_match(str(gold["object"]), obj)
        and bool(gold.get("polarity", True)) == polarity
    )


def _keys(extraction: Extraction) -> list[Key]:
    keys = ((t.subject, t.predicate, t.object_text, t.polarity) for t in extraction.triples)
    return list(dict.fromkeys(keys))


def score(
    labels: Sequence[dict[str, Any]], extractions: Sequence[Extraction], *, strict: bool = True
) -> dict[str, Any]:
    tp = n_pred = n_gold = 0
    for row, extraction in zip(labels, extractions, strict=True):
        gold = list(row["triples"])
        predicted = _keys(extraction)
        n_pred += len(predicted)
        n_gold += len(gold)
        for pred in predicted:
            hit = next((g for g in gold if matches(g, pred, strict=strict)), None)
            if hit is not None:
                gold.remove(hit)
                tp += 1
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_positives": tp,
        "predicted": n_pred,
        "gold": n_gold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def run(
    data: Path,
    *,
    labels: Path = DEFAULT_LABELS,
    extractor: Extractor | None = None,
    use_encoder: bool = True,
    details: bool = False,
) -> dict[str, Any]:
    """Extract the labelled turns as ingest does and score them (strict and loose)."""
    from graphmem.bench.extract import default_extractor
    from graphmem.ingest import extract_contained

    rows = [json.loads(line) for line in Path(labels).read_text(encoding="utf-8").splitlines() if line]
    turns = draw(Path(data))
    got = [(t.conversation, t.dia_id) for t in turns]
    want = [(r["conversation"], r["dia_id"]) for r in rows]
    if got != want:
        raise ValueError("the labels do not match the seeded draw from this data file")
    extractor = extractor or default_extractor(use_encoder=use_encoder)
    extractions = extract_contained(extractor, [t.input for t in turns])
    report: dict[str, Any] = {
        "turns": len(rows),
        "labelled_turns": sum(1 for r in rows if r["triples"]),
        "strict": score(rows, extractions, strict=True),
        "loose": score(rows, extractions, strict=False),
        "extraction_errors": sum(1 for e in extractions if e.error is not None),
    }
    if details:
        report["turns_detail"] = [
            {
                "id": f"{t.conversation}:{t.dia_id}",
                "text": t.input.text,
                "gold": [[g["subject"], g["predicate"], g["object"]] for g in r["triples"]],
                "predicted": [list(k) for k in _keys(e)],
            }
            for t, r, e in zip(turns, rows, extractions, strict=True)
            if r["triples"] or e.triples
        ]
    return report
