"""The exact search under a Lagrangian bound, and HiGHS through highspy, against brute force."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from zopa.agreements import lagrange
from zopa.agreements.highs import solve_milp
from zopa.agreements.lagrange import Relaxation, best_package


def _instance(seed: int, *, n_i: int = 7, n_p: int = 3, n_k: int = 1) -> dict[str, Any]:
    """A random choice of one level per issue with ``n_p`` parties' rows and ``n_k`` pieces."""
    rng = np.random.default_rng(seed)
    n_levels = rng.integers(2, 6, n_i)
    offsets = np.concatenate([[0], np.cumsum(n_levels)]).astype(np.intp)
    n = int(offsets[-1])
    t = rng.uniform(0, 1, (n_p, n)) / n_i
    allowed = rng.random(n) < 0.85
    for i in range(n_i):  # at least one level per issue
        allowed[offsets[i] + rng.integers(n_levels[i])] = True
    # rows each party can reach, but not all at once at their best
    best = np.array([np.maximum.reduceat(np.where(allowed, r, -1), offsets[:-1]).sum() for r in t])
    b = best * rng.uniform(0.55, 0.8, n_p)
    c = t[:n_k] / rng.uniform(0.5, 2.0, (n_k, 1)) if n_k > 1 else t[rng.integers(n_p)][None]
    d = -rng.uniform(0, 0.3, n_k) if n_k > 1 else np.zeros(1)
    return {"c": c, "d": d, "t": t, "b": b, "offsets": offsets, "allowed": allowed}


def _every_package(inst: dict[str, Any]) -> np.ndarray:
    offsets, allowed = inst["offsets"], inst["allowed"]
    choices = [
        np.flatnonzero(allowed[offsets[i] : offsets[i + 1]]) for i in range(len(offsets) - 1)
    ]
    return np.array(list(itertools.product(*choices)), dtype=np.intp)


def _score(inst: dict[str, Any]) -> Any:
    """Scores summed issue by issue (as the zone's exact test does); -inf outside the rows."""
    c, d, t, b, offsets = inst["c"], inst["d"], inst["t"], inst["b"], inst["offsets"]

    def score(packages: np.ndarray) -> np.ndarray:
        cols = packages + offsets[:-1]
        rows = np.zeros((len(packages), t.shape[0]))
        vals = np.zeros((len(packages), c.shape[0]))
        for i in range(cols.shape[1]):
            rows += t[:, cols[:, i]].T
            vals += c[:, cols[:, i]].T
        return np.where((rows >= b).all(axis=1), (vals + d).min(axis=1), -np.inf)

    return score


def _brute(inst: dict[str, Any]) -> float:
    return float(_score(inst)(_every_package(inst)).max())


@pytest.mark.parametrize("n_k", [1, 3])
def test_best_package_equals_brute_force(n_k: int) -> None:
    checked = 0
    for seed in range(30):
        inst = _instance(seed, n_k=n_k)
        want = _brute(inst)
        got = best_package(**inst, score=_score(inst))
        if not np.isfinite(want):
            assert got is None
            continue
        assert got is not None
        levels, value = got
        assert value == want
        assert _score(inst)(levels[None])[0] == want
        checked += 1
    assert checked >= 20


def test_best_package_splits_the_zone_when_listing_is_capped(monkeypatch: Any) -> None:
    """With at most 3 packages listed at once and the worst package as the one to beat,
    the search splits the zone by levels (relaxations of the parts): same optima."""
    monkeypatch.setattr(lagrange, "LIST_AT_ONCE", 3)
    monkeypatch.setattr(lagrange, "FIRST_GAP", 1e-9)
    solved = []
    multipliers = Relaxation.multipliers

    def counted(self: Relaxation, allowed: np.ndarray) -> Any:
        solved.append(1)
        return multipliers(self, allowed)

    monkeypatch.setattr(Relaxation, "multipliers", counted)
    compared = 0
    for seed in range(12):
        inst = _instance(seed, n_i=8, n_k=2)
        every = _every_package(inst)
        scores = _score(inst)(every)
        if not np.isfinite(scores.max()):
            continue
        worst = every[np.flatnonzero(np.isfinite(scores))[np.argmin(scores[np.isfinite(scores)])]]
        got = best_package(**inst, score=_score(inst), known=worst[None])
        if got is None:  # gave up (node limit): the caller asks HiGHS
            continue
        assert got[1] == scores.max()
        compared += 1
    assert compared >= 8
    assert len(solved) > 3 * compared  # the parts' own relaxations were solved


def test_best_package_gives_up_rather_than_guess(monkeypatch: Any) -> None:
    monkeypatch.setattr(lagrange, "LIST_AT_ONCE", 0)
    inst = _instance(1)
    assert best_package(**inst, score=_score(inst)) is None


