"""Compiled rounds of the exchange model (see ``zopa.models.exchange`` for the model).

``run_rounds`` runs every round of every draw. Per draw and round:

1. The feasible exchanges are built once: every actor pair on opposite sides of the
   outcome on both issues of an issue pair, both taking part in both, weighing them
   differently. Each exchange has two *legs* (a mover going towards a partner on one
   issue); a leg is shared by every exchange that uses it.
2. All legs and exchanges are evaluated; the exchanges that are not feasible drop out.
3. Steps: the best exchange (largest score; scores within a relative ``_TIE`` of the
   best are a tie, broken by the lowest rank) is carried out. Only the legs on its two
   issues can change: they are recomputed, and only the live exchanges with a leg whose
   value changed are evaluated again (the others would evaluate to what they hold).
   Exchanges that become infeasible drop out for the rest of the round. A max-tree over
   the exchanges' scores finds the best one in logarithmic time.

A draw in which a round makes no exchange keeps its positions from then on (the next
round would start from the same positions), so it is skipped; the rounds stop when no
draw made an exchange. Arithmetic follows the numpy expressions of the model term by
term (``error_model="numpy"``: a division by zero gives inf or nan, which the
feasibility test rejects).
"""

from __future__ import annotations

import numba
import numpy as np

_EPS = 1e-10  # a move or gain at or below this counts as none (Decide's threshold)
_TIE = 1e-9  # relative tolerance under which two scores are a tie
_NEG_INF = -np.inf


@numba.njit(cache=True, error_model="numpy", inline="always")
def _min(a: float, b: float) -> float:
    """``np.minimum`` of two floats (nan if either is nan)."""
    if a != a or b != b:
        return np.nan
    return a if a <= b else b


@numba.njit(cache=True, error_model="numpy", inline="always")
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


@numba.njit(cache=True, error_model="numpy", inline="always")
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
        np.isfinite(score) and gain_u > _EPS and gain_v > _EPS and a / k_v > _EPS and b / k_u > _EPS
    )
    return ok, score, a, b


@numba.njit(cache=True, inline="always")
def _tree_set(tree: np.ndarray, leaf0: int, j: int, value: float) -> None:
    """Set exchange ``j``'s score in the max-tree and update its ancestors."""
    node = leaf0 + j
    tree[node] = value
    node >>= 1
    while node >= 1:
        left = tree[2 * node]
        right = tree[2 * node + 1]
        best = left if left >= right else right
        if tree[node] == best:
            break
        tree[node] = best
        node >>= 1


