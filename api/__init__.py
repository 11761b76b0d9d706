"""graphmem's REST API: FastAPI over :class:`graphmem.Memory`, under ``/v1``.

Serve it with ``uvicorn graphmem.api.app:create_app --factory`` or ``graphmem serve``; see
:mod:`graphmem.api.app`. It ships as ``graphmem.api`` (``graphmem/api`` links to this folder).
"""

from __future__ import annotations

from graphmem.api.app import create_app

__all__ = ["create_app"]
