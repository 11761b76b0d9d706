"""``graphmem ...``: a thin command line over :class:`graphmem.Memory`.

Each command parses its arguments, calls ONE ``Memory`` method and renders the result: readable
tables and trees by default, ``--json`` (the same body the REST API returns: ``model_dump(mode="json")``)
or ``--jsonl`` for scripts. Nothing here decides anything about memory; if a command needs logic,
it belongs in the service layer so the SDK and REST get it too.

Errors: every ``GraphmemError`` is caught once (in :class:`_Group`), printed as ``Error: <message>`` on
stderr, exit status 1 (the traceback only with ``--debug``). Usage errors exit 2. Logs and progress
bars go to stderr only, so ``graphmem --json ... | jq`` always sees clean JSON.

Models load only when a command needs them (``add``, ``search``, ...), announced by one line on stderr;
``--server URL`` sends the same calls to a running ``graphmem serve`` (:mod:`graphmem.remote`), which keeps
them loaded.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.tree import Tree
from typer.core import TyperGroup

from graphmem.config import get_settings
from graphmem.errors import GraphmemError, InvalidInput, NotFound
from graphmem.memory import Memory
from graphmem.remote import RemoteMemory
from graphmem.retrieve.plan_tree import plan_tree

if TYPE_CHECKING:
    from graphmem.retrieve.plan import Plan
    from graphmem.retrieve.results import SearchResult
    from graphmem.views import AddResult, EntityView, FactView, HistoryEntry, Stats

__all__ = ["BENCHMARKS", "app", "main", "parse_param", "plan_tree", "run_bench", "to_json"]

BENCHMARKS: dict[str, str] = {
    "store": "Store operations per second (writes, look-ups, vector and full-text search) on the backend.",
    "extract": "Extractor precision/recall on the labelled extraction set, and sentences per second.",
    "ingest": "Ingest LoCoMo conversations through Memory.add_many: turns/s and the time of each stage.",
    "conflicts": "Reconsolidation scenarios: current, as-of and history answers after changing facts.",
    "locomo": "LoCoMo retrieval: evidence recall@k of Memory.search per question category.",
    "multihop": "Multi-hop QA passages: recall@k of Memory.search against BM25, dense and hybrid.",
    "scale": "Latency and throughput of add and search as the memory grows.",
    "agent": "Agent tasks that need memory across sessions, with and without graphmem.",
    "soak": "Resident memory (RSS) sampled over many searches: growth after warm-up, KB per search.",
    "poisoning": "Memory poisoning: injected items in top 5, trusted facts displaced, benign quarantines.",
}
"""``graphmem bench <name>`` runs ``graphmem.bench.<name>.run(...)``; the modules import lazily."""

# --- global state, errors, logging ----------------------------------------------------------------


@dataclass
class _Options:
    """The global options, merged with a command's own ``--json`` / ``--namespace`` when given."""

    path: Path | None = None
    backend: str | None = None
    namespace: str | None = None
    json: bool = False
    jsonl: bool = False
    debug: bool = False
    server: str | None = None
    api_key: str | None = None

    def memory(self) -> Any:
        """The service layer: the embedded/Neo4j ``Memory``, or the same calls over HTTP with --server."""
        if self.server:
            return RemoteMemory(self.server, self.api_key, namespace=self.namespace)
        return Memory(path=self.path, backend=self.backend, namespace=self.namespace)


class _Group(TyperGroup):
    """The one place errors are turned into ``Error: ...`` and exit status 1."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except GraphmemError as exc:
            opts = ctx.obj if isinstance(ctx.obj, _Options) else _Options()
            if opts.debug:
                traceback.print_exc(file=sys.stderr)
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it per invocation)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # logging must never take the command down
            self.handleError(record)


def _setup_logging(ctx: typer.Context, debug: bool) -> None:
    """--debug: graphmem's debug logs on stderr for this command only.

    Without it nothing is configured: warnings reach stderr through logging's last-resort handler
    (or the host's handlers), and an embedding program's logging setup is never changed for good.
    """
    if not debug:
        return
    logger = logging.getLogger("graphmem")
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(previous)

    ctx.call_on_close(restore)


_MODEL_LOGGERS = ("graphmem.embed", "graphmem.extract.nlp")
LOADING_NOTICE = (
    "graphmem: loading the language and embedding models (seconds; for repeated calls keep them "
    "loaded: `graphmem serve`, then --server http://127.0.0.1:8000)"
)


class _LoadingNotice(logging.Handler):
    """One line on stderr when the first model starts loading, so a wait of seconds is explained.

    Models load lazily (``stats``, ``cypher``, ``facts`` never load them); the encoder and spaCy log an
    INFO record marked ``model_load`` when they start, which this turns into :data:`LOADING_NOTICE`.
    """

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.shown = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.shown or not getattr(record, "model_load", False):
            return
        self.shown = True
        try:
            sys.stderr.write(LOADING_NOTICE + "\n")
        except Exception:
            self.handleError(record)


def _announce_model_loads(ctx: typer.Context, debug: bool) -> None:
    """Attach the notice for this command only (--debug shows the loggers' own records instead)."""
    if debug:
        return
    notice = _LoadingNotice()
    saved = []
    for name in _MODEL_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.addHandler(notice)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)

    def restore() -> None:
        for logger, level in saved:
            logger.removeHandler(notice)
            logger.setLevel(level)

    ctx.call_on_close(restore)


def _quiet_loading_notice() -> None:
    for name in _MODEL_LOGGERS:
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if isinstance(h, _LoadingNotice)]:
            logger.removeHandler(handler)