@numba.njit(cache=True)
def _round(
    x: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    total: np.ndarray,
    a_place: np.ndarray,
    i_place: np.ndarray,
    rks: bool,
    y: np.ndarray,
    log: np.ndarray,
    n_log: int,
    do_log: bool,
    rnd: int,
) -> tuple[int, np.ndarray, int]:
    """One round of one draw: voting positions into ``y``; returns (exchanges, log, n_log)."""
    n_a, n_i = x.shape
    outcome = np.empty(n_i)
    for i in range(n_i):
        if total[i] > 0:
            acc = 0.0
            for a in range(n_a):
                acc += w[a, i] * x[a, i]
            outcome[i] = acc / total[i]
        else:
            outcome[i] = np.nan
    side = np.empty((n_a, n_i), dtype=np.bool_)
    for a in range(n_a):
        for i in range(n_i):
            side[a, i] = x[a, i] > outcome[i]

    # 1. feasible exchanges, first counted (an upper bound), then listed
    opp = np.empty(n_i, dtype=np.int64)
    bound = 0
    for a1 in range(n_a):
        for a2 in range(a1 + 1, n_a):
            m = 0
            for i in range(n_i):
                if w[a1, i] > 0 and w[a2, i] > 0 and side[a1, i] != side[a2, i]:
                    m += 1
            bound += m * (m - 1) // 2
    if bound == 0:
        return 0, log, n_log
    ex_lp = np.empty(bound, dtype=np.int64)
    ex_lq = np.empty(bound, dtype=np.int64)
    ex_rank = np.empty(bound, dtype=np.int64)
    ex_sal = np.empty((bound, 4))  # su_p, su_q, sv_p, sv_q
    ex_rate = np.empty(bound)
    # a leg is used only by exchanges of its two actors: number the legs pair by pair,
    # indexed by issue and which of the two moves
    leg_of = np.full(2 * n_i, -1, dtype=np.int64)
    leg_issue = np.empty(2 * bound, dtype=np.int64)
    leg_mover = np.empty(2 * bound, dtype=np.int64)
    leg_target = np.empty(2 * bound)
    leg_k = np.empty(2 * bound)
    n_ex = 0
    n_legs = 0
    for a1 in range(n_a):
        for a2 in range(a1 + 1, n_a):
            m = 0
            for i in range(n_i):
                if w[a1, i] > 0 and w[a2, i] > 0 and side[a1, i] != side[a2, i]:
                    opp[m] = i
                    m += 1
            for jp in range(m):
                leg_of[2 * opp[jp]] = -1
                leg_of[2 * opp[jp] + 1] = -1
            lo_a = min(a_place[a1], a_place[a2])
            hi_a = max(a_place[a1], a_place[a2])
            for jp in range(m):
                p = opp[jp]
                for jq in range(jp + 1, m):
                    q = opp[jq]
                    # the actor with the larger s_p / s_q demands p
                    if s[a1, p] * s[a2, q] >= s[a2, p] * s[a1, q]:
                        u, v = a1, a2
                    else:
                        u, v = a2, a1
                    su_p, su_q, sv_p, sv_q = s[u, p], s[u, q], s[v, p], s[v, q]
                    if not (su_p * sv_q - su_q * sv_p) > 0:
                        continue  # they weigh the two issues alike: no gain possible
                    lo_i = min(i_place[p], i_place[q])
                    hi_i = max(i_place[p], i_place[q])
                    ex_rank[n_ex] = ((lo_a * n_a + hi_a) * n_i + lo_i) * n_i + hi_i
                    ex_sal[n_ex, 0] = su_p
                    ex_sal[n_ex, 1] = su_q
                    ex_sal[n_ex, 2] = sv_p
                    ex_sal[n_ex, 3] = sv_q
                    ex_rate[n_ex] = (su_p + sv_p) / (su_q + sv_q)
                    # v moves on p towards u; u moves on q towards v
                    key = 2 * p + (1 if v == a2 else 0)
                    if leg_of[key] < 0:
                        leg_of[key] = n_legs
                        leg_issue[n_legs] = p
                        leg_mover[n_legs] = v
                        leg_target[n_legs] = x[u, p]
                        leg_k[n_legs] = w[v, p] / total[p]
                        n_legs += 1
                    ex_lp[n_ex] = leg_of[key]
                    key = 2 * q + (1 if u == a2 else 0)
                    if leg_of[key] < 0:
                        leg_of[key] = n_legs
                        leg_issue[n_legs] = q
                        leg_mover[n_legs] = u
                        leg_target[n_legs] = x[v, q]
                        leg_k[n_legs] = w[u, q] / total[q]
                        n_legs += 1
                    ex_lq[n_ex] = leg_of[key]
                    n_ex += 1
    if n_ex == 0:
        return 0, log, n_log

    # 2. evaluate every leg and every exchange; keep the feasible ones only
    moved = np.zeros((n_a, n_i))  # sign of the moves made this round
    leg_amax = np.empty(n_legs)
    leg_dir = np.empty(n_legs)
    leg_ok = np.empty(n_legs, dtype=np.bool_)
    for g in range(n_legs):
        i, mv = leg_issue[g], leg_mover[g]
        leg_amax[g], leg_dir[g], leg_ok[g] = _leg(
            leg_target[g], y[mv, i], outcome[i], leg_k[g], moved[mv, i]
        )
    score = np.empty(n_ex)
    size_a = np.empty(n_ex)
    size_b = np.empty(n_ex)
    n_live = 0
    for j in range(n_ex):
        lp, lq = ex_lp[j], ex_lq[j]
        ok, sc, da, db = _exchange(
            leg_amax[lp],
            leg_amax[lq],
            leg_k[lp],
            leg_k[lq],
            ex_sal[j, 0],
            ex_sal[j, 1],
            ex_sal[j, 2],
            ex_sal[j, 3],
            ex_rate[j],
            rks,
        )
        if ok and leg_ok[lp] and leg_ok[lq]:
            # compact in place: j >= n_live
            ex_lp[n_live] = lp
            ex_lq[n_live] = lq
            ex_rank[n_live] = ex_rank[j]
            ex_sal[n_live] = ex_sal[j]
            ex_rate[n_live] = ex_rate[j]
            score[n_live] = sc
            size_a[n_live] = da
            size_b[n_live] = db
            n_live += 1
    if n_live == 0:
        return 0, log, n_log
    n_ex = n_live
    alive = np.ones(n_ex, dtype=np.bool_)

    # legs of the live exchanges, listed per issue; the live exchanges of each leg
    leg_uses = np.zeros(n_legs, dtype=np.int64)
    for j in range(n_ex):
        leg_uses[ex_lp[j]] += 1
        leg_uses[ex_lq[j]] += 1
    issue_start = np.zeros(n_i + 1, dtype=np.int64)
    leg_start = np.zeros(n_legs + 1, dtype=np.int64)
    for g in range(n_legs):
        leg_start[g + 1] = leg_start[g] + leg_uses[g]
        if leg_uses[g] > 0:
            issue_start[leg_issue[g] + 1] += 1
    for i in range(n_i):
        issue_start[i + 1] += issue_start[i]
    issue_n = np.zeros(n_i, dtype=np.int64)
    issue_legs = np.empty(issue_start[n_i], dtype=np.int64)
    for g in range(n_legs):
        if leg_uses[g] > 0:
            i = leg_issue[g]
            issue_legs[issue_start[i] + issue_n[i]] = g
            issue_n[i] += 1
    leg_n = np.zeros(n_legs, dtype=np.int64)
    leg_ex = np.empty(2 * n_ex, dtype=np.int64)
    for j in range(n_ex):
        g = ex_lp[j]
        leg_ex[leg_start[g] + leg_n[g]] = j
        leg_n[g] += 1
        g = ex_lq[j]
        leg_ex[leg_start[g] + leg_n[g]] = j
        leg_n[g] += 1

    # max-tree over the scores (dead exchanges hold -inf)
    leaf0 = 1
    while leaf0 < n_ex:
        leaf0 *= 2
    tree = np.full(2 * leaf0, _NEG_INF)
    tree[leaf0 : leaf0 + n_ex] = score[:n_ex]
    for node in range(leaf0 - 1, 0, -1):
        left = tree[2 * node]
        right = tree[2 * node + 1]
        tree[node] = left if left >= right else right
    stack = np.empty(128, dtype=np.int64)
    changed = np.empty(n_legs, dtype=np.int64)

    # 3. steps
    n_exec = 0
    while True:
        top = tree[1]
        if top == _NEG_INF:
            break
        threshold = top - _TIE * abs(top)
        # the lowest rank among the exchanges scoring within the tie tolerance of the top
        best = -1
        best_rank = 0
        depth = 1
        stack[0] = 1
        while depth > 0:
            depth -= 1
            node = stack[depth]
            if tree[node] < threshold:
                continue
            if node >= leaf0:
                j = node - leaf0
                if best < 0 or ex_rank[j] < best_rank:
                    best = j
                    best_rank = ex_rank[j]
            else:
                stack[depth] = 2 * node + 1
                stack[depth + 1] = 2 * node
                depth += 2
        j = best
        lp, lq = ex_lp[j], ex_lq[j]
        dv, du = leg_dir[lp], leg_dir[lq]
        v, p = leg_mover[lp], leg_issue[lp]
        u, q = leg_mover[lq], leg_issue[lq]
        move_v = size_a[j] / leg_k[lp]
        move_u = size_b[j] / leg_k[lq]
        y[v, p] += dv * move_v
        y[u, q] += du * move_u
        outcome[p] += dv * size_a[j]
        outcome[q] += du * size_b[j]
        moved[v, p] = dv
        moved[u, q] = du
        if do_log:
            if n_log == log.shape[0]:
                bigger = np.empty((2 * n_log, 8))
                bigger[:n_log] = log
                log = bigger
            log[n_log, 0] = rnd
            log[n_log, 1] = u
            log[n_log, 2] = v
            log[n_log, 3] = p
            log[n_log, 4] = q
            log[n_log, 5] = score[j]
            log[n_log, 6] = dv * move_v
            log[n_log, 7] = du * move_u
            n_log += 1
        n_exec += 1
        alive[j] = False
        score[j] = _NEG_INF
        _tree_set(tree, leaf0, j, _NEG_INF)
        leg_uses[lp] -= 1
        leg_uses[lq] -= 1

        # recompute the legs on the two issues that moved (dropping unused ones) ...
        n_changed = 0
        for i in (p, q):
            start = issue_start[i]
            h = 0
            while h < issue_n[i]:
                g = issue_legs[start + h]
                if leg_uses[g] == 0:
                    issue_n[i] -= 1
                    issue_legs[start + h] = issue_legs[start + issue_n[i]]
                    continue
                mv = leg_mover[g]
                amax, direction, ok = _leg(
                    leg_target[g], y[mv, i], outcome[i], leg_k[g], moved[mv, i]
                )
                if amax != leg_amax[g] or direction != leg_dir[g] or ok != leg_ok[g]:
                    leg_amax[g] = amax
                    leg_dir[g] = direction
                    leg_ok[g] = ok
                    changed[n_changed] = g
                    n_changed += 1
                h += 1
        # ... then the live exchanges with a changed leg
        for c in range(n_changed):
            g = changed[c]
            start = leg_start[g]
            h = 0
            while h < leg_n[g]:
                e = leg_ex[start + h]
                if not alive[e]:
                    leg_n[g] -= 1
                    leg_ex[start + h] = leg_ex[start + leg_n[g]]
                    continue
                h += 1
                ep, eq = ex_lp[e], ex_lq[e]
                ok, sc, da, db = _exchange(
                    leg_amax[ep],
                    leg_amax[eq],
                    leg_k[ep],
                    leg_k[eq],
                    ex_sal[e, 0],
                    ex_sal[e, 1],
                    ex_sal[e, 2],
                    ex_sal[e, 3],
                    ex_rate[e],
                    rks,
                )
                size_a[e] = da
                size_b[e] = db
                if ok and leg_ok[ep] and leg_ok[eq]:
                    if sc != score[e]:
                        score[e] = sc
                        _tree_set(tree, leaf0, e, sc)
                else:
                    alive[e] = False
                    score[e] = _NEG_INF
                    _tree_set(tree, leaf0, e, _NEG_INF)
                    leg_uses[ep] -= 1
                    leg_uses[eq] -= 1
    return n_exec, log, n_log


