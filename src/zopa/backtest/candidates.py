"""Candidates that try to beat the compromise model on EU legislation (docs/validity.md).

Two families, each fitted on the training proposals of a fixed split and chosen on the
development proposals, then scored once on the test proposals:

* **Stacking** (Wolpert 1992, "Stacked generalization", *Neural Networks* 5(2),
  241-259; Breiman 1996, "Stacked regressions", *Machine Learning* 24(1), 49-64): a
  convex combination of the registered models' forecasts (weights >= 0 summing to 1),
  fitted by least absolute deviations, the loss the benchmark is scored on.
* **Procedural compromise**: the compromise model (van den Bos 1991; Achen 2006) with
  the weight of the Commission and of the Parliament scaled per procedure (the
  Parliament co-legislates under co-decision and is only consulted under consultation;
  Tsebelis & Garrett 2000, "Legislative politics in the European Union", *European
  Union Politics* 1(1), 9-36) and a pull towards the reference point, the outcome if
  no act is adopted (``(1 - pull) compromise + pull rp``), all fitted on a grid.

Deviation: neither is a model of bargaining; both are statistical corrections of models
that are. They are not registered as forecasting models unless they beat the compromise
model on the test proposals by the rule of docs/validity.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray


def fit_convex_lad(
    forecasts: NDArray[np.float64], outcome: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Weights w >= 0, sum 1, minimising sum |outcome - forecasts @ w| (a linear program).

    Args:
        forecasts: (n, m) forecasts of m models on n cases (no NaN).
        outcome: (n,) outcomes.

    Returns:
        (m,) the weights (HiGHS through ``scipy.optimize.linprog``).
    """
    from scipy.optimize import linprog

    f = np.asarray(forecasts, dtype=float)
    y = np.asarray(outcome, dtype=float)
    n, m = f.shape
    # variables: w (m), t (n); minimise sum t; t >= y - F w, t >= F w - y
    c = np.concatenate([np.zeros(m), np.ones(n)])
    a_ub = np.block([[-f, -np.eye(n)], [f, -np.eye(n)]])
    b_ub = np.concatenate([-y, y])
    a_eq = np.concatenate([np.ones(m), np.zeros(n)])[None]
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * (m + n),
        method="highs",
    )
    if not res.success:
        raise ArithmeticError(f"stacking fit failed: {res.message}")
    w = np.clip(res.x[:m], 0.0, None)
    out: NDArray[np.float64] = w / w.sum()
    return out


@dataclass(frozen=True, slots=True)
class WeightedSums:
    """Capability x salience weighted sums of positions per issue, by group of actors.

    Attributes:
        sums: (n, 3) sum of w x over the member states, the Commission, the Parliament.
        weights: (n, 3) sum of w over the same groups.
        codecision: (n,) whether the issue's proposal is under co-decision.
        reference: (n,) the reference point (NaN where none).
    """

    sums: NDArray[np.float64]
    weights: NDArray[np.float64]
    codecision: NDArray[np.bool_]
    reference: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ProceduralCompromise:
    """Parameters of the procedural compromise (see the module docstring)."""

    com: float
    ep_cod: float
    ep_cns: float
    pull: float

    def predict(self, data: WeightedSums) -> NDArray[np.float64]:
        """Forecasts (0-100) of the issues in ``data``."""
        ep = np.where(data.codecision, self.ep_cod, self.ep_cns)
        scale = np.stack([np.ones_like(ep), np.full_like(ep, self.com), ep], axis=1)
        num = (data.sums * scale).sum(axis=1)
        den = (data.weights * scale).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            base = np.where(den > 0, num / den, np.nan)
        pulled = (1.0 - self.pull) * base + self.pull * data.reference
        out: NDArray[np.float64] = np.where(np.isfinite(data.reference), pulled, base)
        return out


SCALES: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
PULLS: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def fit_procedural(
    data: WeightedSums,
    outcome: NDArray[np.float64],
    *,
    scales: Sequence[float] = SCALES,
    pulls: Sequence[float] = PULLS,
) -> ProceduralCompromise:
    """The grid point with the lowest mean absolute error (first one on ties)."""
    best: tuple[float, ProceduralCompromise] | None = None
    for com, ep_cod, ep_cns, pull in itertools.product(scales, scales, scales, pulls):
        cand = ProceduralCompromise(com, ep_cod, ep_cns, pull)
        err = np.abs(cand.predict(data) - outcome)
        mae = float(np.nanmean(err))
        if best is None or mae < best[0] - 1e-12:
            best = (mae, cand)
    assert best is not None
    return best[1]
