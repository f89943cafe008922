"""Compiled rounds of the expected-utility model (``zopa.models.expected_utility``).

Every game (one issue of one draw) is played separately: its rounds until no position
moves, or the round limit, run in compiled code, and its positions, risk exponents and
accepted offers are written straight into the (D, R, A, I) arrays of the forecast. The
formulas, their order of evaluation and the tie-breaking rules are those documented in
``zopa.models.expected_utility``; the arithmetic is written out in the same order as the
array code it replaced, so that the numbers are the same. Sums that numpy evaluated
pairwise (the ``global`` vote total, the mean position) are summed the same way here.

Rule codes (ints, so that there is one compiled signature): probability 0 pairwise,
1 global; risk 0 scholz, 1 neutral; offer choice 0 nearest, 1 type, 2 strongest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numba
import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

PAIRWISE, GLOBAL = 0, 1
SCHOLZ, NEUTRAL = 0, 1
NEAREST, TYPE, STRONGEST = 0, 1, 2
NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3


class _Game(NamedTuple):
    """One game's inputs: ``m`` actors in the actors' order, on one issue of one draw."""

    m: int  # number of actors in the game (the arrays may be longer)
    x: NDArray[np.float64]  # positions
    sal: NDArray[np.float64]  # saliences
    cap: NDArray[np.float64]  # capabilities
    act: NDArray[np.bool_]  # whether the actor holds a stance on the issue
    low: float  # lower end of the scale
    width: float  # scale width
    dist_range: float  # the range distances are divided by in the utilities


class _Scratch(NamedTuple):
    """Scratch arrays for games of up to A actors, reused from round to round.

    Per rank (the actors sorted by position) unless said otherwise.
    """

    order: NDArray[np.int64]  # (A,) the actors by position (kept from the last round)
    xs: NDArray[np.float64]  # (A + 1,) positions
    ss: NDArray[np.float64]  # saliences, 0 without a stance
    ws: NDArray[np.float64]  # vote weights: capability x salience
    zs: NDArray[np.float64]  # positions mapped to [0, 1]
    cum_w: NDArray[np.float64]  # (A + 1,) cumulative weights
    cum_g: NDArray[np.float64]  # (A + 1,) cumulative weight x position
    gaps: NDArray[np.float64]  # normalised distances to the weighted median
    expo: NDArray[np.float64]  # exposures S_k
    r: NDArray[np.float64]  # risk exponents
    o_pos: NDArray[np.float64]  # per offer received: the position offered
    o_perc: NDArray[np.float64]  # ... the proposer's expected utility
    o_move: NDArray[np.float64]  # ... the distance moved
    le: NDArray[np.int64]  # (A,) end of each rank's run of equal positions
    lt: NDArray[np.int64]  # (A,) start of it
    o_kind: NDArray[np.int64]  # (A,) per offer: its kind (negative: not eligible)
    o_from: NDArray[np.int64]  # (A,) per offer: the proposer's rank
    votes: NDArray[np.float64]  # (A (A - 1) / 2,) votes cast in each contest
    prob: NDArray[np.float64]  # (A, A) P between ranks
    dist: NDArray[np.float64]  # (A, A) normalised distances between ranks, -1: no contest


class _Choice(NamedTuple):
    """What each actor does in a round, in the actors' order."""

    new_x: NDArray[np.float64]  # position after the round
    risk: NDArray[np.float64]  # risk exponent
    kind: NDArray[np.int8]  # kind of the offer accepted (``NONE``: none)
    proposer: NDArray[np.int64]  # actor whose offer was accepted (-1: none)


class _Details(NamedTuple):
    """The (m, m) pair quantities of a round, in the actors' order."""

    prob: NDArray[np.float64]  # P_ij
    own: NDArray[np.float64]  # E^i(U_ij)
    perceived: NDArray[np.float64]  # E^i(U_ji)
    kind: NDArray[np.int8]  # the offer j makes to i
    position: NDArray[np.float64]  # where i would move by accepting it


