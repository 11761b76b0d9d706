"""``graphmem bench agent``: an agent in a small text world, remembered through the public API only.

The world (written for this project, seeded and deterministic) has rooms and objects. The agent runs
tasks ("bring the key to the garden"), one session each: it observes where things are, acts, sees the
result, and the task succeeds or fails. Objects move between rooms as it acts, so the memory must
follow them (AriGraph's point: the location of an object is a fact that changes). After a task the
agent writes a lesson (an insight derived from the session). Then the memory is asked three things:

* **location**: "Where is the key?" -> the object's current room, not a room it used to be in;
* **similar session**: a new goal phrased differently -> the past session with the same goal, with
  its outcome (G-Memory's query tier);
* **insight**: searching the new goal reaches the lesson derived from that past session (retrieval
  moves up one hop from matched sessions, episodes and facts to their insights).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from graphmem.memory import Memory

__all__ = ["OBJECTS", "ROOMS", "World", "main", "run"]

ROOMS = ("kitchen", "garden", "hall", "bedroom", "cellar", "attic")
OBJECTS = ("key", "lamp", "book", "coin", "apple", "rope")
NAMESPACE = "agent-world"


@dataclass
class Task:
    session: str
    obj: str
    target: str
    success: bool
    steps: list[tuple[str, str]] = field(default_factory=list)  # (role, text)
    lesson: str = ""


@dataclass
class World:
    """Where each object is; tasks move them and record what the agent saw and did."""

    seed: int = 0
    where: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        self.where = {obj: rng.choice(ROOMS) for obj in OBJECTS}

    def task(self, number: int, rng: random.Random) -> Task:
        obj = OBJECTS[number % len(OBJECTS)]
        start = self.where[obj]
        target = rng.choice([r for r in ROOMS if r != start])
        success = rng.random() > 0.3
        task = Task(session=f"task-{number:02d}", obj=obj, target=target, success=success)
        task.steps.append(("environment", f"The {obj} is in the {start}."))
        task.steps.append(("agent", f"I take the {obj}."))
        if success:
            end = target
            task.lesson = f"To bring the {obj} to the {target}, fetch it from the {start} first."
        else:  # the agent drops it on the way: the object still moves
            end = rng.choice([r for r in ROOMS if r not in (start, target)])
            task.lesson = f"Carrying the {obj} to the {target} failed: it was dropped in the {end}."
        task.steps.append(("agent", f"I put the {obj} in the {end}."))
        task.steps.append(("environment", f"The {obj} is in the {end}."))
        self.where[obj] = end
        return task


def _paraphrase(task: Task) -> str:
    return f"Carry the {task.obj} over to the {task.target}"


def run(
    *, memory_factory: Callable[[], Memory] | None = None, tasks: int = 12, seed: int = 0
) -> dict[str, Any]:
    """Play ``tasks`` tasks into a fresh memory, then score location, similar-session and insight recall."""
    rng = random.Random(seed)
    world = World(seed)
    played: list[Task] = []
    started = time.perf_counter()
    tmp = None
    if memory_factory is None:
        tmp = tempfile.TemporaryDirectory(prefix="graphmem-agent-")
        path = Path(tmp.name)

        def memory_factory() -> Memory:
            return Memory(path=path)

    mem = memory_factory()
    try:
        clock = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
        lessons: dict[str, str] = {}
        for number in range(tasks):
            task = world.task(number, rng)
            played.append(task)
            goal = f"Bring the {task.obj} to the {task.target}"
            mem.start_session(task.session, namespace=NAMESPACE, goal=goal, started_at=clock)
            items = []
            for step, (role, text) in enumerate(task.steps):
                items.append(
                    {
                        "content": text,
                        "role": role,
                        "session": task.session,
                        "speaker": "agent" if role == "agent" else None,
                        "timestamp": (clock + timedelta(minutes=step)).isoformat(),
                        "id": f"{task.session}:{step}",
                    }
                )
            mem.add_many(
                [{k: v for k, v in item.items() if v is not None} for item in items], namespace=NAMESPACE
            )
            mem.end_session(
                task.session,
                namespace=NAMESPACE,
                outcome="success" if task.success else "failure",
                score=1.0 if task.success else 0.0,
            )
            lessons[task.session] = mem.add_insight(
                task.lesson, namespace=NAMESPACE, derived_from=[task.session], kind="lesson"
            ).id
            clock += timedelta(days=1)
        ingest_s = time.perf_counter() - started

        location = _score_locations(mem, world)
        query_tier = _score_sessions(mem, played, lessons)
        return {
            "tasks": tasks,
            "objects": len(OBJECTS),
            "ingest_s": round(ingest_s, 2),
            "location": location,
            "similar_session": query_tier["similar_session"],
            "insight": query_tier["insight"],
            "failures": location["failures"] + query_tier["failures"],
        }
    finally:
        mem.close()
        if tmp is not None:
            tmp.cleanup()


def _score_locations(mem: Memory, world: World) -> dict[str, Any]:
    facts_ok = search_ok = 0
    failures: list[dict[str, Any]] = []
    for obj, room in world.where.items():
        current = {f.object for f in mem.facts(namespace=NAMESPACE, subject=obj, predicate="located_at")}
        facts_ok += current == {room}
        hits = [
            f
            for f in mem.search(f"Where is the {obj}?", namespace=NAMESPACE, k=5).facts
            if f.predicate == "located_at" and f.subject.lower() == obj
        ]
        got = hits[0].object if hits else None
        search_ok += got == room
        if got != room or current != {room}:
            failures.append(
                {
                    "kind": "location",
                    "object": obj,
                    "expected": room,
                    "search": got,
                    "current_view": sorted(current),
                }
            )
    n = len(world.where)
    return {
        "correct": search_ok,
        "total": n,
        "accuracy": round(search_ok / n, 4),
        "current_view_accuracy": round(facts_ok / n, 4),
        "failures": failures,
    }


def _score_sessions(mem: Memory, played: list[Task], lessons: dict[str, str]) -> dict[str, Any]:
    """A new goal phrased differently must find a past session with the same goal (the most recent run
    of it when there were several), report that session's real outcome, and reach its lesson."""
    session_ok = insight_ok = 0
    failures: list[dict[str, Any]] = []
    latest = {(t.obj, t.target): t for t in played}
    for task in latest.values():
        goal = _paraphrase(task)
        similar = mem.similar_sessions(goal, namespace=NAMESPACE, k=1)
        found = similar[0] if similar else None
        outcome = "success" if task.success else "failure"
        ok = found is not None and found.id == task.session and found.outcome == outcome
        session_ok += ok
        insight_ids = {i.id for i in mem.search(goal, namespace=NAMESPACE, k=10).insights}
        reached = lessons[task.session] in insight_ids
        insight_ok += reached
        if not ok or not reached:
            failures.append(
                {
                    "kind": "session",
                    "goal": goal,
                    "expected": task.session,
                    "expected_outcome": outcome,
                    "got": found.id if found else None,
                    "got_outcome": found.outcome if found else None,
                    "insight_found": reached,
                }
            )
    n = len(latest)
    return {
        "similar_session": {"correct": session_ok, "total": n, "accuracy": round(session_ok / n, 4)},
        "insight": {"correct": insight_ok, "total": n, "accuracy": round(insight_ok / n, 4)},
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m graphmem.bench.agent", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--tasks", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(tasks=args.tasks, seed=args.seed)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key in ("location", "similar_session", "insight"):
            part = report[key]
            print(f"{key:16} {part['correct']}/{part['total']}  accuracy {part['accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
