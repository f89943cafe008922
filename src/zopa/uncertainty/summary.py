"""Summaries of Monte Carlo forecasts: percentile intervals per issue."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from zopa.uncertainty.outcomes import DrawOutcomes

INTERVAL_LEVELS = (5.0, 50.0, 95.0)
"""Percentiles reported for every forecast: a 90% interval and the median."""


def forecast_intervals(
    outcome: NDArray[np.float64],
    issue_ids: Sequence[str],
    levels: Sequence[float] = INTERVAL_LEVELS,
) -> dict[str, tuple[float, ...]]:
    """Percentiles of a (D, I) batch of outcomes, per issue (NaN draws ignored)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an issue no draw could forecast
        values = np.nanpercentile(outcome, list(levels), axis=0) if outcome.size else None
    if values is None:
        return {i: tuple(float("nan") for _ in levels) for i in issue_ids}
    return {i: tuple(float(v) for v in values[:, k]) for k, i in enumerate(issue_ids)}


def outcome_intervals(
    outcomes: DrawOutcomes,
    issue_ids: Sequence[str],
    levels: Sequence[float] = INTERVAL_LEVELS,
) -> dict[str, tuple[float, ...]]:
    """:func:`forecast_intervals` of a run's per-draw outcomes, one issue at a time."""
    values = outcomes.percentiles(levels)
    return {i: tuple(float(v) for v in values[:, k]) for k, i in enumerate(issue_ids)}
