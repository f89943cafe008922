"""Known answers for the compromise (weighted mean) and weighted median models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.io import load_scenario
from zopa.models import make_model

from helpers import make_scenario


def test_three_actor_fixture_by_hand(fixtures):
    # weights c*s: A 1*1.0 = 1, B 2*0.5 = 1, C 3*0.5 = 1.5 (total 3.5)
    # mean = (1*0 + 1*60 + 1.5*90) / 3.5 = 195 / 3.5 = 55.714...
    # median: sorted 0 (1), 60 (1), 90 (1.5); half = 1.75; cumulative 1, 2 -> 60
    scenario = load_scenario(fixtures / "scenarios" / "three-actors.yaml")
    assert make_model("compromise").forecast(scenario.arrays()).point()["x"] == pytest.approx(
        195 / 3.5
    )
    assert make_model("median").forecast(scenario.arrays()).point()["x"] == 60.0


def test_median_exact_half_takes_midpoint():
    # weights 1, 1 at 20 and 80: cumulative reaches exactly half at 20 -> (20 + 80) / 2
    scenario = make_scenario([[20.0], [80.0]])
    assert make_model("median").forecast(scenario.arrays()).point()["i0"] == 50.0


def test_median_ignores_zero_salience_actor():
    # the zero-salience actor at 100 has no weight: median of 10 (w=2) and 30 (w=1) is 10
    scenario = make_scenario([[10.0], [30.0], [100.0]], [[1.0], [1.0], [0.0]], [2.0, 1.0, 5.0])
    assert make_model("median").forecast(scenario.arrays()).point()["i0"] == 10.0
    # mean: (2*10 + 1*30) / 3 = 16.67
    assert make_model("compromise").forecast(scenario.arrays()).point()["i0"] == pytest.approx(
        50 / 3
    )


def test_two_issues_are_independent():
    # issue 0: weights 1 and 3 at 0 and 100 -> mean 75, median 100
    # issue 1: weights 1 and 1 at 40 and 60 -> mean 50, median 50 (midpoint)
    scenario = make_scenario([[0.0, 40.0], [100.0, 60.0]], [[1.0, 1.0], [1.0, 1 / 3]], [1.0, 3.0])
    mean = make_model("compromise").forecast(scenario.arrays()).point()
    median = make_model("median").forecast(scenario.arrays()).point()
    assert mean == pytest.approx({"i0": 75.0, "i1": 50.0})
    assert median == pytest.approx({"i0": 100.0, "i1": 50.0})


def test_actor_without_stance_has_no_weight():
    from dataclasses import replace

    scenario = make_scenario([[10.0], [90.0], [50.0]])
    scenario = replace(scenario, stances=scenario.stances[:2])  # a2 holds no stance
    assert make_model("compromise").forecast(scenario.arrays()).point()["i0"] == 50.0


positions_st = st.lists(st.lists(st.floats(0, 100), min_size=2, max_size=2), min_size=1, max_size=7)


@pytest.mark.parametrize("name", ["compromise", "median"])
@settings(max_examples=60, deadline=None)
@given(positions=positions_st, data=st.data())
def test_forecast_within_range_of_positions(name, positions, data):
    n = len(positions)
    sal = data.draw(
        st.lists(st.lists(st.floats(0.05, 1), min_size=2, max_size=2), min_size=n, max_size=n)
    )
    cap = data.draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n))
    scenario = make_scenario(positions, sal, cap)
    out = make_model(name).forecast(scenario.arrays()).outcome[0]
    pos = np.array(positions)
    assert np.all(out >= pos.min(axis=0) - 1e-9)
    assert np.all(out <= pos.max(axis=0) + 1e-9)


@pytest.mark.parametrize("name", ["compromise", "median"])
@settings(max_examples=40, deadline=None)
@given(positions=positions_st, data=st.data())
def test_actor_order_does_not_matter(name, positions, data):
    n = len(positions)
    cap = data.draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n))
    perm = data.draw(st.permutations(range(n)))
    view = make_scenario(positions, None, cap).arrays()
    model = make_model(name)
    a = model.forecast(view).outcome
    b = model.forecast(view.take_actors(list(perm))).outcome
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("name", ["compromise", "median"])
def test_unanimity_gives_common_position(name):
    scenario = make_scenario([[37.0, 80.0]] * 4, capabilities=[1, 2, 3, 4])
    assert make_model(name).forecast(scenario.arrays()).point() == pytest.approx(
        {"i0": 37.0, "i1": 80.0}
    )


@pytest.mark.parametrize("name", ["compromise", "median"])
def test_batch_equals_loop(name):
    rng = np.random.default_rng(7)
    view = make_scenario(rng.uniform(0, 100, (6, 3)).tolist()).arrays()
    d = 25
    batched = view.with_draws(
        position=rng.uniform(0, 100, (d, 6, 3)),
        salience=rng.uniform(0, 1, (d, 6, 3)),
        capability=rng.uniform(0, 5, (d, 6)),
    )
    model = make_model(name)
    together = model.forecast(batched).outcome
    one_by_one = np.concatenate([model.forecast(batched.draw(k)).outcome for k in range(d)])
    np.testing.assert_allclose(together, one_by_one, rtol=1e-12)
