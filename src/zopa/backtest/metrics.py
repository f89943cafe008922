"""Forecast-error metrics, their bootstrap intervals, and paired comparisons.

All errors are absolute errors on a 0-100 scale (each issue's scale mapped onto 0-100),
the convention of the EU decision-making literature (Thomson et al. 2006, 2012), so that
"within 10 points" means the same on every issue.

Intervals are percentile bootstrap intervals over cases (issues), resampled with a
``numpy.random.Generator`` the caller passes in (Efron & Tibshirani 1993, ch. 13).
Paired comparisons resample the same cases for both models, so the interval is for the
difference in mean absolute error on the issues both models forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

METRICS: tuple[str, ...] = ("mae", "rmse", "median_ae", "within_10")
WITHIN = 10.0  # points on the 0-100 scale


@dataclass(frozen=True, slots=True)
class Interval:
    """A two-sided interval."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class ErrorSummary:
    """How far one model's forecasts fell from the outcomes.

    Attributes:
        mae: Mean absolute error.
        rmse: Root mean squared error.
        median_ae: Median absolute error.
        within_10: Share of cases with an absolute error of at most 10 points.
        n: Number of cases.
        ci: Bootstrap interval of each metric, keyed by metric name (empty when n < 2).
        level: Coverage of the intervals, e.g. 0.95.
    """

    mae: float
    rmse: float
    median_ae: float
    within_10: float
    n: int
    ci: dict[str, Interval]
    level: float


@dataclass(frozen=True, slots=True)
class PairedComparison:
    """Model ``a`` against model ``b`` on the cases both forecast.

    Attributes:
        a: Name of the first model.
        b: Name of the second model.
        n: Number of shared cases.
        mae_diff: MAE of ``a`` minus MAE of ``b`` (negative: ``a`` is closer).
        ci: Paired bootstrap interval of ``mae_diff`` (None when n < 2).
        share_a_better: Share of bootstrap replicates in which ``a``'s MAE is lower.
        level: Coverage of the interval.
    """

    a: str
    b: str
    n: int
    mae_diff: float
    ci: Interval | None
    share_a_better: float | None
    level: float


def metric_rows(abs_err: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    """Every metric over the last axis of ``abs_err`` (any leading axes kept)."""
    return {
        "mae": abs_err.mean(axis=-1),
        "rmse": np.sqrt((abs_err**2).mean(axis=-1)),
        "median_ae": np.median(abs_err, axis=-1),
        "within_10": (abs_err <= WITHIN).mean(axis=-1),
    }


def _percentile_interval(values: NDArray[np.float64], level: float) -> Interval:
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    return Interval(float(low), float(high))


def summarise(
    abs_err: NDArray[np.float64],
    *,
    rng: np.random.Generator,
    n_boot: int = 2000,
    level: float = 0.95,
) -> ErrorSummary:
    """Metrics of one model's absolute errors with percentile bootstrap intervals."""
    err = np.asarray(abs_err, dtype=float)
    if err.ndim != 1 or err.size == 0:
        raise ValueError("abs_err must be a non-empty 1-D array")
    point = metric_rows(err)
    ci: dict[str, Interval] = {}
    if err.size >= 2 and n_boot > 0:
        idx = rng.integers(0, err.size, size=(n_boot, err.size))
        boot = metric_rows(err[idx])
        ci = {name: _percentile_interval(boot[name], level) for name in METRICS}
    return ErrorSummary(
        mae=float(point["mae"]),
        rmse=float(point["rmse"]),
        median_ae=float(point["median_ae"]),
        within_10=float(point["within_10"]),
        n=int(err.size),
        ci=ci,
        level=level,
    )


def paired_comparison(
    a: str,
    b: str,
    err_a: NDArray[np.float64],
    err_b: NDArray[np.float64],
    *,
    rng: np.random.Generator,
    n_boot: int = 2000,
    level: float = 0.95,
) -> PairedComparison:
    """Paired bootstrap of the difference in mean absolute error, ``a`` minus ``b``."""
    ea, eb = np.asarray(err_a, dtype=float), np.asarray(err_b, dtype=float)
    if ea.shape != eb.shape or ea.ndim != 1 or ea.size == 0:
        raise ValueError("err_a and err_b must be non-empty 1-D arrays of equal length")
    diff = ea - eb
    ci: Interval | None = None
    share: float | None = None
    if diff.size >= 2 and n_boot > 0:
        idx = rng.integers(0, diff.size, size=(n_boot, diff.size))
        boot = diff[idx].mean(axis=1)
        ci = _percentile_interval(boot, level)
        share = float((boot < 0).mean())
    return PairedComparison(
        a=a,
        b=b,
        n=int(diff.size),
        mae_diff=float(diff.mean()),
        ci=ci,
        share_a_better=share,
        level=level,
    )
