"""Tests of the spatial model of politics (KTAB's SMP).

The reference case is KTAB's own run of its SOE-Pol-Comp input (13 actors, 2 issues,
27 turns), shipped in tests/fixtures/ktab/ with KTAB's MIT notice. Intermediate figures
(the inferred risk attitudes, the risk-neutral and risk-aware utility matrices of turn 1)
are those printed in KTAB's published log of the same run,
examples/smp/doc/20170530_ref-SOE-Pol-Comp.txt in the KTAB repository.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.io import load_scenario
from zopa.io.formats import ktab
from zopa.models import make_model
from zopa.models.spatial import SpatialModel
from zopa.models.spatial_numpy import (
    best_targets,
    challenge_gains,
    final_election,
    interpolate_bargains,
    run_turns,
)
from zopa.models.spatial_votes import (
    condorcet_probability,
    perceived_risk,
    risk_attitudes,
    risk_from_probability,
    utility,
    victory_probability,
    vote,
    weighted_distance,
)
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance
from zopa.uncertainty import sample_positions

FIXTURES = Path(__file__).parent / "fixtures" / "ktab"
FLAGSHIP = Path(__file__).parents[1] / "scenarios" / "ukraine-ceasefire-2026.yaml"


def read_ktab_positions(path: Path, actor_ids: tuple[str, ...]) -> np.ndarray:
    """KTAB's position log as a (turns + 1, A, K) array on 0..100."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    n_t = 1 + max(int(r["turn"]) for r in rows)
    n_k = 1 + max(int(r["dim"]) for r in rows)
    out = np.full((n_t, len(actor_ids), n_k), np.nan)
    index = {a: i for i, a in enumerate(actor_ids)}
    for r in rows:
        out[int(r["turn"]), index[r["actor"]], int(r["dim"])] = float(r["position"])
    return out


@pytest.fixture(scope="module")
def soe() -> Scenario:
    return ktab.read(FIXTURES / "SOE-Pol-Comp.csv")


@pytest.fixture(scope="module")
def soe_reference(soe: Scenario) -> np.ndarray:
    return read_ktab_positions(FIXTURES / "SOE-Pol-Comp-positions.csv", soe.actor_ids)


# --- the KTAB reference run -------------------------------------------------------------


def test_reference_final_positions_within_two_points(soe, soe_reference):
    forecast = make_model("smp").forecast(soe.arrays())
    final = forecast.trajectory[0, -1]
    assert np.abs(final - soe_reference[-1]).max() <= 2.0


def test_reference_turn_count(soe, soe_reference):
    forecast = make_model("smp").forecast(soe.arrays())
    ktab_turns = soe_reference.shape[0] - 1
    assert ktab_turns == 27
    assert abs(int(forecast.diagnostics["turns"][0]) - ktab_turns) <= 3


def test_reference_trajectory_turn_by_turn(soe, soe_reference):
    """Every actor's position at every turn equals KTAB's to its printed precision."""
    forecast = make_model("smp").forecast(soe.arrays())
    traj = forecast.trajectory[0]
    assert traj.shape == soe_reference.shape
    np.testing.assert_allclose(traj, soe_reference, atol=0.006, rtol=0)


def test_reference_risk_attitudes_of_turn_one(soe):
    """KTAB's log: 'Inferred risk attitudes' of the first turn."""
    v = soe.arrays()
    model = SpatialModel()
    dist = weighted_distance(v.position / 100, v.position / 100, v.salience)
    risk, _ = risk_attitudes(dist, v.capability, rule="proportional", power=1.0, big_r_range="mid")
    ktab = [1.0, -0.498, -0.452, 0.362, -0.5, -0.5, -0.497, -0.499, -0.452, 0.643, -0.383,
            -0.196, -0.5]  # fmt: skip
    np.testing.assert_allclose(risk[0], ktab, atol=5e-4)
    assert model.big_r_range == "mid"


