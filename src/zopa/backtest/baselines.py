"""Baselines every forecasting model should beat: no change, and the plain average.

These are pseudo-models of the backtest, not registered forecasting models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays

BASELINES: tuple[str, ...] = ("status_quo", "unweighted_mean")


def status_quo(view: ScenarioArrays) -> NDArray[np.float64]:
    """(D, I) the status quo (reference point) of each issue; NaN where none is given."""
    return np.broadcast_to(view.status_quo, (view.n_draws, view.n_issues)).copy()


def unweighted_mean(view: ScenarioArrays) -> NDArray[np.float64]:
    """(D, I) the plain mean of the positions of the actors holding a stance; NaN if none."""
    has = view.has_stance[None].astype(float)
    count = has.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = (view.position * has).sum(axis=1) / count
    return np.where(count > 0, out, np.nan)


def baseline(name: str, view: ScenarioArrays) -> NDArray[np.float64]:
    """Forecast of the baseline called ``name`` (one of :data:`BASELINES`)."""
    if name == "status_quo":
        return status_quo(view)
    if name == "unweighted_mean":
        return unweighted_mean(view)
    raise KeyError(f"unknown baseline {name!r}; known: {', '.join(BASELINES)}")
