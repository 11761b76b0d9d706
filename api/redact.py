"""What a write-only key may see of its own writes: ids and decisions, never stored values.

``write`` does not imply ``read``: an ingestion-only key (a web hook, a tool runner) must not be able
to read memories back. The add and undo responses of the service layer are written for readers: a
decision's ``reason`` quotes the current value it superseded or kept ("Maria lives in Paris" closed by
...), a decision's ``fact`` is rendered with the stored names of the entities it resolved to, and an
undo returns the slot's whole history. For a caller without ``read`` these are reduced to what the
caller already knows or needs to act on: episode ids, fact ids, rule names, flags and statuses.
"""

from __future__ import annotations

from typing import Any

from api.auth import Principal
from graphmem.views import AddResult

__all__ = ["DECISION_FIELDS_WITHOUT_READ", "redact_add"]

DECISION_FIELDS_WITHOUT_READ = ("episode_id", "fact_id", "rule", "flags")
"""The fields of ``AddResult.decisions[]`` a key without ``read`` gets; ``reason`` and ``fact`` go."""


def redact_add(result: AddResult, principal: Principal) -> AddResult:
    """``result`` as is for a key that may read; otherwise its decisions without stored values."""
    if principal.has_scope("read"):
        return result
    decisions: list[dict[str, Any]] = [
        {k: d.get(k) for k in DECISION_FIELDS_WITHOUT_READ} for d in result.decisions
    ]
    return result.model_copy(update={"decisions": decisions})
