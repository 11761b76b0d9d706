"""Input limits, in one place: the SDK, the REST schema and the server all read them from here.

When the OpenAPI schema said one thing (queries up to 4,000 characters, batches up to 10,000) and the
server enforced another (2,000 and 1,000), generated clients broke on requests the schema promised
would work. So each limit is a constant here, the request models use it for their JSON-schema bounds,
and the service layer checks the same constant (a configurable cap, like the batch size, is written
into the served schema by ``graphmem.api.app``).

It also holds the checks every surface shares for values that are stored and served back later:
text must be valid Unicode (a lone surrogate cannot be encoded, and would fail the store or every
later response that holds it) and metadata must be a bounded JSON object, checked without recursion
(a 3,000-deep object must be refused, not raise ``RecursionError``, and a 300-deep one must not be
stored: every search that surfaced it would then fail to serialise).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graphmem.errors import InvalidInput

__all__ = [
    "MAX_BATCH_ITEMS",
    "MAX_METADATA_BYTES",
    "MAX_METADATA_DEPTH",
    "MAX_QUERY_CHARS",
    "check_metadata",
    "check_text",
]

MAX_QUERY_CHARS = 2_000
"""A search or explain question."""
MAX_BATCH_ITEMS = 10_000
"""Hard cap on items in one REST batch; the served schema shows the configured cap
(``api_max_batch_items``, default 1,000), which may not exceed this."""
MAX_METADATA_DEPTH = 16
"""Nesting of an episode's metadata (objects and arrays)."""
MAX_METADATA_BYTES = 64_000
"""An episode's metadata as compact JSON."""


def check_text(value: object, label: str) -> str:
    """``value`` if it is a str that can be stored (valid Unicode); InvalidInput naming ``label`` if not."""
    if not isinstance(value, str):
        raise InvalidInput(f"{label} must be text, got {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{label} is not valid Unicode: a lone surrogate at position {exc.start}") from exc
    return value


def check_metadata(value: object) -> dict[str, Any]:
    """A JSON object within :data:`MAX_METADATA_DEPTH` and :data:`MAX_METADATA_BYTES`, else InvalidInput.

    Walks with an explicit stack, so depth is checked before Python's recursion limit is reached.
    Keys must be text; values JSON (null, bool, finite numbers, text, arrays, objects).
    """
    if not isinstance(value, Mapping):
        raise InvalidInput(f"metadata must be an object (a mapping), got {type(value).__name__}")
    size = 0
    stack: list[tuple[object, int, str]] = [(value, 1, "metadata")]
    while stack:
        item, depth, where = stack.pop()
        if isinstance(item, Mapping | list | tuple):
            if depth > MAX_METADATA_DEPTH:
                raise InvalidInput(f"metadata nests deeper than {MAX_METADATA_DEPTH} levels (at {where})")
            if isinstance(item, Mapping):
                for key, child in item.items():
                    if not isinstance(key, str):
                        raise InvalidInput(f"metadata keys must be text, got {type(key).__name__} in {where}")
                    check_text(key, f"a metadata key in {where}")
                    size += len(key.encode("utf-8")) + 4
                    stack.append((child, depth + 1, f"{where}.{key[:40]}"))
            else:
                size += 2
                stack.extend((child, depth + 1, f"{where}[{i}]") for i, child in enumerate(item))
        elif isinstance(item, str):
            size += len(check_text(item, where).encode("utf-8")) + 2
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise InvalidInput(f"{where} is NaN or infinite; JSON has no such number")
            size += 24
        elif isinstance(item, int) and not isinstance(item, bool):
            if not -(1 << 63) <= item < 1 << 63:
                raise InvalidInput(f"{where} does not fit a 64-bit integer")
            size += 20
        elif item is None or isinstance(item, bool):
            size += 5
        else:
            raise InvalidInput(f"{where} has a type ({type(item).__name__}) JSON cannot hold")
        if size > MAX_METADATA_BYTES:
            raise InvalidInput(f"metadata is larger than {MAX_METADATA_BYTES} bytes as JSON")
    return dict(value)
