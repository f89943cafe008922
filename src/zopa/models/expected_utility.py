"""Expected-utility model (EUM) of Bueno de Mesquita, as documented by Scholz et al. (2011).

Every actor holds a position on one issue, a capability and a salience. Each round:

1. **Votes and probabilities.** Actor k's vote in a contest between actors i and j is
   ``v_k^{ij} = c_k s_k (U_ki - U_kj)`` with ``U_ki = 1 - 2|x_k - x_i| / range``. The
   probability that i prevails over j is the vote i gathers over the votes cast,
   ``P_ij = sum_k max(v_k^{ij}, 0) / sum_k |v_k^{ij}|`` (Scholz et al. 2011, eq. 3).
2. **Risk attitudes.** With every risk exponent at 1, actor k's exposure is the sum of
   the expected utilities its rivals see in challenging it, ``S_k = sum_j E(U_jk)``;
   ``R_k = (2 S_k - max S - min S) / (max S - min S)`` and the risk exponent is
   ``r_k = (1 - R_k/3) / (1 + R_k/3)``, in [0.5, 2] (Bueno de Mesquita 1985).
3. **Expected utility of a challenge**, from i's point of view (its own r_i):
   ``E^i(U_ij) = s_j [P_ij U_s + (1 - P_ij) U_f] + (1 - s_j) U_s
   - Q U_sq - (1 - Q)[T U_b + (1 - T) U_w]`` with
   ``U_s = 2 - 4 (0.5 - 0.5 d_ij)^r_i``, ``U_f = 2 - 4 (0.5 + 0.5 d_ij)^r_i``,
   ``U_sq = 2 - 4 * 0.5^r_i``, ``U_b, U_w = 2 - 4 (0.5 -/+ 0.25 e_ij)^r_i``,
   ``d_ij = |x_i - x_j| / range`` and ``e_ij = (|x_i - mu| + |x_i - x_j|) / range``
   (mu: the current weighted median). i also estimates j's expected utility of
   challenging i, ``E^i(U_ji)``, with the same formula and its own exponent r_i.
4. **Offers.** With ``a = E^i(U_ij)`` and ``b = E^i(U_ji)``, j's challenge moves i when
   ``b > a > 0`` (confrontation that i expects to lose: i moves to x_j), when
   ``a < 0 < b`` and ``|a| < b`` (compromise: i moves to ``x_i + (x_j - x_i)|a/b|``), or
   when ``a < 0 < b`` and ``|a| >= b`` (capitulation: i moves to x_j).
5. **Choice and moves.** Each actor takes its best offer; all move at once. Rounds repeat
   until no position changes (within ``tol`` of the scale width) or ``max_rounds``.

The forecast is the capability x salience weighted median of the final positions; the
weighted mean is reported in the diagnostics.

Ambiguities in the literature, as keyword parameters:

* ``probability``: the denominator of P_ij. ``"pairwise"`` (default) sums the absolute
  votes of the i-versus-j contest, as printed in Scholz et al. (2011, eq. 3) and in
  Bueno de Mesquita (1994), so that P_ij + P_ji = 1. ``"global"`` divides by the
  absolute votes summed over every pair of actors, as in the public Python port of the
  authors' code (github.com/jmckib/bdm-scholz-expected-utility-model), which makes every
  probability small. The default follows the printed formula.
* ``risk``: ``"scholz"`` (default) compares an actor's exposure with the largest and
  smallest exposure over all actors, as Scholz et al. (2011) do; ``"neutral"`` fixes
  every r at 1. Bueno de Mesquita's wording suggests comparing an actor's exposure across
  the positions it could hold; no source documents that computation, so it is not
  offered.
* ``offer_choice``: ``"nearest"`` (default) takes the offer needing the least movement,
  as stated by Bueno de Mesquita (1994) and Scholz et al. (2011); ``"type"`` prefers
  confrontation over compromise over capitulation (nearest within a type), the order of
  the port of the authors' code; ``"strongest"`` takes the offer whose proposer expects
  the most from it.
* ``normalise``: the range distances are divided by. ``"positions"`` (default) uses the
  spread of the initial positions, as Scholz et al. do; ``"scale"`` uses the issue's
  scale width.
* ``q`` and ``t``: the probability that the status quo persists if i does not challenge,
  and that it then improves for i. Scholz et al. set Q = 1 (so T has no effect);
  Bueno de Mesquita (1994) uses Q = 0.5 elsewhere.

References:
    Bueno de Mesquita, B. (1985). The war trap revisited. *American Political Science
    Review* 79(1), 156-177.
    Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
    B. Bueno de Mesquita & F. N. Stokman (eds.), *European Community Decision Making*,
    pp. 71-104. Yale University Press.
    Bueno de Mesquita, B. (2002). *Predicting Politics*. Ohio State University Press.
    Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
    group decision model. *Journal of Theoretical Politics* 23(4), 510-531.

Deviations:
    - Issues are modelled independently (the model is one-dimensional); a scenario with
      several issues runs one EUM per issue.
    - Actors without a stance on an issue take no part in it: they neither vote, make,
      receive nor count towards the exposure range of the risk computation. Their
      trajectory stays at the stand-in position of the array view (the scale midpoint).
    - Two actors at the same position do not contest each other (P = 0, no offer), as
      in the public ports; the papers are silent.
    - Ties between equally good offers go to the proposer with the larger expected
      utility, then to the lower resulting position (so that actor order cannot matter).
    - If every exposure is equal, R = 0 and r = 1 (the formula divides by zero).
    - The forecast is the weighted median of the final positions, not a Condorcet
      winner among them; with single-peaked preferences on one dimension they coincide
      (Black 1948) except for ties.
    - A batch member (a draw of an issue) stops when its own positions stop changing;
      the others continue. The trajectory repeats a stopped member's last positions.
      Games are computed in cache-sized blocks and, with the default pairwise
      probabilities and Q = 1, over their participants only; a game's numbers do not
      depend on the other games of the batch.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from zopa.models.base import Forecast, register
from zopa.models.weighted import weighted_mean, weighted_median

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from zopa.scenario import ScenarioArrays

ProbabilityRule = Literal["pairwise", "global"]
RiskRule = Literal["scholz", "neutral"]
OfferChoice = Literal["nearest", "type", "strongest"]
Normalise = Literal["positions", "scale"]

#: Offer kinds as stored in the ``kind`` arrays of the diagnostics (index = code).
OFFER_KINDS: tuple[str, ...] = ("none", "confrontation", "compromise", "capitulation")
NONE, CONFRONTATION, COMPROMISE, CAPITULATION = range(4)


@dataclass(frozen=True, eq=False)
class EumRound:
    """Every quantity of one EUM round, for a batch of ``n`` independent one-issue games.

    The (n, A, A) pair arrays are empty when :func:`eum_round` is called with
    ``details=False``.

    Attributes:
        probability: (n, A, A) P_ij, the probability that i prevails over j.
        risk_exponent: (n, A) r_i.
        eu_own: (n, A, A) E^i(U_ij), i's expected utility of challenging j.
        eu_perceived: (n, A, A) E^i(U_ji), i's estimate of j's utility of challenging i.
        offer_kind: (n, A, A) the offer j makes to i (codes of :data:`OFFER_KINDS`).
        offer_position: (n, A, A) where i would move by accepting j's offer.
        kind: (n, A) kind of the offer i accepts (0 when none).
        proposer: (n, A) index of the actor whose offer i accepts, -1 when none.
        new_position: (n, A) positions after the round.
    """

    probability: NDArray[np.float64]
    risk_exponent: NDArray[np.float64]
    eu_own: NDArray[np.float64]
    eu_perceived: NDArray[np.float64]
    offer_kind: NDArray[np.int8]
    offer_position: NDArray[np.float64]
    kind: NDArray[np.int8]
    proposer: NDArray[np.intp]
    new_position: NDArray[np.float64]


@functools.lru_cache(maxsize=16)
def _search_layout(
    n: int, a: int
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.intp], NDArray[np.intp]]:
    """Index arrays for searching n sorted rows of a values as one flat array.

    Row k's keys are shifted into [2k, 2k + 1], so searches never cross rows.
    """
    idx = np.arange(n)
    offset: NDArray[np.float64] = 2.0 * idx.astype(np.float64)
    out = (idx[:, None], offset, (idx * a)[:, None], (idx * (a + 1))[:, None])
    for arr in out:
        arr.setflags(write=False)
    return out


def contest_probabilities(
    position: NDArray[np.float64],
    weight: NDArray[np.float64],
    low: NDArray[np.float64],
    width: NDArray[np.float64],
    rule: ProbabilityRule = "pairwise",
    method: Literal["direct", "sorted"] = "sorted",
) -> NDArray[np.float64]:
    """P_ij for every pair, from capability x salience weighted votes (n, A) -> (n, A, A).

    Uses the one-dimensional structure instead of the O(A^3) sum over voters: for a
    contest between positions p < q with midpoint m, voters at or below p give their
    whole weight times (q - p) to the lower actor, voters at or above q to the upper one,
    and voters in between give ``|p + q - 2 x_k|`` to the nearer one. Cumulative weight
    sums over the sorted positions evaluate this once the midpoint's place among the
    voters is known (by comparison, or by binary search for very large batches).

    Args:
        position: (n, A) positions.
        weight: (n, A) vote weights c_k s_k (zero for actors outside the game).
        low: (n,) lower end of the scale (for normalising).
        width: (n,) scale width (for normalising).
        rule: ``"pairwise"`` or ``"global"`` denominator (see the module docstring).
        method: ``"sorted"`` (default) uses the cumulative sums; ``"direct"`` sums over
            voters in O(A^3) (the textbook form, kept as a cross-check).
    """
    if rule not in ("pairwise", "global"):
        raise ValueError(f"unknown probability rule {rule!r}; use 'pairwise' or 'global'")
    n, a = position.shape
    if method == "direct":
        return _contest_probabilities_direct(position, weight, rule)
    z = np.minimum(np.maximum((position - low[:, None]) / width[:, None], 0.0), 1.0)
    rows = np.arange(n)[:, None]
    order = np.argsort(z, axis=-1, kind="stable")
    sorted_prob = _sorted_probabilities(z[rows, order], weight[rows, order], rule)
    rank = np.empty_like(order)
    rank[rows, order] = np.arange(a)[None, :]
    return _unsort_pairs(sorted_prob, rank)


def _unsort_pairs(values: NDArray[Any], rank: NDArray[np.intp]) -> NDArray[Any]:
    """(n, A, A) values indexed by sorted ranks -> indexed by actors."""
    n, a = rank.shape
    flat_index = ((np.arange(n)[:, None] * a + rank)[:, :, None] * a) + rank[:, None, :]
    out: NDArray[Any] = values.ravel().take(flat_index)
    return out


def _sorted_probabilities(
    zs: NDArray[np.float64], ws: NDArray[np.float64], rule: ProbabilityRule
) -> NDArray[np.float64]:
    """P between sorted ranks: ``zs`` (n, A) ascending in [0, 1], ``ws`` their vote weights.

    Works on the list of rank pairs a < b only (the lower-ranked actor sits at p = zs_a,
    the other at q = zs_b) and fills both P_ab and P_ba from it.
    """
    n, a = zs.shape
    _, offset, shift, row_base = _search_layout(n, a)
    lo_rank, hi_rank = _rank_pairs(a)
    # cumulative weight (and weight x z) of the first k sorted actors, k = 0..A
    cum_w = np.zeros((n, a + 1))
    cum_g = np.zeros((n, a + 1))
    np.cumsum(ws, axis=-1, out=cum_w[:, 1:])
    np.cumsum(ws * zs, axis=-1, out=cum_g[:, 1:])
    flat_w = cum_w.ravel()
    flat_g = cum_g.ravel()
    total = cum_w[:, -1:]
    # how many sorted actors sit at or below (strictly below) each sorted actor: the
    # end (start) of its run of equal positions, found exactly within each row
    ranks = np.arange(a)
    new_run = np.ones((n, a), dtype=bool)
    np.not_equal(zs[:, 1:], zs[:, :-1], out=new_run[:, 1:])
    lt = np.maximum.accumulate(np.where(new_run, ranks, 0), axis=-1) + row_base
    run_end = np.ones((n, a), dtype=bool)
    run_end[:, :-1] = new_run[:, 1:]
    le = np.minimum.accumulate(np.where(run_end, ranks + 1, a)[:, ::-1], axis=-1)[:, ::-1]
    le = le + row_base
    le_low = le[:, lo_rank]
    lt_high = lt[:, hi_rank]
    f_le, g_le = flat_w.take(le_low), flat_g.take(le_low)
    f_lt, g_lt = flat_w.take(lt_high), flat_g.take(lt_high)
    p = zs[:, lo_rank]
    q = zs[:, hi_rank]
    span = p + q
    mid = 0.5 * span
    if n * a * lo_rank.size <= _COMPARE_LIMIT:
        below = zs[:, None, :] <= mid[..., None]  # a prefix of True along the voters
        at_m = np.argmin(below, axis=-1) + a * below[..., -1] + row_base
    else:
        keys = (zs + offset[:, None]).ravel()
        queries = (mid + offset[:, None]).ravel()
        at_m = np.searchsorted(keys, queries, side="right").reshape(mid.shape)
        at_m += row_base - shift
    f_m = flat_w.take(at_m)
    g_m = flat_g.take(at_m)
    gap = q - p
    support_low = np.maximum(gap * f_le + span * (f_m - f_le) - 2.0 * (g_m - g_le), 0.0)
    support_high = np.maximum(gap * (total - f_lt) + 2.0 * (g_lt - g_m) - span * (f_lt - f_m), 0.0)
    contested = gap > 0
    votes = (support_low + support_high) * contested
    if rule == "global":
        votes = np.broadcast_to(2.0 * votes.sum(axis=-1, keepdims=True), votes.shape)
    contested &= votes > 0
    inverse = contested / (votes + ~contested)
    prob = np.zeros((n, a, a))
    prob[:, lo_rank, hi_rank] = support_low * inverse
    prob[:, hi_rank, lo_rank] = support_high * inverse
    return prob


@functools.lru_cache(maxsize=8)
def _rank_pairs(a: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index arrays of every pair of sorted ranks a < b."""
    lo_rank, hi_rank = np.triu_indices(a, 1)
    lo_rank.setflags(write=False)
    hi_rank.setflags(write=False)
    return lo_rank, hi_rank


