"""User-supplied Cypher runs in a worker process over a read-only snapshot of the embedded store.

Why a snapshot: Kuzu lets one process hold a database directory for writing and refuses every other
process, even a read-only open, while it does (measured on 0.11.3: "Could not set lock on file");
a read-only ``Database`` in the same process works but sees the store as of its opening and shares
the process, so a crash or a runaway allocation would still take the host down. So the host copies
the database files *between two commits* (under the store's write lock, see
``KuzuStore.snapshot_to``) into ``<store>/.cypher-snapshots/<n>/`` and a worker process
(:mod:`graphmem.cypher_worker`) opens that copy ``read_only``:

- writes cannot happen: the lexical guard refuses them first, Kuzu refuses them in a read-only
  database, the worker may not write files (``RLIMIT_FSIZE`` 0), and the copy is thrown away anyway;
- a crash (a segfault on an odd parameter or statement) kills the worker only: the caller gets a 4xx
  and the next statement starts a new worker;
- a statement that runs (or parses) past ``timeout_s`` is stopped by killing the worker: the host
  waits on a pipe with a deadline, so the limit covers parsing and conversion as well as execution;
- memory is capped by ``RLIMIT_AS`` in the worker, rows by ``limit``, result bytes by
  ``max_result_bytes``.

Freshness: a snapshot is reused while the store's files are unchanged, so a statement sees every
write committed before it. ``min_interval_s`` (``GRAPHMEM_CYPHER_SNAPSHOT_INTERVAL_S``, default 0)
lets a busy server reuse a snapshot that long after a change instead of copying per statement. The
copy costs disk (one store's size) and time linear in the store's size.
One worker serves one statement at a time; concurrent callers queue on a lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from graphmem.errors import QueryError, StoreError
from graphmem.store.readonly import check_read_only

__all__ = ["CypherSandbox", "SnapshotSource"]

WORKER = Path(__file__).with_name("cypher_worker.py")
_OPEN_TIMEOUT_S = 120.0
"""Opening a snapshot replays its write-ahead log; on a large store that can take a while."""
_GRACE_S = 2.0
"""Beyond the statement's limit: Kuzu's own timeout fires first and gives a cleaner message."""


class SnapshotSource(Protocol):
    """What the sandbox needs of a store: a cheap change signature and a consistent copy."""

    path: Path

    def files_signature(self) -> tuple[Any, ...]: ...

    def snapshot_to(self, directory: Path) -> tuple[tuple[Any, ...], Path]: ...


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$t": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$t": "date", "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$t": "timedelta", "v": value.total_seconds()}
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _pow2_at_least(n: int) -> int:
    return 1 << max(n - 1, 1).bit_length()


class CypherSandbox:
    """Runs read-only Cypher for untrusted callers; see the module docstring for the why."""

    def __init__(
        self,
        store: SnapshotSource,
        *,
        memory_mb: int = 1024,
        max_result_bytes: int = 16 << 20,
        min_interval_s: float = 0.0,
        recycle_after: int = 1000,
    ) -> None:
        self.store = store
        self.memory_mb = memory_mb
        self.max_result_bytes = max_result_bytes
        self.min_interval_s = min_interval_s
        self.recycle_after = recycle_after
        """Statements one worker runs before it is replaced: Kuzu 0.11.3 leaks about 5 KB of native
        memory per parameterised statement string, so a long-lived worker would grow without bound."""
        self._served = 0
        # absolute: the worker runs in this folder, so a relative store path would point elsewhere
        self.root = Path(store.path).resolve() / ".cypher-snapshots"
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._signature: tuple[Any, ...] | None = None
        self._snapshot: Path | None = None
        self._opened: Path | None = None
        self._taken_at = 0.0
        self._generation = 0
        self.restarts = 0
        """Workers started after the first (crashes, timeouts, memory): for tests and benches."""
        self._started = 0

    # --- public ---------------------------------------------------------------------------------

    def run(
        self, query: str, params: Mapping[str, Any], *, limit: int, timeout_s: float
    ) -> list[dict[str, Any]]:
        """Rows of one read-only statement; QueryError for a statement the worker could not finish."""
        check_read_only(query)
        with self._lock:
            if self._served >= self.recycle_after:
                self._stop()
            db_file = self._fresh_snapshot()
            self._ensure_open(db_file)
            self._served += 1
            reply = self._ask(
                {
                    "op": "query",
                    "query": query,
                    "params": _encode(dict(params)),
                    "limit": limit,
                    "timeout_ms": max(1, int(timeout_s * 1000)),
                    "max_bytes": self.max_result_bytes,
                },
                timeout_s + _GRACE_S,
                what=f"the statement ran past the {timeout_s:g} s limit (parsing included)",
            )
        if not reply.get("ok"):
            kind, message = reply.get("kind", "query"), str(reply.get("message", ""))
            if kind == "timeout":
                raise QueryError(f"the statement ran past the {timeout_s:g} s limit and was interrupted")
            raise QueryError(message)
        rows: list[dict[str, Any]] = reply["rows"]
        return rows

    def close(self) -> None:
        """Stop the worker and delete the snapshots."""
        with self._lock:
            self._stop()
            shutil.rmtree(self.root, ignore_errors=True)
            self._snapshot = self._opened = self._signature = None

    @property
    def worker_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # --- snapshot -------------------------------------------------------------------------------

    def _fresh_snapshot(self) -> Path:
        now = time.monotonic()
        if self._snapshot is not None and (
            now - self._taken_at < self.min_interval_s or self.store.files_signature() == self._signature
        ):
            return self._snapshot
        self._generation += 1
        directory = self.root / str(self._generation)
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        try:
            self._signature, db_file = self.store.snapshot_to(directory)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        self._snapshot, self._taken_at = db_file, time.monotonic()
        return db_file

    def _ensure_open(self, db_file: Path) -> None:
        if self._proc is None or self._proc.poll() is not None:
            self._start()
        if self._opened == db_file:
            return
        size = sum(f.stat().st_size for f in db_file.parent.iterdir() if f.is_file())
        max_db_size = _pow2_at_least(max(4 * size, 1 << 30))
        reply = self._ask(
            {"op": "open", "db": str(db_file), "max_db_size": max_db_size},
            _OPEN_TIMEOUT_S,
            what="opening the store snapshot took too long",
        )
        if not reply.get("ok"):
            raise StoreError(f"the query worker could not open the store snapshot: {reply.get('message')}")
        old, self._opened = self._opened, db_file
        if old is not None and old.parent != db_file.parent:
            shutil.rmtree(old.parent, ignore_errors=True)

    # --- worker ---------------------------------------------------------------------------------

    def _start(self) -> None:
        self._stop()
        if self._started:
            self.restarts += 1
        self._started += 1
        self._opened = None
        self._buffer = b""
        self._served = 0
        self.root.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPHMEM_", "NEO4J"))}
        self._proc = subprocess.Popen(
            [sys.executable, "-I", str(WORKER), str(self.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=str(self.root),
            env=env,
            start_new_session=True,
        )

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        self._opened = None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def _ask(self, request: dict[str, Any], timeout_s: float, *, what: str) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._crashed(proc)
        deadline = time.monotonic() + timeout_s
        fd = proc.stdout.fileno()
        cap = self.max_result_bytes * 2 + (1 << 20)
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self._stop()
                raise QueryError(f"{what}; it was stopped and the query worker restarted")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self._crashed(proc)
            self._buffer += chunk
            if len(self._buffer) > cap:
                self._stop()
                raise QueryError(f"the result is larger than {self.max_result_bytes} bytes")
        line, _, self._buffer = self._buffer.partition(b"\n")
        reply: dict[str, Any] = json.loads(line)
        if not reply.get("ok") and reply.get("kind") == "memory":
            self._stop()  # the worker exits after a memory error; reap it now
        return reply

    def _crashed(self, proc: subprocess.Popen[bytes]) -> None:
        code = proc.wait(timeout=10) if proc.poll() is None else proc.returncode
        self._stop()
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        raise QueryError(
            f"the statement crashed the query worker ({how}); it has been restarted for the "
            "next statement and nothing else was affected"
        )
