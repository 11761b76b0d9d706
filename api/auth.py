"""API keys: each key is bound to namespaces and scopes; presented keys are checked in constant time.

Keys come from ``Settings.api_keys_file`` (JSON or YAML) and/or ``Settings.api_keys`` (inline)::

    # keys.yaml
    keys:
      - name: maria-app            # a label for logs; the key itself is never logged
        key: "s3cret-key-of-at-least-16-chars"
        namespaces: ["maria"]      # or ["*"] for every namespace
        scopes: ["read", "write"]  # read, write, admin
      - name: ops
        sha256: "9f86d08...e0"     # the key's SHA-256 hex digest instead of the key itself
        namespaces: ["*"]
        scopes: ["admin"]

    GRAPHMEM_API_KEYS="key1=maria|bob:read+write;key2=*:admin"

Scopes: ``read`` (search, facts, entities, graph, stats), ``write`` (add and delete episodes, undo a
reconciliation), ``admin`` (delete a namespace, store-wide stats, Cypher; it implies read and write).
``write`` does not imply ``read``, so an ingestion-only key cannot read memories back: its add and undo
responses carry ids and decisions, never stored values. Raw Cypher reads the whole store, so it needs
an admin key bound to every namespace (``*``); ``GET /v1/stats`` shows a namespace-bound admin key the
counts of its own namespaces only.

Only SHA-256 digests of the keys are kept in memory. A presented key is hashed and compared with
``hmac.compare_digest`` against *every* configured digest (no early exit), so neither the string
comparison nor the position of a key in the list shows up in the response time.

With no key configured the API is open (every namespace, every scope); ``/v1/health`` then reports
``"auth": "disabled"`` and the server logs a warning when it starts. Bind it to localhost in that case.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from graphmem.api.errors import Forbidden, Unauthenticated
from graphmem.config import Settings
from graphmem.errors import InvalidInput, NamespaceForbidden

__all__ = [
    "ALL_NAMESPACES",
    "OPEN_ACCESS",
    "SCOPES",
    "KeyRing",
    "KeySpec",
    "Principal",
    "Scope",
    "load_keys_file",
    "parse_inline_keys",
]

Scope = Literal["read", "write", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "write", "admin")
ALL_NAMESPACES = "*"

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_NAMESPACE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$")


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: the label of their key and what it may do."""

    name: str
    namespaces: frozenset[str]
    scopes: frozenset[str]

    def has_scope(self, scope: Scope) -> bool:
        return scope in self.scopes or "admin" in self.scopes

    @property
    def store_wide(self) -> bool:
        """True for a key bound to every namespace (``*``): only such keys may see across tenants."""
        return ALL_NAMESPACES in self.namespaces

    def sees(self, namespace: str) -> bool:
        return self.store_wide or namespace in self.namespaces

    def authorize_store_wide(self, what: str) -> None:
        """Raise Forbidden unless the key is an admin key bound to every namespace.

        Raw Cypher cannot be confined to a namespace by the engine, so a key bound to namespaces (even
        with ``admin``) must never reach it: it would read other tenants.
        """
        self.authorize("admin")
        if not self.store_wide:
            raise Forbidden(
                f"{what} reads every namespace, so it needs a store-wide admin key (namespaces ['*']); "
                f"this key is bound to {sorted(self.namespaces)}"
            )

    def authorize(self, scope: Scope, namespace: str | None = None) -> None:
        """Raise Forbidden (scope) or NamespaceForbidden (namespace) unless the key allows the call."""
        if not self.has_scope(scope):
            raise Forbidden(f"this API key lacks the {scope!r} scope")
        if namespace is not None and not self.sees(namespace):
            raise NamespaceForbidden(f"this API key may not use namespace {namespace!r}")


OPEN_ACCESS = Principal(
    name="anonymous (auth disabled)", namespaces=frozenset({ALL_NAMESPACES}), scopes=frozenset(SCOPES)
)
"""The caller when no key is configured."""


