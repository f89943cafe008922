"""Every actor's utility of a deal against no deal.

A deal becomes a package: each issue takes the deal's value where the deal settles it
(finally or in the interim) and the issue's status quo otherwise (the deal changes
nothing there). No deal is the status-quo package. Utilities are those of the deal-space
analysis (:mod:`zopa.agreements.utility`): the salience-weighted closeness of the package
to the actor's positions, 0..1, with a linear loss; an issue without a status quo
contributes nothing when unsettled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.agreements.utility import status_quo_utility, utility

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.durability.deal import Deal
    from zopa.scenario import Scenario


@dataclass(frozen=True, slots=True)
class ActorDealUtility:
    """One actor's utility of a deal and of no deal (0..1), and the difference."""

    actor: str
    deal: float
    no_deal: float

    @property
    def gain(self) -> float:
        """Utility of the deal minus utility of no deal."""
        return self.deal - self.no_deal


def deal_package(deal: Deal, scenario: Scenario) -> NDArray[np.float64]:
    """The deal as one value per scenario issue (status quo where the deal is silent): (I,)."""
    values = []
    for issue in scenario.issues:
        v = deal.settled_value(issue.id)
        if v is None:
            v = np.nan if issue.status_quo is None else issue.status_quo
        values.append(v)
    return np.array(values, dtype=float)


def deal_utilities(deal: Deal, scenario: Scenario) -> tuple[ActorDealUtility, ...]:
    """Each actor's utility of the deal and of no deal, at the point estimate."""
    view = scenario.arrays()
    with_deal = utility(view, deal_package(deal, scenario)[None, :])[0, 0]
    without = status_quo_utility(view)[0]
    return tuple(
        ActorDealUtility(actor=a, deal=float(u), no_deal=float(n))
        for a, u, n in zip(view.actor_ids, with_deal, without, strict=True)
    )
