"""The plan: each choice follows the analysis and carries its reason; rendering is readable."""

from __future__ import annotations

from datetime import UTC, datetime

from graphmem.model import FactStatus
from graphmem.retrieve.analysis import QueryAnalysis, QueryMention, RelationCue
from graphmem.retrieve.plan import PlannerConfig, PlanStep, make_plan


def analysis(**fields: object) -> QueryAnalysis:
    base: dict[str, object] = {"query": "q", "reasons": {"hops": "h", "temporal": "t"}}
    base.update(fields)
    return QueryAnalysis(**base)  # type: ignore[arg-type]


MARIA = QueryMention(text="Maria", key="maria", kind="name")
TOM = QueryMention(text="Tom", key="tom", kind="name")
LIVES = RelationCue(word="live", predicates=["lives_in"])


def test_depth_follows_hops_and_two_names_meet_in_the_middle() -> None:
    one = make_plan(
        analysis(hops=1, mentions=[MARIA], relations=[LIVES], predicates=["lives_in"]), namespace="n"
    )
    assert one.depth == 1 and not one.meet_in_middle
    two_names = make_plan(analysis(hops=1, mentions=[MARIA, TOM]), namespace="n")
    assert two_names.meet_in_middle and two_names.depth == 2
    assert "Maria, Tom" in two_names.reasons["meet_in_middle"]
    deep = make_plan(analysis(hops=3, mentions=[MARIA], predicates=["lives_in"]), namespace="n")
    assert deep.depth == 3 and deep.beam_width < PlannerConfig().beam_width


def test_time_filter_choice() -> None:
    when = datetime(2023, 6, 1, tzinfo=UTC)
    current = make_plan(analysis(), namespace="n")
    assert current.time_mode == "current" and current.statuses == [FactStatus.active, FactStatus.disputed]
    from_query = make_plan(analysis(temporal="as_of", as_of=when), namespace="n")
    assert from_query.time_mode == "as_of" and from_query.as_of == when
    assert FactStatus.superseded in (from_query.statuses or [])
    caller = make_plan(
        analysis(temporal="as_of", as_of=when), namespace="n", as_of=datetime(2020, 1, 1, tzinfo=UTC)
    )
    assert caller.as_of == datetime(2020, 1, 1, tzinfo=UTC)  # the caller's as_of wins over the question's
    assert "caller" in caller.reasons["time"]
    historical = make_plan(analysis(temporal="historical"), namespace="n")
    assert historical.time_mode == "historical" and historical.as_of is None


def test_widening_goes_deeper_with_bigger_budgets() -> None:
    a = analysis(hops=1, mentions=[MARIA], predicates=["lives_in"])
    normal = make_plan(a, namespace="n")
    wide = make_plan(a, namespace="n", widen=True)
    assert wide.widened and wide.depth == normal.depth + 1
    assert wide.budgets["episode_k"] == 2 * normal.budgets["episode_k"]
    assert "widened" in wide.reasons


def test_multi_hop_shifts_weight_to_paths() -> None:
    one = make_plan(analysis(hops=1, predicates=["lives_in"]), namespace="n")
    two = make_plan(analysis(hops=2, predicates=["sister", "lives_in"]), namespace="n")
    assert two.fact_weights["path"] > one.fact_weights["path"]
    assert abs(sum(two.fact_weights.values()) - sum(one.fact_weights.values())) < 1e-9
    no_relation = make_plan(analysis(hops=1), namespace="n")
    assert no_relation.fact_weights["relation"] == 0.0


def test_render_lists_every_choice_with_its_reason_and_steps() -> None:
    plan = make_plan(analysis(hops=2, mentions=[MARIA], predicates=["sister", "lives_in"]), namespace="fam")
    plan.steps.append(PlanStep(name="seeds", count=3, ms=1.5, detail="3 seeds"))
    text = plan.render()
    for word in (
        "depth",
        "beam_width",
        "direction",
        "meet_in_middle",
        "time",
        "budgets",
        "Execution",
        "seeds",
    ):
        assert word in text
    assert text.count("because") >= 6
    assert plan.model_dump(mode="json")["depth"] == 2


def test_str_is_the_tree_the_cli_prints() -> None:
    import io

    from rich.console import Console

    from graphmem.retrieve.plan_tree import plan_tree

    plan = make_plan(analysis(hops=2, mentions=[MARIA], predicates=["sister", "lives_in"]), namespace="fam")
    text = str(plan)
    assert text == plan.render() and "\n" in text.strip()
    assert text.splitlines()[0].startswith("Plan for ") and "namespace fam" in text.splitlines()[0]
    assert "[bold]" not in text and "\x1b[" not in text  # plain text: no markup, no colour codes
    out = io.StringIO()
    Console(file=out, width=110, color_system=None).print(plan_tree(plan))
    assert out.getvalue() == text
