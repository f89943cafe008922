"""Split-conformal intervals calibrated on DEU III, and the candidates' fitting."""

from __future__ import annotations

import math

import numpy as np
import pytest

from zopa.backtest.candidates import (
    ProceduralCompromise,
    WeightedSums,
    fit_convex_lad,
    fit_procedural,
)
from zopa.backtest.run import Case
from zopa.backtest.validity import score_parts
from zopa.models import available_models, make_model
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance
from zopa.uncertainty.calibration import (
    LABEL,
    LEVELS,
    ModelCalibration,
    calibrated_intervals,
    conformal_quantile,
    fit_model_calibration,
    load_calibration,
    position_spread,
)


def _scenario() -> Scenario:
    issues = (
        Issue("a", "a", Scale(0, 100), status_quo=0.0),
        Issue("b", "b", Scale(-5, 5), status_quo=0.0),
    )
    actors = (Actor("x", "x", 1.0), Actor("y", "y", 1.0))
    stances = (
        Stance("x", "a", 0.0, 0.5),
        Stance("y", "a", 100.0, 0.5),
        Stance("x", "b", 4.0, 0.5),
        Stance("y", "b", 4.0, 0.5),
    )
    return Scenario("cal", actors, issues, stances)


def test_conformal_quantile_rank() -> None:
    scores = [9, 1, 8, 2, 7, 3, 6, 4, 5]
    assert conformal_quantile(scores, 0.8) == 8  # ceil(10 * 0.8) = 8th smallest
    assert conformal_quantile(scores, 0.9) == 9
    assert math.isinf(conformal_quantile([1, 2, 3], 0.9))  # ceil(4 * 0.9) = 4 > 3


def test_spread_by_hand() -> None:
    spread = position_spread(_scenario().arrays())[0]
    # equal weights at 0 and 100: standard deviation 50; both at the same place: 0
    np.testing.assert_allclose(spread, [50.0, 0.0])


def test_intervals_by_hand() -> None:
    view = _scenario().arrays()
    plain = {"m": ModelCalibration("m", None, {0.8: 10.0, 0.9: 20.0}, 100)}
    out = calibrated_intervals("m", {"a": 50.0, "b": 4.0}, view, table=plain)
    assert out.label == LABEL
    assert out.intervals["a"][0.8] == (40.0, 60.0)
    assert out.intervals["a"][0.9] == (30.0, 70.0)
    # scale -5..5 is 10 wide: 10 points of 100 are 1 unit; cut at the scale's end
    assert out.intervals["b"][0.8] == (3.0, 5.0)
    scaled = {"m": ModelCalibration("m", 5.0, {0.8: 0.2, 0.9: 0.4}, 100)}
    out = calibrated_intervals("m", {"a": 50.0}, view, table=scaled)
    assert out.intervals["a"][0.8] == pytest.approx((39.0, 61.0))  # 0.2 * (50 + 5) = 11
    with pytest.raises(KeyError, match="no calibration for model"):
        calibrated_intervals("other", {"a": 1.0}, view, table=plain)


def test_fit_then_cover() -> None:
    err = np.arange(1.0, 10.0)
    cal = fit_model_calibration("m", err, np.zeros(9), gamma=None)
    assert cal.quantiles[0.8] == 8.0
    assert cal.n == 9


def test_shipped_calibration_covers_every_registered_model() -> None:
    table = load_calibration()
    assert set(table) == set(available_models())
    view = _scenario().arrays()
    for name, cal in table.items():
        assert set(cal.quantiles) == set(LEVELS)
        assert cal.quantiles[0.8] < cal.quantiles[0.9]
        point = make_model(name).forecast(view).point()
        out = calibrated_intervals(name, point, view)
        for issue, value in point.items():
            low80, high80 = out.intervals[issue][0.8]
            low90, high90 = out.intervals[issue][0.9]
            assert low90 <= low80 <= value <= high80 <= high90


def test_convex_lad_recovers_an_exact_mix() -> None:
    rng = np.random.default_rng(3)
    f = rng.uniform(0, 100, size=(40, 3))
    y = 0.25 * f[:, 0] + 0.75 * f[:, 2]
    np.testing.assert_allclose(fit_convex_lad(f, y), [0.25, 0.0, 0.75], atol=1e-7)


def test_procedural_by_hand_and_fit() -> None:
    # members at 20 (weight 2), Commission at 80 (weight 1), Parliament at 50 (weight 1)
    data = WeightedSums(
        sums=np.array([[40.0, 80.0, 50.0], [40.0, 80.0, 50.0]]),
        weights=np.array([[2.0, 1.0, 1.0], [2.0, 1.0, 1.0]]),
        codecision=np.array([True, False]),
        reference=np.array([0.0, np.nan]),
    )
    model = ProceduralCompromise(com=1.0, ep_cod=2.0, ep_cns=0.0, pull=0.5)
    # COD: (40 + 80 + 100) / (2 + 1 + 2) = 44, pulled halfway to 0: 22
    # CNS: (40 + 80) / 3 = 40, no reference point: not pulled
    np.testing.assert_allclose(model.predict(data), [22.0, 40.0])
    fitted = fit_procedural(data, model.predict(data))
    np.testing.assert_allclose(fitted.predict(data), [22.0, 40.0])


def test_part_scores_by_hand() -> None:
    cases = [
        Case("s", "i1", 10.0, 100.0, {"compromise": 20.0, "m": 10.0}),
        Case("s", "i2", 50.0, 100.0, {"compromise": 50.0, "m": 70.0}),
        Case("t", "i3", 0.0, 100.0, {"compromise": 30.0, "m": 0.0}),
    ]
    scores = score_parts(
        cases,
        ["compromise", "m"],
        part_of={"i1": "train", "i2": "train", "i3": "test"},
        cluster_of={"i1": "p1", "i2": "p1", "i3": "p2"},
        parts=("train", "test"),
        n_boot=200,
    )
    by = {(s.model, s.part): s for s in scores}
    assert by["compromise", "train"].metrics["mae"] == 5.0
    assert by["m", "train"].metrics["mae"] == 10.0
    assert by["m", "train"].diff == 5.0
    # one cluster in train: every replicate resamples it whole, so the interval is a point
    assert by["m", "train"].diff_ci is not None
    assert by["m", "train"].diff_ci.low == by["m", "train"].diff_ci.high == 5.0
    assert by["m", "test"].diff == -30.0
