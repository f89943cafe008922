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
      trajectory stays at the placeholder position of the array view.
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
"""

from __future__ import annotations

from dataclasses import dataclass
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


def contest_probabilities(
    position: NDArray[np.float64],
    weight: NDArray[np.float64],
    low: NDArray[np.float64],
    width: NDArray[np.float64],
    rule: ProbabilityRule = "pairwise",
) -> NDArray[np.float64]:
    """P_ij for every pair, from capability x salience weighted votes (n, A) -> (n, A, A).

    Uses the one-dimensional structure instead of the O(A^3) sum over voters: for a
    contest between positions p < q with midpoint m, voters at or below p give their
    whole weight times (q - p) to the lower actor, voters at or above q to the upper one,
    and voters in between give ``|p + q - 2 x_k|`` to the nearer one. Cumulative weight
    sums over the sorted positions evaluate this in O(A^2 log A).

    Args:
        position: (n, A) positions.
        weight: (n, A) vote weights c_k s_k (zero for actors outside the game).
        low: (n,) lower end of the scale (for normalising).
        width: (n,) scale width (for normalising).
        rule: ``"pairwise"`` or ``"global"`` denominator (see the module docstring).
    """
    n, a = position.shape
    z = np.clip((position - low[:, None]) / width[:, None], 0.0, 1.0)
    order = np.argsort(z, axis=-1, kind="stable")
    zs = np.take_along_axis(z, order, axis=-1)
    ws = np.take_along_axis(weight, order, axis=-1)
    zero = np.zeros((n, 1))
    cum_w = np.concatenate([zero, np.cumsum(ws, axis=-1)], axis=-1)
    cum_wz = np.concatenate([zero, np.cumsum(ws * zs, axis=-1)], axis=-1)
    total = cum_w[:, -1:]
    # one flat sorted array; row k lives in [2k, 2k + 1], so searches never cross rows
    offset = 2.0 * np.arange(n, dtype=float)
    keys = (zs + offset[:, None]).ravel()
    base = (np.arange(n) * a)[:, None]

    def cumulative(
        t: NDArray[np.float64], side: Literal["left", "right"]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        shape = t.shape
        flat = (t + offset.reshape((n,) + (1,) * (t.ndim - 1))).ravel()
        idx = np.searchsorted(keys, flat, side=side).reshape(shape)
        idx = idx - base.reshape((n,) + (1,) * (t.ndim - 1))
        idx = np.clip(idx, 0, a).reshape(n, -1)
        return (
            np.take_along_axis(cum_w, idx, axis=-1).reshape(shape),
            np.take_along_axis(cum_wz, idx, axis=-1).reshape(shape),
        )

    f_le, g_le = cumulative(z, "right")  # weight (and weight x z) at or below each actor
    f_lt, g_lt = cumulative(z, "left")  # strictly below
    zi, zj = z[:, :, None], z[:, None, :]
    i_low = zi <= zj
    p = np.where(i_low, zi, zj)
    q = np.where(i_low, zj, zi)
    f_p = np.where(i_low, f_le[:, :, None], f_le[:, None, :])
    g_p = np.where(i_low, g_le[:, :, None], g_le[:, None, :])
    f_q = np.where(i_low, f_lt[:, None, :], f_lt[:, :, None])
    g_q = np.where(i_low, g_lt[:, None, :], g_lt[:, :, None])
    f_m, g_m = cumulative((p + q) / 2, "right")
    gap = q - p
    support_low = gap * f_p + (p + q) * (f_m - f_p) - 2.0 * (g_m - g_p)
    support_high = gap * (total[:, :, None] - f_q) + 2.0 * (g_q - g_m) - (p + q) * (f_q - f_m)
    support_low = np.maximum(support_low, 0.0)
    support_high = np.maximum(support_high, 0.0)
    support_i = np.where(i_low, support_low, support_high)
    votes = support_low + support_high
    if rule == "pairwise":
        denominator = votes
    elif rule == "global":
        denominator = np.broadcast_to(votes.sum(axis=(-2, -1), keepdims=True), votes.shape)
    else:
        raise ValueError(f"unknown probability rule {rule!r}; use 'pairwise' or 'global'")
    contested = (gap > 0) & (denominator > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        prob = np.where(contested, support_i / denominator, 0.0)
    return prob


def _utility(base: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.float64]:
    """``2 - 4 base^r`` with base in [0, 1]."""
    return 2.0 - 4.0 * np.power(np.clip(base, 0.0, 1.0), r)


def _expected_utilities(
    dist: NDArray[np.float64],
    prob: NDArray[np.float64],
    salience: NDArray[np.float64],
    r: NDArray[np.float64],
    median_gap: NDArray[np.float64] | None,
    q: float,
    t: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """E^i(U_ij) and E^i(U_ji) for all pairs, from i's point of view with exponent r_i."""
    rr = r[:, :, None]
    u_s = _utility(0.5 - 0.5 * dist, rr)
    u_f = _utility(0.5 + 0.5 * dist, rr)
    u_sq = _utility(np.full_like(r, 0.5), r)[:, :, None]
    s_j = salience[:, None, :]
    s_i = salience[:, :, None]
    prob_t = np.swapaxes(prob, -1, -2)
    own = s_j * (prob * u_s + (1.0 - prob) * u_f) + (1.0 - s_j) * u_s
    perceived = s_i * (prob_t * u_s + (1.0 - prob_t) * u_f) + (1.0 - s_i) * u_s
    if q >= 1.0 or median_gap is None:
        own = own - q * u_sq
        perceived = perceived - q * u_sq
    else:
        # e_ij = (|x_i - mu| + |x_i - x_j|) / range for the challenger i; e_ji for j
        e_own = median_gap[:, :, None] + dist
        e_perc = median_gap[:, None, :] + dist
        for_own = t * _utility(0.5 - 0.25 * e_own, rr) + (1 - t) * _utility(0.5 + 0.25 * e_own, rr)
        for_perc = t * _utility(0.5 - 0.25 * e_perc, rr) + (1 - t) * _utility(
            0.5 + 0.25 * e_perc, rr
        )
        own = own - q * u_sq - (1.0 - q) * for_own
        perceived = perceived - q * u_sq - (1.0 - q) * for_perc
    return own, perceived


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

    Returns:
        Every intermediate quantity of the round (see :class:`EumRound`).
    """
    n, a = position.shape
    sal = np.where(active, salience, 0.0)
    weight = np.where(active, capability * salience, 0.0)
    prob = contest_probabilities(position, weight, low, width, probability)
    rng_ = distance_range[:, None, None]
    gap_abs = np.abs(position[:, :, None] - position[:, None, :])
    dist = np.clip(gap_abs / rng_, 0.0, 1.0)
    eye = np.eye(a, dtype=bool)[None]
    same = gap_abs <= 1e-12 * width[:, None, None]
    pair = active[:, :, None] & active[:, None, :] & ~eye & ~same
    median_gap: NDArray[np.float64] | None = None
    if q < 1.0:
        mu = weighted_median(position[:, :, None], weight[:, :, None])[:, 0]
        mu = np.where(np.isnan(mu), position.mean(axis=-1), mu)
        median_gap = np.clip(np.abs(position - mu[:, None]) / distance_range[:, None], 0.0, 1.0)

    ones = np.ones((n, a))
    if risk == "scholz":
        own1, _ = _expected_utilities(dist, prob, sal, ones, median_gap, q, t)
        own1 = np.where(pair, own1, 0.0)
        exposure = own1.sum(axis=-2)  # S_k = sum_j E^j(U_jk)
        hi = np.where(active, exposure, -np.inf).max(axis=-1, keepdims=True)
        lo = np.where(active, exposure, np.inf).min(axis=-1, keepdims=True)
        spread = hi - lo
        with np.errstate(invalid="ignore", divide="ignore"):
            big_r = np.where(spread > 0, (2.0 * exposure - hi - lo) / spread, 0.0)
        big_r = np.where(active & np.isfinite(big_r), big_r, 0.0)
        r = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
    elif risk == "neutral":
        r = ones
    else:
        raise ValueError(f"unknown risk rule {risk!r}; use 'scholz' or 'neutral'")

    own, perceived = _expected_utilities(dist, prob, sal, r, median_gap, q, t)
    own = np.where(pair, own, 0.0)
    perceived = np.where(pair, perceived, 0.0)

    xi = position[:, :, None]
    xj = position[:, None, :]
    conf = pair & (own > 0) & (perceived > own)
    yielding = pair & (own < 0) & (perceived > 0)
    comp = yielding & (perceived > -own)
    capit = yielding & ~comp
    offer_kind = np.zeros((n, a, a), dtype=np.int8)
    offer_kind[conf] = CONFRONTATION
    offer_kind[comp] = COMPROMISE
    offer_kind[capit] = CAPITULATION
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(comp, np.abs(own) / np.where(comp, perceived, 1.0), 1.0)
    # a confrontation or capitulation lands exactly on x_j (no rounding off the position)
    offer_position = np.where(comp, xi + (xj - xi) * fraction, np.where(conf | capit, xj, xi))
    offered = offer_kind > 0

    move = np.abs(offer_position - xi)
    if offer_choice == "nearest":
        eligible = offered
    elif offer_choice == "type":
        present = np.stack([(offer_kind == k).any(axis=-1) for k in (1, 2, 3)], axis=-1)
        best_kind = np.where(present.any(axis=-1), np.argmax(present, axis=-1) + 1, 0)
        eligible = offered & (offer_kind == best_kind[:, :, None].astype(np.int8))
    elif offer_choice == "strongest":
        top = np.where(offered, perceived, -np.inf).max(axis=-1, keepdims=True)
        eligible = offered & (perceived >= top)
    else:
        raise ValueError(
            f"unknown offer choice {offer_choice!r}; use 'nearest', 'type' or 'strongest'"
        )
    tol = 1e-12 * width[:, None, None]
    least = np.where(eligible, move, np.inf).min(axis=-1, keepdims=True)
    eligible = eligible & (move <= least + tol)
    strongest = np.where(eligible, perceived, -np.inf).max(axis=-1, keepdims=True)
    eligible = eligible & (perceived >= strongest)
    lowest = np.where(eligible, offer_position, np.inf).min(axis=-1, keepdims=True)
    eligible = eligible & (offer_position <= lowest)
    has = eligible.any(axis=-1)
    proposer = np.where(has, np.argmax(eligible, axis=-1), -1)
    pick = np.clip(proposer, 0, a - 1)[:, :, None]
    chosen_pos = np.take_along_axis(offer_position, pick, axis=-1)[:, :, 0]
    chosen_kind = np.take_along_axis(offer_kind, pick, axis=-1)[:, :, 0]
    new_position = np.where(has, chosen_pos, position)
    return EumRound(
        probability=prob,
        risk_exponent=r,
        eu_own=own,
        eu_perceived=perceived,
        offer_kind=offer_kind,
        offer_position=offer_position,
        kind=np.where(has, chosen_kind, NONE).astype(np.int8),
        proposer=proposer,
        new_position=new_position,
    )


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
        if self.normalise not in ("positions", "scale"):
            raise ValueError(f"unknown normalise {self.normalise!r}; use 'positions' or 'scale'")

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

        history = [pos.copy()]
        risks: list[NDArray[np.float64]] = []
        kinds: list[NDArray[np.int8]] = []
        proposers: list[NDArray[np.intp]] = []
        moves: list[NDArray[np.float64]] = []
        done = np.zeros(n, dtype=bool)
        rounds_run = np.zeros(n, dtype=np.intp)
        current = pos.copy()
        for _ in range(self.max_rounds):
            live = np.flatnonzero(~done)
            if live.size == 0:
                break
            res = eum_round(
                current[live],
                sal[live],
                cap[live],
                active[live],
                low[live],
                width[live],
                dist_range[live],
                probability=self.probability,
                risk=self.risk,
                offer_choice=self.offer_choice,
                q=self.q,
                t=self.t,
            )
            shift = res.new_position - current[live]
            moved = np.abs(shift).max(axis=-1) > self.tol * width[live]
            step_risk = np.ones((n, a))
            step_kind = np.zeros((n, a), dtype=np.int8)
            step_prop = np.full((n, a), -1, dtype=np.intp)
            step_move = np.zeros((n, a))
            step_risk[live] = res.risk_exponent
            step_kind[live] = res.kind
            step_prop[live] = res.proposer
            step_move[live] = shift
            current = current.copy()
            current[live] = res.new_position
            rounds_run[live[moved]] += 1
            done[live[~moved]] = True
            risks.append(step_risk)
            kinds.append(step_kind)
            proposers.append(step_prop)
            moves.append(step_move)
            history.append(current.copy())
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
