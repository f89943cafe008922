"""Compiled rounds of the exchange model (see ``zopa.models.exchange`` for the model).

``run_rounds`` runs every round of every draw, one draw after another. Per draw and round:

1. The feasible exchanges are built once: every actor pair on opposite sides of the
   outcome on both issues of an issue pair, both taking part in both, weighing them
   differently. Each exchange has two *legs* (a mover going towards a partner on one
   issue); a leg is shared by every exchange of the same two actors that uses it. A
   pair's legs (two per issue) and exchanges are stored together, pair after pair, so
   that what a step reads and writes about one pair lies close together in memory;
   the legs are indexed by issue (and within an issue by mover) through a counting
   sort, and a leg's exchanges are found in its pair's block.
2. Every leg is evaluated, and every exchange: exactly, or, with the equal-gain rate
   and from ``_TREE_MIN`` exchanges on, only bounded from above (``_score_bound``, no
   division), left *stale* to be evaluated when it comes among the best.
   *Pairs built when met* (equal-gain rate, from ``_TREE_MIN`` candidates and
   ``PAIRS_LAZY_MEAN`` per actor pair on average): only the legs are built at first,
   and each pair holds one upper bound on the scores of its exchanges
   (``_pair_bound``, in a max-tree of its own). When the search meets a pair's bound
   among the best, the bound is computed again from the pair's legs as they are; if
   it is still among the best, the pair's exchanges are built then, leaving out those
   with a dead leg (most, by then). An exchange of a pair not built is checked when a
   leg of it gains reach, as a built one is (on the values before the step and after);
   if infeasible it drops out, a bit per exchange remembering it until the pair is
   built (``drops``). Legs then never move; a compaction moves only exchanges.
3. Steps: the best exchange (largest score; scores within a relative ``_TIE`` of the
   best are a tie, broken by the lowest rank of the actor and issue ids) is carried
   out. Only the legs on its two issues can change: the legs of the actor that moved
   are recomputed, the others only through the new outcome (their reach is
   unchanged). A leg with no room left, or that would move an actor back, is marked
   dead, and with it every exchange that uses it, without visiting them. With the
   equal-gain rate a score cannot rise when a leg loses reach, so such a leg is only
   stamped (``_DEC_AT``): its exchanges keep their scores as upper bounds and are
   stale. Dead and stale exchanges are dealt with when the search for the best meets
   them: a dead one is set aside, a stale one evaluated again (and dropped if it has
   become infeasible), and the search repeated; exchanges a little below the tie
   tolerance are looked at too (``_LAZY_MARGIN``). The exchanges on a leg that gained
   reach are evaluated again at once; a stale one among them is first checked on the
   values before the step, the state the model last evaluated it on (a score and
   feasibility only grow with the legs' reach, in exact arithmetic, so that state was
   the worst since): if it was infeasible then, it drops out, as it would have when
   evaluated at every change.
   With the RKS rate every exchange on a changed leg is evaluated again at once.
   Exchanges that become infeasible drop out for the rest of the round; when at least
   half of them are gone (counted from the made, the infeasible and the dead legs'
   uses, each at most twice) the rest are compacted. The best exchange is found by one
   pass over the scores, or, from ``_TREE_MIN`` exchanges on, with a max-tree of 8
   values a node (one cache line). An exchange's size is not stored: it is computed
   again, by the same expression, when the exchange is made.

A draw in which a round makes no exchange keeps its positions from then on (the next
round would start from the same positions), so it is skipped; the rounds stop when no
draw made an exchange. Arithmetic follows the model's formulas term by term and in a
fixed order (``error_model="numpy"``: a division by zero gives inf or nan, which the
feasibility test rejects), so that a call with D draws equals D calls with one, and the
exchanges made, their order and every number are those of evaluating every exchange
at every change. Buffers sized by the number of exchanges are allocated once per call
and grow when a round needs more (to an eighth more than it needs). An exchange keeps
only its two legs (32-bit indices), its score and the step it was last evaluated at;
its actors, issues, saliences and equal-gain rate are read through its legs and
recomputed (the same expression, so the same number) whenever it is evaluated. A
160-actor, 80-issue round has about 10 million candidate exchanges, of which about 1.3
million are built when their pairs are met.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

_EPS = 1e-10  # a move or gain at or below this counts as none (Decide's threshold)
_TIE = 1e-9  # relative tolerance under which two scores are a tie
_NEG_INF = -np.inf


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _min(a: float, b: float) -> float:
    """``np.minimum`` of two floats (nan if either is nan)."""
    if a != a or b != b:
        return np.nan
    return a if a <= b else b


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _leg(
    target: float, pos: float, outcome: float, k: float, moved: float
) -> tuple[float, float, bool]:
    """Largest outcome shift of a leg, its direction, and whether it keeps direction.

    The mover at ``pos`` goes towards ``target``; it may reach the target, and the
    outcome may not pass the target (the demanding actor's position). ``moved`` is the
    sign of the mover's earlier moves on this issue in the round (0 if none).
    """
    to = target - pos
    direction = 1.0 if to > 0.0 else (-1.0 if to < 0.0 else 0.0)
    room = (target - outcome) * direction
    if room < 0.0:
        room = 0.0
    amax = _min(k * abs(to), room)
    return amax, direction, moved * direction >= 0.0


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _above_eps(num: float, den: float) -> bool:
    """``num / den > _EPS`` for ``den > 0``, dividing only where the answer is close."""
    t = _EPS * den
    if num > t * (1.0 + 1e-12):
        return True
    if num < t * (1.0 - 1e-12):
        return False
    return num / den > _EPS


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _exchange(
    a_max: float,
    b_max: float,
    k_v: float,
    k_u: float,
    su_p: float,
    su_q: float,
    sv_p: float,
    sv_q: float,
    rate_eg: float,
    rks: bool,
) -> tuple[bool, float, float, float]:
    """Size and score of one exchange from its legs: (feasible, score, dO_p, dO_q)."""
    if rks:
        gu_max = _min(a_max, b_max * sv_q / sv_p) * (su_p - su_q * sv_p / sv_q)
        gv_max = _min(b_max, a_max * su_p / su_q) * (sv_q - sv_p * su_q / su_p)
        r = (su_p / gu_max + sv_p / gv_max) / (su_q / gu_max + sv_q / gv_max)
    else:
        r = rate_eg
    a = _min(a_max, b_max / r)
    b = r * a
    gain_u = su_p * a - su_q * b
    gain_v = sv_q * b - sv_p * a
    score = gain_u + gain_v if rks else gain_u
    ok = (
        np.isfinite(score)
        and gain_u > _EPS
        and gain_v > _EPS
        and _above_eps(a, k_v)
        and _above_eps(b, k_u)
    )
    return ok, score, a, b


@numba.njit(cache=True, nogil=True, inline="always")
def _side(s1p: float, s2p: float, s1q: float, s2q: float) -> int:
    """Which of a pair's legs on ``p`` an exchange of issues ``p`` and ``q`` uses.

    The actor with the larger s_p / s_q demands p (u; the other, v, moves on p): 1 if
    the pair's first actor does (the second moves on p), 0 if the second does, -1 if
    the two weigh the issues alike and neither can gain (for the demander u,
    s_up s_vq - s_uq s_vp > 0 exactly when the two products differ).
    """
    prod1 = s1p * s2q
    prod2 = s2p * s1q
    if prod1 > prod2:
        return 1
    if prod1 < prod2:
        return 0
    return -1


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _score_bound(reach_p: float, reach_q: float, share_p: float, share_q: float) -> float:
    """An upper bound on the equal-gain score of an exchange, without dividing.

    ``reach_i`` is a leg's largest shift times the two actors' saliences on its issue
    summed (A_i S_i), ``share_i`` one actor's share of that sum (the same actor for both
    issues). In exact arithmetic the score of :func:`_exchange` is
    ``|share_p - share_q| min(reach_p, reach_q)``; the bound adds 1e-13 to the
    difference of shares and 1e-12 of the whole, far more than the rounding in either
    computation (a few units in the last place of ``min(reach_p, reach_q)``).
    """
    return (abs(share_p - share_q) + 1e-13) * min(reach_p, reach_q) * (1.0 + 1e-12)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _evaluate(
    lp: int, lq: int, leg_f: np.ndarray, leg_i: np.ndarray, s: np.ndarray, rks: bool
) -> tuple[bool, float, float, float]:
    """:func:`_exchange` of the exchange with legs ``lp`` and ``lq``.

    Its actors and issues are its legs' (``v`` moves on ``p`` towards ``u``, ``u`` on
    ``q`` towards ``v``), its saliences are read from ``s`` and its equal-gain rate is
    computed as when it was built, so nothing more is stored per exchange.
    """
    return _evaluate_with(lp, lq, leg_f[lp, _AMAX], leg_f[lq, _AMAX], leg_f, leg_i, s, rks)


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _evaluate_with(
    lp: int,
    lq: int,
    a_max: float,
    b_max: float,
    leg_f: np.ndarray,
    leg_i: np.ndarray,
    s: np.ndarray,
    rks: bool,
) -> tuple[bool, float, float, float]:
    """:func:`_evaluate` with the legs' largest shifts ``a_max`` and ``b_max``."""
    v, p = leg_i[lp, _MOVER], leg_i[lp, _ISSUE]
    u, q = leg_i[lq, _MOVER], leg_i[lq, _ISSUE]
    su_p, su_q, sv_p, sv_q = s[u, p], s[u, q], s[v, p], s[v, q]
    return _exchange(
        a_max,
        b_max,
        leg_f[lp, _K],
        leg_f[lq, _K],
        su_p,
        su_q,
        sv_p,
        sv_q,
        (su_p + sv_p) / (su_q + sv_q),
        rks,
    )


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _rank(
    j: int,
    ex_i: np.ndarray,
    leg_i: np.ndarray,
    a_place: np.ndarray,
    i_place: np.ndarray,
) -> int:
    """Order of exchange ``j`` by its actors' and issues' places in the sorted ids."""
    lp, lq = int(np.int64(ex_i[j, _LP])), int(np.int64(ex_i[j, _LQ]))
    a1, a2 = a_place[leg_i[lp, _MOVER]], a_place[leg_i[lq, _MOVER]]
    i1, i2 = i_place[leg_i[lp, _ISSUE]], i_place[leg_i[lq, _ISSUE]]
    n_a, n_i = a_place.size, i_place.size
    rank: int = ((min(a1, a2) * n_a + max(a1, a2)) * n_i + min(i1, i2)) * n_i + max(i1, i2)
    return rank


