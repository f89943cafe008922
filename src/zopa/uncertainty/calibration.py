"""Forecast intervals calibrated on real outcomes (split-conformal, DEU III).

The Monte Carlo ranges of :mod:`zopa.uncertainty.sampling` say how much a forecast moves
when the stances move within the analysts' ranges; they say nothing about how far the
model itself misses. The intervals here do: split-conformal prediction (Vovk, Gammerman
& Shafer 2005; Lei, G'Sell, Rinaldo, Tibshirani & Wasserman 2018, "Distribution-free
predictive inference for regression", *JASA* 113(523), 1094-1111) on each model's
errors over real EU legislative outcomes.

For a model and a nominal level ``1 - alpha``, the calibration set holds the model's
scores ``e_j = |outcome_j - forecast_j| / (spread_j + gamma)`` (points on 0-100), and
``q`` is its ``ceil((n + 1)(1 - alpha))``-th smallest value. The interval of a new issue
is ``forecast +- q (spread + gamma)`` (in 0-100 points, mapped onto the issue's scale and
cut to it). With ``gamma`` infinite (stored as ``None``) the score is the plain absolute
error and every interval has the same half-width; with a finite ``gamma`` the width grows
with ``spread``, the capability x salience weighted standard deviation of the positions
(normalised conformal scores; Lei et al. 2018, sec. 5.2). Under exchangeability of the
issues the coverage is at least ``1 - alpha`` on average.

Fitted on DEU III (data/deu3), train and dev proposals; coverage on the held-out test
proposals is in docs/validity.md. These intervals are about EU legislation: for other
kinds of negotiation they are a reference, not a guarantee (:data:`CAUTION`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays

LABEL = "calibrated on EU legislation (DEU III)"
"""How every output labels these intervals."""

CAUTION = (
    "calibrated on the errors of this model on EU legislative decisions 1999-2019 "
    "(DEU III); other kinds of negotiation may be harder or easier to forecast, so the "
    "coverage there is not known"
)
"""The caution every output shows next to :data:`LABEL`."""

LEVELS: tuple[float, ...] = (0.8, 0.9)
"""Nominal coverages offered."""

DATA_FILE = "deu3_calibration.json"


@dataclass(frozen=True)
class ModelCalibration:
    """Conformal quantiles of one model's scores.

    Attributes:
        model: Registered model name.
        gamma: Offset of the spread in the score; None for plain absolute errors.
        quantiles: ``{level: q}`` in 0-100 points (per unit of ``spread + gamma``).
        n: Size of the calibration set.
    """

    model: str
    gamma: float | None
    quantiles: Mapping[float, float]
    n: int

    def half_width(self, level: float, spread: NDArray[np.float64]) -> NDArray[np.float64]:
        """Half-width in 0-100 points at ``level`` for issues of the given spread."""
        try:
            q = self.quantiles[level]
        except KeyError:
            known = ", ".join(f"{k:g}" for k in sorted(self.quantiles))
            raise KeyError(f"no calibration at level {level:g}; known: {known}") from None
        if self.gamma is None:
            return np.full_like(spread, q, dtype=float)
        return q * (spread + self.gamma)


@dataclass(frozen=True)
class CalibratedIntervals:
    """Calibrated intervals of one model's point forecasts.

    Attributes:
        model: Model name.
        intervals: ``{issue: {level: (low, high)}}`` on each issue's own scale.
        label: :data:`LABEL`.
        caution: :data:`CAUTION`.
    """

    model: str
    intervals: Mapping[str, Mapping[float, tuple[float, float]]]
    label: str = LABEL
    caution: str = CAUTION


def conformal_quantile(scores: Sequence[float] | NDArray[np.float64], level: float) -> float:
    """The ``ceil((n + 1) level)``-th smallest score (inf when that exceeds n)."""
    s = np.sort(np.asarray(scores, dtype=float))
    n = s.size
    k = math.ceil((n + 1) * level)
    if n == 0 or k > n:
        return math.inf
    return float(s[k - 1])


def fit_model_calibration(
    model: str,
    abs_error: NDArray[np.float64],
    spread: NDArray[np.float64],
    *,
    gamma: float | None,
    levels: Sequence[float] = LEVELS,
) -> ModelCalibration:
    """Conformal quantiles from absolute errors and spreads (0-100 points) of one model."""
    err = np.asarray(abs_error, dtype=float)
    sp = np.asarray(spread, dtype=float)
    ok = np.isfinite(err) & np.isfinite(sp)
    scores = err[ok] if gamma is None else err[ok] / (sp[ok] + gamma)
    return ModelCalibration(
        model=model,
        gamma=gamma,
        quantiles=MappingProxyType({lv: conformal_quantile(scores, lv) for lv in levels}),
        n=int(ok.sum()),
    )


def position_spread(view: ScenarioArrays) -> NDArray[np.float64]:
    """(D, I) capability x salience weighted standard deviation of positions, 0-100 points."""
    w = view.weight * view.has_stance[None]
    total = w.sum(axis=1)
    width = (view.scale_max - view.scale_min)[None]
    x = (view.position - view.scale_min[None, None]) / width[:, None] * 100.0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w * x).sum(axis=1) / total
        var = (w * (x - mean[:, None]) ** 2).sum(axis=1) / total
    out: NDArray[np.float64] = np.where(total > 0, np.sqrt(np.maximum(var, 0.0)), 0.0)
    return out


def calibration_to_json(table: Mapping[str, ModelCalibration], meta: Mapping[str, Any]) -> str:
    """The JSON text of a calibration table (the file shipped with the package)."""
    return (
        json.dumps(
            {
                "meta": dict(meta),
                "models": {
                    name: {
                        "gamma": c.gamma,
                        "n": c.n,
                        "quantiles": {f"{lv:g}": q for lv, q in sorted(c.quantiles.items())},
                    }
                    for name, c in sorted(table.items())
                },
            },
            indent=2,
        )
        + "\n"
    )


def load_calibration(text: str | None = None) -> dict[str, ModelCalibration]:
    """The shipped calibration table (or one given as JSON text), by model name."""
    if text is None:
        text = resources.files("zopa.uncertainty").joinpath(DATA_FILE).read_text("utf-8")
    data = json.loads(text)
    return {
        name: ModelCalibration(
            model=name,
            gamma=entry["gamma"],
            quantiles=MappingProxyType({float(k): float(v) for k, v in entry["quantiles"].items()}),
            n=int(entry["n"]),
        )
        for name, entry in data["models"].items()
    }


def calibrated_intervals(
    model: str,
    point_outcomes: Mapping[str, float],
    view: ScenarioArrays,
    *,
    levels: Sequence[float] = LEVELS,
    table: Mapping[str, ModelCalibration] | None = None,
) -> CalibratedIntervals:
    """Calibrated intervals around a model's point forecasts.

    Args:
        model: Registered model name (one of the shipped table's models).
        point_outcomes: ``{issue: point forecast}`` on each issue's scale (e.g.
            ``Forecast.point()``); issues with a NaN forecast get NaN intervals.
        view: The point-estimate view the forecasts were made from (for the scales and
            the spread of positions).
        levels: Nominal coverages, each one of :data:`LEVELS`.
        table: Calibration table (default: the shipped DEU III fit).

    Returns:
        Intervals per issue and level, with :data:`LABEL` and :data:`CAUTION`.

    Raises:
        KeyError: No calibration for ``model`` or a level.
    """
    calibrations = table if table is not None else load_calibration()
    if model not in calibrations:
        known = ", ".join(sorted(calibrations))
        raise KeyError(f"no calibration for model {model!r}; calibrated: {known}")
    cal = calibrations[model]
    spread = position_spread(view)[0]
    index = {iid: k for k, iid in enumerate(view.issue_ids)}
    out: dict[str, Mapping[float, tuple[float, float]]] = {}
    for issue, value in point_outcomes.items():
        k = index[issue]
        lo_s, hi_s = float(view.scale_min[k]), float(view.scale_max[k])
        per_level: dict[float, tuple[float, float]] = {}
        for level in levels:
            half = float(cal.half_width(level, np.array([spread[k]]))[0]) * (hi_s - lo_s) / 100.0
            if not math.isfinite(value):
                per_level[level] = (math.nan, math.nan)
            else:
                per_level[level] = (max(lo_s, value - half), min(hi_s, value + half))
        out[issue] = MappingProxyType(per_level)
    return CalibratedIntervals(model=model, intervals=MappingProxyType(out))
