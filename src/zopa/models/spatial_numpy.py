"""The SMP's turns in numpy: the plain path for small single-draw problems.

zopa's vectorised implementation of KTAB's spatial model of politics: one turn of
``SMPState::doBCN`` (challenges with third-party commitment, bargains, the Condorcet
choice among bargains), the turn loop with its stopping rule, and the final state's
election, built from :mod:`zopa.models.spatial_votes`. Every function works on a
leading batch axis ``D``. See :mod:`zopa.models.spatial` for the citations, the
deviations from KTAB and when :class:`~zopa.models.spatial.SpatialModel` takes this
path rather than the compiled kernel (:mod:`zopa.models.kernels.spatial`). The two are
independent implementations of the same arithmetic, in the same order, and give the
same numbers bit for bit (the tests compare them); this module does not import numba.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

from zopa.models.spatial_votes import (
    SalienceWeights,
    VotingRule,
    coalition_strength,
    condorcet_probability,
    perceived_risk,
    risk_attitudes,
    salience_weights,
    utility,
    victory_probability,
    vote,
    vote_difference,
    weighted_distance,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.models.spatial import SpatialModel

ThirdPartyCommit = Literal["none", "semi", "full"]
BargainInterpolation = Literal["s1p1", "s2p2", "s2pmax"]

MIN_CHALLENGE_COALITION = 1e-10  # KTAB SMPState::probEduChlg minCltn
MIN_CHALLENGE_GAIN = 1e-5  # KTAB SMPState::bestChallenge minSigEDU
MIN_BARGAIN_WEIGHT = 1e-6  # KTAB SMPActor::interpBrgn* minW


def _vote_in_place(
    rule: VotingRule, weight: NDArray[np.float64], du: NDArray[np.float64]
) -> NDArray[np.float64]:
    """:func:`vote_difference`, overwriting ``du`` where the rule allows (proportional)."""
    if rule == "proportional":
        du *= weight
        return du
    return vote_difference(rule, weight, du)


def challenge_gains(
    u: NDArray[np.float64],
    capability: NDArray[np.float64],
    total_salience: NDArray[np.float64],
    *,
    rule: VotingRule,
    commit: ThirdPartyCommit,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each actor's estimate of winning against, and gaining from challenging, each rival.

    KTAB ``SMPState::probEduChlg(h=i, k=i, i, j)``. From ``i``'s perspective (utilities
    ``U = u[:, i]``), the principals vote with weight salience x capability; each
    third party ``n`` first estimates the little three-actor contest (``Actor::
    vProbLittle``) and then votes for the side it would rather join
    (``Actor::thirdPartyVoteSU``). With ``p`` the share of
    the coalition behind ``i`` and ``s_j`` the target's total salience, the expected
    utility of challenging is ``(1 - s_j) 2U_ii + s_j (p 2U_ii + (1 - p) 2U_ij)``
    against ``U_ii + U_ij`` for the status quo.

    Args:
        u: (D, H, A, A) utilities by perspective: ``u[:, h, a, b]`` is ``h``'s estimate
            of the utility to ``a`` of ``b``'s position.
        capability: (D, A) capabilities.
        total_salience: (D, A) each actor's salience summed over issues.
        rule: Voting rule.
        commit: Third-party commitment.

    Returns:
        (p, gain), each (D, I, J): ``i``'s estimate of the probability that it defeats
        ``j`` and of its expected gain from challenging ``j`` (diagonal meaningless).
    """
    a = capability.shape[1]
    lay = _layout(a)
    ar = lay.ar
    own_ii = u[:, ar, ar, ar]  # (D, I)        U_i(i, i)
    u_i_ij = u[:, ar, ar, :]  # (D, I, J)     U_i(i, j)
    u_i_ji = u.diagonal(axis1=1, axis2=3).swapaxes(1, 2)  # (D, I, J)  U_i(j, i)
    u_i_jj = u.diagonal(axis1=2, axis2=3)  # (D, I, J)  U_i(j, j)
    power = total_salience * capability  # (D, A)
    c_i = vote(rule, power[:, :, None], own_ii[:, :, None], u_i_ij)  # i's contribution
    c_j = vote(rule, power[:, None, :], u_i_ji, u_i_jj)  # j's contribution
    base_ij = MIN_CHALLENGE_COALITION + np.maximum(c_i, 0.0) + np.maximum(c_j, 0.0)
    base_ji = MIN_CHALLENGE_COALITION + np.maximum(-c_i, 0.0) + np.maximum(-c_j, 0.0)

    # third parties n on axis 1: arrays (D, N, I, J), so sums over n run in order
    u_ni = u.diagonal(axis1=1, axis2=3)[:, :, :, None]  # U_i(n, i): (D, N, I, 1)
    u_nj = u.transpose(0, 2, 1, 3)  # U_i(n, j): (D, N, I, J)
    u_nn = u_i_jj.transpose(0, 2, 1)[:, :, :, None]  # U_i(n, n): (D, N, I, 1)
    w_n = power[:, :, None, None]
    # n's vote in the little contest of i, j and n alone (Actor::vProbLittle); the
    # (D, N, I, J) buffers are reused in place, as this is the costliest stage
    little = _vote_in_place(rule, w_n, u_ni - u_nj)
    c_ni = np.maximum(little, 0.0)
    c_nj = np.subtract(c_ni, little, out=little)  # = max(-little, 0)
    c_ni += base_ij[:, None]
    c_nj += base_ji[:, None]
    spare = c_ni + c_nj
    p_little = np.divide(c_ni, spare, out=c_ni)
    # n's vote between joining i and joining j (Actor::thirdPartyVoteSU)
    if commit == "semi":
        # u(join i) - u(join j) = p (u_nn - u_ni) + (1 - p)(u_nj - u_nn): with semi-
        # commitment a third party on the winning side keeps its position, on the
        # losing side it is pulled to the winner's
        stay = np.subtract(u_nj, u_nn, out=spare)
        du = np.subtract(u_nn - u_ni, stay, out=c_nj)
        du *= p_little
        du += stay
        v_n = _vote_in_place(rule, w_n, du)
    elif commit in ("full", "none"):
        # KTAB uses one probability for "ik beats j" and "i beats jk", so with full or
        # no commitment both sides are worth the same: third parties cast no vote
        v_n = np.zeros_like(c_nj)
    else:
        raise ValueError(f"unknown third-party commitment {commit!r}")
    v_n *= lay.third  # third parties only: n differs from both principals
    # coalitions grow from the principals' base, third parties added in order
    for_i = np.maximum(v_n, 0.0, out=p_little)
    for_j = np.subtract(for_i, v_n, out=spare)  # = max(-v_n, 0)
    for_i[:, 0] += base_ij
    for_j[:, 0] += base_ji
    ch_ij = np.add.reduce(for_i, axis=1)
    ch_ji = np.add.reduce(for_j, axis=1)
    p_ij = ch_ij / (ch_ij + ch_ji)
    p_ji = ch_ji / (ch_ij + ch_ji)

    u_vict = own_ii[:, :, None] + own_ii[:, :, None]
    u_lose = u_i_ij + u_i_ij
    u_sq = own_ii[:, :, None] + u_i_ij
    s_j = total_salience[:, None, :]
    u_contest = p_ij * u_vict + p_ji * u_lose
    u_challenge = (1 - s_j) * u_vict + s_j * u_contest
    return p_ij, u_challenge - u_sq


