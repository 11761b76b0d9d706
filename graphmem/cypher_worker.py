"""The process that runs user-supplied Cypher: a read-only open of a snapshot of the store, under limits.

Run by :mod:`graphmem.cypher_sandbox` as ``python -I cypher_worker.py MEMORY_MB``; it imports nothing
of graphmem (so nothing of the host's state, models or keys is in reach) and only Kuzu of the rest.
Why a process: a statement can crash Kuzu (a null where a list is expected segfaults it), grow
without bound (``collect(range(1, 30000000))``) or stall in the parser (a 20,000-deep expression);
in here that kills or starves this process only, and the host restarts it.

Limits set here, before Kuzu is imported:
- address space (``RLIMIT_AS``): Kuzu's mapped store plus ``MEMORY_MB`` of heap, so a runaway result
  fails with an allocation error instead of swapping the machine;
- file size 0 (``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored): no statement can write a file, even if
  one slipped past the lexical guard (``COPY .. TO`` gets an I/O error);
- the database is opened ``read_only``, so Kuzu itself refuses every write, DDL and transaction.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout.
- ``{"op": "open", "db": path, "max_db_size": n}`` -> ``{"ok": true}``
- ``{"op": "query", "query": q, "params": {..}, "limit": n, "timeout_ms": n, "max_bytes": n}``
  -> ``{"ok": true, "rows": [..], "truncated": bool}`` or ``{"ok": false, "kind": k, "message": m}``.
Values leave as plain JSON (datetimes as ISO text, non-finite floats as null, embeddings dropped).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import os
import resource
import signal
import sys
from decimal import Decimal
from typing import Any
from uuid import UUID

_MB = 1 << 20


def _limit_memory(total_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (total_bytes, total_bytes))


def _decode(value: Any) -> Any:
    """Tagged parameter values (``{"$t": "datetime", "v": iso}``) back to Python."""
    if isinstance(value, dict):
        tag = value.get("$t")
        if tag == "datetime":
            return dt.datetime.fromisoformat(value["v"])
        if tag == "date":
            return dt.date.fromisoformat(value["v"])
        if tag == "timedelta":
            return dt.timedelta(seconds=value["v"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """Kuzu values as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k != "embedding"}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


class Worker:
    def __init__(self, kuzu: Any) -> None:
        self.kuzu = kuzu
        self.db: Any = None
        self.conn: Any = None
        self.path = ""

    def open(self, path: str, max_db_size: int) -> dict[str, Any]:
        if self.conn is not None:
            self.conn.close()
            self.db.close()
            self.conn = self.db = None
        self.db = self.kuzu.Database(
            path, read_only=True, buffer_pool_size=128 * _MB, max_db_size=max_db_size
        )
        self.conn = self.kuzu.Connection(self.db)
        self.path = path
        return {"ok": True}

    def query(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.conn is None:
            return {"ok": False, "kind": "internal", "message": "no snapshot is open"}
        limit, max_bytes = int(request["limit"]), int(request["max_bytes"])
        self.conn.set_query_timeout(int(request["timeout_ms"]))
        result = self.conn.execute(request["query"], _decode(request.get("params") or {}))
        if isinstance(result, list):  # more than one statement: the guard should have refused it
            return {"ok": False, "kind": "query", "message": "one statement at a time"}
        names = result.get_column_names()
        rows: list[dict[str, Any]] = []
        size = 0
        while result.has_next() and len(rows) < limit:
            row = {name: _plain(v) for name, v in zip(names, result.get_next(), strict=True)}
            size += len(json.dumps(row, allow_nan=False))
            if size > max_bytes:
                return {
                    "ok": False,
                    "kind": "too_large",
                    "message": f"the result is larger than {max_bytes} bytes; return fewer or "
                    "smaller rows (aggregate, LIMIT, or pick properties)",
                }
            rows.append(row)
        truncated = result.has_next()
        result.close()
        return {"ok": True, "rows": rows, "truncated": truncated}


def _reply(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, allow_nan=False) + "\n")
    sys.stdout.flush()


def main() -> None:
    memory_mb = int(sys.argv[1])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    import kuzu  # after the file limit; before the memory limit (its libraries map a lot)

    worker = Worker(kuzu)
    limited = False
    for line in sys.stdin:
        try:
            request = json.loads(line)
            if request["op"] == "open":
                max_db_size = int(request["max_db_size"])
                if not limited:  # the store's mapping + the heap budget + what is mapped already
                    with open("/proc/self/status", encoding="ascii") as status:
                        vm = next(int(r.split()[1]) * 1024 for r in status if r.startswith("VmSize:"))
                    _limit_memory(vm + max_db_size + memory_mb * _MB)
                    limited = True
                _reply(worker.open(request["db"], max_db_size))
            else:
                _reply(worker.query(request))
        except MemoryError:
            _reply(
                {
                    "ok": False,
                    "kind": "memory",
                    "message": f"the statement needed more than the "
                    f"query worker's memory limit ({memory_mb} MB)",
                }
            )
            os._exit(3)  # the heap may be in pieces: start afresh
        except RuntimeError as exc:
            text = str(exc)
            if "bad_alloc" in text or "Buffer manager exception" in text:
                _reply(
                    {
                        "ok": False,
                        "kind": "memory",
                        "message": f"the statement needed more than the "
                        f"query worker's memory limit ({memory_mb} MB)",
                    }
                )
                os._exit(3)
            kind = "timeout" if "interrupt" in text.lower() or "timeout" in text.lower() else "query"
            _reply({"ok": False, "kind": kind, "message": text})
        except (ValueError, TypeError, KeyError) as exc:
            _reply({"ok": False, "kind": "query", "message": f"invalid query parameters: {exc}"})


if __name__ == "__main__":
    main()
