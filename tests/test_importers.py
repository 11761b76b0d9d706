"""Importers: JSONL messages, JSON message arrays, LoCoMo-style conversations, format detection.

Files are written by each test (the LoCoMo data itself is never committed). Every reader's output is
also passed through the write path's own validator (``graphmem.ingest.parse_item``), so an importer
cannot produce something ``Memory.add_many`` would refuse.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graphmem.demo import load_conversation
from graphmem.errors import InvalidInput
from graphmem.importers import (
    detect_format,
    parse_locomo_datetime,
    read_file,
    read_json_messages,
    read_jsonl,
    read_locomo,
)
from graphmem.ingest import parse_item


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _locomo_sample(sample_id: str) -> dict[str, Any]:
    return {
        "sample_id": sample_id,
        "qa": [
            {"question": "Where does Caroline live?", "answer": "Boston", "evidence": ["D1:1"], "category": 4}
        ],
        "conversation": {
            "speaker_a": "Caroline",
            "speaker_b": "Melanie",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {"speaker": "Caroline", "dia_id": "D1:1", "text": "I live in Boston."},
                {
                    "speaker": "Melanie",
                    "dia_id": "D1:2",
                    "text": "Look at this!",
                    "img_url": ["https://example.invalid/a.jpg"],
                    "blip_caption": "a photo of a dog on a beach",
                },
            ],
            "session_10_date_time": "10:04 am on 2 February, 2024",
            "session_10": [{"speaker": "Caroline", "dia_id": "D10:1", "text": "I moved to Denver."}],
            "session_2_date_time": "7:00 pm on 25 May, 2023",
            "session_2": [
                {"speaker": "Melanie", "dia_id": "D2:1", "text": "How was the trip?"},
                {"speaker": "Caroline", "dia_id": "D2:2", "text": "Great, thanks."},
            ],
        },
    }


# --- JSONL ---------------------------------------------------------------------------------------


def test_read_jsonl_yields_one_message_per_line_and_skips_blank_lines(tmp_path: Path) -> None:
    lines = [
        {
            "role": "user",
            "name": "Maria",
            "content": "I live in Paris.",
            "timestamp": "2024-01-01T10:00:00Z",
            "session": "s1",
            "metadata": {"turn": 1},
            "id": "m1",
        },
        {"role": "assistant", "content": "Nice!"},
        {"speaker": "Maria", "text": "I moved to Lisbon."},
    ]
    path = _write(
        tmp_path / "chat.jsonl",
        "\n".join(json.dumps(x) for x in lines[:2]) + "\n\n" + json.dumps(lines[2]) + "\n",
    )
    got = list(read_jsonl(path))
    assert got == lines
    parsed = [parse_item(m, max_chars=10_000) for m in got]
    assert parsed[0].speaker == "Maria" and parsed[0].session == "s1" and parsed[0].id == "m1"
    assert parsed[0].timestamp == datetime(2024, 1, 1, 10, tzinfo=UTC)
    assert parsed[1].role.value == "assistant"
    assert parsed[2].text == "I moved to Lisbon."


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"content": "unterminated', "invalid JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"content": "hi", "colour": "red"}', "unknown field"),
        ('{"role": "user"}', "a message needs non-empty 'content'"),
        ('{"content": "   "}', "a message needs non-empty 'content'"),
    ],
)
def test_read_jsonl_names_the_bad_line(tmp_path: Path, bad_line: str, message: str) -> None:
    path = _write(tmp_path / "chat.jsonl", '{"content": "fine"}\n\n' + bad_line + "\n")
    with pytest.raises(InvalidInput) as info:
        list(read_jsonl(path))
    assert f"chat.jsonl:3: {message}" in str(info.value)


def test_read_jsonl_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        list(read_jsonl(tmp_path / "nope.jsonl"))


# --- JSON messages -------------------------------------------------------------------------------


def test_read_json_messages_accepts_an_array_or_a_messages_object(tmp_path: Path) -> None:
    messages = [{"content": "I live in Paris.", "name": "Maria"}, {"content": "Hello", "role": "assistant"}]
    as_array = _write(tmp_path / "a.json", json.dumps(messages))
    as_object = _write(tmp_path / "b.json", json.dumps({"title": "t", "messages": messages}))
    assert list(read_json_messages(as_array)) == messages
    assert list(read_json_messages(as_object)) == messages
    bad = _write(tmp_path / "c.json", json.dumps({"messages": [{"content": "ok"}, {"text": ""}]}))
    with pytest.raises(InvalidInput, match="message 1"):
        list(read_json_messages(bad))


# --- LoCoMo --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1:56 pm on 8 May, 2023", datetime(2023, 5, 8, 13, 56, tzinfo=UTC)),
        ("10:04 am on 2 February, 2024", datetime(2024, 2, 2, 10, 4, tzinfo=UTC)),
        ("12:09 am on 13 September, 2023", datetime(2023, 9, 13, 0, 9, tzinfo=UTC)),
        ("8:30 pm on 1 Jan, 2023", datetime(2023, 1, 1, 20, 30, tzinfo=UTC)),
    ],
)
def test_parse_locomo_datetime(text: str, expected: datetime) -> None:
    assert parse_locomo_datetime(text) == expected


def test_parse_locomo_datetime_rejects_garbage() -> None:
    with pytest.raises(InvalidInput, match="cannot parse session date"):
        parse_locomo_datetime("sometime last spring")


def test_read_locomo_keeps_turn_ids_orders_sessions_and_attaches_captions(tmp_path: Path) -> None:
    path = _write(tmp_path / "locomo.json", json.dumps([_locomo_sample("conv-1"), _locomo_sample("conv-2")]))
    conversations = list(read_locomo(path))
    assert [sid for sid, _ in conversations] == ["conv-1", "conv-2"]
    _, items = conversations[0]
    # session_2 comes before session_10 (numeric order, not text order)
    assert [i["metadata"]["dia_id"] for i in items] == ["D1:1", "D1:2", "D2:1", "D2:2", "D10:1"]
    assert [i["id"] for i in items][:2] == ["conv-1:D1:1", "conv-1:D1:2"]
    assert items[1]["content"] == "Look at this!"
    assert items[1]["attachments"] == [{"type": "image", "caption": "a photo of a dog on a beach"}]
    assert items[1]["metadata"]["img_url"] == ["https://example.invalid/a.jpg"]
    assert [i["session"] for i in items] == ["session_1", "session_1", "session_2", "session_2", "session_10"]
    parsed = [parse_item(i, max_chars=10_000) for i in items]
    assert parsed[0].speaker == "Caroline" and parsed[1].speaker == "Melanie"
    assert parsed[0].timestamp == datetime(2023, 5, 8, 13, 56, tzinfo=UTC)
    # turns of a session keep their order in event time; sessions follow their headers
    times = [p.timestamp for p in parsed]
    assert times == sorted(times) and times[0] < times[1]
    assert parsed[-1].timestamp == datetime(2024, 2, 2, 10, 4, tzinfo=UTC)


def test_read_locomo_accepts_a_single_sample_object(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", json.dumps(_locomo_sample("conv-9")))
    [(sample_id, items)] = list(read_locomo(path))
    assert sample_id == "conv-9" and len(items) == 5


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s["conversation"].pop("session_2_date_time"), "session_2 has no session_2_date_time"),
        (lambda s: s["conversation"]["session_1"][0].pop("speaker"), "session_1 turn 0 needs"),
        (lambda s: s.pop("conversation"), "no 'conversation'"),
        (lambda s: s.update(sample_id="bad/id"), "unusable or repeated sample_id"),
    ],
)
def test_read_locomo_errors_name_the_place(tmp_path: Path, mutate: Any, message: str) -> None:
    sample = _locomo_sample("conv-1")
    mutate(sample)
    path = _write(tmp_path / "locomo.json", json.dumps([sample]))
    with pytest.raises(InvalidInput, match=message):
        list(read_locomo(path))


# --- detection -----------------------------------------------------------------------------------


def test_detect_format(tmp_path: Path) -> None:
    assert detect_format(_write(tmp_path / "a.jsonl", '{"content": "x"}\n')) == "jsonl"
    assert detect_format(_write(tmp_path / "b.json", json.dumps([_locomo_sample("c")]))) == "locomo"
    assert detect_format(_write(tmp_path / "c.json", json.dumps(_locomo_sample("c")))) == "locomo"
    assert detect_format(_write(tmp_path / "d.json", json.dumps([{"content": "x"}]))) == "json"
    assert detect_format(_write(tmp_path / "e.json", json.dumps({"messages": []}))) == "json"
    assert detect_format(_write(tmp_path / "f.txt", '{"content": "x"}\n{"content": "y"}\n')) == "jsonl"
    with pytest.raises(InvalidInput, match="give --format"):
        detect_format(_write(tmp_path / "g.txt", "just some text"))
    with pytest.raises(InvalidInput, match="cannot tell the format"):
        detect_format(_write(tmp_path / "h.json", json.dumps({"rows": [1, 2]})))


def test_read_file_groups(tmp_path: Path) -> None:
    jsonl = _write(tmp_path / "a.jsonl", '{"content": "x"}\n{"content": "y"}\n')
    assert [(ns, len(items)) for ns, items in read_file(jsonl)] == [(None, 2)]
    locomo = _write(tmp_path / "b.json", json.dumps([_locomo_sample("c1"), _locomo_sample("c2")]))
    assert [(ns, len(items)) for ns, items in read_file(locomo)] == [("c1", 5), ("c2", 5)]
    with pytest.raises(InvalidInput, match="unknown format"):
        list(read_file(jsonl, "csv"))


# --- the demo conversation is itself an importable file ------------------------------------------


def test_demo_conversation_is_valid_and_importable() -> None:
    from importlib import resources

    data = load_conversation()
    path = Path(str(resources.files("graphmem.data") / "demo_conversation.json"))
    assert detect_format(path) == "json"
    messages = list(read_json_messages(path))
    assert messages == data["messages"]
    assert 30 <= len(messages) <= 60
    parsed = [parse_item(m, max_chars=10_000) for m in messages]
    assert len({m["id"] for m in messages}) == len(messages)
    assert len({p.session for p in parsed}) >= 4
    times = [p.timestamp for p in parsed]
    assert times == sorted(times)
    assert {p.speaker for p in parsed if p.role.value == "user"} == {"Maria"}
    text = " ".join(p.text for p in parsed)
    for needed in ("Anna", "Porto", "Tom", "Siemens", "Paris", "Lisbon"):
        assert needed in text
    assert {q["answer"] for q in data["questions"]} >= {"Porto", "Lisbon"}