def _require_data(mem: Any) -> None:
    """Called when a read found nothing: an empty namespace is most often a mistyped one, so say that
    (exit 1) rather than "nothing found"."""
    if not any(mem.stats().counts.values()):
        raise NotFound(
            f"namespace {mem.default_namespace!r} holds no data (check -n / GRAPHMEM_NAMESPACE; "
            "`graphmem stats --all` counts every namespace)"
        )


app = typer.Typer(
    name="graphmem",
    cls=_Group,
    help="graphmem: a graph-database knowledge memory for LLM agents.\n\n"
    "Start with `graphmem demo`. Every command takes --json for scripts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
bench_app = typer.Typer(
    cls=_Group,
    help="Benchmarks; each prints a report (--json for the raw numbers).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(bench_app, name="bench")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (the REST body) instead of text.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line.")]
NsOpt = Annotated[str | None, typer.Option("--namespace", "-n", help="Namespace (default: global -n).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Event time to read at (ISO 8601).")]


@app.callback()
def _global(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Option("--path", help="Store directory (Kuzu); default GRAPHMEM_PATH or ./graphmem-data."),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option("--backend", help="kuzu (embedded) or neo4j (GRAPHMEM_NEO4J_URI/USER/PASSWORD)."),
    ] = None,
    namespace: Annotated[
        str | None,
        typer.Option(
            "--namespace", "-n", help="Namespace to read and write (default GRAPHMEM_NAMESPACE or 'default')."
        ),
    ] = None,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    debug: Annotated[bool, typer.Option("--debug", help="Debug logs and tracebacks on stderr.")] = False,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            envvar="GRAPHMEM_SERVER",
            help="Use a running `graphmem serve` at this URL, not the store.",
        ),
    ] = None,
    api_key: Annotated[
        str | None, typer.Option("--api-key", envvar="GRAPHMEM_API_KEY", help="API key for --server.")
    ] = None,
) -> None:
    """graphmem: a graph-database knowledge memory for LLM agents."""
    if backend is not None and backend not in {"kuzu", "neo4j"}:
        raise typer.BadParameter("expected kuzu or neo4j", param_hint="--backend")
    ctx.obj = _Options(
        path=path,
        backend=backend,
        namespace=namespace,
        json=json_,
        jsonl=jsonl,
        debug=debug,
        server=server,
        api_key=api_key,
    )
    _setup_logging(ctx, debug)
    _announce_model_loads(ctx, debug)


def _opts(
    ctx: typer.Context, namespace: str | None = None, json_: bool = False, jsonl: bool = False
) -> _Options:
    base = ctx.find_object(_Options) or _Options()
    return _Options(
        path=base.path,
        backend=base.backend,
        namespace=namespace or base.namespace,
        json=json_ or base.json,
        jsonl=jsonl or base.jsonl,
        debug=base.debug,
        server=base.server,
        api_key=base.api_key,
    )


# --- output -------------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """Pydantic models as ``model_dump(mode="json")`` (what REST returns), recursively."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def _console() -> Console:
    """A console on the current stdout (never cached: test runners swap stdout per invocation)."""
    return Console(file=sys.stdout, highlight=False, soft_wrap=False)


def _emit(opts: _Options, value: Any, render: Callable[[Console, Any], None]) -> None:
    """--json: one JSON document (an empty list prints ``[]``); --jsonl: one object per line."""
    if opts.jsonl:
        items = value if isinstance(value, list) else [value]
        for item in items:
            typer.echo(json.dumps(to_json(item), ensure_ascii=False, default=str))
        return
    if opts.json:
        typer.echo(json.dumps(to_json(value), indent=2, ensure_ascii=False, default=str))
        return
    render(_console(), value)


def _day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _table(*columns: str, title: str | None = None, keep: tuple[str, ...] = ("id",)) -> Table:
    """A plain table; ``keep`` columns (ids) never wrap, so they can be copied into the next command."""
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in keep)
    return table


# --- parsing ------------------------------------------------------------------------------------


