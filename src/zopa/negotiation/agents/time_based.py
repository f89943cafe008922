"""Time-dependent concession: Boulware, linear and Conceder (Faratin, Sierra & Jennings 1998).

Faratin, P., Sierra, C., & Jennings, N. R. (1998). Negotiation decision functions for
autonomous agents. Robotics and Autonomous Systems 24(3-4), 159-182. The polynomial
time-dependent tactic concedes by

    alpha(t) = kappa + (1 - kappa) * (min(t, t_max) / t_max) ** (1 / beta)

of the way from the agent's best value to its reservation value: beta < 1 holds firm
until near the deadline (Boulware), beta = 1 concedes linearly, beta > 1 concedes early
(Conceder). The agent accepts an offer worth at least as much as the offer it would
make next. Defaults: beta = 0.1 (Boulware) and 20 (Conceder), inside the ranges of
Faratin et al.'s experiments (Boulware 0.01..0.2, Conceder 20..40); kappa = 0 (the first
offer is the agent's best).

Deviations: the tactic is applied to the agent's utility instead of issue by issue:
the target utility is ``best - alpha(t) * (best - reservation)`` and the offer is the
candidate package worth at least the target that the other parties' stated utilities
rank highest (a trade-off choice on the iso-utility level; Faratin, Sierra & Jennings
2002 describe it); the reservation value is the agent's utility of no agreement; offers
stay inside its red lines; t counts rounds (t_max = the deadline's last round).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.negotiation.agents.book import make_book, reservation, respond
from zopa.negotiation.interface import Actions
from zopa.negotiation.registries import AGENTS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.negotiation.interface import Brief, Negotiator, Turn

CITATION = (
    "Faratin, Sierra & Jennings (1998), Negotiation decision functions for autonomous "
    "agents, Robotics and Autonomous Systems 24(3-4)"
)


class _TimeNegotiator:
    def __init__(self, brief: Brief, beta: float, kappa: float, red_lines: bool) -> None:
        self.brief = brief
        self.beta = beta
        self.kappa = kappa
        self.book = make_book(brief, red_lines=red_lines)
        self.best = self.book.top_utility
        self.floor = reservation(brief, self.book)

    def target(self, t: float) -> NDArray[np.float64]:
        alpha = self.kappa + (1.0 - self.kappa) * min(max(t, 0.0), 1.0) ** (1.0 / self.beta)
        out: NDArray[np.float64] = self.best - alpha * (self.best - self.floor)
        return out

    def act(self, turn: Turn) -> Actions:
        target = self.target(turn.time)
        k = self.book.at_least(target)
        own = self.brief.utility[np.arange(self.brief.n_draws), k]
        accept, offer = respond(self.brief, turn, k, own)
        return Actions.choose(accept, offer)


@dataclass(frozen=True, kw_only=True)
class TimeDependent:
    """Concede over time by the polynomial tactic with exponent ``beta``."""

    name: ClassVar[str] = "time_dependent"
    citation: ClassVar[str] = CITATION
    beta: float = 1.0
    kappa: float = 0.0
    red_lines: bool = True

    def __post_init__(self) -> None:
        if not self.beta > 0:
            raise ValueError(f"beta must be positive (got {self.beta})")
        if not 0.0 <= self.kappa <= 1.0:
            raise ValueError(f"kappa must lie in 0..1 (got {self.kappa})")

    def start(self, brief: Brief, rng: np.random.Generator) -> Negotiator:
        """A negotiator for one run."""
        return _TimeNegotiator(brief, self.beta, self.kappa, self.red_lines)


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class Boulware(TimeDependent):
    """Holds firm until close to the deadline (beta < 1)."""

    name: ClassVar[str] = "boulware"
    beta: float = 0.1


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class Linear(TimeDependent):
    """Concedes at a constant rate (beta = 1)."""

    name: ClassVar[str] = "linear"
    beta: float = 1.0


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class Conceder(TimeDependent):
    """Concedes early (beta > 1)."""

    name: ClassVar[str] = "conceder"
    beta: float = 20.0
