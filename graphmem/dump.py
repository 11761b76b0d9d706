"""Export and import of a namespace as JSON Lines: move a memory between stores without losing history.

A dump holds everything a namespace is made of: sessions, episodes, entities, facts of every status
(so the whole history), insights (stale ones too), and the relationships between them (SUPERSEDES
with rule and reason, evidence, mentions, NEXT, SIMILAR, DERIVED_FROM), each node with its stored
embedding (float32, as the encoder made it), so the imported memory answers searches exactly as the
exported one did without re-encoding anything. The parts are the fields of
:class:`~graphmem.model.WriteBatch`, so an import is one batch: all of it is written in one
transaction, or nothing is.

Format (canonical, so that export -> import -> export gives the same bytes)::

    {"format": "graphmem-dump", "version": 1, "namespace": "maria", "dimension": 384, "counts": {...}}
    {"part": "sessions", "record": {...}}
    {"part": "episodes", "record": {...}}
    ...

Parts come in :data:`~graphmem.store.base.EXPORT_PARTS` order, records within a part sorted by id
(relationships by their endpoints), keys sorted, UTC times in ISO 8601. Derived structures (RELATES
projections, search indexes) are not in the dump: the store rebuilds them as it writes the batch.
What is not in it: the store-wide predicate registry (learned from every namespace, so exporting it
would leak other tenants' statistics).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graphmem.errors import InvalidInput, NotFound
from graphmem.model import (
    DerivedFrom,
    Entity,
    Episode,
    Evidence,
    Fact,
    Insight,
    Mention,
    NextLink,
    Session,
    Similar,
    Supersedes,
    WriteBatch,
    entity_id,
)
from graphmem.store.base import EXPORT_PARTS, GraphStore

__all__ = [
    "DUMP_FORMAT",
    "DUMP_VERSION",
    "Dump",
    "DumpSummary",
    "dump_lines",
    "export_namespace",
    "import_dump",
    "load_dump",
    "read_dump",
    "read_dump_file",
]

DUMP_FORMAT = "graphmem-dump"
DUMP_VERSION = 1

_MODELS: dict[str, type[BaseModel]] = {
    "sessions": Session,
    "episodes": Episode,
    "entities": Entity,
    "facts": Fact,
    "insights": Insight,
    "supersedes": Supersedes,
    "evidence": Evidence,
    "mentions": Mention,
    "next_links": NextLink,
    "similar": Similar,
    "derived_from": DerivedFrom,
}
_NODE_PARTS = frozenset({"sessions", "episodes", "entities", "facts", "insights"})


def _sorted(part: str, records: list[Any]) -> list[Any]:
    return sorted(records, key=lambda record: _sort_key(part, record))


def _sort_key(part: str, record: Any) -> tuple[str, ...]:
    """The canonical order of a part: nodes by id, relationships by their endpoints (then the rest)."""
    if part in _NODE_PARTS:
        return (record.id,)
    if part == "supersedes":
        return (record.new_id, record.old_id, record.at.isoformat(), record.rule, record.reason)
    if part == "derived_from":
        return (record.insight_id, record.target_kind, record.target_id)
    if part == "similar":
        return (record.a_id, record.b_id)
    fields = type(record).model_fields
    return tuple(str(getattr(record, name)) for name in fields)


class DumpSummary(BaseModel):
    """What an export wrote or an import loaded."""

    model_config = ConfigDict(extra="forbid")

    namespace: str
    source_namespace: str = Field(description="the namespace the dump was exported from")
    path: str | None = None
    dimension: int | None = None
    counts: dict[str, int] = Field(default_factory=dict, description="records per part")


class Dump(BaseModel):
    """A dump read back: its header fields and the records of each part."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    namespace: str
    dimension: int | None = None
    parts: dict[str, list[Any]] = Field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {part: len(self.parts.get(part, [])) for part in EXPORT_PARTS}


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _record_json(part: str, record: Any) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(mode="json")
    if part in _NODE_PARTS:  # embeddings are excluded from model dumps; a dump keeps them
        data["embedding"] = _float32(record.embedding) if record.embedding is not None else None
    return data


def _float32(vector: list[float]) -> list[float]:
    """Embeddings as the shortest decimals that give back the same float32 values.

    Both stores keep what the encoder made, float32 values, so this is exact, and about half the size
    of float64 text: ``0.0123456791043281555`` is written ``0.012345679``.
    """
    return [float(str(value)) for value in np.asarray(vector, dtype=np.float32)]


def dump_lines(store: GraphStore, namespace: str, *, dimension: int | None = None) -> Iterator[str]:
    """The lines of the dump of ``namespace`` (without newlines), header first, canonical order."""
    parts: dict[str, list[Any]] = {
        part: _sorted(part, store.export_part(namespace, part)) for part in EXPORT_PARTS
    }
    if not any(parts[p] for p in _NODE_PARTS):
        raise NotFound(f"namespace {namespace!r} holds no data; nothing to export")
    header = {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "namespace": namespace,
        "dimension": dimension,
        "counts": {part: len(records) for part, records in parts.items()},
    }
    yield _line(header)
    for part in EXPORT_PARTS:
        for record in parts[part]:
            yield _line({"part": part, "record": _record_json(part, record)})


def export_namespace(
    store: GraphStore, namespace: str, path: str | Path, *, dimension: int | None = None
) -> DumpSummary:
    """Write the dump of ``namespace`` to ``path`` (replaced atomically: a failed export leaves no
    half-written file)."""
    target = Path(path)
    counts: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            for index, line in enumerate(dump_lines(store, namespace, dimension=dimension)):
                if index == 0:
                    counts = json.loads(line)["counts"]
                out.write(line + "\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return DumpSummary(
        namespace=namespace, source_namespace=namespace, path=str(target), dimension=dimension, counts=counts
    )