def best_targets(
    p: NDArray[np.float64], gain: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.bool_], NDArray[np.float64]]:
    """Each actor's most advantageous target (``SMPState::bestChallenge``).

    The rival with the largest expected gain, if that gain exceeds 1e-5; ties go to the
    lowest index.

    Returns:
        (target (D, A), has_target (D, A), p of defeating the target (D, A)).
    """
    a = gain.shape[-1]
    ok = (gain > MIN_CHALLENGE_GAIN) & ~_layout(a).eye
    masked = np.where(ok, gain, -np.inf)
    target: NDArray[np.intp] = masked.argmax(axis=-1)
    has: NDArray[np.bool_] = np.logical_or.reduce(ok, axis=-1)
    rows = np.arange(p.shape[0])[:, None]
    p_t: NDArray[np.float64] = p[rows, _layout(a).ar[None, :], target]
    return target, has, p_t


def interpolate_bargains(
    pos_i: NDArray[np.float64],
    sal_i: NDArray[np.float64],
    p_i: NDArray[np.float64],
    pos_j: NDArray[np.float64],
    sal_j: NDArray[np.float64],
    method: BargainInterpolation,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The positions an initiator ``i`` proposes for itself and its target ``j``.

    KTAB ``SMPActor::interpolateBrgn``, issue by issue. ``s1p1`` / ``s2p2``: both move to
    the mean of their positions weighted by ``(s p)^n`` (``n`` = 1 or 2), where ``s`` is
    the actor's salience on the issue and ``p`` its estimated probability of winning
    (``1 - p`` for ``j``); a 1e-6 weight keeps each at its own position when neither
    cares, and the result is rounded to 4 decimals on the 0..1 scale (0.01 on 0..100).
    ``s2pmax``: each concedes a share of the distance set by the probability gap.

    Args:
        pos_i: (..., K) the initiator's position.
        sal_i: (..., K) the initiator's saliences.
        p_i: (...) the initiator's estimate of its probability of winning.
        pos_j: (..., K) the target's position.
        sal_j: (..., K) the target's saliences.
        method: The interpolation rule.

    Returns:
        (new position of i, new position of j), each (..., K).
    """
    prob_i = p_i[..., None]
    prob_j = 1.0 - prob_i
    if method in ("s1p1", "s2p2"):
        if method == "s2p2":
            w_i = (sal_i * sal_i) * (prob_i * prob_i)
            w_j = (sal_j * sal_j) * (prob_j * prob_j)
        else:
            w_i = sal_i * prob_i
            w_j = sal_j * prob_j
        den = w_i + MIN_BARGAIN_WEIGHT + w_j
        b_i = ((w_i + MIN_BARGAIN_WEIGHT) * pos_i + w_j * pos_j) / den
        b_j = (w_i * pos_i + (MIN_BARGAIN_WEIGHT + w_j) * pos_j) / den
        return _round4(b_i), _round4(b_j)
    if method == "s2pmax":
        d_i = np.maximum(prob_j - prob_i, 0.0)
        d_j = np.maximum(prob_i - prob_j, 0.0)
        si2 = sal_i * sal_i
        sj2 = sal_j * sal_j
        f_i = (d_i * sj2) / ((d_i * sj2) + MIN_BARGAIN_WEIGHT + ((1 - d_i) * si2))
        f_j = (d_j * si2) / ((d_j * si2) + MIN_BARGAIN_WEIGHT + ((1 - d_j) * sj2))
        return pos_i + f_i * (pos_j - pos_i), pos_j + f_j * (pos_i - pos_j)
    raise ValueError(f"unknown bargain interpolation {method!r}")


def _round4(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """KTAB's ``round4``: ``(int)(0.5 + 10000 x) / 10000`` (x >= 0 here)."""
    return np.floor(0.5 + x * 10000.0) / 10000.0


def choose_bargains(
    position: NDArray[np.float64],
    salience: NDArray[np.float64] | SalienceWeights,
    capability: NDArray[np.float64],
    risk: NDArray[np.float64],
    own_utility: NDArray[np.float64],
    target: NDArray[np.intp],
    has_target: NDArray[np.bool_],
    bargain_init: NDArray[np.float64],
    bargain_rcvr: NDArray[np.float64],
    *,
    rule: VotingRule,
    power: float,
    uniform: NDArray[np.float64] | None,
) -> NDArray[np.float64]:
    """Every actor's new position: the bargain (or status quo) the electorate favours.

    KTAB ``SMPState::doBCN``. Each bargain (initiator ``i`` and its target move, every
    other actor stays) is valued by every actor ``n`` as the mean utility to ``n`` of
    the actors' positions after it; the status quo likewise. For each actor ``k`` the
    options are the status quo and the bargains it is party to, in KTAB's order (those
    of lower-index initiators targeting ``k``, the status quo, ``k``'s own, those of
    higher-index initiators). All actors vote over those options (weight =
    capability), the conditional probabilistic Condorcet election gives their
    probabilities, and ``k`` takes the most probable (first on ties) — or, when
    ``uniform`` is given, the first of its options (in KTAB's order) at which the
    cumulative probability reaches ``k``'s number, its last option should rounding leave
    the total just below the number.

    Args:
        position: (D, A, K) current positions.
        salience: (D, A, K) saliences (or their :func:`salience_weights`).
        capability: (D, A) capabilities.
        risk: (D, A) risk attitudes.
        own_utility: (D, A, A) ``u[n, m]``, the utility to ``n`` of ``m``'s position.
        target: (D, A) each initiator's target.
        has_target: (D, A) whether each actor proposes a bargain.
        bargain_init: (D, A, K) the position each initiator proposes for itself.
        bargain_rcvr: (D, A, K) the position it proposes for its target.
        rule: Voting rule.
        power: Victory-probability exponent γ.
        uniform: (D, A) one uniform number per actor for the stochastic transition;
            ``None`` for the deterministic one.

    Returns:
        (D, A, K) new positions.
    """
    d, a, _ = position.shape
    lay = _layout(a)
    rows = np.arange(d)[:, None]
    # utility to voter n of each bargain's two new positions (initiator's, target's)
    moved = np.concatenate([bargain_init, bargain_rcvr], axis=1)  # (D, 2I, K)
    u_moved = utility(weighted_distance(position, moved, salience), risk[:, :, None])
    total = np.add.reduce(own_utility, axis=-1, keepdims=True)  # (D, N, 1)
    u_unmoved_j = own_utility[rows[:, :, None], lay.ar[None, :, None], target[:, None, :]]
    u_bargain = (u_moved[:, :, :a] + u_moved[:, :, a:] + (total - own_utility - u_unmoved_j)) / a
    # global options: bargains 0..A-1, then the status quo at index A
    u_opt = np.concatenate([u_bargain, total / a], axis=2)
    pv = victory_probability(coalition_strength(rule, capability, u_opt), power)  # (D, G, G)

    # member[d, k, g]: option g is open to k — a bargain k proposes or receives, or the
    # status quo (g = A)
    party = has_target[:, None, :] & (lay.eye[None] | (target[:, None, :] == lay.ar[None, :, None]))
    member = np.concatenate([party, np.ones((d, a, 1), dtype=bool)], axis=2)  # (D, K, G)
    # conditional PCE among k's options: prod over k's options b of pv[g, b]
    beats = np.multiply.reduce(np.where(member[:, :, None, :], pv[:, None, :, :], 1.0), axis=-1)
    beats = np.where(member, beats, 0.0)
    prob_g = beats / np.add.reduce(beats, axis=-1, keepdims=True)  # (D, K, G)
    prob = prob_g[:, lay.ar[:, None], lay.order]  # (D, K, Q): in KTAB's order for ties
    if uniform is None:
        choice = prob.argmax(axis=-1)  # (D, K)
    else:
        # options that are not k's have probability 0 and add nothing to the sums
        cum = np.cumsum(prob, axis=-1)
        open_to_k = np.take_along_axis(member, lay.order[None], axis=2)  # (D, K, Q)
        reached = open_to_k & (cum >= uniform[:, :, None])
        last = a - np.argmax(open_to_k[:, :, ::-1], axis=-1)
        choice = np.where(reached.any(axis=-1), np.argmax(reached, axis=-1), last)
    chosen = lay.order[lay.ar[None, :], choice]  # (D, K) global option
    stay = chosen == a
    initiator = np.where(stay, 0, chosen)
    own_bargain = (initiator == lay.ar[None, :])[..., None]
    new = np.where(own_bargain, bargain_init[rows, initiator], bargain_rcvr[rows, initiator])
    out: NDArray[np.float64] = np.where(stay[..., None], position, new)
    return out


class _Layout(NamedTuple):
    """Index arrays that depend only on the number of actors."""

    ar: NDArray[np.intp]  # (A,) 0..A-1
    eye: NDArray[np.bool_]  # (A, A) identity
    third: NDArray[np.float64]  # (N, I, J) 1 where n is neither i nor j
    order: NDArray[np.intp]  # (K, Q) actor k's options in KTAB order, A = status quo


@functools.lru_cache(maxsize=32)
def _layout(a: int) -> _Layout:
    ar = np.arange(a)
    eye = np.eye(a, dtype=bool)
    third = (ar[:, None, None] != ar[None, :, None]) & (ar[:, None, None] != ar[None, None, :])
    q = np.arange(a + 1)
    order = np.where(q[None, :] < ar[:, None], q[None, :], q[None, :] - 1)
    order = np.where(q[None, :] == ar[:, None], a, order)
    third_f = third.astype(float)
    for arr in (ar, eye, third_f, order):
        arr.setflags(write=False)
    return _Layout(ar, eye, third_f, order)


def run_turns(
    model: SpatialModel,
    position: NDArray[np.float64],
    salience: NDArray[np.float64],
    capability: NDArray[np.float64],
    rng: np.random.Generator | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Every draw's turns with numpy, the draws still running a turn at a time.

    Args:
        model: The settings (voting rule, stopping rule, ...).
        position: (D, A, K) positions on 0..1.
        salience: (D, A, K) saliences (all divided by the largest actor's total when
            that exceeds 1).
        capability: (D, A) capabilities.
        rng: Draws the stochastic transition (each turn, one uniform number per actor
            of every running draw, in the order of the draws); ``None`` for the
            deterministic one.

    Returns:
        The (D, T + 1, A, K) trajectory on 0..1 (draws that stopped earlier repeat
        their last positions) and the (D,) turn counts.
    """
    largest = salience.sum(axis=-1).max(axis=-1)[:, None, None]
    sal = salience / np.maximum(largest, 1.0)
    cap = np.asarray(capability, dtype=float)
    total_sal = sal.sum(axis=-1)
    d = position.shape[0]
    history = [np.array(position, dtype=float)]
    turns = np.zeros(d, dtype=np.int64)
    running = np.arange(d)
    first_step = np.zeros(d)
    for turn in range(1, model.max_turns + 1):
        if running.size == 0:
            break
        before = history[-1][running]
        new = history[-1].copy()
        uniform = None
        if rng is not None:
            uniform = rng.random((running.size, before.shape[1], 1))[:, :, 0]
        step_new = one_turn(model, before, sal[running], total_sal[running],
                            cap[running], uniform)  # fmt: skip
        new[running] = step_new
        step = step_new - before
        moved = np.add.reduce(np.sqrt(np.add.reduce(step * step, axis=-1)), axis=-1)
        if turn == 1:
            first_step = moved + model.min_significant_delta
        turns[running] = turn
        quiet = moved / first_step[running] < model.min_delta_ratio
        done = (turn >= model.max_turns) | ((turn >= model.min_turns) & quiet)
        running = running[~done]
        history.append(new)
    return np.stack(history, axis=1), turns


def one_turn(
    model: SpatialModel,
    pos: NDArray[np.float64],
    sal: NDArray[np.float64],
    total_sal: NDArray[np.float64],
    cap: NDArray[np.float64],
    uniform: NDArray[np.float64] | None,
) -> NDArray[np.float64]:
    """One turn of challenges, bargains and the state transition for every draw.

    ``uniform`` (D, A) drives the stochastic transition (``None``: deterministic).
    """
    weights = salience_weights(sal)
    dist = weighted_distance(pos, pos, weights)
    risk, _ = risk_attitudes(
        dist,
        cap,
        rule=model.voting_rule,
        power=model.victory_power,
        big_r_range=model.big_r_range,
    )
    r_hi = perceived_risk(risk, model.big_r_adjust)  # (D, H, A)
    u = utility(dist[:, None, :, :], r_hi[:, :, :, None])  # (D, H, A, A)
    ar = np.arange(pos.shape[1])
    own = u[:, ar, ar, :]
    p, gain = challenge_gains(
        u, cap, total_sal, rule=model.voting_rule, commit=model.third_party_commit
    )
    target, has_target, p_target = best_targets(p, gain)
    rows = np.arange(pos.shape[0])[:, None]
    b_init, b_rcvr = interpolate_bargains(
        pos, sal, p_target, pos[rows, target], sal[rows, target], model.bargain_interpolation
    )
    return choose_bargains(
        pos, weights, cap, risk, own, target, has_target, b_init, b_rcvr,
        rule=model.voting_rule, power=model.victory_power, uniform=uniform,
    )  # fmt: skip


POSITION_TOLERANCE = 1e-3  # KTAB SMPModel::posTol, on the 0..1 scale


def final_election(
    model: SpatialModel,
    pos: NDArray[np.float64],
    salience: NDArray[np.float64],
    cap: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The final state's election: risk attitudes, position probabilities, their shares.

    KTAB ``SMPState::pDist(-1)``: every actor values the distinct positions (within
    1e-3, first actor first) by its own risk-aware utility and they vote (weight =
    capability, proportional rule) in a probabilistic Condorcet election; each
    position's probability is split equally among the actors holding it.
    """
    largest = salience.sum(axis=-1).max(axis=-1)[:, None, None]
    sal = salience / np.maximum(largest, 1.0)
    dist = weighted_distance(pos, pos, salience_weights(sal))
    risk, _ = risk_attitudes(
        dist,
        cap,
        rule=model.voting_rule,
        power=model.victory_power,
        big_r_range=model.big_r_range,
    )
    r_hi = perceived_risk(risk, model.big_r_adjust)
    own = utility(dist[:, None, :, :], r_hi[:, :, :, None])
    ar = np.arange(pos.shape[1])
    own = own[:, ar, ar, :]
    d, a, _ = pos.shape
    gap = np.linalg.norm(pos[:, :, None, :] - pos[:, None, :, :], axis=-1)
    same = gap < POSITION_TOLERANCE
    unique = np.zeros((d, a), dtype=bool)
    rep = np.zeros((d, a), dtype=np.intp)
    unique[:, 0] = True
    for i in range(1, a):
        earlier = same[:, i, :i] & unique[:, :i]
        has_earlier = earlier.any(axis=1)
        unique[:, i] = ~has_earlier
        rep[:, i] = np.where(has_earlier, np.argmax(earlier, axis=1), i)
    c = coalition_strength("proportional", cap, own)
    prob_opt = condorcet_probability(victory_probability(c, model.victory_power), unique)
    prob = np.take_along_axis(prob_opt, rep, axis=1)
    holders = (rep[:, :, None] == rep[:, None, :]).sum(axis=2)
    return risk, prob, prob / holders
