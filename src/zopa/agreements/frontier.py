"""Pareto frontiers: exact non-dominated filters and the issue-by-issue frontier of a space.

A point is *dominated* when another point is at least as good for every actor and better
for one. Equal points do not dominate each other, so every package of a tied utility
vector on the frontier is kept.

Because utilities are additive over issues, the frontier of the whole package space is
built one issue at a time: the frontier of ``A + B`` (every sum of a point of ``A`` and a
point of ``B``) lies inside the sums of the frontier of ``A`` and the frontier of ``B``
(if ``a`` is dominated by ``a'``, ``a + b`` is dominated by ``a' + b``). Filtering after
each issue keeps the work proportional to the frontier, not to the number of packages;
this is the classic dynamic programme for multi-objective knapsacks (Klamroth & Wiecek,
2000, Naval Research Logistics 47(1)).

The filters are exact: one sort for two objectives; for three, a sort followed by
block-wise queries against the 2-D staircase of all earlier points (Kung, Luccio &
Preparata, 1975, J. ACM 22(4)); for more, a block-wise comparison against the frontier
found so far, in order of decreasing sum (no point can be dominated by a later one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.agreements.space import DealSpace


class FrontierTooLargeError(RuntimeError):
    """The frontier (or an intermediate one) grew past the allowed number of points."""


def _lex_desc_order(points: NDArray[np.float64]) -> NDArray[np.intp]:
    keys = tuple(-points[:, k] for k in reversed(range(points.shape[1])))
    return np.lexsort(keys)


def _group_starts(sorted_points: NDArray[np.float64]) -> NDArray[np.bool_]:
    """True where a sorted row differs from the row before (start of a duplicate group)."""
    n = sorted_points.shape[0]
    start = np.ones(n, dtype=bool)
    if n > 1:
        start[1:] = (sorted_points[1:] != sorted_points[:-1]).any(axis=1)
    return start


def _nondominated_2d(points: NDArray[np.float64]) -> NDArray[np.bool_]:
    order = _lex_desc_order(points)
    s = points[order]
    start = _group_starts(s)
    prevmax = np.empty(len(s))
    prevmax[0] = -np.inf
    prevmax[1:] = np.maximum.accumulate(s[:-1, 1])
    group = np.cumsum(start) - 1
    pm = prevmax[np.flatnonzero(start)][group]
    keep_sorted = ~(pm >= s[:, 1])
    out = np.empty(len(s), dtype=bool)
    out[order] = keep_sorted
    return out


def _staircase(
    u1: NDArray[np.float64], u2: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """2-D maxima of (u1, u2) sorted by u1 ascending (u2 then strictly decreasing)."""
    order = np.lexsort((-u2, -u1))
    a, b = u1[order], u2[order]
    prev = np.empty(len(b))
    prev[0] = -np.inf
    prev[1:] = np.maximum.accumulate(b[:-1])
    keep = b > prev
    return a[keep][::-1].copy(), b[keep][::-1].copy()


def _nondominated_3d(points: NDArray[np.float64], block: int = 384) -> NDArray[np.bool_]:
    order = _lex_desc_order(points)
    s = points[order]
    n = len(s)
    group = np.cumsum(_group_starts(s)) - 1
    keep_sorted = np.ones(n, dtype=bool)
    st1 = np.empty(0)
    st2 = np.empty(0)
    start = 0
    while start < n:
        stop = min(start + block, n)
        # never split a group of equal points across blocks
        while stop < n and group[stop] == group[stop - 1]:
            stop += 1
        b = s[start:stop]
        dom = np.zeros(len(b), dtype=bool)
        if len(st1):
            k = np.searchsorted(st1, b[:, 1], side="left")
            inside = k < len(st1)
            dom[inside] = st2[k[inside]] >= b[inside, 2]
        # earlier points of the same block (order implies u0 >= for them)
        g = group[start:stop]
        ge = (b[None, :, 1] >= b[:, None, 1]) & (b[None, :, 2] >= b[:, None, 2])
        earlier = np.tri(len(b), k=-1, dtype=bool) & (g[None, :] != g[:, None])
        dom |= (ge & earlier).any(axis=1)
        keep_sorted[start:stop] = ~dom
        st1, st2 = _staircase(np.concatenate([st1, b[:, 1]]), np.concatenate([st2, b[:, 2]]))
        start = stop
    out = np.empty(n, dtype=bool)
    out[order] = keep_sorted
    return out


def _nondominated_nd(
    points: NDArray[np.float64], block: int = 256, max_front: int | None = None
) -> NDArray[np.bool_]:
    total = np.zeros(len(points))
    for k in range(points.shape[1]):
        total = total + points[:, k]
    keys = (*tuple(-points[:, k] for k in reversed(range(points.shape[1]))), -total)
    order = np.lexsort(keys)
    s = points[order]
    n = len(s)
    keep_sorted = np.zeros(n, dtype=bool)
    front = np.empty((0, points.shape[1]))
    for start in range(0, n, block):
        b = s[start : start + block]
        dom: NDArray[np.bool_] = np.zeros(len(b), dtype=bool)
        if len(front):
            ge_f = np.all(front[None, :, :] >= b[:, None, :], axis=2)
            gt_f = np.any(front[None, :, :] > b[:, None, :], axis=2)
            dom = np.any(ge_f & gt_f, axis=1)
        ge_b = np.all(b[None, :, :] >= b[:, None, :], axis=2)
        gt_b = np.any(b[None, :, :] > b[:, None, :], axis=2)
        dom = dom | np.any(ge_b & gt_b, axis=1)
        keep_sorted[start : start + block] = ~dom
        front = np.concatenate([front, b[~dom]])
        if max_front is not None and len(front) > max_front:
            raise FrontierTooLargeError(f"more than {max_front} non-dominated points")
    out = np.empty(n, dtype=bool)
    out[order] = keep_sorted
    return out


def nondominated(points: NDArray[np.float64], *, max_front: int | None = None) -> NDArray[np.bool_]:
    """Mask of the points no other point dominates (maximisation; ties all kept).

    Args:
        points: (N, K) utilities, one row per point.
        max_front: For four or more objectives (where the work grows with the size of
            the frontier), raise ``FrontierTooLargeError`` beyond this many points.
    """
    pts = np.asarray(points, dtype=float)
    n, k = pts.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if k == 1:
        return np.asarray(pts[:, 0] == pts[:, 0].max())
    if k == 2:
        return _nondominated_2d(pts)
    if k == 3:
        return _nondominated_3d(pts)
    return _nondominated_nd(pts, max_front=max_front)


def issue_frontier(
    space: DealSpace,
    actors: NDArray[np.intp],
    *,
    allowed: tuple[NDArray[np.bool_], ...] | None = None,
    max_points: int = 2_000_000,
    max_front: int = 2_000,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Exact Pareto frontier of a space for some actors, built issue by issue.

    Args:
        space: The package space.
        actors: Indices of the actors whose utilities define dominance.
        allowed: Per issue, the levels packages may use (default: all).
        max_points: Give up (``FrontierTooLargeError``) when candidates exceed this.
        max_front: With four or more actors, give up when a frontier exceeds this.

    Returns:
        ``(packages, utilities)``: (F, I) level indices and (F, len(actors)) utilities,
        summed in issue order exactly as :meth:`DealSpace.utilities` does.
    """
    acts = np.asarray(actors, dtype=np.intp)
    n_issues = space.n_issues
    masks = (
        allowed if allowed is not None else tuple(np.ones(n, dtype=bool) for n in space.n_levels)
    )
    # candidate levels per issue: allowed, and not dominated on that issue alone
    level_ids: list[NDArray[np.intp]] = []
    for i in range(n_issues):
        ids = np.flatnonzero(masks[i])
        if len(ids) == 0:
            return np.empty((0, n_issues), dtype=np.intp), np.empty((0, len(acts)))
        t = space.terms[i][np.ix_(acts, ids)].T
        level_ids.append(ids[nondominated(t)] if len(acts) else ids[:1])
    pk = np.zeros((1, 0), dtype=np.intp)
    ut = np.zeros((1, len(acts)))
    for i in range(n_issues):
        ids = level_ids[i]
        t = space.terms[i][np.ix_(acts, ids)].T  # (L, K)
        n_cand = len(ut) * len(ids)
        if n_cand > max_points:
            raise FrontierTooLargeError(f"{n_cand} candidate points after issue {i + 1}")
        cand_u = (ut[:, None, :] + t[None, :, :]).reshape(n_cand, len(acts))
        cand_p = np.concatenate(
            [np.repeat(pk, len(ids), axis=0), np.tile(ids, len(pk))[:, None]], axis=1
        )
        keep = (
            nondominated(cand_u, max_front=max_front) if len(acts) else np.ones(n_cand, dtype=bool)
        )
        pk, ut = cand_p[keep], cand_u[keep]
    return pk, ut