def test_reference_utility_matrices_of_turn_one(soe):
    """KTAB's log: first rows of the risk-neutral and risk-aware utility matrices."""
    v = soe.arrays()
    x = v.position / 100
    dist = weighted_distance(x, x, v.salience)
    neutral_row0 = [1.000, 0.592, 0.955, 0.767, 0.588, 0.888, 0.937, 0.700, 0.955, 0.809,
                    0.717, 0.900, 0.636]  # fmt: skip
    np.testing.assert_allclose(1 - dist[0, 0], neutral_row0, atol=5e-4)
    risk, _ = risk_attitudes(dist, v.capability, rule="proportional", power=1.0, big_r_range="mid")
    aware = utility(dist, risk[:, :, None])
    aware_row1 = [0.5663, 1.0000, 0.5291, 0.8059, 0.9457, 0.4444, 0.4963, 0.7866, 0.5291,
                  0.7602, 0.8438, 0.5952, 0.6909]  # fmt: skip
    np.testing.assert_allclose(aware[0, 1], aware_row1, atol=5e-5)
    # "Estimate by 0 of risk-aware utility matrix", row 1: r = (2 r_0 + r_1) / 3
    by0 = utility(dist[:, None], perceived_risk(risk, "one_third")[:, :, :, None])[0, 0]
    by0_row1 = [0.7852, 1.0000, 0.7582, 0.9230, 0.9810, 0.6895, 0.7329, 0.9139, 0.7582,
                0.9009, 0.9401, 0.8050, 0.8638]  # fmt: skip
    np.testing.assert_allclose(by0[1], by0_row1, atol=5e-5)


# --- building blocks, by hand -----------------------------------------------------------


def test_weighted_distance_by_hand():
    ideal = np.array([[[0.5, 0.5], [0.3, 0.4]]])
    sal = np.array([[[0.3, 0.4], [0.0, 0.0]]])
    d = weighted_distance(ideal, ideal, sal)
    # actor 0 to actor 1: sqrt(((0.3*0.2)^2 + (0.4*0.1)^2) / (0.3^2 + 0.4^2))
    assert d[0, 0, 1] == pytest.approx(np.sqrt((0.06**2 + 0.04**2) / 0.25))
    assert d[0, 0, 0] == 0.0
    # an actor with no salience is indifferent: distance 0 to everything
    assert d[0, 1, 0] == 0.0


def test_utility_by_hand():
    d = np.array([0.0, 0.5, 0.5, 0.5, 1.0])
    r = np.array([1.0, 0.0, 1.0, -0.5, 1.0])
    np.testing.assert_allclose(utility(d, r), [1.0, 0.5, 0.75, 0.375, 0.0])


def test_voting_rules_by_hand():
    w = np.array(2.0)
    a, b = np.array(0.7), np.array(0.4)
    assert vote("proportional", w, a, b) == pytest.approx(0.6)
    assert vote("binary", w, a, b) == pytest.approx(2.0)
    assert vote("binary", w, b, a) == pytest.approx(-2.0)
    assert vote("prop_bin", w, a, b) == pytest.approx(2 * (0.8 * 0.3 + 0.2))
    assert vote("cubic", w, a, b) == pytest.approx(2 * 0.027)
    assert vote("prop_cubic", w, a, b) == pytest.approx(2 * (0.15 + 0.0135))


def test_victory_probability_and_condorcet_by_hand():
    c = np.array([[1.0, 3.0], [1.0, 1.0]])
    pv = victory_probability(c, 1.0)
    np.testing.assert_allclose(pv, [[0.5, 0.75], [0.25, 0.5]])
    # square law: 3:1 gives 9/10
    assert victory_probability(c, 2.0)[0, 1] == pytest.approx(0.9)
    # conditional PCE: p ∝ prod_b pv[a, b] = [0.375, 0.125]
    np.testing.assert_allclose(condorcet_probability(pv), [0.75, 0.25])
    # an invalid option takes no part
    pv3 = np.array([[0.5, 0.75, 0.1], [0.25, 0.5, 0.1], [0.9, 0.9, 0.5]])
    np.testing.assert_allclose(
        condorcet_probability(pv3, np.array([True, True, False])), [0.75, 0.25, 0.0]
    )


