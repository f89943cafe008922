"""Where one party's effort pays: its own moves and whom to work on, ranked.

For the advised party, every candidate lever (:mod:`zopa.advice.levers`) is scored twice:

- under a forecasting model: the change in the party's expected utility of the forecast
  outcome (one batched model run for all levers, :mod:`zopa.advice.forecast_effect`);
- under the deal space: whether the zone of possible agreement opens, and the change in
  the party's utility of the deal (the Nash package, or the core's when red lines
  collide; :mod:`zopa.advice.deal_effect`).

Benefit and cost are kept apart: the cost is what the mover gives up (see
:mod:`zopa.advice.levers`) and the size of the shift. Other parties are held to the
model's behaviour: a lever changes one stance and every other actor responds only as the
model (or the bargaining solution) says; nobody counter-moves, retaliates or sees
through a bluff.

This is the "advise" use of a forecasting model: re-running it with one party's inputs
changed to see which change serves that party (Bueno de Mesquita 2009, *The
Predictioneer's Game*, Random House, does so with his expected-utility model).

Deviations:
    - Levers are explicit one-stance changes of a stated size (a step up and down), not a
      search for the best position or a combination of moves.
    - Any registered model can be used (the compromise model by default), and the deal
      space (Nash bargaining over the parties' packages) is scored beside the forecast.
    - The party's utility is the deal space's (linear or quadratic loss, saliences
      normalised), not the expected-utility model's own utility function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from zopa.advice.deal_effect import Deal, lever_deals
from zopa.advice.forecast_effect import forecast_effects, party_utility
from zopa.advice.levers import POSITION_STEP, SALIENCE_STEP, Lever, candidate_levers

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, MutableMapping, Sequence

    from zopa.agreements.utility import Loss
    from zopa.arrays import ScenarioArrays
    from zopa.models import ForecastModel

RankBy = Literal["forecast", "deal"]
RANKINGS: tuple[RankBy, ...] = ("forecast", "deal")
#: Benefits within this are ties (utilities carry ~1e-12 of quantisation).
TIE = 1e-9


def caveat(model: str) -> str:
    """The plain statement of what the benefits assume."""
    return (
        f"Other parties are held to the {model} model's behaviour (and, for the deal, to "
        "the Nash bargaining solution): each lever changes one stance, everyone else "
        "responds only as the model says; nobody counter-moves or sees through a bluff."
    )


@dataclass(frozen=True, slots=True)
class LeverEffect:
    """What one lever does for the advised party.

    Attributes:
        lever: The change and its cost.
        benefit: Change in the party's expected utility of the model's forecast.
        outcome: The model's forecast with the lever (first draw), one value per issue.
        deal: The deal with the lever (``None`` when the deal space was not analysed).
        deal_utility: The party's utility of that deal (``None``: no deal or not analysed).
        deal_benefit: ``deal_utility`` minus the stated deal's (``None`` if either is).
        opens_zone: Whether the stated zone is empty and the lever opens it.
    """

    lever: Lever
    benefit: float
    outcome: tuple[float, ...]
    deal: Deal | None
    deal_utility: float | None
    deal_benefit: float | None
    opens_zone: bool


@dataclass(frozen=True, eq=False)
class Advice:
    """Every lever of one party, ranked.

    Attributes:
        actor: The advised party.
        model: The forecasting model's name.
        issue_ids: Issue ids, in the order of the outcomes.
        parties: The actors whose acceptance a deal needs.
        loss: The utility's loss.
        draws: Monte Carlo draws behind the expected utility (0: the stated positions).
        position_step: Position step, percent of each issue's scale width.
        salience_step: Salience step.
        rank_by: ``"forecast"`` or ``"deal"``.
        expected_utility: The party's expected utility of the forecast as stated.
        outcome: The forecast as stated (first draw).
        deal: The stated deal (``None`` when the deal space was not analysed).
        deal_utility: The party's utility of the stated deal.
        effects: Every lever's effect, best first.
    """

    actor: str
    model: str
    issue_ids: tuple[str, ...]
    parties: tuple[str, ...]
    loss: Loss
    draws: int
    position_step: float
    salience_step: float
    rank_by: RankBy
    expected_utility: float
    outcome: tuple[float, ...]
    deal: Deal | None
    deal_utility: float | None
    effects: tuple[LeverEffect, ...]

    @property
    def caveat(self) -> str:
        """What the benefits assume about everyone else."""
        return caveat(self.model)


def rank(effects: Sequence[LeverEffect], rank_by: RankBy) -> tuple[LeverEffect, ...]:
    """Best first: by forecast benefit, or by opening the zone and then deal benefit.

    The other measure breaks ties, then the smaller cost; the candidate order breaks the
    rest (own moves first).
    """

    def deal_key(e: LeverEffect) -> float:
        return -np.inf if e.deal_benefit is None else round(e.deal_benefit / TIE)

    def key(e: LeverEffect) -> tuple[float, ...]:
        forecast = round(e.benefit / TIE)
        cost = round(e.lever.cost / TIE)
        if rank_by == "deal":
            return (-float(e.opens_zone), -deal_key(e), -forecast, cost)
        return (-forecast, -deal_key(e), cost)

    return tuple(sorted(effects, key=key))


def advise_party(
    point: ScenarioArrays,
    actor: str,
    model: ForecastModel,
    *,
    parties: Sequence[str] | None = None,
    position_step: float = POSITION_STEP,
    salience_step: float = SALIENCE_STEP,
    loss: Loss = "linear",
    draws: ScenarioArrays | None = None,
    rng: np.random.Generator | None = None,
    deal_space: bool = True,
    grid: int = 11,
    extra_levels: Mapping[str, Sequence[float]] | None = None,
    method: str = "auto",
    rank_by: RankBy = "forecast",
    deal_cache: MutableMapping[tuple[object, ...], Deal] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Advice:
    """Rank one party's levers by what they do for it.

    Args:
        point: The scenario's point view (D = 1).
        actor: The advised party.
        model: The forecasting model (run once on all levers).
        parties: Actors whose acceptance a deal needs (default: the veto players, or
            every actor when none is marked, as in the deal space).
        position_step: Position step, percent of each issue's scale width.
        salience_step: Salience step.
        loss: The utility's loss.
        draws: Monte Carlo draws of the positions; the expected utility is their mean.
        rng: Generator of random models.
        deal_space: Also analyse the deal space with each lever on a party's stance.
        grid: Levels per issue of the deal space.
        extra_levels: Per issue, more grid levels (the issue's anchor points).
        method: Deal-space computation path (``"auto"``, ``"enumeration"``, ``"milp"``).
        rank_by: ``"forecast"`` or ``"deal"``.
        deal_cache: Deals already found for this scenario (see
            :func:`~zopa.advice.deal_effect.lever_deals`), shared by several calls.
        progress: Called with (solved, to solve) as the deal space is solved per lever.
    """
    if actor not in point.actor_ids:
        raise KeyError(actor)
    if parties is None:
        vetoes = [a for a, v in zip(point.actor_ids, point.veto, strict=True) if v]
        parties = vetoes or list(point.actor_ids)
    levers = candidate_levers(
        point,
        actor,
        parties=parties,
        position_step=position_step,
        salience_step=salience_step,
        loss=loss,
    )
    found = forecast_effects(model, point, actor, levers, draws=draws, rng=rng, loss=loss)
    stated: Deal | None = None
    deals: list[Deal | None] = [None] * len(levers)
    if deal_space:
        stated, lever_found = lever_deals(
            point,
            levers,
            parties=parties,
            grid=grid,
            loss=loss,
            extra_levels=extra_levels,
            method=method,
            cache=deal_cache,
            progress=progress,
        )
        deals = list(lever_found)
    stated_u = _deal_utility(point, actor, stated, loss)
    effects = []
    for k, lv in enumerate(levers):
        u = _deal_utility(point, actor, deals[k], loss)
        d = deals[k]
        effects.append(
            LeverEffect(
                lever=lv,
                benefit=float(found.benefit[k]),
                outcome=tuple(float(v) for v in found.outcomes[k]),
                deal=d,
                deal_utility=u,
                deal_benefit=None if u is None or stated_u is None else u - stated_u,
                opens_zone=stated is not None
                and d is not None
                and not stated.zone_open
                and d.zone_open,
            )
        )
    return Advice(
        actor=actor,
        model=model.name,
        issue_ids=point.issue_ids,
        parties=tuple(parties),
        loss=loss,
        draws=0 if draws is None else draws.n_draws,
        position_step=position_step,
        salience_step=salience_step,
        rank_by=rank_by,
        expected_utility=found.expected_utility,
        outcome=tuple(float(v) for v in found.outcome),
        deal=stated,
        deal_utility=stated_u,
        effects=rank(effects, rank_by),
    )


def _deal_utility(point: ScenarioArrays, actor: str, deal: Deal | None, loss: Loss) -> float | None:
    if deal is None or deal.package is None:
        return None
    values = np.asarray(deal.package, dtype=float)[None]
    return float(party_utility(point, actor, values, loss=loss)[0])
