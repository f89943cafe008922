"""Building blocks of KTAB's spatial model of politics, in numpy.

Salience-weighted distances, utilities with risk attitudes, votes, coalition strengths,
victory probabilities, the conditional probabilistic Condorcet election and the risk
attitudes inferred from it. Every function works on a leading batch axis ``D``. The
turns built from them are in :mod:`zopa.models.spatial_numpy`; see
:mod:`zopa.models.spatial` for the citations and the deviations from KTAB.

Conventions (KTAB's): ``u[..., i, j]`` is the utility to actor ``i`` of the position held
by actor ``j``; ``c[..., a, b]`` is the strength of the coalition preferring option ``a``
to option ``b``; ``pv[..., a, b]`` is the probability that ``a`` defeats ``b``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

VotingRule = Literal["binary", "prop_bin", "proportional", "prop_cubic", "cubic"]
BigRRange = Literal["min", "mid", "max"]
BigRAdjust = Literal["none", "one_third", "half", "two_thirds", "full"]

# KTAB's small constants (kmodel.cpp: Model::coalitions; Model::vote).
MIN_COALITION = 1e-8  # floor on every coalition strength, avoids 0/0
BINARY_VOTE_TOLERANCE = 1e-8  # utility difference at which a binary vote saturates


class SalienceWeights(NamedTuple):
    """Squared saliences and their per-actor sums, fixed for a whole run."""

    squared: NDArray[np.float64]  # (D, A, K) s_ik^2
    total: NDArray[np.float64]  # (D, A, 1) sum_k s_ik^2, 1 where it is 0


def salience_weights(salience: NDArray[np.float64]) -> SalienceWeights:
    """The squared saliences used by :func:`weighted_distance`."""
    s2 = salience * salience
    den = s2.sum(axis=-1, keepdims=True)
    return SalienceWeights(s2, np.where(den > 0, den, 1.0))


def weighted_distance(
    ideal: NDArray[np.float64],
    position: NDArray[np.float64],
    salience: NDArray[np.float64] | SalienceWeights,
) -> NDArray[np.float64]:
    """Salience-weighted distance from each actor's ideal to every actor's position.

    ``d[..., i, j] = sqrt(sum_k (s_ik (x_ik - y_jk))^2 / sum_k s_ik^2)``, KTAB's
    ``SMPModel::bvDiff``: a weighted root mean square, so it stays in ``[0, 1]`` when
    positions do. An actor with no salience on any issue is at distance 0 from
    everything (KTAB rejects such an actor).

    Args:
        ideal: (D, A, K) the actors' ideal points.
        position: (D, B, K) the positions to measure.
        salience: (D, A, K) the ideal holders' saliences, or their
            :func:`salience_weights`.

    Returns:
        (D, A, B) distances.
    """
    w = salience if isinstance(salience, SalienceWeights) else salience_weights(salience)
    diff = ideal[:, :, None, :] - position[:, None, :, :]
    diff *= diff
    num = np.einsum("dabk,dak->dab", diff, w.squared)
    # with no salience at all the numerator is 0 too: distance 0
    out: NDArray[np.float64] = np.sqrt(num / w.total)
    return out


def utility(distance: NDArray[np.float64], risk: NDArray[np.float64]) -> NDArray[np.float64]:
    """KTAB's risk-adjusted utility of a distance (``SMPModel::bsUtil``).

    ``u = (1 - d)(1 + d R)`` for ``d <= 1`` (and ``(1 - d)(1 + R)`` beyond, which only
    round-off reaches). ``R = 0`` is risk neutral (linear), ``R = 1`` risk averse
    (``1 - d^2``), ``R = -1/2`` risk seeking.
    """
    # min(d, 1) is d itself below 1, so this is KTAB's two-branch formula
    out: NDArray[np.float64] = (1.0 - distance) * (1.0 + np.minimum(distance, 1.0) * risk)
    return out


def vote(
    rule: VotingRule,
    weight: NDArray[np.float64],
    u_a: NDArray[np.float64],
    u_b: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Influence an actor of ``weight`` exerts for option ``a`` over ``b`` (``Model::vote``).

    Positive means support for ``a``; see :func:`vote_difference`.
    """
    return vote_difference(rule, weight, u_a - u_b)


