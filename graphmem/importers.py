"""Readers that turn conversation files into the message dicts ``Memory.add_many`` takes.

Three shapes are understood, because they are the ones users actually have:

- **JSONL**, one chat message per line (``role``, ``content``/``text``, ``name``/``speaker``,
  ``timestamp``, ``session``, ``metadata``, ``id``): what chat logs and agent traces export.
- **JSON messages**: a JSON array of such messages, or an object with a ``messages`` array (the shape
  of graphmem's own demo conversation).
- **LoCoMo-style** conversations (Maharana et al., 2024): ``conversation.session_N`` lists of turns
  with ``session_N_date_time`` headers such as ``"1:56 pm on 8 May, 2023"``. Each turn keeps its
  original ``dia_id`` in metadata and gets the id ``"<sample_id>:<dia_id>"``, so benchmark evidence
  (which cites ``dia_id``) maps straight onto episodes, and re-importing a file changes nothing.

Readers only parse; ``Memory.add_many`` validates every item before anything is written. Errors name
the file and the line (JSONL) or the conversation and session (LoCoMo), because a 50,000-line import
that fails with "invalid JSON" is useless.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from dateutil import parser as date_parser

from graphmem.errors import InvalidInput

__all__ = [
    "MESSAGE_FIELDS",
    "Format",
    "detect_format",
    "parse_locomo_datetime",
    "read_file",
    "read_json_messages",
    "read_jsonl",
    "read_locomo",
]

Format = Literal["jsonl", "json", "locomo"]

MESSAGE_FIELDS = frozenset(
    {"content", "text", "speaker", "name", "role", "session", "timestamp", "metadata", "id", "source"}
    | {"title"}
)
"""Fields a message may carry (the same set ``Memory.add`` accepts as a dict)."""

_SESSION_KEY = re.compile(r"^session_(\d+)$")
_LOCOMO_FORMATS = ("%I:%M %p on %d %B, %Y", "%I:%M %p on %d %b, %Y", "%I:%M %p on %B %d, %Y")


def _open_text(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"{p}: no such file")
    return p


def _check_message(raw: object, where: str) -> dict[str, Any]:
    """The cheap structural checks whose failure should name a line; ``add_many`` does the rest."""
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where}: expected a JSON object (a message), got {type(raw).__name__}")
    unknown = sorted(set(raw) - MESSAGE_FIELDS)
    if unknown:
        raise InvalidInput(f"{where}: unknown field(s) {unknown}; expected some of {sorted(MESSAGE_FIELDS)}")
    text = raw.get("content", raw.get("text"))
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{where}: a message needs non-empty 'content' (or 'text')")
    return dict(raw)


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield one message dict per non-blank line of a JSONL file.

    Raises ``InvalidInput`` naming the line number on bad JSON or a line that is not a message.
    """
    p = _open_text(path)
    with p.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{p}:{number}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
            yield _check_message(raw, f"{p}:{number}")


def _load_json(p: Path) -> Any:
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{p}:{exc.lineno}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{p}: not UTF-8 text") from exc