_COMPARE_LIMIT = 60_000_000  # n * A^3 up to which midpoints are located by comparison


def _contest_probabilities_direct(
    position: NDArray[np.float64], weight: NDArray[np.float64], rule: ProbabilityRule
) -> NDArray[np.float64]:
    """The textbook O(A^3) sum over voters k of ``w_k (|x_k - x_j| - |x_k - x_i|)``."""
    dist = np.abs(position[:, :, None] - position[:, None, :])  # (n, k, i)
    delta = dist[:, :, None, :] - dist[:, :, :, None]  # (n, k, i, j): d_kj - d_ki
    w = weight[:, :, None, None]
    support = (w * np.maximum(delta, 0.0)).sum(axis=1)
    votes = (w * np.abs(delta)).sum(axis=1)
    if rule == "global":
        votes = np.broadcast_to(votes.sum(axis=(-2, -1), keepdims=True), votes.shape)
    contested = (position[:, :, None] != position[:, None, :]) & (votes > 0)
    prob: NDArray[np.float64] = np.divide(
        support, votes, out=np.zeros_like(support), where=contested
    )
    return prob


def _utility(base: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.float64]:
    """``2 - 4 base^r`` with base in [0, 1]."""
    out: NDArray[np.float64] = 2.0 - 4.0 * np.power(base, r)
    return out


