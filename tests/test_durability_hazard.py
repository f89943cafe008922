"""Hazard arithmetic, deterrence balance and Monte Carlo of the durability model."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.durability import Mechanisms, analyse_durability
from zopa.durability.deal import ForceCaps
from zopa.durability.deterrence import simulate_deterrence, vulnerability_windows
from zopa.durability.hazard import (
    baseline_increments,
    calibrate_scale,
    cumulative_hazard,
    survival,
    time_grid,
)
from zopa.durability.parameters import (
    HAZARD_MECHANISMS,
    MECHANISM_LEVELS,
    Distribution,
    Parameter,
    ParameterStatus,
    central_draws,
    sample_parameters,
)
from zopa.io.durability_parameters import load_durability_parameters

PARAMS = load_durability_parameters()
NO_RATIOS = {f"hr__{m.split('.')[-1]}": 1.0 for m in HAZARD_MECHANISMS}
STRONG = Mechanisms(
    monitoring="international_technical",
    dmz_width_km=40,
    reassurance_force="interposed",
    guarantees="art5_like",
    joint_commission="third_party",
    snapback=True,
    sequencing="simultaneous",
    specificity="high",
)


def _with_distribution(params, pid, low, high, distribution):
    p = params[pid]
    new = dataclasses.replace(
        p, value=(low + high) / 2, low=low, high=high, distribution=distribution
    )
    table = dict(params.parameters)
    table[pid] = new
    return dataclasses.replace(params, parameters=MappingProxyType(table))


def test_constant_hazard_gives_exponential_survival():
    times = time_grid(10, 0.25)
    inc = baseline_increments(times, np.array([1.0]))
    cum = cumulative_hazard(np.array([0.3]), inc, np.array([1.0]))
    np.testing.assert_allclose(survival(cum)[0], np.exp(-0.3 * times), rtol=1e-12)


def test_weibull_increments_sum_to_t_power_k():
    times = time_grid(10, 0.5)
    inc = baseline_increments(times, np.array([0.5, 0.8]))
    np.testing.assert_allclose(np.cumsum(inc, axis=1)[:, -1], [10**0.5, 10**0.8], rtol=1e-12)
    np.testing.assert_allclose(inc[0, 0], 0.5**0.5, rtol=1e-12)


def test_hazard_ratio_one_changes_nothing():
    times = time_grid(10, 0.25)
    inc = baseline_increments(times, np.array([0.7]))
    base = cumulative_hazard(np.array([0.2]), inc, np.array([1.0]))
    again = cumulative_hazard(np.array([0.2]), inc, np.array([1.0]), np.ones_like(inc))
    np.testing.assert_array_equal(base, again)
    half = cumulative_hazard(np.array([0.2]), inc, np.array([0.5]))
    np.testing.assert_allclose(half, base / 2, rtol=1e-12)


def test_calibration_hits_the_target_probability():
    times = time_grid(10, 0.25)
    inc = baseline_increments(times, np.array([0.6, 1.0]))
    mult = np.linspace(0.5, 2.0, inc.shape[1])[None, :].repeat(2, axis=0)
    scale = calibrate_scale(np.array([0.5, 0.3]), inc, mult, 20)
    s = survival(cumulative_hazard(scale, inc, np.ones(2), mult))
    np.testing.assert_allclose(s[:, 20], [0.5, 0.7], rtol=1e-12)


def test_model_with_constant_hazard_and_no_deterrence_is_exponential():
    params = PARAMS.with_fixed(
        baseline__weibull_shape=1.0, baseline__p_relapse_5y=0.4, balance__elasticity=0.0
    )
    r = analyse_durability("bare", Mechanisms(), params, n_draws=50, seed=1)
    lam = -np.log(0.6) / 5
    np.testing.assert_allclose(r.survival, np.exp(-lam * r.times)[None, :].repeat(50, 0))


def test_bare_ceasefire_matches_the_anchor_in_every_draw():
    r = analyse_durability("bare", Mechanisms(), PARAMS, n_draws=2000, seed=3)
    # no mechanisms: each draw's P(breakdown by 5 years) is that draw's anchor p5
    draws = sample_parameters(PARAMS, 2000, np.random.default_rng(3))
    np.testing.assert_allclose(1 - r.p_hold(5), draws["baseline.p_relapse_5y"], rtol=1e-10)


def test_mechanisms_with_ratio_one_and_no_deterrence_change_nothing():
    params = PARAMS.with_fixed(balance__elasticity=0.0, **NO_RATIOS)
    bare = analyse_durability("bare", Mechanisms(), params, n_draws=500, seed=5)
    strong = analyse_durability("strong", STRONG, params, n_draws=500, seed=5)
    np.testing.assert_allclose(strong.survival, bare.survival, rtol=1e-12)


def test_reproducible_under_a_seed():
    a = analyse_durability("x", STRONG, PARAMS, n_draws=1000, seed=42)
    b = analyse_durability("x", STRONG, PARAMS, n_draws=1000, seed=42)
    c = analyse_durability("x", STRONG, PARAMS, n_draws=1000, seed=43)
    np.testing.assert_array_equal(a.survival, b.survival)
    assert not np.array_equal(a.survival, c.survival)
    assert a.seed == 42


def test_monte_carlo_converges_to_the_analytic_mean_uniform_ratio():
    # constant hazard lam, one mechanism at full strength with r ~ U[a, b]:
    # E[S(t)] = (exp(-lam a t) - exp(-lam b t)) / (lam t (b - a))
    a, b = 0.3, 0.9
    params = PARAMS.with_fixed(
        baseline__weibull_shape=1.0,
        baseline__p_relapse_5y=0.5,
        balance__elasticity=0.0,
        dmz__full_width_km=10.0,
        **{k: 1.0 for k in NO_RATIOS if k != "hr__dmz"},
    )
    params = _with_distribution(params, "hr.dmz", a, b, Distribution.UNIFORM)
    r = analyse_durability("dmz", Mechanisms(dmz_width_km=10), params, n_draws=200_000, seed=7)
    lam = np.log(2) / 5
    t = r.times[1:]
    expected = (np.exp(-lam * a * t) - np.exp(-lam * b * t)) / (lam * t * (b - a))
    got = r.survival[:, 1:].mean(axis=0)
    se = r.survival[:, 1:].std(axis=0) / np.sqrt(r.n_draws)
    assert np.all(np.abs(got - expected) < 4 * se + 1e-12)


def test_monte_carlo_converges_to_the_analytic_mean_uniform_anchor():
    # S(t) = (1 - p)^(t/5) with p ~ U[0.4, 0.6]:
    # E[S(t)] = (0.6^(c+1) - 0.4^(c+1)) / (0.2 (c+1)), c = t/5
    params = PARAMS.with_fixed(baseline__weibull_shape=1.0, balance__elasticity=0.0)
    r = analyse_durability("bare", Mechanisms(), params, n_draws=200_000, seed=11)
    c = r.times / 5
    expected = (0.6 ** (c + 1) - 0.4 ** (c + 1)) / (0.2 * (c + 1))
    got = r.survival.mean(axis=0)
    se = r.survival.std(axis=0) / np.sqrt(r.n_draws) + 1e-15
    assert np.all(np.abs(got - expected) <= 4 * se)
    hold = r.hold()
    assert hold[5].mean == pytest.approx(0.5, abs=4 * se[20])
    assert hold[5].low == pytest.approx(0.41, abs=0.005)  # 5 % quantile of 1 - p
    assert hold[5].high == pytest.approx(0.59, abs=0.005)


_levels = {m: st.sampled_from(v) for m, v in MECHANISM_LEVELS.items()}
mechanisms_st = st.builds(
    Mechanisms,
    monitoring=_levels["monitoring"],
    dmz_width_km=st.none() | st.floats(0, 60),
    reassurance_force=_levels["reassurance_force"],
    guarantees=_levels["guarantees"],
    guarantees_conditional=st.booleans(),
    force_caps=st.builds(ForceCaps, defender_personnel=st.none() | st.integers(0, 1_500_000)),
    arms_supply=_levels["arms_supply"],
    snapback=st.booleans(),
    joint_commission=_levels["joint_commission"],
    sequencing=_levels["sequencing"],
    specificity=_levels["specificity"],
)


def _strengthen(m: Mechanisms, which: str) -> Mechanisms:
    if which == "dmz":
        if m.dmz_width_km is None:
            return dataclasses.replace(m, dmz_width_km=1e6)  # any stated zone at full width
        return dataclasses.replace(m, dmz_width_km=m.dmz_width_km + 5)
    if which == "snapback":
        return dataclasses.replace(m, snapback=True)
    if which == "conditional":
        return dataclasses.replace(m, guarantees_conditional=False)
    levels = MECHANISM_LEVELS[which]
    current = getattr(m, which)
    stronger = max(
        levels,
        key=lambda lv: PARAMS.strength(which, lv) if which in PARAMS.levels else 0,
    )
    if PARAMS.strength(which, stronger) < PARAMS.strength(which, current):
        stronger = current
    return dataclasses.replace(m, **{which: stronger})


@settings(max_examples=40, deadline=None)
@given(
    m=mechanisms_st,
    which=st.sampled_from(
        [
            "monitoring",
            "dmz",
            "reassurance_force",
            "guarantees",
            "joint_commission",
            "snapback",
            "sequencing",
            "specificity",
            "conditional",
        ]
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_adding_a_mechanism_never_lowers_survival(m, which, seed):
    before = analyse_durability("a", m, PARAMS, n_draws=64, seed=seed)
    after = analyse_durability("b", _strengthen(m, which), PARAMS, n_draws=64, seed=seed)
    assert np.all(after.survival >= before.survival - 1e-12)


def test_deterrence_known_values():
    params = PARAMS.with_fixed(
        attacker__growth=0.5,
        attacker__reconstitution_years=5.0,
        defender__growth_continued=0.0,
        defender__cap_phase_in_years=1.0,
        backers__weight=0.4,
        backers__realisation=1.0,
        reassurance__weight=0.1,
    )
    draws = central_draws(params)
    times = np.array([0.0, 0.5, 1.0, 5.0, 9.0])
    m = Mechanisms(
        force_caps=ForceCaps(defender_personnel=600_000),
        guarantees="art5_like",
        reassurance_force="interposed",
    )
    traj = simulate_deterrence(m, params, draws, times)
    attacker = 1 + 0.5 * (1 - np.exp(-3 * times / 5))
    np.testing.assert_allclose(traj.attacker[0], attacker)
    assert traj.attacker[0, 3] == pytest.approx(1 + 0.5 * 0.950213, rel=1e-6)
    own = np.array([1.0, 0.875, 0.75, 0.75, 0.75])  # 800k -> 600k over one year
    europe = 1 + (3.5 / 2.0 - 1) * np.minimum(times / 9, 1)
    defender = own + 0.4 * europe + 0.1
    np.testing.assert_allclose(traj.defender[0], defender)
    np.testing.assert_allclose(traj.balance[0], defender / attacker)


def test_halted_arms_supply_decays_the_defender():
    params = PARAMS.with_fixed(defender__decay_halted=0.1)
    draws = central_draws(params)
    times = np.array([0.0, 2.0])
    traj = simulate_deterrence(Mechanisms(arms_supply="halted"), params, draws, times)
    np.testing.assert_allclose(traj.defender[0], [1.0, np.exp(-0.2)])


def test_vulnerability_windows():
    t = np.arange(6.0)
    assert vulnerability_windows(t, np.array([0, 1, 1, 0, 1, 1], bool)) == ((1.0, 2.0), (4.0, 5.0))
    assert vulnerability_windows(t, np.zeros(6, bool)) == ()


def test_strong_deal_outlasts_bare_ceasefire_and_notes_assumptions():
    bare = analyse_durability("bare", Mechanisms(), PARAMS, n_draws=2000, seed=1)
    strong = analyse_durability("strong", STRONG, PARAMS, n_draws=2000, seed=1)
    assert strong.hold()[5].mean > bare.hold()[5].mean
    assert any("assumption" in n for n in strong.notes)
    assert any("hr.dmz" in n for n in strong.notes)


def test_point_estimate_uses_central_values():
    r = analyse_durability("bare", Mechanisms(), PARAMS, point=True)
    assert r.n_draws == 1
    assert r.p_hold(5)[0] == pytest.approx(1 - PARAMS.value("baseline.p_relapse_5y"))


def test_parameter_rejects_value_outside_range():
    with pytest.raises(ValueError, match="outside"):
        Parameter(id="x", value=2, low=0, high=1, status=ParameterStatus.ASSUMPTION)


def test_drivers_rank_the_anchor_first_for_a_bare_ceasefire():
    r = analyse_durability("bare", Mechanisms(), PARAMS, n_draws=3000, seed=2)
    drivers = dict(r.drivers())
    # with no mechanisms, P(holds 5 y) = 1 - p5 exactly: a perfect negative rank correlation
    assert r.drivers()[0][0] == "baseline.p_relapse_5y"
    assert drivers["baseline.p_relapse_5y"] == pytest.approx(-1.0)
    assert abs(drivers["hr.dmz"]) < 0.1  # no DMZ: its ratio cannot matter
    assert "defender.reference_personnel" not in drivers  # fixed values are not drivers


def test_drivers_of_a_dmz_deal_include_its_ratio():
    r = analyse_durability("dmz", Mechanisms(dmz_width_km=40), PARAMS, n_draws=3000, seed=2)
    drivers = dict(r.drivers())
    assert drivers["hr.dmz"] < -0.3  # a higher ratio (weaker DMZ) lowers survival


def test_durability_package_imports_no_edges():
    import subprocess
    import sys

    heavy = ["typer", "rich", "matplotlib", "yaml", "pydantic", "fastapi", "sqlalchemy"]
    code = (
        "import sys, zopa.durability, zopa.durability.assess\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_cap_of_zero_forces_ends_the_ceasefire_without_nan():
    # a defender capped at no forces: the balance reaches zero after the phase-in, the hazard
    # becomes overwhelming, and survival falls to (numerically) zero; no NaN, no warning
    m = Mechanisms(force_caps=ForceCaps(defender_personnel=0))
    result = analyse_durability("zero", m, PARAMS, n_draws=64, seed=1)
    assert np.all(np.isfinite(result.survival))
    assert result.survival[:, -1].max() < 1e-6
