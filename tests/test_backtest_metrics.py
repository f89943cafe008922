"""Backtest metrics, bootstrap intervals and paired comparisons against hand values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from zopa.backtest import paired_comparison, run_backtest, summarise, unweighted_mean
from zopa.backtest.baselines import status_quo
from zopa.scenario import Issue, Scale

from helpers import make_scenario


def test_metrics_by_hand() -> None:
    s = summarise(np.array([0.0, 5.0, 10.0, 20.0]), rng=np.random.default_rng(0), n_boot=0)
    assert s.mae == pytest.approx(8.75)
    assert s.rmse == pytest.approx(math.sqrt((0 + 25 + 100 + 400) / 4))
    assert s.median_ae == pytest.approx(7.5)
    assert s.within_10 == pytest.approx(0.75)  # 10 counts as within 10 points
    assert s.n == 4
    assert s.ci == {}


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate() -> None:
    err = np.array([1.0, 4.0, 9.0, 16.0, 25.0, 2.0, 3.0])
    a = summarise(err, rng=np.random.default_rng(5), n_boot=4000)
    b = summarise(err, rng=np.random.default_rng(5), n_boot=4000)
    assert a == b
    for name in ("mae", "rmse", "median_ae", "within_10"):
        assert a.ci[name].low <= getattr(a, name) <= a.ci[name].high
    # every resampled mean lies between the smallest and largest error
    assert 1.0 <= a.ci["mae"].low < a.ci["mae"].high <= 25.0


def test_bootstrap_of_constant_errors_collapses() -> None:
    s = summarise(np.full(5, 3.0), rng=np.random.default_rng(0), n_boot=500)
    assert (s.ci["mae"].low, s.ci["mae"].high) == (3.0, 3.0)


def test_paired_comparison_by_hand() -> None:
    # differences a - b: -1, 0, -2; mean -1. A replicate's mean is < 0 unless it draws
    # the zero difference three times: probability 1 - (1/3)^3 = 26/27.
    p = paired_comparison(
        "a",
        "b",
        np.array([1.0, 2.0, 3.0]),
        np.array([2.0, 2.0, 5.0]),
        rng=np.random.default_rng(1),
        n_boot=20000,
    )
    assert p.mae_diff == pytest.approx(-1.0)
    assert p.n == 3
    assert p.share_a_better == pytest.approx(26 / 27, abs=0.01)
    assert p.ci is not None
    assert -2.0 <= p.ci.low <= p.ci.high <= 0.0


def test_paired_comparison_rejects_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="equal length"):
        paired_comparison("a", "b", np.ones(2), np.ones(3), rng=np.random.default_rng(0))


def test_baselines() -> None:
    sc = make_scenario([[0, 10], [60, 30], [90, 20]], status_quo=[5.0, None])
    view = sc.arrays()
    np.testing.assert_allclose(unweighted_mean(view), [[50.0, 20.0]])
    out = status_quo(view)
    assert out[0, 0] == 5.0
    assert math.isnan(out[0, 1])


def test_run_backtest_by_hand() -> None:
    # one issue on 0..100 and one on 0..10 (errors are mapped onto 0..100)
    sc = make_scenario([[0, 0], [100, 10]], capabilities=[3, 1], status_quo=[50.0, 5.0])
    issues = (
        Issue("i0", "a", Scale(0, 100), status_quo=50.0, outcome=30.0),
        Issue("i1", "b", Scale(0, 10), status_quo=5.0, outcome=4.0),
    )
    from dataclasses import replace

    sc = replace(sc, issues=issues)
    res = run_backtest([sc], ["compromise"], n_boot=0)
    # compromise: 25 on i0 (error 5), 2.5 on i1 (error 1.5 of 10 = 15 points)
    assert res.models["compromise"].mae == pytest.approx(10.0)
    # unweighted mean: 50 (error 20) and 5 (error 10 points)
    assert res.models["unweighted_mean"].mae == pytest.approx(15.0)
    # status quo: 50 (error 20) and 5 (error 10 points)
    assert res.models["status_quo"].within_10 == pytest.approx(0.5)
    pair = next(p for p in res.paired if (p.a, p.b) == ("compromise", "unweighted_mean"))
    assert pair.mae_diff == pytest.approx(-5.0)
    assert pair.ci is None  # no bootstrap asked
