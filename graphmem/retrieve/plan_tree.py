"""EXPLAIN as text: the tree ``graphmem explain`` prints, and what ``str(plan)`` returns.

A plan is a pydantic model; its default ``repr`` is one long line. This renders the query analysis, each
choice with the reason for it and the executed steps as an indented tree (rich), so a plan reads the same
in a terminal, in ``print(mem.explain(...))`` and in a notebook.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape as _escape
from rich.tree import Tree

if TYPE_CHECKING:
    from graphmem.retrieve.plan import Plan

__all__ = ["plan_text", "plan_tree"]


def plan_tree(plan: Plan) -> Tree:
    """EXPLAIN as a tree: the query analysis, each choice with the reason for it, executed steps."""
    tree = Tree(f"[bold]Plan[/] for {_escape(repr(plan.query))} [dim](namespace {plan.namespace})[/]")
    analysis = plan.analysis
    node = tree.add("[bold]Analysis[/]")
    mentions = ", ".join(f"{m.text} [{m.kind}]" for m in analysis.mentions) or "-"
    node.add(_escape(f"mentions: {mentions}"))
    relations = ", ".join(f"{c.word} -> {'/'.join(c.predicates[:3])}" for c in analysis.relations) or "-"
    node.add(_escape(f"relations: {relations}"))
    for name in ("answer_type", "hops", "temporal"):
        branch = node.add(_escape(f"{name}: {getattr(analysis, name)}"))
        if analysis.reasons.get(name):
            branch.add(f"[dim]because {_escape(analysis.reasons[name])}[/]")
    choices = tree.add("[bold]Choices[/]")
    statuses = ", ".join(s.value for s in plan.statuses) if plan.statuses else "any"
    as_of = f" {plan.as_of.isoformat()}" if plan.as_of else ""
    time_text = f"{plan.time_mode}{as_of}; statuses {statuses}"
    rows = [
        ("depth", str(plan.depth)),
        ("beam_width", str(plan.beam_width)),
        ("direction", plan.direction),
        ("meet_in_middle", "yes" if plan.meet_in_middle else "no"),
        ("time", time_text),
        ("budgets", ", ".join(f"{k}={v}" for k, v in plan.budgets.items())),
        ("fact_weights", ", ".join(f"{k}={v:g}" for k, v in plan.fact_weights.items() if v)),
        ("episode_weights", ", ".join(f"{k}={v:g}" for k, v in plan.episode_weights.items() if v)),
        ("episode_context", f"{plan.episode_context:g}"),
    ]
    if plan.widened:
        rows.append(("widened", "yes"))
    for name, value in rows:
        branch = choices.add(_escape(f"{name}: {value}"))
        if plan.reasons.get(name):
            branch.add(f"[dim]because {_escape(plan.reasons[name])}[/]")
    if plan.steps:
        steps = tree.add("[bold]Execution[/]")
        for step in plan.steps:
            count = f" {step.count}" if step.count is not None else ""
            ms = f" {step.ms:.1f} ms" if step.ms is not None else ""
            steps.add(_escape(f"{step.name}:{count}{ms} {step.detail}".rstrip()))
    return tree


def plan_text(plan: Plan, *, width: int = 110) -> str:
    """The tree of :func:`plan_tree` as plain text (no colours or markup), for ``print(plan)``."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, soft_wrap=False).print(plan_tree(plan))
    return out.getvalue()