def test_risk_from_probability_by_hand():
    p = np.array([[0.2, 0.5, 0.3]])
    np.testing.assert_allclose(risk_from_probability(p, "mid"), [[-0.5, 1.0, 0.0]], atol=1e-12)
    np.testing.assert_allclose(risk_from_probability(p, "min"), [[0.0, 1.0, 1 / 3]])
    np.testing.assert_allclose(risk_from_probability(p, "max"), [[-1.0, 1.0, -1 / 3]])
    # all equal: risk neutral
    np.testing.assert_allclose(risk_from_probability(np.full((1, 3), 1 / 3), "mid"), 0.0)


def test_perceived_risk_by_hand():
    r = np.array([[0.9, -0.3]])
    est = perceived_risk(r, "one_third")
    assert est[0, 0, 1] == pytest.approx((2 * 0.9 - 0.3) / 3)
    assert est[0, 1, 0] == pytest.approx((2 * -0.3 + 0.9) / 3)
    assert perceived_risk(r, "none")[0, 0, 1] == pytest.approx(0.9)
    assert perceived_risk(r, "full")[0, 0, 1] == pytest.approx(-0.3)


def test_bargain_interpolation_by_hand():
    pi = np.array([[0.2]])
    pj = np.array([[0.6]])
    # equal salience, even odds: both meet at the midpoint (the 1e-6 weight is below
    # the 4-decimal rounding)
    bi, bj = interpolate_bargains(pi, np.array([[0.5]]), np.array([0.5]), pj,
                                  np.array([[0.5]]), "s2p2")  # fmt: skip
    assert bi[0, 0] == pytest.approx(0.4)
    assert bj[0, 0] == pytest.approx(0.4)
    # S2P2 weights (s p)^2: i (s=0.4, p=0.75) weight 0.09, j (s=0.2, p=0.25) weight
    # 0.0025: the point is (0.09 * 0.2 + 0.0025 * 0.6) / 0.0925 = 0.21081..., rounded
    bi, _ = interpolate_bargains(pi, np.array([[0.4]]), np.array([0.75]), pj,
                                 np.array([[0.2]]), "s2p2")  # fmt: skip
    assert bi[0, 0] == pytest.approx(0.2108)
    # S1P1 weights s p: (0.3 * 0.2 + 0.05 * 0.6) / 0.35 = 0.25714...
    bi, _ = interpolate_bargains(pi, np.array([[0.4]]), np.array([0.75]), pj,
                                 np.array([[0.2]]), "s1p1")  # fmt: skip
    assert bi[0, 0] == pytest.approx(0.2571)


def test_challenge_two_actors_by_hand():
    """Two actors, proportional votes, no third parties: the formulas of probEduChlg."""
    x = np.array([[[0.2], [0.8]]])
    sal = np.array([[[0.5], [0.5]]])
    cap = np.array([[3.0, 1.0]])
    dist = weighted_distance(x, x, sal)  # 0.6 between them
    u = utility(dist[:, None], np.zeros((1, 2, 2, 1)))  # risk neutral: 1 - d
    p, gain = challenge_gains(u, cap, sal.sum(-1), rule="proportional", commit="semi")
    # i = 0 votes 0.5*3*(1 - 0.4) = 0.9 for itself; j = 1 votes 0.5*1*(0.4 - 1) = -0.3
    assert p[0, 0, 1] == pytest.approx(0.75)
    # gain = (1 - s_j) 2 U_ii + s_j (p 2 U_ii + (1 - p) 2 U_ij) - (U_ii + U_ij)
    assert gain[0, 0, 1] == pytest.approx(0.5 * 2 + 0.5 * (0.75 * 2 + 0.25 * 0.8) - 1.4)
    target, has, p_t = best_targets(p, gain)
    assert has.all()
    assert target[0].tolist() == [1, 0]
    assert p_t[0, 0] == pytest.approx(0.75)


# --- model behaviour --------------------------------------------------------------------


def _scenario(pos: np.ndarray, sal: np.ndarray, cap: np.ndarray) -> Scenario:
    a, k = pos.shape
    actors = tuple(Actor(id=f"a{i}", name=f"a{i}", capability=float(cap[i])) for i in range(a))
    issues = tuple(Issue(id=f"i{j}", name=f"i{j}") for j in range(k))
    stances = tuple(
        Stance(actor=f"a{i}", issue=f"i{j}", position=float(pos[i, j]), salience=float(sal[i, j]))
        for i in range(a)
        for j in range(k)
    )
    return Scenario(title="t", actors=actors, issues=issues, stances=stances)


