"""Pareto frontiers and solutions against brute force on random small spaces."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.agreements import build_space, issue_frontier, nondominated
from zopa.agreements.solutions import choose
from zopa.scenario import Actor, Issue, Scenario, Stance


def brute_nondominated(points):
    n = len(points)
    keep = np.ones(n, dtype=bool)
    for k in range(n):
        ge = (points >= points[k]).all(axis=1)
        gt = (points > points[k]).any(axis=1)
        keep[k] = not (ge & gt).any()
    return keep


@st.composite
def point_sets(draw):
    k = draw(st.integers(1, 5))
    n = draw(st.integers(1, 60))
    # few distinct values so that ties and duplicates are common
    values = draw(st.lists(st.integers(0, 4), min_size=n * k, max_size=n * k))
    return np.array(values, dtype=float).reshape(n, k)


@given(point_sets())
@settings(max_examples=300, deadline=None)
def test_nondominated_equals_brute_force(points):
    np.testing.assert_array_equal(nondominated(points), brute_nondominated(points))


@st.composite
def small_scenarios(draw):
    n_a = draw(st.integers(1, 4))
    n_i = draw(st.integers(1, 4))
    grid = draw(st.integers(2, 5))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    actors = tuple(
        Actor(f"a{k}", f"a{k}", float(rng.uniform(0.5, 2)), veto=True) for k in range(n_a)
    )
    issues = tuple(
        Issue(f"i{k}", f"i{k}", status_quo=float(rng.choice([0.0, 50.0, 100.0])))
        for k in range(n_i)
    )
    stances = []
    for a in range(n_a):
        for i in range(n_i):
            if rng.random() < 0.85:
                pos = float(rng.choice([0.0, 25.0, 50.0, 75.0, 100.0, rng.uniform(0, 100)]))
                stances.append(Stance(f"a{a}", f"i{i}", pos, float(rng.uniform(0.05, 1.0))))
    return Scenario("random", actors, issues, tuple(stances)), grid


@given(small_scenarios(), st.sampled_from(["linear", "quadratic"]))
@settings(max_examples=150, deadline=None)
def test_issue_frontier_equals_brute_force(case, loss):
    scen, grid = case
    space = build_space(scen.arrays(), grid=grid, loss=loss)
    every = np.array(list(itertools.product(*(range(n) for n in space.n_levels))))
    u = space.utilities(every)
    actors = np.arange(space.n_actors)
    expected = {tuple(p) for p in every[brute_nondominated(u)]}
    packages, utilities = issue_frontier(space, actors)
    assert {tuple(p) for p in packages} == expected
    np.testing.assert_array_equal(utilities, space.utilities(packages))


@given(small_scenarios())
@settings(max_examples=80, deadline=None)
def test_solutions_on_the_frontier_equal_solutions_on_every_package(case):
    scen, grid = case
    space = build_space(scen.arrays(), grid=grid)
    every = np.array(list(itertools.product(*(range(n) for n in space.n_levels))))
    feasible = every[space.feasible(every)]
    gains_all = space.utilities(feasible) - space.sq_utility
    _packages, utilities = issue_frontier(space, np.arange(space.n_actors), allowed=space.box())
    ok = (utilities >= space.sq_utility - 1e-12).all(axis=1)
    gains_front = utilities[ok] - space.sq_utility
    w = space.capability
    full, front = choose(gains_all, w), choose(gains_front, w)
    for concept in full:
        assert (full[concept].index is None) == (front[concept].index is None)
        if full[concept].index is not None:
            assert abs(full[concept].value - front[concept].value) < 1e-9  # type: ignore[operator]
