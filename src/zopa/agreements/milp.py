"""The optimiser path: mixed-integer programmes solved by HiGHS, for spaces too large to list.

A package is encoded by one binary ``z_il`` per issue ``i`` and level ``l`` with
``sum_l z_il = 1``. Utilities are additive, so every actor's utility is linear in ``z``:
``u_a = sum_il T[a, i, l] z_il`` with ``T`` the per-issue utility terms; a red line fixes
the ``z_il`` of the levels it rules out to 0; a no-deal alternative is the row
``u_a >= u_a(status quo)``. On this exact encoding (HiGHS: Huangfu & Hall 2018,
"Parallelizing the dual revised simplex method", Math. Prog. Comp. 10:119-142):

- feasibility, each issue's range (min and max level, solved only where the feasible
  packages already found leave an end open, see :mod:`~zopa.agreements.ranges`), each
  party's ideal gain, the utilitarian package, maximin and Kalai-Smorodinsky (max ``t``
  with ``g_a >= t`` or ``g_a / ideal_a >= t``, then the largest total among the ties)
  are single MILPs, over each issue's levels that no other level beats for the parties;
- the Nash package maximises ``sum_a c_a log g_a``. Tangent lines over-estimate the
  concave logarithm, so a MILP with ``y_a <= log g_k + (g_a - g_k) / g_k`` for a set of
  points ``g_k`` bounds the optimum from above; the tangent at the incumbent's gains is
  added until bound and incumbent agree to 1e-9 (Kelley's cutting planes, Kelley 1960,
  J. SIAM 8(4); a piecewise-linear model of the product refined until it is exact);
- the conflicts' feasibility oracle and the smallest relaxation (slack on red lines,
  priced by the scale share a level lies outside, and on no-deal rows) are MILPs too.

Every package a MILP returns is checked exactly against the space; one that passes only
within the solver's tolerance is cut off and the programme solved again. The size of the
zone cannot be counted here: it is estimated by sampling packages inside every party's
red lines (a Monte Carlo estimate with a 95% Wilson interval).

How the programmes are solved (:mod:`~zopa.agreements.highs`,
:mod:`~zopa.agreements.lagrange`):

- HiGHS runs through ``highspy`` with the options ``scipy.optimize.milp`` passed before
  (relative gap 1e-10, HiGHS's absolute gap 1e-6 and feasibility tolerances, presolve
  on), one thread per programme.
- Each party's ideal gain and the smallest scaled gain of maximin and
  Kalai-Smorodinsky (their first stage) are values, not reported packages: they are
  found by an exact search under a Lagrangian bound over the same levels and rows
  (:func:`~zopa.agreements.lagrange.best_package`), which closes the last 10^-4 of
  the relaxation's gap far faster than HiGHS's branch and bound on these programmes
  with few coupling rows; HiGHS solves them when the search would list too many
  packages. Every package reported (utilitarian, the second stage of maximin and
  Kalai-Smorodinsky, Nash) is still HiGHS's.
- Warm starts: the second stage of maximin and Kalai-Smorodinsky starts from the
  first stage's package (feasible there: its smallest gain is the level the second
  stage keeps); each Nash round starts from the previous round's package, at the
  logarithms of its gains (below every tangent).
- Independent programmes run side by side on threads, one per core (HiGHS releases
  the GIL while it solves): the ideal gains and maximin first, then Kalai-Smorodinsky
  and Nash, which need the ideal gains. Each programme is solved the same way on any
  thread, so the answers do not depend on the number of cores.

Deviation from the plain solver: the ideal gains and the first-stage levels are the
exact optima over the zone (scored with the same sums and tolerance as every test of
the zone), where HiGHS stops within its absolute gap of 1e-6.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from zopa.agreements.constraints import violation_tables
from zopa.agreements.enumeration import RELAX_TOL
from zopa.agreements.frontier import nondominated
from zopa.agreements.highs import solve_milp
from zopa.agreements.lagrange import best_package
from zopa.agreements.ranges import zone_ranges
from zopa.agreements.results import ZopaSummary
from zopa.agreements.solutions import CONCEPTS, GAIN_TOL
from zopa.agreements.space import UTILITY_TOL

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from numpy.typing import NDArray

    from zopa.agreements.constraints import Constraint
    from zopa.agreements.space import DealSpace

#: Rows on utilities are multiplied by this so that the solver's absolute feasibility
#: tolerance (1e-7) means 1e-11 in utility.
ROW_SCALE = 1e4
#: Packages sampled to estimate the size of the zone.
SIZE_SAMPLES = 200_000
#: Sampled packages tested at once.
SAMPLE_BLOCK = 25_000
NASH_MAX_ROUNDS = 60


class _Problem:
    """A MILP over the package encoding plus some continuous columns."""

    def __init__(self, space: DealSpace, n_extra: int = 0) -> None:
        self.space = space
        self.offsets = np.concatenate([[0], np.cumsum(space.n_levels)]).astype(np.intp)
        self.n_z = int(self.offsets[-1])
        self.n = self.n_z + n_extra
        self.lower = np.zeros(self.n)
        self.upper = np.ones(self.n)
        self.lower[self.n_z :] = -np.inf
        self.upper[self.n_z :] = np.inf
        self.rows: list[NDArray[np.float64]] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        for i in range(space.n_issues):
            r = np.zeros(self.n)
            r[self.offsets[i] : self.offsets[i + 1]] = 1.0
            self.add_row(r, 1.0, 1.0)

    def utility_row(self, a: int) -> NDArray[np.float64]:
        """Coefficients of actor ``a``'s utility on the ``z`` columns."""
        r = np.zeros(self.n)
        r[: self.n_z] = np.concatenate([t[a] for t in self.space.terms])
        return r

    def add_row(self, row: NDArray[np.float64], lo: float, hi: float) -> None:
        self.rows.append(row)
        self.row_lo.append(lo)
        self.row_hi.append(hi)

    def forbid_levels(self, allowed: Sequence[NDArray[np.bool_]]) -> None:
        """Fix to 0 the ``z`` of levels outside ``allowed`` (per issue)."""
        for i, ok in enumerate(allowed):
            seg = self.upper[self.offsets[i] : self.offsets[i + 1]]
            seg[~ok] = 0.0

    def require_no_deal(self, actors: Sequence[int]) -> None:
        """Add ``u_a >= u_a(status quo)`` for each actor."""
        for a in actors:
            sq = float(self.space.sq_utility[a])
            self.add_row(self.utility_row(a) * ROW_SCALE, (sq - UTILITY_TOL) * ROW_SCALE, np.inf)

    def package(self, x: NDArray[np.float64]) -> NDArray[np.intp]:
        """Level indices encoded in a solution."""
        return np.array(
            [
                int(np.argmax(x[self.offsets[i] : self.offsets[i + 1]]))
                for i in range(self.space.n_issues)
            ],
            dtype=np.intp,
        )

    def exclude(self, levels: NDArray[np.intp]) -> None:
        """Cut off one package (a no-good cut)."""
        r = np.zeros(self.n)
        r[self.offsets[:-1] + levels] = 1.0
        self.add_row(r, -np.inf, self.space.n_issues - 1.0)

    def solve(
        self,
        cost: NDArray[np.float64],
        *,
        maximize: bool,
        start: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64] | None:
        """Optimal column values, or ``None`` when infeasible.

        Args:
            cost: The objective on every column.
            maximize: Maximise rather than minimise.
            start: A feasible point (every column) to begin the search from.
        """
        return solve_milp(
            np.vstack(self.rows),
            np.array(self.row_lo),
            np.array(self.row_hi),
            self.lower,
            self.upper,
            self.n_z,
            -cost if maximize else cost,
            start=start,
        )

    def point(self, levels: NDArray[np.intp], extra: Sequence[float] = ()) -> NDArray[np.float64]:
        """The column values encoding ``levels``, then ``extra`` for the other columns."""
        x = np.zeros(self.n)
        x[self.offsets[:-1] + levels] = 1.0
        x[self.n_z :] = extra
        return x


