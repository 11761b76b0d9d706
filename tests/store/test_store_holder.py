"""A second process opening a store another process holds gets a clear error naming the holder (pid,
command), at once, and the store is untouched and usable once the holder has gone."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphmem.errors import StoreUnavailable
from graphmem.store.holder import HOLDER_FILE
from graphmem.store.kuzu import KuzuStore

HOLD = (
    "import sys\nfrom graphmem.store.kuzu import KuzuStore\n"
    "s = KuzuStore(sys.argv[1])\ns.open(dimension=8)\nprint('ready', flush=True)\nsys.stdin.read()\n"
    "s.close()\n"
)


def test_second_process_is_told_who_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "held"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "--marker-arg"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as refused:
            KuzuStore(path).open(dimension=8)
        assert time.monotonic() - started < 10  # refused at once, no hang
        message = str(refused.value)
        assert f"pid {holder.pid}" in message and "--marker-arg" in message, message
        assert "open in another process" in message and str(path) in message
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    assert not (path / HOLDER_FILE).exists()  # a clean close removes the note
    store = KuzuStore(path)
    store.open(dimension=8)
    try:
        assert store.counts(None)["entities"] == 0
    finally:
        store.close()


def test_a_killed_holder_leaves_a_stale_note_that_blocks_nobody(tmp_path: Path) -> None:
    path = tmp_path / "killed"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    holder.kill()
    holder.wait(timeout=60)
    assert (path / HOLDER_FILE).exists()
    store = KuzuStore(path)
    store.open(dimension=8)
    store.close()
