"""Crash test: a writer killed with SIGKILL in the middle of a batch loses nothing it acknowledged and
leaves nothing half-written.

``crash_writer.py`` writes numbered batches in a loop and prints ``begin n`` / ``committed n secs``.
The test lets a few batches commit, waits for the next ``begin``, sleeps a random fraction of a
typical write, and kills the process. It then reopens the store and checks, per batch: every node
and edge count is either 0 or exactly the batch's full shape, every acknowledged batch is full, and
the derived search indexes (rebuilt from the store on open) hold exactly the surviving nodes. Three
kills run against the same directory, so recovery after recovery is covered too.
"""

from __future__ import annotations

import importlib.util
import os
import queue
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import IO

import pytest

from graphmem.store.kuzu import KuzuStore
from graphmem.store.shared import CypherStore

WRITER = Path(__file__).with_name("crash_writer.py")
EPISODES, FACTS_PER_EPISODE = 80, 5
KILLS = 3
LINE_TIMEOUT_S = 60.0


def _writer_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_writer", WRITER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


writer = _writer_module()
SHAPE: dict[str, int] = writer.batch_shape(EPISODES, FACTS_PER_EPISODE)
_BATCH = re.compile(r"^b(\d+)(?:-|$)")


class Lines:
    """Lines of a child's stdout, read on a thread so waiting for one can time out."""

    def __init__(self, stream: IO[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.strip())
        self._queue.put(None)

    def next(self, timeout: float = LINE_TIMEOUT_S) -> str | None:
        return self._queue.get(timeout=timeout)

    def rest(self) -> list[str]:
        """Everything left once the child is dead (the pipe keeps what it wrote before the kill)."""
        self._thread.join(timeout=10)
        out = []
        while not self._queue.empty():
            line = self._queue.get_nowait()
            if line is not None:
                out.append(line)
        return out


def _run_and_kill(path: Path, first: int, rng: random.Random) -> tuple[set[int], int | None]:
    """Start a writer at batch ``first``, kill it inside a batch; return (acknowledged, interrupted)."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(first), str(EPISODES), str(FACTS_PER_EPISODE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    lines = Lines(proc.stdout)
    acknowledged: set[int] = set()
    durations: list[float] = []
    try:
        while len(acknowledged) < 2:  # let a couple of batches commit and learn how long a write takes
            line = lines.next()
            assert line is not None, f"writer exited early: {proc.stderr.read() if proc.stderr else ''}"
            if line.startswith("committed"):
                _, n, secs = line.split()
                acknowledged.add(int(n))
                durations.append(float(secs))
        while not (line := lines.next() or "").startswith("begin"):
            assert line, "writer stopped before the next batch"
            if line.startswith("committed"):
                acknowledged.add(int(line.split()[1]))
        time.sleep(rng.uniform(0.05, 0.8) * statistics.median(durations))
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    begun = None
    for seen in [line, *lines.rest()]:
        word, n = seen.split()[:2]
        if word == "begin":
            begun = int(n)
        elif word == "committed":
            acknowledged.add(int(n))
    interrupted = begun if begun is not None and begun not in acknowledged else None
    return acknowledged, interrupted


def _per_batch(store: KuzuStore) -> dict[int, Counter[str]]:
    """Counts of every label and edge type per batch number, read straight from the database."""
    queries = {
        "Session": "MATCH (n:Session) WHERE n.namespace = $ns RETURN n.id AS id",
        "Episode": "MATCH (n:Episode) WHERE n.namespace = $ns RETURN n.id AS id",
        "Entity": "MATCH (n:Entity) WHERE n.namespace = $ns RETURN n.id AS id",
        "Fact": "MATCH (n:Fact) WHERE n.namespace = $ns RETURN n.id AS id",
        "EVIDENCED_BY": "MATCH (f:Fact)-[:EVIDENCED_BY]->() WHERE f.namespace = $ns RETURN f.id AS id",
        "RELATES": "MATCH (:Entity)-[r:RELATES]->(:Entity) WHERE r.namespace = $ns RETURN r.fact_id AS id",
        "NEXT": "MATCH (a:Episode)-[:NEXT]->(:Episode) WHERE a.namespace = $ns RETURN a.id AS id",
    }
    out: dict[int, Counter[str]] = {}
    for label, query in queries.items():
        for row in store.cypher(query, {"ns": writer.NAMESPACE}, limit=10_000):
            match = _BATCH.match(row["id"])
            assert match, row
            out.setdefault(int(match.group(1)), Counter())[label] += 1
    return out


@pytest.mark.slow
def test_sigkill_mid_batch_loses_nothing_acknowledged_and_leaves_no_partial_batch(tmp_path: Path) -> None:
    path = tmp_path / "crash-store"
    rng = random.Random(20240101)
    acknowledged: set[int] = set()
    interrupted: list[int] = []
    for run in range(KILLS):
        acked, cut = _run_and_kill(path, first=run * 1000, rng=rng)
        acknowledged |= acked
        if cut is not None:
            interrupted.append(cut)

        store = KuzuStore(path, buffer_pool_mb=128)
        store.open(dimension=writer.DIMENSION)
        try:
            batches = _per_batch(store)
            for n, counts in batches.items():
                assert dict(counts) == SHAPE, f"batch {n} is partial after a kill: {dict(counts)}"
            missing = acknowledged - set(batches)
            assert not missing, f"acknowledged batches lost: {sorted(missing)}"
            assert set(batches) - acknowledged <= set(interrupted), "a batch appeared that was never written"
            # the derived indexes rebuilt on open agree with the store: exactly the surviving nodes
            episodes = {f"b{n}-e{i}" for n in batches for i in range(EPISODES)}
            hits = store.vector_search("Episode", writer.NAMESPACE, [1.0] * writer.DIMENSION, 10_000)
            assert {h.id for h in hits} == episodes
            text_hits = store.text_search("Episode", writer.NAMESPACE, "says", 10_000)
            assert {h.id for h in text_hits} == episodes
            # the graph index loaded on open holds exactly the surviving records and edges: every
            # hub's neighbourhood and every evidence link read from it equals the same read in Cypher
            hubs = [f"b{n}-hub" for n in sorted(batches)]
            from_index = store.neighborhood(writer.NAMESPACE, hubs, degree_cap=10_000)
            from_store = CypherStore.neighborhood(store, writer.NAMESPACE, hubs, degree_cap=10_000)
            assert from_index == from_store
            assert set(store.episode_facts(writer.NAMESPACE, sorted(episodes))) == episodes
            assert len(from_index.facts) == len(batches) * SHAPE["Fact"]
            # the store is usable after recovery
            assert store.counts(writer.NAMESPACE)["facts"] == len(batches) * SHAPE["Fact"]
        finally:
            store.close()
    # the kills were aimed inside a write; most of them must have landed there
    assert len(interrupted) >= 2, f"only {len(interrupted)} of {KILLS} kills landed inside a batch"
