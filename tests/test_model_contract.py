"""The contract every registered forecasting model keeps, checked over the whole registry.

Each check runs for every name in :func:`zopa.models.available_models`, so a newly
registered model is held to the same contract without writing a test:

- every forecast lies on the issue's scale;
- when all actors share a position, the forecast is that position;
- the order in which actors are listed does not matter;
- a batch of D draws gives the same forecasts as D single runs;
- the same seed gives the same forecast;
- ``trace=False`` gives the same outcome and per-draw diagnostics, without the rounds;
- an issue on which nobody holds a stance, or nobody gives any weight, gets no forecast (NaN).
"""

from __future__ import annotations

import numpy as np
import pytest

from zopa.arrays import ScenarioArrays
from zopa.models import Forecast, available_models, make_model
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

MODELS = available_models()
SEEDS = (0, 1, 2)


def _scenario(rng: np.random.Generator, n_actors: int = 6) -> Scenario:
    """A random scenario with varied scales, one missing status quo and one missing stance."""
    scales = (Scale(0, 100), Scale(-5, 5), Scale(1990, 2030))
    issues = tuple(
        Issue(
            f"i{k}",
            f"issue {k}",
            scale,
            status_quo=None if k == 1 else float(rng.uniform(scale.min, scale.max)),
        )
        for k, scale in enumerate(scales)
    )
    actors = tuple(
        Actor(f"a{k}", f"actor {k}", float(rng.uniform(0.2, 3.0)), veto=k == 0)
        for k in range(n_actors)
    )
    stances = []
    for a in actors:
        for issue in issues:
            if a.id == "a1" and issue.id == "i2":
                continue  # one actor without a stance on one issue
            stances.append(
                Stance(
                    a.id,
                    issue.id,
                    float(rng.uniform(issue.scale.min, issue.scale.max)),
                    float(rng.uniform(0.1, 1.0)),
                )
            )
    return Scenario("contract", actors, issues, tuple(stances))


def _draws(view: ScenarioArrays, rng: np.random.Generator, d: int) -> ScenarioArrays:
    """``d`` perturbed draws of a point view (positions kept on each scale)."""
    width = view.scale_max - view.scale_min
    pos = view.position + rng.normal(0, 0.08, size=(d, *view.position.shape[1:])) * width
    pos = np.clip(pos, view.scale_min, view.scale_max)
    sal = np.clip(view.salience * rng.uniform(0.7, 1.3, size=pos.shape), 0, 1)
    cap = view.capability * rng.uniform(0.7, 1.3, size=(d, view.n_actors))
    return view.with_draws(position=pos, salience=sal, capability=cap)


