"""Media shared with a message (a photo, a file), known by a description such as an image caption.

``add(..., attachments=[{"type": "image", "caption": "a dog on a beach"}])`` keeps the attachments on
the episode's metadata (the raw record stays the message text) and makes them part of what the
episode is embedded, extracted and found by, marked as such: ``"... [image: a dog on a beach]"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graphmem.errors import InvalidInput
from graphmem.model import Episode

__all__ = ["episode_text", "full_text", "parse_attachments"]


def parse_attachments(value: object) -> list[dict[str, str]]:
    """``[{"type": "image", "caption": "..."}]``: media shared with the message, by their description."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidInput("attachments must be a list of {type, caption} objects")
    out: list[dict[str, str]] = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) - {"type", "caption"}:
            raise InvalidInput(f"attachment {index} must be an object with 'type' and 'caption' only")
        kind, caption = item.get("type", "image"), item.get("caption")
        if not isinstance(kind, str) or not kind.strip():
            raise InvalidInput(f"attachment {index}: type must be a non-empty string")
        if not isinstance(caption, str) or not caption.strip():
            raise InvalidInput(f"attachment {index}: caption must be a non-empty string")
        out.append({"type": kind.strip(), "caption": " ".join(caption.split())})
    return out


def episode_text(content: str, attachments: Sequence[Mapping[str, str]]) -> str:
    """What an episode is embedded and extracted from: its text, then each attachment's caption
    marked as such ("[image: a dog on a beach]"), so what a shared photo shows is remembered too."""
    marked = [f"[{a['type']}: {a['caption']}]" for a in attachments]
    return " ".join([content, *marked]) if marked else content


def full_text(ep: Episode) -> str:
    media = ep.metadata.get("attachments")
    try:
        return episode_text(ep.content, parse_attachments(media)) if media else ep.content
    except InvalidInput:  # metadata the caller named "attachments" for something else
        return ep.content