def test_unanimity_keeps_the_common_position():
    pos = np.full((4, 2), 37.0)
    sal = np.full((4, 2), 0.4)
    f = make_model("smp").forecast(_scenario(pos, sal, np.arange(1.0, 5.0)).arrays())
    np.testing.assert_allclose(f.outcome, [[37.0, 37.0]])
    np.testing.assert_allclose(f.trajectory[0, -1], pos)


def test_issue_scale_is_respected():
    """Positions on another scale are mapped onto 0..1 and back."""
    rng = np.random.default_rng(3)
    pos = rng.uniform(0, 100, (6, 2))
    sal = rng.uniform(0.1, 0.5, (6, 2))
    cap = rng.uniform(1, 10, 6)
    base = make_model("smp").forecast(_scenario(pos, sal, cap).arrays())
    sc = _scenario(pos, sal, cap)
    issues = tuple(Issue(id=i.id, name=i.name, scale=Scale(-1.0, 1.0)) for i in sc.issues)
    stances = tuple(
        Stance(actor=s.actor, issue=s.issue, position=s.position / 50 - 1, salience=s.salience)
        for s in sc.stances
    )
    other = make_model("smp").forecast(
        Scenario(title="t", actors=sc.actors, issues=issues, stances=stances).arrays()
    )
    np.testing.assert_allclose(other.outcome, base.outcome / 50 - 1, atol=1e-9)
    assert (other.outcome >= -1).all()
    assert (other.outcome <= 1).all()


def test_batch_equals_single_runs(soe):
    v = soe.arrays()
    rng = np.random.default_rng(7)
    d = 5
    pos = np.clip(v.position + rng.normal(0, 8, (d, *v.position.shape[1:])), 0, 100)
    sal = np.clip(v.salience * rng.uniform(0.7, 1.3, (d, *v.salience.shape[1:])), 0, 1)
    batch = v.with_draws(position=pos, salience=sal)
    model = make_model("smp")
    together = model.forecast(batch)
    for k in range(d):
        alone = model.forecast(batch.draw(k))
        turns = int(alone.diagnostics["turns"][0])
        assert int(together.diagnostics["turns"][k]) == turns
        np.testing.assert_array_equal(together.outcome[k], alone.outcome[0])
        np.testing.assert_array_equal(
            together.trajectory[k, : turns + 1], alone.trajectory[0, : turns + 1]
        )
        # a draw that stopped early keeps its final positions
        np.testing.assert_array_equal(
            together.trajectory[k, turns:], np.broadcast_to(alone.trajectory[0, -1],
                                                            together.trajectory[k, turns:].shape)
        )  # fmt: skip


def _internal(view):
    """Positions on 0..1, saliences and capabilities of a scenario view."""
    return (
        (view.position - view.scale_min) / (view.scale_max - view.scale_min),
        (view.salience),
        view.capability,
    )


def test_compiled_turns_equal_the_direct_numpy_computation_on_the_flagship():
    """The compiled kernel reproduces the numpy computation of every turn, bit for bit."""
    view = sample_positions(load_scenario(FLAGSHIP).arrays(), 12, np.random.default_rng(4))
    pos, sal, cap = _internal(view)
    model = SpatialModel()
    run = model.run(pos, sal, cap, implementation="compiled")
    trajectory, turns = run_turns(model, pos, sal, cap)
    np.testing.assert_array_equal(run.turns, turns)
    np.testing.assert_array_equal(run.trajectory, trajectory)
    risk, prob, share = final_election(model, trajectory[:, -1], sal, cap)
    np.testing.assert_array_equal(run.risk, risk)
    np.testing.assert_array_equal(run.position_probability, prob)
    np.testing.assert_array_equal(run.share, share)


