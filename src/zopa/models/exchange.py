"""Exchange model: actors trade voting positions across issues they weigh differently.

Implements the exchange model of Stokman & Van Oosten (1994) with the equal-gain exchange
rate of Dijkstra, van Assen & Stokman (2008), as also implemented in the Decide
exchange-model package (Draaijer, ``decide-exchange-model``).

The model, for every round:

1. The expected outcome of every issue is the compromise-model mean
   ``O_d = sum_a c_a s_ad x_ad / sum_a c_a s_ad`` of the current positions.
2. Two actors ``u`` and ``v`` can exchange on issues ``p`` and ``q`` when they sit on
   opposite sides of the expected outcome on both issues and weigh the issues
   differently: the actor with the larger relative salience ``s_p / s_q`` (``u``)
   *demands* ``p`` and *supplies* ``q``. ``v`` moves its voting position on ``p``
   towards ``u``'s position, ``u`` moves on ``q`` towards ``v``'s. Moving by ``dx``
   shifts the outcome by ``dO = c s dx / W`` with ``W = sum c s`` of that issue.
3. The exchange rate ``r = dO_q / dO_p`` fixes how the two shifts relate. Equal gain
   (Dijkstra et al. 2008): ``u`` gains ``s_up dO_p - s_uq dO_q`` and ``v`` gains
   ``s_vq dO_q - s_vp dO_p``; setting them equal gives
   ``r = (s_up + s_vp) / (s_uq + s_vq)``. The exchange is made as large as it can be:
   one of the two moves all the way to its partner's position, and neither shift may
   carry the outcome past the demanding actor's own position.
4. All feasible exchanges are ranked by gain; the best is carried out, the exchanges
   that it affects are recomputed on the new voting positions, exchanges that became
   infeasible drop out, and so on until none is left.
5. The round's outcome is the compromise mean of the voting positions. Actors who
   exchanged start the next round part of the way towards their voting position:
   ``x' = x + (fixed_weight + salience_weight (1 - s)) (y - x)``.

The forecast is the round's outcome after the last round. Trajectories hold the voting
positions after each round (round 0 = the input positions).

References:
    Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an
    object-oriented model of policy networks. In B. Bueno de Mesquita & F. N. Stokman
    (eds.), *European Community Decision Making: Models, Applications, and
    Comparisons*, pp. 105-127. Yale University Press.
    Dijkstra, J., van Assen, M. A. L. M. & Stokman, F. N. (2008). Outcomes of
    collective decisions with externalities predicted. *Journal of Theoretical
    Politics* 20(4), 415-441.
    van Assen, M. A. L. M., Stokman, F. N. & van Oosten, R. (2003). Conflict measures
    in cooperative exchange models of collective decision-making. *Rationality and
    Society* 15(1), 85-112.
    Draaijer, J. (2022). decide-exchange-model 2022.1.28 (Python package, GPL-3.0).

Deviations (each also in docs/models/exchange.md):
    - Within a round exchanges are made one at a time, the best first, and after each
      the still-feasible exchanges on the two issues that moved are recomputed on the
      current voting positions (of those, only the ones whose movers' reach changed;
      the others would evaluate to what they hold). This sequential rule is a loop
      over steps beside the rounds; it runs, with the loop over draws, in a compiled
      kernel (``zopa.models.kernels.exchange``) rather than in numpy.
    - The cap "the outcome may not pass the demanding actor's position" uses the
      outcome of *all* voting positions so far in the round. Decide uses the round's
      starting outcome plus only those moves made earlier in favour of the same actor
      on the same issue, so it can cap too early or too late.
    - An exchange whose demanding actor no longer lies beyond the current outcome is
      infeasible; Decide lets it go ahead when the outcome already sits at (or past)
      that actor's position, counting as a gain what is a loss.
    - An actor may move several times on an issue in a round, always in the same
      direction; Decide also rejects a move when the sum of its moves, counting moves
      that were computed for an exchange but never made, exceeds 100.
    - Exact ties in gain (within a relative 1e-9) are broken by actor and issue ids
      rather than at random, so the model is deterministic and independent of input
      order; ``rng`` is accepted for the common interface and not used.
    - ``rate="rks"`` is the Raiffa-Kalai-Smorodinsky rate (each actor's gain in
      proportion to the most it could gain in that exchange), the rate under which van
      Assen et al. (2003) analyse the exchange model; exchanges are then ranked by the
      sum of both gains. The 1994 chapter's own rate could not be checked against its
      text here.
    - Actors without a stance, or with zero salience or capability, on an issue take
      no part in exchanges on it (Decide drops actors without a stance; zero salience
      makes its rate undefined).
    - Positions are normalised to 0-100 on each issue's scale inside the model, as in
      Decide, so that gains on issues with different scales are comparable.
    - The update between rounds (step 5) and its weights 0.1 and 0.4 are Decide's
      (``FIXED_WEIGHT``, ``SALIENCE_WEIGHT``); they are parameters here. With
      ``fixed_weight=1`` actors start each round at their voting positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from zopa.models.base import Forecast, register
from zopa.models.kernels.cache import load_kernel
from zopa.models.weighted import weighted_mean

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays

# mean candidates per actor pair from which the kernel builds a pair's exchanges only
# when they may be among the best (None: the kernel's ``PAIRS_LAZY_MEAN``); the results
# are the same either way, so only tests change it, to run that path on small inputs
_PAIRS_LAZY_MEAN: int | None = None


@register
@dataclass(frozen=True, kw_only=True)
class ExchangeModel:
    """Exchange of voting positions (Stokman & Van Oosten 1994; Dijkstra et al. 2008).

    Attributes:
        rounds: Maximum number of rounds (Decide's default run is 10 rounds). The model
            stops earlier when no exchange is feasible in a round for any draw.
        rate: ``"equal_gain"`` (Dijkstra, van Assen & Stokman 2008; Decide) or
            ``"rks"`` (Raiffa-Kalai-Smorodinsky, van Assen et al. 2003).
        fixed_weight: Share of its move an actor keeps into the next round
            (Decide's ``FIXED_WEIGHT`` = 0.1).
        salience_weight: Extra share kept in proportion to ``1 - salience``
            (Decide's ``SALIENCE_WEIGHT`` = 0.4).
    """

    name: ClassVar[str] = "exchange"
    citation: ClassVar[str] = (
        "Stokman & Van Oosten (1994), in European Community Decision Making, Yale UP; "
        "Dijkstra, van Assen & Stokman (2008), JTP 20(4)"
    )

    rounds: int = 10
    rate: Literal["equal_gain", "rks"] = "equal_gain"
    fixed_weight: float = 0.1
    salience_weight: float = 0.4

    def __post_init__(self) -> None:
        if self.rounds < 0:
            raise ValueError(f"rounds must be >= 0 (got {self.rounds})")
        if self.rate not in ("equal_gain", "rks"):
            raise ValueError(f"rate must be 'equal_gain' or 'rks' (got {self.rate!r})")
        if not (0 <= self.fixed_weight <= 1 and 0 <= self.salience_weight <= 1):
            raise ValueError("fixed_weight and salience_weight must lie in [0, 1]")
        if self.fixed_weight + self.salience_weight > 1:
            raise ValueError("fixed_weight + salience_weight must be <= 1")

    def forecast(
        self,
        view: ScenarioArrays,
        *,
        rng: np.random.Generator | None = None,
        trace: bool = True,
    ) -> Forecast:
        """Run the exchange rounds for every draw and forecast each issue.

        With ``trace=False`` the forecast holds no trajectory.
        """
        kernel = load_kernel("exchange", self.name, ("run_rounds",))

        lo, width = view.scale_min, view.scale_max - view.scale_min
        safe_width = np.where(width > 0, width, 1.0)
        x = (view.position - lo) / safe_width * 100.0
        s = np.where(view.has_stance[None], view.salience, 0.0)
        c = np.broadcast_to(view.capability[:, :, None], s.shape)
        w = c * s  # (D, A, I), fixed across rounds
        total = w.sum(axis=1)  # W per issue, (D, I)
        keep = self.fixed_weight + self.salience_weight * (1.0 - s)
        # ties between exchanges are broken by the place of their ids in sorted order,
        # so that the result does not depend on the input order
        a_place = np.argsort(np.argsort(np.array(view.actor_ids))).astype(np.int64)
        i_place = np.argsort(np.argsort(np.array(view.issue_ids))).astype(np.int64)

        def f64(a: NDArray[Any]) -> NDArray[np.float64]:
            return np.ascontiguousarray(a, dtype=np.float64)

        traj, executed, steps = kernel.run_rounds(
            f64(x),
            f64(s),
            f64(w),
            f64(total),
            f64(keep),
            a_place,
            i_place,
            int(self.rounds),
            self.rate == "rks",
            int(kernel.PAIRS_LAZY_MEAN if _PAIRS_LAZY_MEAN is None else _PAIRS_LAZY_MEAN),
        )
        log = _exchange_log(steps, view.actor_ids, view.issue_ids, width)
        # traj: (D, R+1, A, I) on 0-100
        outcome = weighted_mean(traj[:, -1], w)
        trajectory = None
        if trace:
            trajectory = traj * (width / 100.0)[None, None, None, :]
            trajectory += lo
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=outcome * (width / 100.0) + lo,
            trajectory=trajectory,
            diagnostics=MappingProxyType(
                {
                    "rate": self.rate,
                    "rounds_run": executed.shape[1],
                    "exchanges_per_round": executed,
                    # draw 0: (round, demander of p, demander of q, p, q, gain,
                    #          move on p, move on q) in issue units
                    "exchanges": log,
                }
            ),
        )


def _exchange_log(
    steps: NDArray[np.float64],
    actor_ids: Sequence[str],
    issue_ids: Sequence[str],
    width: NDArray[np.float64],
) -> tuple[tuple[int, str, str, str, str, float, float, float], ...]:
    """The kernel's rows of exchanges made, with ids and moves in issue units.

    Built column by column: a large scenario makes some 150,000 exchanges, and reading
    them row by row as numpy scalars took a quarter of a second.
    """
    index = steps[:, :5].astype(np.int64)
    p, q = index[:, 3], index[:, 4]
    actors = np.array(actor_ids, dtype=object)
    issues = np.array(issue_ids, dtype=object)
    return tuple(
        zip(
            index[:, 0].tolist(),
            actors[index[:, 1]].tolist(),
            actors[index[:, 2]].tolist(),
            issues[p].tolist(),
            issues[q].tolist(),
            steps[:, 5].tolist(),
            (steps[:, 6] * width[p] / 100.0).tolist(),
            (steps[:, 7] * width[q] / 100.0).tolist(),
            strict=True,
        )
    )