def read_json_messages(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield the messages of a JSON array, or of the ``messages`` array of a JSON object."""
    p = _open_text(path)
    data = _load_json(p)
    messages = data.get("messages") if isinstance(data, Mapping) else data
    if not isinstance(messages, list):
        raise InvalidInput(f"{p}: expected a JSON array of messages or an object with a 'messages' array")
    for index, raw in enumerate(messages):
        yield _check_message(raw, f"{p}: message {index}")


def parse_locomo_datetime(text: str) -> datetime:
    """LoCoMo session headers ("1:56 pm on 8 May, 2023") -> aware UTC datetime.

    The dataset gives no time zone; UTC is assumed so that every turn of every session compares
    consistently (what matters to reconsolidation is order, not the wall clock).

    >>> parse_locomo_datetime("1:56 pm on 8 May, 2023").isoformat()
    '2023-05-08T13:56:00+00:00'
    """
    clean = " ".join(text.split())
    for fmt in _LOCOMO_FORMATS:
        try:
            return datetime.strptime(clean, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed: datetime = date_parser.parse(clean.replace(" on ", " "), dayfirst=True)
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(
            f"cannot parse session date {text!r} (expected e.g. '1:56 pm on 8 May, 2023')"
        ) from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _turn_text(turn: Mapping[str, Any]) -> str:
    return str(turn.get("text") or "").strip()


def _turn_attachments(turn: Mapping[str, Any]) -> list[dict[str, str]]:
    """LoCoMo's ``blip_caption`` describes the photo shared with the turn: an image attachment."""
    caption = turn.get("blip_caption")
    return (
        [{"type": "image", "caption": caption.strip()}]
        if isinstance(caption, str) and caption.strip()
        else []
    )


def _conversation_items(sample: Mapping[str, Any], sample_id: str, where: str) -> list[dict[str, Any]]:
    conversation = sample.get("conversation")
    if not isinstance(conversation, Mapping):
        raise InvalidInput(f"{where}: no 'conversation' object")
    sessions = sorted((int(m.group(1)), key) for key in conversation if (m := _SESSION_KEY.match(key)))
    if not sessions:
        raise InvalidInput(f"{where}: the conversation has no session_N lists")
    items: list[dict[str, Any]] = []
    for number, key in sessions:
        turns = conversation[key]
        if not isinstance(turns, list):
            raise InvalidInput(f"{where}: {key} is not a list of turns")
        header = conversation.get(f"{key}_date_time")
        if not isinstance(header, str):
            raise InvalidInput(f"{where}: {key} has no {key}_date_time header")
        start = parse_locomo_datetime(header)
        for index, turn in enumerate(turns):
            if not isinstance(turn, Mapping):
                raise InvalidInput(f"{where}: {key} turn {index} is not an object")
            text = _turn_text(turn)
            dia_id = turn.get("dia_id")
            speaker = turn.get("speaker")
            if not text or not isinstance(speaker, str) or not speaker.strip():
                raise InvalidInput(f"{where}: {key} turn {index} needs 'speaker' and 'text'")
            turn_id = str(dia_id) if dia_id else f"D{number}:{index + 1}"
            metadata: dict[str, Any] = {
                "dia_id": turn_id,
                "sample_id": sample_id,
                "session": number,
                "session_date_time": header,
            }
            if turn.get("img_url"):
                metadata["img_url"] = turn["img_url"]
            # Turns of a session share its header time; a one-second step keeps their order in event
            # time, so "I moved to X" later in a session still wins over "I live in Y" earlier.
            when = start + timedelta(seconds=index)
            items.append(
                {
                    "id": f"{sample_id}:{turn_id}",
                    "content": text,
                    "speaker": speaker.strip(),
                    "role": "user",
                    "session": key,
                    "timestamp": when.isoformat(),
                    "metadata": metadata,
                    **({"attachments": media} if (media := _turn_attachments(turn)) else {}),
                }
            )
    return items


def read_locomo(path: str | Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Yield ``(sample_id, items)`` for each conversation of a LoCoMo-style file.

    The file is a list of samples or one sample: ``{"sample_id": ..., "conversation": {"speaker_a",
    "speaker_b", "session_1_date_time", "session_1": [{"speaker", "dia_id", "text", ...}], ...}}``.
    Sessions come out in numeric order (``session_10`` after ``session_9``).
    """
    p = _open_text(path)
    data = _load_json(p)
    samples = data if isinstance(data, list) else [data]
    seen: set[str] = set()
    for index, sample in enumerate(samples):
        if not isinstance(sample, Mapping):
            raise InvalidInput(f"{p}: conversation {index} is not an object")
        sample_id = str(sample.get("sample_id") or f"conv-{index}")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:@-]*", sample_id) or sample_id in seen:
            raise InvalidInput(
                f"{p}: conversation {index} has an unusable or repeated sample_id {sample_id!r}"
            )
        seen.add(sample_id)
        yield sample_id, _conversation_items(sample, sample_id, f"{p}: conversation {sample_id}")


def detect_format(path: str | Path) -> Format:
    """Guess the format: ``.jsonl`` -> jsonl; JSON with a ``conversation`` object -> locomo; a JSON
    array of messages or ``{"messages": [...]}`` -> json. Anything else is an error, not a guess."""
    p = _open_text(path)
    if p.suffix.lower() in {".jsonl", ".ndjson"}:
        return "jsonl"
    with p.open(encoding="utf-8") as handle:
        head = handle.read(1)
        while head and head.isspace():
            head = handle.read(1)
    if head not in {"[", "{"}:
        raise InvalidInput(f"{p}: not JSON or JSONL; give --format")
    try:
        data = _load_json(p)
    except InvalidInput:
        if head == "{":  # several objects, one per line, in a file not named .jsonl
            return "jsonl"
        raise
    first = data[0] if isinstance(data, list) and data else data
    if isinstance(first, Mapping) and isinstance(first.get("conversation"), Mapping):
        return "locomo"
    if isinstance(data, Mapping) and isinstance(data.get("messages"), list):
        return "json"
    if isinstance(data, list) and all(isinstance(m, Mapping) for m in data):
        return "json"
    if isinstance(data, Mapping) and ("content" in data or "text" in data):
        return "jsonl"  # a single message on one line
    raise InvalidInput(f"{p}: cannot tell the format (messages or LoCoMo conversations); give --format")


def read_file(path: str | Path, fmt: str = "auto") -> Iterator[tuple[str | None, list[dict[str, Any]]]]:
    """Conversations of a file as ``(namespace suffix or None, items)``: one group for message files,
    one per conversation (suffix = sample id) for LoCoMo files."""
    kind = detect_format(path) if fmt == "auto" else fmt
    if kind == "jsonl":
        yield None, list(read_jsonl(path))
    elif kind == "json":
        yield None, list(read_json_messages(path))
    elif kind == "locomo":
        yield from read_locomo(path)
    else:
        raise InvalidInput(f"unknown format {fmt!r}; expected auto, jsonl, json or locomo")
