"""Two agents that do not concede over time: the Nash seeker and the hard-liner.

Nash seeker: proposes the table's Nash bargaining package (Nash 1950, Econometrica 18(2);
capability-weighted as zopa's deal space computes it from the stated stances, with the
colliding issues set aside when red lines collide, as ``zopa tables`` does) from the
first round, and accepts any offer worth at least as much to it as that package, less
``tolerance``. Where the package lies outside its red lines or below its utility of no
agreement in a draw, it proposes its own best package instead.

Hard-liner: proposes its own best package in every round, never crosses its red lines,
and accepts only offers whose gain over no agreement is at least ``floor`` of its best
package's gain (the Boulware limit beta -> 0 of Faratin, Sierra & Jennings 1998).

Parameters: ``tolerance = 0`` and ``floor = 0.9`` are assumptions (the literature gives no
value for either).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.negotiation.agents.book import make_book, reservation, respond
from zopa.negotiation.agents.time_based import CITATION
from zopa.negotiation.interface import Actions
from zopa.negotiation.registries import AGENTS

if TYPE_CHECKING:
    from zopa.negotiation.interface import Brief, Negotiator, Turn


class _FixedNegotiator:
    """Offers one candidate per draw and accepts above a threshold."""

    def __init__(self, brief: Brief, index: np.ndarray, threshold: np.ndarray) -> None:
        self.brief = brief
        self.index = index
        self.threshold = threshold

    def act(self, turn: Turn) -> Actions:
        accept, offer = respond(self.brief, turn, self.index, self.threshold)
        return Actions.choose(accept, offer)


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class NashSeeker:
    """Propose the table's Nash package; accept anything at least as good."""

    name: ClassVar[str] = "nash_seeker"
    citation: ClassVar[str] = (
        "Nash (1950), The bargaining problem, Econometrica 18(2); "
        "Kalai (1977), Int. J. Game Theory 6(3) (capability weights)"
    )
    tolerance: float = 0.0

    def __post_init__(self) -> None:
        if not self.tolerance >= 0:
            raise ValueError(f"tolerance must be >= 0 (got {self.tolerance})")

    def start(self, brief: Brief, rng: np.random.Generator) -> Negotiator:
        """A negotiator for one run."""
        book = make_book(brief)
        table = brief.table
        best = book.top()
        if table.nash is None:
            return _FixedNegotiator(brief, best, brief.utility[np.arange(brief.n_draws), best])
        match = np.flatnonzero((table.candidates == table.nash[None, :]).all(axis=1))
        k = int(match[0])
        pkg = np.broadcast_to(table.nash, (brief.n_draws, len(table.nash)))
        ok = brief.acceptable(pkg)
        index = np.where(ok, k, best)
        value = brief.utility[np.arange(brief.n_draws), index]
        return _FixedNegotiator(brief, index, value - self.tolerance)


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class HardLiner:
    """Propose one's own best package always; accept only near-best offers."""

    name: ClassVar[str] = "hard_liner"
    citation: ClassVar[str] = CITATION + " (the Boulware limit)"
    floor: float = 0.9

    def __post_init__(self) -> None:
        if not 0.0 <= self.floor <= 1.0:
            raise ValueError(f"floor must lie in 0..1 (got {self.floor})")

    def start(self, brief: Brief, rng: np.random.Generator) -> Negotiator:
        """A negotiator for one run."""
        book = make_book(brief, red_lines=True)
        low = reservation(brief, book)
        threshold = low + self.floor * (book.top_utility - low)
        return _FixedNegotiator(brief, book.top(), threshold)
