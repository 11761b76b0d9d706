"""What a write-only key may see of its own writes: ids and decisions, never stored values.

``write`` does not imply ``read``: an ingestion-only key (a web hook, a tool runner) must not be able
to read memories back. The add and undo responses of the service layer are written for readers: a
decision's ``reason`` quotes the current value it superseded or kept, a decision's ``fact`` is
rendered with the stored names of the entities it resolved to, and an undo returns the slot's whole
history. For a caller without ``read`` they are reduced to ids, rule names, flags and statuses
(``AddResult.without_values``; the MCP ``remember`` tool does the same).
"""

from __future__ import annotations

from graphmem.api.auth import Principal
from graphmem.views import AddResult

__all__ = ["redact_add"]


def redact_add(result: AddResult, principal: Principal) -> AddResult:
    """``result`` as is for a key that may read; otherwise its decisions without stored values."""
    return result if principal.has_scope("read") else result.without_values()
