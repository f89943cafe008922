"""Compiled turn loop of the spatial model of politics (KTAB's SMP).

The formulas, citations and deviations are in :mod:`zopa.models.spatial`; this module
runs the turns of every draw, each to its own stopping turn, in compiled code (numba,
one thread, no fast-math). Positions are on KTAB's internal 0..1 scale.

Every floating-point operation is done in the order of zopa's earlier numpy code, so
that the results are bit for bit the same (which also keeps the ties among bargains
where they were):

- the salience-weighted squared distances add their terms in two interleaved partial
  sums of the even and odd issues, blocks of eight issues folded from the last pair to
  the first, as numpy's ``einsum`` does (:func:`_weighted_sq`);
- sums that numpy took along an array's last axis (the utility of the status quo, the
  normalisation of a Condorcet election, the movement of a turn) use numpy's pairwise
  summation (:func:`_pairwise`);
- coalition strengths add the voters in order from the floor, and Condorcet products
  multiply the opponents in order (KTAB's order).

Options are passed as integer codes (:data:`VOTING_RULES` and the other tuples give
each code's name) so that the kernel has one compiled signature.
"""

from __future__ import annotations

import numba
import numpy as np

VOTING_RULES = ("binary", "prop_bin", "proportional", "prop_cubic", "cubic")
THIRD_PARTY_COMMIT = ("none", "semi", "full")
BARGAIN_INTERPOLATION = ("s1p1", "s2p2", "s2pmax")
BIG_R_RANGE = ("min", "mid", "max")
BIG_R_ADJUST = ("none", "one_third", "half", "two_thirds", "full")

_BINARY, _PROP_BIN, _PROPORTIONAL, _PROP_CUBIC, _CUBIC = range(5)
_SEMI = 1
_S1P1, _S2P2, _S2PMAX = range(3)
_R_MIN, _R_MID, _R_MAX = range(3)
_ADJ_NONE, _ADJ_THIRD, _ADJ_HALF, _ADJ_TWO_THIRDS, _ADJ_FULL = range(5)

# KTAB's small constants (kmodel.cpp Model::coalitions, Model::vote; smp.cpp
# SMPState::probEduChlg minCltn, SMPState::bestChallenge minSigEDU,
# SMPActor::interpBrgn* minW)
MIN_COALITION = 1e-8
BINARY_VOTE_TOLERANCE = 1e-8
MIN_CHALLENGE_COALITION = 1e-10
MIN_CHALLENGE_GAIN = 1e-5
MIN_BARGAIN_WEIGHT = 1e-6

# integer settings: indices into ``settings``
_RULE, _COMMIT, _INTERP, _RANGE, _ADJUST, _MIN_TURNS, _MAX_TURNS = range(7)
# float settings: indices into ``params``
_POWER, _MIN_RATIO, _MIN_DELTA = range(3)


@numba.njit(cache=True)
def _vote(rule: int, weight: float, du: float) -> float:
    """The vote of an actor of ``weight`` whose utility gain from a over b is ``du``."""
    if rule == _PROPORTIONAL:
        return weight * du
    if rule == _CUBIC:
        return weight * (du * du * du)
    if rule == _PROP_CUBIC:
        return weight * (0.5 * du + 0.5 * du * du * du)
    step = min(max(du / BINARY_VOTE_TOLERANCE, -1.0), 1.0)
    if rule == _BINARY:
        return weight * step
    return weight * (0.8 * du + 0.2 * step)  # prop_bin


