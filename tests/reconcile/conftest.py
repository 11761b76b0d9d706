"""Fixtures of the pure reconsolidation tests: no store, no model."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from reconcile_support import FactMaker, apply_updates, make_fact

from graphmem.predicates import PredicateRegistry


@pytest.fixture
def registry() -> PredicateRegistry:
    return PredicateRegistry()


@pytest.fixture(name="make_fact")
def make_fact_fixture() -> FactMaker:
    return make_fact


@pytest.fixture
def apply() -> Callable[..., None]:
    return apply_updates
