"""The best package by an exact search under a Lagrangian bound, for few parties.

The programmes that took HiGHS longest (each party's ideal gain, the first stage of
maximin and Kalai-Smorodinsky) share one shape: choose one level per issue to maximise
``f(z) = min_k (C_k z + d_k)`` subject to ``T_a z >= b_a`` for each party ``a``, with
one binary ``z_il`` per issue and level (:mod:`~zopa.agreements.milp`). Their linear
relaxation is close to the optimum (1.5-7 x 10^-4 above it on the 40 x 80 synthetic
scenario), but HiGHS needed up to 2,600 branch-and-bound nodes to close that gap.
With so few coupling rows the gap is closed faster by listing the packages that could
still beat a known one:

- For weights ``mu`` on the ``K`` pieces (``mu >= 0``, summing to 1) and multipliers
  ``nu >= 0`` on the parties' rows, every feasible package has
  ``f(z) <= sum_k mu_k (C_k z + d_k) + sum_a nu_a (T_a z - b_a) = beta0 + beta z``, a
  bound that separates by issue (Lagrangian relaxation, Geoffrion 1974, Math. Prog.
  Study 2:82-114). Its maximum over packages is ``L = beta0 + sum_i max_l beta_il``,
  and a package scoring at least ``f_inc`` has reduced costs
  ``r_il = max_l' beta_il' - beta_il`` summing to at most ``L - f_inc``
  (the argument of reduced-cost fixing; Nemhauser & Wolsey 1988, Integer and
  Combinatorial Optimization, Wiley).
- ``mu`` and ``nu`` are the duals of the linear relaxation (solved by HiGHS: Huangfu &
  Hall 2018, "Parallelizing the dual revised simplex method", Math. Prog. Comp.
  10:119-142). With one level chosen per issue the
  relaxation's bound equals the Lagrangian dual's, so ``L`` is the relaxation's value;
  the bound holds for any such weights, however accurate the duals are, because
  ``beta`` and ``L`` are computed here from them.
- The packages with reduced costs summing to at most ``D = L - f_inc`` are listed
  breadth-first over the issues that have more than one level within ``D``, dropping
  a partial package as soon as its reduced costs exceed ``D``, or its sums plus the
  most the remaining issues can add fall short of a party's row or of ``f_inc`` on a
  piece. Each package listed is scored exactly by the caller (the same issue-order
  sums and tolerance as every other test of the zone); the best one found is the next
  ``f_inc``. The first ``f_inc`` is the best of the packages nearest the bound
  (``D`` small, grown eightfold until one is in the zone) or of packages already known.
- Where more than :data:`LIST_AT_ONCE` packages are within ``D``, the zone is split by
  the levels of the issue with the most levels within ``D`` (branch and bound,
  Land & Doig 1960, Econometrica 28(3)). A part first keeps the bound and reduced
  costs of the whole (still valid on a part, less the level's reduced cost); only if
  they leave too many packages is its own relaxation solved, from the last basis, for
  a tighter bound and new reduced costs. When no part can hold a package better than
  ``f_inc``, ``f_inc`` is the optimum.

Deviation from a solver: when the search would solve more than :data:`MAX_NODES`
relaxations or hold more than :data:`MAX_STATES` partial packages, it gives up and the
caller solves the programme with HiGHS instead; the answer is exact either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

#: A part of the zone: its allowed levels, a bound on it, the reduced costs that go with
#: the bound, and whether that bound is the part's own relaxation.
_Part = tuple["NDArray[np.bool_]", float, "NDArray[np.float64]", bool]
#: Partial packages held at once before the search hands over to the solver.
MAX_STATES = 1_000_000
#: Packages listed at once at most (more: the zone is split).
LIST_AT_ONCE = 100_000
#: Subproblems (relaxations solved) before the search hands over to the solver.
MAX_NODES = 400
#: First threshold on the reduced costs, relative to the bound's size.
FIRST_GAP = 1e-5
#: Slack on the bound for rounding in its sums, relative to its size.
ROUNDING = 1e-9
#: Packages within this of the best approximate score are scored exactly.
SCORE_SLACK = 1e-9


class Relaxation:
    """The linear relaxation, kept as one HiGHS model and re-solved from its last basis.

    Columns: one per level, then ``s`` (the score); rows: one level per issue,
    ``s <= C_k z + d_k`` and ``T z >= b``; maximise ``s``. A part of the zone changes
    only the levels' upper bounds.
    """

    def __init__(
        self,
        c: NDArray[np.float64],
        d: NDArray[np.float64],
        t: NDArray[np.float64],
        b: NDArray[np.float64],
        offsets: NDArray[np.intp],
    ) -> None:
        """Build the model (every level allowed until :meth:`multipliers` says otherwise)."""
        import highspy
        from scipy.sparse import csc_array, vstack

        n_k, n = c.shape
        n_p = t.shape[0]
        n_i = len(offsets) - 1
        inf = highspy.kHighsInf
        pick = np.zeros((n_i, n))
        for i in range(n_i):
            pick[i, offsets[i] : offsets[i + 1]] = 1.0
        a = vstack(
            [
                csc_array(np.hstack([pick, np.zeros((n_i, 1))])),
                csc_array(np.hstack([c, -np.ones((n_k, 1))])),
                csc_array(np.hstack([t, np.zeros((n_p, 1))])),
            ]
        ).tocsc()
        lp = highspy.HighsLp()
        lp.num_col_ = n + 1
        lp.num_row_ = n_i + n_k + n_p
        lp.col_cost_ = np.concatenate([np.zeros(n), [-1.0]])
        lp.col_lower_ = np.concatenate([np.zeros(n), [-inf]])
        lp.col_upper_ = np.concatenate([np.ones(n), [inf]])
        lp.row_lower_ = np.concatenate([np.ones(n_i), -d, b])
        lp.row_upper_ = np.concatenate([np.ones(n_i), np.full(n_k + n_p, inf)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        self._h = highspy.Highs()  # type: ignore[no-untyped-call]
        self._h.setOptionValue("output_flag", False)
        self._h.setOptionValue("threads", 1)
        self._h.passModel(lp)
        self._cols = np.arange(n, dtype=np.int32)
        self._zeros = np.zeros(n)
        self._rows = (n_i, n_k)

    def multipliers(
        self, allowed: NDArray[np.bool_]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
        """Weights ``mu`` (K,) and multipliers ``nu`` (P,) from the relaxation's duals.

        ``None`` when the relaxation on ``allowed`` is infeasible (then so is every
        package in it).
        """
        import highspy

        h = self._h
        h.changeColsBounds(len(self._cols), self._cols, self._zeros, allowed.astype(float))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        n_i, n_k = self._rows
        dual = np.asarray(h.getSolution().row_dual, dtype=float)
        mu = np.maximum(dual[n_i : n_i + n_k], 0.0)
        nu = np.maximum(dual[n_i + n_k :], 0.0)
        total = float(mu.sum())
        if total <= 0.0:
            return np.full(n_k, 1.0 / n_k), np.zeros(len(nu))
        return mu / total, nu / total


def best_package(
    c: NDArray[np.float64],
    d: NDArray[np.float64],
    t: NDArray[np.float64],
    b: NDArray[np.float64],
    offsets: NDArray[np.intp],
    allowed: NDArray[np.bool_],
    score: Callable[[NDArray[np.intp]], NDArray[np.float64]],
    *,
    known: NDArray[np.intp] | None = None,
    max_states: int = MAX_STATES,
) -> tuple[NDArray[np.intp], float] | None:
    """A package maximising ``min_k (C_k z + d_k)`` with ``T z >= b``, and its score.

    Args:
        c: (K, n) the pieces' coefficients on the level columns.
        d: (K,) the pieces' constants.
        t: (P, n) the parties' rows.
        b: (P,) their lower bounds (already loosened by the zone's tolerance).
        offsets: (I + 1,) where each issue's columns start.
        allowed: (n,) the levels that may be chosen.
        score: Exact scores of packages given as (N, I) level indices, ``-inf`` for
            those outside the zone; the bound must hold for every package it scores
            above ``-inf``.
        known: Packages already known, (N, I): the best of them in the zone is the
            first one to beat.
        max_states: Give up when more partial packages than this are held.

    Returns:
        The best package (level indices) and its exact score; ``None`` when the search
        gave up or found no feasible package (the caller then asks the solver).
    """
    n_i = len(offsets) - 1
    if not np.logical_or.reduceat(allowed, offsets[:-1]).all():
        return None  # an issue without a level: no package
    issue_of = np.repeat(np.arange(n_i), np.diff(offsets))
    best: tuple[NDArray[np.intp], float] | None = None

    lp = Relaxation(c, d, t, b, offsets)

    def relax(mask: NDArray[np.bool_]) -> tuple[float, NDArray[np.float64]] | None:
        """The Lagrangian bound on the packages within ``mask`` and the reduced costs."""
        found = lp.multipliers(mask)
        if found is None:
            return None
        mu, nu = found
        beta = np.where(mask, mu @ c + nu @ t, -np.inf)
        top = np.maximum.reduceat(beta, offsets[:-1])
        return float(mu @ d - nu @ b + top.sum()), top[issue_of] - beta

    def listing(reduced: NDArray[np.float64], gap: float) -> bool | None:
        """Score the packages within ``gap``: whether one is in the zone (``None``: too many)."""
        nonlocal best
        if _count(reduced, offsets, gap) > LIST_AT_ONCE:
            return None
        beat = -np.inf if best is None else best[1]
        listed = _list_packages(c, d, t, b, offsets, reduced, gap, beat, max_states)
        if listed is None:
            return None
        found = _best_listed(*listed, score)
        if found is not None and (best is None or found[1] > best[1]):
            best = found
        return found is not None

    if known is not None and len(known):
        scores = score(known)
        k = int(np.argmax(scores))
        if np.isfinite(scores[k]):
            best = known[k], float(scores[k])
    root = relax(allowed)
    if root is None:
        return None
    bound, reduced = root
    scale = max(1.0, abs(bound))
    margin = ROUNDING * scale
    gap = FIRST_GAP * scale
    # a first package to beat: the best of those nearest the bound (else a known one)
    while listing(reduced, gap) is False and gap < 1e3 * scale:
        gap *= 8.0
    if best is None:
        return None
    # then every package that could beat it, splitting the zone by one issue's level
    # wherever the packages to list are too many. A part starts with the bound and
    # reduced costs of the whole (still valid on a part); its own relaxation, tighter,
    # is solved only when those leave too many packages.
    stack: list[_Part] = [(allowed, bound, reduced, True)]
    nodes = 0
    while stack:
        mask, bound, reduced, fresh = stack.pop()
        need = bound - best[1] + margin
        if need < 0 or listing(reduced, need) is not None:
            continue
        if not fresh:
            nodes += 1
            if nodes > MAX_NODES:
                return None
            relaxed = relax(mask)
            if relaxed is not None:
                stack.append((mask, *relaxed, True))
            continue
        near = reduced <= need
        counts = np.add.reduceat(near, offsets[:-1])
        i = int(np.argmax(counts))
        seg = np.arange(offsets[i], offsets[i + 1])
        for col in seg[near[seg]][np.argsort(-reduced[seg][near[seg]], kind="stable")]:
            child = mask.copy()
            child[seg] = False
            child[col] = True
            rc = reduced.copy()
            rc[seg] = np.inf
            rc[col] = 0.0
            stack.append((child, bound - float(reduced[col]), rc, False))
    return best


def _count(reduced: NDArray[np.float64], offsets: NDArray[np.intp], gap: float) -> float:
    """An upper bound on how many packages have reduced costs summing to at most ``gap``.

    Counted on a grid of ``gap / 256`` with every reduced cost rounded down, so the
    count is never below the true one.
    """
    bins = 256
    dist = np.zeros(bins + 1)
    dist[0] = 1.0
    for i in range(len(offsets) - 1):
        r = reduced[offsets[i] : offsets[i + 1]]
        steps = np.floor(r[r <= gap] / gap * bins).astype(np.intp)
        if len(steps) == 1 and steps[0] == 0:
            continue
        new = np.zeros(bins + 1)
        for k in steps:
            new[k:] += dist[: bins + 1 - k]
        dist = new
    return float(dist.sum())


def _best_listed(
    value: NDArray[np.float64],
    packages: Callable[[NDArray[np.intp]], NDArray[np.intp]],
    score: Callable[[NDArray[np.intp]], NDArray[np.float64]],
) -> tuple[NDArray[np.intp], float] | None:
    """The listed package with the best exact score (``None``: none is in the zone).

    Scores exactly, in groups from the top, the packages whose approximate score is
    within :data:`SCORE_SLACK` of the best not yet scored; the first group holding a
    package in the zone holds the best one (the approximation is far closer than that).
    """
    value = value.copy()
    while len(value) and np.isfinite(head := float(value.max())):
        which = np.flatnonzero(value >= head - SCORE_SLACK * max(1.0, abs(head)))
        group = packages(which)
        scores = score(group)
        k = int(np.argmax(scores))
        if np.isfinite(scores[k]):
            return group[k], float(scores[k])
        value[which] = -np.inf
    return None


def _list_packages(
    c: NDArray[np.float64],
    d: NDArray[np.float64],
    t: NDArray[np.float64],
    b: NDArray[np.float64],
    offsets: NDArray[np.intp],
    reduced: NDArray[np.float64],
    gap: float,
    beat: float,
    max_states: int,
) -> tuple[NDArray[np.float64], Callable[[NDArray[np.intp]], NDArray[np.intp]]] | None:
    """The packages whose reduced costs sum to at most ``gap``.

    Lists the packages that may meet ``T z >= b`` and score at least ``beat`` (both
    loosely: the caller's exact score decides): their approximate scores (running
    sums), (N,), and a function giving the level indices, (n, I), of those asked for.
    A partial package is dropped as soon as its reduced costs exceed ``gap``, or its
    sums plus the most the issues not yet chosen can add fall short of a row or of
    ``beat`` on a piece. ``None`` when more than ``max_states`` partial packages would
    be held.
    """
    n_i = len(offsets) - 1
    near = reduced <= gap
    cols = [np.flatnonzero(near[offsets[i] : offsets[i + 1]]) + offsets[i] for i in range(n_i)]
    # the issues with most levels to choose from last: fewer partial packages on the way
    multi = sorted((i for i in range(n_i) if len(cols[i]) > 1), key=lambda i: len(cols[i]))
    fixed = np.array([cols[i][0] for i in range(n_i) if len(cols[i]) == 1], dtype=np.intp)
    both = np.vstack([t, c])  # the parties' rows, then the pieces, summed together
    n_p = t.shape[0]
    sums = both[:, fixed].sum(axis=1)[None, :]  # (N, P + K)
    cost = np.zeros(1)
    # the most each row and piece can still gain from the issues not yet chosen
    best_left = np.zeros((len(multi) + 1, both.shape[0]))
    for j in range(len(multi) - 1, -1, -1):
        best_left[j] = best_left[j + 1] + both[:, cols[multi[j]]].max(axis=1)
    slack = SCORE_SLACK * max(1.0, abs(beat)) if np.isfinite(beat) else 0.0
    floor = np.concatenate([b - 1e-9, beat - d - slack])
    parents: list[NDArray[np.intp]] = []
    picks: list[NDArray[np.intp]] = []
    for j, i in enumerate(multi):
        cand = cols[i]
        state, choice = np.nonzero(cost[:, None] + reduced[cand][None, :] <= gap)
        if len(state) > max_states:
            return None
        level = cand[choice]
        new = sums[state] + both[:, level].T
        ok = (new + best_left[j + 1] >= floor).all(axis=1)
        state, level, sums = state[ok], level[ok], new[ok]
        cost = cost[state] + reduced[level]
        parents.append(state)
        picks.append(level)
        if not len(state):
            break
    if not multi and not (sums >= floor).all():  # one package, outside the rows
        sums = sums[:0]
    value = (sums[:, n_p:] + d).min(axis=1)

    def packages(which: NDArray[np.intp]) -> NDArray[np.intp]:
        out = np.empty((len(which), n_i), dtype=np.intp)
        for i in range(n_i):
            if len(cols[i]) == 1:
                out[:, i] = cols[i][0] - offsets[i]
        at = which
        for j in range(len(multi) - 1, -1, -1):
            out[:, multi[j]] = picks[j][at] - offsets[multi[j]]
            at = parents[j][at]
        return out

    return value, packages
