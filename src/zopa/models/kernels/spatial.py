"""Compiled turn loop of the spatial model of politics (KTAB's SMP).

The formulas, citations and deviations are in :mod:`zopa.models.spatial`; this module
runs the turns of every draw, each to its own stopping turn, and the final state's
election, in compiled code (numba, one thread, no fast-math). Positions are on KTAB's
internal 0..1 scale. Entry points: :func:`run_draws` (deterministic transition),
:func:`step_draws` (one turn of the stochastic transition, given the uniform numbers),
:func:`elections` and :func:`trajectory`.

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

The stochastic transition takes, for each actor, the first of its options (in KTAB's
order) at which the cumulative probability reaches the actor's uniform number, or its
last option should rounding leave the total just below the number; the numpy code could
then (with probability about 1e-16) have picked a bargain the actor was no party to.

Options are passed as integer codes (:data:`VOTING_RULES` and the other tuples give
each code's name) so that the kernel has one compiled signature. The loops along the
actors run over rows padded to :data:`PAD` columns, so that they fill whole vector
registers.
"""

from __future__ import annotations

from typing import NamedTuple

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

POSITION_TOLERANCE = 1e-3  # KTAB SMPModel::posTol, on the 0..1 scale

TURNS_PER_DRAW = 16  # rows first reserved per draw for its positions (grown when short)
PAD = 16  # columns of the scratch rows over the actors: a multiple of the vector width

# compiled once and cached; numpy's error model: x / 0 gives inf or nan as in numpy (no
# exception), which also lets the loops with a division be vectorised
_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _vote(rule: int | np.int64, weight: float, du: float) -> float:
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


@_jit
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


@_jit
def _weighted_sq(
    xi: np.ndarray, w: np.ndarray, y_t: np.ndarray, acc0: np.ndarray, acc1: np.ndarray
) -> None:
    """``acc0[j] = sum_k (xi_k - y_t[k, j])^2 w_k`` for every column ``j`` of ``y_t``.

    The terms are added as numpy's ``einsum`` adds them: two partial sums (even and odd
    issues), each block of eight issues folded from its last pair to its first.
    """
    k_dims, m = y_t.shape
    acc0[:m] = 0.0
    acc1[:m] = 0.0
    k = 0
    while k_dims - k >= 8:
        x0, x1, x2, x3 = xi[k], xi[k + 1], xi[k + 2], xi[k + 3]
        x4, x5, x6, x7 = xi[k + 4], xi[k + 5], xi[k + 6], xi[k + 7]
        w0, w1, w2, w3 = w[k], w[k + 1], w[k + 2], w[k + 3]
        w4, w5, w6, w7 = w[k + 4], w[k + 5], w[k + 6], w[k + 7]
        for j in range(m):
            d0 = x0 - y_t[k, j]
            d1 = x1 - y_t[k + 1, j]
            d2 = x2 - y_t[k + 2, j]
            d3 = x3 - y_t[k + 3, j]
            d4 = x4 - y_t[k + 4, j]
            d5 = x5 - y_t[k + 5, j]
            d6 = x6 - y_t[k + 6, j]
            d7 = x7 - y_t[k + 7, j]
            t0, t2, t4, t6 = (d0 * d0) * w0, (d2 * d2) * w2, (d4 * d4) * w4, (d6 * d6) * w6
            t1, t3, t5, t7 = (d1 * d1) * w1, (d3 * d3) * w3, (d5 * d5) * w5, (d7 * d7) * w7
            acc0[j] = t0 + (t2 + (t4 + (t6 + acc0[j])))
            acc1[j] = t1 + (t3 + (t5 + (t7 + acc1[j])))
        k += 8
    while k < k_dims:
        xa = xi[k]
        wa = w[k]
        if k + 1 < k_dims:
            xb = xi[k + 1]
            wb = w[k + 1]
            for j in range(m):
                da = xa - y_t[k, j]
                db = xb - y_t[k + 1, j]
                acc0[j] = (da * da) * wa + acc0[j]
                acc1[j] = (db * db) * wb + acc1[j]
        else:
            for j in range(m):
                da = xa - y_t[k, j]
                acc0[j] = (da * da) * wa + acc0[j]
        k += 2
    for j in range(m):
        acc0[j] += acc1[j]


