"""The agent text world (issue: hierarchical memory for agents), through the public API only."""

from __future__ import annotations

from pathlib import Path

from graphmem import Memory
from graphmem.bench import agent


def test_agent_remembers_where_things_are_similar_tasks_and_lessons(tmp_path: Path) -> None:
    report = agent.run(memory_factory=lambda: Memory(path=tmp_path / "world"), tasks=8, seed=0)
    assert report["location"]["accuracy"] == 1.0, report["failures"]
    assert report["location"]["current_view_accuracy"] == 1.0, report["failures"]
    assert report["similar_session"]["accuracy"] == 1.0, report["failures"]
    assert report["insight"]["accuracy"] == 1.0, report["failures"]


def test_world_moves_objects_deterministically() -> None:
    import random

    world = agent.World(seed=3)
    before = dict(world.where)
    task = world.task(0, random.Random(3))
    assert world.where[task.obj] != before[task.obj]  # the task moved it
    assert task.steps[-1] == ("environment", f"The {task.obj} is in the {world.where[task.obj]}.")
    assert agent.World(seed=3).where == before
