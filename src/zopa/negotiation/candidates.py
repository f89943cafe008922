"""The packages agents choose their offers from: the whole space, or every party's frontier.

A space of at most :data:`ENUMERATE_UP_TO` packages is listed whole. A larger one (the
flagship has ~10^15) is never listed: each party's offers lie on the Pareto frontier of
two additive objectives, its own utility and the capability-weighted mean of the other
parties' stated utilities (the best package for the others among those worth a given
amount to itself). Utilities are sums of per-issue terms, so that two-objective frontier
is found exactly by folding the issues in one at a time: the frontier of a sum of
independent choices lies inside the sum of their frontiers, and each fold keeps only the
non-dominated partial packages. Only its own red lines bound a party's frontier. The
candidates are the union of every party's frontier, the status quo and the table's
stated Nash and Kalai-Smorodinsky packages.

Deviation (ours): a frontier with more than ``max_points`` partial packages after a fold
is thinned to ``max_points`` points evenly spread over the party's own utility (utility
steps of about 1/max_points), so the candidates are exact below that size and an
epsilon-frontier above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

#: Spaces up to this many packages are listed whole.
ENUMERATE_UP_TO = 1 << 16
#: Frontier points kept per party after each fold (see the module's deviation).
MAX_POINTS = 4096


def enumerate_packages(n_levels: Sequence[int]) -> NDArray[np.intp]:
    """(N, I) every package's level indices, last issue fastest."""
    grids = np.meshgrid(*[np.arange(n) for n in n_levels], indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.intp)


def pareto_fold(
    own: Sequence[NDArray[np.float64]],
    other: Sequence[NDArray[np.float64]],
    allowed: Sequence[NDArray[np.bool_]],
    *,
    max_points: int = MAX_POINTS,
) -> NDArray[np.intp]:
    """(M, I) the packages on the frontier of ``sum own`` against ``sum other``.

    Args:
        own: Per issue, (L_i,) the party's utility term of each level.
        other: Per issue, (L_i,) the others' (weighted) term of each level.
        allowed: Per issue, (L_i,) the levels the party may offer.
        max_points: Thinning bound (see the module docstring).
    """
    n_issues = len(own)
    u = np.zeros(1)
    v = np.zeros(1)
    pkg = np.zeros((1, 0), dtype=np.intp)
    for i in range(n_issues):
        lv = np.flatnonzero(allowed[i])
        if lv.size == 0:
            return np.zeros((0, n_issues), dtype=np.intp)
        uu = (u[:, None] + own[i][lv][None, :]).ravel()
        vv = (v[:, None] + other[i][lv][None, :]).ravel()
        rows = np.repeat(np.arange(u.size), lv.size)
        cols = np.tile(lv, u.size)
        keep = _frontier(uu, vv, max_points)
        u, v = uu[keep], vv[keep]
        pkg = np.concatenate([pkg[rows[keep]], cols[keep, None]], axis=1)
    return pkg


def _frontier(u: NDArray[np.float64], v: NDArray[np.float64], max_points: int) -> NDArray[np.intp]:
    """Indices of the non-dominated points (maximising both), highest ``u`` first."""
    order = np.lexsort((-v, -u))
    vs = v[order]
    best_before = np.concatenate([[-np.inf], np.maximum.accumulate(vs)[:-1]])
    keep = order[vs > best_before + 1e-15]
    if keep.size > max_points:
        us = u[keep]
        span = float(us[0] - us[-1]) or 1.0
        bucket = np.floor((us[0] - us) / span * (max_points - 1)).astype(np.int64)
        first = np.concatenate([[True], bucket[1:] != bucket[:-1]])
        last = np.concatenate([first[1:], [True]])
        keep = keep[first | last] if (first | last).sum() <= 2 * max_points else keep[first]
    return keep