@_jit
def _utility(d: float, r: float) -> float:
    """KTAB's ``(1 - d)(1 + d R)`` (``d`` capped at 1 inside the bracket)."""
    return (1.0 - d) * (1.0 + min(d, 1.0) * r)


@_jit
def _power(c: float, power: float) -> float:
    """``c^power``, a square as numpy computes ``c**2`` (the product, not ``pow``)."""
    if power == 2.0:
        return c * c
    return float(c**power)


@_jit
def _round4(x: float) -> float:
    """KTAB's ``round4`` on the 0..1 scale (0.01 on 0..100)."""
    return float(np.floor(0.5 + x * 10000.0) / 10000.0)


@_jit
def _perceived(risk: np.ndarray, adjust: int, h: int, i: int) -> float:
    """Actor ``h``'s estimate of actor ``i``'s risk attitude (KTAB ``Model::estNRA``)."""
    if adjust == _ADJ_THIRD:
        return float((2.0 * risk[h] + risk[i]) / 3.0)
    if adjust == _ADJ_HALF:
        return float((risk[h] + risk[i]) / 2.0)
    if adjust == _ADJ_TWO_THIRDS:
        return float((risk[h] + 2.0 * risk[i]) / 3.0)
    if adjust == _ADJ_FULL:
        return float(risk[i])
    return float(risk[h])


class _Work(NamedTuple):
    """Scratch arrays for one draw's turns, reused from turn to turn and draw to draw."""

    om: np.ndarray  # (A, A) 1 - d
    md: np.ndarray  # (A, A) min(d, 1)
    coal: np.ndarray  # (A, A) coalition strengths
    ui: np.ndarray  # (A, A) utilities from one actor's perspective
    own: np.ndarray  # (A, A) each actor's utilities by its own view of its attitude
    acc0: np.ndarray  # (A,) sums
    acc1: np.ndarray
    acc2: np.ndarray
    acc3: np.ndarray
    prod: np.ndarray  # (A,) Condorcet products, then probabilities
    risk: np.ndarray  # (A,) risk attitudes
    pw: np.ndarray  # (A,) salience x capability
    base_ij: np.ndarray  # (A,) the principals' coalitions
    base_ji: np.ndarray
    ch_ij: np.ndarray  # (A,) the coalitions with the third parties
    ch_ji: np.ndarray
    p_t: np.ndarray  # (A,) probability of defeating the target
    sq_total: np.ndarray  # (A,) utility of the status quo, times A
    per_actor: np.ndarray  # (A,) distance moved
    row: np.ndarray  # (K,) squared steps
    x_t: np.ndarray  # (K, A) positions, transposed
    b_init_t: np.ndarray  # (K, A) bargains, transposed
    b_rcvr_t: np.ndarray
    b_init: np.ndarray  # (A, K) the position each initiator proposes for itself
    b_rcvr: np.ndarray  # (A, K) ... and for its target
    u_opt: np.ndarray  # (A, A + 1) utility to each voter of each option
    pv: np.ndarray  # (A + 1, A + 1) victory probabilities between options
    done: np.ndarray  # (A + 1, A + 1) bool: pv computed this turn
    beats: np.ndarray  # (A + 1,) Condorcet products of one actor's options
    member: np.ndarray  # (A + 1,) bool: the option is open to the actor
    target: np.ndarray  # (A,) int
    n_opt: np.ndarray  # (A,) int: number of options of each actor
    opts: np.ndarray  # (A, A + 1) int: each actor's options in global order
    has: np.ndarray  # (A,) bool: the actor proposes a bargain
    unique: np.ndarray  # (A,) bool: first holder of a distinct position
    rep: np.ndarray  # (A,) int: the first holder of each actor's position


