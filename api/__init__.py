"""graphmem's REST API: FastAPI over :class:`graphmem.Memory`, under ``/v1``.

Serve it with ``uvicorn api.app:create_app --factory`` or ``graphmem serve``; see :mod:`api.app`.
"""

from __future__ import annotations

from api.app import create_app

__all__ = ["create_app"]
