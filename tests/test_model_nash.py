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


def _real_root_in(coefficients: np.ndarray, low: float, high: float) -> float:
    """The one real root of a polynomial in (low, high) (numpy's companion matrix)."""
    roots = np.roots(coefficients)
    real = [r.real for r in roots if abs(r.imag) < 1e-9 and low < r.real < high]
    assert len(real) == 1
    return float(real[0])


def test_symmetric_status_quo_stays_put() -> None:
    # Status quo midway between two equal actors: the game is symmetric about 50.
    sc = _scenario([("a", 1.0, [20.0], [1.0]), ("b", 1.0, [80.0], [1.0])], [50.0])
    fc = NashBargainingModel().forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(50.0, abs=1e-9)
    assert fc.diagnostics["players"][0, :, 0].tolist() == [True, True]
    assert fc.diagnostics["status_quo_missing"] == ()


def test_asymmetric_quadratic_by_hand() -> None:
    # Status quo 0; actor a at 60 with capability 2, actor b at 100 with capability 1;
    # breakdown 1 adds a loss of 100^2 to each at the status quo. Quadratic gains:
    # g_a = 60^2 + 100^2 - (x-60)^2, g_b = 100^2 + 100^2 - (x-100)^2.
    # Maximise 2 log g_a + log g_b: 2 (x-60) g_b + (x-100) g_a = 0, a cubic in x.
    p = np.polynomial.Polynomial
    x = p([0.0, 1.0])
    g_a = 13600.0 - (x - 60.0) ** 2
    g_b = 20000.0 - (x - 100.0) ** 2
    cubic = 2.0 * (x - 60.0) * g_b + (x - 100.0) * g_a
    expected = _real_root_in(cubic.coef[::-1], 60.0, 100.0)
    sc = _scenario([("a", 2.0, [60.0], [0.5]), ("b", 1.0, [100.0], [0.9])], [0.0])
    fc = NashBargainingModel(loss="quadratic").forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(expected, abs=1e-9)
    assert fc.diagnostics["players"][0, :, 0].tolist() == [True, True]


def test_textbook_limit_of_a_small_breakdown_cost() -> None:
    # With a vanishing breakdown cost the textbook solution returns: gains
    # x(120-x) and x(200-x); 3/x - 2/(120-x) - 1/(200-x) = 0 gives x = 200/3.
    sc = _scenario([("a", 2.0, [60.0], [0.5]), ("b", 1.0, [100.0], [0.9])], [0.0])
    fc = NashBargainingModel(breakdown=1e-7).forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(200 / 3, abs=1e-6)


def test_asymmetric_linear_by_hand() -> None:
    # Same game, linear gains with breakdown cost 100: g_a = 160 - |x-60|,
    # g_b = 200 - |x-100|. Below 60, 3 log(100 + x) grows; above, on [60, 100],
    # d/dx = -2/(220-x) + 1/(100+x) < 0 (zero only at x = 20/3), so the maximum is the
    # kink at a's position, 60.
    sc = _scenario([("a", 2.0, [60.0], [0.5]), ("b", 1.0, [100.0], [0.9])], [0.0])
    fc = NashBargainingModel(loss="linear").forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(60.0, abs=1e-9)


def test_both_sides_of_the_status_quo_bargain() -> None:
    # Status quo 50; a (capability 1) at 20, b (capability 2) at 80; breakdown 1:
    # g_a = 30^2 + 100^2 - (x-20)^2, g_b = 30^2 + 100^2 - (x-80)^2;
    # (x-20) g_b + 2 (x-80) g_a = 0.
    p = np.polynomial.Polynomial
    x = p([0.0, 1.0])
    cubic = (x - 20.0) * (10900.0 - (x - 80.0) ** 2) + 2.0 * (x - 80.0) * (
        10900.0 - (x - 20.0) ** 2
    )
    expected = _real_root_in(cubic.coef[::-1], 20.0, 80.0)
    sc = _scenario([("a", 1.0, [20.0], [1.0]), ("b", 2.0, [80.0], [1.0])], [50.0])
    fc = NashBargainingModel().forecast(sc.arrays())
    assert fc.outcome[0, 0] == pytest.approx(expected, abs=1e-9)
    assert 50.0 < fc.outcome[0, 0] < 80.0
    assert fc.diagnostics["players"][0, :, 0].tolist() == [True, True]


@pytest.mark.parametrize("loss", ["linear", "quadratic"])
def test_a_stance_at_the_status_quo_is_no_knife_edge(loss: str) -> None:
    # An actor exactly at the status quo, then 0.01 above and below it: the forecasts
    # differ by about 0.01, not by the distance to the status quo (issue 11).
    def outcome(c_pos: float) -> float:
        sc = _scenario(
            [("a", 1.0, [90.0], [1.0]), ("b", 2.0, [70.0], [0.8]), ("c", 1.0, [c_pos], [0.5])],
            [40.0],
        )
        return float(NashBargainingModel(loss=loss).forecast(sc.arrays()).outcome[0, 0])  # type: ignore[arg-type]

    at = outcome(40.0)
    assert abs(outcome(40.01) - at) < 0.02
    assert abs(outcome(39.99) - at) < 0.02
    assert at > 45.0  # the actor at the status quo does not pin the issue there


def test_invalid_breakdown_rejected() -> None:
    with pytest.raises(ValueError, match="breakdown"):
        NashBargainingModel(breakdown=0.0)


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
