"""Every error the REST API returns, mapped in one place to ``{"error": {"type", "message"}}``.

Routes never build HTTP errors themselves: they let the library's exceptions (``graphmem.errors``)
and the two API-only ones below propagate, and the handlers registered by :func:`install_handlers`
turn each into the status code of one table. That keeps the status of an error the same on every
route, and lets the OpenAPI ``responses=`` of each route (:func:`error_responses`) name exactly the
codes the table can produce.

Server faults (5xx) are logged with their traceback and answered with a generic message, so a client
never sees a traceback, a file path or a query text it did not send.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from graphmem.errors import (
    ClosedError,
    GraphmemError,
    InvalidInput,
    NamespaceForbidden,
    NotFound,
    QueryError,
    ReadOnlyViolation,
    SchemaMismatch,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)
from graphmem.limits import MAX_METADATA_DEPTH

__all__ = [
    "USER_CYPHER_FLAG",
    "ErrorDetail",
    "ErrorResponse",
    "Forbidden",
    "Unauthenticated",
    "error_body",
    "error_responses",
    "install_handlers",
]

logger = logging.getLogger(__name__)

USER_CYPHER_FLAG = "graphmem_user_cypher"
"""Set on ``request.state`` by the Cypher route. There, a QueryError or a plain StoreError (a runtime
error of the database, e.g. a parameter it cannot convert) comes from the caller's statement: 400.
Anywhere else it is one of the engine's own queries failing, which is a server fault: 500."""


class Unauthenticated(GraphmemError):
    """No API key, or one that matches no configured key (401)."""


class Forbidden(GraphmemError, PermissionError):
    """A valid key that lacks the scope an operation needs (403)."""


class ErrorDetail(BaseModel):
    """What went wrong: a stable machine-readable ``type`` and a sentence for people."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="stable error code, e.g. not_found, invalid_input, unauthenticated")
    message: str = Field(description="what went wrong, in a sentence")
    detail: list[dict[str, Any]] | None = Field(
        default=None, description="per-field problems of a request that failed validation (422 only)"
    )


class ErrorResponse(BaseModel):
    """The body of every 4xx / 5xx response."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"error": {"type": "not_found", "message": "no entity 'Bob' in namespace 'maria'"}}]
        },
    )

    error: ErrorDetail


# exception class -> (status, type), looked up along the exception's MRO so the most specific wins.
# QueryError falls under StoreError (500) except on the Cypher route (see USER_CYPHER_FLAG).
_TABLE: dict[type[BaseException], tuple[int, str]] = {
    Unauthenticated: (401, "unauthenticated"),
    Forbidden: (403, "forbidden"),
    NamespaceForbidden: (403, "namespace_forbidden"),
    ReadOnlyViolation: (403, "read_only_violation"),
    NotFound: (404, "not_found"),
    WriteConflict: (409, "write_conflict"),
    InvalidInput: (422, "invalid_input"),
    ClosedError: (503, "unavailable"),
    StoreUnavailable: (503, "unavailable"),
    SchemaMismatch: (503, "schema_mismatch"),
    StoreError: (500, "store_error"),
    GraphmemError: (500, "internal_error"),
}

_DESCRIPTIONS: dict[int, str] = {
    400: "The body could not be read as UTF-8 JSON, or (Cypher) the statement failed in the database",
    401: "Missing or unknown API key",
    403: "The key may not use this namespace, lacks the scope, or the Cypher statement writes",
    404: "No such episode, entity, fact or route in this namespace",
    409: "A concurrent write could not be serialised; retry",
    413: "The request body is larger than the configured limit",
    422: "The request is invalid (bad field, value out of range, empty text)",
    503: "The store is closed or cannot be opened",
}

_HTTP_TYPES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


def error_body(kind: str, message: str, detail: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The JSON error envelope; also used by the body-size middleware, which runs outside the handlers."""
    error: dict[str, Any] = {"type": kind, "message": message}
    if detail is not None:
        error["detail"] = detail
    return {"error": error}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for the error codes a route can return, all with the ErrorResponse schema."""
    return {code: {"model": ErrorResponse, "description": _DESCRIPTIONS[code]} for code in codes}


def _classify(exc: GraphmemError, request: Request) -> tuple[int, str]:
    if type(exc) in (QueryError, StoreError) and getattr(request.state, USER_CYPHER_FLAG, False):
        return 400, "query_error"
    for cls in type(exc).__mro__:
        if cls in _TABLE:
            return _TABLE[cls]
    return 500, "internal_error"  # pragma: no cover - GraphmemError is in the table


async def _graphmem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphmemError)
    status, kind = _classify(exc, request)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status >= 500 and status != 503:
        logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        message = "internal error; the server log has the details"
    else:
        message = str(exc) or kind.replace("_", " ")
        if status == 503:
            logger.warning("%s %s: store unavailable: %s", request.method, request.url.path, exc)
    return JSONResponse(error_body(kind, message), status_code=status, headers=headers)


def _field_errors(errors: Iterable[Any]) -> list[dict[str, Any]]:
    """Pydantic's error list without the offending input (which may be large or sensitive)."""
    out: list[dict[str, Any]] = []
    for err in errors:
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        out.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    return out


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = _field_errors(exc.errors())
    if detail:
        first = detail[0]
        where = ".".join(str(p) for p in first["loc"]) or "request"
        message = f"{where}: {first['msg']}"
        if len(detail) > 1:
            message += f" (and {len(detail) - 1} more problem{'s' if len(detail) > 2 else ''})"
    else:
        message = "the request is invalid"
    return JSONResponse(error_body("invalid_input", message, detail), status_code=422)


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (a path's methods are spread over several routes,
    and included routers nest them, so each method is tried against the router rather than read)."""
    routes = request.app.router.routes
    methods = {
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    }
    return ", ".join(sorted(methods | {"OPTIONS"}))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # RFC 9110: a 405 lists what the path does allow; OPTIONS asks just that
        headers["Allow"] = _allowed_methods(request)
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=headers)
    kind = _HTTP_TYPES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else kind.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = f"no route {request.method} {request.url.path}; see /docs for the API"
    elif exc.status_code == 400 and message == "There was an error parsing the body":
        if isinstance(exc.__cause__, RecursionError):
            message = f"the JSON body nests too deeply to parse (metadata: {MAX_METADATA_DEPTH} levels)"
        else:
            message = "the request body could not be parsed: send UTF-8 encoded JSON"
    return JSONResponse(error_body(kind, message), status_code=exc.status_code, headers=headers or None)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        error_body("internal_error", "internal error; the server log has the details"), status_code=500
    )


def install_handlers(app: FastAPI) -> None:
    """Register the one mapping from exceptions to JSON error responses."""
    app.add_exception_handler(GraphmemError, _graphmem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
