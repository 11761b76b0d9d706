"""``graphmem bench extract``: triple precision / recall / F1 on the labelled extraction set.

The set (``tests/data/extraction_set.jsonl``) was written for this project: one sentence per line
with its speaker, optional addressee, episode time, a pattern tag and the triples a careful human
reader would store. A predicted triple matches a labelled one on

    (entity_key(subject), canonical predicate, entity_key(object or literal value), polarity)

so spelling and articles do not matter but the predicate must be the canonical one. Sentences
with no labelled triples (small talk, questions) count only against precision. Modality, ended and
validity times are reported separately, as accuracy over the matched triples that label them.

Label conventions: first person is the speaker's name; an unnamed relative is "<owner>'s <role>"
("Maria's brother") and the role link (Maria, brother, Maria's brother) is a triple of its own;
"no longer X", "used to X", "left X" are polarity false with ``ended``; "I want to learn Italian"
is (learns, Italian) with modality intent; objects drop articles and opinion adjectives.

Run ``python -m graphmem.bench.extract --json`` (the CLI's ``graphmem bench extract`` calls
:func:`run`); ``--locomo PATH`` adds extraction throughput on LoCoMo chat turns.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphmem.extract.base import ExtractInput, Extraction, Extractor, Triple
from graphmem.model import entity_key

if TYPE_CHECKING:
    from graphmem.embed import Encoder

__all__ = ["DEFAULT_SET", "Key", "gold_keys", "locomo_speed", "main", "predicted_keys", "run", "score"]

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "extraction_set.jsonl"

Key = tuple[str, str, str, bool]


def gold_keys(row: dict[str, Any]) -> set[Key]:
    """The match keys of one labelled sentence."""
    return {
        (
            entity_key(t["subject"]),
            t["predicate"],
            entity_key(str(t["object"])),
            bool(t.get("polarity", True)),
        )
        for t in row["triples"]
    }


def predicted_keys(extraction: Extraction) -> dict[Key, Triple]:
    """The match keys of one extraction (first triple per key)."""
    keys: dict[Key, Triple] = {}
    for t in extraction.triples:
        key = (entity_key(t.subject), t.predicate, entity_key(t.object_text), t.polarity)
        keys.setdefault(key, t)
    return keys


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _same_day(label: str | None, value: datetime | None) -> bool:
    if label is None:
        return value is None
    return value is not None and value.date().isoformat() == label[:10]


def score(
    rows: Sequence[dict[str, Any]], extractions: Sequence[Extraction], *, details: bool = False
) -> dict[str, Any]:
    """Precision / recall / F1 overall and per pattern, plus cue accuracies on matched triples."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # sentences, tp, pred, gold
    cue_hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # cue -> [correct, labelled]
    errors: list[dict[str, Any]] = []
    tp_all = pred_all = gold_all = 0
    for row, extraction in zip(rows, extractions, strict=True):
        gold = gold_keys(row)
        predicted = predicted_keys(extraction)
        hits = gold & set(predicted)
        stats = per[row.get("pattern", "untagged")]
        stats[0] += 1
        stats[1] += len(hits)
        stats[2] += len(predicted)
        stats[3] += len(gold)
        tp_all += len(hits)
        pred_all += len(predicted)
        gold_all += len(gold)
        for label in row["triples"]:
            key = (
                entity_key(label["subject"]),
                label["predicate"],
                entity_key(str(label["object"])),
                bool(label.get("polarity", True)),
            )
            triple = predicted.get(key)
            if triple is None:
                continue
            cue_hits["modality"][0] += triple.modality.value == label.get("modality", "asserted")
            cue_hits["modality"][1] += 1
            cue_hits["ended"][0] += triple.ended == bool(label.get("ended", False))
            cue_hits["ended"][1] += 1
            for field in ("valid_from", "valid_to"):
                if field in label or getattr(triple, field) is not None:
                    cue_hits[field][0] += _same_day(label.get(field), getattr(triple, field))
                    cue_hits[field][1] += 1
        if details and (gold != set(predicted)):
            errors.append(
                {
                    "text": row["text"],
                    "pattern": row.get("pattern"),
                    "missed": sorted(map(list, gold - set(predicted))),
                    "spurious": sorted(map(list, set(predicted) - gold)),
                }
            )
    result: dict[str, Any] = {
        "sentences": len(rows),
        "gold_triples": gold_all,
        "predicted_triples": pred_all,
        "true_positives": tp_all,
        **_prf(tp_all, pred_all, gold_all),
        "per_pattern": {
            tag: {"sentences": s, "gold": g, "predicted": p, "tp": tp, **_prf(tp, p, g)}
            for tag, (s, tp, p, g) in sorted(per.items())
        },
        "cue_accuracy": {
            cue: {"correct": c, "labelled": n, "accuracy": round(c / n, 4) if n else None}
            for cue, (c, n) in sorted(cue_hits.items())
        },
    }
    if details:
        result["errors"] = errors
    return result