@numba.njit(cache=True, nogil=True, inline="always")
def _max_of(a: np.ndarray, lo: int, hi: int) -> float:
    """The largest of ``a[lo:hi]`` (``hi > lo``)."""
    value: float = a[lo]
    for e in range(lo + 1, hi):
        if a[e] > value:
            value = a[e]
    return value


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _tree_set(tree: np.ndarray, lvl: np.ndarray, score: np.ndarray, n_ex: int, j: int) -> None:
    """Update the max-tree after exchange ``j``'s score changed (see :func:`_build_tree`)."""
    i = j >> _FAN_SHIFT
    lo = i << _FAN_SHIFT
    value = _max_of(score, lo, min(lo + _FAN, n_ex))
    n_lvl = lvl[0, 0]
    for level in range(1, n_lvl + 1):
        off = lvl[0, level]
        if tree[off + i] == value:
            return
        tree[off + i] = value
        if level == n_lvl:
            return
        i >>= _FAN_SHIFT
        lo = i << _FAN_SHIFT
        value = _max_of(tree, off + lo, off + min(lo + _FAN, lvl[1, level]))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _tree_fill(
    tree: np.ndarray, lvl: np.ndarray, values: np.ndarray, n: int, lo: int, hi: int
) -> None:
    """Update the max-tree after ``values[lo:hi]`` changed (``hi > lo``), level by level."""
    b_lo = lo >> _FAN_SHIFT
    b_hi = (hi - 1) >> _FAN_SHIFT
    below = 0
    for level in range(1, lvl[0, 0] + 1):
        off = lvl[0, level]
        for b in range(b_lo, b_hi + 1):
            c = b << _FAN_SHIFT
            if level == 1:
                tree[off + b] = _max_of(values, c, min(c + _FAN, n))
            else:
                tree[off + b] = _max_of(tree, below + c, below + min(c + _FAN, lvl[1, level - 1]))
        below = off
        b_lo >>= _FAN_SHIFT
        b_hi >>= _FAN_SHIFT


@numba.njit(cache=True, nogil=True)
def _build_tree(n: int, values: np.ndarray, tree: np.ndarray, lvl: np.ndarray, least: int) -> int:
    """Fill a max-tree over ``values[:n]``; returns its number of levels.

    Each node holds the largest of 8 values of the level below (one cache line); level
    1 is over blocks of 8 values, and the top level is one node. Level ``L`` starts at
    ``lvl[0, L]`` in ``tree`` (at least ``4 (n / 8 + 1)`` long) and has ``lvl[1, L]``
    nodes; ``lvl[0, 0]`` is the number of levels, 0 (no tree) below ``least`` values,
    where one pass over the values is as fast.
    """
    lvl[0, 0] = 0
    if n < least or n == 0:
        return 0
    n_below = n
    below = 0
    off = 0
    level = 0
    while True:
        level += 1
        n_nodes = ((n_below - 1) >> _FAN_SHIFT) + 1
        lvl[0, level] = off
        lvl[1, level] = n_nodes
        for b in range(n_nodes):
            lo = b << _FAN_SHIFT
            hi = min(lo + _FAN, n_below)
            if level == 1:
                tree[off + b] = _max_of(values, lo, hi)
            else:
                tree[off + b] = _max_of(tree, below + lo, below + hi)
        below = off
        off += ((n_nodes - 1) | (_FAN - 1)) + 1  # each level starts on a multiple of 8
        n_below = n_nodes
        if n_nodes == 1:
            lvl[0, 0] = level
            return level


@numba.njit(cache=True, nogil=True)
def _tree_top(tree: np.ndarray, lvl: np.ndarray) -> float:
    """The largest value under a max-tree (-inf for no tree)."""
    n_lvl = lvl[0, 0]
    return tree[lvl[0, n_lvl]] if n_lvl > 0 else _NEG_INF


@numba.njit(cache=True, nogil=True)
def _tree_argmax(tree: np.ndarray, lvl: np.ndarray) -> int:
    """The first block of 8 values under a max-tree that holds its largest value."""
    n_lvl = lvl[0, 0]
    i = 0
    for level in range(n_lvl - 1, 0, -1):
        off = lvl[0, level]
        lo = i << _FAN_SHIFT
        hi = min(lo + _FAN, lvl[1, level])
        i = lo
        for c in range(lo + 1, hi):
            if tree[off + c] > tree[off + i]:
                i = c
    return i << _FAN_SHIFT


# exchange columns
_LP, _LQ = 0, 1
# leg columns: floats (``_BEFORE``: the largest shift before the step that last changed
# the leg) and ints (``_CHANGED_AT``: that step; ``_DEC_AT``: the last step that lowered
# the leg's largest shift; ``_DEC_BEFORE``: ``_DEC_AT`` before that step)
_TARGET, _K, _REACH, _AMAX, _DIR, _BEFORE = 0, 1, 2, 3, 4, 5
_MOVER, _USES, _ISSUE, _CHANGED_AT, _DEC_AT, _DEC_BEFORE = 0, 1, 2, 3, 4, 5
_LEG_F, _LEG_I = 6, 6  # numbers of columns
_TREE_MIN = 1024  # from this many exchanges on, the best is found with a max-tree
_FAN_SHIFT = 3  # a max-tree node holds the largest of 8 values of the level below
_FAN = 1 << _FAN_SHIFT
_KEY_SLACK = 1e-9  # margin (on the 0-100 scale) when picking the legs a step can bind
_COMPACT_MIN = 32  # below this many exchanges, dead ones are not compacted away
_BUCKETS = 1024  # most buckets of keys per run of an issue's ordered legs
_LAZY_MARGIN = 1e-12  # relative margin below the tie band in which stale scores are redone
# with the equal-gain rate and from _TREE_MIN candidates in a round, a pair's exchanges
# are built when met (``_round``) if the actor pairs with an exchange have this many
# candidates on average: measured faster from about 200 on (40 x 80, 80 x 40 and
# 160 x 80 synthetic scenarios), slower at 15 and 30 (the flagship's draws, 100 x 20)
PAIRS_LAZY_MEAN = 64


class _Draw(NamedTuple):
    """One draw's inputs, on positions mapped to 0-100."""

    x: np.ndarray  # (A, I) positions at the start of the round
    s: np.ndarray  # (A, I) saliences, 0 where an actor has no stance
    w: np.ndarray  # (A, I) capability x salience
    total: np.ndarray  # (I,) ``w`` summed over the actors


class _Rules(NamedTuple):
    """How exchanges are sized and how ties between them are broken."""

    rks: bool  # the Raiffa-Kalai-Smorodinsky rate instead of equal gain
    a_place: np.ndarray  # (A,) place of each actor's id in the sorted ids
    i_place: np.ndarray  # (I,) place of each issue's id in the sorted ids
    lazy_mean: int  # mean candidates per actor pair from which pairs are built when met


class _Log(NamedTuple):
    """The exchanges made: one row each (see :func:`run_rounds`), recorded for draw 0."""

    rows: np.ndarray  # (capacity, 8), grown when full
    n: int  # rows filled
    record: bool  # whether this draw's exchanges are recorded
    round_number: int  # the round being played (1 for the first)


class _Scratch(NamedTuple):
    """Scratch arrays sized by actors and issues, reused across rounds and draws."""

    code: np.ndarray  # (A, I) int: 0 no part on the issue, 1 left of the outcome, 2 right
    pair_m: np.ndarray  # (A (A - 1) / 2,) int: issues on which the pair is opposed
    pair_opp: np.ndarray  # (A (A - 1) / 2, I) int: those issues
    outcome: np.ndarray  # (I,) the weighted mean of the voting positions
    moved: np.ndarray  # (A, I) sign of each actor's moves this round
    issue_lo: np.ndarray  # (I,) int: start of each issue's legs in ``by_mover``, ``order``
    issue_hi: np.ndarray  # (I,) int: their end
    stack: np.ndarray  # (128,) int: nodes of the max-tree still to visit
    lvl: np.ndarray  # (2, 24) int: the max-tree's levels (see ``_build_tree``)
    mover_start: np.ndarray  # (I, A + 1) int: where each mover's legs start in ``by_mover``
    mover_end: np.ndarray  # (I, A) int: where they end (legs met dead are taken out)
    split: np.ndarray  # (I,) int: end of the issue's rising legs in ``order``
    falling_end: np.ndarray  # (I,) int: end of its falling legs in ``order``
    list_from: np.ndarray  # (2, I) int: first leg of the rising, falling legs not taken out
    kmin: np.ndarray  # (I, 2) smallest key of each issue's rising, falling legs
    kmax: np.ndarray  # (I, 2) largest
    bucket_at: np.ndarray  # (I, 2, _BUCKETS + 1) int: where each bucket of keys starts
    bucket_min: np.ndarray  # (I, 2, _BUCKETS) smallest key in each bucket
    pair_lo: np.ndarray  # (P,) int: where a built pair's exchanges start (P = A (A - 1) / 2)
    pair_hi: np.ndarray  # (P,) int: where they end
    pair_leg: np.ndarray  # (P,) int: the pair's first leg (while its exchanges are not built)
    built: np.ndarray  # (P,) bool: the pair's exchanges are built (or it has none)
    pair_score: np.ndarray  # (P,) upper bound on the scores of a pair not built, else -inf
    ptree: np.ndarray  # max-tree over ``pair_score``
    plvl: np.ndarray  # (2, 24) int: its levels
    drop_at: np.ndarray  # (P,) int: the pair's first bit in ``drops``
    drops: np.ndarray  # uint64 bits: exchanges of pairs not built that dropped out
    pb_r: np.ndarray  # (2 I,) per leg of one pair: its reach times the two saliences summed
    pb_f: np.ndarray  # (2 I,) the first actor's share of the saliences on the leg's issue
    pb_side: np.ndarray  # (2 I,) int: the live issues of a pair being built
    visit: np.ndarray  # (1,): the lowest score the search looked at when it asked for a build


