"""graphmem as an MCP server: the tools an LLM client (a coding agent, a desktop assistant) calls.

Every tool is one :class:`graphmem.Memory` call with a typed input schema and a typed result, so the
model sees the same JSON the SDK and REST return. Two transports share these tools:

- ``graphmem mcp`` runs them over stdio for a local client; the person running it owns the store, so
  every namespace is open to it (``--namespace`` only sets the default).
- ``graphmem serve`` mounts them at ``/mcp`` (streamable HTTP, ``api/mcp.py``), where each call is
  checked against the caller's API key exactly as REST checks it.

Which namespace a call may use is decided by an :data:`Access` hook the transport supplies; this
module knows nothing about keys. Errors a caller can fix (bad input, unknown id, a namespace the key
may not use) come back as tool errors whose message says what to change, never as a crash.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal, ParamSpec, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graphmem.errors import GraphmemError, InvalidInput
from graphmem.memory import Memory, validate_namespace
from graphmem.retrieve.plan import Plan
from graphmem.retrieve.results import EpisodeHit, FactHit, InsightHit, PathHit
from graphmem.views import (
    AddResult,
    EntityView,
    FactView,
    FeedbackResult,
    HistoryEntry,
    InsightView,
    SessionView,
    Stats,
)

try:
    from mcp.server.mcpserver import Context, MCPServer
    from mcp.server.mcpserver.exceptions import ResourceError, ToolError
    from mcp.types import ToolAnnotations
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("the MCP server needs the mcp extra: pip install 'graphmem[mcp]'") from exc

__all__ = ["Access", "Recall", "Scope", "build_server", "local_access", "run_stdio"]

logger = logging.getLogger(__name__)

Scope = Literal["read", "write"]
Access = Callable[[Context | None, Scope, str | None], str]
"""``access(ctx, scope, namespace) -> namespace``: the namespace a call will use (the requested one,
or the caller's default when None), after checking the caller may use it with that scope; raises a
GraphmemError (e.g. NamespaceForbidden) when it may not."""

P = ParamSpec("P")
T = TypeVar("T")

NAME = "graphmem"
INSTRUCTIONS = """\
graphmem is a long-term memory: a graph of facts extracted from what was said, with their history.
Call `remember` with each thing worth keeping (a user's message, an observation, a tool result):
facts are extracted and reconciled (a newer value supersedes an older one; nothing is lost).
Call `recall` with a question before answering from memory; its `context` field is ready to quote,
and each fact names the episodes it came from. Use `facts`/`history` for the current value or how a
value changed, `entity` for everything about one person or thing, and `feedback` to say which
recalled facts helped. Every tool takes an optional `namespace` (a user or agent's memory)."""

NamespaceArg = Annotated[
    str | None,
    Field(description="the memory to use (a user, tenant or agent); default: the server's or key's own"),
]
AsOfArg = Annotated[
    str | None,
    Field(description="read the memory as it was at this time (ISO 8601, e.g. 2024-01-31); default now"),
]


class Recall(BaseModel):
    """What ``recall`` returns: prompt-ready text first, then the hits it was built from."""

    model_config = ConfigDict(extra="forbid")

    query: str
    namespace: str
    as_of: datetime | None = None
    context: str = Field(description="the best facts, paths, insights and excerpts as compact text")
    facts: list[FactHit] = Field(
        description="facts, best first, with the path that found them, validity, "
        "older values and the ids of the episodes that evidence them"
    )
    paths: list[PathHit] = Field(
        description="explicit chains between entities, e.g. A -sister-> B -lives_in-> C"
    )
    episodes: list[EpisodeHit] = Field(description="the conversation turns or observations behind the facts")
    insights: list[InsightHit] = Field(description="lessons and profiles derived from the memory")


def local_access(default_namespace: str) -> Access:
    """Stdio: the local user owns the store, so any valid namespace; ``default_namespace`` otherwise."""

    def access(ctx: Context | None, scope: Scope, namespace: str | None) -> str:
        return validate_namespace(namespace if namespace is not None else default_namespace)

    return access


def _tool_errors(fn: Callable[P, T]) -> Callable[P, T]:
    """GraphmemErrors become tool errors carrying their message (what the model must change)."""

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except GraphmemError as exc:
            raise ToolError(f"{_kind(exc)}: {exc}") from exc

    return call


def _kind(exc: GraphmemError) -> str:
    """A short, stable label for the error class (``not found``, ``invalid input`` ...)."""
    name = type(exc).__name__
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


_READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
_DELETE = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)


def build_server(memory: Memory, *, access: Access | None = None) -> MCPServer:
    """An MCP server whose tools call ``memory``; ``access`` decides namespaces (default: local)."""
    check = access or local_access(memory.default_namespace)
    server: MCPServer = MCPServer(NAME, instructions=INSTRUCTIONS, version=_version())

    def tool(annotations: ToolAnnotations) -> Callable[[Callable[P, T]], Callable[P, T]]:
        def register(fn: Callable[P, T]) -> Callable[P, T]:
            wrapped = _tool_errors(fn)
            server.add_tool(
                wrapped, name=fn.__name__, description=inspect.getdoc(fn), annotations=annotations
            )
            return fn

        return register

    @tool(_WRITE)
    def remember(
        content: Annotated[str, Field(description="what was said or observed, as plain text")],
        ctx: Context,
        speaker: Annotated[str | None, Field(description="who said it; 'I'/'my' attach to them")] = None,
        role: Annotated[
            str | None, Field(description="user, assistant, agent, tool, environment or document")
        ] = None,
        session: Annotated[str | None, Field(description="conversation or task id that groups turns")] = None,
        timestamp: Annotated[
            str | None, Field(description="when it happened (ISO 8601); default now")
        ] = None,
        id: Annotated[
            str | None, Field(description="episode id; remembering the same id twice is a no-op")
        ] = None,
        namespace: NamespaceArg = None,
    ) -> AddResult:
        """Store one message or observation; its facts are extracted and reconciled with what is known.

        Returns the new episode id and how many facts were added, reinforced or closed (superseded)."""
        ns = check(ctx, "write", namespace)
        result = memory.add(
            content, speaker=speaker, role=role, session=session, timestamp=timestamp, id=id, namespace=ns
        )
        try:
            check(ctx, "read", ns)
        except GraphmemError:  # a write-only key: ids and decisions, not stored values (as in REST)
            return result.without_values()
        return result

    @tool(_READ)
    def recall(
        query: Annotated[str, Field(description="a question or keywords, e.g. 'Where does Maria live?'")],
        ctx: Context,
        k: Annotated[int, Field(ge=1, le=50, description="how many facts to return")] = 8,
        as_of: AsOfArg = None,
        namespace: NamespaceArg = None,
    ) -> Recall:
        """Answer a question from memory: ranked facts with the graph paths that found them and their
        source episodes (provenance), plus a prompt-ready `context` text."""
        ns = check(ctx, "read", namespace)
        result = memory.search(query, k=k, as_of=as_of, namespace=ns)
        return Recall(
            query=result.query,
            namespace=result.namespace,
            as_of=result.as_of,
            context=result.context(),
            facts=result.facts,
            paths=result.paths,
            episodes=result.episodes,
            insights=result.insights,
        )

    @tool(_READ)
    def facts(
        ctx: Context,
        subject: Annotated[str | None, Field(description="only facts about this entity (a name)")] = None,
        predicate: Annotated[
            str | None, Field(description="only this relation, e.g. lives_in, works_at")
        ] = None,
        as_of: AsOfArg = None,
        include_history: Annotated[bool, Field(description="attach the older values of each fact")] = False,
        limit: Annotated[int, Field(ge=1, le=200, description="at most this many facts")] = 50,
        namespace: NamespaceArg = None,
    ) -> list[FactView]:
        """List the facts believed now (or at `as_of`), optionally about one subject and relation."""
        ns = check(ctx, "read", namespace)
        return memory.facts(
            subject=subject,
            predicate=predicate,
            as_of=as_of,
            include_history=include_history,
            limit=limit,
            namespace=ns,
        )

    @tool(_READ)
    def history(
        ctx: Context,
        subject: Annotated[str | None, Field(description="the entity whose values changed (a name)")] = None,
        predicate: Annotated[str | None, Field(description="the relation, e.g. lives_in")] = None,
        fact_id: Annotated[str | None, Field(description="or: the id of one fact of the slot")] = None,
        namespace: NamespaceArg = None,
    ) -> list[HistoryEntry]:
        """How a value changed over time, oldest first, with the rule and reason of each change.

        Give `subject` (and usually `predicate`), or a `fact_id`."""
        ns = check(ctx, "read", namespace)
        return memory.history(subject=subject, predicate=predicate, fact_id=fact_id, namespace=ns)

    @tool(_READ)
    def entity(
        name: Annotated[str, Field(description="an entity's name (or id), e.g. 'Maria'")],
        ctx: Context,
        namespace: NamespaceArg = None,
    ) -> EntityView:
        """Everything currently known about one person, place or thing: type, aliases and facts."""
        ns = check(ctx, "read", namespace)
        return memory.entity(name, namespace=ns)

    @tool(_READ)
    def explain(
        query: Annotated[str, Field(description="the question to plan")],
        ctx: Context,
        as_of: AsOfArg = None,
        namespace: NamespaceArg = None,
    ) -> Plan:
        """Show how `recall` would search for a question (entities found, hops, direction, time
        filter) and why, like EXPLAIN in a database. Use it when a recall misses."""
        ns = check(ctx, "read", namespace)
        return memory.explain(query, as_of=as_of, namespace=ns)

    @tool(_DELETE)
    def forget(
        episode_id: Annotated[str, Field(description="the id of the episode to delete")],
        ctx: Context,
        namespace: NamespaceArg = None,
    ) -> dict[str, int]:
        """Delete one remembered episode, and the facts and entities only it supported.

        Returns counts of what was deleted. Changed facts never need this: `remember` the new value."""
        ns = check(ctx, "write", namespace)
        return memory.forget(episode_id=episode_id, namespace=ns)

    @tool(_WRITE)
    def feedback(
        ids: Annotated[list[str], Field(min_length=1, description="ids of recalled facts or insights")],
        useful: Annotated[bool, Field(description="true if they helped, false if they misled")],
        ctx: Context,
        namespace: NamespaceArg = None,
    ) -> FeedbackResult:
        """Say whether recalled facts or insights helped; later recalls rank them up or down."""
        ns = check(ctx, "write", namespace)
        return memory.feedback(ids, useful=useful, namespace=ns)

    @tool(_WRITE)
    def start_session(
        session_id: Annotated[str, Field(description="a new id for this conversation or task run")],
        ctx: Context,
        goal: Annotated[str, Field(description="what the task is trying to achieve")] = "",
        title: Annotated[str, Field(description="a short title")] = "",
        namespace: NamespaceArg = None,
    ) -> SessionView:
        """Open a session (a conversation or task run) before remembering its turns with `session`."""
        ns = check(ctx, "write", namespace)
        return memory.start_session(session_id, goal=goal, title=title, namespace=ns)

    @tool(_WRITE)
    def end_session(
        session_id: Annotated[str, Field(description="the session to close")],
        outcome: Annotated[str, Field(description="'success', 'failure' or a short text")],
        ctx: Context,
        score: Annotated[float | None, Field(description="an optional numeric score")] = None,
        namespace: NamespaceArg = None,
    ) -> SessionView:
        """Record how a session ended; a digest of it is stored for future similar tasks."""
        ns = check(ctx, "write", namespace)
        return memory.end_session(session_id, outcome=outcome, score=score, namespace=ns)

    @tool(_WRITE)
    def add_insight(
        text: Annotated[str, Field(description="the lesson, e.g. 'Ask for the order id before refunds.'")],
        ctx: Context,
        derived_from: Annotated[
            list[str], Field(description="ids of facts, episodes, entities or sessions it came from")
        ] = [],  # noqa: B006 - pydantic copies defaults; the schema needs the literal
        kind: Annotated[str, Field(description="a short lower-case kind, e.g. lesson")] = "lesson",
        namespace: NamespaceArg = None,
    ) -> InsightView:
        """Store a lesson learnt above the memories it came from; `recall` returns it with them."""
        ns = check(ctx, "write", namespace)
        return memory.add_insight(text, derived_from=derived_from, kind=kind, namespace=ns)

    @tool(_READ)
    def stats(ctx: Context, namespace: NamespaceArg = None) -> Stats:
        """How much the memory holds: counts of episodes, entities, facts and relationships."""
        ns = check(ctx, "read", namespace)
        return memory.stats(namespace=ns)

    @server.resource(
        "graphmem://{namespace}/entity/{name}",
        name="entity_profile",
        description="An entity's profile: what it is, its current facts and the lessons about it.",
        mime_type="text/markdown",
    )
    def entity_profile(namespace: str, name: str, ctx: Context) -> str:
        try:
            ns = check(ctx, "read", namespace)
            return profile_markdown(memory, name, namespace=ns)
        except GraphmemError as exc:
            raise ResourceError(f"{_kind(exc)}: {exc}") from exc

    return server


def profile_markdown(memory: Memory, name: str, *, namespace: str) -> str:
    """An entity as a short Markdown page: the same data as ``Memory.entity`` plus its insights."""
    view = memory.entity(name, namespace=namespace)
    lines = [f"# {view.name}", "", f"- type: {view.type}"]
    if view.aliases:
        lines.append(f"- also known as: {', '.join(view.aliases)}")
    times = "once" if view.mention_count == 1 else f"{view.mention_count} times"
    lines.append(f"- mentioned {times}, {view.first_seen:%Y-%m-%d} to {view.last_seen:%Y-%m-%d}")
    if view.summary:
        lines += ["", view.summary]
    lines += ["", "## Current facts", ""]
    lines += [f"- {f.summary or f.text} (fact {f.id})" for f in view.facts] or ["- none"]
    insights = memory.insights(about=view.id, namespace=namespace, limit=20)
    if insights:
        lines += ["", "## Insights", ""]
        lines += [f"- [{i.kind}] {i.text}" for i in insights]
    return "\n".join(lines) + "\n"


def run_stdio(memory: Memory) -> None:
    """Serve ``memory`` over stdio until the client disconnects (``graphmem mcp``)."""
    if not isinstance(memory, Memory):
        raise InvalidInput("run_stdio needs a graphmem.Memory")
    build_server(memory).run("stdio")


def _version() -> str:
    import graphmem

    return graphmem.__version__