def test_compiled_stochastic_turns_equal_the_direct_numpy_computation(soe):
    """Same uniform numbers, same choices: the stochastic kernel against numpy."""
    view = soe.arrays()
    rng = np.random.default_rng(9)
    pos = np.clip(view.position + rng.normal(0, 10, (4, *view.position.shape[1:])), 0, 100)
    pos, sal, cap = _internal(view.with_draws(position=pos))
    model = SpatialModel(stochastic=True)
    run = model.run(pos, sal, cap, rng=np.random.default_rng(21), implementation="compiled")
    trajectory, turns = run_turns(model, pos, sal, cap, rng=np.random.default_rng(21))
    np.testing.assert_array_equal(run.turns, turns)
    np.testing.assert_array_equal(run.trajectory, trajectory)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_draws=st.integers(1, 4),
    n_actors=st.integers(1, 9),
    n_issues=st.integers(1, 10),
    rule=st.sampled_from(["proportional", "binary", "prop_bin", "cubic", "prop_cubic"]),
    commit=st.sampled_from(["semi", "full", "none"]),
    interp=st.sampled_from(["s1p1", "s2p2", "s2pmax"]),
    r_range=st.sampled_from(["min", "mid", "max"]),
    r_adjust=st.sampled_from(["none", "one_third", "half", "two_thirds", "full"]),
    gamma=st.sampled_from([1.0, 2.0, 4.0, 1.5]),
    blanks=st.sampled_from([0.0, 0.3]),
)
def test_compiled_turns_equal_the_direct_numpy_computation(
    seed, n_draws, n_actors, n_issues, rule, commit, interp, r_range, r_adjust, gamma, blanks
):
    """Every option, ties (positions on a coarse grid), zero saliences and capabilities."""
    rng = np.random.default_rng(seed)
    pos = np.round(rng.uniform(0, 1, (n_draws, n_actors, n_issues)) * 4) / 4
    sal = rng.uniform(0, 1, pos.shape) * (rng.random(pos.shape) >= blanks)
    cap = rng.uniform(0, 20, (n_draws, n_actors)) * (rng.random((n_draws, n_actors)) >= blanks)
    model = SpatialModel(
        voting_rule=rule,
        third_party_commit=commit,
        bargain_interpolation=interp,
        big_r_range=r_range,
        big_r_adjust=r_adjust,
        victory_power=gamma,
        max_turns=25,
    )
    run = model.run(pos, sal, cap, implementation="compiled")
    trajectory, turns = run_turns(model, pos, sal, cap)
    election = final_election(model, trajectory[:, -1], sal, cap)
    np.testing.assert_array_equal(run.turns, turns)
    compiled = (run.trajectory, run.risk, run.position_probability, run.share)
    for got, expected in zip(compiled, (trajectory, *election), strict=True):
        if gamma in (1.0, 2.0):
            np.testing.assert_array_equal(got, expected)
        else:  # x ** gamma may differ in the last bit between numpy and the C library
            # (numpy's vector pow even by the arrays' alignment in memory, so by what ran
            # before in the process); such differences compound over up to 25 turns
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


def test_no_draws_give_empty_results(soe):
    v = soe.arrays()
    none = v.with_draws(
        position=v.position[:0], salience=v.salience[:0], capability=v.capability[:0]
    )
    f = make_model("smp").forecast(none)
    assert f.outcome.shape == (0, 2)
    assert f.trajectory.shape == (0, 1, 13, 2)
    assert f.diagnostics["turns"].shape == (0,)
    assert f.diagnostics["position_probability"].shape == (0, 13)


def test_stopping_rule_and_turn_limit(soe):
    short = SpatialModel(max_turns=5).forecast(soe.arrays())
    assert int(short.diagnostics["turns"][0]) == 5
    assert short.trajectory.shape[1] == 6
    strict = SpatialModel(min_delta_ratio=1e-9, max_turns=40).forecast(soe.arrays())
    assert int(strict.diagnostics["turns"][0]) == 40


def test_stochastic_transition_is_reproducible_under_a_seed(soe):
    model = SpatialModel(stochastic=True)
    a = model.forecast(soe.arrays(), rng=np.random.default_rng(11))
    b = model.forecast(soe.arrays(), rng=np.random.default_rng(11))
    np.testing.assert_array_equal(a.trajectory, b.trajectory)