class _Buffers(NamedTuple):
    """Buffers sized by exchanges and legs, reused across rounds and draws."""

    ex_i: np.ndarray  # (n_ex, 2) int32: the exchange's legs (``_LP``, ``_LQ``)
    leg_f: np.ndarray  # (n_legs, _LEG_F) leg floats (``_TARGET`` .. ``_BEFORE``)
    leg_i: np.ndarray  # (n_legs, _LEG_I) int32: mover, live exchanges using it, issue, steps
    leg_ok: np.ndarray  # (n_legs,) bool: the leg keeps its mover's direction
    dead: np.ndarray  # (n_legs,) bool: the leg can move nothing more this round
    leg_pair: np.ndarray  # (n_legs,) int: the actor pair whose exchanges use the leg
    tree: np.ndarray  # (n_ex / 2,) max-tree over blocks of 8 scores, 8 nodes per node
    changed: np.ndarray  # (n_legs,) int: legs changed by a step
    new_id: np.ndarray  # (n_legs,) int: a leg's place after compaction
    score: np.ndarray  # (n_ex,): -inf where the exchange is dead
    by_mover: np.ndarray  # (n_legs,) int: each issue's legs grouped by mover
    order: np.ndarray  # (n_legs,) int: each issue's legs by the outcome that binds them
    okey: np.ndarray  # (n_legs,) that outcome, in ``order``'s order
    stamp: np.ndarray  # (n_ex,) int32: the step after which the exchange was evaluated
    raised: np.ndarray  # (n_legs,) int: legs whose exchanges a step evaluates again
    new_f: np.ndarray  # (n_legs, 2): a changed leg's new largest shift and direction
    new_ok: np.ndarray  # (n_legs,) bool: whether it keeps its mover's direction
    leg_s: np.ndarray  # (n_legs, 3): the pair's saliences on the leg's issue summed, the
    # first actor's share of them, and the leg's largest shift times the sum (0 once dead)
    # (for pairs built lazily only; their legs never move)


@numba.njit(cache=True, nogil=True)
def _buffers(n_ex: int, n_legs: int) -> _Buffers:
    """Buffers for ``n_ex`` exchanges and ``n_legs`` legs, reused across rounds and draws."""
    return _Buffers(
        np.empty((n_ex, 2), dtype=np.int32),
        np.empty((n_legs, _LEG_F)),
        np.empty((n_legs, _LEG_I), dtype=np.int32),
        np.empty(n_legs, dtype=np.bool_),
        np.empty(n_legs, dtype=np.bool_),
        np.empty(n_legs, dtype=np.int64),
        np.empty(4 * ((n_ex >> _FAN_SHIFT) + 1)),
        np.empty(n_legs, dtype=np.int64),
        np.empty(n_legs, dtype=np.int64),
        np.empty(n_ex),
        np.empty(n_legs, dtype=np.int64),
        np.empty(n_legs, dtype=np.int64),
        np.empty(n_legs),
        np.empty(n_ex, dtype=np.int32),
        np.empty(n_legs, dtype=np.int64),
        np.empty((n_legs, 2)),
        np.empty(n_legs, dtype=np.bool_),
        np.empty((n_legs, 3)),
    )


@numba.njit(cache=True, nogil=True)
def _scratch(n_a: int, n_i: int) -> _Scratch:
    """Scratch arrays for ``n_a`` actors and ``n_i`` issues."""
    n_pairs = n_a * (n_a - 1) // 2
    return _Scratch(
        np.empty((n_a, n_i), dtype=np.int64),
        np.empty(n_pairs, dtype=np.int64),
        np.empty((n_pairs, n_i), dtype=np.int64),
        np.empty(n_i),
        np.empty((n_a, n_i)),
        np.empty(n_i, dtype=np.int64),
        np.empty(n_i, dtype=np.int64),
        np.empty(128, dtype=np.int64),
        np.zeros((2, 24), dtype=np.int64),
        np.empty((n_i, n_a + 1), dtype=np.int64),
        np.empty((n_i, n_a), dtype=np.int64),
        np.empty(n_i, dtype=np.int64),
        np.empty(n_i, dtype=np.int64),
        np.empty((2, n_i), dtype=np.int64),
        np.empty((n_i, 2)),
        np.empty((n_i, 2)),
        np.empty((n_i, 2, _BUCKETS + 1), dtype=np.int64),
        np.empty((n_i, 2, _BUCKETS)),
        np.empty(n_pairs, dtype=np.int64),
        np.empty(n_pairs, dtype=np.int64),
        np.empty(n_pairs, dtype=np.int64),
        np.empty(n_pairs, dtype=np.bool_),
        np.empty(n_pairs),
        np.empty(4 * ((n_pairs >> _FAN_SHIFT) + 1)),
        np.zeros((2, 24), dtype=np.int64),
        np.empty(n_pairs, dtype=np.int64),
        np.empty(((n_pairs * n_i * n_i) >> 6) + 1, dtype=np.uint64),
        np.empty(2 * n_i),
        np.empty(2 * n_i),
        np.empty(2 * n_i, dtype=np.int64),
        np.empty(1),
    )


