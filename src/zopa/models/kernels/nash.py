"""Compiled bisection for the per-issue asymmetric Nash bargaining solution.

Each game (one draw and issue) maximises ``sum_P w_i log(l(reach_i) - l(|y - x_i|))``
over y by bisection on its derivative, which is decreasing inside the region where every
player gains. See ``zopa.models.nash`` for the model and its references.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(cache=True, nogil=True, error_model="numpy")
def nash_bisect(
    position: NDArray[np.float64],
    weight: NDArray[np.float64],
    players: NDArray[np.bool_],
    reach: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    quadratic: bool,
    iterations: int,
) -> NDArray[np.float64]:
    """Maximiser of every game; ``position`` etc. are (G, A), ``low``/``high`` (G,)."""
    n_g, n_a = position.shape
    out = np.empty(n_g)
    for g in range(n_g):
        lo = low[g]
        hi = high[g]
        for a in range(n_a):
            if players[g, a]:
                lo = max(lo, position[g, a] - reach[g, a])
                hi = min(hi, position[g, a] + reach[g, a])
        hi = max(hi, lo)
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            slope = 0.0
            for a in range(n_a):
                if players[g, a]:
                    t = mid - position[g, a]
                    r = reach[g, a]
                    if quadratic:
                        gain = r * r - t * t
                        dl = 2.0 * t
                    else:
                        gain = abs(r) - abs(t)
                        dl = np.sign(t)
                    slope += -weight[g, a] * dl / gain
            if slope > 0:
                lo = mid
            else:
                hi = mid
        out[g] = 0.5 * (lo + hi)
    return out