class KeySpec(BaseModel):
    """One configured key: the key (or its SHA-256 hex digest), its namespaces and its scopes."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=200, description="a label for logs")
    key: SecretStr | None = None
    sha256: str | None = Field(default=None, description="hex SHA-256 of the key, instead of the key")
    namespaces: list[str] = Field(min_length=1)
    scopes: list[Scope] = Field(min_length=1)

    @field_validator("namespaces")
    @classmethod
    def _namespaces_valid(cls, value: list[str]) -> list[str]:
        bad = [ns for ns in value if ns != ALL_NAMESPACES and not _NAMESPACE.match(ns)]
        if bad:
            raise ValueError(f"invalid namespace(s) {bad}: use names or '*'")
        return value

    @field_validator("sha256", mode="before")
    @classmethod
    def _sha256_is_text(cls, value: object) -> object:
        if value is not None and not isinstance(value, str):  # YAML reads an all-digit digest as a number
            raise ValueError("sha256 must be a quoted string of 64 hexadecimal characters")
        return value

    @model_validator(mode="after")
    def _one_secret(self) -> KeySpec:
        if (self.key is None) == (self.sha256 is None):
            raise ValueError("give exactly one of 'key' and 'sha256'")
        if self.key is not None and not self.key.get_secret_value().strip():
            raise ValueError("key is empty")
        if self.sha256 is not None and not _HEX64.match(self.sha256.lower()):
            raise ValueError("sha256 must be 64 hexadecimal characters")
        return self

    def digest(self) -> bytes:
        if self.key is not None:
            return _digest(self.key.get_secret_value())
        assert self.sha256 is not None
        return bytes.fromhex(self.sha256)


class _KeyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keys: list[KeySpec]


def _problems(exc: ValidationError) -> str:
    # Never echo the input: it may hold a key.
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())


def load_keys_file(path: Path) -> list[KeySpec]:
    """Keys from a JSON or YAML file ``{"keys": [{"key" | "sha256", "namespaces", "scopes", "name"?}]}``."""
    try:
        raw: Any = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read the API keys file {str(path)!r}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the API keys file {str(path)!r} is not valid JSON or YAML") from exc
    try:
        return _KeyFile.model_validate(raw).keys
    except ValidationError as exc:
        raise InvalidInput(f"the API keys file {str(path)!r} is invalid: {_problems(exc)}") from exc


def parse_inline_keys(text: str) -> list[KeySpec]:
    """Keys from ``key=ns1|ns2:read+write;key2=*:admin`` (``GRAPHMEM_API_KEYS``).

    The key is everything before the last ``=`` (so base64 keys ending in ``=`` work), the namespaces
    are everything up to the last ``:``. Error messages give the entry's position, never its text.

    >>> [(k.namespaces, k.scopes) for k in parse_inline_keys("k1=maria|bob:read+write; k2=*:admin")]
    [(['maria', 'bob'], ['read', 'write']), (['*'], ['admin'])]
    """
    specs: list[KeySpec] = []
    entries = [e.strip() for e in text.split(";") if e.strip()]
    for position, entry in enumerate(entries, start=1):
        key, eq, grants = entry.rpartition("=")
        namespaces, colon, scopes = grants.rpartition(":")
        if not eq or not key.strip() or not colon:
            raise InvalidInput(f"api_keys entry {position}: expected 'key=namespace|namespace:scope+scope'")
        try:
            specs.append(
                KeySpec.model_validate(
                    {
                        "name": f"inline key {position}",
                        "key": key.strip(),
                        "namespaces": [n.strip() for n in namespaces.split("|")],
                        "scopes": [s.strip() for s in scopes.split("+")],
                    }
                )
            )
        except ValidationError as exc:
            raise InvalidInput(f"api_keys entry {position}: {_problems(exc)}") from exc
    return specs


@dataclass(frozen=True)
class _Entry:
    digest: bytes
    principal: Principal


class KeyRing:
    """The configured keys, as digests; turns a presented key into a :class:`Principal`."""

    def __init__(self, specs: Iterable[KeySpec]) -> None:
        entries: list[_Entry] = []
        seen: set[bytes] = set()
        for index, spec in enumerate(specs, start=1):
            digest = spec.digest()
            if digest in seen:
                raise InvalidInput(f"API key {spec.name or index!s} is configured twice")
            seen.add(digest)
            entries.append(
                _Entry(
                    digest,
                    Principal(
                        name=spec.name or f"key {index}",
                        namespaces=frozenset(spec.namespaces),
                        scopes=frozenset(spec.scopes),
                    ),
                )
            )
        self._entries: Sequence[_Entry] = tuple(entries)

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        """Keys of the keys file and of the inline setting, together."""
        specs: list[KeySpec] = []
        if settings.api_keys_file is not None:
            specs += load_keys_file(settings.api_keys_file)
        inline: object = settings.api_keys
        if isinstance(inline, SecretStr):
            inline = inline.get_secret_value()
        if isinstance(inline, str) and inline.strip():
            specs += parse_inline_keys(inline)
        return cls(specs)

    @property
    def enabled(self) -> bool:
        """False when no key is configured: the API is then open."""
        return bool(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"KeyRing({len(self._entries)} keys)"

    def authenticate(self, presented: str | None) -> Principal:
        """The principal of ``presented``; Unauthenticated when it is missing or matches no key."""
        if not self._entries:
            return OPEN_ACCESS
        if not presented:
            raise Unauthenticated("missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
        digest = _digest(presented)
        found: Principal | None = None
        for entry in self._entries:  # every entry is compared: no early exit
            if hmac.compare_digest(digest, entry.digest):
                found = entry.principal
        if found is None:
            raise Unauthenticated("invalid API key")
        return found