@numba.njit(cache=True, nogil=True)
def _index_issues(n_legs: int, buffers: _Buffers, scratch: _Scratch) -> None:
    """Per issue, its legs grouped by mover, and ordered by the outcome that binds them.

    A leg whose mover did not move changes only when its room, the distance from the
    outcome to its target, is below its reach: for a rising leg (towards higher values)
    when the outcome is above ``target - reach``, for a falling one when the outcome is
    below ``target + reach``. ``order`` lists the issue's rising legs by
    ``target - reach`` and then its falling legs by ``-(target + reach)`` (keys in
    ``okey``); a step visits the start of each list only. A leg's reach only shrinks
    during a round (its mover moves towards its target or the leg is dead), so a key
    only grows: one taken earlier never leaves out a leg that the outcome binds.
    """
    leg_f, leg_i, by_mover = buffers.leg_f, buffers.leg_i, buffers.by_mover
    order, okey = buffers.order, buffers.okey
    issue_lo, issue_hi = scratch.issue_lo, scratch.issue_hi
    mover_start, split, falling_end = scratch.mover_start, scratch.split, scratch.falling_end
    n_a = mover_start.shape[1] - 1
    n_i = issue_lo.size
    # the legs still in use, grouped by issue and within an issue by mover (a counting
    # sort); ``issue_lo[i]:issue_hi[i]`` is the issue's range in ``by_mover`` and ``order``
    mover_start[:, :] = 0
    for g in range(n_legs):
        if leg_i[g, _USES] > 0:
            mover_start[leg_i[g, _ISSUE], leg_i[g, _MOVER] + 1] += 1
    h = 0
    for i in range(n_i):
        issue_lo[i] = h
        mover_start[i, 0] = h
        for a in range(n_a):
            mover_start[i, a + 1] += mover_start[i, a]
        h = mover_start[i, n_a]
        issue_hi[i] = h
    for g in range(n_legs):
        if leg_i[g, _USES] > 0:
            i, a = leg_i[g, _ISSUE], leg_i[g, _MOVER]
            by_mover[mover_start[i, a]] = g
            mover_start[i, a] += 1
    for i in range(n_i):
        for a in range(n_a, 0, -1):
            mover_start[i, a] = mover_start[i, a - 1]
        mover_start[i, 0] = issue_lo[i]
        for a in range(n_a):
            scratch.mover_end[i, a] = mover_start[i, a + 1]
    # rising legs, then falling legs, each by the key of its binding outcome
    for i in range(n_i):
        split[i] = 0
        falling_end[i] = 0
    for g in range(n_legs):
        if leg_i[g, _USES] > 0:
            d = leg_f[g, _DIR]
            if d > 0.0:
                split[leg_i[g, _ISSUE]] += 1
            elif d < 0.0:
                falling_end[leg_i[g, _ISSUE]] += 1
    for i in range(n_i):
        split[i] += issue_lo[i]
        falling_end[i] += split[i]
    n_b = min(_BUCKETS, n_legs // (16 * n_i))
    if n_b >= 2:
        _bucket_runs(n_legs, n_b, buffers, scratch)
    else:
        # few legs: the keys are written issue by issue in one pass over the legs, then
        # each issue's two runs are sorted
        up_at = issue_lo.copy()  # where the next rising, falling leg of each issue goes
        down_at = split.copy()
        for g in range(n_legs):
            if leg_i[g, _USES] > 0:
                i = leg_i[g, _ISSUE]
                d = leg_f[g, _DIR]
                if d > 0.0:
                    h = up_at[i]
                    up_at[i] = h + 1
                    okey[h] = leg_f[g, _TARGET] - leg_f[g, _REACH]
                    order[h] = g
                elif d < 0.0:
                    h = down_at[i]
                    down_at[i] = h + 1
                    okey[h] = -(leg_f[g, _TARGET] + leg_f[g, _REACH])
                    order[h] = g
        for i in range(n_i):
            _sort_run(okey, order, issue_lo[i], split[i])
            _sort_run(okey, order, split[i], falling_end[i])
    for i in range(n_i):
        scratch.list_from[0, i] = issue_lo[i]
        scratch.list_from[1, i] = split[i]


@numba.njit(cache=True, nogil=True, inline="always")
def _key(leg_f: np.ndarray, g: int) -> tuple[int, float]:
    """Run (0 rising, 1 falling, -1 neither) and key of leg ``g`` (see ``_index_issues``)."""
    d = leg_f[g, _DIR]
    if d > 0.0:
        return 0, leg_f[g, _TARGET] - leg_f[g, _REACH]
    if d < 0.0:
        return 1, -(leg_f[g, _TARGET] + leg_f[g, _REACH])
    return -1, 0.0


@numba.njit(cache=True, nogil=True)
def _bucket_runs(n_legs: int, n_b: int, buffers: _Buffers, scratch: _Scratch) -> None:
    """Each issue's rising and falling runs of ``order``, by buckets of keys.

    Instead of sorting, each run's keys are split into ``n_b`` buckets of equal width
    between the run's smallest and largest key (a counting sort), and every leg's key in
    ``okey`` is its bucket's smallest key: still in order, and never above the leg's own
    key, so a walk that stops at the first key at or above a limit still visits every
    leg whose key is below it. It visits some more (those sharing the last bucket), and
    recomputes their largest shift to the value they hold.
    """
    leg_f, leg_i, order, okey = buffers.leg_f, buffers.leg_i, buffers.order, buffers.okey
    issue_lo, split = scratch.issue_lo, scratch.split
    kmin, kmax, at, bmin = scratch.kmin, scratch.kmax, scratch.bucket_at, scratch.bucket_min
    n_i = issue_lo.size
    for i in range(n_i):
        for r in range(2):
            kmin[i, r] = np.inf
            kmax[i, r] = -np.inf
            for b in range(n_b + 1):
                at[i, r, b] = 0
            for b in range(n_b):
                bmin[i, r, b] = np.inf
    for g in range(n_legs):
        if leg_i[g, _USES] > 0:
            r, key = _key(leg_f, g)
            if r >= 0:
                i = leg_i[g, _ISSUE]
                kmin[i, r] = min(kmin[i, r], key)
                kmax[i, r] = max(kmax[i, r], key)
    bucket_of = buffers.changed  # (free outside the steps) each leg's issue, run, bucket
    for g in range(n_legs):
        bucket_of[g] = -1
        if leg_i[g, _USES] > 0:
            r, key = _key(leg_f, g)
            if r >= 0:
                i = leg_i[g, _ISSUE]
                b = _bucket(key, kmin[i, r], kmax[i, r], n_b)
                at[i, r, b + 1] += 1
                if key < bmin[i, r, b]:
                    bmin[i, r, b] = key
                bucket_of[g] = (2 * i + r) * n_b + b
    for i in range(n_i):
        for r in range(2):
            at[i, r, 0] = issue_lo[i] if r == 0 else split[i]
            for b in range(n_b):
                at[i, r, b + 1] += at[i, r, b]
            for b in range(n_b):
                okey[at[i, r, b] : at[i, r, b + 1]] = bmin[i, r, b]
    for g in range(n_legs):
        c = bucket_of[g]
        if c >= 0:
            i, r, b = c // (2 * n_b), (c // n_b) % 2, c % n_b
            order[at[i, r, b]] = g
            at[i, r, b] += 1


@numba.njit(cache=True, nogil=True, inline="always")
def _bucket(key: float, lo: float, hi: float, n_b: int) -> int:
    """Bucket of ``key`` among ``n_b`` of equal width from ``lo`` to ``hi``."""
    if not hi > lo:
        return 0
    b = int((key - lo) * (n_b / (hi - lo)))
    return min(max(b, 0), n_b - 1)


@numba.njit(cache=True, nogil=True)
def _filter_issues(buffers: _Buffers, scratch: _Scratch) -> None:
    """After a compaction: :func:`_index_issues`'s lists with the legs kept, renumbered.

    Every list keeps its order, and each leg its key (a key only grows during a round,
    so an old one still never leaves out a leg that the outcome binds), so nothing is
    sorted again. Lists shrink towards their start, so the copy is done in place.
    """
    new_id, by_mover, order, okey = buffers.new_id, buffers.by_mover, buffers.order, buffers.okey
    issue_lo, issue_hi, mover_start = scratch.issue_lo, scratch.issue_hi, scratch.mover_start
    split, falling_end, list_from = scratch.split, scratch.falling_end, scratch.list_from
    n_a = mover_start.shape[1] - 1
    w = 0
    for i in range(issue_lo.size):
        lo = w
        for a in range(n_a):
            h0, h1 = mover_start[i, a], scratch.mover_end[i, a]
            mover_start[i, a] = w
            for h in range(h0, h1):
                g = new_id[by_mover[h]]
                if g >= 0:
                    by_mover[w] = g
                    w += 1
            scratch.mover_end[i, a] = w
        mover_start[i, n_a] = w
        issue_lo[i] = lo
        issue_hi[i] = w
        w_o = lo
        for half in range(2):
            h1 = split[i] if half == 0 else falling_end[i]
            for h in range(list_from[half, i], h1):
                g = new_id[order[h]]
                if g >= 0:
                    order[w_o] = g
                    okey[w_o] = okey[h]
                    w_o += 1
            if half == 0:
                split[i] = w_o
        falling_end[i] = w_o
        list_from[0, i] = lo
        list_from[1, i] = split[i]


@numba.njit(cache=True, nogil=True)
def _sort_run(okey: np.ndarray, order: np.ndarray, lo: int, hi: int) -> None:
    """Sort ``okey[lo:hi]`` and permute ``order[lo:hi]`` alike."""
    if hi - lo > 1:
        perm = np.argsort(okey[lo:hi])
        keys = okey[lo:hi][perm]
        ids = order[lo:hi][perm]
        okey[lo:hi] = keys
        order[lo:hi] = ids


@numba.njit(cache=True, nogil=True)
def _is_dead(j: int, ex_i: np.ndarray, dead: np.ndarray) -> bool:
    """Whether exchange ``j`` has a dead leg (one that can no longer move anything)."""
    return bool(dead[ex_i[j, _LP]] or dead[ex_i[j, _LQ]])


@numba.njit(cache=True, nogil=True)
def _compact(n_ex: int, n_legs: int, buffers: _Buffers, scratch: _Scratch) -> tuple[int, int]:
    """Keep the live exchanges and the legs they use, in place and in order.

    Every leg of a pair whose exchanges are not built yet is kept, in its place among
    the pair's legs. ``pair_lo``, ``pair_hi`` and ``pair_leg`` are updated. Returns the
    numbers of exchanges and legs kept.
    """
    ex_i, new_id = buffers.ex_i, buffers.new_id
    leg_f, leg_i, leg_ok, dead = buffers.leg_f, buffers.leg_i, buffers.leg_ok, buffers.dead
    leg_pair, built, pair_leg = buffers.leg_pair, scratch.built, scratch.pair_leg
    # the live exchanges move to the front (counting their legs' uses), then their legs
    # are renumbered
    k = _compact_exchanges(n_ex, n_legs, buffers, scratch)
    h = 0
    for g in range(n_legs):
        is_built = built[leg_pair[g]]
        # a dead leg of a built pair has no live exchange left: it is dropped
        was_dead = dead[g] and not is_built
        dead[g] = False
        if leg_i[g, _USES] > 0 or not is_built:
            if h != g:
                for col in range(_LEG_F):
                    leg_f[h, col] = leg_f[g, col]
                for col in range(_LEG_I):
                    leg_i[h, col] = leg_i[g, col]
                leg_ok[h] = leg_ok[g]
                leg_pair[h] = leg_pair[g]
            dead[h] = was_dead
            new_id[g] = h
            h += 1
        else:
            new_id[g] = -1
    for j in range(k):
        ex_i[j, _LP] = new_id[ex_i[j, _LP]]
        ex_i[j, _LQ] = new_id[ex_i[j, _LQ]]
    for pair in range(built.size):
        if not built[pair]:
            pair_leg[pair] = new_id[pair_leg[pair]]
    return k, h


@numba.njit(cache=True, nogil=True)
def _compact_exchanges(n_ex: int, n_legs: int, buffers: _Buffers, scratch: _Scratch) -> int:
    """Keep the live exchanges, in place and in order, leaving the legs where they are.

    The uses of built pairs' legs are counted again and ``pair_lo``, ``pair_hi``
    updated. Returns the number of exchanges kept.
    """
    score, ex_i, leg_i, dead = buffers.score, buffers.ex_i, buffers.leg_i, buffers.dead
    stamp, leg_pair = buffers.stamp, buffers.leg_pair
    built, pair_lo, pair_hi = scratch.built, scratch.pair_lo, scratch.pair_hi
    for g in range(n_legs):
        if built[leg_pair[g]]:
            leg_i[g, _USES] = 0
    for pair in range(built.size):
        if built[pair]:
            pair_lo[pair] = -1
            pair_hi[pair] = -1
    k = 0
    for j in range(n_ex):
        if score[j] != _NEG_INF and not _is_dead(j, ex_i, dead):
            lp, lq = ex_i[j, _LP], ex_i[j, _LQ]
            leg_i[lp, _USES] += 1
            leg_i[lq, _USES] += 1
            pair = leg_pair[lp]
            if pair_lo[pair] < 0:
                pair_lo[pair] = k
            pair_hi[pair] = k + 1
            if k != j:
                score[k] = score[j]
                stamp[k] = stamp[j]
                ex_i[k, _LP] = lp
                ex_i[k, _LQ] = lq
            k += 1
    return k


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _pair_legs(pair: int, buffers: _Buffers, scratch: _Scratch) -> tuple[int, int]:
    """The live legs of a pair not built into ``pb_r`` and ``pb_f``; their numbers by side.

    A leg is live if it is not dead and can shift the outcome. The legs of side 1 (the
    second actor moves) fill the arrays from 0, those of side 0 from ``I``. ``pb_r`` and
    ``pb_f`` are the numbers of the equal-gain bound, computed by the same expressions.
    """
    leg_s = buffers.leg_s
    base, m = scratch.pair_leg[pair], scratch.pair_m[pair]
    r, f = scratch.pb_r, scratch.pb_f
    half = r.size >> 1
    n1 = 0
    n0 = 0
    for g in range(base, base + 2 * m):
        if not leg_s[g, 2] > 0.0:
            continue  # dead, or can shift nothing
        at = n1 if g & 1 else half + n0
        r[at] = leg_s[g, 2]
        f[at] = leg_s[g, 1]
        if g & 1:
            n1 += 1
        else:
            n0 += 1
    return n1, n0


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _pair_bound(n1: int, n0: int, scratch: _Scratch) -> float:
    """An upper bound on the scores of a pair's exchanges from its live legs (``_pair_legs``).

    An exchange of the pair moves the second actor on the issue where the first actor's
    share ``f`` is higher (a leg of side 1) and the first on the other (side 0), and its
    score is at most ``(f_1 - f_0 + 1e-13) min(r_1, r_0) (1 + 1e-12)``
    (:func:`_score_bound`). The bound is the largest of these over every side-1 and
    side-0 leg, with the slack doubled against the rounding of this computation (-inf
    if a side has no live leg).
    """
    r, f = scratch.pb_r, scratch.pb_f
    half = r.size >> 1
    if n1 == 0 or n0 == 0:
        return _NEG_INF
    best = 0.0
    for a in range(n1):
        r1, f1 = r[a], f[a]
        for b in range(half, half + n0):
            best = max(best, (max(f1 - f[b], 0.0) + 2e-13) * min(r1, r[b]))
    return best * (1.0 + 2e-12)


@numba.njit(cache=True, nogil=True, inline="always")
def _drop_bit(scratch: _Scratch, pair: int, jp: int, jq: int) -> tuple[int, np.uint64]:
    """Word and mask of the bit of exchange (``jp``, ``jq``) of a pair in ``drops``."""
    at = scratch.drop_at[pair] + jp * scratch.pair_m[pair] + jq
    return at >> 6, np.uint64(1) << np.uint64(at & 63)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _build_pair(
    pair: int, n_ex: int, t: int, buffers: _Buffers, scratch: _Scratch, s: np.ndarray
) -> int:
    """Build a pair's live exchanges at ``n_ex`` onwards after step ``t``; the new end.

    As in the first build of a round, but leaving out exchanges with a dead leg or that
    dropped out while the pair was not built. An exchange whose bound reaches the
    search's ``visit`` is evaluated at once (as the search would on meeting it; if
    infeasible it is not built), the others are left stale at their bound. The buffers
    must have room for every exchange of the pair.
    """
    ex_i, score, stamp = buffers.ex_i, buffers.score, buffers.stamp
    leg_f, leg_i, leg_ok, dead = buffers.leg_f, buffers.leg_i, buffers.leg_ok, buffers.dead
    pair_opp, drops = scratch.pair_opp, scratch.drops
    base, m = scratch.pair_leg[pair], scratch.pair_m[pair]
    first, second = leg_i[base, _MOVER], leg_i[base + 1, _MOVER]
    visit = scratch.visit[0]
    # the issues with a live leg: their place among the pair's issues, their legs'
    # bound numbers (``pb_r``, ``pb_f`` by leg), and which of the two legs live
    r, f, live, leg_s = scratch.pb_r, scratch.pb_f, scratch.pb_side, buffers.leg_s
    n_live = 0
    for jp in range(m):
        flags = 0
        for side in range(2):
            g = base + 2 * jp + side
            leg_i[g, _USES] = 0
            r[2 * jp + side] = leg_s[g, 2]
            f[2 * jp + side] = leg_s[g, 1]
            if not dead[g] and r[2 * jp + side] > 0.0:
                flags |= 1 << side
        if flags:
            live[n_live] = jp | (flags << 16)
            n_live += 1
    n = n_ex
    for a in range(n_live):
        jp = live[a] & 0xFFFF
        flags_p = live[a] >> 16
        p = pair_opp[pair, jp]
        s1p, s2p = s[first, p], s[second, p]
        for b in range(a + 1, n_live):
            jq = live[b] & 0xFFFF
            flags_q = live[b] >> 16
            q = pair_opp[pair, jq]
            side = _side(s1p, s2p, s[first, q], s[second, q])
            if side < 0:
                continue
            if not ((flags_p >> side) & 1 and (flags_q >> (1 - side)) & 1):
                continue
            word, mask = _drop_bit(scratch, pair, jp, jq)
            if drops[word] & mask:
                continue
            lp = base + 2 * jp + side
            lq = base + 2 * jq + 1 - side
            sc = _score_bound(r[lp - base], r[lq - base], f[lp - base], f[lq - base])
            stamp[n] = -1
            if sc >= visit:
                ok, sc, _, _ = _evaluate(lp, lq, leg_f, leg_i, s, False)
                if not (ok and leg_ok[lp] and leg_ok[lq]):
                    continue
                stamp[n] = t
            ex_i[n, _LP] = lp
            ex_i[n, _LQ] = lq
            score[n] = sc
            leg_i[lp, _USES] += 1
            leg_i[lq, _USES] += 1
            n += 1
    scratch.pair_lo[pair] = n_ex
    scratch.pair_hi[pair] = n
    scratch.built[pair] = True
    scratch.pair_score[pair] = _NEG_INF
    return n


@numba.njit(cache=True, nogil=True)
def _more_exchanges(buffers: _Buffers, n_ex: int, capacity: int) -> _Buffers:
    """``buffers`` with room for ``capacity`` exchanges, the first ``n_ex`` kept."""
    ex_i = np.empty((capacity, 2), dtype=np.int32)
    score = np.empty(capacity)
    stamp = np.empty(capacity, dtype=np.int32)
    ex_i[:n_ex] = buffers.ex_i[:n_ex]
    score[:n_ex] = buffers.score[:n_ex]
    stamp[:n_ex] = buffers.stamp[:n_ex]
    b = buffers
    return _Buffers(
        ex_i,
        b.leg_f,
        b.leg_i,
        b.leg_ok,
        b.dead,
        b.leg_pair,
        np.empty(4 * ((capacity >> _FAN_SHIFT) + 1)),
        b.changed,
        b.new_id,
        score,
        b.by_mover,
        b.order,
        b.okey,
        stamp,
        b.raised,
        b.new_f,
        b.new_ok,
        b.leg_s,
    )


@numba.njit(cache=True, nogil=True, inline="always")
def _before(g: int, t: int, leg_f: np.ndarray, leg_i: np.ndarray) -> tuple[int, float]:
    """Leg ``g``'s last step that lowered its largest shift, and that shift, before step ``t``."""
    dec = leg_i[g, _DEC_BEFORE] if leg_i[g, _DEC_AT] == t else leg_i[g, _DEC_AT]
    amax = leg_f[g, _BEFORE] if leg_i[g, _CHANGED_AT] == t else leg_f[g, _AMAX]
    return dec, amax


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _raise_unbuilt(
    g: int, pair: int, t: int, buffers: _Buffers, scratch: _Scratch, s: np.ndarray
) -> None:
    """Step ``t`` raised leg ``g`` of a pair not built: its exchanges, as if they were.

    Each live exchange with the leg is checked on the values before the step (the worst
    state since it was last evaluated, see ``_round``) and then on the values now; if
    infeasible on either it drops out (its bit in ``drops``), as it would if built. The
    pair's bound rises to the best score now if that is higher.
    """
    leg_f, leg_i, leg_ok, dead = buffers.leg_f, buffers.leg_i, buffers.leg_ok, buffers.dead
    pair_opp, drops = scratch.pair_opp, scratch.drops
    base, m = scratch.pair_leg[pair], scratch.pair_m[pair]
    first, second = leg_i[base, _MOVER], leg_i[base + 1, _MOVER]
    jg = (g - base) >> 1
    best = scratch.pair_score[pair]
    for jo in range(m):
        if jo == jg:
            continue
        jp, jq = min(jg, jo), max(jg, jo)
        p, q = pair_opp[pair, jp], pair_opp[pair, jq]
        side = _side(s[first, p], s[second, p], s[first, q], s[second, q])
        if side < 0:
            continue
        lp = base + 2 * jp + side
        lq = base + 2 * jq + 1 - side
        if lp != g and lq != g:
            continue
        other = lq if lp == g else lp
        if dead[other] or not leg_f[other, _AMAX] > 0.0:
            continue
        word, mask = _drop_bit(scratch, pair, jp, jq)
        if drops[word] & mask:
            continue
        a_p = _before(lp, t, leg_f, leg_i)[1]
        a_q = _before(lq, t, leg_f, leg_i)[1]
        ok = _evaluate_with(lp, lq, a_p, a_q, leg_f, leg_i, s, False)[0]
        sc = _NEG_INF
        if ok:
            ok, sc, _, _ = _evaluate(lp, lq, leg_f, leg_i, s, False)
            ok = ok and leg_ok[lp] and leg_ok[lq]
        if not ok:
            drops[word] |= mask
        elif sc > best:
            best = sc
    if best > scratch.pair_score[pair]:
        scratch.pair_score[pair] = best
        _tree_set(scratch.ptree, scratch.plvl, scratch.pair_score, scratch.pair_score.size, pair)


@numba.njit(cache=True, nogil=True, inline="always")
def _stale(j: int, ex_i: np.ndarray, leg_i: np.ndarray, stamp: np.ndarray) -> bool:
    """Whether a leg of exchange ``j`` lost reach after ``j`` was last evaluated."""
    return bool(leg_i[ex_i[j, _LP], _DEC_AT] > stamp[j] or leg_i[ex_i[j, _LQ], _DEC_AT] > stamp[j])


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _refresh(
    j: int,
    t: int,
    ex_i: np.ndarray,
    leg_f: np.ndarray,
    leg_i: np.ndarray,
    leg_ok: np.ndarray,
    score: np.ndarray,
    stamp: np.ndarray,
    s: np.ndarray,
    rks: bool,
) -> int:
    """Evaluate exchange ``j`` on its legs as they are after step ``t``.

    An infeasible exchange drops out (score -inf, its legs' uses counted down).
    Returns how much it adds to the count of gone exchanges (2 if it dropped out).
    """
    lp, lq = int(np.int64(ex_i[j, _LP])), int(np.int64(ex_i[j, _LQ]))
    ok, sc, _, _ = _evaluate(lp, lq, leg_f, leg_i, s, rks)
    stamp[j] = t
    if ok and leg_ok[lp] and leg_ok[lq]:
        score[j] = sc
        return 0
    score[j] = _NEG_INF
    leg_i[lp, _USES] -= 1
    leg_i[lq, _USES] -= 1
    return 2


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _select(
    n_ex: int,
    lvl: np.ndarray,
    buffers: _Buffers,
    stack: np.ndarray,
    rules: _Rules,
    s: np.ndarray,
    t: int,
    top_pair: float,
) -> tuple[int, int]:
    """The next exchange (-1 if none, -2 if a pair may hold it) and how many went.

    The best is the best live score, and among the scores within the tie tolerance of
    it the lowest rank. An exchange with a dead leg keeps its last score until it is met
    here among the best (or dropped by a compaction): it is then set to -inf, and the
    search starts again if it might have been the best. A stale exchange (a leg of it
    lost reach after it was last evaluated) holds an upper bound on its score; when met
    among the best it is evaluated again (and drops out if infeasible), and the search
    starts again. Exchanges a little below the tie tolerance (``_LAZY_MARGIN``) are
    looked at too, so that rounding in a stale score never hides one that belongs among
    the best. ``top_pair`` is the largest upper bound held by a pair whose exchanges
    are not built yet (-inf if none): when it is among the best, -2 is returned, and the
    caller brings that pair's bound up to date or builds its exchanges.
    """
    score, tree, ex_i, leg_i, dead = (
        buffers.score,
        buffers.tree,
        buffers.ex_i,
        buffers.leg_i,
        buffers.dead,
    )
    stamp = buffers.stamp
    leg_f, leg_ok = buffers.leg_f, buffers.leg_ok
    a_place, i_place, rks = rules.a_place, rules.i_place, rules.rks
    gone = 0
    while True:
        best = -1
        best_rank = 0
        again = False
        if top_pair > _NEG_INF:
            top = max(top_pair, _tree_top(tree, lvl))
            if top_pair >= top - _TIE * abs(top) - _LAZY_MARGIN * (abs(top) + 1.0):
                return -2, gone
        n_lvl = lvl[0, 0]
        if n_lvl > 0:
            # follow the largest score down to its block and bring that block's best
            # up to date, until the largest is a live, up-to-date score
            top = tree[lvl[0, n_lvl]]
            if top == _NEG_INF:
                return -1, gone
            visit = top - _TIE * abs(top) - _LAZY_MARGIN * (abs(top) + 1.0)
            lo = _tree_argmax(tree, lvl)
            cleared = False
            for j in range(lo, min(lo + _FAN, n_ex)):
                if score[j] == _NEG_INF:
                    continue
                if _is_dead(j, ex_i, dead):  # (all of the block's: they share its line)
                    score[j] = _NEG_INF
                    cleared = True
                elif score[j] >= visit and _stale(j, ex_i, leg_i, stamp):
                    gone += _refresh(j, t, ex_i, leg_f, leg_i, leg_ok, score, stamp, s, rks)
                    cleared = True
            if cleared:
                _tree_set(tree, lvl, score, n_ex, lo)
                continue
            # then every score within the tie tolerance of it (a stale one brought up to
            # date first; should one come out above the largest, start again); a node
            # on the stack is its level + 32 x its place in the level
            threshold = top - _TIE * abs(top)
            depth = 1
            stack[0] = n_lvl
            while depth > 0:
                depth -= 1
                level = stack[depth] & 31
                i = stack[depth] >> 5
                if tree[lvl[0, level] + i] < visit:
                    continue
                if level == 1:
                    lo = i << _FAN_SHIFT
                    cleared = False
                    for j in range(lo, min(lo + _FAN, n_ex)):
                        if score[j] < visit:
                            continue
                        if _is_dead(j, ex_i, dead):
                            score[j] = _NEG_INF
                            cleared = True
                            continue
                        if _stale(j, ex_i, leg_i, stamp):
                            gone += _refresh(j, t, ex_i, leg_f, leg_i, leg_ok, score, stamp, s, rks)
                            cleared = True
                            again = again or score[j] > top
                        if score[j] < threshold:
                            continue
                        rank = _rank(j, ex_i, leg_i, a_place, i_place)
                        if best < 0 or rank < best_rank:
                            best = j
                            best_rank = rank
                    if cleared:
                        _tree_set(tree, lvl, score, n_ex, lo)
                else:
                    lo = i << _FAN_SHIFT
                    for c in range(min(lo + _FAN, lvl[1, level - 1]) - 1, lo - 1, -1):
                        stack[depth] = (c << 5) | (level - 1)
                        depth += 1
            if again:
                continue
            return best, gone
        # the two largest live scores in one pass (an exchange that might be one of them
        # is first brought up to date); a second pass only if they (nearly) tie
        top = _NEG_INF
        second = _NEG_INF
        for j in range(n_ex):
            sc = score[j]
            if sc > second:
                if _is_dead(j, ex_i, dead):
                    score[j] = _NEG_INF
                    continue
                if _stale(j, ex_i, leg_i, stamp):
                    gone += _refresh(j, t, ex_i, leg_f, leg_i, leg_ok, score, stamp, s, rks)
                    sc = score[j]
                    if not sc > second:
                        continue
                if sc > top:
                    second = top
                    top = sc
                    best = j
                else:
                    second = sc
        if top == _NEG_INF:
            return -1, gone
        threshold = top - _TIE * abs(top)
        visit = threshold - _LAZY_MARGIN * (abs(top) + 1.0)
        if second >= visit:
            best = -1
            for j in range(n_ex):
                if score[j] >= visit:
                    if _is_dead(j, ex_i, dead):
                        score[j] = _NEG_INF
                        continue
                    if _stale(j, ex_i, leg_i, stamp):
                        gone += _refresh(j, t, ex_i, leg_f, leg_i, leg_ok, score, stamp, s, rks)
                    if score[j] < threshold:
                        continue
                    rank = _rank(j, ex_i, leg_i, a_place, i_place)
                    if best < 0 or rank < best_rank:
                        best = j
                        best_rank = rank
        return best, gone


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _round(
    draw: _Draw,
    rules: _Rules,
    y: np.ndarray,
    log: _Log,
    scratch: _Scratch,
    buffers: _Buffers,
) -> tuple[int, _Log, _Buffers]:
    """One round of one draw: voting positions into ``y`` (A, I).

    ``buffers`` is replaced by larger ones when too small, ``log.rows`` when full.
    Returns the number of exchanges made, the log and the buffers.
    """
    x, s, w, total = draw
    rks = rules.rks
    code, pair_m, pair_opp, outcome, moved = scratch[:5]
    stack, lvl = scratch.stack, scratch.lvl
    mover_start, split, falling_end = scratch.mover_start, scratch.split, scratch.falling_end
    list_from, mover_end = scratch.list_from, scratch.mover_end
    log_rows, n_log = log.rows, log.n
    n_a, n_i = x.shape
    for i in range(n_i):
        if total[i] > 0:
            acc = 0.0
            for a in range(n_a):
                acc += w[a, i] * x[a, i]
            outcome[i] = acc / total[i]
        else:
            outcome[i] = np.nan
    # 0: takes no part on the issue; 1: left of (or at) the outcome; 2: right of it
    for a in range(n_a):
        for i in range(n_i):
            code[a, i] = 0 if not w[a, i] > 0 else (2 if x[a, i] > outcome[i] else 1)

    # 1. feasible exchanges: per actor pair, the issues on which both take part and sit
    # on opposite sides of the outcome, then every pair of those issues. The exchanges
    # and the legs of a pair are stored together, pair after pair, so that what a step
    # reads and writes about one pair lies close together in memory.
    bound = 0
    n_slots = 0  # legs: at most two per issue of a pair
    n_active = 0  # pairs with an exchange
    k = 0
    for a1 in range(n_a):
        for a2 in range(a1 + 1, n_a):
            m = 0
            for i in range(n_i):
                if code[a1, i] * code[a2, i] == 2:
                    pair_opp[k, m] = i
                    m += 1
            pair_m[k] = m
            if m >= 2:
                bound += m * (m - 1) // 2
                n_slots += 2 * m
                n_active += 1
            k += 1
    if bound == 0:
        return 0, log, buffers
    # many exchanges and the equal-gain rate: a pair's exchanges are only built when an
    # upper bound on their scores comes among the best (most pairs' legs die first)
    pairs_lazy = not rks and bound >= _TREE_MIN and bound >= rules.lazy_mean * n_active
    n_ex_need = bound // 4 if pairs_lazy else bound
    if buffers.score.shape[0] < n_ex_need or buffers.leg_f.shape[0] < n_slots:
        # an eighth more than this round needs: rounds and draws after it need about as
        # many, and a large scenario's first round needs millions
        n_ex_new = max(n_ex_need + n_ex_need // 8, buffers.score.shape[0])
        n_legs_new = max(n_slots + n_slots // 8, buffers.leg_f.shape[0])
        buffers = _buffers(n_ex_new, n_legs_new)
    ex_i, score, tree, stamp = buffers.ex_i, buffers.score, buffers.tree, buffers.stamp
    leg_f, leg_i, leg_ok, changed = buffers.leg_f, buffers.leg_i, buffers.leg_ok, buffers.changed
    dead = buffers.dead
    leg_pair = buffers.leg_pair
    pair_lo, pair_hi, pair_leg, built = (
        scratch.pair_lo,
        scratch.pair_hi,
        scratch.pair_leg,
        scratch.built,
    )
    pair_score, ptree, plvl = scratch.pair_score, scratch.ptree, scratch.plvl
    by_mover, order, okey = buffers.by_mover, buffers.order, buffers.okey
    raised = buffers.raised
    new_f, new_ok = buffers.new_f, buffers.new_ok
    leg_s = buffers.leg_s

    n_ex = int(np.int64(0))  # not a literal: one compiled version of the callees
    n_legs = int(np.int64(0))
    n_drop_bits = 0
    k = -1
    for a1 in range(n_a):
        for a2 in range(a1 + 1, n_a):
            k += 1
            m = pair_m[k]
            pair_lo[k] = n_ex
            pair_hi[k] = n_ex
            pair_leg[k] = n_legs
            built[k] = m < 2 or not pairs_lazy
            scratch.drop_at[k] = n_drop_bits
            if m < 2:
                continue
            n_drop_bits += m * m
            # the pair's legs, two per issue: leg 2 jp, the first actor moving on the
            # issue towards the second, and leg 2 jp + 1, the second towards the first
            # (a leg is used only by exchanges of its two actors; the first actor's leg
            # on the issue it weighs most against the other, and the second's on the
            # one it weighs least, are used by none)
            base = n_legs
            for jp in range(m):
                p = pair_opp[k, jp]
                for side in range(2):
                    mover, partner = (a1, a2) if side == 0 else (a2, a1)
                    g = base + 2 * jp + side
                    leg_i[g, _MOVER] = mover
                    leg_i[g, _ISSUE] = p
                    leg_f[g, _TARGET] = x[partner, p]
                    leg_f[g, _K] = w[mover, p] / total[p]
                    leg_pair[g] = k
            n_legs += 2 * m
            if pairs_lazy:
                continue
            for jp in range(m):
                p = pair_opp[k, jp]
                s1p, s2p = s[a1, p], s[a2, p]
                for jq in range(jp + 1, m):
                    q = pair_opp[k, jq]
                    # v moves on p towards u; u moves on q towards v: when the first
                    # actor demands p, the second's leg on p and the first's on q
                    first = _side(s1p, s2p, s[a1, q], s[a2, q])
                    if first < 0:
                        continue
                    ex_i[n_ex, _LP] = base + 2 * jp + first
                    ex_i[n_ex, _LQ] = base + 2 * jq + 1 - first
                    n_ex += 1
            pair_hi[k] = n_ex
    if n_ex == 0 and not pairs_lazy:
        return 0, log, buffers

    # 2. evaluate every leg and every exchange
    for g in range(n_legs):
        mv, i = leg_i[g, _MOVER], leg_i[g, _ISSUE]
        target, k_g = leg_f[g, _TARGET], leg_f[g, _K]
        amax, direction, ok = _leg(target, y[mv, i], outcome[i], k_g, 0.0)
        leg_f[g, _REACH] = k_g * abs(target - y[mv, i])
        leg_f[g, _AMAX] = amax
        leg_f[g, _DIR] = direction
        leg_ok[g] = ok
        # while a pair is not built, a leg counts as used if it can shift anything
        leg_i[g, _USES] = 1 if pairs_lazy and amax > 0.0 else 0
        if pairs_lazy:
            first, second = leg_i[g & ~1, _MOVER], leg_i[g | 1, _MOVER]
            total_s = s[first, i] + s[second, i]
            leg_s[g, 0] = total_s
            leg_s[g, 1] = s[first, i] / total_s
            leg_s[g, 2] = amax * total_s
    dead[:n_legs] = False
    leg_i[:n_legs, _DEC_AT] = 0  # steps count from 1: every evaluated exchange is up to date
    leg_i[:n_legs, _CHANGED_AT] = 0
    n_alive = 0
    n_tree = 0  # the exchanges under the max-tree (beyond ``n_ex`` their score is -inf)
    if pairs_lazy:
        scratch.drops[: (n_drop_bits >> 6) + 1] = 0
        for pair in range(pair_m.size):
            if built[pair]:
                pair_score[pair] = _NEG_INF
            else:
                pair_score[pair] = _pair_bound(*_pair_legs(pair, buffers, scratch), scratch)
                if pair_score[pair] > _NEG_INF:
                    n_alive += 1
        _build_tree(pair_m.size, pair_score, ptree, plvl, 0)
        n_tree = min(score.shape[0], 1024)
        score[:n_tree] = _NEG_INF
    elif not rks and n_ex >= _TREE_MIN:
        # many exchanges and the equal-gain rate: each starts with an upper bound on its
        # score (``_score_bound``), and is evaluated when ``_select`` meets it among the
        # best (or when a leg of it gains reach): most drop out before
        bound_f = new_f  # (free until the steps) per leg: A_i S_i, and f_i of the first actor
        for g in range(n_legs):
            i = leg_i[g, _ISSUE]
            first, second = leg_i[g & ~1, _MOVER], leg_i[g | 1, _MOVER]
            total_s = s[first, i] + s[second, i]
            bound_f[g, 0] = leg_f[g, _AMAX] * total_s
            bound_f[g, 1] = s[first, i] / total_s
        for j in range(n_ex):
            lp, lq = int(np.int64(ex_i[j, _LP])), int(np.int64(ex_i[j, _LQ]))
            if bound_f[lp, 0] > 0.0 and bound_f[lq, 0] > 0.0:
                score[j] = _score_bound(
                    bound_f[lp, 0], bound_f[lq, 0], bound_f[lp, 1], bound_f[lq, 1]
                )
                leg_i[lp, _USES] += 1
                leg_i[lq, _USES] += 1
                n_alive += 1
            else:
                score[j] = _NEG_INF  # a leg that can shift nothing: infeasible
        stamp[:n_ex] = -1  # never evaluated
    else:
        for j in range(n_ex):
            lp, lq = int(np.int64(ex_i[j, _LP])), int(np.int64(ex_i[j, _LQ]))
            ok, sc, _, _ = _evaluate(lp, lq, leg_f, leg_i, s, rks)
            if ok and leg_ok[lp] and leg_ok[lq]:
                score[j] = sc
                leg_i[lp, _USES] += 1
                leg_i[lq, _USES] += 1
                n_alive += 1
            else:
                score[j] = _NEG_INF
        stamp[:n_ex] = 0
    if n_alive == 0:
        return 0, log, buffers
    if not pairs_lazy and 3 * n_alive < n_ex and n_ex >= _COMPACT_MIN:
        n_ex, n_legs = _compact(n_ex, n_legs, buffers, scratch)
    gone = 0  # exchanges made or found infeasible (2 each) and legs' uses when they died
    _index_issues(n_legs, buffers, scratch)
    if not pairs_lazy:
        n_tree = n_ex
    n_lvl = _build_tree(n_tree, score, tree, lvl, 0 if pairs_lazy else _TREE_MIN)
    # with the equal-gain rate a leg that loses reach leaves its exchanges' scores as
    # upper bounds (see ``_select``); with the RKS rate a score need not fall with a
    # leg's reach, so every exchange on a changed leg is evaluated again at once
    lazy = not rks
    moved[:] = 0.0  # sign of the moves made this round

    # 3. steps
    n_exec = int(np.int64(0))  # not a literal: one compiled version of the callees
    n_pairs = pair_m.size
    while True:
        top_pair = _tree_top(ptree, plvl) if pairs_lazy else _NEG_INF
        j, dropped = _select(n_tree, lvl, buffers, stack, rules, s, n_exec, top_pair)
        gone += dropped
        if j == -2:
            # a pair not built may hold the best: its bound is computed again from its
            # legs as they are, and if it is still among the best its exchanges are
            # built (after the others, making room first)
            best = max(top_pair, _tree_top(tree, lvl))
            visit = best - _TIE * abs(best) - _LAZY_MARGIN * (abs(best) + 1.0)
            pair = _tree_argmax(ptree, plvl)
            for c in range(pair + 1, min(pair + _FAN, n_pairs)):
                if pair_score[c] > pair_score[pair]:
                    pair = c
            now = _pair_bound(*_pair_legs(pair, buffers, scratch), scratch)
            if now < visit:
                pair_score[pair] = now
                _tree_set(ptree, plvl, pair_score, n_pairs, pair)
                continue
            scratch.visit[0] = visit
            m = pair_m[pair]
            need = n_ex + m * (m - 1) // 2
            if need > n_tree:
                if need > score.shape[0]:
                    if 2 * gone >= n_ex and n_ex >= _COMPACT_MIN:
                        n_ex = _compact_exchanges(n_ex, n_legs, buffers, scratch)
                        gone = 0
                        need = n_ex + m * (m - 1) // 2
                    if need > score.shape[0]:
                        buffers = _more_exchanges(buffers, n_ex, max(need, score.shape[0] * 3 // 2))
                        ex_i, score, tree, stamp = (
                            buffers.ex_i,
                            buffers.score,
                            buffers.tree,
                            buffers.stamp,
                        )
                n_tree = min(score.shape[0], max(need, 2 * n_tree))
                score[n_ex:n_tree] = _NEG_INF
                n_lvl = _build_tree(n_tree, score, tree, lvl, 0)
            end = _build_pair(pair, n_ex, n_exec, buffers, scratch, s)
            if end > n_ex:
                _tree_fill(tree, lvl, score, n_tree, n_ex, end)
            n_ex = end
            _tree_set(ptree, plvl, pair_score, n_pairs, pair)
            continue
        if j < 0:
            break
        lp, lq = int(np.int64(ex_i[j, _LP])), int(np.int64(ex_i[j, _LQ]))
        dv, du = leg_f[lp, _DIR], leg_f[lq, _DIR]
        v, u = leg_i[lp, _MOVER], leg_i[lq, _MOVER]
        p, q = leg_i[lp, _ISSUE], leg_i[lq, _ISSUE]
        # its size, as when it was last evaluated (its legs have not changed since)
        size_a, size_b = _evaluate(lp, lq, leg_f, leg_i, s, rks)[2:]
        move_v = size_a / leg_f[lp, _K]
        move_u = size_b / leg_f[lq, _K]
        y[v, p] += dv * move_v
        y[u, q] += du * move_u
        before_p, before_q = outcome[p], outcome[q]
        outcome[p] += dv * size_a
        outcome[q] += du * size_b
        moved[v, p] = dv
        moved[u, q] = du
        if log.record:
            if n_log == log_rows.shape[0]:
                bigger = np.empty((2 * n_log, 8))
                bigger[:n_log] = log_rows
                log_rows = bigger
            row = log_rows[n_log]
            row[0] = log.round_number
            row[1] = u
            row[2] = v
            row[3] = p
            row[4] = q
            row[5] = score[j]
            row[6] = dv * move_v
            row[7] = du * move_u
            n_log += 1
        n_exec += 1
        t_step = n_exec
        score[j] = _NEG_INF
        if n_lvl > 0:
            _tree_set(tree, lvl, score, n_tree, j)
        leg_i[lp, _USES] -= 1
        leg_i[lq, _USES] -= 1
        gone += 2

        # recompute the legs on the two issues that moved: the legs of the actor that
        # moved from scratch, every other one only through the outcome (its mover, and
        # so its reach, did not change), and of those only the ones whose room is below
        # their reach before or after the step (the start of the issue's two lists in
        # ``order``): the others keep their reach as their largest shift. The new values
        # are set aside (``new_f``, ``new_ok``) until the exchanges have been looked at
        # on the old ones.
        n_changed = 0
        for side in range(2):
            i = p if side == 0 else q
            mover = v if side == 0 else u
            o_i = outcome[i]
            before = before_p if side == 0 else before_q
            # (the legs met dead, or with no exchange left, are taken out of the list:
            # they are never read again this round)
            h_keep = mover_start[i, mover]
            for h in range(h_keep, mover_end[i, mover]):
                g = by_mover[h]
                if dead[g] or leg_i[g, _USES] == 0:
                    continue
                by_mover[h_keep] = g
                h_keep += 1
                target = leg_f[g, _TARGET]
                pos = y[mover, i]
                k_g = leg_f[g, _K]
                amax, direction, ok = _leg(target, pos, o_i, k_g, moved[mover, i])
                leg_f[g, _REACH] = k_g * abs(target - pos)
                if amax != leg_f[g, _AMAX] or direction != leg_f[g, _DIR] or ok != leg_ok[g]:
                    changed[n_changed] = g
                    new_f[n_changed, 0] = amax
                    new_f[n_changed, 1] = direction
                    new_ok[n_changed] = ok
                    n_changed += 1
            mover_end[i, mover] = h_keep
            # rising legs bound at an outcome above their key, falling ones below minus
            # theirs (the slack only widens the visit); the dead legs met on the way
            # are then taken out of the list (they are never read again this round)
            for half in range(2):
                h0 = list_from[half, i]
                h1 = split[i] if half == 0 else falling_end[i]
                if half == 0:
                    limit = max(before, o_i) + _KEY_SLACK
                else:
                    limit = _KEY_SLACK - min(before, o_i)
                h_end = h0
                n_dead = 0
                for h in range(h0, h1):
                    if okey[h] >= limit:
                        break
                    h_end = h + 1
                    g = order[h]
                    if dead[g] or leg_i[g, _USES] == 0:
                        n_dead += 1
                        continue
                    if leg_i[g, _MOVER] == mover:
                        continue
                    # (no nan can arise here: the outcome of an issue with legs is finite)
                    room = (leg_f[g, _TARGET] - o_i) * leg_f[g, _DIR]
                    room = 0.0 if room < 0.0 else room
                    reach = leg_f[g, _REACH]
                    amax = reach if reach <= room else room
                    changed[n_changed] = g
                    new_f[n_changed, 0] = amax
                    new_f[n_changed, 1] = leg_f[g, _DIR]
                    new_ok[n_changed] = True
                    n_changed += 1 if amax != leg_f[g, _AMAX] else 0
                if n_dead > 0:
                    w = h_end
                    for h in range(h_end - 1, h0 - 1, -1):
                        if not (dead[order[h]] or leg_i[order[h], _USES] == 0):
                            w -= 1
                            order[w] = order[h]
                            okey[w] = okey[h]
                    list_from[half, i] = w
        # the new values; a leg with no room or that would move its actor back is dead,
        # and so is every exchange with it (it could shift the outcome by 0 at most):
        # they are not visited (see ``_select``), ``gone`` counts them (twice at most).
        # With the equal-gain rate a leg that lost reach only lowers its exchanges'
        # scores: they keep theirs as an upper bound, are stale, and are evaluated again
        # when ``_select`` meets them among the best
        n_raised = 0
        for c in range(n_changed):
            g = changed[c]
            old = leg_f[g, _AMAX]
            amax = new_f[c, 0]
            leg_f[g, _BEFORE] = old
            leg_i[g, _CHANGED_AT] = t_step
            leg_f[g, _AMAX] = amax
            if pairs_lazy:
                leg_s[g, 2] = amax * leg_s[g, 0] if new_ok[c] else 0.0
            leg_f[g, _DIR] = new_f[c, 1]
            leg_ok[g] = new_ok[c]
            if leg_i[g, _USES] == 0 or dead[g]:
                continue
            if amax == 0.0 or not new_ok[c]:
                dead[g] = True
                if built[leg_pair[g]]:
                    gone += leg_i[g, _USES]
            elif amax < old and lazy:
                leg_i[g, _DEC_BEFORE] = leg_i[g, _DEC_AT]
                leg_i[g, _DEC_AT] = t_step
            else:
                raised[n_raised] = g
                n_raised += 1
        # ... then the live exchanges with a raised leg
        for c in range(n_raised):
            g = raised[c]
            pair = leg_pair[g]
            if not built[pair]:
                _raise_unbuilt(g, pair, t_step, buffers, scratch, s)
                continue
            for e in range(pair_lo[pair], pair_hi[pair]):
                # the pair's exchanges lie together: those with this leg are picked out
                if ex_i[e, _LP] != g and ex_i[e, _LQ] != g:
                    continue
                if score[e] == _NEG_INF or _is_dead(e, ex_i, dead):
                    continue
                old = score[e]
                if lazy:
                    # a stale exchange is first checked on the values before this step,
                    # the state the model evaluated it on last: if it was infeasible
                    # then, it drops out
                    ep, eq = int(np.int64(ex_i[e, _LP])), int(np.int64(ex_i[e, _LQ]))
                    dp, a_p = _before(ep, t_step, leg_f, leg_i)
                    dq, a_q = _before(eq, t_step, leg_f, leg_i)
                    stale = dp > stamp[e] or dq > stamp[e]
                    if stale and not _evaluate_with(ep, eq, a_p, a_q, leg_f, leg_i, s, rks)[0]:
                        score[e] = _NEG_INF
                        leg_i[ep, _USES] -= 1
                        leg_i[eq, _USES] -= 1
                        gone += 2
                        if n_lvl > 0:
                            _tree_set(tree, lvl, score, n_tree, e)
                        continue
                gone += _refresh(e, t_step, ex_i, leg_f, leg_i, leg_ok, score, stamp, s, rks)
                if score[e] != old and n_lvl > 0:
                    _tree_set(tree, lvl, score, n_tree, e)
        if gone >= n_ex and n_ex >= _COMPACT_MIN:
            # at least half the exchanges are gone (``gone`` counts each at most twice):
            # keep the live ones and their legs (compacting at 3/8 gone instead was as
            # fast on ten rounds of 160 x 80, 7.0 s against 6.8 s)
            gone = 0
            if pairs_lazy:
                # the legs stay: those of pairs not built keep their places
                n_ex = _compact_exchanges(n_ex, n_legs, buffers, scratch)
                n_tree = min(score.shape[0], max(1024, n_ex + n_ex // 2))
                score[n_ex:n_tree] = _NEG_INF
            else:
                n_ex, n_legs = _compact(n_ex, n_legs, buffers, scratch)
                if n_ex == 0:
                    break
                _filter_issues(buffers, scratch)
                n_tree = n_ex
            n_lvl = _build_tree(n_tree, score, tree, lvl, 0 if pairs_lazy else _TREE_MIN)
    return n_exec, _Log(log_rows, n_log, log.record, log.round_number), buffers


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_rounds(
    x0: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    total: np.ndarray,
    keep: np.ndarray,
    a_place: np.ndarray,
    i_place: np.ndarray,
    rounds: int,
    rks: bool,
    lazy_mean: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every round of every draw, on positions mapped to 0-100.

    Args:
        x0: Positions (D, A, I).
        s: Saliences (D, A, I), 0 where an actor has no stance.
        w: Capability x salience (D, A, I).
        total: ``w`` summed over actors (D, I).
        keep: Share of its move an actor keeps into the next round (D, A, I).
        a_place: Place of each actor's id in the sorted ids (ties are broken by it).
        i_place: Place of each issue's id in the sorted ids.
        rounds: Most rounds to run.
        rks: The Raiffa-Kalai-Smorodinsky rate instead of equal gain.
        lazy_mean: From this many candidate exchanges per actor pair on average in a
            round (equal-gain rate, at least ``_TREE_MIN`` in all), a pair's exchanges
            are built only when an upper bound on their scores comes among the best
            (the same results; faster where pairs have many); ``PAIRS_LAZY_MEAN``.

    Returns:
        Voting positions after each round, round 0 being ``x0`` (D, R + 1, A, I, a view
        of a possibly larger array); the
        exchanges made per draw and round (D, R); and the exchanges of draw 0, one row
        each: round, demander of p, demander of q, p, q, score, move on p, move on q.
    """
    n_d, n_a, n_i = x0.shape
    scratch = _scratch(n_a, n_i)
    # np.int64 rather than literal numbers: numba would compile the callee once more for
    # a literal argument
    buffers = _buffers(int(np.int64(256)), int(np.int64(512)))
    rules = _Rules(rks, a_place, i_place, lazy_mean)
    cap = min(rounds, 16)  # rounds the trajectory has room for; grows if needed
    traj = np.empty((n_d, cap + 1, n_a, n_i))
    made = np.zeros((n_d, cap), dtype=np.int64)
    traj[:, 0] = x0
    x = x0.copy()
    active = np.ones(n_d, dtype=np.bool_)
    log = _Log(np.empty((64, 8)), int(np.int64(0)), False, int(np.int64(0)))
    n_r = 0
    for r in range(rounds):
        if r == cap:
            cap = min(rounds, 2 * cap)
            bigger = np.empty((n_d, cap + 1, n_a, n_i))
            bigger[:, : r + 1] = traj[:, : r + 1]
            traj = bigger
            more = np.zeros((n_d, cap), dtype=np.int64)
            more[:, :r] = made[:, :r]
            made = more
        for d in range(n_d):
            y = traj[d, r + 1]
            y[:, :] = x[d]
            if not active[d]:
                continue  # no exchange last round: none this round either
            draw = _Draw(x[d], s[d], w[d], total[d])
            log = _Log(log.rows, log.n, d == 0, r + 1)
            n, log, buffers = _round(draw, rules, y, log, scratch, buffers)
            made[d, r] = n
            if n == 0:
                active[d] = False  # and its positions stay as they are
            else:
                for a in range(n_a):
                    for i in range(n_i):
                        x[d, a, i] = x[d, a, i] + keep[d, a, i] * (y[a, i] - x[d, a, i])
        n_r = r + 1
        if not active.any():
            break
    return traj[:, : n_r + 1], made[:, :n_r].copy(), log.rows[: log.n].copy()