@_jit
def _workspace(a: int, k_dims: int) -> _Work:
    """Scratch arrays for A actors and K issues.

    Rows over the actors are padded with zeros to a multiple of :data:`PAD` columns, so
    that the loops along them run in whole vectors (the padding's values are computed
    and never used).
    """
    cols = -(-a // PAD) * PAD
    return _Work(
        np.zeros((a, cols)),
        np.zeros((a, cols)),
        np.zeros((a, cols)),
        np.zeros((a, cols)),
        np.zeros((a, cols)),
        np.zeros(cols),
        np.zeros(cols),
        np.zeros(cols),
        np.zeros(cols),
        np.zeros(a),
        np.zeros(a),
        np.zeros(a),
        np.zeros(cols),
        np.zeros(cols),
        np.zeros(cols),
        np.zeros(cols),
        np.zeros(a),
        np.zeros(a),
        np.zeros(a),
        np.zeros(k_dims),
        np.zeros((k_dims, cols)),
        np.zeros((k_dims, cols)),
        np.zeros((k_dims, cols)),
        np.zeros((a, k_dims)),
        np.zeros((a, k_dims)),
        np.zeros((a, a + 1)),
        np.empty((a + 1, a + 1)),
        np.zeros((a + 1, a + 1), dtype=np.bool_),
        np.zeros(a + 1),
        np.zeros(a + 1, dtype=np.bool_),
        np.zeros(a, dtype=np.int64),
        np.zeros(a, dtype=np.int64),
        np.zeros((a, a + 1), dtype=np.int64),
        np.zeros(a, dtype=np.bool_),
        np.zeros(a, dtype=np.bool_),
        np.zeros(a, dtype=np.int64),
    )


@_jit
def _distances(
    x: np.ndarray,
    s2: np.ndarray,
    s2_total: np.ndarray,
    x_t: np.ndarray,
    om: np.ndarray,
    md: np.ndarray,
    acc0: np.ndarray,
    acc1: np.ndarray,
) -> None:
    """``om = 1 - d`` and ``md = min(d, 1)`` for the weighted distances ``d[i, j]``."""
    a, k_dims = x.shape
    for k in range(k_dims):
        for j in range(a):
            x_t[k, j] = x[j, k]
    for i in range(a):
        _weighted_sq(x[i], s2[i], x_t, acc0, acc1)
        for j in range(x_t.shape[1]):  # on over the padding
            d = np.sqrt(acc0[j] / s2_total[i])
            om[i, j] = 1.0 - d
            md[i, j] = min(d, 1.0)


@_jit
def _coalitions(rule: int | np.int64, weight: np.ndarray, u: np.ndarray, coal: np.ndarray) -> None:
    """``coal[i, j] = 1e-8 + sum_n max(vote_n(i:j), 0)``, voters ``n`` (rows of u) in order.

    ``u[n, j]`` is voter n's utility of option j; the options are the rows of ``coal``
    (its columns run on over the padding of ``u``).
    """
    n_voters, cols = u.shape
    coal[:, :] = MIN_COALITION
    for n in range(n_voters):
        w = weight[n]
        un = u[n]
        for i in range(coal.shape[0]):
            ui = un[i]
            row = coal[i]
            if rule == _PROPORTIONAL:
                for j in range(cols):
                    row[j] += max(w * (ui - un[j]), 0.0)
            else:
                for j in range(cols):
                    row[j] += max(_vote(rule, w, ui - un[j]), 0.0)


@_jit
def _risk_attitudes(
    om: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    power: float,
    coal: np.ndarray,
    prod: np.ndarray,
    risk: np.ndarray,
) -> None:
    """Risk attitudes from the risk-neutral election over the positions (``risk``)."""
    a = om.shape[0]
    _coalitions(settings[_RULE], cap, om, coal)  # risk-neutral utilities 1 - d
    if power != 1.0:
        for i in range(a):
            for j in range(a):
                coal[i, j] = _power(coal[i, j], power)
    for i in range(a):
        p = 1.0
        for j in range(a):
            p *= coal[i, j] / (coal[i, j] + coal[j, i])
        prod[i] = p
    total = _pairwise(prod, a)
    for i in range(a):
        prod[i] = prod[i] / total
    p_min = prod[:a].min()
    p_max = prod[:a].max()
    spread = p_max - p_min
    r_range = settings[_RANGE]
    for i in range(a):
        if not spread > 0:
            risk[i] = 0.0
        elif r_range == _R_MID:
            risk[i] = (3.0 * prod[i] - (p_max + 2.0 * p_min)) / (2.0 * spread)
        elif r_range == _R_MIN:
            risk[i] = (prod[i] - p_min) / spread
        else:
            risk[i] = (2.0 * prod[i] - (p_max + p_min)) / spread


@_jit
def _own_utilities(
    om: np.ndarray, md: np.ndarray, risk: np.ndarray, adjust: int, own: np.ndarray
) -> None:
    """``own[n, m]``: actor n's utility of m's position, by its own view of its attitude."""
    a, cols = om.shape
    for n in range(a):
        r = _perceived(risk, adjust, n, n)
        for m in range(cols):
            own[n, m] = om[n, m] * (1.0 + md[n, m] * r)


@_jit
def _challenges(
    om: np.ndarray,
    md: np.ndarray,
    risk: np.ndarray,
    sal_total: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    work: _Work,
) -> None:
    """Each actor's best target and its estimate of defeating it (``target``, ``p_t``)."""
    a, cols = om.shape
    rule = settings[_RULE]
    adjust = settings[_ADJUST]
    proportional = rule == _PROPORTIONAL
    ui_ = work.ui  # U_i(m, j): i's estimate of m's utility of j's position
    pw, base_ij, base_ji = work.pw, work.base_ij, work.base_ji
    ch_ij, ch_ji, p_t, target, has = work.ch_ij, work.ch_ji, work.p_t, work.target, work.has
    s_tot, gains, probs = work.acc2, work.acc0, work.acc1
    s_tot[:a] = sal_total
    for m in range(a):
        pw[m] = sal_total[m] * cap[m]
    for i in range(a):
        for m in range(a):
            r = _perceived(risk, adjust, i, m)
            for j in range(cols):
                ui_[m, j] = om[m, j] * (1.0 + md[m, j] * r)
        own_ii = ui_[i, i]
        for j in range(a):
            c_i = _vote(rule, pw[i], own_ii - ui_[i, j])
            c_j = _vote(rule, pw[j], ui_[j, i] - ui_[j, j])
            base_ij[j] = MIN_CHALLENGE_COALITION + max(c_i, 0.0) + max(c_j, 0.0)
            base_ji[j] = MIN_CHALLENGE_COALITION + max(-c_i, 0.0) + max(-c_j, 0.0)
        ch_ij[:] = base_ij
        ch_ji[:] = base_ji
        if settings[_COMMIT] == _SEMI:
            # third parties n, in order, each backing the side it would rather join
            for n in range(a):
                if n == i:
                    continue
                u_ni = ui_[n, i]
                u_nn = ui_[n, n]
                gap = u_nn - u_ni
                w = pw[n]
                row = ui_[n]
                if proportional:
                    for j in range(cols):
                        u_nj = row[j]
                        little = w * (u_ni - u_nj)
                        c_ni = max(little, 0.0)
                        c_nj = c_ni - little
                        c_ni += base_ij[j]
                        c_nj += base_ji[j]
                        p_little = c_ni / (c_ni + c_nj)
                        stay = u_nj - u_nn
                        du = (gap - stay) * p_little + stay
                        v = 0.0 if j == n else w * du
                        f_i = max(v, 0.0)
                        ch_ij[j] += f_i
                        ch_ji[j] += f_i - v
                else:
                    for j in range(cols):
                        u_nj = row[j]
                        little = _vote(rule, w, u_ni - u_nj)
                        c_ni = max(little, 0.0)
                        c_nj = c_ni - little
                        c_ni += base_ij[j]
                        c_nj += base_ji[j]
                        p_little = c_ni / (c_ni + c_nj)
                        stay = u_nj - u_nn
                        du = (gap - stay) * p_little + stay
                        v = 0.0 if j == n else _vote(rule, w, du)
                        f_i = max(v, 0.0)
                        ch_ij[j] += f_i
                        ch_ji[j] += f_i - v
        # expected gain of challenging each rival j over the status quo
        u_vict = own_ii + own_ii
        for j in range(cols):
            u_ij = ui_[i, j]
            both = ch_ij[j] + ch_ji[j]
            p_ij = ch_ij[j] / both
            p_ji = ch_ji[j] / both
            u_contest = p_ij * u_vict + p_ji * (u_ij + u_ij)
            s_j = s_tot[j]
            gains[j] = ((1.0 - s_j) * u_vict + s_j * u_contest) - (own_ii + u_ij)
            probs[j] = p_ij
        has[i] = False
        target[i] = 0
        best = -np.inf
        for j in range(a):
            gain = gains[j]
            if j != i and gain > MIN_CHALLENGE_GAIN and (not has[i] or gain > best):
                best = gain
                target[i] = j
                p_t[i] = probs[j]
                has[i] = True


@_jit
def _bargains(
    x: np.ndarray,
    sal: np.ndarray,
    interp: int,
    work: _Work,
) -> None:
    """The positions each initiator proposes for itself and its target (``bargains``)."""
    a, k_dims = x.shape
    p_t, target, has, b_init, b_rcvr = work.p_t, work.target, work.has, work.b_init, work.b_rcvr
    for i in range(a):
        if not has[i]:  # no bargain: fill the row with its own position (never chosen)
            b_init[i] = x[i]
            b_rcvr[i] = x[i]
            continue
        j = target[i]
        prob_i = p_t[i]
        prob_j = 1.0 - prob_i
        x_i, x_j, s_i, s_j = x[i], x[j], sal[i], sal[j]
        b_i, b_j = b_init[i], b_rcvr[i]
        if interp == _S2PMAX:
            d_i = max(prob_j - prob_i, 0.0)
            d_j = max(prob_i - prob_j, 0.0)
            for k in range(k_dims):
                si2 = s_i[k] * s_i[k]
                sj2 = s_j[k] * s_j[k]
                f_i = (d_i * sj2) / ((d_i * sj2) + MIN_BARGAIN_WEIGHT + ((1 - d_i) * si2))
                f_j = (d_j * si2) / ((d_j * si2) + MIN_BARGAIN_WEIGHT + ((1 - d_j) * sj2))
                b_i[k] = x_i[k] + f_i * (x_j[k] - x_i[k])
                b_j[k] = x_j[k] + f_j * (x_i[k] - x_j[k])
        elif interp == _S2P2:
            pi2 = prob_i * prob_i
            pj2 = prob_j * prob_j
            for k in range(k_dims):
                w_i = (s_i[k] * s_i[k]) * pi2
                w_j = (s_j[k] * s_j[k]) * pj2
                den = w_i + MIN_BARGAIN_WEIGHT + w_j
                b_i[k] = _round4(((w_i + MIN_BARGAIN_WEIGHT) * x_i[k] + w_j * x_j[k]) / den)
                b_j[k] = _round4((w_i * x_i[k] + (MIN_BARGAIN_WEIGHT + w_j) * x_j[k]) / den)
        else:
            for k in range(k_dims):
                w_i = s_i[k] * prob_i
                w_j = s_j[k] * prob_j
                den = w_i + MIN_BARGAIN_WEIGHT + w_j
                b_i[k] = _round4(((w_i + MIN_BARGAIN_WEIGHT) * x_i[k] + w_j * x_j[k]) / den)
                b_j[k] = _round4((w_i * x_i[k] + (MIN_BARGAIN_WEIGHT + w_j) * x_j[k]) / den)
    for k in range(k_dims):
        for i in range(a):
            work.b_init_t[k, i] = b_init[i, k]
            work.b_rcvr_t[k, i] = b_rcvr[i, k]


@_jit
def _choose(
    x: np.ndarray,
    new: np.ndarray,
    s2: np.ndarray,
    s2_total: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    power: float,
    uniform: np.ndarray,
    work: _Work,
) -> None:
    """Every actor's new position: the bargain or status quo the electorate favours.

    Deterministically the most probable (first in KTAB's order on ties); with
    ``uniform`` (one number per actor; empty for the deterministic transition) the
    first option at which the cumulative probability reaches the actor's number.
    """
    stochastic = uniform.shape[0] > 0
    a = x.shape[0]
    rule = settings[_RULE]
    own, risk, sq_total = work.own, work.risk, work.sq_total
    acc0, acc1, acc2, acc3 = work.acc0, work.acc1, work.acc2, work.acc3
    target, n_opt, opts, has = work.target, work.n_opt, work.opts, work.has
    u_opt = work.u_opt  # u_opt[n, g]: utility to voter n of option g (A = status quo)
    pv, done, beats, member = work.pv, work.done, work.beats, work.member
    for n in range(a):
        sq_total[n] = _pairwise(own[n], a)
    for n in range(a):
        _weighted_sq(x[n], s2[n], work.b_init_t, acc0, acc1)
        _weighted_sq(x[n], s2[n], work.b_rcvr_t, acc2, acc3)
        r = risk[n]
        scale = s2_total[n]
        for g in range(acc0.shape[0]):  # on over the padding
            u1 = _utility(np.sqrt(acc0[g] / scale), r)
            u2 = _utility(np.sqrt(acc2[g] / scale), r)
            acc0[g] = u1 + u2
        # the others keep their positions: their utilities sum to the rest
        rest = sq_total[n]
        u_n = u_opt[n]
        for g in range(a):
            u_n[g] = (acc0[g] + ((rest - own[n, g]) - own[n, target[g]])) / a
        u_n[a] = rest / a
    # each actor's options in global order: the bargains it proposes or receives, then
    # the status quo
    n_opt[:] = 0
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
    # victory probabilities between options that share an actor
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
                    v = _vote(rule, cap[n], u_opt[n, g] - u_opt[n, b])
                    c_gb += max(v, 0.0)
                    c_bg += max(-v, 0.0)
                if power != 1.0:
                    c_gb = _power(c_gb, power)
                    c_bg = _power(c_bg, power)
                pv[g, b] = c_gb / (c_gb + c_bg)
                pv[b, g] = c_bg / (c_gb + c_bg)
                done[g, b] = True
                done[b, g] = True
    b_init, b_rcvr = work.b_init, work.b_rcvr
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
        total = _pairwise(beats, a + 1)
        # KTAB's order: bargains of lower initiators, the status quo, k's own, the rest
        chosen = a
        best = -1.0
        cum = 0.0
        for q in range(a + 1):
            g = q if q < k else (a if q == k else q - 1)
            if not member[g]:
                continue
            pg = float(beats[g] / total)
            if stochastic:
                cum += pg
                chosen = g
                if cum >= uniform[k]:
                    break
            elif pg > best or np.isnan(pg):
                best = pg
                chosen = g
                if np.isnan(pg):
                    break
        for q1 in range(m):
            g = opts[k, q1]
            beats[g] = 0.0
            member[g] = False
            for q2 in range(m):
                done[g, opts[k, q2]] = False
        if chosen == a:
            new[k] = x[k]
        elif chosen == k:
            new[k] = b_init[k]
        else:
            new[k] = b_rcvr[chosen]


@_jit
def _movement(x: np.ndarray, new: np.ndarray, row: np.ndarray, per_actor: np.ndarray) -> float:
    """Sum over actors of the Euclidean distance moved (numpy's summation order)."""
    a, k_dims = x.shape
    for i in range(a):
        for k in range(k_dims):
            step = new[i, k] - x[i, k]
            row[k] = step * step
        per_actor[i] = np.sqrt(_pairwise(row, k_dims))
    return _pairwise(per_actor, a)


@_jit
def _advance(
    store: np.ndarray,
    start: int | np.int64,
    turn: int | np.int64,
    first_step: np.ndarray,
    draw: int,
    statics: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    settings: np.ndarray,
    params: np.ndarray,
    uniform: np.ndarray,
    work: _Work,
) -> bool:
    """Turn ``turn`` of draw ``draw`` (rows ``start + turn - 1`` -> ``start + turn``).

    Challenges, bargains and every actor's choice, then the stopping rule. Returns
    whether the draw stops after this turn.
    """
    x = store[start + turn - 1]
    new = store[start + turn]
    sal, s2, s2_total = statics[0][draw], statics[1][draw], statics[2][draw]
    sal_total, cap = statics[3][draw], statics[4][draw]
    om, md, risk = work.om, work.md, work.risk
    _distances(x, s2, s2_total, work.x_t, om, md, work.acc0, work.acc1)
    _risk_attitudes(om, cap, settings, params[_POWER], work.coal, work.prod, risk)
    _challenges(om, md, risk, sal_total, cap, settings, work)
    _bargains(x, sal, settings[_INTERP], work)
    _own_utilities(om, md, risk, settings[_ADJUST], work.own)
    _choose(x, new, s2, s2_total, cap, settings, params[_POWER], uniform, work)
    moved = _movement(x, new, work.row, work.per_actor)
    if turn == 1:
        first_step[draw] = moved + params[_MIN_DELTA]
    quiet = moved / first_step[draw] < params[_MIN_RATIO]
    return bool(turn >= settings[_MAX_TURNS] or (turn >= settings[_MIN_TURNS] and quiet))


@_jit
def _election(
    x: np.ndarray,
    s2: np.ndarray,
    s2_total: np.ndarray,
    cap: np.ndarray,
    settings: np.ndarray,
    params: np.ndarray,
    work: _Work,
    prob: np.ndarray,
    share: np.ndarray,
) -> None:
    """The final state's election (KTAB ``SMPState::pDist(-1)``) for one draw.

    Every actor values the distinct positions by its own risk-aware utility and they
    vote (weight = capability, proportional rule) in a probabilistic Condorcet
    election; ``prob`` receives each actor's position's probability, ``share`` that
    probability split among the actors holding the position, ``work.risk`` the risk
    attitudes.
    """
    a, k_dims = x.shape
    om, md, coal, own, prod = work.om, work.md, work.coal, work.own, work.prod
    unique, rep, row = work.unique, work.rep, work.row
    _distances(x, s2, s2_total, work.x_t, om, md, work.acc0, work.acc1)
    _risk_attitudes(om, cap, settings, params[_POWER], coal, prod, work.risk)
    _own_utilities(om, md, work.risk, settings[_ADJUST], own)
    # distinct positions within 1e-3, first actor first, as KTAB's ueIndices
    for i in range(a):
        unique[i] = True
        rep[i] = i
        for j in range(i):
            if not unique[j]:
                continue
            for k in range(k_dims):
                step = x[i, k] - x[j, k]
                row[k] = step * step
            if np.sqrt(_pairwise(row, k_dims)) < POSITION_TOLERANCE:
                unique[i] = False
                rep[i] = j
                break
    _coalitions(np.int64(_PROPORTIONAL), cap, own, coal)
    power = params[_POWER]
    if power != 1.0:
        for i in range(a):
            for j in range(a):
                coal[i, j] = _power(coal[i, j], power)
    for i in range(a):
        p = 1.0
        for j in range(a):
            if unique[j]:
                p *= coal[i, j] / (coal[i, j] + coal[j, i])
        prod[i] = p if unique[i] else 0.0
    total = _pairwise(prod, a)
    for i in range(a):
        holders = 0
        for j in range(a):
            holders += rep[j] == rep[i]
        prob[i] = prod[rep[i]] / total
        share[i] = prob[i] / holders


@_jit
def run_draws(
    pos: np.ndarray,
    statics: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    settings: np.ndarray,
    params: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each draw's turns to its own stopping turn (deterministic transition).

    Args:
        pos: (D, A, K) positions on 0..1.
        statics: (D, A, K) saliences (normalised) and their squares, (D, A) the sums
            of the squares (1 where 0), (D, A) the saliences' sums, (D, A) capabilities.
        settings: int64 option codes and turn limits (``_RULE`` .. ``_MAX_TURNS``).
        params: float64 victory power, minimum change ratio, minimum significant change.

    Returns:
        (store, start, turns): the positions of draw ``d`` at turns 0..turns[d] are
        ``store[start[d] : start[d] + turns[d] + 1]``, one draw after another.
    """
    d_all, a, k_dims = pos.shape
    max_turns = settings[_MAX_TURNS]
    work = _workspace(a, k_dims)
    no_uniform = np.empty(0)
    store = np.empty((TURNS_PER_DRAW * d_all + max_turns + 1, a, k_dims))
    start = np.zeros(d_all, dtype=np.int64)
    turns = np.zeros(d_all, dtype=np.int64)
    first_step = np.zeros(d_all)
    # np.int64(...): not literal constants, so that the callees compile for one type
    used = np.int64(0)
    for d in range(d_all):
        if used + max_turns + 1 > store.shape[0]:  # room for the longest possible draw
            bigger = np.empty((2 * store.shape[0], a, k_dims))
            bigger[:used] = store[:used]
            store = bigger
        start[d] = used
        store[used] = pos[d]
        turn = np.int64(1)
        while not _advance(store, used, turn, first_step, d, statics, settings, params,
                           no_uniform, work):  # fmt: skip
            turn += 1
        turns[d] = turn
        used += turn + 1
    return store[:used], start, turns


@_jit
def step_draws(
    store: np.ndarray,
    start: np.ndarray,
    active: np.ndarray,
    turn: int,
    first_step: np.ndarray,
    statics: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    settings: np.ndarray,
    params: np.ndarray,
    uniform: np.ndarray,
) -> np.ndarray:
    """One turn of the ``active`` draws with the stochastic transition.

    ``uniform[q]`` holds the A uniform numbers of the ``q``-th active draw; each actor
    takes the first of its options (in KTAB's order) at which the cumulative
    probability reaches its number. Returns which of the draws stop after this turn.
    """
    a, k_dims = store.shape[1], store.shape[2]
    work = _workspace(a, k_dims)
    stop = np.zeros(active.shape[0], dtype=np.bool_)
    for q in range(active.shape[0]):
        d = active[q]
        stop[q] = _advance(store, start[d], turn, first_step, d, statics, settings, params,
                           uniform[q], work)  # fmt: skip
    return stop


@_jit
def elections(
    final: np.ndarray,
    statics: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    settings: np.ndarray,
    params: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The final state's election of every draw: (risk, probability, share), each (D, A)."""
    d_all, a, k_dims = final.shape
    _, s2, s2_total, _, cap = statics
    work = _workspace(a, k_dims)
    risk = np.empty((d_all, a))
    prob = np.empty((d_all, a))
    share = np.empty((d_all, a))
    for d in range(d_all):
        _election(final[d], s2[d], s2_total[d], cap[d], settings, params, work, prob[d], share[d])
        risk[d] = work.risk
    return risk, prob, share


@_jit
def trajectory(
    store: np.ndarray,
    start: np.ndarray,
    turns: np.ndarray,
    lo: np.ndarray,
    width: np.ndarray,
) -> np.ndarray:
    """The (D, T + 1, A x K) positions on the issue scales, ``lo + x * width``.

    ``store`` is (rows, A x K) and ``lo`` and ``width`` are (A x K,); T is the longest
    draw's number of turns, and a draw that stopped before turn T keeps its last
    positions. (Allocated here, in ordinary pages: numpy asks for huge pages for large
    arrays, which the kernel may have to compact memory for, at times far slower than
    writing the array.)
    """
    d_all = start.shape[0]
    m = store.shape[1]
    t_all = turns.max() + 1 if d_all > 0 else 1
    out = np.empty((d_all, t_all, m))
    for d in range(d_all):
        for t in range(t_all):
            src = store[start[d] + min(t, turns[d])]
            dst = out[d, t]
            for q in range(m):
                dst[q] = lo[q] + src[q] * width[q]
    return out