@numba.njit(cache=True, nogil=True)
def _scratch(a: int) -> _Scratch:
    """Scratch arrays for games of up to ``a`` actors."""
    return _Scratch(
        np.arange(a),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a + 1),
        np.zeros(a, dtype=np.int64),
        np.zeros(a, dtype=np.int64),
        np.zeros(a, dtype=np.int64),
        np.zeros(a, dtype=np.int64),
        np.zeros(max(1, a * (a - 1) // 2)),
        np.zeros((a, a)),
        np.zeros((a, a)),
    )


@numba.njit(cache=True, nogil=True)
def _block_sum(a: NDArray[np.float64], lo: int, n: int) -> float:
    """``a[lo:lo + n].sum()`` for n <= 128, in numpy's order (8 lanes, then the rest)."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    stop = n - n % 8
    while i < stop:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return float(res)


@numba.njit(cache=True, nogil=True)
def _pairwise_sum(a: NDArray[np.float64], n: int) -> float:
    """``a[:n].sum()`` in numpy's order: halves (multiples of 8) down to blocks of 128.

    numpy recurses; this walks the same tree with a stack (numba cannot cache
    recursive functions).
    """
    if n <= 128:
        return _block_sum(a, 0, n)
    starts = np.empty(64, dtype=np.int64)
    sizes = np.empty(64, dtype=np.int64)
    stage = np.empty(64, dtype=np.int64)
    sums = np.empty(64)
    top = 0
    starts[0], sizes[0], stage[0] = 0, n, 0
    n_sums = 0
    while top >= 0:
        lo, size = starts[top], sizes[top]
        if size <= 128:
            sums[n_sums] = _block_sum(a, lo, size)
            n_sums += 1
            top -= 1
            continue
        half = size // 2
        half -= half % 8
        if stage[top] == 0:  # left half first
            stage[top] = 1
            top += 1
            starts[top], sizes[top], stage[top] = lo, half, 0
        elif stage[top] == 1:  # then the right half
            stage[top] = 2
            top += 1
            starts[top], sizes[top], stage[top] = lo + half, size - half, 0
        else:  # both done: left + right
            n_sums -= 1
            sums[n_sums - 1] = sums[n_sums - 1] + sums[n_sums]
            top -= 1
    return float(sums[0])


@numba.njit(cache=True, nogil=True)
def _nonneg(v: float) -> float:
    """``np.maximum(v, 0.0)`` (keeps v when it equals 0)."""
    return v if v >= 0.0 else 0.0


@numba.njit(cache=True, nogil=True)
def _sort(key: NDArray[np.float64], m: int, order: NDArray[np.int64]) -> None:
    """Order ``order[:m]`` by (key, index): a stable argsort, fast from a near order."""
    for k in range(1, m):
        item = order[k]
        v = key[item]
        j = k - 1
        while j >= 0 and (key[order[j]] > v or (key[order[j]] == v and order[j] > item)):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = item


@numba.njit(cache=True, nogil=True)
def _probabilities(
    m: int,
    zs: NDArray[np.float64],
    ws: NDArray[np.float64],
    rule: int,
    cum_w: NDArray[np.float64],
    cum_g: NDArray[np.float64],
    le: NDArray[np.int64],
    lt: NDArray[np.int64],
    votes: NDArray[np.float64],
    prob: NDArray[np.float64],
) -> None:
    """P between sorted ranks (``zs`` ascending in [0, 1], ``ws`` the vote weights).

    For a contest between p < q with midpoint mu, voters at or below p give their whole
    weight times (q - p) to the lower actor, voters at or above q to the upper one, and
    voters in between ``|p + q - 2 z_k|`` to the nearer one; cumulative weight sums over
    the sorted voters evaluate this once the midpoint's place is known.
    """
    cum_w[0] = 0.0
    cum_g[0] = 0.0
    for k in range(m):
        cum_w[k + 1] = cum_w[k] + ws[k]
        cum_g[k + 1] = cum_g[k] + ws[k] * zs[k]
    total = cum_w[m]
    # start (end) of each rank's run of equal positions
    for k in range(m):
        lt[k] = k if k == 0 or zs[k] != zs[k - 1] else lt[k - 1]
    for k in range(m - 1, -1, -1):
        le[k] = k + 1 if k == m - 1 or zs[k + 1] != zs[k] else le[k + 1]
    n_pairs = 0
    for lo in range(m):
        prob[lo, lo] = 0.0
        p = zs[lo]
        f_le = cum_w[le[lo]]
        g_le = cum_g[le[lo]]
        at_m = lo + 1  # voters at or below the midpoint (nondecreasing along hi)
        for hi in range(lo + 1, m):
            q = zs[hi]
            span = p + q
            mid = 0.5 * span
            while at_m < m and zs[at_m] <= mid:
                at_m += 1
            f_m = cum_w[at_m]
            g_m = cum_g[at_m]
            f_lt = cum_w[lt[hi]]
            g_lt = cum_g[lt[hi]]
            gap = q - p
            low_support = _nonneg(gap * f_le + span * (f_m - f_le) - 2.0 * (g_m - g_le))
            high_support = _nonneg(gap * (total - f_lt) + 2.0 * (g_lt - g_m) - span * (f_lt - f_m))
            prob[lo, hi] = low_support
            prob[hi, lo] = high_support
            votes[n_pairs] = (low_support + high_support) * (1.0 if gap > 0 else 0.0)
            n_pairs += 1
    every = 2.0 * _pairwise_sum(votes, n_pairs) if rule == GLOBAL else 0.0
    n_pairs = 0
    for lo in range(m):
        for hi in range(lo + 1, m):
            v = every if rule == GLOBAL else votes[n_pairs]
            n_pairs += 1
            inverse = 1.0 / v if zs[hi] - zs[lo] > 0 and v > 0 else 0.0
            prob[lo, hi] *= inverse
            prob[hi, lo] *= inverse


@numba.njit(cache=True, nogil=True)
def _median_gaps(
    m: int,
    xs: NDArray[np.float64],
    ws: NDArray[np.float64],
    dist_range: float,
    cum: NDArray[np.float64],
    gaps: NDArray[np.float64],
) -> None:
    """``min(|x_k - mu| / range, 1)`` for sorted positions, mu their weighted median.

    mu as in ``zopa.models.weighted.weighted_median`` (the midpoint on an exact half);
    the plain mean of the positions when no actor carries weight.
    """
    cum[0] = ws[0]
    for k in range(1, m):
        cum[k] = cum[k - 1] + ws[k]
    total = cum[m - 1]
    if total > 0:
        half = total / 2
        tol = 1e-12 * max(total, 1.0)
        k = 0
        for j in range(m):
            if cum[j] >= half - tol:
                k = j
                break
        mu = xs[k]
        if abs(cum[k] - half) <= tol:
            for j in range(k + 1, m):
                if ws[j] > 0:
                    mu = (xs[k] + xs[j]) / 2
                    break
    else:
        mu = _pairwise_sum(xs, m) / m
    for k in range(m):
        gaps[k] = min(abs(xs[k] - mu) / dist_range, 1.0)


@numba.njit(cache=True, nogil=True)
def _passive(e: float, r: float, u_sq: float, q: float, t: float) -> float:
    """What i expects without a challenge: ``Q U_sq + (1 - Q)[T U_b + (1 - T) U_w]``."""
    better = 2.0 - 4.0 * _nonneg(0.5 - 0.25 * e) ** r
    worse = 2.0 - 4.0 * min(0.5 + 0.25 * e, 1.0) ** r
    return float(u_sq + (1.0 - q) * (t * better + (1.0 - t) * worse))


@numba.njit(cache=True, nogil=True)
def _round(
    game: _Game,
    rules: NDArray[np.int64],
    params: NDArray[np.float64],
    scratch: _Scratch,
    out: _Choice,
    details: _Details | None,
) -> None:
    """One simultaneous round of one game (inputs and outputs in the actors' order).

    ``scratch.order`` holds the previous order of the actors by position (any
    permutation on the first call). ``out.proposer`` is an actor index or -1. With
    ``details``, the (m, m) pair quantities are written too (``None``: the compiled
    version without them has no trace of them).
    """
    m, x, sal, cap, act, low, width, dist_range = game
    order, xs, ss, ws, zs = scratch.order, scratch.xs, scratch.ss, scratch.ws, scratch.zs
    cum_w, cum_g, gaps = scratch.cum_w, scratch.cum_g, scratch.gaps
    expo, r = scratch.expo, scratch.r
    o_pos, o_perc, o_move = scratch.o_pos, scratch.o_perc, scratch.o_move
    le, lt, o_kind, o_from = scratch.le, scratch.lt, scratch.o_kind, scratch.o_from
    votes, prob, dist = scratch.votes, scratch.prob, scratch.dist
    new_x, risk_out, kind_out, proposer_out = out
    prob_rule, risk_rule, choice = rules[0], rules[1], rules[2]
    q, t = params[0], params[1]
    # 0.5 comes in as data: with a literal base, LLVM rewrites pow(0.5, r) as exp2(-r),
    # which is not always the same number
    half_base = params[3]
    _sort(x, m, order)
    for k in range(m):
        a = order[k]
        xs[k] = x[a]
        ss[k] = sal[a] if act[a] else 0.0
        ws[k] = cap[a] * ss[k]
        zs[k] = min(_nonneg((x[a] - low) / width), 1.0)
    _probabilities(m, zs, ws, prob_rule, cum_w, cum_g, le, lt, votes, prob)
    near = 1e-12 * width
    # normalised distances between the pairs that contest each other, -1 elsewhere
    for i in range(m):
        dist[i, i] = -1.0
        ai = act[order[i]]
        for k in range(i + 1, m):
            gap_abs = abs(xs[i] - xs[k])
            if gap_abs > near and ai and act[order[k]]:
                dist[i, k] = min(gap_abs / dist_range, 1.0)
            else:
                dist[i, k] = -1.0
            dist[k, i] = dist[i, k]
    if q < 1.0:
        _median_gaps(m, xs, ws, dist_range, cum_w, gaps)

    # risk exponents: exposure S_k = sum_j E^j(U_jk) with every r = 1
    if risk_rule == SCHOLZ:
        c = (1.0 - q) * (2.0 * t - 1.0)
        for k in range(m):
            expo[k] = 0.0
        for i in range(m):
            for k in range(m):
                d_ik = dist[i, k]
                if d_ik >= 0.0:
                    own1 = (1.0 - ss[k] * (1.0 - prob[i, k]) * 2.0) * d_ik * 2.0
                    if q < 1.0:
                        own1 = own1 - c * (gaps[i] + d_ik)
                    expo[k] += own1
        hi = -np.inf
        lo = np.inf
        for k in range(m):
            if act[order[k]]:
                hi = max(hi, expo[k])
                lo = min(lo, expo[k])
        if not np.isfinite(hi):
            hi = 0.0
        if not np.isfinite(lo):
            lo = 0.0
        spread = hi - lo
        for k in range(m):
            big_r = (2.0 * expo[k] - hi - lo) / spread if spread > 0 and act[order[k]] else 0.0
            r[k] = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
    else:
        for k in range(m):
            r[k] = 1.0

    # offers to each actor i and the one it takes. With Q = 1, j's challenge can move i
    # only if s_j (1 - P_ij) > s_i (1 - P_ji): otherwise E^i(U_ij) >= E^i(U_ji) (the two
    # differ only in that factor, times U_s - U_f > 0, and rounding is monotonic), so the
    # powers need not be computed. Pairs closer than 1e-6 of the range are computed
    # anyway (there U_s - U_f could round to 0 or below).
    prune = q >= 1.0 and details is None
    for i in range(m):
        ri = r[i]
        xi = xs[i]
        a = order[i]
        u_sq = q * (2.0 - 4.0 * half_base**ri)
        n_offers = 0  # the offers i receives, in rank order of their proposers
        for j in range(m):
            if details is not None:
                details.prob[a, order[j]] = prob[i, j]
                details.own[a, order[j]] = 0.0
                details.perceived[a, order[j]] = 0.0
                details.kind[a, order[j]] = NONE
                details.position[a, order[j]] = xi
            d_ij = dist[i, j]
            if d_ij < 0.0:
                continue
            stake_own = ss[j] * (1.0 - prob[i, j])
            stake_perceived = ss[i] * (1.0 - prob[j, i])
            if prune and stake_own <= stake_perceived and d_ij >= 1e-6:
                continue
            half = d_ij * 0.5
            u_s = 2.0 - (0.5 - half) ** ri * 4.0
            u_f = 2.0 - (half + 0.5) ** ri * 4.0
            spread_sf = u_s - u_f
            sq_own = u_sq
            sq_perceived = u_sq
            if q < 1.0:
                sq_own = _passive(gaps[i] + d_ij, ri, u_sq, q, t)
                sq_perceived = _passive(gaps[j] + d_ij, ri, u_sq, q, t)
            own = u_s - stake_own * spread_sf - sq_own
            perceived = u_s - stake_perceived * spread_sf - sq_perceived
            offer = NONE
            if own > 0 and perceived > own:
                offer = CONFRONTATION
                position = xs[j]
            elif own < 0 and perceived > 0:
                if perceived > -own:
                    offer = COMPROMISE
                    position = (xs[j] - xi) * (-own / perceived) + xi
                else:
                    offer = CAPITULATION
                    position = xs[j]
            if details is not None:
                details.own[a, order[j]] = own
                details.perceived[a, order[j]] = perceived
                if offer != NONE:
                    details.kind[a, order[j]] = offer
                    details.position[a, order[j]] = position
            if offer != NONE:
                o_from[n_offers] = j
                o_kind[n_offers] = offer
                o_pos[n_offers] = position
                o_perc[n_offers] = perceived
                o_move[n_offers] = abs(position - xi)
                n_offers += 1
        # eligible offers (o_kind > 0): narrowed by the choice rule, then ties
        if choice == TYPE:
            best = 4
            for k in range(n_offers):
                best = min(best, o_kind[k])
            for k in range(n_offers):
                if o_kind[k] != best:
                    o_kind[k] = -o_kind[k]  # offered, not eligible
        elif choice == STRONGEST:
            top = -np.inf
            for k in range(n_offers):
                top = max(top, o_perc[k])
            for k in range(n_offers):
                if not o_perc[k] >= top:
                    o_kind[k] = -o_kind[k]
        least = np.inf
        for k in range(n_offers):
            if o_kind[k] > 0:
                least = min(least, o_move[k])
        least = least + near
        strongest = -np.inf
        for k in range(n_offers):
            if o_kind[k] > 0:
                if o_move[k] <= least:
                    strongest = max(strongest, o_perc[k])
                else:
                    o_kind[k] = -o_kind[k]
        lowest = np.inf
        for k in range(n_offers):
            if o_kind[k] > 0:
                if o_perc[k] >= strongest:
                    lowest = min(lowest, o_pos[k])
                else:
                    o_kind[k] = -o_kind[k]
        risk_out[a] = ri
        new_x[a] = xi
        kind_out[a] = NONE
        proposer_out[a] = -1
        for k in range(n_offers):
            if o_kind[k] > 0 and o_pos[k] <= lowest:
                new_x[a] = o_pos[k]
                kind_out[a] = o_kind[k]
                proposer_out[a] = order[o_from[k]]
                break


@numba.njit(cache=True, nogil=True)
def round_batch(
    position: NDArray[np.float64],
    salience: NDArray[np.float64],
    capability: NDArray[np.float64],
    active: NDArray[np.bool_],
    low: NDArray[np.float64],
    width: NDArray[np.float64],
    dist_range: NDArray[np.float64],
    rules: NDArray[np.int64],
    params: NDArray[np.float64],
    new_position: NDArray[np.float64],
    risk: NDArray[np.float64],
    kind: NDArray[np.int8],
    proposer: NDArray[np.int64],
    details: bool,
    d_prob: NDArray[np.float64],
    d_own: NDArray[np.float64],
    d_perceived: NDArray[np.float64],
    d_kind: NDArray[np.int8],
    d_position: NDArray[np.float64],
) -> None:
    """One round for each of n games of A actors ((n, A) inputs, (n, A, A) details)."""
    n, a = position.shape
    scratch = _scratch(a)
    for g in range(n):
        for k in range(a):
            scratch.order[k] = k
        game = _Game(
            a, position[g], salience[g], capability[g], active[g], low[g], width[g], dist_range[g]
        )
        out = _Choice(new_position[g], risk[g], kind[g], proposer[g])
        if details:
            pairs = _Details(d_prob[g], d_own[g], d_perceived[g], d_kind[g], d_position[g])
            _round(game, rules, params, scratch, out, pairs)
        else:
            _round(game, rules, params, scratch, out, None)


@numba.njit(cache=True, nogil=True)
def probability_batch(
    key: NDArray[np.float64],
    weight: NDArray[np.float64],
    rule: int,
    out: NDArray[np.float64],
) -> None:
    """P_ij for n games from positions ``key`` (n, A) in [0, 1] and vote weights."""
    n, a = key.shape
    order = np.arange(a)
    zs = np.zeros(a)
    ws = np.zeros(a)
    cum_w = np.zeros(a + 1)
    cum_g = np.zeros(a + 1)
    le = np.zeros(a, dtype=np.int64)
    lt = np.zeros(a, dtype=np.int64)
    votes = np.zeros(max(1, a * (a - 1) // 2))
    prob = np.zeros((a, a))
    for g in range(n):
        for k in range(a):
            order[k] = k
        _sort(key[g], a, order)
        for k in range(a):
            zs[k] = key[g, order[k]]
            ws[k] = weight[g, order[k]]
        _probabilities(a, zs, ws, rule, cum_w, cum_g, le, lt, votes, prob)
        for i in range(a):
            for j in range(a):
                out[g, order[i], order[j]] = prob[i, j]


@numba.njit(cache=True, nogil=True)
def play(
    position: NDArray[np.float64],
    salience: NDArray[np.float64],
    capability: NDArray[np.float64],
    has_stance: NDArray[np.bool_],
    scale_min: NDArray[np.float64],
    scale_max: NDArray[np.float64],
    rules: NDArray[np.int64],
    params: NDArray[np.float64],
    trajectory: NDArray[np.float64],
    risk: NDArray[np.float64],
    kind: NDArray[np.int8],
    proposer: NDArray[np.int64],
    move: NDArray[np.float64],
    rounds: NDArray[np.int64],
    converged: NDArray[np.bool_],
) -> int:
    """Play every game (draw d, issue i) of a batch until it stops or the round limit.

    Args:
        position: (D, A, I) initial positions.
        salience: (D, A, I) saliences.
        capability: (D, A) capabilities.
        has_stance: (A, I) whether each actor takes part in each issue's games.
        scale_min: (I,) lower ends of the scales.
        scale_max: (I,) upper ends of the scales.
        rules: probability, risk, offer choice, normalise (0 positions, 1 scale) and
            compact (1: games over their participants only) codes.
        params: q (the probability that the status quo persists without a challenge),
            t (that it then improves), tol (a game stops when no position moves by more
            than tol x the scale width) and 0.5.
        trajectory: (D, R + 1, A, I) output, R the round limit; round 0 is filled here.
        risk: (D, R, A, I) output risk exponents.
        kind: (D, R, A, I) output kind of the accepted offer.
        proposer: (D, R, A, I) output actor whose offer was accepted (-1: none).
        move: (D, R, A, I) output signed moves.
        rounds: (D, I) output rounds in which the game moved.
        converged: (D, I) output whether the game stopped by itself.

    Returns:
        The number of rounds kept: up to the last round in which any game moved at all.
        Every output is filled up to that round (stopped games repeat their positions).
    """
    n_d, n_a, n_i = position.shape
    tol = params[2]
    max_rounds = risk.shape[1]
    normalise_scale = rules[3] == 1
    compact = rules[4] == 1
    # each issue's players (in actor order) and each actor's place among them (-1: none)
    members = np.zeros((n_i, n_a), dtype=np.int64)
    n_members = np.zeros(n_i, dtype=np.int64)
    slot = np.full((n_i, n_a), -1, dtype=np.int64)
    for ii in range(n_i):
        for a in range(n_a):
            if has_stance[a, ii] or not compact:
                slot[ii, a] = n_members[ii]
                members[ii, n_members[ii]] = a
                n_members[ii] += 1
    x = np.zeros(n_a)
    sal = np.zeros(n_a)
    cap = np.zeros(n_a)
    act = np.zeros(n_a, dtype=np.bool_)
    choice = _Choice(
        np.zeros(n_a), np.zeros(n_a), np.zeros(n_a, dtype=np.int8), np.zeros(n_a, dtype=np.int64)
    )
    new_x, r_out, k_out, p_out = choice
    scratch = _scratch(n_a)
    order = scratch.order
    played = np.zeros((n_d, n_i), dtype=np.int64)
    kept = 0
    # draw by draw, so that a draw's slice of the outputs stays in cache over its issues
    for dd in range(n_d):
        for ii in range(n_i):
            low = scale_min[ii]
            width = scale_max[ii] - scale_min[ii]
            m = n_members[ii]
            hi = -np.inf
            lo = np.inf
            for a in range(n_a):
                trajectory[dd, 0, a, ii] = position[dd, a, ii]
                if has_stance[a, ii]:
                    hi = max(hi, position[dd, a, ii])
                    lo = min(lo, position[dd, a, ii])
            spread = hi - lo
            dist_range = width
            if not normalise_scale and np.isfinite(spread) and spread > 0:
                dist_range = spread
            for k in range(m):
                a = members[ii, k]
                x[k] = position[dd, a, ii]
                sal[k] = salience[dd, a, ii]
                cap[k] = capability[dd, a]
                act[k] = has_stance[a, ii]
                order[k] = k
            done = False
            last_moved = 0
            n_played = 0
            n_moved = 0
            game = _Game(m, x, sal, cap, act, low, width, dist_range)
            while n_played < max_rounds and not done:
                _round(game, rules, params, scratch, choice, None)
                rr = n_played
                n_played += 1
                largest = 0.0
                for a in range(n_a):
                    k = slot[ii, a]
                    if k < 0:  # not in the game
                        trajectory[dd, rr + 1, a, ii] = trajectory[dd, rr, a, ii]
                        risk[dd, rr, a, ii] = 1.0
                        kind[dd, rr, a, ii] = NONE
                        proposer[dd, rr, a, ii] = -1
                        move[dd, rr, a, ii] = 0.0
                        continue
                    shift = new_x[k] - x[k]
                    trajectory[dd, rr + 1, a, ii] = new_x[k]
                    risk[dd, rr, a, ii] = r_out[k]
                    kind[dd, rr, a, ii] = k_out[k]
                    proposer[dd, rr, a, ii] = members[ii, p_out[k]] if p_out[k] >= 0 else -1
                    move[dd, rr, a, ii] = shift
                    largest = max(largest, abs(shift))
                    x[k] = new_x[k]
                if largest != 0.0:
                    last_moved = n_played
                if largest > tol * width:
                    n_moved += 1
                else:
                    done = True
            rounds[dd, ii] = n_moved
            converged[dd, ii] = done
            played[dd, ii] = n_played
            kept = max(kept, last_moved)
    # stopped games repeat their last positions up to the rounds kept
    for dd in range(n_d):
        for ii in range(n_i):
            for rr in range(played[dd, ii], kept):
                for a in range(n_a):
                    trajectory[dd, rr + 1, a, ii] = trajectory[dd, rr, a, ii]
                    risk[dd, rr, a, ii] = 1.0
                    kind[dd, rr, a, ii] = NONE
                    proposer[dd, rr, a, ii] = -1
                    move[dd, rr, a, ii] = 0.0
    return kept
