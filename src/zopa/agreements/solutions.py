"""Bargaining solutions picked from a set of feasible packages.

All four concepts are computed on the parties' *gains* over no agreement,
``g_a = u_a(x) - u_a(status quo)``, which are >= 0 inside the zone of possible agreement.

- **Nash** (Nash 1950, Econometrica 18(2)): maximise the capability-weighted product of
  gains, ``prod_a g_a ** c_a`` (the asymmetric form of Kalai 1977, Int. J. Game Theory
  6(3)). Parties that can gain nothing anywhere in the zone are left out of the product;
  when no package gives every other party a strictly positive gain there is no Nash
  package.
- **Kalai-Smorodinsky** (Kalai & Smorodinsky 1975, Econometrica 43(3)): on a continuous
  convex set, the frontier point whose gains are proportional to the ideal gains (each
  party's best gain in the zone). On a finite set that ray usually misses every package,
  so we use the discrete definition that coincides with it on convex sets: maximise the
  smallest *relative* gain ``g_a / ideal_a``, ties broken by the largest sum of relative
  gains (the leximin step that keeps the choice on the frontier).
- **Maximin / egalitarian** (Kalai 1977): maximise the smallest gain, ties broken by the
  largest total gain.
- **Utilitarian**: maximise the total gain (unweighted).

Every optimum of these criteria lies on the Pareto frontier, so the candidate set may be
the whole zone or only its frontier: the answer is the same. Exact ties are broken by the
first candidate in the order given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Solution concepts in the order they are reported.
CONCEPTS: tuple[str, ...] = ("nash", "kalai_smorodinsky", "maximin", "utilitarian")
#: Gains within this of each other are treated as tied; gains below it as zero.
GAIN_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class Choice:
    """The candidate a solution concept picks.

    Attributes:
        concept: One of :data:`CONCEPTS`.
        index: Row of the chosen candidate, or ``None`` when the concept has no answer.
        value: The criterion at the choice (log Nash product for ``nash``).
        reason: Why there is no answer, when ``index`` is ``None``.
    """

    concept: str
    index: int | None
    value: float | None = None
    reason: str | None = None


def _rowsum(a: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.zeros(a.shape[0])
    for k in range(a.shape[1]):
        out = out + a[:, k]
    return out


def _leximin_pick(
    score: NDArray[np.float64],
) -> tuple[int, float]:
    low = score.min(axis=1)
    best = float(low.max())
    tied = low >= best - GAIN_TOL
    total = np.where(tied, _rowsum(score), -np.inf)
    return int(np.argmax(total)), best


def ideal_gains(gains: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each party's best gain over the candidates, (P,)."""
    out: NDArray[np.float64] = gains.max(axis=0)
    return out


def choose(gains: NDArray[np.float64], weights: NDArray[np.float64]) -> dict[str, Choice]:
    """Pick the Nash, Kalai-Smorodinsky, maximin and utilitarian candidates.

    Args:
        gains: (N, P) each party's gain over no agreement for each candidate package
            (all >= 0 when the candidates are feasible).
        weights: (P,) the parties' capabilities (exponents of the Nash product).
    """
    g = np.asarray(gains, dtype=float)
    if g.shape[0] == 0:
        why = "the zone of possible agreement is empty"
        return {c: Choice(c, None, reason=why) for c in CONCEPTS}
    out: dict[str, Choice] = {}
    total = _rowsum(g)
    k = int(np.argmax(total))
    out["utilitarian"] = Choice("utilitarian", k, float(total[k]))
    k, v = _leximin_pick(g)
    out["maximin"] = Choice("maximin", k, v)
    ideal = ideal_gains(g)
    active = ideal > GAIN_TOL
    if not active.any():
        why = "no party can gain anything over no agreement"
        out["kalai_smorodinsky"] = Choice("kalai_smorodinsky", None, reason=why)
        out["nash"] = Choice("nash", None, reason=why)
        return {c: out[c] for c in CONCEPTS}
    rel = g[:, active] / ideal[active]
    k, v = _leximin_pick(rel)
    out["kalai_smorodinsky"] = Choice("kalai_smorodinsky", k, v)
    ga = g[:, active]
    positive: NDArray[np.bool_] = np.asarray((ga > GAIN_TOL).all(axis=1))
    if not positive.any():
        out["nash"] = Choice(
            "nash", None, reason="no package gives every party a strictly positive gain"
        )
    else:
        w = np.asarray(weights, dtype=float)[active]
        with np.errstate(divide="ignore"):
            logs = np.log(np.where(positive[:, None], ga, 1.0))
        score = np.where(positive, _rowsum(logs * w), -np.inf)
        k = int(np.argmax(score))
        out["nash"] = Choice("nash", k, float(score[k]))
    return {c: out[c] for c in CONCEPTS}