@numba.njit(cache=True)
def _pairwise(x: np.ndarray, n: int) -> float:
    """The pairwise sum numpy uses, of ``x[:n]`` (eight partial sums per block of 128)."""
    if n < 8:
        res = -0.0
        for i in range(n):
            res += x[i]
        return res
    if n <= 128:
        r0, r1, r2, r3 = x[0], x[1], x[2], x[3]
        r4, r5, r6, r7 = x[4], x[5], x[6], x[7]
        i = 8
        end = n - n % 8
        while i < end:
            r0 += x[i]
            r1 += x[i + 1]
            r2 += x[i + 2]
            r3 += x[i + 3]
            r4 += x[i + 4]
            r5 += x[i + 5]
            r6 += x[i + 6]
            r7 += x[i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += x[i]
            i += 1
        return float(res)
    half = n // 2
    half -= half % 8
    return float(_pairwise(x[:half], half) + _pairwise(x[half:], n - half))


@numba.njit(cache=True)
def _weighted_sq(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """``sum_k (x_k - y_k)^2 w_k`` added in the order of numpy's two-lane ``einsum``."""
    n = x.shape[0]
    acc0 = 0.0
    acc1 = 0.0
    k = 0
    while n - k >= 8:
        t0 = _term(x, y, w, k)
        t1 = _term(x, y, w, k + 1)
        t2 = _term(x, y, w, k + 2)
        t3 = _term(x, y, w, k + 3)
        t4 = _term(x, y, w, k + 4)
        t5 = _term(x, y, w, k + 5)
        t6 = _term(x, y, w, k + 6)
        t7 = _term(x, y, w, k + 7)
        acc0 = t0 + (t2 + (t4 + (t6 + acc0)))
        acc1 = t1 + (t3 + (t5 + (t7 + acc1)))
        k += 8
    while k < n:
        acc0 = _term(x, y, w, k) + acc0
        if k + 1 < n:
            acc1 = _term(x, y, w, k + 1) + acc1
        k += 2
    return float(acc0 + acc1)


@numba.njit(cache=True)
def _term(x: np.ndarray, y: np.ndarray, w: np.ndarray, k: int) -> float:
    """``(x_k - y_k)^2 w_k``, squared first as numpy did."""
    diff = x[k] - y[k]
    return float((diff * diff) * w[k])


@numba.njit(cache=True)
def _utility(d: float, r: float) -> float:
    """KTAB's ``(1 - d)(1 + d R)`` (``d`` capped at 1 inside the bracket)."""
    return (1.0 - d) * (1.0 + min(d, 1.0) * r)


@numba.njit(cache=True)
def _victory(c: np.ndarray, x: np.ndarray, power: float) -> None:
    """Overwrite ``x`` with ``c^power`` (the victory-probability terms)."""
    if power == 1.0:
        x[:] = c
    else:
        x[:] = c**power


@numba.njit(cache=True)
def _round4(x: float) -> float:
    """KTAB's ``round4`` on the 0..1 scale (0.01 on 0..100)."""
    return float(np.floor(0.5 + x * 10000.0) / 10000.0)


@numba.njit(cache=True)
def _turn(
    x: np.ndarray,
    new: np.ndarray,
    sal: np.ndarray,
    s2: np.ndarray,
    s2_total: np.ndarray,
    sal_total: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    params: np.ndarray,
    uniform: np.ndarray,
    stochastic: bool,
) -> None:
    """One turn of one draw: ``new`` receives the positions after ``x`` (A, K)."""
    a, k_dims = x.shape
    rule = settings[_RULE]
    power = params[_POWER]

    # 1. distances; utilities are om * (1 + md * r)
    om = np.empty((a, a))
    md = np.empty((a, a))
    for i in range(a):
        for j in range(a):
            d = 0.0 if i == j else np.sqrt(_weighted_sq(x[i], x[j], s2[i]) / s2_total[i])
            om[i, j] = 1.0 - d
            md[i, j] = min(d, 1.0)

    # 2. risk attitudes from the risk-neutral election over the positions
    coal = np.full((a, a), MIN_COALITION)
    for n in range(a):
        w = cap[n]
        for i in range(a):
            ui = om[n, i]
            for j in range(a):
                v = _vote(rule, w, ui - om[n, j])
                coal[i, j] += max(v, 0.0)
    xp = np.empty((a, a))
    _victory(coal, xp, power)
    prod = np.empty(a)
    for i in range(a):
        p = 1.0
        for j in range(a):
            p *= xp[i, j] / (xp[i, j] + xp[j, i])
        prod[i] = p
    total = _pairwise(prod, a)
    prob = prod / total
    p_min = prob.min()
    p_max = prob.max()
    spread = p_max - p_min
    risk = np.zeros(a)
    if spread > 0:
        r_range = settings[_RANGE]
        for i in range(a):
            if r_range == _R_MID:
                risk[i] = (3.0 * prob[i] - (p_max + 2.0 * p_min)) / (2.0 * spread)
            elif r_range == _R_MIN:
                risk[i] = (prob[i] - p_min) / spread
            else:
                risk[i] = (2.0 * prob[i] - (p_max + p_min)) / spread
    # rp[h, i]: h's estimate of i's risk attitude
    adjust = settings[_ADJUST]
    rp = np.empty((a, a))
    for h in range(a):
        for i in range(a):
            if adjust == _ADJ_THIRD:
                rp[h, i] = (2.0 * risk[h] + risk[i]) / 3.0
            elif adjust == _ADJ_HALF:
                rp[h, i] = (risk[h] + risk[i]) / 2.0
            elif adjust == _ADJ_TWO_THIRDS:
                rp[h, i] = (risk[h] + 2.0 * risk[i]) / 3.0
            elif adjust == _ADJ_FULL:
                rp[h, i] = risk[i]
            else:
                rp[h, i] = risk[h]

    # 3. challenges: i's estimate of defeating j, best target
    semi = settings[_COMMIT] == _SEMI
    pw = sal_total * cap
    ui_ = np.empty((a, a))  # U_i(a, b) from i's perspective
    base_ij = np.empty(a)
    base_ji = np.empty(a)
    ch_ij = np.empty(a)
    ch_ji = np.empty(a)
    target = np.zeros(a, dtype=np.int64)
    has = np.zeros(a, dtype=np.bool_)
    p_t = np.zeros(a)
    for i in range(a):
        for m in range(a):
            r = rp[i, m]
            for j in range(a):
                ui_[m, j] = om[m, j] * (1.0 + md[m, j] * r)
        own_ii = ui_[i, i]
        for j in range(a):
            c_i = _vote(rule, pw[i], own_ii - ui_[i, j])
            c_j = _vote(rule, pw[j], ui_[j, i] - ui_[j, j])
            base_ij[j] = MIN_CHALLENGE_COALITION + max(c_i, 0.0) + max(c_j, 0.0)
            base_ji[j] = MIN_CHALLENGE_COALITION + max(-c_i, 0.0) + max(-c_j, 0.0)
        ch_ij[:] = base_ij
        ch_ji[:] = base_ji
        if semi:
            for n in range(a):
                if n == i:
                    continue
                u_ni = ui_[n, i]
                u_nn = ui_[n, n]
                w = pw[n]
                for j in range(a):
                    if j == n:
                        continue
                    u_nj = ui_[n, j]
                    little = _vote(rule, w, u_ni - u_nj)
                    c_ni = max(little, 0.0)
                    c_nj = c_ni - little
                    c_ni += base_ij[j]
                    c_nj += base_ji[j]
                    p_little = c_ni / (c_ni + c_nj)
                    stay = u_nj - u_nn
                    du = (u_nn - u_ni) - stay
                    du *= p_little
                    du += stay
                    v = _vote(rule, w, du)
                    f_i = max(v, 0.0)
                    ch_ij[j] += f_i
                    ch_ji[j] += f_i - v
        best = -np.inf
        for j in range(a):
            if j == i:
                continue
            u_ij = ui_[i, j]
            both = ch_ij[j] + ch_ji[j]
            p_ij = ch_ij[j] / both
            p_ji = ch_ji[j] / both
            u_vict = own_ii + own_ii
            u_contest = p_ij * u_vict + p_ji * (u_ij + u_ij)
            s_j = sal_total[j]
            gain = ((1.0 - s_j) * u_vict + s_j * u_contest) - (own_ii + u_ij)
            if gain > MIN_CHALLENGE_GAIN:
                if not has[i] or gain > best:
                    best = gain
                    target[i] = j
                    p_t[i] = p_ij
                has[i] = True

    # 4. bargains: positions the initiator proposes for itself and its target
    interp = settings[_INTERP]
    b_init = np.empty((a, k_dims))
    b_rcvr = np.empty((a, k_dims))
    for i in range(a):
        if not has[i]:
            continue
        j = target[i]
        prob_i = p_t[i]
        prob_j = 1.0 - prob_i
        for k in range(k_dims):
            si = sal[i, k]
            sj = sal[j, k]
            xi = x[i, k]
            xj = x[j, k]
            if interp == _S2PMAX:
                d_i = max(prob_j - prob_i, 0.0)
                d_j = max(prob_i - prob_j, 0.0)
                si2 = si * si
                sj2 = sj * sj
                f_i = (d_i * sj2) / ((d_i * sj2) + MIN_BARGAIN_WEIGHT + ((1 - d_i) * si2))
                f_j = (d_j * si2) / ((d_j * si2) + MIN_BARGAIN_WEIGHT + ((1 - d_j) * sj2))
                b_init[i, k] = xi + f_i * (xj - xi)
                b_rcvr[i, k] = xj + f_j * (xi - xj)
            else:
                if interp == _S2P2:
                    w_i = (si * si) * (prob_i * prob_i)
                    w_j = (sj * sj) * (prob_j * prob_j)
                else:
                    w_i = si * prob_i
                    w_j = sj * prob_j
                den = w_i + MIN_BARGAIN_WEIGHT + w_j
                b_init[i, k] = _round4(((w_i + MIN_BARGAIN_WEIGHT) * xi + w_j * xj) / den)
                b_rcvr[i, k] = _round4((w_i * xi + (MIN_BARGAIN_WEIGHT + w_j) * xj) / den)

    # 5. every actor's choice among the status quo and the bargains it is party to
    own = np.empty((a, a))
    sq_total = np.empty(a)
    for n in range(a):
        r = rp[n, n]
        for m in range(a):
            own[n, m] = om[n, m] * (1.0 + md[n, m] * r)
        sq_total[n] = _pairwise(own[n], a)
    g_all = a + 1  # options: bargains 0..A-1, status quo A
    u_opt = np.empty((g_all, a))  # u_opt[g, n]: utility to voter n of option g
    for g in range(a):
        if not has[g]:
            continue
        t = target[g]
        for n in range(a):
            d1 = np.sqrt(_weighted_sq(x[n], b_init[g], s2[n]) / s2_total[n])
            d2 = np.sqrt(_weighted_sq(x[n], b_rcvr[g], s2[n]) / s2_total[n])
            u1 = _utility(d1, risk[n])
            u2 = _utility(d2, risk[n])
            u_opt[g, n] = ((u1 + u2) + ((sq_total[n] - own[n, g]) - own[n, t])) / a
    for n in range(a):
        u_opt[a, n] = sq_total[n] / a
    # each actor's options in global order: bargains it proposes or receives, then the
    # status quo
    n_opt = np.zeros(a, dtype=np.int64)
    opts = np.empty((a, g_all), dtype=np.int64)
    for g in range(a):
        if has[g]:
            opts[g, n_opt[g]] = g
            n_opt[g] += 1
            t = target[g]
            opts[t, n_opt[t]] = g
            n_opt[t] += 1
    for k in range(a):
        opts[k, n_opt[k]] = a
        n_opt[k] += 1
    # victory probabilities between the options that share an actor
    pv = np.empty((g_all, g_all))
    done = np.zeros((g_all, g_all), dtype=np.bool_)
    for k in range(a):
        for q1 in range(n_opt[k]):
            g = opts[k, q1]
            for q2 in range(q1 + 1, n_opt[k]):
                b = opts[k, q2]
                if done[g, b]:
                    continue
                c_gb = MIN_COALITION
                c_bg = MIN_COALITION
                for n in range(a):
                    v = _vote(rule, cap[n], u_opt[g, n] - u_opt[b, n])
                    c_gb += max(v, 0.0)
                    c_bg += max(-v, 0.0)
                if power != 1.0:
                    c_gb = c_gb**power
                    c_bg = c_bg**power
                pv[g, b] = c_gb / (c_gb + c_bg)
                pv[b, g] = c_bg / (c_gb + c_bg)
                done[g, b] = True
                done[b, g] = True
    beats = np.zeros(g_all)
    member = np.zeros(g_all, dtype=np.bool_)
    for k in range(a):
        m = n_opt[k]
        for q1 in range(m):
            g = opts[k, q1]
            p = 1.0
            for q2 in range(m):
                b = opts[k, q2]
                p *= 0.5 if b == g else pv[g, b]
            beats[g] = p
            member[g] = True
        total = _pairwise(beats, g_all)
        # KTAB's order: bargains of lower initiators, the status quo, k's own, the rest
        chosen = a
        best = -1.0
        cum = 0.0
        found = False
        for q in range(g_all):
            g = q if q < k else (a if q == k else q - 1)
            if not member[g]:
                continue
            pg = float(beats[g] / total)
            if stochastic:
                cum += pg
                chosen = g
                if cum >= uniform[k]:
                    found = True
                    break
            elif not found and (pg > best or np.isnan(pg)):
                best = pg
                chosen = g
                if np.isnan(pg):
                    found = True
        for q1 in range(m):
            beats[opts[k, q1]] = 0.0
            member[opts[k, q1]] = False
        if chosen == a:
            new[k] = x[k]
        elif chosen == k:
            new[k] = b_init[k]
        else:
            new[k] = b_rcvr[chosen]


@numba.njit(cache=True)
def _movement(x: np.ndarray, new: np.ndarray, row: np.ndarray, per_actor: np.ndarray) -> float:
    """Sum over actors of the Euclidean distance moved (numpy's summation order)."""
    a, k_dims = x.shape
    for i in range(a):
        for k in range(k_dims):
            step = new[i, k] - x[i, k]
            row[k] = step * step
        per_actor[i] = np.sqrt(_pairwise(row, k_dims))
    return _pairwise(per_actor, a)


@numba.njit(cache=True)
def _advance(
    store: np.ndarray,
    start: int,
    turn: int,
    first_step: np.ndarray,
    draw: int,
    sal: np.ndarray,
    s2: np.ndarray,
    s2_total: np.ndarray,
    sal_total: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    params: np.ndarray,
    uniform: np.ndarray,
    stochastic: bool,
) -> bool:
    """Turn ``turn`` of draw ``draw`` (rows ``start + turn - 1`` -> ``start + turn``).

    Returns whether the draw stops after this turn.
    """
    x = store[start + turn - 1]
    new = store[start + turn]
    _turn(x, new, sal[draw], s2[draw], s2_total[draw], sal_total[draw], cap[draw],
          settings, params, uniform, stochastic)  # fmt: skip
    a, k_dims = x.shape
    moved = _movement(x, new, np.empty(k_dims), np.empty(a))
    if turn == 1:
        first_step[draw] = moved + params[_MIN_DELTA]
    quiet = moved / first_step[draw] < params[_MIN_RATIO]
    return bool(turn >= settings[_MAX_TURNS] or (turn >= settings[_MIN_TURNS] and quiet))


@numba.njit(cache=True)
def run_draws(
    pos: np.ndarray,
    sal: np.ndarray,
    s2: np.ndarray,
    s2_total: np.ndarray,
    sal_total: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    params: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every draw's turns, each to its own stopping turn (deterministic transition).

    Args:
        pos: (D, A, K) positions on 0..1.
        sal: (D, A, K) saliences (normalised).
        s2: (D, A, K) squared saliences.
        s2_total: (D, A) their sums over the issues, 1 where 0.
        sal_total: (D, A) the saliences summed over the issues.
        cap: (D, A) capabilities.
        settings: int64 option codes and turn limits (see ``_RULE`` .. ``_MAX_TURNS``).
        params: float64 victory power, minimum change ratio, minimum significant change.

    Returns:
        (store, start, turns): the positions of draw ``d`` at turns 0..turns[d] are
        ``store[start[d] : start[d] + turns[d] + 1]``.
    """
    d_all, a, k_dims = pos.shape
    max_turns = settings[_MAX_TURNS]
    rows = max(d_all * 16, max_turns + 1)
    store = np.empty((rows, a, k_dims))
    start = np.zeros(d_all, dtype=np.int64)
    turns = np.zeros(d_all, dtype=np.int64)
    first_step = np.zeros(d_all)
    no_uniform = np.empty(0)
    used = 0
    for d in range(d_all):
        if used + max_turns + 1 > store.shape[0]:
            bigger = np.empty((max(2 * store.shape[0], used + max_turns + 1), a, k_dims))
            bigger[:used] = store[:used]
            store = bigger
        start[d] = used
        store[used] = pos[d]
        turn = 1
        while True:
            stop = _advance(store, used, turn, first_step, d, sal, s2, s2_total, sal_total,
                            cap, settings, params, no_uniform, False)  # fmt: skip
            if stop:
                break
            turn += 1
        turns[d] = turn
        used += turn + 1
    return store[:used], start, turns


@numba.njit(cache=True)
def step_draws(
    store: np.ndarray,
    start: np.ndarray,
    active: np.ndarray,
    turn: int,
    first_step: np.ndarray,
    sal: np.ndarray,
    s2: np.ndarray,
    s2_total: np.ndarray,
    sal_total: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    params: np.ndarray,
    uniform: np.ndarray,
) -> np.ndarray:
    """One turn of the ``active`` draws with the stochastic transition.

    ``uniform[q]`` holds the A uniform numbers of the ``q``-th active draw. Returns
    which of them stop after this turn.
    """
    stop = np.zeros(active.shape[0], dtype=np.bool_)
    for q in range(active.shape[0]):
        d = active[q]
        stop[q] = _advance(store, start[d], turn, first_step, d, sal, s2, s2_total,
                           sal_total, cap, settings, params, uniform[q], True)  # fmt: skip
    return stop


@numba.njit(cache=True)
def trajectory(
    store: np.ndarray,
    start: np.ndarray,
    turns: np.ndarray,
    lo: np.ndarray,
    width: np.ndarray,
) -> np.ndarray:
    """The (D, T + 1, A, K) trajectory on the issue scales, ``lo + x * width``.

    A draw that stopped before the longest keeps its last positions.
    """
    d_all = start.shape[0]
    a, k_dims = store.shape[1], store.shape[2]
    t_max = turns.max() if d_all > 0 else 0
    out = np.empty((d_all, t_max + 1, a, k_dims))
    for d in range(d_all):
        for t in range(t_max + 1):
            row = store[start[d] + min(t, turns[d])]
            for i in range(a):
                for k in range(k_dims):
                    out[d, t, i, k] = lo[k] + row[i, k] * width[k]
    return out
