"""Skip/limit pagination with a ``next`` link, shared by every list endpoint.

A list route asks the service layer for one item more than the page holds: if it comes back, there is
a next page, and its URL is this request's URL with ``skip`` advanced. So no route needs a count query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import Query, Request

__all__ = ["MAX_PAGE", "MAX_SKIP", "LimitQuery", "SkipQuery", "next_link", "page_of"]

MAX_PAGE = 500
"""Largest page; one more item than this is fetched to detect a next page."""

MAX_SKIP = 5_000
"""Deepest offset a list accepts. Kuzu 0.11.3 crashes the process (segfault) on ``ORDER BY ... SKIP n
LIMIT m`` once n is above roughly 8,400 (measured on the fact listing query), so the API refuses deeper
offsets with a 422 rather than let one request kill the server. Raise it when the store pages safely."""

SkipQuery = Annotated[int, Query(ge=0, le=MAX_SKIP, description="items to skip (from `next`)")]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]

T = TypeVar("T")


def next_link(request: Request, *, skip: int, limit: int) -> str:
    """Path and query of the page after this one (other query parameters kept)."""
    url = request.url.include_query_params(skip=skip + limit, limit=limit)
    return f"{url.path}?{url.query}"


def page_of(request: Request, rows: Sequence[T], *, skip: int, limit: int) -> tuple[list[T], str | None]:
    """Split ``rows`` (up to ``limit + 1`` items starting at ``skip``) into the page and the next link."""
    more = len(rows) > limit
    return list(rows[:limit]), next_link(request, skip=skip, limit=limit) if more else None