def _status_quo_terms(
    dist: NDArray[np.float64],
    median_gap: NDArray[np.float64] | None,
    r: NDArray[np.float64],
    q: float,
    t: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """What i expects without a challenge, for i challenging j and for j challenging i.

    ``Q U_sq + (1 - Q)[T U_b + (1 - T) U_w]`` with i's exponent r_i; U_b and U_w use
    ``e = (|x_challenger - mu| + |x_i - x_j|) / range``.
    """
    rr = r[:, :, None]
    u_sq = q * (2.0 - 4.0 * np.power(0.5, r))[:, :, None]
    if q >= 1.0 or median_gap is None:
        return u_sq, u_sq

    def passive(e: NDArray[np.float64]) -> NDArray[np.float64]:
        better = _utility(np.maximum(0.5 - 0.25 * e, 0.0), rr)
        worse = _utility(np.minimum(0.5 + 0.25 * e, 1.0), rr)
        out: NDArray[np.float64] = u_sq + (1.0 - q) * (t * better + (1.0 - t) * worse)
        return out

    return passive(median_gap[:, :, None] + dist), passive(median_gap[:, None, :] + dist)


def eum_round(
    position: NDArray[np.float64],
    salience: NDArray[np.float64],
    capability: NDArray[np.float64],
    active: NDArray[np.bool_],
    low: NDArray[np.float64],
    width: NDArray[np.float64],
    distance_range: NDArray[np.float64],
    *,
    probability: ProbabilityRule = "pairwise",
    risk: RiskRule = "scholz",
    offer_choice: OfferChoice = "nearest",
    q: float = 1.0,
    t: float = 1.0,
    details: bool = True,
) -> EumRound:
    """One simultaneous EUM round for ``n`` independent one-issue games of A actors.

    Args:
        position: (n, A) current positions.
        salience: (n, A) saliences in [0, 1].
        capability: (n, A) capabilities.
        active: (n, A) whether the actor takes part in the game.
        low: (n,) lower end of the scale.
        width: (n,) scale width.
        distance_range: (n,) the range distances are divided by in the utilities.
        probability: Denominator rule for P_ij.
        risk: Risk-exponent rule.
        offer_choice: How an actor picks among the offers it receives.
        q: Probability that the status quo persists when i does not challenge.
        t: Probability that it then improves for i.
        details: Also return the (n, A, A) pair quantities (empty arrays otherwise).

    Returns:
        Every intermediate quantity of the round (see :class:`EumRound`).
    """
    if risk not in ("scholz", "neutral"):
        raise ValueError(f"unknown risk rule {risk!r}; use 'scholz' or 'neutral'")
    if offer_choice not in ("nearest", "type", "strongest"):
        raise ValueError(
            f"unknown offer choice {offer_choice!r}; use 'nearest', 'type' or 'strongest'"
        )
    n, a = position.shape
    rows = np.arange(n)[:, None]
    order = np.argsort(position, axis=-1, kind="stable")
    rank = np.empty_like(order)
    rank[rows, order] = np.arange(a)[None, :]
    res = _round_sorted(
        position[rows, order],
        salience[rows, order],
        capability[rows, order],
        active[rows, order],
        low,
        width,
        distance_range,
        probability,
        risk,
        offer_choice,
        q,
        t,
    )
    by_rank = res.proposer[rows, rank]
    proposer = np.where(by_rank >= 0, order[rows, np.maximum(by_rank, 0)], -1)
    if details:
        pairs = [
            _unsort_pairs(v, rank)
            for v in (
                res.probability,
                res.eu_own,
                res.eu_perceived,
                res.offer_kind,
                res.offer_position,
            )
        ]
    else:
        pairs = [np.empty((0, 0, 0))] * 5
    return EumRound(
        probability=pairs[0],
        risk_exponent=res.risk_exponent[rows, rank],
        eu_own=pairs[1],
        eu_perceived=pairs[2],
        offer_kind=pairs[3],
        offer_position=pairs[4],
        kind=res.kind[rows, rank],
        proposer=proposer,
        new_position=res.new_position[rows, rank],
    )


def _round_sorted(
    position: NDArray[np.float64],
    salience: NDArray[np.float64],
    capability: NDArray[np.float64],
    active: NDArray[np.bool_],
    low: NDArray[np.float64],
    width: NDArray[np.float64],
    distance_range: NDArray[np.float64],
    probability: ProbabilityRule,
    risk: RiskRule,
    offer_choice: OfferChoice,
    q: float,
    t: float,
) -> EumRound:
    """:func:`eum_round` on actors sorted by position in every game (indices are ranks)."""
    n, a = position.shape
    sal = salience * active
    z = np.minimum(np.maximum((position - low[:, None]) / width[:, None], 0.0), 1.0)
    prob = _sorted_probabilities(z, capability * sal, probability)
    everyone = bool(active.all())
    # the (n, A, A) arithmetic below reuses its buffers: same operations, fewer passes
    xi = position[:, :, None]
    xj = position[:, None, :]
    gap_abs = np.subtract(xi, xj)
    np.abs(gap_abs, out=gap_abs)
    dist = np.divide(gap_abs, distance_range[:, None, None])
    np.minimum(dist, 1.0, out=dist)
    pair = gap_abs > 1e-12 * width[:, None, None]
    if not everyone:
        pair &= active[:, :, None] & active[:, None, :]
    median_gap: NDArray[np.float64] | None = None
    if q < 1.0:
        w = capability * sal
        mu = weighted_median(position[:, :, None], w[:, :, None])[:, 0]
        mu = np.where(np.isnan(mu), position.mean(axis=-1), mu)
        median_gap = np.minimum(np.abs(position - mu[:, None]) / distance_range[:, None], 1.0)
    s_j = sal[:, None, :]
    s_i = sal[:, :, None]
    lose = np.subtract(1.0, prob)  # 1 - P_ij
    stake = s_j * lose  # s_j (1 - P_ij)

    if risk == "scholz":
        # with every r = 1: U_s = 2d, U_f = -2d, U_sq = 0, U_b = e, U_w = -e, so
        # E^j(U_jk) = 2 d (1 - 2 s_k (1 - P)) (doubling is exact: 2 s (1 - P) = 2 [s (1 - P)])
        own1 = np.multiply(stake, 2.0)
        np.subtract(1.0, own1, out=own1)
        own1 *= dist
        own1 *= 2.0
        if median_gap is not None:
            own1 = own1 - (1.0 - q) * (2.0 * t - 1.0) * (median_gap[:, :, None] + dist)
        own1 *= pair
        exposure = own1.sum(axis=-2)  # S_k = sum_j E^j(U_jk)
        hi = (exposure if everyone else np.where(active, exposure, -np.inf)).max(-1, keepdims=True)
        lo = (exposure if everyone else np.where(active, exposure, np.inf)).min(-1, keepdims=True)
        # a game with no active actor has hi = -inf, lo = inf: use 0 so nothing is NaN
        hi = np.where(np.isfinite(hi), hi, 0.0)
        lo = np.where(np.isfinite(lo), lo, 0.0)
        spread = hi - lo
        big_r = np.divide(
            2.0 * exposure - hi - lo,
            spread,
            out=np.zeros_like(exposure),
            where=(spread > 0) & active,
        )
        r = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
    else:
        r = np.ones((n, a))

    rr = r[:, :, None]
    sq_own, sq_perceived = _status_quo_terms(dist, median_gap, r, q, t)
    half = np.multiply(dist, 0.5)
    u_s = np.subtract(0.5, half)  # U_s = 2 - 4 (0.5 - 0.5 d)^r
    np.power(u_s, rr, out=u_s)
    u_s *= 4.0
    np.subtract(2.0, u_s, out=u_s)
    spread_sf = np.add(half, 0.5, out=half)  # U_f = 2 - 4 (0.5 + 0.5 d)^r
    np.power(spread_sf, rr, out=spread_sf)
    spread_sf *= 4.0
    np.subtract(2.0, spread_sf, out=spread_sf)
    np.subtract(u_s, spread_sf, out=spread_sf)  # U_s - U_f
    # E^i(U_ij) = s_j [P U_s + (1 - P) U_f] + (1 - s_j) U_s - status quo
    #           = U_s - s_j (1 - P) (U_s - U_f) - status quo
    own = np.multiply(stake, spread_sf, out=stake)
    np.subtract(u_s, own, out=own)
    own -= sq_own
    own *= pair
    perceived = np.multiply(s_i, lose.swapaxes(-1, -2))
    perceived *= spread_sf
    np.subtract(u_s, perceived, out=perceived)
    perceived -= sq_perceived
    perceived *= pair

    # own is 0 outside the pairs, so the tests on its sign imply ``pair``
    conf = (own > 0) & (perceived > own)
    yielding = (own < 0) & (perceived > 0)
    comp = yielding & (perceived > -own)
    capit = yielding & ~comp
    jump = conf | capit
    offer_kind = np.multiply(yielding, np.int8(CAPITULATION), dtype=np.int8)
    offer_kind -= comp  # compromise = capitulation - 1
    offer_kind += conf
    fraction = np.divide(-own, perceived, out=np.zeros_like(own), where=comp)
    # x_i + (x_j - x_i) f; it is x_i itself where f = 0 (no offer), and a confrontation
    # or capitulation lands exactly on x_j (no rounding off the position)
    offer_position = np.subtract(xj, xi)
    offer_position *= fraction
    offer_position += xi
    np.copyto(offer_position, np.broadcast_to(xj, offer_position.shape), where=jump)
    offered = jump | comp

    if offer_choice == "type":
        kinds_present = np.stack([conf.any(-1), comp.any(-1), capit.any(-1)], axis=-1)
        best_kind = np.where(kinds_present.any(-1), np.argmax(kinds_present, -1) + 1, 0)
        eligible = offered & (offer_kind == best_kind[:, :, None])
    elif offer_choice == "strongest":
        top = np.where(offered, perceived, -np.inf).max(axis=-1, keepdims=True)
        eligible = offered & (perceived >= top)
    else:
        eligible = offered
    move = np.abs(offer_position - xi)
    least = np.where(eligible, move, np.inf).min(axis=-1, keepdims=True)
    eligible &= move <= least + 1e-12 * width[:, None, None]
    if np.count_nonzero(eligible) > np.count_nonzero(eligible.any(axis=-1)):  # ties left
        strongest = np.where(eligible, perceived, -np.inf).max(axis=-1, keepdims=True)
        eligible &= perceived >= strongest
        lowest = np.where(eligible, offer_position, np.inf).min(axis=-1, keepdims=True)
        eligible &= offer_position <= lowest
    has = eligible.any(axis=-1)
    pick = np.argmax(eligible, axis=-1)
    rows = np.arange(n)[:, None]
    cols = np.arange(a)[None, :]
    new_position = np.where(has, offer_position[rows, cols, pick], position)
    return EumRound(
        probability=prob,
        risk_exponent=r,
        eu_own=own,
        eu_perceived=perceived,
        offer_kind=offer_kind,
        offer_position=offer_position,
        kind=np.where(has, offer_kind[rows, cols, pick], NONE).astype(np.int8),
        proposer=np.where(has, pick, -1),
        new_position=new_position,
    )


BLOCK_ELEMENTS = 1 << 15  # games x A x A pair entries worked on at once (cache-sized)


@dataclass(eq=False)
class _Games:
    """Games sharing their number of participants, with only the participants' columns.

    Attributes:
        rows: (g,) the games' rows in the (n, A) batch.
        cols: (g, m) the participants' actor indices in each game, ascending.
        position: (g, m) current positions.
        inputs: Salience, capability, participation (g, m) and scale low, width and
            distance range (g,).
        compact: Whether ``cols`` holds the participants only.
        live: Indices into ``rows`` of the games still running.
    """

    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    position: NDArray[np.float64]
    inputs: tuple[NDArray[Any], ...]
    compact: bool
    live: NDArray[np.intp] = field(init=False)

    def __post_init__(self) -> None:
        self.live = np.arange(self.rows.size)


def _game_groups(
    has_stance: NDArray[np.bool_], d: int, *, compact: bool
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Games (rows of the (D x I, A) batch) grouped by their number of participants.

    With ``compact``, each group's column indices are the participants of each game's
    issue (actors without a stance play no part, so the pair arrays shrink from A x A
    to m x m); otherwise one group holds every game and every actor.
    """
    a, n_i = has_stance.shape
    if not compact:
        rows = np.arange(d * n_i)
        return [(rows, np.broadcast_to(np.arange(a), (rows.size, a)))]
    counts = has_stance.sum(axis=0)
    groups = []
    for m in np.unique(counts):
        issues = np.flatnonzero(counts == m)
        rows = (np.arange(d)[:, None] * n_i + issues[None, :]).ravel()
        # participants in actor order: a stable sort puts the stance holders first
        cols = np.argsort(~has_stance[:, issues].T, axis=1, kind="stable")[:, :m]
        groups.append((rows, np.tile(cols, (d, 1))))
    return groups


@register
@dataclass(frozen=True, kw_only=True)
class ExpectedUtilityModel:
    """Bueno de Mesquita's expected-utility model (Scholz, Calbert & Smith 2011).

    Attributes:
        max_rounds: Largest number of rounds to simulate.
        tol: A game has converged when no position moves by more than ``tol`` times the
            scale width in a round.
        probability: Denominator of the probability of success (``pairwise``, ``global``).
        risk: Risk exponents (``scholz``: from exposure; ``neutral``: all 1).
        offer_choice: Which offer an actor accepts (``nearest``, ``type``, ``strongest``).
        normalise: Range distances are divided by (``positions`` or ``scale``).
        q: Probability that the status quo persists if an actor does not challenge.
        t: Probability that the status quo then improves for the actor.
    """

    name: ClassVar[str] = "eum"
    citation: ClassVar[str] = (
        "Bueno de Mesquita (1994), in European Community Decision Making, Yale UP; "
        "Scholz, Calbert & Smith (2011), J. Theoretical Politics 23(4)"
    )

    max_rounds: int = 20
    tol: float = 1e-6
    probability: ProbabilityRule = "pairwise"
    risk: RiskRule = "scholz"
    offer_choice: OfferChoice = "nearest"
    normalise: Normalise = "positions"
    q: float = 1.0
    t: float = 1.0

    def __post_init__(self) -> None:
        if self.max_rounds < 0:
            raise ValueError("max_rounds must be >= 0")
        if not 0.0 <= self.q <= 1.0 or not 0.0 <= self.t <= 1.0:
            raise ValueError("q and t are probabilities in [0, 1]")
        choices = {
            "probability": ("pairwise", "global"),
            "risk": ("scholz", "neutral"),
            "offer_choice": ("nearest", "type", "strongest"),
            "normalise": ("positions", "scale"),
        }
        for field_name, allowed in choices.items():
            value = getattr(self, field_name)
            if value not in allowed:
                raise ValueError(
                    f"unknown {field_name} {value!r}; use " + " or ".join(map(repr, allowed))
                )

    def forecast(self, view: ScenarioArrays, *, rng: np.random.Generator | None = None) -> Forecast:
        """Run the EUM on every issue of every draw; rounds are the only loop."""
        d, a, n_i = view.position.shape
        n = d * n_i
        # batch layout: (D, I) flattened to n games of A actors
        pos = np.ascontiguousarray(view.position.transpose(0, 2, 1)).reshape(n, a)
        sal = np.ascontiguousarray(view.salience.transpose(0, 2, 1)).reshape(n, a)
        cap = np.broadcast_to(view.capability[:, None, :], (d, n_i, a)).reshape(n, a)
        active = np.broadcast_to(view.has_stance.T[None], (d, n_i, a)).reshape(n, a)
        low = np.broadcast_to(view.scale_min[None], (d, n_i)).reshape(n)
        width = np.broadcast_to(view.scale_max - view.scale_min, (d, n_i)).reshape(n)
        if self.normalise == "positions":
            hi = np.where(active, pos, -np.inf).max(axis=-1)
            lo = np.where(active, pos, np.inf).min(axis=-1)
            spread = hi - lo
            dist_range = np.where(np.isfinite(spread) & (spread > 0), spread, width)
        else:
            dist_range = width.copy()

        # actors without a stance can be left out of the arrays unless they still count:
        # in the "global" denominator (their contests) or the median fallback (q < 1);
        # a batch of one block is run whole (one call a round instead of one per group)
        compact = self.probability == "pairwise" and self.q >= 1.0 and n * a * a > BLOCK_ELEMENTS
        groups = _game_groups(view.has_stance, d, compact=compact)
        games = [
            _Games(
                rows=rows,
                cols=cols,
                position=pos[rows[:, None], cols],
                inputs=tuple(
                    arr[rows[:, None], cols] if arr.ndim == 2 else arr[rows]
                    for arr in (sal, cap, active, low, width, dist_range)
                ),
                compact=compact,
            )
            for rows, cols in groups
        ]
        history = [pos]
        risks: list[NDArray[np.float64]] = []
        kinds: list[NDArray[np.int8]] = []
        proposers: list[NDArray[np.intp]] = []
        moves: list[NDArray[np.float64]] = []
        done = np.zeros(n, dtype=bool)
        rounds_run = np.zeros(n, dtype=np.intp)
        current = pos
        for _ in range(self.max_rounds):
            if all(g.live.size == 0 for g in games):
                break
            current = current.copy()
            step_risk = np.ones((n, a))
            step_kind = np.zeros((n, a), dtype=np.int8)
            step_prop = np.full((n, a), -1, dtype=np.intp)
            step_move = np.zeros((n, a))
            for g in games:
                if g.live.size == 0:
                    continue
                moved = self._advance(g, (current, step_risk, step_kind, step_prop, step_move))
                rounds_run[g.rows[g.live[moved]]] += 1
                done[g.rows[g.live[~moved]]] = True
                g.live = g.live[moved]
            risks.append(step_risk)
            kinds.append(step_kind)
            proposers.append(step_prop)
            moves.append(step_move)
            history.append(current)
        # drop trailing rounds in which no game moved
        while len(history) > 1 and not np.any(moves[-1]):
            history.pop()
            risks.pop()
            kinds.pop()
            proposers.pop()
            moves.pop()

        def to_dria(stack: Sequence[NDArray[Any]]) -> NDArray[Any]:
            arr = np.stack(stack, axis=1)  # (n, R, A)
            return arr.reshape(d, n_i, len(stack), a).transpose(0, 2, 3, 1)

        trajectory = to_dria(history)
        final = trajectory[:, -1]
        weight = view.weight * view.has_stance[None]
        outcome = weighted_median(final, weight)
        mean = weighted_mean(final, weight)
        converged = done.reshape(d, n_i)
        if history[1:]:
            offers = {
                "proposer": to_dria(proposers),
                "kind": to_dria(kinds),
                "move": to_dria(moves),
                "risk_exponent": to_dria(risks),
            }
        else:
            empty = np.zeros((d, 0, a, n_i))
            offers = {
                "proposer": empty.astype(np.intp),
                "kind": empty.astype(np.int8),
                "move": empty,
                "risk_exponent": empty,
            }
        diagnostics = {
            "mean": mean,
            "rounds": rounds_run.reshape(d, n_i),
            "converged": converged,
            "offer_kinds": OFFER_KINDS,
            "actor_ids": view.actor_ids,
            **offers,
        }
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=outcome,
            trajectory=trajectory,
            diagnostics=MappingProxyType(diagnostics),
        )

    def _advance(self, games: _Games, out: tuple[NDArray[Any], ...]) -> NDArray[np.bool_]:
        """One round for the live games of ``games``, in blocks; writes the full arrays.

        ``out`` holds the (n, A) positions, risk exponents, kinds, proposers and moves
        of the round (the latter four at their no-offer defaults). Returns whether each
        live game moved.
        """
        current, step_risk, step_kind, step_prop, step_move = out
        live = games.live
        m = games.cols.shape[1]
        moved = np.zeros(live.size, dtype=bool)
        if m <= 1 and games.compact:  # a lone actor or nobody: no contest, r = 1
            return moved
        block = max(1, BLOCK_ELEMENTS // (m * m))
        for start in range(0, live.size, block):
            idx = live[start : start + block]
            whole = idx.size == games.rows.size  # every game, in order: no gathering
            before = games.position if whole else games.position[idx]
            part = games.inputs if whole else tuple(arr[idx] for arr in games.inputs)
            res = eum_round(
                before,
                *part,
                probability=self.probability,
                risk=self.risk,
                offer_choice=self.offer_choice,
                q=self.q,
                t=self.t,
                details=False,
            )
            shift = res.new_position - before
            games.position[idx] = res.new_position
            proposer = res.proposer
            if games.compact:  # back to the actors' own columns
                where: tuple[Any, ...] = (games.rows[idx][:, None], games.cols[idx])
                by_actor = np.take_along_axis(where[1], np.maximum(proposer, 0), axis=1)
                proposer = np.where(proposer >= 0, by_actor, -1)
            else:
                where = (games.rows[idx],)
            current[where] = res.new_position
            step_risk[where] = res.risk_exponent
            step_kind[where] = res.kind
            step_prop[where] = proposer
            step_move[where] = shift
            moved[start : start + block] = np.abs(shift).max(axis=-1) > self.tol * part[4]
        return moved