def load_set(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        raise ValueError(f"no labelled sentences in {path}")
    return rows


def _inputs(rows: Sequence[dict[str, Any]]) -> list[ExtractInput]:
    return [
        ExtractInput(
            text=r["text"],
            speaker=r["speaker"],
            addressee=r.get("addressee"),
            occurred_at=datetime.fromisoformat(r["occurred_at"].replace("Z", "+00:00")),
        )
        for r in rows
    ]


def default_extractor(*, use_encoder: bool = True) -> Extractor:
    """The production configuration: spaCy + embedding canonicalisation."""
    from graphmem.extract.spacy_extractor import SpacyExtractor

    encoder: Encoder | None = None
    if use_encoder:
        from graphmem.embed import Encoder

        encoder = Encoder()
    return SpacyExtractor(encoder=encoder)


def _warm_up(extractor: Extractor, items: Sequence[ExtractInput]) -> None:
    """Load the models before timing: the pipeline, and the encoder behind the canonicaliser."""
    canonicalizer = getattr(extractor, "canonicalizer", None)
    if canonicalizer is not None and getattr(canonicalizer, "encoder", None) is not None:
        canonicalizer.nearest("warm up")
    extractor.extract_many(items)


def run(
    path: Path = DEFAULT_SET,
    *,
    extractor: Extractor | None = None,
    use_encoder: bool = True,
    details: bool = False,
    coverage: bool = False,
    conversations: str | None = None,
    heldout: bool = False,
    captions: bool = False,
) -> dict[str, Any]:
    """Score an extractor on a labelled set; ``sentences_per_s`` times ``extract_many`` (warm).

    With ``coverage``, ``path`` is a LoCoMo file and the report is coverage on its conversations
    (all, or ``conversations="6-10"`` / ``"1,3"``): see :mod:`graphmem.bench.extract_coverage`.
    With ``heldout``, ``path`` is a LoCoMo file and the report scores the hand-labelled held-out
    turns of conversations 6-10: see :mod:`graphmem.bench.extract_heldout`.
    """
    extractor = extractor or default_extractor(use_encoder=use_encoder)
    if heldout:
        from graphmem.bench.extract_heldout import run as run_heldout

        return run_heldout(Path(path), extractor=extractor, details=details)
    if coverage:
        from graphmem.bench.extract_coverage import coverage as run_coverage

        return run_coverage(Path(path), extractor, conversations=_indices(conversations), captions=captions)
    rows = load_set(Path(path))
    inputs = _inputs(rows)
    _warm_up(extractor, inputs[:8])
    started = time.perf_counter()
    extractions = extractor.extract_many(inputs)
    elapsed = time.perf_counter() - started
    result = score(rows, extractions, details=details)
    result["sentences_per_s"] = round(len(rows) / elapsed, 1) if elapsed > 0 else None
    result["set"] = str(path)
    return result


def _indices(spec: str | int | None) -> list[int] | None:
    """ "6-10" -> [6..10], "1,3" -> [1, 3], None -> None (all)."""
    if spec is None or spec == "":
        return None
    out: list[int] = []
    for part in str(spec).split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def locomo_turns(path: Path, limit: int | None = None) -> list[ExtractInput]:
    """LoCoMo chat turns as extraction inputs (speaker = turn speaker, addressee = the other one)."""
    from dateutil import parser as dateparser

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items: list[ExtractInput] = []
    for sample in data:
        conv = sample["conversation"]
        a, b = conv["speaker_a"], conv["speaker_b"]
        n = 1
        while f"session_{n}" in conv:
            when = dateparser.parse(conv[f"session_{n}_date_time"]).replace(tzinfo=None)
            from datetime import UTC

            at = when.replace(tzinfo=UTC)
            for turn in conv[f"session_{n}"]:
                if turn.get("text", "").strip():
                    other = b if turn["speaker"] == a else a
                    items.append(
                        ExtractInput(
                            text=turn["text"], speaker=turn["speaker"], addressee=other, occurred_at=at
                        )
                    )
            n += 1
    return items[:limit] if limit else items


def locomo_speed(
    path: Path, *, extractor: Extractor | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Extraction throughput on LoCoMo turns (``extract_many`` over all of them, warm)."""
    items = locomo_turns(path, limit)
    extractor = extractor or default_extractor()
    _warm_up(extractor, items[:32])
    started = time.perf_counter()
    extractions = extractor.extract_many(items)
    elapsed = time.perf_counter() - started
    n_triples = sum(len(e.triples) for e in extractions)
    return {
        "turns": len(items),
        "seconds": round(elapsed, 2),
        "turns_per_s": round(len(items) / elapsed, 1),
        "ms_per_turn": round(1000 * elapsed / len(items), 3),
        "triples": n_triples,
        "turns_with_triples": sum(1 for e in extractions if e.triples),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="graphmem bench extract", description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="labelled JSONL set")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--details", action="store_true", help="include missed / spurious triples")
    parser.add_argument("--no-encoder", action="store_true", help="lexicon-only canonicalisation")
    parser.add_argument("--locomo", type=Path, default=None, help="also time extraction on LoCoMo turns")
    parser.add_argument("--limit", type=int, default=None, help="LoCoMo turns to time (default: all)")
    parser.add_argument("--coverage", type=Path, default=None, help="coverage on this LoCoMo file")
    parser.add_argument("--conversations", default=None, help='coverage on these only, e.g. "1-5"')
    args = parser.parse_args(argv)
    extractor = default_extractor(use_encoder=not args.no_encoder)
    if args.coverage:
        report = run(args.coverage, extractor=extractor, coverage=True, conversations=args.conversations)
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    result = run(args.set, extractor=extractor, details=args.details)
    if args.locomo:
        result["locomo"] = locomo_speed(args.locomo, extractor=extractor, limit=args.limit)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(
            f"sentences {result['sentences']}  precision {result['precision']:.3f}  "
            f"recall {result['recall']:.3f}  f1 {result['f1']:.3f}  {result['sentences_per_s']} sentences/s"
        )
        for tag, s in result["per_pattern"].items():
            scores = f"P {s['precision']:.2f}  R {s['recall']:.2f}  F1 {s['f1']:.2f}"
            print(f"  {tag:16} n={s['sentences']:3}  {scores}")
        if "locomo" in result:
            speed = result["locomo"]
            print(f"LoCoMo: {speed['turns_per_s']} turns/s ({speed['ms_per_turn']} ms/turn)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
