"""The package space of a negotiation: issue grids, utility terms, red lines, no-deal point.

A *package* is one value per issue. Each issue is discretised on a grid: ``grid`` evenly
spaced levels across its scale, plus the levels the issue defines (its anchor points),
every actor's red line and the issue's status quo (so a boundary in the data is a
boundary in the results). Packages are addressed by
their level index on each issue, ``(N, I)`` integer arrays.

Acceptable to actor ``a``: every issue inside ``a``'s red lines and ``u_a(x)`` at least
``a``'s utility of no agreement. Feasible: acceptable to every *party*. The parties are
the veto players; when the scenario names no veto player, every actor is a party
(unanimity, the usual rule for a negotiated agreement).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.agreements.utility import Loss, issue_terms, status_quo_utility

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays
    from zopa.scenario import Scenario

#: Absolute slack when testing ``u_a(x) >= u_a(status quo)`` (utilities live in 0..1).
UTILITY_TOL = 1e-12


def grid_levels(
    scale_min: float, scale_max: float, grid: int, extra: Sequence[float] = ()
) -> NDArray[np.float64]:
    """``grid`` evenly spaced levels on the scale plus the ``extra`` values, sorted, unique."""
    if grid < 2:
        raise ValueError(f"grid must have at least 2 levels (got {grid})")
    base = np.linspace(scale_min, scale_max, grid)
    extra_arr = np.asarray(extra, dtype=float).reshape(-1)
    extra_arr = extra_arr[np.isfinite(extra_arr)]
    levels = np.sort(np.concatenate([base, extra_arr]))
    tol = 1e-9 * (scale_max - scale_min)
    keep = np.concatenate([[True], np.diff(levels) > tol])
    out: NDArray[np.float64] = levels[keep]
    return out


def red_line_mask(
    levels: NDArray[np.float64], position: float, red_line: float, width: float
) -> NDArray[np.bool_]:
    """Levels an actor accepts on one issue given its red line (all when NaN).

    The red line is the worst acceptable value, on the far side from the position: with
    ``position < red_line`` the actor accepts values up to the red line, with
    ``position > red_line`` values from it up. A red line equal to the position admits
    only that value.
    """
    if np.isnan(red_line):
        return np.ones(levels.shape, dtype=bool)
    tol = 1e-9 * width
    if position < red_line:
        return levels <= red_line + tol
    if position > red_line:
        return levels >= red_line - tol
    return np.abs(levels - red_line) <= tol


def red_line_masks(
    levels: NDArray[np.float64],
    position: NDArray[np.float64],
    red_line: NDArray[np.float64],
    width: float,
) -> NDArray[np.bool_]:
    """(A, L) :func:`red_line_mask` of every actor on one issue at once (the same tests)."""
    p = np.asarray(position, dtype=float)[:, None]
    r = np.asarray(red_line, dtype=float)[:, None]
    lv = np.asarray(levels, dtype=float)[None, :]
    tol = 1e-9 * width
    with np.errstate(invalid="ignore"):
        out = np.where(
            p < r,
            lv <= r + tol,
            np.where(p > r, lv >= r - tol, np.abs(lv - r) <= tol),
        )
    return np.asarray(out | np.isnan(r))


def acceptable_interval(
    position: float, red_line: float, scale_min: float, scale_max: float
) -> tuple[float, float]:
    """The continuous interval an actor accepts on one issue (the whole scale if no red line)."""
    if np.isnan(red_line):
        return (scale_min, scale_max)
    if position < red_line:
        return (scale_min, red_line)
    if position > red_line:
        return (red_line, scale_max)
    return (red_line, red_line)


@dataclass(frozen=True, eq=False)
class DealSpace:
    """The discretised package space of one scenario (a point estimate, draw 0).

    Attributes:
        actor_ids: Actor ids, length A.
        issue_ids: Issue ids, length I.
        levels: Per issue, the grid values, shape (L_i,).
        terms: Per issue, every actor's utility term at each level, shape (A, L_i).
        allowed: Per issue, whether each actor's red line admits each level, (A, L_i).
        position: (A, I) positions.
        salience: (A, I) saliences.
        capability: (A,) capabilities.
        red_line: (A, I) red lines, NaN where none.
        veto: (A,) veto flags from the scenario.
        parties: (A,) the actors whose acceptance makes a package feasible.
        status_quo: (I,) no-agreement values, NaN where none.
        sq_utility: (A,) each actor's utility of no agreement.
        scale_min: (I,) lower ends of the scales.
        scale_max: (I,) upper ends of the scales.
        loss: The loss the utilities use.
        grid: The number of evenly spaced levels requested per issue.
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    levels: tuple[NDArray[np.float64], ...]
    terms: tuple[NDArray[np.float64], ...]
    allowed: tuple[NDArray[np.bool_], ...]
    position: NDArray[np.float64]
    salience: NDArray[np.float64]
    capability: NDArray[np.float64]
    red_line: NDArray[np.float64]
    veto: NDArray[np.bool_]
    parties: NDArray[np.bool_]
    status_quo: NDArray[np.float64]
    sq_utility: NDArray[np.float64]
    scale_min: NDArray[np.float64]
    scale_max: NDArray[np.float64]
    loss: Loss
    grid: int

    @property
    def n_actors(self) -> int:
        """A."""
        return len(self.actor_ids)

    @property
    def n_issues(self) -> int:
        """I."""
        return len(self.issue_ids)

    @property
    def n_levels(self) -> tuple[int, ...]:
        """Number of levels on each issue."""
        return tuple(len(v) for v in self.levels)

    @property
    def size(self) -> int:
        """Number of packages (an exact Python integer)."""
        out = 1
        for n in self.n_levels:
            out *= n
        return out

    @property
    def party_index(self) -> NDArray[np.intp]:
        """Indices of the parties."""
        return np.flatnonzero(self.parties)

    @property
    def width(self) -> NDArray[np.float64]:
        """(I,) scale widths."""
        return self.scale_max - self.scale_min

    def box(self) -> tuple[NDArray[np.bool_], ...]:
        """Per issue, the levels inside every party's red lines."""
        return tuple(np.asarray(a[self.parties].all(axis=0)) for a in self.allowed)

    def values(self, index: NDArray[np.integer[Any]]) -> NDArray[np.float64]:
        """(N, I) issue values of packages given as (N, I) level indices."""
        idx = np.asarray(index)
        return np.stack([self.levels[i][idx[:, i]] for i in range(self.n_issues)], axis=1)

    def utilities(
        self, index: NDArray[np.integer[Any]], actors: NDArray[np.intp] | None = None
    ) -> NDArray[np.float64]:
        """(N, A) utilities of packages given as (N, I) level indices (issue-order sums).

        With ``actors``, only those actors' columns, (N, len(actors)): the same numbers.
        """
        idx = np.asarray(index)
        n_cols = self.n_actors if actors is None else len(actors)
        out = np.zeros((idx.shape[0], n_cols))
        for i in range(self.n_issues):
            t = self.terms[i] if actors is None else self.terms[i][actors]
            out += t[:, idx[:, i]].T
        return out

    def acceptable(self, index: NDArray[np.integer[Any]]) -> NDArray[np.bool_]:
        """(N, A) whether each actor finds each package acceptable."""
        idx = np.asarray(index)
        ok = np.ones((idx.shape[0], self.n_actors), dtype=bool)
        for i in range(self.n_issues):
            ok &= self.allowed[i][:, idx[:, i]].T
        return ok & (self.utilities(idx) >= self.sq_utility - UTILITY_TOL)

    def feasible(self, index: NDArray[np.integer[Any]]) -> NDArray[np.bool_]:
        """(N,) whether every party finds each package acceptable.

        The same test as :meth:`acceptable` on the parties' columns, computed for the
        parties only (a large scenario has many actors and few parties).
        """
        idx = np.asarray(index)
        parties = self.party_index
        ok = np.ones(idx.shape[0], dtype=bool)
        for i in range(self.n_issues):
            ok &= self.allowed[i][parties][:, idx[:, i]].all(axis=0)
        u = self.utilities(idx, parties)
        return np.asarray(ok & (u >= self.sq_utility[parties] - UTILITY_TOL).all(axis=1))

    def unravel(self, flat: NDArray[np.int64]) -> NDArray[np.intp]:
        """(N, I) level indices of packages numbered in mixed radix (last issue fastest)."""
        return np.stack(np.unravel_index(np.asarray(flat), self.n_levels), axis=1)

    def set_aside(self, issues: Sequence[int]) -> DealSpace:
        """The same space with some issues left at their status quo (off the table).

        Those issues get a single level, the status quo (NaN, worth nothing, where there
        is none), and nobody's red line applies to them: they are not being settled.
        """
        levels = list(self.levels)
        terms = list(self.terms)
        allowed = list(self.allowed)
        for i in issues:
            sq = np.array([self.status_quo[i]])
            t = issue_terms(
                sq[:, None, None],
                self.position,
                self.salience,
                self.scale_min,
                self.scale_max,
                loss=self.loss,
            )
            levels[i] = sq
            terms[i] = np.ascontiguousarray(t[:, :, i].T)
            allowed[i] = np.ones((self.n_actors, 1), dtype=bool)
        red = self.red_line.copy()
        red[:, list(issues)] = np.nan
        return replace(
            self, levels=tuple(levels), terms=tuple(terms), allowed=tuple(allowed), red_line=red
        )

    def restrict(self, actor_ids: Sequence[str], *, parties: Sequence[str]) -> DealSpace:
        """The same space seen by some actors only, with the given parties."""
        idx = np.array([self.actor_ids.index(a) for a in actor_ids], dtype=np.intp)
        party = np.isin(np.asarray(actor_ids), np.asarray(parties))
        return DealSpace(
            actor_ids=tuple(actor_ids),
            issue_ids=self.issue_ids,
            levels=self.levels,
            terms=tuple(t[idx] for t in self.terms),
            allowed=tuple(a[idx] for a in self.allowed),
            position=self.position[idx],
            salience=self.salience[idx],
            capability=self.capability[idx],
            red_line=self.red_line[idx],
            veto=self.veto[idx],
            parties=party,
            status_quo=self.status_quo,
            sq_utility=self.sq_utility[idx],
            scale_min=self.scale_min,
            scale_max=self.scale_max,
            loss=self.loss,
            grid=self.grid,
        )


