"""Sensitivity analysis (SALib wrapped around the models): known answers and invariants."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.models import make_model
from zopa.uncertainty.sensitivity import (
    analyse_sensitivity,
    design_view,
    input_values,
    sensitivity_inputs,
)

from helpers import make_scenario

# Three actors on one issue; the compromise outcome is sum_a w_a x_a / sum_a w_a with
# w = capability x salience = (1 x 1.0, 2 x 0.5, 3 x 0.8) = (1, 1, 2.4).
CAPABILITIES = (1.0, 2.0, 3.0)
SALIENCES = (1.0, 0.5, 0.8)
POSITIONS = (20.0, 50.0, 70.0)
RANGES = ((0.0, 60.0), (40.0, 55.0), (60.0, 90.0))


def ranged_scenario(ranges=RANGES, positions=POSITIONS):
    scenario = make_scenario([[p] for p in positions], [[s] for s in SALIENCES], list(CAPABILITIES))
    stances = tuple(
        dataclasses.replace(s, range=r) if r is not None else s
        for s, r in zip(scenario.stances, ranges, strict=True)
    )
    return dataclasses.replace(scenario, stances=stances)


def analytic_first_order(variances):
    w = np.array(CAPABILITIES) * np.array(SALIENCES)
    share = w**2 * np.asarray(variances)
    return share / share.sum()


def uniform_variances(ranges):
    return [(hi - lo) ** 2 / 12 for lo, hi in ranges]


def triangular_variances(ranges, modes):
    # Var of triangular(a, c, b) = (a^2 + b^2 + c^2 - ab - ac - bc) / 18
    return [
        (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        for (a, b), c in zip(ranges, modes, strict=True)
    ]


@pytest.mark.parametrize(
    ("distribution", "variances"),
    [
        ("uniform", uniform_variances(RANGES)),
        ("triangular", triangular_variances(RANGES, POSITIONS)),
    ],
)
def test_sobol_indices_of_the_linear_compromise_model_match_the_analytic_ones(
    distribution, variances
):
    view = ranged_scenario().arrays()
    result = analyse_sensitivity(
        view, make_model("compromise"), samples=2048, seed=3, distribution=distribution
    )
    expected = analytic_first_order(variances)
    if distribution == "uniform":
        # by hand: w = (1, 1, 2.4), Var = (60^2, 15^2, 30^2) / 12 = (300, 18.75, 75),
        # w^2 Var = (300, 18.75, 432) of 750.75
        np.testing.assert_allclose(expected, [0.3996, 0.02497, 0.5754], atol=1e-4)
    indices = result.issue("i0").sobol
    assert [s.input for s in indices] == ["position:a0:i0", "position:a1:i0", "position:a2:i0"]
    for s, want in zip(indices, expected, strict=True):
        # within the 95% bootstrap confidence (with a small floor for tiny indices)
        assert abs(s.first_order - want) <= max(s.first_order_conf, 0.01)
        assert abs(s.total_order - want) <= max(s.total_order_conf, 0.01)
        # a linear model has no interactions: S1 = ST
        assert s.total_order == pytest.approx(s.first_order, abs=0.02)
    assert result.evaluations == 2048 * (3 + 2)


def test_morris_effects_of_the_linear_compromise_model_are_exact():
    # With a uniform input, one step of the Morris grid changes the outcome by
    # w_a / sum(w) x width_a / delta x delta: mu* = w_a (hi - lo) / sum(w), sigma = 0.
    view = ranged_scenario().arrays()
    result = analyse_sensitivity(
        view, make_model("compromise"), method="morris", samples=50, seed=1, distribution="uniform"
    )
    w = np.array(CAPABILITIES) * np.array(SALIENCES)
    widths = np.array([hi - lo for lo, hi in RANGES])
    expected = w * widths / w.sum()  # (60, 15, 72) / 4.4
    effects = result.issue("i0").morris
    np.testing.assert_allclose([m.mu_star for m in effects], expected, rtol=1e-9)
    np.testing.assert_allclose([m.mu for m in effects], expected, rtol=1e-9)
    np.testing.assert_allclose([m.sigma for m in effects], 0.0, atol=1e-9)
    assert [m.input for m in result.issue("i0").ranked()] == [
        "position:a2:i0",
        "position:a0:i0",
        "position:a1:i0",
    ]


def test_the_batch_evaluation_equals_one_evaluation_per_sample():
    view = ranged_scenario().arrays()
    inputs = sensitivity_inputs(view, salience_spread=0.2, capability_spread=0.5)
    kinds = [x.kind for x in inputs]
    assert kinds == ["position"] * 3 + ["salience"] * 3 + ["capability"] * 3
    rng = np.random.default_rng(7)
    values = input_values(inputs, rng.random((25, len(inputs))))
    batch = design_view(view, inputs, values)
    for name in ("compromise", "median"):
        model = make_model(name)
        together = model.forecast(batch).outcome
        for row in range(values.shape[0]):
            one = design_view(view, inputs, values[row : row + 1])
            assert one.position[0, 2, 0] == values[row, 2]
            assert one.salience[0, 1, 0] == values[row, 4]
            assert one.capability[0, 0] == values[row, 6]
            np.testing.assert_array_equal(model.forecast(one).outcome[0], together[row])


def test_inputs_and_their_ranges():
    view = ranged_scenario(ranges=((0.0, 60.0), None, (60.0, 90.0))).arrays()
    inputs = sensitivity_inputs(view, salience_spread=0.3, capability_spread=0.5)
    by_name = {x.name: x for x in inputs}
    assert "position:a1:i0" not in by_name  # no range, no variation
    assert (by_name["position:a0:i0"].low, by_name["position:a0:i0"].high) == (0.0, 60.0)
    sal = by_name["salience:a0:i0"]  # 1.0 +- 0.3 clipped to 0..1
    assert (sal.low, sal.mode, sal.high) == pytest.approx((0.7, 1.0, 1.0))
    cap = by_name["capability:a2"]  # 3 +- 50%
    assert (cap.low, cap.mode, cap.high) == pytest.approx((1.5, 3.0, 4.5))


def test_triangular_quantiles_follow_the_sampler():
    view = ranged_scenario().arrays()
    inputs = sensitivity_inputs(view)
    u = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1 / 3, 10 / 15, 0.0]])
    values = input_values(inputs, u)
    np.testing.assert_allclose(values[0], [0.0, 40.0, 60.0])
    np.testing.assert_allclose(values[1], [60.0, 55.0, 90.0])
    # the mode sits at quantile (mode - low) / width: 20/60 and 10/15
    np.testing.assert_allclose(values[2, :2], [20.0, 50.0])


def test_nothing_varies_and_bad_requests_are_refused():
    view = make_scenario([[10.0], [20.0]]).arrays()
    with pytest.raises(ValueError, match="nothing varies"):
        analyse_sensitivity(view, make_model("compromise"))
    view = ranged_scenario().arrays()
    with pytest.raises(ValueError, match="power of 2"):
        analyse_sensitivity(view, make_model("compromise"), samples=100)
    with pytest.raises(ValueError, match="unknown issue"):
        analyse_sensitivity(view, make_model("compromise"), samples=64, issues=["nope"])


def test_an_issue_whose_forecast_does_not_vary_gets_a_note():
    # issue i1 has no ranges; the compromise forecast of i1 does not depend on i0's inputs
    scenario = make_scenario([[20.0, 10.0], [50.0, 30.0], [70.0, 40.0]])
    stances = tuple(
        dataclasses.replace(s, range=(s.position - 5, s.position + 5)) if s.issue == "i0" else s
        for s in scenario.stances
    )
    view = dataclasses.replace(scenario, stances=stances).arrays()
    result = analyse_sensitivity(view, make_model("compromise"), samples=64)
    assert result.issue("i1").note == "the forecast does not vary"
    assert result.issue("i1").sobol == ()
    assert result.issue("i1").mean == pytest.approx(80 / 3)
    assert len(result.issue("i0").sobol) == 3


@settings(max_examples=8, deadline=None)
@given(
    positions=st.lists(st.floats(10, 90), min_size=3, max_size=3),
    widths=st.lists(st.floats(1, 10), min_size=3, max_size=3),
    model=st.sampled_from(["compromise", "median"]),
)
def test_indices_are_shares_and_total_order_bounds_first_order(positions, widths, model):
    ranges = [(p - w, p + w) for p, w in zip(positions, widths, strict=True)]
    view = ranged_scenario(ranges=ranges, positions=positions).arrays()
    result = analyse_sensitivity(view, make_model(model), samples=256, seed=0)
    issue = result.issue("i0")
    if issue.note is not None:  # e.g. a median that never moves
        return
    for s in issue.sobol:
        assert -0.1 <= s.first_order <= 1.1
        assert -0.1 <= s.total_order <= 1.1
        assert s.total_order >= s.first_order - max(s.first_order_conf + s.total_order_conf, 0.05)


@pytest.mark.parametrize(("n", "k", "seed"), [(8, 3, 0), (16, 5, 11)])
def test_the_saltelli_design_is_salibs(n, k, seed):
    from SALib.sample import sobol as sobol_sample

    from zopa.uncertainty.sensitivity import saltelli_design

    problem = {"num_vars": k, "names": [f"x{j}" for j in range(k)], "bounds": [[0.0, 1.0]] * k}
    expected = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    np.testing.assert_array_equal(saltelli_design(n, k, seed), expected)


def test_inputs_that_never_move_an_issue_get_zero_and_the_rest_match_a_full_salib_call():
    from SALib.analyze import sobol as sobol_analyze

    from zopa.uncertainty.sensitivity import salib_problem, saltelli_design

    # two issues, every stance ranged: positions on i1 cannot move the compromise on i0
    scenario = make_scenario([[20.0, 10.0], [50.0, 30.0], [70.0, 40.0]], capabilities=[1, 2, 3])
    stances = tuple(
        dataclasses.replace(s, range=(s.position - 10, s.position + 5)) for s in scenario.stances
    )
    view = dataclasses.replace(scenario, stances=stances).arrays()
    result = analyse_sensitivity(view, make_model("compromise"), samples=256, seed=4)
    inputs = result.inputs
    on_i0 = [x.issue == "i0" for x in inputs]
    design = saltelli_design(256, len(inputs), 4)
    y = (
        make_model("compromise")
        .forecast(design_view(view, inputs, input_values(inputs, design)))
        .outcome[:, 0]
    )
    full = sobol_analyze.analyze(
        salib_problem(inputs), y, calc_second_order=False, seed=int(
            np.random.default_rng(4).integers(1, 2**31 - 1)
        )
    )  # fmt: skip
    for k, s in enumerate(result.issue("i0").sobol):
        if on_i0[k]:
            assert s.first_order == pytest.approx(full["S1"][k], abs=0.01)
            assert s.total_order == pytest.approx(full["ST"][k], abs=0.01)
            assert s.first_order_conf == pytest.approx(full["S1_conf"][k], rel=0.2)
        else:
            assert (s.first_order, s.total_order) == (0.0, 0.0)
            assert full["ST"][k] == pytest.approx(0.0, abs=1e-12)