@numba.njit(cache=True, error_model="numpy")
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

    Returns:
        Voting positions after each round, round 0 being ``x0`` (D, R + 1, A, I); the
        exchanges made per draw and round (D, R); and the exchanges of draw 0, one row
        each: round, demander of p, demander of q, p, q, score, move on p, move on q.
    """
    n_d, n_a, n_i = x0.shape
    x = x0.copy()
    voting = [x0.copy()]
    counts = []
    active = np.ones(n_d, dtype=np.bool_)
    log = np.empty((64, 8))
    n_log = 0
    for r in range(rounds):
        y = x.copy()
        n_exec = np.zeros(n_d, dtype=np.int64)
        for d in range(n_d):
            if not active[d]:
                continue  # no exchange last round: none this round either
            n, log, n_log = _round(
                x[d], s[d], w[d], total[d], a_place, i_place, rks, y[d], log, n_log, d == 0, r + 1
            )
            n_exec[d] = n
            if n == 0:
                active[d] = False
        voting.append(y)
        counts.append(n_exec)
        x = x + keep * (y - x)
        if not active.any():
            break
    n_r = len(counts)
    traj = np.empty((n_d, n_r + 1, n_a, n_i))
    made = np.zeros((n_d, n_r), dtype=np.int64)
    for r in range(n_r + 1):
        traj[:, r] = voting[r]
    for r in range(n_r):
        made[:, r] = counts[r]
    return traj, made, log[:n_log].copy()
