"""The write path (DESIGN section 4): interactions in, one all-or-nothing WriteBatch out.

Everything that can be batched is: one extractor pass (``nlp.pipe``), one encoder call for every new
text of the batch (episodes as ``<speaker>: <text>``, new facts, new entity names), one store look-up
for known entities, one transaction. Reconsolidation runs fact by fact against the slot as it stands
*including the earlier facts of the same batch*, so a batch says the same as its items added one by
one.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as date_parser
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graphmem.attachments import full_text, parse_attachments
from graphmem.embed import Encoder, Vectors
from graphmem.errors import InvalidInput
from graphmem.extract.base import ExtractInput, Extraction, ExtractionFailure, Extractor, Triple
from graphmem.extract.resolve import merge_decision
from graphmem.limits import check_metadata, check_text
from graphmem.model import (
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    FactUpdate,
    Insight,
    Mention,
    NextLink,
    Role,
    Session,
    Similar,
    WriteBatch,
    content_id,
    entity_id,
    entity_key,
    utcnow,
)
from graphmem.predicates import GROUP_PREDICATES, PredicateRegistry, normalise_predicate
from graphmem.reconcile import Cues, Decision, reconcile
from graphmem.store.base import GraphStore
from graphmem.trust import (
    QUARANTINE_KEY,
    ROLE_SOURCE,
    TRUST_KEY,
    Source,
    episode_trust,
    guard_decision,
    parse_source,
    rank,
)
from graphmem.views import AddResult

__all__ = [
    "DEFAULT_SESSION",
    "EXTRACTION_ERROR_KEY",
    "USER_ENTITY",
    "IngestItem",
    "Ingestor",
    "extract_contained",
    "parse_item",
    "parse_timestamp",
]

log = logging.getLogger(__name__)

EXTRACTION_ERROR_KEY = "extraction_error"
RESERVED_METADATA_KEYS = frozenset({EXTRACTION_ERROR_KEY, QUARANTINE_KEY, TRUST_KEY})
"""Episode metadata keys that only graphmem writes; refused in what callers send."""
"""Episode metadata key holding ``{"type", "message"}`` when extraction of that episode failed."""

DEFAULT_SESSION = "default"
USER_ENTITY = "USER"
"""Name of the per-namespace entity that first-person statements of an unnamed user attach to."""

_SLOT_STATUSES = frozenset({FactStatus.active, FactStatus.disputed, FactStatus.superseded})
"""What reconciliation sees of a slot: everything but retracted facts (which were never true)."""

_ENTITY_TYPES_KEPT = frozenset({"person", "place", "organization", "event", "work", "animal", "group"})
"""Mention types that become entities even when no triple uses them (dates and bare concepts don't)."""


class IngestItem(BaseModel):
    """One interaction, validated: what ``add`` and each ``add_many`` item are turned into."""

    model_config = ConfigDict(extra="forbid")

    text: str
    speaker: str | None = None
    role: Role = Role.user
    session: str = DEFAULT_SESSION
    timestamp: datetime
    metadata: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None
    source: Source | None = None
    trust: Source | None = None
    title: str | None = None
    """A document's title: its main entity (the passage's anchor), kept apart from the text."""
    attachments: list[dict[str, str]] = Field(default_factory=list)


def parse_timestamp(value: object, *, default: datetime | None = None) -> datetime:
    """ISO 8601 text, a datetime, or epoch seconds -> aware UTC. Naive values are taken as UTC."""
    if value is None or value == "":
        return default or utcnow()
    if isinstance(value, bool):
        raise InvalidInput(f"timestamp must be ISO 8601 text or a datetime, got {value!r}")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise InvalidInput(f"timestamp {value!r} is out of range") from exc
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            try:
                parsed = date_parser.parse(value)
            except (ValueError, OverflowError) as exc:
                raise InvalidInput(
                    f"cannot parse timestamp {value!r}; use ISO 8601, e.g. 2024-03-01T10:00:00Z"
                ) from exc
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise InvalidInput(f"timestamp must be ISO 8601 text or a datetime, got {type(value).__name__}")
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (OverflowError, ValueError) as exc:  # e.g. 0001-01-01T00:00+01:00 has no UTC form
        raise InvalidInput(f"timestamp {value!r} is out of range once converted to UTC") from exc


def _text_of(raw: Mapping[str, Any]) -> object:
    if "content" in raw and "text" in raw:
        raise InvalidInput("give either 'content' or 'text', not both")
    return raw.get("content", raw.get("text"))


def parse_item(
    raw: object,
    *,
    max_chars: int,
    speaker: str | None = None,
    role: str | Role | None = None,
    session: str | None = None,
    timestamp: object = None,
    metadata: Mapping[str, Any] | None = None,
    id: str | None = None,
    source: str | None = None,
    trust: str | None = None,
    title: str | None = None,
    attachments: object = None,
) -> IngestItem:
    """Validate one interaction: a string, or a chat-message dict ``{role, content, name, ...}``.

    Keyword arguments are defaults that the dict's own fields override. Text longer than
    ``max_chars`` is rejected (not split): an episode is one interaction, and silently cutting a
    document into pieces would make ids and provenance surprising. Split documents before adding.
    """
    if isinstance(raw, str):
        fields: dict[str, Any] = dict.fromkeys(
            (
                "speaker",
                "role",
                "session",
                "timestamp",
                "metadata",
                "id",
                "source",
                "trust",
                "title",
                "attachments",
            ),
            None,
        ) | {"text": raw}
    elif isinstance(raw, Mapping):
        known = {
            "content",
            "text",
            "speaker",
            "name",
            "role",
            "session",
            "timestamp",
            "metadata",
            "id",
            "source",
            "trust",
            "title",
            "attachments",
        }
        unknown = sorted(set(raw) - known)
        if unknown:
            raise InvalidInput(f"unknown field(s) {unknown}; expected some of {sorted(known)}")
        if "speaker" in raw and "name" in raw:
            raise InvalidInput("give either 'speaker' or 'name', not both")
        fields = {
            "text": _text_of(raw),
            "speaker": raw.get("speaker", raw.get("name")),
            "role": raw.get("role"),
            "session": raw.get("session"),
            "timestamp": raw.get("timestamp"),
            "metadata": raw.get("metadata"),
            "id": raw.get("id"),
            "source": raw.get("source"),
            "trust": raw.get("trust"),
            "title": raw.get("title"),
            "attachments": raw.get("attachments"),
        }
    else:
        raise InvalidInput(f"an interaction is text or a message dict, got {type(raw).__name__}")

    text = fields["text"]
    if not isinstance(text, str):
        raise InvalidInput(f"content must be text, got {type(text).__name__}")
    check_text(text, "content")
    if not text.strip():
        raise InvalidInput("content is empty")
    if len(text) > max_chars:
        raise InvalidInput(
            f"content is {len(text)} characters, more than the maximum of {max_chars} "
            "(GRAPHMEM_MAX_EPISODE_CHARS); split long documents into several episodes"
        )
    who = fields["speaker"] if fields["speaker"] is not None else speaker
    if who is not None and (not isinstance(who, str) or not who.strip()):
        raise InvalidInput("speaker must be a non-empty string")
    if who is not None:
        check_text(who, "speaker")
    role_value = fields["role"] if fields["role"] is not None else (role or Role.user)
    try:
        role_enum = Role(role_value)
    except ValueError as exc:
        raise InvalidInput(f"unknown role {role_value!r}; expected one of {[r.value for r in Role]}") from exc
    sess = fields["session"] if fields["session"] is not None else (session or DEFAULT_SESSION)
    if not isinstance(sess, str) or not sess.strip() or "/" in sess:
        raise InvalidInput("session must be a non-empty string without '/'")
    check_text(sess, "session")
    meta = check_metadata(fields["metadata"] if fields["metadata"] is not None else (metadata or {}))
    reserved = sorted(set(meta) & RESERVED_METADATA_KEYS)
    if reserved:
        # these keys carry graphmem's own verdicts (trust, quarantine, extraction failures): accepted
        # from a caller, a tool result could raise its own trust or clear its quarantine flag
        raise InvalidInput(
            f"metadata keys {reserved} are reserved for graphmem's own records; "
            "set trust and source with trust=... / source=..."
        )
    ident = fields["id"] if fields["id"] is not None else id
    if ident is not None and (not isinstance(ident, str) or not ident.strip() or "/" in ident):
        raise InvalidInput("id must be a non-empty string without '/'")
    if ident is not None:
        check_text(ident, "id")
    when = parse_timestamp(fields["timestamp"] if fields["timestamp"] is not None else timestamp)
    media = parse_attachments(fields["attachments"] if fields["attachments"] is not None else attachments)
    heading = _check_title(fields["title"] if fields["title"] is not None else title)
    if heading is not None and fields["role"] is None and role is None:
        role_enum = Role.document  # a titled text is a document unless the caller says otherwise
    try:
        return IngestItem(
            text=text,
            speaker=who.strip() if who else None,
            role=role_enum,
            session=sess,
            timestamp=when,
            metadata=dict(meta),
            id=ident,
            source=parse_source(fields["source"] if fields["source"] is not None else source),
            trust=parse_source(fields["trust"] if fields["trust"] is not None else trust, "trust level"),
            title=heading,
            attachments=media,
        )
    except ValidationError as exc:
        raise InvalidInput(str(exc)) from exc


def _check_title(value: object) -> str | None:
    """A title is one short line: it becomes an entity name, so text glued to it would corrupt it."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("title must be a non-empty string")
    if "\n" in value.strip() or len(value) > 300:
        raise InvalidInput("title must be one line of at most 300 characters")
    return value.strip()


def extract_contained(extractor: Extractor, inputs: Sequence[ExtractInput]) -> list[Extraction]:
    """Extract a batch so that one item's failure costs only that item's facts.

    The batched call runs first (one parse pass); if it raises, the items are extracted one by one
    and each one that still raises yields an empty Extraction carrying the error. Any Exception is
    contained, since extraction bugs are exactly the failures nobody foresaw; the episode itself is
    always stored, and the error is reported to the caller rather than swallowed.
    """
    try:
        return extractor.extract_many(inputs)
    except Exception as exc:
        log.warning("batched extraction failed (%s: %s); extracting item by item", type(exc).__name__, exc)
    out: list[Extraction] = []
    for item in inputs:
        try:
            out.append(extractor.extract_many([item])[0])
        except Exception as exc:
            out.append(Extraction(error=ExtractionFailure.of(exc)))
    return out


def _start(triple: Triple, ep: Episode) -> datetime | None:
    """A fact starts when the text says, else when it was said, unless it ended before that
    ("I lived in Rome until 2019", said in 2023): then its start is unknown."""
    if triple.valid_from is not None:
        return triple.valid_from
    if triple.valid_to is not None and triple.valid_to <= ep.occurred_at:
        return None
    return ep.occurred_at


def _title(ep: Episode) -> str | None:
    title = ep.metadata.get("title") if ep.role is Role.document else None
    return title if isinstance(title, str) and title else None


def _embedding_text(ep: Episode) -> str:
    """What an episode's vector encodes: who said it, or a document's title, then the text."""
    title = _title(ep)
    text = full_text(ep)  # with the captions of what was shared
    if title:
        return f"{title}\n{text}"
    return f"{ep.speaker}: {text}" if ep.speaker else text


def _anchor_type(ep: Episode, extraction: Extraction) -> str:
    """A speaker is a person; a document's anchor (its title) has the type the text gives its name."""
    title = _title(ep)
    if not title:
        return "person"
    key = entity_key(title)
    for mention in extraction.mentions:
        if entity_key(mention.name) == key and mention.type in _ENTITY_TYPES_KEPT:
            return mention.type
    for triple in extraction.triples:
        if entity_key(triple.subject) == key and triple.subject_type:
            return triple.subject_type
    return "concept"


def _speaker_name(item: IngestItem) -> str:
    """Who the text's first person is; for a titled document without a speaker, its title entity
    (so the passage is linked to its anchor like a turn to its speaker)."""
    if item.title and not item.speaker:
        return item.title
    if item.speaker:
        return item.speaker
    return USER_ENTITY if item.role is Role.user else item.role.value


class _Names:
    """Entity resolution for one batch: known entities, new ones, merges and near misses."""

    def __init__(self, namespace: str, now: datetime) -> None:
        self.namespace = namespace
        self.now = now
        self.by_key: dict[str, Entity] = {}
        self.new_ids: set[str] = set()
        self.touched: dict[str, Entity] = {}
        self.similar: list[Similar] = []

    def get(self, name: str) -> Entity:
        return self.by_key[entity_key(name)]


class Ingestor:
    """Builds the WriteBatch of a list of interactions; the caller writes it in one transaction."""

    def __init__(
        self,
        store: GraphStore,
        extractor: Extractor,
        encoder: Encoder,
        registry: PredicateRegistry,
        *,
        merge_threshold: float = 0.85,
        similar_threshold: float = 0.70,
        namespace_sources: Mapping[str, str] | None = None,
        quarantine: bool = True,
    ) -> None:
        self.store = store
        self.extractor = extractor
        self.encoder = encoder
        self.registry = registry
        self.merge_threshold = merge_threshold
        self.similar_threshold = similar_threshold
        self.namespace_sources = {
            ns: parse_source(v, f"source of namespace {ns!r}") for ns, v in (namespace_sources or {}).items()
        }
        self.quarantine = quarantine
        self._protection: dict[str, Source] = {}

    # --- the whole batch -------------------------------------------------------------------------

    def plan(
        self, namespace: str, items: Sequence[IngestItem], *, screen: bool = True
    ) -> tuple[WriteBatch, AddResult]:
        """Plan the write of ``items``; with ``screen`` (and the ingestor's ``quarantine`` on), episodes
        that read as instructions to the agent are quarantined: stored and flagged, nothing extracted."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        now = utcnow()
        result = AddResult(namespace=namespace)
        self._protection = {}
        episodes, sessions, links, speakers, addressees = self._episodes(namespace, items, result)
        if not episodes:
            return WriteBatch(namespace=namespace), result
        held = self._screen(episodes) if screen and self.quarantine else set()
        result.quarantined_episode_ids = sorted(held)
        timings["episodes_ms"] = (time.perf_counter() - t0) * 1000

        t1 = time.perf_counter()
        inputs = [
            ExtractInput(
                text=full_text(ep),
                speaker=speakers[ep.id],
                addressee=addressees[ep.id],
                occurred_at=ep.occurred_at,
                anchor=_title(ep),
            )
            for ep in episodes
        ]
        kept = [i for i, ep in enumerate(episodes) if ep.id not in held]
        extracted = extract_contained(self.extractor, [inputs[i] for i in kept]) if kept else []
        extractions = [Extraction() for _ in episodes]
        for i, extraction in zip(kept, extracted, strict=True):
            extractions[i] = extraction
        for ep, extraction in zip(episodes, extractions, strict=True):
            if extraction.error is not None:
                ep.metadata = {**ep.metadata, EXTRACTION_ERROR_KEY: extraction.error.model_dump()}
                result.extraction_errors.append({"episode_id": ep.id, **extraction.error.model_dump()})
        timings["extract_ms"] = (time.perf_counter() - t1) * 1000

        t2 = time.perf_counter()
        names = _Names(namespace, now)
        wanted = self._wanted_names(episodes, extractions, speakers)
        # Entities named only as what a statement replaces ("jazz instead of rock") are looked up,
        # never created: reconciliation needs their keys to find the fact being replaced.
        replaced = {entity_key(t.replaces) for ex in extractions for t in ex.triples if t.replaces}
        known = self.store.find_entities(namespace, [*wanted, *(replaced - set(wanted))])
        for key, entity in known.items():
            names.by_key[key] = entity
        known = {k: v for k, v in known.items() if k in wanted}
        new_names = [wanted[k] for k in wanted if k not in known]
        # One encoder call for the whole batch: episodes, candidate new entities and fact texts.
        episode_texts = [_embedding_text(ep) for ep in episodes]
        fact_texts = list(dict.fromkeys(t.text for ex in extractions for t in ex.triples))
        texts = episode_texts + [n for n, _, _ in new_names] + fact_texts
        vectors: Vectors | list[Vectors] = self.encoder.encode(texts) if texts else []  # none: no model load
        timings["embed_ms"] = (time.perf_counter() - t2) * 1000

        t3 = time.perf_counter()
        for ep, vec in zip(episodes, vectors[: len(episodes)], strict=True):
            ep.embedding = vec.tolist()
        name_vectors = {n: vectors[len(episodes) + i] for i, (n, _, _) in enumerate(new_names)}
        fact_vectors = {t: vectors[len(episodes) + len(new_names) + i] for i, t in enumerate(fact_texts)}
        for name, type_, first in new_names:
            self._resolve_new(names, name, type_, name_vectors[name].tolist(), first)

        batch = WriteBatch(namespace=namespace, sessions=sessions, episodes=episodes, next_links=links)
        slots: dict[tuple[str, str], list[Fact]] = {}
        updates: dict[str, dict[str, Any]] = {}
        for ep, extraction in zip(episodes, extractions, strict=True):
            mentioned = self._mentions(names, ep, extraction, speakers[ep.id])
            batch.mentions.extend(Mention(episode_id=ep.id, entity_id=e) for e in mentioned)
            for triple in extraction.triples:
                fact = self._fact(names, namespace, ep, triple, now, fact_vectors.get(triple.text))
                decision = self._reconcile(fact, triple, slots, names, now)
                decision = self._trusted(decision, fact, episode_trust(ep))
                self._apply(decision, fact, ep, batch, slots, updates, result)
        batch.fact_updates = [FactUpdate(id=fid, **fields) for fid, fields in updates.items()]
        batch.insights = self._stale_profiles(namespace, batch)
        batch.entities = list(names.touched.values())
        batch.similar = names.similar
        result.entities_added = len(names.new_ids)
        result.episode_ids = [ep.id for ep in episodes]
        timings["resolve_reconcile_ms"] = (time.perf_counter() - t3) * 1000
        result.timings_ms = timings
        return batch, result

    @staticmethod
    def _screen(episodes: Sequence[Episode]) -> set[str]:
        """Flag the episodes whose text reads as instructions to the agent (see graphmem.guard); text
        from a tool, a document or the web is read more strictly (second-person orders count)."""
        from graphmem.guard import detect

        held: set[str] = set()
        for ep in episodes:
            verdict = detect(ep.content, untrusted=rank(episode_trust(ep)) < rank(Source.agent))
            if verdict.flagged:
                ep.metadata = {**ep.metadata, QUARANTINE_KEY: verdict.record()}
                held.add(ep.id)
        return held

    def _trusted(self, decision: Decision, fact: Fact, trust: Source) -> Decision:
        """Apply the trust rule to a reconciliation decision (graphmem.trust.guard_decision).

        The protection of the facts the decision would close is read only when it closes something:
        the trust of their most trusted evidence, from this batch or from the store.
        """
        closing = [u.id for u in decision.updates if u.status not in (None, FactStatus.active)]
        if closing:
            missing = [fid for fid in closing if fid not in self._protection]
            if missing:
                evidence = self.store.fact_evidence(fact.namespace, missing)
                eps = self.store.get_episodes(
                    fact.namespace, sorted({e for ids in evidence.values() for e in ids})
                )
                for fid in missing:
                    levels = [episode_trust(eps[e]) for e in evidence.get(fid, []) if e in eps]
                    if levels:
                        self._protection[fid] = max(levels, key=rank)
            decision = guard_decision(decision, fact, trust, self._protection)
        told = [decision.reinforce.id] if decision.reinforce is not None else []
        if decision.insert is not None and decision.insert.status is not FactStatus.contested:
            told.append(decision.insert.id)
        for fid in told:  # what this statement says now carries its source's trust too
            known = self._protection.get(fid)
            if known is None or rank(trust) > rank(known):
                self._protection[fid] = trust
        return decision

    def _stale_profiles(self, namespace: str, batch: WriteBatch) -> list[Insight]:
        """Entity profiles describe current facts: when those change, the profile is marked stale."""
        # Every status change is caused by a new fact of the same subject, so new facts' subjects suffice.
        changed = {f.subject_id for f in batch.facts}
        if not changed:
            return []
        linked = self.store.insights_of(namespace, sorted(changed))
        insights = self.store.get_insights(namespace, sorted({i for ids in linked.values() for i in ids}))
        return [
            i.model_copy(update={"stale": True})
            for i in insights.values()
            if i.kind == "entity_profile" and not i.stale
        ]

    # --- episodes and sessions --------------------------------------------------------------------

    def _episodes(
        self, namespace: str, items: Sequence[IngestItem], result: AddResult
    ) -> tuple[list[Episode], list[Session], list[NextLink], dict[str, str], dict[str, str | None]]:
        ids = [
            item.id
            or "ep_"
            + content_id(
                namespace,
                item.session,
                item.speaker or "",
                item.role.value,
                item.timestamp.isoformat(),
                item.text,
            )
            for item in items
        ]
        existing = set(self.store.get_episodes(namespace, ids)) if ids else set()
        seen: set[str] = set()
        fresh: list[tuple[str, IngestItem]] = []
        for ep_id, item in zip(ids, items, strict=True):
            if ep_id in existing or ep_id in seen:
                result.skipped_episode_ids.append(ep_id)
                continue
            seen.add(ep_id)
            fresh.append((ep_id, item))
        session_ids = list(dict.fromkeys(item.session for _, item in fresh))
        stored_sessions = self.store.get_sessions(namespace, session_ids)
        sessions: list[Session] = []
        last: dict[str, Episode | None] = {}
        for sid in session_ids:
            if sid not in stored_sessions:
                start = min(item.timestamp for _, item in fresh if item.session == sid)
                sessions.append(Session(id=sid, namespace=namespace, started_at=start))
                last[sid] = None
            else:
                last[sid] = self.store.last_episode(namespace, sid)
        episodes: list[Episode] = []
        links: list[NextLink] = []
        speakers: dict[str, str] = {}
        addressees: dict[str, str | None] = {}
        last_speaker: dict[str, str | None] = {sid: (ep.speaker if ep else None) for sid, ep in last.items()}
        for ep_id, item in fresh:
            prev = last[item.session]
            speaker = _speaker_name(item)
            source = item.source or self.namespace_sources.get(namespace) or ROLE_SOURCE[item.role]
            metadata = dict(item.metadata)
            if item.title:
                metadata["title"] = item.title
            if item.attachments:
                metadata["attachments"] = item.attachments
            if item.trust is not None and item.trust is not source:
                metadata[TRUST_KEY] = item.trust.value
            episode = Episode(
                id=ep_id,
                namespace=namespace,
                session_id=item.session,
                seq=(prev.seq + 1) if prev else 0,
                speaker=item.speaker or "",
                role=item.role,
                content=item.text,
                occurred_at=item.timestamp,
                source=source.value,
                metadata=metadata,
            )
            if prev is not None:
                links.append(NextLink(prev_id=prev.id, next_id=ep_id))
            # "you" in a two-party conversation is the other party: the last different speaker.
            other = last_speaker.get(item.session)
            addressees[ep_id] = other if other and other != speaker else None
            if other != speaker:
                last_speaker[item.session] = speaker
            speakers[ep_id] = speaker
            last[item.session] = episode
            episodes.append(episode)
        return episodes, sessions, links, speakers, addressees

    # --- entities --------------------------------------------------------------------------------

    @staticmethod
    def _wanted_names(
        episodes: Sequence[Episode], extractions: Sequence[Extraction], speakers: Mapping[str, str]
    ) -> dict[str, tuple[str, str, datetime]]:
        """key -> (name, type, time of the first episode naming it), in order of appearance."""
        wanted: dict[str, tuple[str, str, datetime]] = {}
        for ep, extraction in zip(episodes, extractions, strict=True):
            named: list[tuple[str | None, str | None]] = [(speakers[ep.id], _anchor_type(ep, extraction))]
            named += [
                (n, t)
                for tr in extraction.triples
                for n, t in ((tr.subject, tr.subject_type), (tr.object, tr.object_type))
            ]
            named += [(m.name, m.type) for m in extraction.mentions if m.type in _ENTITY_TYPES_KEPT]
            for name, type_ in named:
                if not name or not name.strip():
                    continue
                key = entity_key(name)
                if key and key not in wanted:
                    wanted[key] = (name.strip(), type_ or "concept", ep.occurred_at)
        return wanted

    def _resolve_new(
        self, names: _Names, name: str, type_: str, vector: list[float], first: datetime
    ) -> None:
        """Exact key and aliases found nothing: merge only on vector + type + string agreement."""
        key = entity_key(name)
        holder = self._role_holder(names, name)
        if holder is not None:  # "my neighbour moved" after "my neighbour Rafael ...": it is Rafael
            names.by_key[key] = holder
            return
        verdicts: list[tuple[str, Entity, float]] = []
        for hit in self.store.vector_search("Entity", names.namespace, vector, 3):
            candidate = self._entity_by_id(names, hit.id)
            if candidate is not None:
                verdict = merge_decision(
                    name,
                    type_,
                    candidate.name,
                    candidate.type,
                    hit.score,
                    merge_threshold=self.merge_threshold,
                    similar_threshold=self.similar_threshold,
                )
                verdicts.append((verdict, candidate, hit.score))
        merges = [(c, score) for verdict, c, score in verdicts if verdict == "merge"]
        if len(merges) == 1:
            candidate = merges[0][0]
            if name not in candidate.aliases and name != candidate.name:
                candidate = candidate.model_copy(update={"aliases": [*candidate.aliases, name]})
            names.by_key[key] = candidate
            names.touched[candidate.id] = candidate
            return
        # Ambiguous ("Anna" fits both "Anna Lee" and "Anna Smith") or merely close: never merge
        # silently; a new entity with SIMILAR edges keeps the doubt visible.
        close = [(c, score) for verdict, c, score in verdicts if verdict in ("merge", "similar")]
        if close:
            new = self._new_entity(names, name, type_, vector, first)
            names.similar.extend(Similar(a_id=new.id, b_id=c.id, score=round(score, 4)) for c, score in close)
            return
        self._new_entity(names, name, type_, vector, first)

    def _role_holder(self, names: _Names, name: str) -> Entity | None:
        """The one named person who holds a role: "Chloe's neighbor" is Rafael when the memory knows
        exactly one current (Chloe, neighbor, X) with a named X; None when unknown or ambiguous."""
        owner_name, sep, role = name.partition("'s ")
        if not sep or not role.strip() or " " in role.strip():
            return None
        owner = names.by_key.get(entity_key(owner_name)) or self.store.find_entities(
            names.namespace, [entity_key(owner_name)]
        ).get(entity_key(owner_name))
        if owner is None:
            return None
        held = self.store.list_facts(
            names.namespace,
            subject_id=owner.id,
            predicate=normalise_predicate(role),
            statuses=[FactStatus.active],
            limit=10,
        )
        ids = {f.object_id for f in held if f.object_id is not None and f.polarity}
        if len(ids) != 1:
            return None
        holder = self._entity_by_id(names, ids.pop())
        return holder if holder is not None and "'s " not in holder.name else None

    def _entity_by_id(self, names: _Names, ent_id: str) -> Entity | None:
        for entity in names.by_key.values():
            if entity.id == ent_id:
                return entity
        return self.store.get_entities(names.namespace, [ent_id]).get(ent_id)

    @staticmethod
    def _new_entity(names: _Names, name: str, type_: str, vector: list[float], first: datetime) -> Entity:
        key = entity_key(name)
        entity = Entity(
            id=entity_id(names.namespace, key),
            namespace=names.namespace,
            name=name,
            key=key,
            type=type_,
            first_seen=first,
            last_seen=first,
            embedding=vector,
        )
        names.by_key[key] = entity
        names.touched[entity.id] = entity
        names.new_ids.add(entity.id)
        return entity

    def _mentions(self, names: _Names, ep: Episode, extraction: Extraction, speaker: str) -> list[str]:
        keys = [entity_key(speaker)]
        keys += [entity_key(n) for t in extraction.triples for n in (t.subject, t.object) if n]
        keys += [entity_key(m.name) for m in extraction.mentions if m.type in _ENTITY_TYPES_KEPT]
        ids: list[str] = []
        for key in dict.fromkeys(k for k in keys if k in names.by_key):
            entity = names.touched.get(names.by_key[key].id, names.by_key[key])
            first = min(entity.first_seen, ep.occurred_at)
            last = max(entity.last_seen, ep.occurred_at)
            entity = entity.model_copy(
                update={"mention_count": entity.mention_count + 1, "first_seen": first, "last_seen": last}
            )
            names.by_key[key] = entity
            names.touched[entity.id] = entity
            ids.append(entity.id)
        return ids

    # --- facts -----------------------------------------------------------------------------------

    @staticmethod
    def _fact(names: _Names, namespace: str, ep: Episode, triple: Triple, now: datetime, vector: Any) -> Fact:
        subject = names.get(triple.subject)
        object_id = names.get(triple.object).id if triple.object else None
        return Fact(
            id="f_" + uuid.uuid4().hex[:24],
            namespace=namespace,
            subject_id=subject.id,
            predicate=triple.predicate,
            predicate_raw=triple.predicate_raw,
            object_id=object_id,
            object_value=None if object_id else triple.object_value,
            text=triple.text,
            polarity=triple.polarity,
            modality=triple.modality,
            valid_from=_start(triple, ep),
            valid_to=triple.valid_to,
            recorded_at=now,
            confidence=triple.confidence,
            embedding=vector.tolist() if vector is not None else None,
        )

    def _slot(
        self, slots: dict[tuple[str, str], list[Fact]], namespace: str, subject_id: str, predicate: str
    ) -> list[Fact]:
        key = (subject_id, predicate)
        if key not in slots:
            # Superseded facts take part too: a statement inside a closed period reinforces that history,
            # and a value told late ends where the next one began.
            slots[key] = self.store.slot_facts(namespace, subject_id, predicate, list(_SLOT_STATUSES))
        return slots[key]

    def _reconcile(
        self,
        fact: Fact,
        triple: Triple,
        slots: dict[tuple[str, str], list[Fact]],
        names: _Names,
        now: datetime,
    ) -> Decision:
        active = list(self._slot(slots, fact.namespace, fact.subject_id, fact.predicate))
        if fact.predicate in GROUP_PREDICATES:
            for other in GROUP_PREDICATES - {fact.predicate}:
                active += self._slot(slots, fact.namespace, fact.subject_id, other)
        object_keys = {e.id: e.key for e in names.by_key.values()}
        cues = Cues(ended=triple.ended, replaces=triple.replaces, correction=triple.correction)
        return reconcile(fact, active, cues=cues, registry=self.registry, now=now, object_keys=object_keys)

    def _apply(
        self,
        decision: Decision,
        new: Fact,
        ep: Episode,
        batch: WriteBatch,
        slots: dict[tuple[str, str], list[Fact]],
        updates: dict[str, dict[str, Any]],
        result: AddResult,
    ) -> None:
        if decision.evidence is not None:
            self.registry.observe(new.predicate, decision.evidence)
        if decision.insert is not None:
            fact = decision.insert
            batch.facts.append(fact)
            batch.evidence.append(Evidence(fact_id=fact.id, episode_id=ep.id))
            result.facts_added += 1
            if fact.status in _SLOT_STATUSES:
                slots.setdefault((fact.subject_id, fact.predicate), []).append(fact)
        if decision.reinforce is not None:
            self._merge_update(decision.reinforce, updates, slots)
            batch.evidence.append(Evidence(fact_id=decision.reinforce.id, episode_id=ep.id))
            result.facts_reinforced += 1
        for update in decision.updates:
            self._merge_update(update, updates, slots)
        batch.supersedes.extend(decision.supersedes)
        result.facts_closed += len(decision.supersedes)
        result.decisions.append(
            {
                "episode_id": ep.id,
                "fact_id": (decision.insert or decision.reinforce).id  # type: ignore[union-attr]
                if decision.insert or decision.reinforce
                else None,
                "rule": decision.rule,
                "reason": decision.reason,
                "fact": decision.insert.text if decision.insert else None,
                "flags": list(decision.flags),
            }
        )

    @staticmethod
    def _merge_update(
        update: FactUpdate, updates: dict[str, dict[str, Any]], slots: dict[tuple[str, str], list[Fact]]
    ) -> None:
        fields = update.model_dump(exclude={"id"}, exclude_defaults=True)
        updates.setdefault(update.id, {}).update(fields)
        for facts in slots.values():
            for i, fact in enumerate(facts):
                if fact.id != update.id:
                    continue
                changes = {k: v for k, v in fields.items() if k in Fact.model_fields}
                if update.clear_valid_to:
                    changes["valid_to"] = None
                changed = fact.model_copy(update=changes)
                if changed.status in _SLOT_STATUSES:
                    facts[i] = changed
                else:
                    del facts[i]
                return
