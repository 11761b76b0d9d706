"""Cypher parameters are checked against what the engines can type before they reach one.

Kuzu crashes the whole process on a null where it expects a list (``WHERE x IN $xs`` with
``xs = None``), silently turns NaN and infinity into null, and gives engine-internal errors for
mixed-type lists; Python raises ``UnicodeEncodeError`` deep in a driver on a lone surrogate. So a
parameter is refused here, with its name and the reason, unless it is one of: a bool, an int that fits
64 bits, a finite float, a str that is valid Unicode, a date/datetime/timedelta, or a list (one kind
of element) or map (identifier keys) of those, within depth and size bounds. Nulls are refused
everywhere: leave a parameter out, or pass a typed value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from graphmem.errors import InvalidInput

__all__ = ["MAX_PARAM_DEPTH", "MAX_PARAM_ITEMS", "check_params"]

MAX_PARAM_DEPTH = 8
"""Lists and maps nested deeper than this are refused."""
MAX_PARAM_ITEMS = 100_000
"""Scalars across all parameters of one statement."""
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
_INT64 = (-(1 << 63), (1 << 63) - 1)


def check_params(params: object) -> dict[str, Any]:
    """A copy of ``params`` if every value is one the engines can type; InvalidInput otherwise.

    >>> check_params({"ns": "maria", "ids": ["a", "b"]})
    {'ns': 'maria', 'ids': ['a', 'b']}
    >>> check_params({"xs": None})
    Traceback (most recent call last):
    ...
    graphmem.errors.InvalidInput: Cypher parameter 'xs' is null: leave it out or give a typed value
    """
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise InvalidInput("params must be a mapping of parameter names to values")
    budget = [MAX_PARAM_ITEMS]
    out: dict[str, Any] = {}
    for name, value in params.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise InvalidInput(f"Cypher parameter name {str(name)[:50]!r} is not an identifier")
        out[name] = _checked(value, name, 0, budget)
    return out


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, datetime):
        return "datetime"
    return type(value).__name__


def _checked(value: Any, where: str, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise InvalidInput(f"Cypher parameters hold more than {MAX_PARAM_ITEMS} values")
    if value is None:
        raise InvalidInput(f"Cypher parameter {where!r} is null: leave it out or give a typed value")
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise InvalidInput(f"Cypher parameter {where!r} does not fit a 64-bit integer")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"Cypher parameter {where!r} is NaN or infinite; give a finite number")
        return value
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput(f"Cypher parameter {where!r} is not valid Unicode (lone surrogate)") from exc
        return value
    if isinstance(value, datetime | date | timedelta):
        if isinstance(value, datetime) and value.tzinfo is not None:
            try:
                value.utcoffset()
            except (OverflowError, ValueError) as exc:
                raise InvalidInput(f"Cypher parameter {where!r} is not a valid time") from exc
        return value
    if depth >= MAX_PARAM_DEPTH and isinstance(value, list | tuple | Mapping):
        raise InvalidInput(f"Cypher parameter {where!r} nests deeper than {MAX_PARAM_DEPTH} levels")
    if isinstance(value, list | tuple):
        items = [_checked(v, f"{where}[{i}]", depth + 1, budget) for i, v in enumerate(value)]
        kinds = {_kind(v) for v in items}
        if kinds == {"int", "float"}:  # numbers: one list of doubles
            return [float(v) for v in items]
        if len(kinds) > 1:
            raise InvalidInput(
                f"Cypher parameter {where!r} mixes {', '.join(sorted(kinds))} values; a list holds one kind"
            )
        return items
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not _NAME.match(key):
                raise InvalidInput(f"Cypher parameter {where!r} has a key that is not an identifier")
            out[key] = _checked(item, f"{where}.{key}", depth + 1, budget)
        return out
    raise InvalidInput(f"Cypher parameter {where!r} has a type ({type(value).__name__}) Cypher cannot take")