def read_dump(lines: Iterable[str], *, source: str = "dump") -> Dump:
    """Parse and validate a dump; every problem names its line. Nothing is written here."""
    header: dict[str, Any] | None = None
    parts: dict[str, list[Any]] = {part: [] for part in EXPORT_PARTS}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{source}, line {number}"
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{where}: not JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise InvalidInput(f"{where}: expected a JSON object")
        if header is None:
            header = _check_header(data, where)
            continue
        part, record = data.get("part"), data.get("record")
        if part not in _MODELS or not isinstance(record, dict) or set(data) != {"part", "record"}:
            raise InvalidInput(
                f'{where}: expected {{"part": one of {list(EXPORT_PARTS)}, "record": {{...}}}}'
            )
        try:
            parsed = _MODELS[part].model_validate(record)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or part
            raise InvalidInput(f"{where}: invalid {part} record: {field}: {first['msg']}") from exc
        if part in _NODE_PARTS and parsed.namespace != header["namespace"]:  # type: ignore[attr-defined]
            raise InvalidInput(
                f"{where}: record of namespace {parsed.namespace!r} in a dump of "  # type: ignore[attr-defined]
                f"{header['namespace']!r}"
            )
        parts[part].append(parsed)
    if header is None:
        raise InvalidInput(f"{source}: empty; a dump starts with a {DUMP_FORMAT!r} header line")
    dump = Dump(namespace=header["namespace"], dimension=header.get("dimension"), parts=parts)
    declared = header.get("counts")
    if isinstance(declared, dict) and {k: int(v) for k, v in declared.items()} != dump.counts():
        raise InvalidInput(
            f"{source}: the header announces {declared} records but the file holds "
            f"{dump.counts()}; the file is truncated or was edited"
        )
    return dump


def _check_header(data: dict[str, Any], where: str) -> dict[str, Any]:
    if data.get("format") != DUMP_FORMAT:
        raise InvalidInput(
            f'{where}: not a graphmem dump (the first line must say "format": {DUMP_FORMAT!r})'
        )
    if data.get("version") != DUMP_VERSION:
        raise InvalidInput(
            f"{where}: dump version {data.get('version')!r}; this graphmem reads version {DUMP_VERSION}"
        )
    if not isinstance(data.get("namespace"), str):
        raise InvalidInput(f"{where}: the header has no namespace")
    return data


def load_dump(store: GraphStore, dump: Dump, *, namespace: str, dimension: int | None = None) -> DumpSummary:
    """Write ``dump`` into ``namespace`` of ``store`` in one transaction; the namespace must be empty.

    ``namespace`` may differ from the one the dump came from (records are moved into it).
    """
    if dimension is not None and dump.dimension is not None and dump.dimension != dimension:
        raise InvalidInput(
            f"the dump holds {dump.dimension}-dimensional embeddings, this store "
            f"{dimension}; export and import with the same embedding model"
        )
    for part in _NODE_PARTS:
        for record in dump.parts.get(part, []):
            if dimension is not None and record.embedding is not None and len(record.embedding) != dimension:
                raise InvalidInput(
                    f"{part} {record.id!r}: embedding of {len(record.embedding)} "
                    f"dimensions, the store holds {dimension}"
                )
    present = {k: v for k, v in store.counts(namespace).items() if v}
    if present:
        raise InvalidInput(
            f"namespace {namespace!r} already holds data ({present}); import into an "
            "empty namespace (choose another with --namespace) or forget it first"
        )
    renamed = _entity_renames(dump, namespace) if namespace != dump.namespace else {}
    batch_parts: dict[str, list[Any]] = {}
    for part, records in dump.parts.items():
        if part in _NODE_PARTS and namespace != dump.namespace:
            records = [r.model_copy(update={"namespace": namespace}) for r in records]
        if renamed:
            records = [_renamed(r, renamed) for r in records]
        batch_parts[part] = records
    store.write(WriteBatch(namespace=namespace, **batch_parts))
    return DumpSummary(
        namespace=namespace, source_namespace=dump.namespace, dimension=dump.dimension, counts=dump.counts()
    )


def _entity_renames(dump: Dump, namespace: str) -> dict[str, str]:
    """Entity ids derive from namespace + key, so a dump moved into another namespace gets the ids
    that namespace would have given its entities (look-ups by name compute them); ids of the older,
    key-only scheme are kept as they are, since look-ups try that form in every namespace."""
    renames: dict[str, str] = {}
    for entity in dump.parts.get("entities", []):
        if entity.id == entity_id(dump.namespace, entity.key):
            renames[entity.id] = entity_id(namespace, entity.key)
    return renames


def _renamed(record: Any, renames: dict[str, str]) -> Any:
    """``record`` with every reference to a renamed entity id (any field, lists included) rewritten."""

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return renames.get(value, value)
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    data = record.model_dump()
    changed = {k: swap(v) for k, v in data.items() if k != "embedding"}
    if all(changed[k] == data[k] for k in changed):
        return record
    return record.model_copy(update={k: v for k, v in changed.items() if v != data[k]})


def read_dump_file(path: str | Path) -> Dump:
    """Read and validate the dump at ``path``; see :func:`read_dump`."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as stream:
            return read_dump(stream, source=str(path))
    except OSError as exc:
        raise InvalidInput(f"cannot read the dump {str(path)!r}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text") from exc


def import_dump(
    store: GraphStore, path: str | Path, *, namespace: str | None = None, dimension: int | None = None
) -> DumpSummary:
    """Read the dump at ``path`` and load it; see :func:`load_dump`."""
    dump = read_dump_file(path)
    summary = load_dump(store, dump, namespace=namespace or dump.namespace, dimension=dimension)
    return summary.model_copy(update={"path": str(path)})
