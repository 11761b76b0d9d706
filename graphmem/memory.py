"""The service layer: ``Memory`` (sync) and ``AsyncMemory``; every surface (CLI, REST) calls these.

``Memory`` owns one store, one extractor, one encoder and one predicate registry. It connects on
first use (or on ``__enter__``), never in the constructor, so constructing one is free and a bad
configuration is reported where it is used. Decisions live below it (``ingest``, ``reconcile``,
``retrieve``); this module only sequences them and turns records into views.

``AsyncMemory`` has the same methods. The embedded store and the encoder are in-process and CPU-bound,
so the honest async form runs each call in a worker thread rather than pretending to await I/O.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import threading
import time
import warnings
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from graphmem.config import Settings, get_settings
from graphmem.cypher_params import check_params
from graphmem.cypher_sandbox import CypherSandbox
from graphmem.embed import Encoder
from graphmem.errors import ClosedError, ExtractionWarning, InvalidInput, NotFound
from graphmem.ingest import IngestItem, Ingestor, parse_item, parse_timestamp
from graphmem.insights import entity_profile, feedback_utility, insight_id, session_digest
from graphmem.limits import check_text
from graphmem.model import (
    DerivedFrom,
    Entity,
    Episode,
    Fact,
    FactStatus,
    FactUpdate,
    Insight,
    Session,
    Supersedes,
    WriteBatch,
    entity_key,
    utcnow,
)
from graphmem.predicates import PredicateRegistry
from graphmem.reconcile import LIVE_STATUSES, current_view, render_with_history, undo
from graphmem.store.base import MAX_LIMIT, GraphStore
from graphmem.trust import QUARANTINE_KEY, TRUST_KEY, episode_trust, is_quarantined
from graphmem.views import (
    AddResult,
    EntityView,
    FactView,
    FeedbackResult,
    GraphEdge,
    GraphNode,
    GraphView,
    HistoryEntry,
    InsightView,
    SessionView,
    Stats,
)

if TYPE_CHECKING:
    from graphmem.dump import DumpSummary
    from graphmem.extract.base import Extractor
    from graphmem.retrieve.plan import Plan
    from graphmem.retrieve.results import SearchResult
    from graphmem.retrieve.search import Retriever

__all__ = ["NAMESPACE_PATTERN", "AsyncMemory", "Memory", "validate_namespace"]

NAMESPACE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$"
"""What a namespace may look like ('/' is reserved: it joins namespace and id in store keys)."""
_NAMESPACE = re.compile(NAMESPACE_PATTERN)
P = ParamSpec("P")
_REGISTRY_KEY = "predicate_registry"
_GRAPH_STATUSES = {False: [FactStatus.active], True: [FactStatus.active, FactStatus.superseded]}
"""Fact statuses ``neighbors`` draws, by ``include_superseded``."""
T = TypeVar("T")


def validate_namespace(namespace: object) -> str:
    """Namespaces scope every read and write; '/' is reserved (it joins namespace and id in keys)."""
    if not isinstance(namespace, str) or not _NAMESPACE.fullmatch(namespace):
        raise InvalidInput(
            f"invalid namespace {namespace!r}: 1-128 characters, letters, digits and _ . : @ -, "
            "starting with a letter or digit"
        )
    return namespace


class _State(Enum):
    UNOPENED = 1
    OPENED = 2
    CLOSED = 3


@functools.cache
def _shared_encoder(model_path: str, threads: int, batch_size: int) -> Encoder:
    """Models are loaded once per process and shared by every Memory (they are read-only)."""
    return Encoder(model_path or None, threads=threads, batch_size=batch_size)


def _as_of(value: datetime | str | None) -> datetime | None:
    return None if value is None else parse_timestamp(value)


class Memory:
    """A graph memory: add interactions, search them, read facts and their history, explore with Cypher.

    >>> with Memory(path="./my-memory") as mem:                                     # doctest: +SKIP
    ...     mem.add("I moved to Lisbon last month.", speaker="Maria", namespace="maria",
    ...             timestamp="2024-03-01T10:00:00Z")
    ...     mem.search("Where does Maria live?", namespace="maria").facts[0].text
    'Maria lives in Lisbon'
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        backend: str | None = None,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        namespace: str | None = None,
        settings: Settings | None = None,
        store: GraphStore | None = None,
        encoder: Encoder | None = None,
        extractor: Extractor | None = None,
    ) -> None:
        overrides: dict[str, Any] = {
            "path": path,
            "backend": backend,
            "neo4j_uri": uri,
            "neo4j_user": user,
            "neo4j_password": password,
            "neo4j_database": database,
            "namespace": namespace,
        }
        if settings is None:
            settings = get_settings(**overrides)
        else:
            settings = settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})
        self.settings = settings
        self.default_namespace = validate_namespace(settings.namespace)
        self._store = store
        self._encoder = encoder
        self._extractor = extractor
        self._retriever: Retriever | None = None
        self._ingestor: Ingestor | None = None
        self.registry = PredicateRegistry(settings.predicate_overrides)
        self._state = _State.UNOPENED
        self._lock = threading.RLock()
        self._sandbox: CypherSandbox | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    def open(self) -> Memory:
        """Connect to the store and load the models (done automatically on first use)."""
        with self._lock:
            if self._state is _State.CLOSED:
                raise ClosedError("Cannot reopen a Memory instance, once it has been closed.")
            if self._state is _State.OPENED:
                return self
            s = self.settings
            if self._encoder is None:
                self._encoder = _shared_encoder(s.embedding_model, s.threads, s.embed_batch_size)
            if self._store is None:
                self._store = _make_store(s)
            self._store.open(dimension=self._encoder.dimension)
            learned = self._store.get_meta(_REGISTRY_KEY)
            if learned:  # what earlier sessions learnt about predicate cardinalities
                self.registry = PredicateRegistry.from_dict(
                    json.loads(learned), overrides=s.predicate_overrides
                )
            self._state = _State.OPENED
            return self

    def close(self) -> None:
        """Release the store; safe to call more than once."""
        with self._lock:
            if self._sandbox is not None:
                self._sandbox.close()
            if self._state is _State.OPENED and self._store is not None:
                self._store.close()
            self._state = _State.CLOSED

    def __enter__(self) -> Memory:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def store(self) -> GraphStore:
        self._ready()
        assert self._store is not None
        return self._store

    @property
    def encoder(self) -> Encoder:
        self._ready()
        assert self._encoder is not None
        return self._encoder

    def _ready(self) -> None:
        if self._state is _State.CLOSED:
            raise ClosedError("Cannot use a Memory instance, as it has been closed.")
        if self._state is _State.UNOPENED:
            self.open()

    def _ns(self, namespace: str | None) -> str:
        return validate_namespace(namespace if namespace is not None else self.default_namespace)

    @property
    def extractor(self) -> Extractor:
        with self._lock:
            if self._extractor is None:
                from graphmem.extract.llm_extractor import LLMExtractor
                from graphmem.extract.nlp import load_nlp
                from graphmem.extract.spacy_extractor import SpacyExtractor

                llm = LLMExtractor.from_settings(self.settings, encoder=self.encoder)
                self._extractor = llm or SpacyExtractor(
                    load_nlp(self.settings.spacy_model), encoder=self.encoder
                )
            return self._extractor

    @property
    def ingestor(self) -> Ingestor:
        with self._lock:
            if self._ingestor is None:
                self._ingestor = Ingestor(
                    self.store,
                    self.extractor,
                    self.encoder,
                    self.registry,
                    namespace_sources=self.settings.namespace_sources,
                    quarantine=self.settings.quarantine,
                )
            return self._ingestor

    @property
    def retriever(self) -> Retriever:
        with self._lock:
            if self._retriever is None:
                from graphmem.extract.nlp import load_nlp
                from graphmem.retrieve.search import Retriever

                self._retriever = Retriever(
                    self.store, self.encoder, load_nlp(self.settings.spacy_model), settings=self.settings
                )
            return self._retriever

    # --- writes ----------------------------------------------------------------------------------

    def add(
        self,
        content: str | Mapping[str, Any],
        *,
        speaker: str | None = None,
        role: str | None = None,
        session: str | None = None,
        timestamp: datetime | str | None = None,
        namespace: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        id: str | None = None,
        source: str | None = None,
        trust: str | None = None,
        attachments: Sequence[Mapping[str, str]] | None = None,
    ) -> AddResult:
        """Add one interaction (text, or a chat message ``{role, content, name}``) as an episode.

        ``source`` says where it came from (user, assistant, agent, tool, document, web; default:
        the namespace's source from ``Settings.namespace_sources``, else what the role implies) and
        ``trust`` overrides the trust level that source carries (same scale, see ``graphmem.trust``).
        A lower-trust statement cannot supersede a fact a more trusted source stated; instruction-like
        text is quarantined (see :meth:`quarantine`).

        Its facts are extracted, resolved against known entities, reconciled with what the memory
        already holds, and written with the episode in one transaction. Adding the same ``id`` (or,
        without an id, the same content, speaker, session and time) again changes nothing.

        ``attachments`` describe media shared with the message (``[{"type": "image", "caption": ...}]``):
        kept on the episode's metadata, embedded, extracted and searched with its text.

        >>> mem.add("My sister Anna lives in Porto.", speaker="Maria", namespace="maria")  # doctest: +SKIP
        """
        item = parse_item(
            content,
            max_chars=self.settings.max_episode_chars,
            speaker=speaker,
            role=role,
            session=session,
            timestamp=timestamp,
            metadata=metadata,
            id=id,
            source=source,
            trust=trust,
            attachments=attachments,
        )
        return self._write(self._ns(namespace), [item])

    def add_document(
        self,
        text: str,
        *,
        title: str | None = None,
        id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        session: str | None = None,
        timestamp: datetime | str | None = None,
        namespace: str | None = None,
    ) -> AddResult:
        """Add a passage of a document (role ``document``). Its ``title`` names its main entity: the
        passage is linked to it, pronouns with no antecedent refer to it, and it is never glued into
        the text (a ``"Title\ntext"`` string would fuse the title into the first entity's name).

        >>> mem.add_document("He played Captain Spaulding.", title="Sid Haig", id="p1")  # doctest: +SKIP
        """
        item = parse_item(
            text,
            max_chars=self.settings.max_episode_chars,
            role="document",
            session=session,
            timestamp=timestamp,
            metadata=metadata,
            id=id,
            title=title,
        )
        return self._write(self._ns(namespace), [item])

    def add_many(
        self,
        items: Iterable[str | Mapping[str, Any]],
        *,
        namespace: str | None = None,
        batch_size: int | None = None,
        progress: bool = False,
    ) -> AddResult:
        """Add many interactions. Each item is text or a dict with ``content``/``text``,
        ``speaker``/``name``, ``role``, ``session``, ``timestamp``, ``metadata``, ``id``, ``source``,
        ``trust``, ``attachments`` and, for a document passage, ``title`` (see :meth:`add_document`).

        Every item is validated before anything is written. With ``batch_size`` None the whole list is
        one transaction (all or nothing); with a batch size, each chunk is one transaction, so a long
        import keeps what it committed if it is interrupted (re-running it skips those episodes).
        """
        ns = self._ns(namespace)
        parsed: list[IngestItem] = []
        for index, raw in enumerate(items):
            try:
                parsed.append(parse_item(raw, max_chars=self.settings.max_episode_chars))
            except InvalidInput as exc:
                raise InvalidInput(f"item {index}: {exc}") from exc
        if not parsed:
            raise InvalidInput("add_many needs at least one item")
        size = batch_size or len(parsed)
        if size < 1:
            raise InvalidInput("batch_size must be at least 1")
        chunks = [parsed[i : i + size] for i in range(0, len(parsed), size)]
        total = AddResult(namespace=ns)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(parsed), unit="turn", desc=f"import {ns}")
        try:
            for chunk in chunks:
                part = self._write(ns, chunk)
                _accumulate(total, part)
                if bar is not None:
                    bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.close()
        return total

    def _write(self, namespace: str, items: Sequence[IngestItem], *, screen: bool = True) -> AddResult:
        self._ready()
        with self._lock:  # one writer at a time: reconciliation reads the slots it then writes
            before = self.registry.to_dict()
            try:
                batch, result = self.ingestor.plan(namespace, items, screen=screen)
                learned = self.registry.to_dict()
                if learned != before:
                    batch.meta[_REGISTRY_KEY] = json.dumps(learned, sort_keys=True)
                t0 = time.perf_counter()
                self.store.write(batch)
            except BaseException:
                # the registry learned from a batch that did not commit: forget it with the batch
                self.registry.restore(before)
                raise
            result.timings_ms["store_ms"] = (time.perf_counter() - t0) * 1000
        if result.extraction_errors:
            first = result.extraction_errors[0]
            warnings.warn(
                f"extraction failed for {len(result.extraction_errors)} of {len(result.episode_ids)} "
                f"episodes; they were stored without facts (first: {first['episode_id']}: "
                f"{first['type']}: {first['message'][:200]}); see AddResult.extraction_errors",
                ExtractionWarning,
                stacklevel=3,
            )
        return result

    def forget(
        self, *, namespace: str | None = None, episode_id: str | None = None, everything: bool = False
    ) -> dict[str, int]:
        """Delete one episode (with the facts only it evidenced and entities left orphaned), or with
        ``everything=True`` the whole namespace. Deleting is explicit: conflicts never delete."""
        ns = self._ns(namespace)
        if episode_id is not None:
            if everything:
                raise InvalidInput("give episode_id or everything=True, not both")
            with self._lock:
                return self.store.delete_episode(ns, episode_id)
        if not everything:
            raise InvalidInput("forget needs episode_id=... or everything=True")
        with self._lock:
            return self.store.delete_namespace(ns)

    def export(self, path: str | Path, *, namespace: str | None = None) -> DumpSummary:
        """Write the namespace to ``path`` as JSON Lines: every node (with its embedding), every
        relationship, facts of every status with their SUPERSEDES history (see ``graphmem.dump``)."""
        from graphmem.dump import export_namespace

        ns = self._ns(namespace)
        with self._lock:
            return export_namespace(self.store, ns, path, dimension=self.encoder.dimension)

    def import_dump(self, path: str | Path, *, namespace: str | None = None) -> DumpSummary:
        """Load a dump written by :meth:`export` (from any backend) into an empty namespace, in one
        transaction; ``namespace`` defaults to the one it was exported from."""
        from graphmem.dump import load_dump, read_dump_file

        dump = read_dump_file(path)
        ns = self._ns(namespace if namespace is not None else dump.namespace)
        with self._lock:
            summary = load_dump(self.store, dump, namespace=ns, dimension=self.encoder.dimension)
        return summary.model_copy(update={"path": str(path)})

    def undo_reconcile(self, fact_id: str, *, namespace: str | None = None) -> list[HistoryEntry]:
        """Reverse the latest decision that changed ``fact_id``'s status; returns the slot's history after.

        ``fact_id`` is the fact the decision changed (the superseded, closed or retracted one, as
        ``history`` lists it), not the newer fact that caused it: undoing Paris -> Lisbon takes Paris's
        id, reopens Paris and retracts Lisbon.
        """
        ns = self._ns(namespace)
        with self._lock:
            fact = self._fact(ns, fact_id)
            all_edges = self.store.supersedes(ns, [fact_id])
            undone = {(e.old_id, e.new_id) for e in all_edges if e.rule == "undo"}
            edges = [
                e
                for e in all_edges
                if e.old_id == fact_id and e.rule != "undo" and (e.new_id, e.old_id) not in undone
            ]
            if not edges:
                caused = sorted({e.old_id for e in all_edges if e.new_id == fact_id and e.rule != "undo"})
                hint = (  # the natural mistake: passing the newer fact, which changed the others
                    f"; it changed {', '.join(map(repr, caused))}: pass that fact's id to undo the decision"
                    if caused
                    else ""
                )
                raise InvalidInput(
                    f"no reconciliation decision changed fact {fact_id!r}; nothing to undo{hint}"
                )
            edge = max(edges, key=lambda e: e.at)
            winner = self._fact(ns, edge.new_id)
            now = utcnow()
            updates = undo(edge, fact, winner, now=now)
            record = Supersedes(
                new_id=edge.old_id,
                old_id=edge.new_id,
                rule="undo",
                reason=f"undo of {edge.rule}: {edge.reason}",
                at=now,
                old_status=winner.status,
            )
            self.store.write(WriteBatch(namespace=ns, fact_updates=updates, supersedes=[record]))
        return self.history(namespace=ns, fact_id=fact_id)

    # --- reads -----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        namespace: str | None = None,
        k: int = 10,
        as_of: datetime | str | None = None,
        now: datetime | str | None = None,
        include_quarantined: bool = False,
    ) -> SearchResult:
        """Answer a question from memory: facts (one current value per slot, with history), the
        episodes that evidence them, entities, explicit paths and insights, each with a score breakdown.

        ``now`` is the time the question is asked at, which anchors its relative times ("4 years
        ago", "last month"); by default the namespace's latest episode time, not the wall clock, so a
        question about a 2023 conversation means 2023.

        Quarantined episodes (instruction-like text, see :meth:`quarantine`) have no facts and are left
        out of the result, so they never reach a prompt through ``context()``, unless
        ``include_quarantined`` is set (for review).
        """
        if not isinstance(query, str) or not check_text(query, "query").strip():
            raise InvalidInput("query is empty")
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 200:
            raise InvalidInput("k must be an integer from 1 to 200")
        ns = self._ns(namespace)
        when = _as_of(as_of)
        result = self.retriever.search(query, namespace=ns, k=k, as_of=when, now=self._question_time(ns, now))
        if not include_quarantined:
            result.episodes = [e for e in result.episodes if not is_quarantined(e.metadata)]
        return result

    # --- quarantine (issue #17) ------------------------------------------------------------------

    def quarantine(self, *, namespace: str | None = None) -> list[Episode]:
        """Episodes held in quarantine for review, oldest first; each carries the detector's families and
        matched snippets under ``metadata["graphmem_quarantine"]``. Reads the namespace's episodes
        (review is rare; no index is kept for it)."""
        ns = self._ns(namespace)
        self._ready()
        held = [e for e in self.store.export_part(ns, "episodes") if is_quarantined(e.metadata)]
        for e in held:
            e.embedding = None
        return sorted(held, key=lambda e: (e.occurred_at, e.id))

    def release(self, episode_id: str, *, namespace: str | None = None) -> AddResult:
        """Release a quarantined episode after review: it is written again without the flag and its
        facts are extracted and reconciled like any other (with its source and trust). It keeps its id,
        content, speaker, session and time; it becomes the latest episode of its session."""
        ns = self._ns(namespace)
        ep = self.episode(episode_id, namespace=ns)
        if not is_quarantined(ep.metadata):
            raise InvalidInput(f"episode {episode_id!r} is not in quarantine")
        metadata = {k: v for k, v in ep.metadata.items() if k not in (QUARANTINE_KEY, TRUST_KEY)}
        item = parse_item(
            ep.content,
            max_chars=max(self.settings.max_episode_chars, len(ep.content)),
            speaker=ep.speaker or None,
            role=ep.role,
            session=ep.session_id,
            timestamp=ep.occurred_at,
            metadata=metadata,
            id=ep.id,
            source=ep.source or None,
            trust=episode_trust(ep).value,
        )
        with self._lock:
            self.store.delete_episode(ns, episode_id)
            return self._write(ns, [item], screen=False)

    def discard(self, episode_id: str, *, namespace: str | None = None) -> dict[str, int]:
        """Delete a quarantined episode after review (refuses episodes that are not in quarantine)."""
        ns = self._ns(namespace)
        ep = self.episode(episode_id, namespace=ns)
        if not is_quarantined(ep.metadata):
            raise InvalidInput(f"episode {episode_id!r} is not in quarantine; use forget() to delete it")
        return self.forget(namespace=ns, episode_id=episode_id)

    def explain(
        self,
        query: str,
        *,
        namespace: str | None = None,
        as_of: datetime | str | None = None,
        now: datetime | str | None = None,
    ) -> Plan:
        """The traversal plan for a query and the reason for each choice, like EXPLAIN in a database."""
        if not isinstance(query, str) or not check_text(query, "query").strip():
            raise InvalidInput("query is empty")
        ns = self._ns(namespace)
        when = _as_of(as_of)
        return self.retriever.explain(query, namespace=ns, as_of=when, now=self._question_time(ns, now))

    def _question_time(self, namespace: str, now: datetime | str | None) -> datetime | None:
        """The caller's ``now``, else the namespace's latest episode time (None: the wall clock)."""
        if now is not None:
            return parse_timestamp(now)
        self._ready()
        return self.store.latest_episode_time(namespace)

    def facts(
        self,
        *,
        namespace: str | None = None,
        subject: str | None = None,
        predicate: str | None = None,
        as_of: datetime | str | None = None,
        include_history: bool = False,
        skip: int = 0,
        limit: int = 100,
    ) -> list[FactView]:
        """Facts of the namespace: the current view by default, the view at ``as_of`` (event time)
        when given; filtered by subject name and predicate; paginated with ``skip``/``limit``."""
        ns = self._ns(namespace)
        _check_page(skip, limit)
        when = _as_of(as_of)
        subject_id = None
        if subject is not None:
            entity = self._find_entity(ns, subject)
            if entity is None:
                return []
            subject_id = entity.id
        if when is None:
            rows = self.store.list_facts(
                ns,
                subject_id=subject_id,
                predicate=predicate,
                statuses=list(LIVE_STATUSES),
                skip=skip,
                limit=limit,
            )
        else:
            rows = self.store.list_facts(
                ns, subject_id=subject_id, predicate=predicate, statuses=None, limit=MAX_LIMIT
            )
            rows = current_view(rows, when)[skip : skip + limit]
        return self._views(ns, rows, include_history=include_history)

    def history(
        self,
        *,
        namespace: str | None = None,
        subject: str | None = None,
        predicate: str | None = None,
        fact_id: str | None = None,
    ) -> list[HistoryEntry]:
        """The chain of a slot (or of the slot of ``fact_id``), oldest to newest, with the rule and
        reason of every status change."""
        ns = self._ns(namespace)
        if fact_id is not None:
            fact = self._fact(ns, fact_id)
            slots = [(fact.subject_id, fact.predicate)]
        elif subject is not None:
            entity = self._find_entity(ns, subject)
            if entity is None:
                raise NotFound(f"no entity named {subject!r} in namespace {ns!r}")
            facts = self.store.list_facts(ns, subject_id=entity.id, predicate=predicate, limit=MAX_LIMIT)
            slots = list(dict.fromkeys((f.subject_id, f.predicate) for f in facts))
        else:
            raise InvalidInput("history needs subject=... (optionally with predicate=...) or fact_id=...")
        entries: list[HistoryEntry] = []
        for subject_id, pred in slots:
            chain = sorted(
                self.store.slot_facts(ns, subject_id, pred),
                key=lambda f: (f.valid_from or f.recorded_at, f.recorded_at),
            )
            edges = self.store.supersedes(ns, [f.id for f in chain])
            views = {v.id: v for v in self._views(ns, chain)}
            for fact in chain:
                changed = [e for e in edges if e.old_id == fact.id]
                last = max(changed, key=lambda e: e.at) if changed else None
                entries.append(
                    HistoryEntry(
                        fact=views[fact.id],
                        rule=last.rule if last else "",
                        reason=last.reason if last else "",
                        at=last.at if last else None,
                        superseded_by=last.new_id if last else None,
                    )
                )
        return entries

    def entity(self, name_or_id: str, *, namespace: str | None = None) -> EntityView:
        """An entity with its current facts (as subject)."""
        ns = self._ns(namespace)
        entity = self._find_entity(ns, name_or_id) or self.store.get_entities(ns, [name_or_id]).get(
            name_or_id
        )
        if entity is None:
            raise NotFound(f"no entity {name_or_id!r} in namespace {ns!r}")
        facts = self.store.list_facts(ns, subject_id=entity.id, statuses=list(LIVE_STATUSES), limit=MAX_LIMIT)
        return EntityView(
            id=entity.id,
            name=entity.name,
            type=entity.type,
            aliases=entity.aliases,
            summary=entity.summary,
            mention_count=entity.mention_count,
            first_seen=entity.first_seen,
            last_seen=entity.last_seen,
            facts=self._views(ns, facts),
        )

    def neighbors(
        self,
        name_or_id: str,
        *,
        namespace: str | None = None,
        depth: int = 1,
        direction: str = "both",
        as_of: datetime | str | None = None,
        limit: int = 50,
        include_superseded: bool = False,
    ) -> GraphView:
        """The subgraph around an entity: entities and the facts joining them, as nodes and edges.

        Current facts only, unless ``as_of`` asks for another time or ``include_superseded`` adds the
        values that were replaced (edge ``status`` says which), so a viewer can show what changed.
        """
        ns = self._ns(namespace)
        if depth not in (1, 2, 3):
            raise InvalidInput("depth must be 1, 2 or 3")
        if direction not in ("out", "in", "both"):
            raise InvalidInput("direction must be out, in or both")
        entity = self._find_entity(ns, name_or_id) or self.store.get_entities(ns, [name_or_id]).get(
            name_or_id
        )
        if entity is None:
            raise NotFound(f"no entity {name_or_id!r} in namespace {ns!r}")
        when = _as_of(as_of)
        sub = self.store.neighborhood(
            ns,
            [entity.id],
            depth=depth,
            direction=direction,  # type: ignore[arg-type]
            statuses=None if when else _GRAPH_STATUSES[include_superseded],
            as_of=when,
            degree_cap=limit,
        )
        nodes = [
            GraphNode(id=e.id, kind="Entity", label=e.name, properties={"type": e.type})
            for e in sub.entities.values()
        ]
        edges: list[GraphEdge] = []
        for fact in sub.facts.values():
            props = {
                "fact_id": fact.id,
                "text": fact.text,
                "status": fact.status.value,
                "valid_from": fact.valid_from,
                "valid_to": fact.valid_to,
            }
            if fact.object_id:
                edges.append(
                    GraphEdge(
                        source=fact.subject_id, target=fact.object_id, type=fact.predicate, properties=props
                    )
                )
            else:
                value_id = f"value:{fact.id}"
                nodes.append(GraphNode(id=value_id, kind="Value", label=fact.object_value or ""))
                edges.append(
                    GraphEdge(source=fact.subject_id, target=value_id, type=fact.predicate, properties=props)
                )
        return GraphView(nodes=nodes, edges=edges)

    def cypher(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        read_only: bool = True,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a Cypher statement in the backend's own dialect; read-only unless told otherwise.

        Exploration queries see every namespace: scope them yourself with ``WHERE n.namespace = $ns``.
        Parameters are checked first (no nulls, NaN or lone surrogates: ``cypher_params``). On the
        embedded store a read-only statement runs in a worker process over a snapshot of the store
        (``cypher_sandbox``), so a statement that crashes the engine, runs past the time limit or
        grows past the memory limit costs that worker only, never this process.
        """
        checked = check_params(params)
        limit = limit or self.settings.cypher_row_limit
        if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be an integer in 1..{MAX_LIMIT}")
        if read_only and self.settings.cypher_sandbox and hasattr(self.store, "snapshot_to"):
            return self._cypher_sandbox().run(
                query,
                checked,
                limit=limit,
                timeout_s=self.settings.cypher_timeout_s,
            )
        rows = self.store.cypher(
            query,
            checked,
            read_only=read_only,
            limit=limit,
            timeout_s=self.settings.cypher_timeout_s,
        )
        return [{k: _jsonable(v) for k, v in row.items()} for row in rows]

    def _cypher_sandbox(self) -> CypherSandbox:
        with self._lock:
            if self._sandbox is None:
                s = self.settings
                self._sandbox = CypherSandbox(
                    self.store,  # type: ignore[arg-type]  # a KuzuStore: it has snapshot_to
                    memory_mb=s.cypher_memory_mb,
                    max_result_bytes=s.cypher_max_result_bytes,
                    min_interval_s=s.cypher_snapshot_interval_s,
                )
            return self._sandbox

    def stats(self, *, namespace: str | None = None, all_namespaces: bool = False) -> Stats:
        ns = None if all_namespaces else self._ns(namespace)
        backend = self.settings.backend
        return Stats(
            namespace=ns,
            counts=self.store.counts(ns),
            backend=backend,
            path=str(self.settings.path) if backend == "kuzu" else None,
        )

    # --- agent memory: sessions as tasks, insights, feedback ---------------------------------------

    def start_session(
        self,
        session_id: str,
        *,
        namespace: str | None = None,
        goal: str = "",
        title: str = "",
        started_at: datetime | str | None = None,
    ) -> SessionView:
        """Open a session (a conversation or an agent's task run) with a goal, before adding its episodes.

        The goal is embedded so that :meth:`similar_sessions` can find past tasks like a new one.
        """
        ns = self._ns(namespace)
        _check_id(session_id, "session id")
        for label, value in (("goal", goal), ("title", title)):
            if not isinstance(value, str):
                raise InvalidInput(f"{label} must be text")
        when = parse_timestamp(started_at)
        with self._lock:
            existing = self.store.get_sessions(ns, [session_id]).get(session_id)
            fresh_goal = bool(goal) and (existing is None or existing.goal != goal)
            vector = self.encoder.encode_one(goal).tolist() if fresh_goal else None
            session = Session(
                id=session_id,
                namespace=ns,
                title=title,
                goal=goal,
                started_at=existing.started_at if existing else when,
                embedding=vector,
            )
            self.store.write(WriteBatch(namespace=ns, sessions=[session]))
        return self._session_view(ns, session_id)

    def end_session(
        self, session_id: str, *, namespace: str | None = None, outcome: str, score: float | None = None
    ) -> SessionView:
        """Record a session's outcome (``success``, ``failure`` or any short text, with an optional
        score) and write its digest insight."""
        ns = self._ns(namespace)
        if not isinstance(outcome, str) or not outcome.strip():
            raise InvalidInput("outcome must be non-empty text, e.g. 'success' or 'failure'")
        if score is not None and (not isinstance(score, int | float) or isinstance(score, bool)):
            raise InvalidInput("score must be a number")
        with self._lock:
            existing = self.store.get_sessions(ns, [session_id]).get(session_id)
            if existing is None:
                raise NotFound(f"no session {session_id!r} in namespace {ns!r}")
            updated = existing.model_copy(
                update={"outcome": outcome.strip(), "score": score, "embedding": None}
            )
            self.store.write(WriteBatch(namespace=ns, sessions=[updated]))
            self._write_digest(ns, updated)
        return self._session_view(ns, session_id)

    def sessions(self, *, namespace: str | None = None, skip: int = 0, limit: int = 100) -> list[SessionView]:
        ns = self._ns(namespace)
        _check_page(skip, limit)
        return [_session_view(s) for s in self.store.list_sessions(ns, skip=skip, limit=limit)]

    def episodes(
        self, *, session: str, namespace: str | None = None, skip: int = 0, limit: int = 100
    ) -> list[Episode]:
        """A session's episodes in order: a conversation, or an agent's trajectory step by step."""
        ns = self._ns(namespace)
        _check_id(session, "session id")
        _check_page(skip, limit)
        return self.store.session_episodes(ns, session, skip=skip, limit=limit)

    def episode(self, episode_id: str, *, namespace: str | None = None) -> Episode:
        """One stored episode by id (NotFound when the namespace has none with that id)."""
        ns = self._ns(namespace)
        _check_id(episode_id, "episode id")
        found = self.store.get_episodes(ns, [episode_id]).get(episode_id)
        if found is None:
            raise NotFound(f"no episode {episode_id!r} in namespace {ns!r}")
        return found

    def similar_sessions(self, goal: str, *, namespace: str | None = None, k: int = 5) -> list[SessionView]:
        """Past sessions whose goals resemble ``goal`` (G-Memory's query tier), with their outcomes."""
        ns = self._ns(namespace)
        if not isinstance(goal, str) or not goal.strip():
            raise InvalidInput("goal is empty")
        hits = self.store.vector_search("Session", ns, self.encoder.encode_one(goal).tolist(), k + 10)
        found = self.store.get_sessions(ns, [h.id for h in hits])
        # Equally similar goals (the same task run twice): the most recent run first.
        ranked = sorted(
            (h for h in hits if h.id in found),
            key=lambda h: (-round(h.score, 4), -found[h.id].started_at.timestamp()),
        )
        return [_session_view(found[h.id], similarity=h.score) for h in ranked[:k]]

    def add_insight(
        self,
        text: str,
        *,
        namespace: str | None = None,
        derived_from: Sequence[str] = (),
        kind: str = "lesson",
        score: float = 0.0,
    ) -> InsightView:
        """Store a lesson (written by an agent or an LLM) above the facts, episodes, entities or
        sessions it was derived from; retrieval moves up to it from them and down from it to them."""
        ns = self._ns(namespace)
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("insight text is empty")
        if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", kind):
            raise InvalidInput("kind must be a short lower-case word, e.g. 'lesson'")
        if isinstance(derived_from, str):
            raise InvalidInput("derived_from must be a list of ids")
        with self._lock:
            targets = self._kinds_of(ns, list(derived_from))
            insight = Insight(
                id=insight_id(ns, kind, text.strip()),
                namespace=ns,
                kind=kind,
                text=text.strip(),
                score=score,
                embedding=self.encoder.encode_one(text.strip()).tolist(),
            )
            links = [
                DerivedFrom(insight_id=insight.id, target_id=t, target_kind=k) for t, k in targets.items()
            ]
            self.store.write(WriteBatch(namespace=ns, insights=[insight], derived_from=links))
        return self._insight_views(ns, [insight.id])[0]

    def insights(
        self,
        *,
        namespace: str | None = None,
        about: str | None = None,
        kind: str | None = None,
        include_stale: bool = False,
        skip: int = 0,
        limit: int = 100,
    ) -> list[InsightView]:
        """Insights of the namespace (newest first), or those derived from one node (id or entity name)."""
        ns = self._ns(namespace)
        _check_page(skip, limit)
        if about is None:
            rows = self.store.list_insights(
                ns, kind=kind, include_stale=include_stale, skip=skip, limit=limit
            )
            return self._insight_views(ns, [r.id for r in rows])
        entity = self._find_entity(ns, about)
        target = entity.id if entity else about
        ids = self.store.insights_of(ns, [target]).get(target, [])
        views = [
            v
            for v in self._insight_views(ns, ids)
            if (include_stale or not v.stale) and (kind is None or v.kind == kind)
        ]
        return views[skip : skip + limit]

    def refresh_insights(
        self, *, namespace: str | None = None, entities: Sequence[str] | None = None
    ) -> list[InsightView]:
        """(Re)write entity profiles: for the named entities, or for every entity whose profile is
        stale. Profiles whose text did not change are kept as they are."""
        ns = self._ns(namespace)
        with self._lock:
            if entities is None:
                stale = self.store.list_insights(
                    ns, kind="entity_profile", include_stale=True, limit=MAX_LIMIT
                )
                targets = self._targets_of(ns, [i.id for i in stale if i.stale])
                ids = sorted({t for ts in targets.values() for t in ts})
            else:
                ids = []
                for name in entities:
                    entity = self._find_entity(ns, name)
                    if entity is None:
                        raise NotFound(f"no entity named {name!r} in namespace {ns!r}")
                    ids.append(entity.id)
            written = self._write_profiles(ns, ids)
        return self._insight_views(ns, written)

    def feedback(self, ids: Sequence[str], *, namespace: str | None = None, useful: bool) -> FeedbackResult:
        """Mark retrieved facts or insights as useful (after a success) or not (after a failure).

        Utility moves asymmetrically (+1 / -2) and ranking uses it; nothing is deleted."""
        ns = self._ns(namespace)
        if isinstance(ids, str) or not ids:
            raise InvalidInput("feedback needs a non-empty list of fact or insight ids")
        if not isinstance(useful, bool):
            raise InvalidInput("useful must be true or false")
        with self._lock:
            facts = self.store.get_facts(ns, list(ids))
            insights = self.store.get_insights(ns, [i for i in ids if i not in facts])
            unknown = [i for i in ids if i not in facts and i not in insights]
            if unknown:
                raise NotFound(f"no fact or insight {unknown[0]!r} in namespace {ns!r}")
            now = utcnow()
            updates = [
                FactUpdate(id=f.id, utility=feedback_utility(f.utility, useful), last_access=now)
                for f in facts.values()
            ]
            changed = [
                i.model_copy(update={"utility": feedback_utility(i.utility, useful), "embedding": None})
                for i in insights.values()
            ]
            self.store.write(WriteBatch(namespace=ns, fact_updates=updates, insights=changed))
        utility = {u.id: float(u.utility or 0.0) for u in updates} | {i.id: i.utility for i in changed}
        return FeedbackResult(useful=useful, utility=utility)

    def _kinds_of(self, namespace: str, ids: list[str]) -> dict[str, str]:
        kinds: dict[str, str] = {}
        for kind, getter in (
            ("Fact", self.store.get_facts),
            ("Episode", self.store.get_episodes),
            ("Entity", self.store.get_entities),
            ("Session", self.store.get_sessions),
        ):
            for found in getter(namespace, [i for i in ids if i not in kinds]):
                kinds[found] = kind
        missing = [i for i in ids if i not in kinds]
        if missing:
            raise NotFound(f"cannot derive from unknown id {missing[0]!r} in namespace {namespace!r}")
        return kinds

    def _targets_of(self, namespace: str, insight_ids: list[str]) -> dict[str, list[str]]:
        return self.store.subgraph(namespace, insight_ids=insight_ids).derived_from if insight_ids else {}

    def _write_profiles(self, namespace: str, entity_ids: list[str]) -> list[str]:
        entities = self.store.get_entities(namespace, entity_ids)
        written: list[str] = []
        batch = WriteBatch(namespace=namespace)
        old = self.store.insights_of(namespace, list(entities))
        old_insights = self.store.get_insights(namespace, [i for ids in old.values() for i in ids])
        for entity in entities.values():
            facts = self.store.list_facts(
                namespace, subject_id=entity.id, statuses=list(LIVE_STATUSES), limit=MAX_LIMIT
            )
            objects = self.store.get_entities(namespace, [f.object_id for f in facts if f.object_id])
            text = entity_profile(entity, facts, {i: e.name for i, e in objects.items()})
            new_id = insight_id(namespace, "entity_profile", text)
            for prior in (old_insights.get(i) for i in old.get(entity.id, [])):
                if (
                    prior is not None
                    and prior.kind == "entity_profile"
                    and prior.id != new_id
                    and not prior.stale
                ):
                    batch.insights.append(prior.model_copy(update={"stale": True, "embedding": None}))
            if new_id in old_insights and not old_insights[new_id].stale:
                written.append(new_id)
                continue
            batch.insights.append(
                Insight(
                    id=new_id,
                    namespace=namespace,
                    kind="entity_profile",
                    text=text,
                    embedding=self.encoder.encode_one(text).tolist(),
                )
            )
            batch.derived_from.append(
                DerivedFrom(insight_id=new_id, target_id=entity.id, target_kind="Entity")
            )
            batch.derived_from.extend(
                DerivedFrom(insight_id=new_id, target_id=f.id, target_kind="Fact") for f in facts[:8]
            )
            written.append(new_id)
        self.store.write(batch)
        return written

    def _write_digest(self, namespace: str, session: Session) -> None:
        rows = self.store.session_episodes(namespace, session.id, limit=MAX_LIMIT)
        episode_facts = self.store.episode_facts(namespace, [e.id for e in rows])
        fact_ids = sorted({f for fs in episode_facts.values() for f in fs})
        facts = list(self.store.get_facts(namespace, fact_ids).values())
        text = session_digest(session, facts, rows, {})
        ins = Insight(
            id=insight_id(namespace, "session_digest", text),
            namespace=namespace,
            kind="session_digest",
            text=text,
            score=session.score or 0.0,
            embedding=self.encoder.encode_one(text).tolist(),
        )
        links = [DerivedFrom(insight_id=ins.id, target_id=session.id, target_kind="Session")]
        links += [DerivedFrom(insight_id=ins.id, target_id=f, target_kind="Fact") for f in fact_ids[:20]]
        self.store.write(WriteBatch(namespace=namespace, insights=[ins], derived_from=links))

    def _session_view(self, namespace: str, session_id: str) -> SessionView:
        session = self.store.get_sessions(namespace, [session_id]).get(session_id)
        if session is None:
            raise NotFound(f"no session {session_id!r} in namespace {namespace!r}")
        return _session_view(session)

    def _insight_views(self, namespace: str, ids: list[str]) -> list[InsightView]:
        found = self.store.get_insights(namespace, ids)
        targets = self._targets_of(namespace, list(found))
        return [
            InsightView(
                id=i.id,
                kind=i.kind,
                text=i.text,
                score=i.score,
                utility=i.utility,
                stale=i.stale,
                created_at=i.created_at,
                derived_from=sorted(targets.get(i.id, [])),
            )
            for i in (found[x] for x in ids if x in found)
        ]

    # --- helpers ---------------------------------------------------------------------------------

    def _find_entity(self, namespace: str, name: str) -> Entity | None:
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("entity name is empty")
        key = entity_key(name)
        return self.store.find_entities(namespace, [key]).get(key)

    def _fact(self, namespace: str, fact_id: str) -> Fact:
        fact = self.store.get_facts(namespace, [fact_id]).get(fact_id)
        if fact is None:
            raise NotFound(f"no fact {fact_id!r} in namespace {namespace!r}")
        return fact

    def _views(
        self, namespace: str, facts: Sequence[Fact], *, include_history: bool = False
    ) -> list[FactView]:
        if not facts:
            return []
        ids = {f.subject_id for f in facts} | {f.object_id for f in facts if f.object_id}
        slot_history: dict[tuple[str, str], list[Fact]] = {}
        for fact in facts:
            slot = (fact.subject_id, fact.predicate)
            if slot not in slot_history:
                slot_history[slot] = self.store.slot_facts(namespace, *slot)
                ids |= {f.object_id for f in slot_history[slot] if f.object_id}
        entities = self.store.get_entities(namespace, sorted(ids))
        names = {i: e.name for i, e in entities.items()}
        evidence = self.store.fact_evidence(namespace, [f.id for f in facts])
        views: list[FactView] = []
        for fact in facts:
            slot_facts = slot_history[(fact.subject_id, fact.predicate)]
            older = [
                f
                for f in slot_facts
                if f.id != fact.id
                and f.status is not FactStatus.retracted
                and (f.valid_from or f.recorded_at) <= (fact.valid_from or fact.recorded_at)
            ]
            view = _fact_view(fact, names, evidence.get(fact.id, []))
            if older and fact.polarity:
                view.summary = render_with_history(fact, slot_facts, names=names)
            if include_history:
                older.sort(key=lambda f: (f.valid_from or f.recorded_at, f.recorded_at))
                view.history = [_fact_view(f, names, []) for f in older]
            views.append(view)
        return views


def _session_view(session: Session, *, similarity: float | None = None) -> SessionView:
    return SessionView(
        id=session.id,
        title=session.title,
        goal=session.goal,
        started_at=session.started_at,
        outcome=session.outcome,
        score=session.score,
        similarity=similarity,
    )


def _check_id(value: object, label: str) -> None:
    if not isinstance(value, str) or not value.strip() or "/" in value:
        raise InvalidInput(f"{label} must be a non-empty string without '/'")


def _fact_view(fact: Fact, names: Mapping[str, str], episodes: list[str]) -> FactView:
    obj = names.get(fact.object_id, fact.object_id) if fact.object_id else (fact.object_value or "")
    return FactView(
        id=fact.id,
        text=fact.text,
        subject=names.get(fact.subject_id, fact.subject_id),
        subject_id=fact.subject_id,
        predicate=fact.predicate,
        object=obj or "",
        object_id=fact.object_id,
        status=fact.status,
        polarity=fact.polarity,
        modality=fact.modality,
        valid_from=fact.valid_from,
        valid_to=fact.valid_to,
        recorded_at=fact.recorded_at,
        invalidated_at=fact.invalidated_at,
        confidence=fact.confidence,
        support=fact.support,
        episodes=sorted(episodes),
        summary=fact.text,
    )


def _accumulate(total: AddResult, part: AddResult) -> None:
    total.episode_ids += part.episode_ids
    total.skipped_episode_ids += part.skipped_episode_ids
    total.facts_added += part.facts_added
    total.facts_reinforced += part.facts_reinforced
    total.facts_closed += part.facts_closed
    total.entities_added += part.entities_added
    total.decisions += part.decisions
    total.extraction_errors += part.extraction_errors
    total.quarantined_episode_ids += part.quarantined_episode_ids
    for key, value in part.timings_ms.items():
        total.timings_ms[key] = total.timings_ms.get(key, 0.0) + value


def _check_page(skip: int, limit: int) -> None:
    if not isinstance(skip, int) or isinstance(skip, bool) or skip < 0:
        raise InvalidInput("skip must be a non-negative integer")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 1000:
        raise InvalidInput("limit must be an integer from 1 to 1000")


def _jsonable(value: Any) -> Any:
    """Cypher results may hold driver types; make them plain JSON-friendly Python."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if k != "embedding"}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        return _jsonable(to_native())
    if hasattr(value, "items") and hasattr(value, "keys"):  # neo4j Node / Relationship
        return {k: _jsonable(v) for k, v in dict(value).items() if k != "embedding"}
    return value


def _make_store(settings: Settings) -> GraphStore:
    if settings.backend == "neo4j":
        from graphmem.store.neo4j import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            connect_timeout_s=settings.neo4j_connect_timeout_s,
        )
    from graphmem.store.kuzu import KuzuStore

    return KuzuStore(
        settings.path, buffer_pool_mb=settings.buffer_pool_mb, index_budget_mb=settings.index_budget_mb
    )


# --- async twin ----------------------------------------------------------------------------------


def _threaded(
    method: Callable[Concatenate[Memory, P], T],
) -> Callable[Concatenate[AsyncMemory, P], Coroutine[Any, Any, T]]:
    """``method`` of :class:`Memory` as an awaitable method of :class:`AsyncMemory`, in a worker thread.

    Typed through ``ParamSpec``: mypy sees each twin with Memory's own parameters and an awaitable
    of its return type, so the twins cannot drift from Memory (tests/test_api_parity.py checks it too).
    """

    @functools.wraps(method)
    async def call(self: AsyncMemory, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(method, self.sync, *args, **kwargs)

    return call


class AsyncMemory:
    """The async twin of :class:`Memory`: same methods, awaited; each call runs in a worker thread.

    >>> async with AsyncMemory(path="./my-memory") as mem:                          # doctest: +SKIP
    ...     await mem.add("I moved to Lisbon.", speaker="Maria")
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        backend: str | None = None,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        namespace: str | None = None,
        settings: Settings | None = None,
        store: GraphStore | None = None,
        encoder: Encoder | None = None,
        extractor: Extractor | None = None,
    ) -> None:
        """Memory's own parameters, written out so they are typed (tests/api/test_api_parity.py)."""
        self.sync = Memory(
            path,
            backend=backend,
            uri=uri,
            user=user,
            password=password,
            database=database,
            namespace=namespace,
            settings=settings,
            store=store,
            encoder=encoder,
            extractor=extractor,
        )

    async def open(self) -> AsyncMemory:
        await asyncio.to_thread(self.sync.open)
        return self

    async def close(self) -> None:
        await asyncio.to_thread(self.sync.close)

    async def __aenter__(self) -> AsyncMemory:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    add = _threaded(Memory.add)
    add_document = _threaded(Memory.add_document)
    add_document = _threaded(Memory.add_document)
    add_many = _threaded(Memory.add_many)
    forget = _threaded(Memory.forget)
    export = _threaded(Memory.export)
    import_dump = _threaded(Memory.import_dump)
    undo_reconcile = _threaded(Memory.undo_reconcile)
    search = _threaded(Memory.search)
    explain = _threaded(Memory.explain)
    facts = _threaded(Memory.facts)
    history = _threaded(Memory.history)
    entity = _threaded(Memory.entity)
    neighbors = _threaded(Memory.neighbors)
    cypher = _threaded(Memory.cypher)
    stats = _threaded(Memory.stats)
    start_session = _threaded(Memory.start_session)
    end_session = _threaded(Memory.end_session)
    sessions = _threaded(Memory.sessions)
    episodes = _threaded(Memory.episodes)
    episode = _threaded(Memory.episode)
    similar_sessions = _threaded(Memory.similar_sessions)
    add_insight = _threaded(Memory.add_insight)
    insights = _threaded(Memory.insights)
    refresh_insights = _threaded(Memory.refresh_insights)
    feedback = _threaded(Memory.feedback)
    quarantine = _threaded(Memory.quarantine)
    release = _threaded(Memory.release)
    discard = _threaded(Memory.discard)
