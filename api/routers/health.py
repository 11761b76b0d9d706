"""``GET /v1/health``: liveness without a key, and whether keys are enforced."""

from __future__ import annotations

from fastapi import APIRouter, Request

import graphmem
from graphmem.api.deps import MemoryDep
from graphmem.api.schemas import Health

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and auth mode")
def health(request: Request, memory: MemoryDep) -> Health:
    """Answers without an API key. ``auth`` is ``disabled`` when no key is configured: the API is then
    open to anyone who can reach it."""
    auth = "enabled" if request.app.state.keyring.enabled else "disabled"
    return Health(version=graphmem.__version__, auth=auth, backend=memory.settings.backend)