def issue_levels(scenario: Scenario) -> dict[str, tuple[float, ...]]:
    """The levels each issue defines: its anchor points (values with a described meaning)."""
    return {
        i.id: tuple(float(v) for v in i.anchors if i.scale.min <= float(v) <= i.scale.max)
        for i in scenario.issues
    }


def build_space(
    view: ScenarioArrays,
    *,
    grid: int = 11,
    loss: Loss = "linear",
    parties: Sequence[str] | None = None,
    extra_levels: Mapping[str, Sequence[float]] | None = None,
) -> DealSpace:
    """Discretise a scenario's package space (draw 0 of the view).

    Args:
        view: The scenario's array view.
        grid: Evenly spaced levels per issue (red lines and status quo are added).
        loss: ``"linear"`` or ``"quadratic"``.
        parties: Actor ids whose acceptance defines feasibility; default: the veto
            players, or every actor when there is none.
        extra_levels: Per issue id, more values to put on the grid (the issue's anchor
            points, see :func:`issue_levels`).
    """
    position = np.asarray(view.position[0], dtype=float)
    salience = np.asarray(view.salience[0], dtype=float)
    red = np.asarray(view.red_line, dtype=float)
    sq = np.asarray(view.status_quo, dtype=float)
    smin = np.asarray(view.scale_min, dtype=float)
    smax = np.asarray(view.scale_max, dtype=float)
    veto = np.asarray(view.veto, dtype=bool)
    if parties is None:
        party = veto.copy() if veto.any() else np.ones(len(veto), dtype=bool)
    else:
        unknown = set(parties) - set(view.actor_ids)
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        party = np.isin(np.asarray(view.actor_ids), np.asarray(list(parties)))
    levels: list[NDArray[np.float64]] = []
    for i in range(len(view.issue_ids)):
        extra = [*red[:, i].tolist(), float(sq[i])]
        if extra_levels is not None:
            extra += [float(v) for v in extra_levels.get(view.issue_ids[i], ())]
        levels.append(grid_levels(float(smin[i]), float(smax[i]), grid, extra))
    # every issue's levels at once (padded with NaN): the terms are elementwise, so each
    # one is the number a call for that issue alone gives
    n_max = max((len(lv) for lv in levels), default=0)
    values = np.full((n_max, len(levels)), np.nan)
    for i, lv in enumerate(levels):
        values[: len(lv), i] = lv
    every = issue_terms(values[:, None, :], position, salience, smin, smax, loss=loss)  # (L, A, I)
    terms = [np.ascontiguousarray(every[: len(lv), :, i].T) for i, lv in enumerate(levels)]
    allowed = [
        red_line_masks(lv, position[:, i], red[:, i], float(smax[i] - smin[i]))
        for i, lv in enumerate(levels)
    ]
    return DealSpace(
        actor_ids=view.actor_ids,
        issue_ids=view.issue_ids,
        levels=tuple(levels),
        terms=tuple(terms),
        allowed=tuple(allowed),
        position=position,
        salience=salience,
        capability=np.asarray(view.capability[0], dtype=float),
        red_line=red,
        veto=veto,
        parties=party,
        status_quo=sq,
        sq_utility=status_quo_utility(view.draw(0), loss=loss)[0],
        scale_min=smin,
        scale_max=smax,
        loss=loss,
        grid=grid,
    )
