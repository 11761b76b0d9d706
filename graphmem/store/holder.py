"""Who holds a store directory: a small ``holder.json`` so a refused second opener can name the holder.

Kuzu lets one process open a database directory for writing and refuses the others with a bare
"Could not set lock on file". That tells a user nothing about *which* process to stop (a forgotten
``graphmem serve``, a notebook kernel, a bench run). The process that opens the store records its pid,
host, command line and start time here; a refused opener reads it back into its error. The file is
advisory only: the lock itself stays Kuzu's, so a stale file (a killed holder) can never block anyone.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["HOLDER_FILE", "describe_holder", "record_holder", "release_holder"]

HOLDER_FILE = "holder.json"


def record_holder(directory: Path) -> None:
    """Say that this process holds ``directory`` (best effort: a read-only disk must not stop an open)."""
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join(sys.argv)[:500],
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    tmp = directory / f".{HOLDER_FILE}.{os.getpid()}"
    with contextlib.suppress(OSError):
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, directory / HOLDER_FILE)


def release_holder(directory: Path) -> None:
    """Remove the holder file if this process wrote it."""
    path = directory / HOLDER_FILE
    with contextlib.suppress(OSError, ValueError, TypeError):
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()


def describe_holder(directory: Path) -> str:
    """``"process 123 (graphmem serve) on host h since 2026-...``" or a neutral phrase if unknown."""
    try:
        info = json.loads((directory / HOLDER_FILE).read_text(encoding="utf-8"))
        pid, host = int(info["pid"]), str(info.get("host", "?"))
        command, since = str(info.get("command", "?")), str(info.get("since", "?"))
    except (OSError, ValueError, TypeError, KeyError):
        return "another process"
    return f"another process: pid {pid} ({command!r}) on host {host} since {since}"
