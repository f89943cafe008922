"""One deal, assessed whole: survival, deterrence, ending, and every actor's utility."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zopa.durability.ending import EndingAssessment, classify_ending
from zopa.durability.simulate import DurabilityResult, analyse_durability
from zopa.durability.utilities import ActorDealUtility, deal_utilities

if TYPE_CHECKING:
    from zopa.durability.deal import Deal
    from zopa.durability.parameters import DurabilityParameters
    from zopa.scenario import Scenario


@dataclass(frozen=True, eq=False)
class DealAssessment:
    """Everything the durability analysis says about one deal."""

    deal: Deal
    scenario: Scenario
    result: DurabilityResult
    ending: EndingAssessment
    utilities: tuple[ActorDealUtility, ...]


def assess_deal(
    deal: Deal,
    scenario: Scenario,
    params: DurabilityParameters,
    *,
    n_draws: int = 10_000,
    seed: int | None = 0,
) -> DealAssessment:
    """Run the durability Monte Carlo, classify the ending and compute the utilities.

    Deals assessed with the same seed share their parameter draws (common random
    numbers), so differences between them come from their terms, not from sampling.
    """
    result = analyse_durability(deal.id, deal.mechanisms, params, n_draws=n_draws, seed=seed)
    return DealAssessment(
        deal=deal,
        scenario=scenario,
        result=result,
        ending=classify_ending(deal, result, params.ending, scenario),
        utilities=deal_utilities(deal, scenario),
    )