def parse_param(text: str) -> tuple[str, Any]:
    """``--param k=v``: the value is JSON when it parses (numbers, booleans, lists, "quoted"), else text.

    >>> parse_param("limit=5"), parse_param("name=Maria"), parse_param('ids=["a","b"]')
    (('limit', 5), ('name', 'Maria'), ('ids', ['a', 'b']))
    """
    key, sep, raw = text.partition("=")
    if not sep or not key.strip().isidentifier():
        raise typer.BadParameter(f"expected NAME=VALUE, got {text!r}", param_hint="--param")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value


def _parse_metadata(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not valid JSON ({exc.msg})", param_hint="--metadata") from exc
    if not isinstance(value, dict):
        raise typer.BadParameter("must be a JSON object", param_hint="--metadata")
    return value


# --- renderers ----------------------------------------------------------------------------------


def _render_add(console: Console, results: AddResult | list[AddResult]) -> None:
    for result in results if isinstance(results, list) else [results]:
        added, skipped = len(result.episode_ids), len(result.skipped_episode_ids)
        console.print(
            f"[bold]{result.namespace}[/]: {added} episode(s) added, {skipped} already stored; "
            f"facts: {result.facts_added} new, {result.facts_reinforced} reinforced, "
            f"{result.facts_closed} closed; {result.entities_added} new entities"
        )
        if len(result.episode_ids) == 1:
            console.print(f"  episode {result.episode_ids[0]}")
        for decision in result.decisions[:20]:
            reason = f" ({decision['reason']})" if decision.get("reason") else ""
            console.print(_escape(f"  - {decision.get('rule', '')}: {decision.get('fact') or ''}{reason}"))
        if len(result.decisions) > 20:
            console.print(f"  ... {len(result.decisions) - 20} more decisions (--json for all)")


def _render_search(console: Console, result: SearchResult) -> None:
    if not (result.facts or result.episodes or result.paths):
        console.print(f"Nothing found for {result.query!r} in namespace {result.namespace!r}.")
        return
    if result.facts:
        table = _table("#", "score", "fact", "status", "valid", "found by", title="Facts")
        for i, fact in enumerate(result.facts, start=1):
            valid = (
                f"{_day(fact.valid_from)}..{_day(fact.valid_to)}" if fact.valid_from or fact.valid_to else ""
            )
            found = fact.path or ", ".join(fact.found_by)
            table.add_row(str(i), f"{fact.score:.3f}", _hit_text(fact), fact.status.value, valid, found)
        console.print(table)
    if result.paths:
        console.print("\n[bold]Paths[/]")
        for path in result.paths[:10]:
            console.print(f"  {path.text}   [dim]({path.score:.3f})[/]")
    if result.episodes:
        console.print("\n[bold]Episodes[/]")
        for ep in result.episodes[:5]:
            who = f" {ep.speaker}" if ep.speaker else ""
            when = f"{_day(ep.occurred_at)}{who}"
            console.print(f"  [dim]{_escape(when)}[/] {_escape(ep.content)}  [dim]{ep.id}[/]")


def _hit_text(fact: Any) -> str:
    """The fact with its subject, validity and older values."""
    return str(fact.summary or fact.text)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _render_plan(console: Console, plan: Plan) -> None:
    console.print(plan_tree(plan))


def _fact_row(fact: FactView) -> list[str]:
    return [
        fact.id,
        fact.summary or fact.text,
        fact.status.value,
        _day(fact.valid_from),
        _day(fact.valid_to),
        str(len(fact.episodes)),
    ]


def _render_facts(console: Console, facts: list[FactView]) -> None:
    if not facts:
        console.print("No facts.")
        return
    table = _table("id", "fact", "status", "from", "to", "episodes")
    for fact in facts:
        table.add_row(*_fact_row(fact))
        for old in fact.history:
            row = _fact_row(old)
            table.add_row(*[f"[dim]{_escape(cell)}[/]" for cell in ["  " + row[0], *row[1:]]])
    console.print(table)


def _render_history(console: Console, entries: list[HistoryEntry]) -> None:
    if not entries:
        console.print("No history.")
        return
    table = _table("fact", "status", "from", "to", "rule", "reason", "superseded by")
    for entry in entries:
        fact = entry.fact
        table.add_row(
            fact.text,
            fact.status.value,
            _day(fact.valid_from),
            _day(fact.valid_to),
            entry.rule,
            entry.reason,
            entry.superseded_by or "",
        )
    console.print(table)


def _render_entity(console: Console, entity: EntityView) -> None:
    aliases = f"  aliases: {', '.join(entity.aliases)}" if entity.aliases else ""
    seen = f"{_day(entity.first_seen)}..{_day(entity.last_seen)}"
    console.print(
        f"[bold]{_escape(entity.name)}[/] ({entity.type}, {entity.id}) mentioned "
        f"{entity.mention_count}x, {seen}{_escape(aliases)}"
    )
    if entity.summary:
        console.print(_escape(entity.summary))
    _render_facts(console, entity.facts)


def _render_rows(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("(no rows)")
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    table = _table(*columns)
    for row in rows:
        table.add_row(*[_escape(_cell(row.get(c))) for c in columns])
    console.print(table)
    console.print(f"[dim]{len(rows)} row(s)[/]")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _render_stats(console: Console, stats: Stats) -> None:
    where = f"namespace {stats.namespace!r}" if stats.namespace else "all namespaces"
    console.print(f"[bold]{stats.backend}[/] store{(' at ' + stats.path) if stats.path else ''}, {where}")
    table = _table("what", "count")
    for key, value in stats.counts.items():
        table.add_row(key, str(value))
    console.print(table)


def _render_dict(console: Console, value: Any) -> None:
    """Benchmark reports: nested dicts as an indented tree of key: value lines."""

    def add(node: Tree, data: Any) -> None:
        if isinstance(data, Mapping):
            for key, item in data.items():
                if isinstance(item, Mapping | list) and item and not _flat_list(item):
                    add(node.add(f"[bold]{_escape(str(key))}[/]"), item)
                else:
                    node.add(_escape(f"{key}: {_short(item)}"))
        elif isinstance(data, list):
            for i, item in enumerate(data):
                if isinstance(item, Mapping | list):
                    add(node.add(f"[{i}]"), item)
                else:
                    node.add(_escape(_short(item)))
        else:
            node.add(_escape(_short(data)))

    tree = Tree("[bold]report[/]")
    add(tree, to_json(value))
    console.print(tree)


def _flat_list(value: Any) -> bool:
    if not isinstance(value, list) or len(value) > 12:
        return False
    return all(not isinstance(v, Mapping | list) for v in value)


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    return str(value)


# --- commands -----------------------------------------------------------------------------------


@app.command()
def demo(
    ctx: typer.Context,
    json_: JsonOpt = False,
) -> None:
    """Build a memory from a sample conversation and show what graphmem does with it.

    Shows a multi-hop answer with its path, a fact that changed with its history, an EXPLAIN plan and
    a Cypher query. Uses a temporary store unless the global --path is given (then you can explore it
    afterwards with `graphmem --path DIR -n demo search "..."`). Namespace: -n, default 'demo'.
    """
    from graphmem.demo import DEMO_NAMESPACE, render_demo, run_demo

    opts = _opts(ctx, json_=json_)
    result = run_demo(opts.path, namespace=opts.namespace or DEMO_NAMESPACE)
    _emit(opts, result, render_demo)


@app.command()
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The interaction text (one chat turn or observation).")],
    speaker: Annotated[str | None, typer.Option(help="Who said it (first person attaches to them).")] = None,
    role: Annotated[str | None, typer.Option(help="user, assistant, agent, tool, environment...")] = None,
    session: Annotated[str | None, typer.Option(help="Session (conversation) id.")] = None,
    timestamp: Annotated[str | None, typer.Option(help="When it happened (ISO 8601); default now.")] = None,
    metadata: Annotated[str | None, typer.Option(help="A JSON object stored with the episode.")] = None,
    id: Annotated[str | None, typer.Option("--id", help="Episode id (re-adding an id is a no-op).")] = None,
    source: Annotated[
        str | None, typer.Option(help="Where it came from: user, assistant, agent, tool, document, web.")
    ] = None,
    trust: Annotated[str | None, typer.Option(help="Trust level (same scale) if not the source's.")] = None,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Add one interaction: its facts are extracted, reconciled and stored.

    \b
    graphmem -n maria add "I moved to Lisbon last month." --speaker Maria --timestamp 2024-03-01T10:00:00Z
    """
    opts = _opts(ctx, namespace, json_)
    meta = _parse_metadata(metadata)
    with opts.memory() as mem:
        given = {"source": source, "trust": trust}
        result = mem.add(
            text,
            speaker=speaker,
            role=role,
            session=session,
            timestamp=timestamp,
            metadata=meta,
            id=id,
            **{k: v for k, v in given.items() if v is not None},
        )
    _emit(opts, result, _render_add)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="JSONL of messages, a JSON array of them, or LoCoMo JSON.")
    ] = None,
    dump: Annotated[
        Path | None, typer.Option("--dump", help="Load a namespace dump written by `graphmem export`.")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="auto, jsonl, json or locomo.")] = "auto",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Turns per transaction.")] = 32,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Import a conversation file, with a progress bar (on stderr), or a dump with --dump.

    A message file goes into the namespace. A LoCoMo file with one conversation goes into the
    namespace; with several, each goes into `<namespace>-<sample_id>`. --json prints a list of results,
    one per namespace. Re-importing skips episodes already stored.

    --dump FILE loads a namespace exported by `graphmem export` (from either backend) as it was, history
    included, in one transaction, into the namespace it came from (or -n), which must be empty.

    \b
    graphmem -n chat import messages.jsonl
    graphmem -n locomo import locomo10.json --batch-size 64
    graphmem --backend neo4j import --dump maria.jsonl
    """
    if (file is None) == (dump is None):
        raise typer.BadParameter("give a conversation FILE or --dump FILE, not both or neither")
    opts = _opts(ctx, namespace, json_)
    if dump is not None:
        _no_server(opts, "import --dump")
        with opts.memory() as mem:
            summary = mem.import_dump(dump, namespace=namespace or opts.namespace)
        _emit(opts, summary, _render_dump)
        return
    from graphmem.importers import read_file

    assert file is not None
    if format not in {"auto", "jsonl", "json", "locomo"}:
        raise typer.BadParameter("expected auto, jsonl, json or locomo", param_hint="--format")
    groups = list(read_file(file, format))
    results: list[AddResult] = []
    with opts.memory() as mem:
        base = namespace or opts.namespace or mem.default_namespace
        for suffix, items in groups:
            if not items:
                continue
            ns = f"{base}-{suffix}" if suffix and len(groups) > 1 else base
            results.append(mem.add_many(items, namespace=ns, batch_size=batch_size, progress=True))
    if not results:
        raise InvalidInput(f"{file}: no messages to import")
    _emit(opts, results, _render_add)


@app.command("export")
def export_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the dump (JSON Lines).")],
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Export a namespace as JSON Lines: episodes, entities, facts with their history, insights.

    `graphmem import --dump FILE` loads it into another store (Kuzu or Neo4j) unchanged, so a memory
    moves from the embedded default to a server without losing history.

    \b
    graphmem export --namespace maria maria.jsonl
    graphmem --backend neo4j import --dump maria.jsonl
    """
    opts = _opts(ctx, namespace, json_)
    _no_server(opts, "export")
    with opts.memory() as mem:
        summary = mem.export(file)
    _emit(opts, summary, _render_dump)


def _no_server(opts: _Options, command: str) -> None:
    if opts.server:
        raise typer.BadParameter(
            f"{command} reads or writes the store directly; run it where the store is, "
            "with the server stopped (Kuzu) or with --backend neo4j",
            param_hint="--server",
        )


def _render_dump(console: Console, summary: Any) -> None:
    moved = f" (from {summary.source_namespace!r})" if summary.source_namespace != summary.namespace else ""
    console.print(f"{summary.path}: namespace {summary.namespace!r}{moved}")
    console.print(", ".join(f"{n} {part.replace('_', ' ')}" for part, n in summary.counts.items() if n))


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A question or keywords.")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=200, help="Facts to return.")] = 10,
    as_of: AsOfOpt = None,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
    scores: Annotated[
        bool, typer.Option("--scores", help="Also show each signal's contribution to every result's score.")
    ] = False,
) -> None:
    """Answer a question from memory: facts with history and paths, and the episodes behind them.

    \b
    graphmem -n maria search "Where does Maria's sister live?"
    graphmem -n maria search --scores "Where does Maria's sister live?"   # why each result ranked there
    """
    opts = _opts(ctx, namespace, json_)
    with opts.memory() as mem:
        result = mem.search(query, k=k, as_of=as_of)
        if not (result.facts or result.episodes or result.paths):
            _require_data(mem)
    _emit(opts, result, _render_search)
    if scores and not (opts.json or opts.jsonl):
        _console().print(_escape(result.explain_scores(k)))


@app.command()
def explain(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="The question to plan.")],
    as_of: AsOfOpt = None,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Show the traversal plan for a question and why, like EXPLAIN in a database."""
    opts = _opts(ctx, namespace, json_)
    with opts.memory() as mem:
        plan = mem.explain(query, as_of=as_of)
    _emit(opts, plan, _render_plan)


@app.command()
def facts(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(help="Only facts about this entity (by name).")] = None,
    predicate: Annotated[str | None, typer.Option(help="Only this predicate, e.g. lives_in.")] = None,
    as_of: AsOfOpt = None,
    history: Annotated[bool, typer.Option("--history", help="Attach the older values of each slot.")] = False,
    skip: Annotated[int, typer.Option(min=0)] = 0,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
) -> None:
    """List facts: the current view by default, the view at --as-of, optionally with history."""
    opts = _opts(ctx, namespace, json_, jsonl)
    with opts.memory() as mem:
        rows = mem.facts(
            subject=subject, predicate=predicate, as_of=as_of, include_history=history, skip=skip, limit=limit
        )
        if not rows:
            _require_data(mem)
    _emit(opts, rows, _render_facts)


@app.command("history")
def history_(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(help="Entity whose slots to show.")] = None,
    predicate: Annotated[str | None, typer.Option(help="Only this slot, e.g. lives_in.")] = None,
    fact_id: Annotated[str | None, typer.Option("--fact-id", help="The slot of this fact.")] = None,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
) -> None:
    """The history of a slot, oldest first, with the rule and reason of each change.

    \b
    graphmem -n maria history --subject Maria --predicate lives_in
    """
    opts = _opts(ctx, namespace, json_, jsonl)
    with opts.memory() as mem:
        entries = mem.history(subject=subject, predicate=predicate, fact_id=fact_id)
        if not entries:
            _require_data(mem)
    _emit(opts, entries, _render_history)