def _run(name: str, view: ScenarioArrays, seed: int = 0) -> Forecast:
    return make_model(name).forecast(view, rng=np.random.default_rng(seed))


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("seed", SEEDS)
def test_forecast_inside_scale(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    view = _draws(_scenario(rng).arrays(), rng, 5)
    fc = _run(name, view)
    assert fc.outcome.shape == (view.n_draws, view.n_issues)
    assert fc.issue_ids == view.issue_ids
    assert np.all(np.isfinite(fc.outcome))
    assert np.all(fc.outcome >= view.scale_min - 1e-9)
    assert np.all(fc.outcome <= view.scale_max + 1e-9)
    if fc.trajectory is not None:
        assert fc.trajectory.shape[0] == view.n_draws
        assert fc.trajectory.shape[2:] == (view.n_actors, view.n_issues)
        np.testing.assert_allclose(fc.trajectory[:, 0], view.position)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("seed", SEEDS)
def test_unanimity_gives_common_position(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    view = _scenario(rng).arrays()
    common = rng.uniform(view.scale_min, view.scale_max)
    pos = np.broadcast_to(common, view.position.shape).copy()
    fc = _run(name, view.with_draws(position=pos))
    np.testing.assert_allclose(fc.outcome, common[None], rtol=0, atol=1e-9 * 40)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("seed", SEEDS)
def test_actor_order_does_not_matter(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    view = _draws(_scenario(rng).arrays(), rng, 3)
    perm = rng.permutation(view.n_actors)
    a = _run(name, view)
    b = _run(name, view.take_actors(perm))
    np.testing.assert_allclose(b.outcome, a.outcome, atol=1e-7)
    if a.trajectory is not None and b.trajectory is not None:
        np.testing.assert_allclose(b.trajectory[:, -1], a.trajectory[:, -1][:, perm], atol=1e-7)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("seed", SEEDS)
def test_batch_equals_loop(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    view = _draws(_scenario(rng).arrays(), rng, 4)
    batch = _run(name, view)
    for d in range(view.n_draws):
        single = _run(name, view.draw(d))
        np.testing.assert_allclose(batch.outcome[d], single.outcome[0], atol=1e-9)
        if batch.trajectory is not None and single.trajectory is not None:
            np.testing.assert_allclose(batch.trajectory[d, -1], single.trajectory[0, -1], atol=1e-9)


@pytest.mark.parametrize("name", MODELS)
def test_deterministic_under_seed(name: str) -> None:
    rng = np.random.default_rng(11)
    view = _draws(_scenario(rng).arrays(), rng, 3)
    a = _run(name, view, seed=5)
    b = _run(name, view, seed=5)
    np.testing.assert_array_equal(a.outcome, b.outcome)
    if a.trajectory is not None and b.trajectory is not None:
        np.testing.assert_array_equal(a.trajectory, b.trajectory)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("seed", SEEDS)
def test_untraced_forecast_keeps_the_outcome(name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    view = _draws(_scenario(rng).arrays(), rng, 7)
    model = make_model(name)
    traced = model.forecast(view, rng=np.random.default_rng(seed))
    bare = model.forecast(view, rng=np.random.default_rng(seed), trace=False)
    np.testing.assert_array_equal(bare.outcome, traced.outcome)
    assert bare.trajectory is None
    for key, value in bare.diagnostics.items():
        assert key in traced.diagnostics
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, traced.diagnostics[key])
    per_round = set(traced.diagnostics) - set(bare.diagnostics)
    assert all(np.ndim(traced.diagnostics[k]) == 4 for k in per_round)


@pytest.mark.parametrize("name", MODELS)
def test_issue_without_stances_has_no_forecast(name: str) -> None:
    """No actor holds a stance on i1: its forecast is NaN (no made-up number, no warning)."""
    scenario = _scenario(np.random.default_rng(5))
    scenario = Scenario(
        scenario.title,
        scenario.actors,
        scenario.issues,
        tuple(s for s in scenario.stances if s.issue != "i1"),
    )
    outcome = make_model(name).forecast(scenario.arrays(), rng=np.random.default_rng(0)).outcome
    assert np.isnan(outcome[0, 1])
    assert np.all(np.isfinite(outcome[0, [0, 2]]))


@pytest.mark.parametrize("name", MODELS)
def test_issue_nobody_weighs_has_no_forecast(name: str) -> None:
    """Every stance on i1 has salience 0: its forecast is NaN, like an issue without stances."""
    scenario = _scenario(np.random.default_rng(6))
    stances = tuple(
        Stance(s.actor, s.issue, s.position, 0.0) if s.issue == "i1" else s
        for s in scenario.stances
    )
    scenario = Scenario(scenario.title, scenario.actors, scenario.issues, stances)
    outcome = make_model(name).forecast(scenario.arrays(), rng=np.random.default_rng(0)).outcome
    assert np.isnan(outcome[0, 1])
    assert np.all(np.isfinite(outcome[0, [0, 2]]))


@pytest.mark.parametrize("name", MODELS)
def test_no_draws_untraced_give_empty_outcomes(name: str) -> None:
    view = _scenario(np.random.default_rng(0)).arrays()
    none = view.with_draws(
        position=view.position[:0], salience=view.salience[:0], capability=view.capability[:0]
    )
    bare = make_model(name).forecast(none, rng=np.random.default_rng(0), trace=False)
    assert bare.outcome.shape == (0, view.n_issues)
