"""Known answers for the asymmetric Nash bargaining solution."""

from __future__ import annotations

import numpy as np
import pytest

from zopa.models.nash import FALLBACK, NashBargainingModel
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance


def _scenario(
    actors: list[tuple[str, float, list[float], list[float]]],
    status_quo: list[float | None],
) -> Scenario:
    """actors: (id, capability, positions per issue, saliences per issue)."""
    issues = tuple(
        Issue(f"i{k}", f"issue {k}", Scale(0, 100), status_quo=sq)
        for k, sq in enumerate(status_quo)
    )
    return Scenario(
        "nash",
        tuple(Actor(a, a, c) for a, c, _, _ in actors),
        issues,
        tuple(
            Stance(a, f"i{k}", x, s)
            for a, _, xs, ss in actors
            for k, (x, s) in enumerate(zip(xs, ss, strict=True))
        ),
    )


@pytest.mark.parametrize("loss", ["linear", "quadratic"])
@pytest.mark.parametrize("joint", [False, True])
def test_symmetric_two_actors_split_at_the_midpoint(loss: str, joint: bool) -> None:
    # Two equal actors at 20 and 80, no status quo: each one's disagreement point is its
    # worst point (100 for the first, 0 for the second), 80 away from both, so the game
    # is symmetric and the Nash solution is the midpoint.
    sc = _scenario([("a", 1.0, [20.0], [0.7]), ("b", 1.0, [80.0], [0.7])], [None])
    fc = NashBargainingModel(loss=loss, joint=joint).forecast(sc.arrays())  # type: ignore[arg-type]
    assert fc.outcome[0, 0] == pytest.approx(50.0, abs=1e-9)
    assert fc.diagnostics["status_quo_missing"] == ("i0",)
    assert fc.diagnostics["fallback"] == FALLBACK


def test_symmetric_status_quo_stays_put() -> None:
    # Status quo midway between two equal actors: each side has one player of equal
    # weight, so no side carries the issue and the status quo stands.
    sc = _scenario([("a", 1.0, [20.0], [1.0]), ("b", 1.0, [80.0], [1.0])], [50.0])
    fc = NashBargainingModel().forecast(sc.arrays())
    assert fc.outcome[0, 0] == 50.0
    assert fc.diagnostics["side"][0, 0] == 0
    assert fc.diagnostics["status_quo_missing"] == ()


def test_asymmetric_quadratic_by_hand() -> None:
    # Status quo 0; actor a at 60 with capability 2, actor b at 100 with capability 1.
    # Quadratic gains: g_a = 60^2 - (x-60)^2 = x(120-x), g_b = 100^2 - (x-100)^2 = x(200-x).
    # Maximise 2 log g_a + log g_b: 3/x - 2/(120-x) - 1/(200-x) = 0
    #   <=> 3(120-x)(200-x) - 2x(200-x) - x(120-x) = 0 <=> 6x^2 - 1480x + 72000 = 0
    #   <=> x = (1480 -+ 680) / 12 -> 200/3 (the root 180 lies outside the scale).
    sc = _scenario([("a", 2.0, [60.0], [0.5]), ("b", 1.0, [100.0], [0.9])], [0.0])
    fc = NashBargainingModel(loss="quadratic").forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(200 / 3, abs=1e-9)
    assert fc.diagnostics["side"][0, 0] == 1
    assert fc.diagnostics["players"][0, :, 0].tolist() == [True, True]


def test_asymmetric_linear_by_hand() -> None:
    # Same game, linear gains: g_b = x on [0, 100]; g_a = x on [0, 60], 120 - x above.
    # Below 60 the product 3 log x grows; above, d/dx = -2/(120-x) + 1/x < 0 for x > 40,
    # so the maximum is the kink at a's position, 60.
    sc = _scenario([("a", 2.0, [60.0], [0.5]), ("b", 1.0, [100.0], [0.9])], [0.0])
    fc = NashBargainingModel(loss="linear").forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(60.0, abs=1e-9)


def test_heavier_side_of_the_status_quo_bargains() -> None:
    # Status quo 50; a (weight 1x1) below, b (2x1) above: b's side carries the issue and
    # b, alone on it, gets its position.
    sc = _scenario([("a", 1.0, [20.0], [1.0]), ("b", 2.0, [80.0], [1.0])], [50.0])
    fc = NashBargainingModel().forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(80.0, abs=1e-9)
    assert fc.diagnostics["side"][0, 0] == 1
    assert fc.diagnostics["players"][0, :, 0].tolist() == [False, True]


def test_salience_does_not_matter_per_issue() -> None:
    a = _scenario([("a", 2.0, [60.0], [0.1]), ("b", 1.0, [100.0], [1.0])], [0.0])
    b = _scenario([("a", 2.0, [60.0], [1.0]), ("b", 1.0, [100.0], [0.2])], [0.0])
    fa = NashBargainingModel().forecast(a.arrays())
    fb = NashBargainingModel().forecast(b.arrays())
    np.testing.assert_allclose(fa.outcome, fb.outcome)