@app.command()
def entity(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Entity name (or id).")],
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """An entity with its current facts."""
    opts = _opts(ctx, namespace, json_)
    with opts.memory() as mem:
        view = mem.entity(name)
    _emit(opts, view, _render_entity)


@app.command()
def cypher(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="Read-only Cypher in the backend's dialect.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (JSON or text); repeatable.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Row cap (GRAPHMEM_CYPHER_ROW_LIMIT).")] = None,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
) -> None:
    """Run a read-only Cypher query over the memory graph (writes are refused).

    Queries see every namespace: scope them with a parameter, as the examples in
    cypher/examples/<dialect>/ do.

    \b
    graphmem cypher 'MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name LIMIT 5' -p ns=demo
    graphmem cypher -f cypher/examples/kuzu/person_current_facts.cypher -p namespace=demo -p name=Maria
    """
    if (query is None) == (file is None):
        raise typer.BadParameter("give a QUERY or --file, not both or neither")
    text = query if query is not None else _read_query(file)
    params = dict(parse_param(p) for p in param or [])
    opts = _opts(ctx, json_=json_, jsonl=jsonl)
    with opts.memory() as mem:
        rows = mem.cypher(text, params, limit=limit)
    _emit(opts, rows, _render_rows)


def _read_query(file: Path | None) -> str:
    assert file is not None
    try:
        return file.read_text(encoding="utf-8")
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {file}: {exc.strerror}", param_hint="--file") from exc