def vote_difference(
    rule: VotingRule, weight: NDArray[np.float64], du: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The vote of an actor of ``weight`` whose utility gain from ``a`` over ``b`` is ``du``.

    Proportional voting is ``w du``; binary is ``w sign(du)`` with a linear ramp of
    width 1e-8; ``prop_bin`` mixes 80 % proportional with 20 % binary; ``prop_cubic``
    mixes 50 % proportional with 50 % cubic; ``cubic`` is ``w du^3`` (KTAB
    ``Model::vote``).
    """
    if rule == "proportional":
        out: NDArray[np.float64] = weight * du
    elif rule == "binary":
        out = weight * np.clip(du / BINARY_VOTE_TOLERANCE, -1.0, 1.0)
    elif rule == "prop_bin":
        out = weight * (0.8 * du + 0.2 * np.clip(du / BINARY_VOTE_TOLERANCE, -1.0, 1.0))
    elif rule == "prop_cubic":
        out = weight * (0.5 * du + 0.5 * du * du * du)
    elif rule == "cubic":
        out = weight * (du * du * du)
    else:
        raise ValueError(f"unknown voting rule {rule!r}")
    return out


def coalition_strength(
    rule: VotingRule, weight: NDArray[np.float64], u: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Strength of the coalition for each option against each other (``Model::coalitions``).

    ``c[..., a, b] = 1e-8 + sum_n max(v_n(a:b), 0)`` with ``v_n`` the vote of actor ``n``
    of weight ``w_n`` given its utilities ``u[..., n, :]`` for the options. The voters
    are added in their order, starting from the floor, as KTAB does.

    Args:
        rule: The voting rule.
        weight: (D, N) voting weights.
        u: (D, N, O) utility to each voter of each option.

    Returns:
        (D, O, O) coalition strengths (diagonal: the floor).
    """
    votes = vote(rule, weight[:, :, None, None], u[:, :, :, None], u[:, :, None, :])
    # summed over the voters (a leading axis, so in order) starting from the floor; the
    # diagonal is the floor itself, as every vote of an option against itself is 0
    c: NDArray[np.float64] = np.add.reduce(np.maximum(votes, 0.0), axis=1, initial=MIN_COALITION)
    return c


def victory_probability(coalition: NDArray[np.float64], power: float) -> NDArray[np.float64]:
    """Pairwise victory probabilities from coalition strengths (``Model::vProb``).

    ``pv[a, b] = c_ab^γ / (c_ab^γ + c_ba^γ)`` with ``γ = power`` (KTAB's VPModel: Linear
    1, Square 2, Quartic 4, Octic 8); ``pv[a, a] = 1/2``.
    """
    x = coalition if power == 1.0 else coalition**power
    # on the diagonal x / (x + x) is exactly 1/2
    pv: NDArray[np.float64] = x / (x + x.swapaxes(-1, -2))
    return pv


def condorcet_probability(
    pv: NDArray[np.float64], valid: NDArray[np.bool_] | None = None
) -> NDArray[np.float64]:
    """Probabilistic Condorcet election, conditional model (``Model::condPCE``).

    The probability that option ``a`` is the outcome is the probability that it beats
    every other option, ``prod_b pv[a, b]``, conditioned on one option doing so (the
    products normalised to sum to 1). Options outside ``valid`` take no part.

    Args:
        pv: (..., O, O) pairwise victory probabilities.
        valid: (..., O) which options exist; all when ``None``.

    Returns:
        (..., O) probabilities, 0 for invalid options.
    """
    if valid is not None:
        pv = np.where(valid[..., None, :], pv, 1.0)
    # multiply over the opponents in order (axis moved off the last position so that
    # the product runs sequentially, as in KTAB)
    prod = np.multiply.reduce(pv.swapaxes(-1, -2), axis=-2)
    if valid is not None:
        prod = np.where(valid, prod, 0.0)
    total = np.add.reduce(prod, axis=-1, keepdims=True)
    out: NDArray[np.float64] = prod / total
    return out


def risk_from_probability(p: NDArray[np.float64], big_r_range: BigRRange) -> NDArray[np.float64]:
    """Risk attitudes inferred from each position's probability (``Model::bigRfromProb``).

    The actor whose position is most likely to win is the most risk averse (it has most
    to lose), the least likely the most risk seeking. ``mid`` maps ``[p_min, p_max]``
    linearly onto ``[-1/2, 1]``, ``min`` onto ``[0, 1]`` and ``max`` onto ``[-1, 1]``.
    Where every probability is equal (e.g. all actors agree) the attitudes are 0.
    """
    p_min = np.minimum.reduce(p, axis=-1, keepdims=True)
    p_max = np.maximum.reduce(p, axis=-1, keepdims=True)
    spread = p_max - p_min
    safe = np.where(spread > 0, spread, 1.0)
    if big_r_range == "mid":
        r = (3 * p - (p_max + 2 * p_min)) / (2 * safe)
    elif big_r_range == "min":
        r = (p - p_min) / safe
    elif big_r_range == "max":
        r = (2 * p - (p_max + p_min)) / safe
    else:
        raise ValueError(f"unknown risk range {big_r_range!r}")
    return np.where(spread > 0, r, 0.0)


def perceived_risk(risk: NDArray[np.float64], adjust: BigRAdjust) -> NDArray[np.float64]:
    """Actor ``h``'s estimate of actor ``i``'s risk attitude (``Model::estNRA``).

    Anchoring and adjustment: ``h`` starts from its own attitude ``r_h`` and moves a
    fraction (none, 1/3, 1/2, 2/3 or all) of the way to ``r_i``.

    Args:
        risk: (D, A) the actors' risk attitudes.
        adjust: How far ``h`` adjusts towards ``r_i``.

    Returns:
        (D, H, A) estimates ``r[h, i]``.
    """
    rh = risk[:, :, None]
    ri = risk[:, None, :]
    if adjust == "full":
        return np.broadcast_to(ri, (risk.shape[0], risk.shape[1], risk.shape[1])).copy()
    if adjust == "two_thirds":
        return (rh + 2.0 * ri) / 3.0
    if adjust == "half":
        return (rh + ri) / 2
    if adjust == "one_third":
        return (2.0 * rh + ri) / 3.0
    if adjust == "none":
        return np.broadcast_to(rh, (risk.shape[0], risk.shape[1], risk.shape[1])).copy()
    raise ValueError(f"unknown risk adjustment {adjust!r}")


def risk_attitudes(
    distance: NDArray[np.float64],
    capability: NDArray[np.float64],
    *,
    rule: VotingRule,
    power: float,
    big_r_range: BigRRange,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Risk attitudes from a risk-neutral election over the actors' positions.

    KTAB (``SMPState::setAllAUtil``): with risk-neutral utilities ``1 - d``, every
    actor votes (weight = capability) in each pairwise contest between positions; the
    conditional probabilistic Condorcet election gives each position's probability,
    from which :func:`risk_from_probability` infers the attitudes.

    Returns:
        (risk (D, A), probability of each position (D, A)).
    """
    u = 1.0 - distance
    c = coalition_strength(rule, capability, u)
    p = condorcet_probability(victory_probability(c, power))
    return risk_from_probability(p, big_r_range), p