def test_joint_trades_issues_by_salience() -> None:
    # a cares about issue 0, b about issue 1; jointly each concedes on the issue it cares
    # little about. Checked against a brute-force grid of the joint Nash product.
    actors = [
        ("a", 1.0, [0.0, 0.0], [0.9, 0.1]),
        ("b", 1.5, [100.0, 100.0], [0.1, 0.9]),
    ]
    sc = _scenario(actors, [None, None])
    per_issue = NashBargainingModel().forecast(sc.arrays()).outcome[0]
    fc = NashBargainingModel(joint=True, sweeps=60).forecast(sc.arrays())
    y = fc.outcome[0]

    grid = np.linspace(0, 100, 1001)
    y0, y1 = np.meshgrid(grid, grid, indexing="ij")
    # disagreement: each actor's worst point, 100 away on both issues
    gain_a = (0.9 + 0.1) * 100**2 - 0.9 * y0**2 - 0.1 * y1**2
    gain_b = (0.1 + 0.9) * 100**2 - 0.1 * (100 - y0) ** 2 - 0.9 * (100 - y1) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        obj = np.where((gain_a > 0) & (gain_b > 0), np.log(gain_a) + 1.5 * np.log(gain_b), -np.inf)
    k = np.unravel_index(np.argmax(obj), obj.shape)
    assert y[0] == pytest.approx(grid[k[0]], abs=0.15)
    assert y[1] == pytest.approx(grid[k[1]], abs=0.15)
    assert y[0] < per_issue[0]  # issue 0 moves towards a, who cares about it ...
    assert y[1] > per_issue[1]  # ... and issue 1 towards b
    np.testing.assert_allclose(fc.diagnostics["per_issue_outcome"][0], per_issue)


def test_joint_single_issue_equals_per_issue() -> None:
    sc = _scenario([("a", 2.0, [60.0], [0.5]), ("b", 1.0, [100.0], [0.9])], [0.0])
    a = NashBargainingModel().forecast(sc.arrays())
    b = NashBargainingModel(joint=True).forecast(sc.arrays())
    np.testing.assert_allclose(b.outcome, a.outcome, atol=1e-9)


def test_invalid_parameters_rejected() -> None:
    with pytest.raises(ValueError, match="loss"):
        NashBargainingModel(loss="cubic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="iterations"):
        NashBargainingModel(iterations=0)


def test_joint_batch_equals_loop() -> None:
    rng = np.random.default_rng(4)
    actors = [
        (f"a{k}", float(rng.uniform(0.5, 2)), list(rng.uniform(0, 100, 3)), [0.9, 0.5, 0.2])
        for k in range(4)
    ]
    view = _scenario(actors, [30.0, None, 80.0]).arrays()
    pos = np.clip(view.position + rng.normal(0, 10, size=(5, *view.position.shape[1:])), 0, 100)
    batch = view.with_draws(position=pos)
    model = NashBargainingModel(joint=True)
    together = model.forecast(batch).outcome
    for d in range(5):
        np.testing.assert_allclose(together[d], model.forecast(batch.draw(d)).outcome[0])


@pytest.mark.parametrize("loss", ["linear", "quadratic"])
def test_compiled_per_issue_solver_matches_a_dense_grid(loss: str) -> None:
    # 200 random games of 2-6 players on one side of a status quo at 0: the compiled
    # bisection must find the maximum of the weighted log Nash product that a dense grid
    # over the players' common gain region finds (an independent computation).
    from zopa.models.nash import nash_per_issue

    rng = np.random.default_rng(7)
    n_g, n_a = 200, 6
    position = rng.uniform(5, 100, (n_g, n_a))
    weight = rng.uniform(0.1, 1.0, (n_g, n_a))
    players = rng.random((n_g, n_a)) < 0.7
    players[:, 0] = True
    reach = position.copy()  # distance to the status quo at 0
    low, high = np.zeros(n_g), np.full(n_g, 100.0)
    solved = nash_per_issue(position, weight, players, reach, low, high, loss)  # type: ignore[arg-type]

    grid = np.linspace(0, 100, 100_001)
    power = 1.0 if loss == "linear" else 2.0
    for g in range(n_g):
        x, w, r = position[g, players[g]], weight[g, players[g]], reach[g, players[g]]
        gain = r[:, None] ** power - np.abs(grid[None] - x[:, None]) ** power
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(
                (gain > 0).all(axis=0), (w[:, None] * np.log(gain)).sum(axis=0), -np.inf
            )
        best = grid[np.argmax(value)]
        assert solved[g] == pytest.approx(best, abs=2e-3), g