def test_forecast_is_the_expected_outcome_of_the_final_election(soe):
    f = make_model("smp").forecast(soe.arrays())
    prob = f.diagnostics["position_probability"][0]
    final = f.trajectory[0, -1]
    # the outcome lies within the final positions' range on every issue
    assert (f.outcome[0] >= final.min(axis=0) - 1e-9).all()
    assert (f.outcome[0] <= final.max(axis=0) + 1e-9).all()
    # WY, alone at (15, 60), has next to no chance (KTAB's log: 0.0002)
    assert prob[soe.actor_ids.index("WY")] < 0.01


def test_actors_without_a_stance_do_not_set_the_forecast():
    """A strong actor with no stance on an issue sits at the midpoint there; the forecast
    of that issue comes from the stance holders only."""
    actors = (
        Actor("big", "big", 100.0),
        Actor("a", "a", 10.0),
        Actor("b", "b", 12.0),
    )
    issues = (Issue("i0", "i0"), Issue("i1", "i1"))
    stances = (
        Stance("big", "i0", 80.0, 0.9),
        Stance("a", "i0", 30.0, 0.5),
        Stance("b", "i0", 40.0, 0.4),
        Stance("a", "i1", 10.0, 0.5),
        Stance("b", "i1", 20.0, 0.6),
    )
    view = Scenario("t", actors, issues, stances).arrays()
    f = make_model("smp").forecast(view)
    assert 10.0 - 1e-9 <= f.outcome[0, 1] <= 20.0 + 1e-9
    assert 10.0 - 1e-9 <= f.diagnostics["most_likely_outcome"][0, 1] <= 20.0 + 1e-9


def test_parameters_are_validated():
    with pytest.raises(ValueError, match="victory_power"):
        SpatialModel(victory_power=0.0)
    with pytest.raises(ValueError, match="min_turns"):
        SpatialModel(min_turns=5, max_turns=2)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_actors=st.integers(2, 7),
    n_issues=st.integers(1, 3),
    rule=st.sampled_from(["proportional", "binary", "prop_bin", "cubic", "prop_cubic"]),
    commit=st.sampled_from(["semi", "full", "none"]),
    interp=st.sampled_from(["s1p1", "s2p2", "s2pmax"]),
    r_range=st.sampled_from(["min", "mid", "max"]),
    r_adjust=st.sampled_from(["none", "one_third", "half", "two_thirds", "full"]),
    gamma=st.sampled_from([1.0, 2.0, 4.0, 8.0, 1.5]),
)
def test_positions_stay_inside_the_convex_hull(
    seed, n_actors, n_issues, rule, commit, interp, r_range, r_adjust, gamma
):
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, 100, (n_actors, n_issues))
    sal = rng.uniform(0.0, 1.0, (n_actors, n_issues))
    cap = rng.uniform(0.5, 50, n_actors)
    model = SpatialModel(
        voting_rule=rule,
        third_party_commit=commit,
        bargain_interpolation=interp,
        big_r_range=r_range,
        big_r_adjust=r_adjust,
        victory_power=gamma,
        max_turns=15,
    )
    f = model.forecast(_scenario(pos, sal, cap).arrays())
    traj = f.trajectory[0]
    assert np.isfinite(traj).all()
    assert (traj >= pos.min(axis=0) - 0.01).all()
    assert (traj <= pos.max(axis=0) + 0.01).all()
    assert (f.outcome[0] >= pos.min(axis=0) - 0.01).all()
    assert (f.outcome[0] <= pos.max(axis=0) + 0.01).all()


def test_untraced_slices_give_the_same_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a few draws at a time (``trace=False``), every draw keeps its numbers."""
    from pathlib import Path

    from zopa.io import load_scenario
    from zopa.models import spatial

    flagship = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"
    rng = np.random.default_rng(8)
    view = load_scenario(flagship).arrays()
    pos = view.position + rng.uniform(-5, 5, size=(9, *view.position.shape[1:]))
    batch = view.with_draws(position=np.clip(pos, view.scale_min, view.scale_max))
    model = spatial.SpatialModel()
    whole = model.forecast(batch)
    monkeypatch.setattr(spatial, "SLICE_BYTES", 1)  # one draw a slice
    sliced = model.forecast(batch, trace=False)
    np.testing.assert_array_equal(sliced.outcome, whole.outcome)
    for key, value in sliced.diagnostics.items():
        np.testing.assert_array_equal(value, whole.diagnostics[key])