def _workers() -> int:
    """Threads for independent programmes: the cores this process may run on.

    HiGHS releases the GIL while it solves, and each programme is solved on one thread.
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(centre - half, 0.0), min(centre + half, 1.0)


class MilpBackend:
    """Answers by mixed-integer programming (HiGHS through :func:`scipy.optimize.milp`)."""

    method = "milp"

    def __init__(self, space: DealSpace, *, seed: int = 0) -> None:
        """Prepare the programmes for ``space``."""
        self.space = space
        self.seed = seed
        self._ideal: NDArray[np.float64] | None = None
        self._feasible: NDArray[np.intp] | None = None  # a feasible package, once found
        self._known: list[NDArray[np.intp]] = []  # feasible packages met on the way
        self._zone_checked = False
        self._picks: dict[str, tuple[NDArray[np.intp] | None, str | None]] | None = None
        self._undominated: list[NDArray[np.bool_]] | None = None

    # -- the zone -------------------------------------------------------------------------
    def _zone(self, n_extra: int = 0, *, keep_issue: int | None = None) -> _Problem:
        """The zone's programme, on the parties' undominated levels.

        Args:
            n_extra: Continuous columns to add.
            keep_issue: An issue whose levels all stay (its level is the objective).
        """
        p = _Problem(self.space, n_extra)
        p.forbid_levels(self._useful_levels(keep_issue))
        p.require_no_deal([int(a) for a in self.space.party_index])
        return p

    def _useful_levels(self, keep_issue: int | None) -> list[NDArray[np.bool_]]:
        """Per issue, the levels inside the parties' red lines that no other one dominates.

        A level that another level inside the red lines beats for one party and matches
        for every other can be swapped for it in any package: every party keeps its
        no-deal row, and no objective here (a party's utility, the total, the smallest
        gain, the Nash product) gets worse; with the total in it, it gets strictly
        better. So these programmes have the same optima without those levels, and
        HiGHS has fewer columns to branch on. Levels with equal terms all stay.
        """
        if self._undominated is None:
            parties = self.space.party_index
            out = []
            for i, inside in enumerate(self.space.box()):
                ids = np.flatnonzero(inside)
                keep = np.zeros(len(inside), dtype=bool)
                if len(ids):
                    keep[ids[nondominated(self.space.terms[i][np.ix_(parties, ids)].T)]] = True
                out.append(keep)
            self._undominated = out
        if keep_issue is None:
            return self._undominated
        useful = list(self._undominated)
        useful[keep_issue] = self.space.box()[keep_issue]
        return useful

    def _optimise(
        self,
        problem: _Problem,
        cost: NDArray[np.float64],
        *,
        maximize: bool,
        check: bool = True,
        start: NDArray[np.float64] | None = None,
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]] | None:
        """Solve, re-solving while the answer is feasible only within tolerance."""
        for _ in range(20):
            x = problem.solve(cost, maximize=maximize, start=start)
            if x is None:
                return None
            levels = problem.package(x)
            if not check or bool(self.space.feasible(levels[None])[0]):
                return levels, x
            problem.exclude(levels)
        raise RuntimeError("the solver kept returning packages outside the zone")

    def any_feasible(self) -> bool:
        """Whether some package satisfies every party (solved once, then remembered)."""
        if not self._zone_checked:
            p = self._zone()
            found = self._optimise(p, np.zeros(p.n), maximize=False)
            self._feasible = None if found is None else found[0]
            self._known = [] if found is None else [found[0]]
            self._zone_checked = True
        return self._feasible is not None

    def _extreme_level(
        self, i: int, levels: NDArray[np.bool_], *, highest: bool
    ) -> NDArray[np.intp] | None:
        """A feasible package with the lowest (highest) level of issue ``i`` among ``levels``."""
        p = self._zone(keep_issue=i)
        seg = p.upper[p.offsets[i] : p.offsets[i + 1]]
        seg[~levels] = 0.0
        cost = np.zeros(p.n)
        cost[p.offsets[i] : p.offsets[i + 1]] = np.arange(self.space.n_levels[i], dtype=float)
        found = self._optimise(p, cost, maximize=highest)
        return None if found is None else found[0]

    def _estimate_size(self) -> tuple[float, tuple[float, float], NDArray[np.intp]]:
        """The zone's size: counted exactly when its bounding box is small, else sampled.

        Also returns the feasible packages met on the way, (N, I).
        """
        sp = self.space
        ids = [np.flatnonzero(b) for b in sp.box()]
        box = 1.0
        for v in ids:
            box *= len(v)
        none = np.zeros((0, sp.n_issues), dtype=np.intp)
        if box == 0:
            return 0.0, (0.0, 0.0), none
        if box <= SIZE_SAMPLES:
            # fewer packages in the box than samples: count every one of them
            grid = np.stack([g.ravel() for g in np.meshgrid(*ids, indexing="ij")], axis=1)
            ok = sp.feasible(grid)
            count = float(ok.sum())
            return count, (count, count), grid[ok]
        rng = np.random.default_rng(self.seed)
        # the same draws as one (SIZE_SAMPLES, I) array, kept small and tested in blocks
        sample = np.stack(
            [v[rng.integers(0, len(v), SIZE_SAMPLES)].astype(np.int16) for v in ids], axis=1
        )
        found = []
        for start in range(0, SIZE_SAMPLES, SAMPLE_BLOCK):
            block = sample[start : start + SAMPLE_BLOCK]
            found.append(block[sp.feasible(block)])
        feasible = np.concatenate(found).astype(np.intp)
        hits = len(feasible)
        lo, hi = _wilson(hits, SIZE_SAMPLES)
        return box * hits / SIZE_SAMPLES, (box * lo, box * hi), feasible

    def summary(self) -> ZopaSummary:
        """Emptiness and ranges exactly (MILP); size counted in a small box, else sampled.

        The ranges start from the feasible packages found for the solutions and by the
        size estimate, and solve a programme only where those leave an end open
        (:mod:`~zopa.agreements.ranges`).
        """
        sp = self.space
        ranges: dict[str, tuple[float, float] | None] = {}
        if not self.any_feasible():
            ranges = dict.fromkeys(sp.issue_ids)
            return ZopaSummary(0.0, True, (0.0, 0.0), ranges)
        size, (s_lo, s_hi), sampled = self._estimate_size()
        assert self._feasible is not None
        known = [self._feasible] + [pk for pk, _ in self.solutions().values() if pk is not None]
        witnesses = np.concatenate([np.stack(known), sampled])
        bounds = zone_ranges(sp, witnesses, self._extreme_level)
        for i, issue in enumerate(sp.issue_ids):
            lo, hi = bounds[i]
            ranges[issue] = (float(sp.levels[i][lo]), float(sp.levels[i][hi]))
        if s_lo == s_hi:  # counted, not estimated
            return ZopaSummary(size, True, (size, size), ranges)
        size = max(size, 1.0)
        return ZopaSummary(size, False, (max(s_lo, 1.0), max(s_hi, 1.0)), ranges)

    # -- solutions ------------------------------------------------------------------------
    def _gain_rows(self, p: _Problem) -> list[tuple[int, NDArray[np.float64], float]]:
        return [
            (int(a), p.utility_row(int(a)), float(self.space.sq_utility[a]))
            for a in self.space.party_index
        ]

    def ideal(self) -> NDArray[np.float64]:
        """Each party's best gain in the zone, (P,)."""
        if self._ideal is None:
            self._ideal = np.array([self._best_gain(int(a)) for a in self.space.party_index])
        return self._ideal

    def _best_gain(self, a: int) -> float:
        """Party ``a``'s best gain in the zone (one programme)."""
        sp = self.space
        p = self._zone()
        row = p.utility_row(a)[None, : p.n_z]

        def score(packages: NDArray[np.intp]) -> NDArray[np.float64]:
            u = sp.utilities(packages)[:, a]
            return np.where(sp.feasible(packages), u, -np.inf)

        levels = self._search(p, row, np.zeros(1), score)
        if levels is None:
            found = self._optimise(p, p.utility_row(a), maximize=True)
            assert found is not None
            levels = found[0]
        u = sp.utilities(levels[None])[0]
        return float(u[a] - sp.sq_utility[a])

    def _search(
        self,
        p: _Problem,
        c: NDArray[np.float64],
        d: NDArray[np.float64],
        score: Callable[[NDArray[np.intp]], NDArray[np.float64]],
    ) -> NDArray[np.intp] | None:
        """The package maximising ``min_k (c_k z + d_k)`` in ``p``'s zone (``None``: ask HiGHS).

        Solved by :func:`~zopa.agreements.lagrange.best_package`.
        """
        sp = self.space
        parties = sp.party_index
        rows = np.stack([p.utility_row(int(a))[: p.n_z] for a in parties])
        found = best_package(
            c,
            d,
            rows,
            sp.sq_utility[parties] - UTILITY_TOL,
            p.offsets,
            p.upper[: p.n_z] > 0,
            score,
            known=np.stack(self._known) if self._known else None,
        )
        return None if found is None else found[0]

    def _total_gain_cost(self, p: _Problem, scale: NDArray[np.float64]) -> NDArray[np.float64]:
        cost = np.zeros(p.n)
        for k, (_, row, _) in enumerate(self._gain_rows(p)):
            if scale[k] > 0:
                cost += row / scale[k]
        return cost

    def _leximin(self, scale: NDArray[np.float64]) -> NDArray[np.intp] | None:
        """Max the smallest gain / scale, then the largest total among ties."""
        p = self._zone(1)
        t = p.n - 1
        for k, (_, row, sq) in enumerate(self._gain_rows(p)):
            if scale[k] <= 0:
                continue
            r = row / scale[k]
            r[t] = -1.0
            p.add_row(r * ROW_SCALE, sq / scale[k] * ROW_SCALE, np.inf)
        sp = self.space
        on = scale > 0
        parties = sp.party_index

        def smallest(packages: NDArray[np.intp]) -> NDArray[np.float64]:
            gains = sp.utilities(packages) - sp.sq_utility
            return np.asarray((gains[:, parties][:, on] / scale[on]).min(axis=1))

        def score(packages: NDArray[np.intp]) -> NDArray[np.float64]:
            return np.where(sp.feasible(packages), smallest(packages), -np.inf)

        pieces = np.stack([p.utility_row(int(a))[: p.n_z] for a in parties[on]]) / scale[on, None]
        levels = self._search(p, pieces, -sp.sq_utility[parties[on]] / scale[on], score)
        if levels is None:
            cost = np.zeros(p.n)
            cost[t] = 1.0
            found = self._optimise(p, cost, maximize=True)
            if found is None:
                return None
            levels = found[0]
        best = float(smallest(levels[None])[0])
        p.lower[t] = best - GAIN_TOL
        p.upper[t] = np.inf
        # the first stage's package is feasible here: the search starts from it
        again = self._optimise(
            p, self._total_gain_cost(p, scale), maximize=True, start=p.point(levels, [best])
        )
        return levels if again is None else again[0]

    def _nash(self, active: NDArray[np.bool_]) -> NDArray[np.intp] | None:
        sp = self.space
        parties = sp.party_index[active]
        ideal = self.ideal()[active]
        weights = sp.capability[parties] / sp.capability[parties].sum()
        n_p = len(parties)
        p = self._zone(n_p)
        y0 = p.n - n_p
        rows = [(p.utility_row(int(a)), float(sp.sq_utility[a])) for a in parties]
        # every active party must strictly gain
        for row, sq in rows:
            p.add_row(row * ROW_SCALE, (sq + 2 * GAIN_TOL) * ROW_SCALE, np.inf)

        def add_tangent(k: int, g: float) -> None:
            row, sq = rows[k]
            r = -row / g
            r[y0 + k] = 1.0
            # y_k - g_a / g <= log g - 1   with g_a = u_a - sq
            p.add_row(r, -np.inf, math.log(g) - 1.0 - sq / g)

        for k in range(n_p):
            for frac in (1e-3, 1e-2, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 1.0):
                add_tangent(k, float(ideal[k] * frac))
        cost = np.zeros(p.n)
        cost[y0:] = weights
        best: NDArray[np.intp] | None = None
        start: NDArray[np.float64] | None = None
        for _ in range(NASH_MAX_ROUNDS):
            found = self._optimise(p, cost, maximize=True, start=start)
            if found is None:
                return best
            levels, x = found
            gains = sp.utilities(levels[None])[0][parties] - sp.sq_utility[parties]
            true = float(np.sum(weights * np.log(gains)))
            bound = float(np.sum(weights * x[y0:]))
            best = levels
            if bound - true <= 1e-10 * max(1.0, abs(true)):
                return best
            for k in range(n_p):
                add_tangent(k, float(gains[k]))
            # the last package, at the logarithms of its gains (below every tangent), is
            # feasible in the next round: the search starts from it
            start = p.point(levels, np.log(gains) - 1e-12)
        return best

    def solutions(self) -> dict[str, tuple[NDArray[np.intp] | None, str | None]]:
        """Nash, Kalai-Smorodinsky, maximin and utilitarian packages (solved once)."""
        if self._picks is None:
            self._picks = self._solve_concepts()
        return dict(self._picks)

    def _solve_concepts(self) -> dict[str, tuple[NDArray[np.intp] | None, str | None]]:
        """The four packages; independent programmes run side by side (:func:`_workers`).

        Maximin and each party's ideal gain do not depend on one another; the
        Kalai-Smorodinsky and Nash programmes need the ideal gains. Each programme is
        solved the same way whichever thread solves it, so the answers do not depend on
        the number of workers.
        """
        sp = self.space
        empty = "the zone of possible agreement is empty"
        if not self.any_feasible():
            return dict.fromkeys(CONCEPTS, (None, empty))
        out: dict[str, tuple[NDArray[np.intp] | None, str | None]] = {}
        p = self._zone()
        found = self._optimise(
            p, self._total_gain_cost(p, np.ones(len(sp.party_index))), maximize=True
        )
        assert found is not None
        out["utilitarian"] = (found[0], None)
        self._known.append(found[0])
        with ThreadPoolExecutor(max_workers=_workers()) as pool:
            if self._ideal is None:
                best = [pool.submit(self._best_gain, int(a)) for a in sp.party_index]
            maximin = pool.submit(self._leximin, np.ones(len(sp.party_index)))
            if self._ideal is None:
                self._ideal = np.array([f.result() for f in best])
            active = self._ideal > GAIN_TOL
            if not active.any():
                why = "no party can gain anything over no agreement"
                out["kalai_smorodinsky"] = (None, why)
                out["nash"] = (None, why)
            else:
                ks = pool.submit(self._leximin, np.where(active, self._ideal, 0.0))
                nash = pool.submit(self._nash, active).result()
                out["kalai_smorodinsky"] = (ks.result(), None)
                out["nash"] = (
                    (nash, None)
                    if nash is not None
                    else (None, "no package gives every party a strictly positive gain")
                )
            out["maximin"] = (maximin.result(), None)
        return {c: out[c] for c in CONCEPTS}

    # -- conflicts and relaxations --------------------------------------------------------
    def is_feasible(self, constraints: Sequence[Constraint], subset: frozenset[int]) -> bool:
        """Whether some package satisfies every constraint in ``subset``."""
        sp = self.space
        p = _Problem(sp)
        allowed = [np.ones(n, dtype=bool) for n in sp.n_levels]
        sq_actors = []
        for k in subset:
            c = constraints[k]
            if c.kind == "red_line":
                allowed[c.issue_index] &= sp.allowed[c.issue_index][c.actor_index]
            else:
                sq_actors.append(c.actor_index)
        p.forbid_levels(allowed)
        p.require_no_deal(sq_actors)
        for _ in range(20):
            x = p.solve(np.zeros(p.n), maximize=False)
            if x is None:
                return False
            levels = p.package(x)
            u = sp.utilities(levels[None])[0]
            if all(u[a] >= sp.sq_utility[a] - UTILITY_TOL for a in sq_actors):
                return True
            p.exclude(levels)
        raise RuntimeError("the solver kept returning packages outside the constraints")

    def relax(self, scope: int | None) -> tuple[NDArray[np.intp], float] | None:
        """The package needing the least relaxation (see the enumeration backend)."""
        sp = self.space
        parties = [int(a) for a in sp.party_index]
        viol = violation_tables(sp)
        p = _Problem(sp, len(parties))
        s0 = p.n - len(parties)
        p.lower[s0:] = 0.0
        cost = np.zeros(p.n)
        hard = [a for a in parties if scope is not None and a != scope]
        for a in hard:
            p.forbid_levels([al[a] for al in sp.allowed])
        for k, a in enumerate(parties):
            row = p.utility_row(a)
            row[s0 + k] = 1.0
            p.add_row(row * ROW_SCALE, (float(sp.sq_utility[a]) - UTILITY_TOL) * ROW_SCALE, np.inf)
            if a in hard:
                p.upper[s0 + k] = 0.0
            else:
                cost[: p.n_z] += np.concatenate([v[a] for v in viol])
                cost[s0 + k] = 1.0
        x = p.solve(cost, maximize=False)
        if x is None:
            return None
        best = float(cost @ x)
        # among the cheapest, the package whose worst-off party gains most
        p.add_row(cost, -np.inf, best + RELAX_TOL)
        q = _Problem(sp, p.n - p.n_z + 1)
        q.rows, q.row_lo, q.row_hi = [], [], []
        for row, lo, hi in zip(p.rows, p.row_lo, p.row_hi, strict=True):
            q.add_row(np.append(row, 0.0), lo, hi)
        q.lower[: p.n], q.upper[: p.n] = p.lower, p.upper
        t = q.n - 1
        for a in parties:
            r = q.utility_row(a)
            r[t] = -1.0
            q.add_row(r * ROW_SCALE, float(sp.sq_utility[a]) * ROW_SCALE, np.inf)
        worst = np.zeros(q.n)
        worst[t] = 1.0
        x2 = q.solve(worst, maximize=True)
        x2 = None if x2 is None else x2[: p.n]
        levels = p.package(x if x2 is None else x2)
        u = sp.utilities(levels[None])[0]
        total = 0.0
        for a in parties:
            if a in hard:
                continue
            total += sum(float(viol[i][a, levels[i]]) for i in range(sp.n_issues))
            short = float(sp.sq_utility[a] - u[a])
            total += short if short > UTILITY_TOL else 0.0
        return levels, total
