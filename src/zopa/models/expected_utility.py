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
      utility, then to the lower resulting position (so that actor order cannot matter;
      between identical offers, the proposer at the lower position, then the one listed
      first, is named).
    - If every exposure is equal, R = 0 and r = 1 (the formula divides by zero).
    - The forecast is the weighted median of the final positions, not a Condorcet
      winner among them; with single-peaked preferences on one dimension they coincide
      (Black 1948) except for ties.
    - A batch member (a draw of an issue) stops when its own positions stop changing;
      the others continue. The trajectory repeats a stopped member's last positions.

Implementation: each game (one issue of one draw) is played, round after round, in
compiled code (``zopa.models.kernels.expected_utility``, numba), over its participants
only with the default pairwise probabilities and Q = 1 (actors without a stance then
change no number), over every actor otherwise (they count in the ``global`` denominator
and in the mean position that stands in for the median when no one carries weight). A
game's numbers do not depend on the other games of the batch. Vote sums use the
one-dimensional structure (cumulative weights over the actors sorted by position; O(A^2)
a round instead of the textbook O(A^3)); :func:`eum_round` and
:func:`contest_probabilities` run the same compiled code for one round.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from zopa.models.base import Forecast, register
from zopa.models.kernels.cache import load_kernel
from zopa.models.weighted import weighted_mean, weighted_median

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from zopa.arrays import ScenarioArrays

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


_PROBABILITY_CODES = {"pairwise": 0, "global": 1}
_RISK_CODES = {"scholz": 0, "neutral": 1}
_CHOICE_CODES = {"nearest": 0, "type": 1, "strongest": 2}