def test_relaxation_bound_is_above_every_package() -> None:
    """The Lagrangian bound from the relaxation's duals is >= the best package, and equals
    the relaxation's optimum found by scipy's linprog (an independent HiGHS call)."""
    from scipy.optimize import linprog

    for seed in range(8):
        inst = _instance(seed, n_k=2)
        c, d, t, b, offsets, allowed = (inst[k] for k in ("c", "d", "t", "b", "offsets", "allowed"))
        found = Relaxation(c, d, t, b, offsets).multipliers(allowed)
        n = c.shape[1]
        n_i = len(offsets) - 1
        eq = np.zeros((n_i, n + 1))
        for i in range(n_i):
            eq[i, offsets[i] : offsets[i + 1]] = 1.0
        # max s: s - C_k z <= d_k, -T z <= -b
        a_ub = np.vstack(
            [np.hstack([-c, np.ones((len(d), 1))]), np.hstack([-t, np.zeros((len(b), 1))])]
        )
        lp = linprog(
            np.concatenate([np.zeros(n), [-1.0]]),
            A_ub=a_ub,
            b_ub=np.concatenate([d, -b]),
            A_eq=eq,
            b_eq=np.ones(n_i),
            bounds=[(0, float(ok)) for ok in allowed] + [(None, None)],
        )
        if found is None:
            assert lp.status == 2
            continue
        mu, nu = found
        assert np.all(mu >= 0)
        assert np.all(nu >= 0)
        assert abs(mu.sum() - 1.0) < 1e-12
        beta = np.where(allowed, mu @ c + nu @ t, -np.inf)
        bound = float(mu @ d - nu @ b + np.maximum.reduceat(beta, offsets[:-1]).sum())
        assert bound == pytest.approx(-lp.fun, abs=1e-9)
        best = _brute(inst)
        if np.isfinite(best):
            assert bound >= best - 1e-12


def test_solve_milp_by_hand_with_and_without_a_start() -> None:
    """Pick one of three items in each of two groups, weight <= 5, most value.

    Group 1 (value, weight): (3, 1), (5, 3), (6, 4); group 2: (2, 1), (4, 2), (7, 4).
    The pairs within weight 5 are worth 5, 7, 10, 7, 9 and 8; the best is the first
    item of group 1 with the last of group 2 (columns 0 and 5, value 10). A start at
    columns 1 and 4 (value 9, weight 5) must not change it; within weight 1.5 nothing
    fits.
    """
    value = np.array([3.0, 5.0, 6.0, 2.0, 4.0, 7.0])
    weight = np.array([1.0, 3.0, 4.0, 1.0, 2.0, 4.0])
    a = np.vstack([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1], weight]).astype(float)
    lo = np.array([1.0, 1.0, -np.inf])
    hi = np.array([1.0, 1.0, 5.0])
    args = (a, lo, hi, np.zeros(6), np.ones(6), 6, -value)
    cold = solve_milp(*args)
    warm = solve_milp(*args, start=np.array([0, 1, 0, 0, 1, 0], dtype=float))
    for x in (cold, warm):
        assert x is not None
        assert np.flatnonzero(x > 0.5).tolist() == [0, 5]
    hi_tight = np.array([1.0, 1.0, 1.5])
    assert solve_milp(a, lo, hi_tight, np.zeros(6), np.ones(6), 6, -value) is None


def test_milp_backend_search_and_solver_agree(monkeypatch: Any) -> None:
    """The ideal gains and solutions with the search equal those HiGHS alone gives."""
    from pathlib import Path

    from zopa.agreements import milp
    from zopa.agreements.milp import MilpBackend
    from zopa.agreements.space import build_space
    from zopa.io import load_scenario

    root = Path(__file__).resolve().parents[1]
    space = build_space(
        load_scenario(root / "tests/fixtures/large/synthetic-10x20-red0.3.yaml").arrays()
    )
    with_search = MilpBackend(space)
    picks = with_search.solutions()
    ideal = with_search.ideal()
    monkeypatch.setattr(milp, "best_package", lambda *a, **k: None)
    alone = MilpBackend(space)
    assert alone.solutions().keys() == picks.keys()
    for concept, (pk, why) in alone.solutions().items():
        want, want_why = picks[concept]
        assert why == want_why
        assert (pk is None) == (want is None)
        if pk is not None and want is not None:
            assert pk.tolist() == want.tolist(), concept
    # the solver stops within its absolute gap (1e-6); the search is exact
    assert np.allclose(alone.ideal(), ideal, rtol=0, atol=1e-6)
    assert np.all(ideal >= alone.ideal() - 1e-12)


def test_milp_backend_answers_do_not_depend_on_the_threads(monkeypatch: Any) -> None:
    """One thread or three: the same packages and ideal gains, to the last bit."""
    from pathlib import Path

    from zopa.agreements import milp
    from zopa.agreements.space import build_space
    from zopa.io import load_scenario

    root = Path(__file__).resolve().parents[1]
    space = build_space(
        load_scenario(root / "tests/fixtures/large/synthetic-10x20-red0.3.yaml").arrays()
    )
    runs = []
    for workers in (1, 3):
        monkeypatch.setattr(milp, "_workers", lambda w=workers: w)
        backend = milp.MilpBackend(space)
        picks = backend.solutions()
        runs.append(
            (
                {c: (None if pk is None else pk.tolist(), why) for c, (pk, why) in picks.items()},
                backend.ideal().tobytes(),
            )
        )
    assert runs[0] == runs[1]