@app.command()
def stats(
    ctx: typer.Context,
    all_namespaces: Annotated[bool, typer.Option("--all", help="Count every namespace.")] = False,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Counts of episodes, entities, facts and relationships."""
    opts = _opts(ctx, namespace, json_)
    with opts.memory() as mem:
        result = mem.stats(all_namespaces=all_namespaces)
    _emit(opts, result, _render_stats)


@app.command()
def forget(
    ctx: typer.Context,
    episode: Annotated[
        str | None, typer.Option("--episode", help="Delete this episode and what only it evidenced.")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Delete the whole namespace.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Delete an episode (--episode ID) or a whole namespace (--all). Conflicts never delete; this does."""
    if (episode is None) == (not everything):
        raise typer.BadParameter("give --episode ID or --all, not both or neither")
    opts = _opts(ctx, namespace, json_)
    with opts.memory() as mem:
        ns = mem.default_namespace
        if everything and not yes:
            typer.confirm(f"Delete everything in namespace {ns!r}?", abort=True, err=True)
        counts = mem.forget(episode_id=episode, everything=everything)
    _emit(
        opts,
        counts,
        lambda console, value: console.print(
            "Deleted " + (", ".join(f"{v} {k}" for k, v in value.items()) or "nothing")
        ),
    )


@app.command()
def undo(
    ctx: typer.Context,
    fact_id: Annotated[str, typer.Argument(help="The fact whose last reconciliation decision to reverse.")],
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Reverse the latest reconciliation decision that changed a fact; prints the slot's history."""
    opts = _opts(ctx, namespace, json_)
    with opts.memory() as mem:
        entries = mem.undo_reconcile(fact_id)
    _emit(opts, entries, _render_history)


@app.command()
def quarantine(
    ctx: typer.Context,
    release: Annotated[
        str | None, typer.Option("--release", help="Release this episode: extract its facts after all.")
    ] = None,
    delete: Annotated[str | None, typer.Option("--delete", help="Delete this quarantined episode.")] = None,
    namespace: NsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """List episodes held in quarantine (instruction-like text), or --release / --delete one after review.

    Quarantined episodes are stored without facts and left out of search; the list shows why each was
    held (the detector's families and the matched text).
    """
    if release is not None and delete is not None:
        raise typer.BadParameter("give --release ID or --delete ID, not both")
    opts = _opts(ctx, namespace, json_)
    _no_server(opts, "quarantine")
    with opts.memory() as mem:
        if release is not None:
            _emit(opts, mem.release(release), _render_add)
            return
        if delete is not None:
            counts = mem.discard(delete)
            _emit(opts, counts, lambda console, value: console.print(f"Deleted {_short(value)}"))
            return
        held = mem.quarantine()
    _emit(opts, held, _render_quarantine)


def _render_quarantine(console: Console, episodes: list[Any]) -> None:
    if not episodes:
        console.print("Nothing in quarantine.")
        return
    table = _table("id", "source", "families", "content")
    for ep in episodes:
        flag = ep.metadata.get("graphmem_quarantine", {})
        table.add_row(ep.id, ep.source, ", ".join(flag.get("families", [])), _escape(ep.content[:120]))
    console.print(table)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (Neo4j only; Kuzu allows one).")] = 1,
) -> None:
    """Run the REST API (FastAPI, OpenAPI docs at /docs) over this store.

    While it runs it owns the embedded store; other `graphmem` commands on the same --path will say so.
    """
    _quiet_loading_notice()  # the server loads its models once; the notice is for one-shot commands
    try:
        import uvicorn
    except ImportError as exc:
        raise InvalidInput("the API needs the api extra: pip install 'graphmem[api]'") from exc
    opts = _opts(ctx)
    if workers > 1 and (opts.backend or get_settings().backend) == "kuzu":
        raise typer.BadParameter(
            "the embedded Kuzu store allows one process; use --workers 1", param_hint="--workers"
        )
    # The app factory reads its Settings from GRAPHMEM_* (it may run in worker processes).
    for name, value in (("PATH", opts.path), ("BACKEND", opts.backend), ("NAMESPACE", opts.namespace)):
        if value is not None:
            os.environ[f"GRAPHMEM_{name}"] = str(value)
    uvicorn.run(
        "graphmem.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="debug" if opts.debug else "info",
    )


@app.command("mcp")
def mcp_(ctx: typer.Context, namespace: NsOpt = None) -> None:
    """Run the MCP server over stdio, for a local MCP client (a coding agent, a desktop assistant).

    The client starts this command itself; stdout carries the protocol, logs go to stderr. Tools:
    remember, recall, facts, history, entity, explain, forget, feedback, start_session, end_session,
    add_insight, stats. -n sets the default namespace. `graphmem serve` offers the same tools over
    HTTP at /mcp, behind the API keys.
    """
    opts = _opts(ctx, namespace)
    if opts.server:
        raise typer.BadParameter(
            f"point the MCP client at {opts.server.rstrip('/')}/mcp instead", param_hint="--server"
        )
    try:
        from graphmem.mcp_server import run_stdio
    except ImportError as exc:
        raise InvalidInput(str(exc)) from exc
    _quiet_loading_notice()  # a long-running server: the --server hint is for one-shot commands
    with opts.memory() as mem:
        run_stdio(mem)


# --- bench --------------------------------------------------------------------------------------


_PATH_NAMES = frozenset({"data", "data_path", "dataset", "file", "scenario_dir", "tasks"})


def _takes_path(parameter: inspect.Parameter) -> bool:
    """A data-file parameter: named like one, or a positional parameter annotated as a Path."""
    positional = parameter.kind is not inspect.Parameter.KEYWORD_ONLY
    return parameter.name in _PATH_NAMES or (positional and "Path" in str(parameter.annotation))


def _progress_arg(parameter: inspect.Parameter, wanted: bool) -> Any:
    """Benchmarks take ``progress`` as a flag or as a ``progress(done, total)`` callback."""
    if "Callable" not in str(parameter.annotation):
        return wanted
    if not wanted:
        return None
    from tqdm import tqdm

    bars: list[Any] = []

    def report(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, unit="item", file=sys.stderr))
        bars[0].update(done - bars[0].n)
        if done >= total:
            bars[0].close()

    return report


def _bench_kwargs(
    module: Any, given: Mapping[str, Any], name: str, memory_factory: Callable[[], Memory]
) -> dict[str, Any]:
    """Fit the CLI options to the benchmark's ``run`` signature.

    Benchmarks are written by different hands and take what they need: options the signature names
    are passed through, ``--data`` goes to the first path-like parameter, ``memory_factory`` is
    supplied (a Memory on the bench store), and a required parameter nobody gave falls back to the
    module's ``default_<name>()`` when it has one. Anything else is a usage error (exit 2).
    """
    parameters = inspect.signature(module.run).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    pending = dict(given)
    data = pending.pop("data", None)
    kwargs: dict[str, Any] = {}
    for pname, parameter in parameters.items():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if pname == "progress":
            kwargs[pname] = _progress_arg(parameter, bool(pending.pop("progress", False)))
        elif pname in pending:
            kwargs[pname] = pending.pop(pname)
        elif pname == "memory_factory":
            kwargs[pname] = memory_factory
        elif data is not None and _takes_path(parameter):
            kwargs[pname], data = Path(data), None
        elif parameter.default is inspect.Parameter.empty:
            default = getattr(module, f"default_{pname}", None)
            if not callable(default):
                hint = "--data FILE" if _takes_path(parameter) else f"--set {pname}=VALUE"
                raise typer.BadParameter(f"`graphmem bench {name}` needs {pname!r}: give {hint}")
            kwargs[pname] = default()
    pending.pop("progress", None)
    if data is not None:
        raise typer.BadParameter(f"`graphmem bench {name}` takes no data file", param_hint="--data")
    if pending and not takes_any:
        raise typer.BadParameter(
            f"`graphmem bench {name}` does not take {', '.join(sorted(pending))} "
            f"(it takes: {', '.join(parameters) or 'nothing'})"
        )
    kwargs.update(pending)
    return kwargs


def _bench_module(name: str) -> Any:
    try:
        return importlib.import_module(f"graphmem.bench.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"graphmem.bench.{name}":
            raise InvalidInput(
                f"benchmark {name!r} is not available (no module graphmem.bench.{name})"
            ) from exc
        raise


def run_bench(name: str, given: Mapping[str, Any], opts: _Options | None = None) -> tuple[Any, Any]:
    """Import ``graphmem.bench.<name>``, call its ``run`` with the options it accepts; returns
    ``(module, report)``. Memories the benchmark asks for live in a temporary store unless the
    global ``--path`` names one (to keep and explore the result)."""
    opts = opts or _Options()
    module = _bench_module(name)
    with tempfile.TemporaryDirectory(prefix=f"graphmem-bench-{name}-") as tmp:
        path = opts.path or Path(tmp) / "memory"

        def memory_factory() -> Memory:
            return Memory(path=path, backend=opts.backend)

        return module, module.run(**_bench_kwargs(module, given, name, memory_factory))


def _make_bench(name: str, doc: str) -> None:
    def command(
        ctx: typer.Context,
        data: Annotated[Path | None, typer.Option("--data", help="Input data (e.g. locomo10.json).")] = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N items.")] = None,
        batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="Batch size.")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Also write the JSON report here.")] = None,
        set_: Annotated[
            list[str] | None, typer.Option("--set", help="Other run() option NAME=VALUE; repeatable.")
        ] = None,
        generated: Annotated[
            bool,
            typer.Option(
                "--generated", help="Generated held-out scenarios (benchmarks that have them: conflicts)."
            ),
        ] = False,
        seed: Annotated[int | None, typer.Option("--seed", help="Seed of generated data.")] = None,
        searches: Annotated[
            int | None,
            typer.Option("--searches", min=1, help="Searches to run (benchmarks that take it: soak)."),
        ] = None,
        json_: JsonOpt = False,
    ) -> None:
        opts = _opts(ctx, json_=json_)
        options = (
            ("data", data),
            ("limit", limit),
            ("batch_size", batch_size),
            ("seed", seed),
            ("searches", searches),
        )
        given: dict[str, Any] = {k: v for k, v in options if v is not None}
        if generated:
            given["generated"] = True
        given.update(parse_param(s) for s in set_ or [])
        given.update(_flag_options(ctx.args))
        given["progress"] = not (opts.json or opts.jsonl)
        module, report = run_bench(name, given, opts)
        if out is not None:
            out.write_text(
                json.dumps(to_json(report), indent=2, ensure_ascii=False, default=str) + "\n",
                encoding="utf-8",
            )
        render_text = getattr(module, "render_text", None)
        if callable(render_text):  # the benchmark knows best how to summarise its own report
            _emit(opts, report, lambda console, value: console.print(_escape(render_text(value))))
        else:
            _emit(opts, report, _render_dict)

    command.__doc__ = doc
    command.__name__ = f"bench_{name}"
    extra_flags = {"allow_extra_args": True, "ignore_unknown_options": True}
    bench_app.command(name, context_settings=extra_flags)(command)


def _flag_options(args: Iterable[str]) -> dict[str, Any]:
    """A benchmark's own switches: ``--coverage`` -> ``coverage=True``, ``--top-k=5`` -> ``top_k=5``
    (checked against its ``run`` signature like ``--set``)."""
    given: dict[str, Any] = {}
    for arg in args:
        if not arg.startswith("--") or len(arg) < 3:
            raise typer.BadParameter(f"unexpected argument {arg!r}")
        name, sep, value = arg[2:].partition("=")
        key, parsed = parse_param(f"{name.replace('-', '_')}={value if sep else 'true'}")
        given[key] = parsed
    return given


for _name, _doc in BENCHMARKS.items():
    _make_bench(_name, _doc)


def main(argv: Iterable[str] | None = None) -> None:
    """Console entry point (``graphmem``) and ``python -m graphmem``."""
    app(args=list(argv) if argv is not None else None, prog_name="graphmem")