def _f64(arr: ArrayLike) -> NDArray[np.float64]:
    return np.ascontiguousarray(arr, dtype=np.float64)


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
    sums over the sorted positions evaluate this once the midpoint's place among the
    voters is known.

    Args:
        position: (n, A) positions.
        weight: (n, A) vote weights c_k s_k (zero for actors outside the game).
        low: (n,) lower end of the scale (for normalising).
        width: (n,) scale width (for normalising).
        rule: ``"pairwise"`` or ``"global"`` denominator (see the module docstring).
    """
    if rule not in _PROBABILITY_CODES:
        raise ValueError(f"unknown probability rule {rule!r}; use 'pairwise' or 'global'")
    kernel = load_kernel("expected_utility", "eum", ("probability_batch",))  # loads numba
    z = np.minimum(np.maximum((position - low[:, None]) / width[:, None], 0.0), 1.0)
    n, a = z.shape
    out = np.zeros((n, a, a))
    kernel.probability_batch(_f64(z), _f64(weight), _PROBABILITY_CODES[rule], out)
    return out


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

    The round is the one :class:`ExpectedUtilityModel` plays (the same compiled code).

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
    if probability not in _PROBABILITY_CODES:
        raise ValueError(f"unknown probability rule {probability!r}; use 'pairwise' or 'global'")
    if risk not in _RISK_CODES:
        raise ValueError(f"unknown risk rule {risk!r}; use 'scholz' or 'neutral'")
    if offer_choice not in _CHOICE_CODES:
        raise ValueError(
            f"unknown offer choice {offer_choice!r}; use 'nearest', 'type' or 'strongest'"
        )
    kernel = load_kernel("expected_utility", "eum", ("round_batch",))  # loads numba
    n, a = position.shape
    shape = (n, a, a) if details else (1, 1, 1)
    probability_ij, eu_own, eu_perceived, offer_position = (np.zeros(shape) for _ in range(4))
    offer_kind = np.zeros(shape, dtype=np.int8)
    new_position = np.empty((n, a))
    risk_exponent = np.empty((n, a))
    kind = np.empty((n, a), dtype=np.int8)
    proposer = np.empty((n, a), dtype=np.int64)
    rules = np.array(
        [_PROBABILITY_CODES[probability], _RISK_CODES[risk], _CHOICE_CODES[offer_choice]],
        dtype=np.int64,
    )
    kernel.round_batch(
        _f64(position),
        _f64(salience),
        _f64(capability),
        np.ascontiguousarray(active, dtype=np.bool_),
        _f64(low),
        _f64(width),
        _f64(distance_range),
        rules,
        np.array([q, t, 0.0, 0.5]),
        new_position,
        risk_exponent,
        kind,
        proposer,
        details,
        probability_ij,
        eu_own,
        eu_perceived,
        offer_kind,
        offer_position,
    )
    if not details:
        probability_ij = eu_own = eu_perceived = offer_position = np.empty((0, 0, 0))
        offer_kind = np.empty((0, 0, 0), dtype=np.int8)
    return EumRound(
        probability=probability_ij,
        risk_exponent=risk_exponent,
        eu_own=eu_own,
        eu_perceived=eu_perceived,
        offer_kind=offer_kind,
        offer_position=offer_position,
        kind=kind,
        proposer=proposer.astype(np.intp, copy=False),
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

    def forecast(
        self,
        view: ScenarioArrays,
        *,
        rng: np.random.Generator | None = None,
        trace: bool = True,
    ) -> Forecast:
        """Run the EUM on every issue of every draw (compiled; one game at a time).

        With ``trace=False`` the draws are played a slice at a time (each game's numbers
        do not depend on the other games) and only the final positions are kept: the
        forecast holds no trajectory and none of the per-round diagnostics (``proposer``,
        ``kind``, ``move``, ``risk_exponent``).
        """
        if trace:
            trajectory, per_round, rounds, converged = self._play(
                view.position, view.salience, view.capability, view
            )
            final = trajectory[:, -1]
        else:
            d, a, n_i = view.position.shape
            step = _draws_per_slice(self.max_rounds, a, n_i)
            finals, rounds_parts, converged_parts = [], [], []
            for s in range(0, max(d, 1), step):  # per-round arrays dropped slice by slice
                played = self._play(
                    view.position[s : s + step],
                    view.salience[s : s + step],
                    view.capability[s : s + step],
                    view,
                )
                finals.append(played[0][:, -1].copy())
                rounds_parts.append(played[2])
                converged_parts.append(played[3])
                del played
            trajectory, per_round = None, {}
            final = np.concatenate(finals)
            rounds = np.concatenate(rounds_parts)
            converged = np.concatenate(converged_parts)
        weight = view.weight * view.has_stance[None]
        diagnostics = {
            "mean": weighted_mean(final, weight),
            "rounds": rounds.astype(np.intp, copy=False),
            "converged": converged,
            "offer_kinds": OFFER_KINDS,
            "actor_ids": view.actor_ids,
            **per_round,
        }
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=weighted_median(final, weight),
            trajectory=trajectory,
            diagnostics=MappingProxyType(diagnostics),
        )

    def _play(
        self,
        position: NDArray[np.float64],
        salience: NDArray[np.float64],
        capability: NDArray[np.float64],
        view: ScenarioArrays,
    ) -> tuple[NDArray[np.float64], dict[str, NDArray[Any]], NDArray[np.int64], NDArray[np.bool_]]:
        """Every game of a batch of draws in the kernel.

        Returns:
            The (D, R + 1, A, I) trajectory up to the last round in which a game moved,
            the per-round diagnostics (``proposer``, ``kind``, ``move``,
            ``risk_exponent``, each (D, R, A, I)), and the (D, I) rounds and whether
            each game converged.
        """
        kernel = load_kernel("expected_utility", self.name, ("play",))  # loads numba
        d, a, n_i = position.shape
        cap = self.max_rounds
        trajectory = np.empty((d, cap + 1, a, n_i))
        risk = np.empty((d, cap, a, n_i))
        kind = np.empty((d, cap, a, n_i), dtype=np.int8)
        proposer = np.empty((d, cap, a, n_i), dtype=np.int64)
        move = np.empty((d, cap, a, n_i))
        rounds = np.zeros((d, n_i), dtype=np.int64)
        converged = np.zeros((d, n_i), dtype=np.bool_)
        # actors without a stance can be left out of a game unless they still count: in
        # the "global" denominator (their contests) or the median fallback (q < 1)
        compact = self.probability == "pairwise" and self.q >= 1.0
        rules = np.array(
            [
                _PROBABILITY_CODES[self.probability],
                _RISK_CODES[self.risk],
                _CHOICE_CODES[self.offer_choice],
                int(self.normalise == "scale"),
                int(compact),
            ],
            dtype=np.int64,
        )
        kept = kernel.play(
            _f64(position),
            _f64(salience),
            _f64(capability),
            np.ascontiguousarray(view.has_stance, dtype=np.bool_),
            _f64(view.scale_min),
            _f64(view.scale_max),
            rules,
            np.array([self.q, self.t, self.tol, 0.5]),
            trajectory,
            risk,
            kind,
            proposer,
            move,
            rounds,
            converged,
        )
        if kept < cap:
            trajectory = trajectory[:, : kept + 1]
            risk, move = risk[:, :kept], move[:, :kept]
            kind, proposer = kind[:, :kept], proposer[:, :kept]
        per_round: dict[str, NDArray[Any]] = {
            "proposer": proposer.astype(np.intp, copy=False),
            "kind": kind,
            "move": move,
            "risk_exponent": risk,
        }
        return trajectory, per_round, rounds, converged


#: Memory of the per-round arrays of one slice of draws played with ``trace=False``.
_SLICE_BYTES = 16 * 2**20


def _draws_per_slice(max_rounds: int, actors: int, issues: int) -> int:
    """Draws whose per-round arrays (33 bytes per round, actor and issue) fit a slice."""
    per_draw = 33 * (max_rounds + 1) * max(actors, 1) * max(issues, 1)
    return max(1, _SLICE_BYTES // per_draw)
