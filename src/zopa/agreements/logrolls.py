"""Logrolls: two actors trade concessions on two issues and both come out ahead.

Following Stokman's exchange model (Stokman & Van Oosten 1994, in Bueno de Mesquita &
Stokman (eds.), *European Community Decision Making*, Yale UP; Stokman & Van der Knoop
1997), an exchange pays when actor ``a`` cares relatively more about issue ``i`` and
actor ``b`` relatively more about issue ``j``: ``b`` gives way on ``i`` and ``a`` on
``j``. The starting point is the expected outcome of Stokman's model, the capability x
salience weighted mean of positions on each issue (the scale midpoint where nobody has
weight there).

Here the trade is a move of the package: the outcome of ``i`` moves toward ``a``'s
position (``b`` concedes there) and the outcome of ``j`` toward ``b``'s (``a`` concedes).
For every pair of actors and ordered pair of issues, every pair of grid levels between
the starting point and the two positions is tried; the logroll is the move with the
largest joint gain ``du_a + du_b`` among those where both gains are at least
``min_gain``, both sides really concede, and both new values lie inside both traders'
red lines.

Deviations from Stokman's model: the move is on the grid of the package space rather
than continuous, and actors trade outcomes rather than voting positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.agreements.utility import issue_terms

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.agreements.space import DealSpace

#: Gains smaller than this are not gains.
TOL = 1e-9
#: Default smallest gain, for each side, that makes a trade worth reporting.
MIN_GAIN = 0.005
#: Elements of the (pairs, issues, levels, levels) arrays built at once.
PAIR_BLOCK_ELEMENTS = 1 << 21


@dataclass(frozen=True)
class _Tables:
    """Per actor, issue and level (A, I, L): gain over the start, and which moves count."""

    gain: NDArray[np.float64]  # -inf where the issue has fewer levels
    toward: NDArray[np.bool_]  # the level lies between the start and the actor's position
    concede: NDArray[np.bool_]  # the actor loses there
    inside: NDArray[np.bool_]  # inside the actor's red line
    min_gain: float


def _pair_trades(
    t: _Tables, a: NDArray[np.intp], b: NDArray[np.intp], n_l: int
) -> list[tuple[float, int, int, int, int, int, int, float, float]]:
    """The best trade of each pair ``(a[k], b[k])`` and ordered pair of issues.

    ``a`` gains on issue ``i`` (level ``l``), ``b`` on issue ``j`` (level ``m``); among
    the admissible ``(l, m)`` the largest joint gain, the first in ``(l, m)`` order on a
    tie.
    """
    g, n_i = t.gain, t.gain.shape[1]
    out: list[tuple[float, int, int, int, int, int, int, float, float]] = []
    for i in range(n_i):
        # axes: pair, j, l (level on i), m (level on j)
        du_a = g[a, None, i, :, None] + g[a, :, None, :]
        du_b = g[b, None, i, :, None] + g[b, :, None, :]
        ok = (
            t.toward[a, None, i, :, None]
            & t.toward[b, :, None, :]
            & t.concede[b, None, i, :, None]
            & t.concede[a, :, None, :]
            & t.inside[a, None, i, :, None]
            & t.inside[b, None, i, :, None]
            & t.inside[a, :, None, :]
            & t.inside[b, :, None, :]
            & (du_a >= t.min_gain)
            & (du_b >= t.min_gain)
        )
        ok[:, i] = False
        joint = np.where(ok, du_a + du_b, -np.inf).reshape(len(a), n_i, n_l * n_l)
        best = joint.argmax(axis=2)
        val = np.take_along_axis(joint, best[..., None], axis=2)[..., 0]
        for k, j in zip(*np.nonzero(np.isfinite(val)), strict=True):
            l_i, m_j = divmod(int(best[k, j]), n_l)
            ak, bk = int(a[k]), int(b[k])
            out.append(
                (
                    float(val[k, j]),
                    ak,
                    bk,
                    i,
                    int(j),
                    l_i,
                    m_j,
                    float(g[ak, i, l_i] + g[ak, j, m_j]),
                    float(g[bk, i, l_i] + g[bk, j, m_j]),
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class Logroll:
    """One profitable exchange of concessions.

    Attributes:
        actor_a: Gains on ``issue_a`` and concedes on ``issue_b``.
        actor_b: Gains on ``issue_b`` and concedes on ``issue_a``.
        issue_a: The issue moved toward ``actor_a``.
        issue_b: The issue moved toward ``actor_b``.
        start: Starting values ``(issue_a, issue_b)``.
        end: Values after the trade ``(issue_a, issue_b)``.
        gain_a: ``actor_a``'s utility gain.
        gain_b: ``actor_b``'s utility gain.
    """

    actor_a: str
    actor_b: str
    issue_a: str
    issue_b: str
    start: tuple[float, float]
    end: tuple[float, float]
    gain_a: float
    gain_b: float

    @property
    def joint_gain(self) -> float:
        """``gain_a + gain_b``."""
        return self.gain_a + self.gain_b


def expected_outcome(space: DealSpace) -> NDArray[np.float64]:
    """(I,) capability x salience weighted mean of positions (scale midpoint if no weight)."""
    w = space.capability[:, None] * space.salience
    total = w.sum(axis=0)
    mid = (space.scale_min + space.scale_max) / 2
    mean = np.divide((w * space.position).sum(axis=0), total, out=mid.copy(), where=total > 0)
    return np.asarray(mean, dtype=float)


def find_logrolls(
    space: DealSpace,
    *,
    start: NDArray[np.float64] | None = None,
    top: int | None = 10,
    min_gain: float = MIN_GAIN,
) -> tuple[Logroll, ...]:
    """Profitable two-actor, two-issue trades, parties first, then by joint gain.

    Trades between two parties (the actors whose consent the deal needs) are listed
    first, then trades involving one party, then the rest; within each group the largest
    joint gain comes first.

    Args:
        space: The package space (its actors are the traders).
        start: (I,) starting outcome; default :func:`expected_outcome`.
        top: Keep this many (all when ``None``).
        min_gain: Smallest utility gain, for each side, worth reporting.
    """
    n_a, n_i = space.n_actors, space.n_issues
    if n_a < 2 or n_i < 2:
        return ()
    r = expected_outcome(space) if start is None else np.asarray(start, dtype=float)
    t_ref = issue_terms(
        r, space.position, space.salience, space.scale_min, space.scale_max, loss=space.loss
    )  # (A, I)
    n_l = max(space.n_levels)
    gain = np.full((n_a, n_i, n_l), np.nan)
    toward = np.zeros((n_a, n_i, n_l), dtype=bool)
    inside = np.zeros((n_a, n_i, n_l), dtype=bool)
    lv = np.full((n_i, n_l), np.nan)
    for i in range(n_i):
        k = space.n_levels[i]
        lv[i, :k] = space.levels[i]
        gain[:, i, :k] = space.terms[i] - t_ref[:, i][:, None]
        step = space.levels[i][None, :] - r[i]
        room = space.position[:, i][:, None] - r[i]
        toward[:, i, :k] = (step * room > 0) & (np.abs(step) <= np.abs(room) + 1e-12)
        inside[:, i, :k] = space.allowed[i]
    toward &= space.salience[:, :, None] > 0
    concede = np.nan_to_num(gain, nan=0.0) < -TOL
    g = np.nan_to_num(gain, nan=-np.inf)
    tables = _Tables(g, toward, concede, inside, max(min_gain, TOL))
    # trades between two parties sort first, then those with one party, then the rest:
    # when a group already fills ``top``, the later groups cannot enter it
    party = space.parties
    a_idx, b_idx = np.triu_indices(n_a, k=1)
    group = 2 - party[a_idx].astype(int) - party[b_idx].astype(int)
    found: list[tuple[float, int, int, int, int, int, int, float, float]] = []
    block = max(1, PAIR_BLOCK_ELEMENTS // (n_i * n_l * n_l))
    for k in range(3):
        pairs = np.flatnonzero(group == k)
        for first in range(0, len(pairs), block):
            chunk = pairs[first : first + block]
            found.extend(_pair_trades(tables, a_idx[chunk], b_idx[chunk], n_l))
        if top is not None and len(found) >= top:
            break
    found.sort(key=lambda f: (2 - int(party[f[1]]) - int(party[f[2]]), -f[0], f[1:7]))
    if top is not None:
        found = found[:top]
    return tuple(
        Logroll(
            actor_a=space.actor_ids[a],
            actor_b=space.actor_ids[b],
            issue_a=space.issue_ids[i],
            issue_b=space.issue_ids[j],
            start=(float(r[i]), float(r[j])),
            end=(float(lv[i, li]), float(lv[j, mj])),
            gain_a=ga,
            gain_b=gb,
        )
        for _, a, b, i, j, li, mj, ga, gb in found
    )
