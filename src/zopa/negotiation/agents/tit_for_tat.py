"""Relative tit-for-tat (Faratin, Sierra & Jennings 1998, behaviour-dependent tactics).

The relative tit-for-tat tactic reproduces, in percentage terms, the concession the
other side made ``delta`` steps before: ``x(n+1) = x_opp(n-2delta) / x_opp(n-2delta+2) *
x(n-1)``, bounded by the agent's range. Here delta = 1: the agent's target utility is
multiplied by the ratio of its utilities of the other side's two latest offers, kept
between its reservation value and its best. It opens with its best package and holds it
until two offers from the other side are on record; it accepts an offer worth at least
its target.

Deviations: imitation in the agent's utility rather than issue by issue; the "other
side" is whichever other party made the offer on the table (the best of the others'
proposals under monotonic concession); offers are chosen like the time-dependent agent's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.negotiation.agents.book import best_on_table, make_book, reservation, respond
from zopa.negotiation.agents.time_based import CITATION
from zopa.negotiation.interface import Actions
from zopa.negotiation.registries import AGENTS

if TYPE_CHECKING:
    from zopa.negotiation.interface import Brief, Negotiator, Turn


class _TitForTatNegotiator:
    def __init__(self, brief: Brief, red_lines: bool) -> None:
        self.brief = brief
        self.book = make_book(brief, red_lines=red_lines)
        self.best = self.book.top_utility
        self.floor = reservation(brief, self.book)
        self.target = self.best.copy()
        self.seen = np.full(brief.n_draws, np.nan)

    def act(self, turn: Turn) -> Actions:
        if turn.feedback is None:  # a re-prompt must not imitate twice
            _, val, has = best_on_table(self.brief, turn)
            prev = self.seen
            ok = has & np.isfinite(prev) & (val > 0)
            ratio = np.where(ok, prev / np.where(ok, val, 1.0), 1.0)
            self.target = np.clip(self.target * ratio, self.floor, self.best)
            self.seen = np.where(has, val, self.seen)
        k = self.book.at_least(self.target)
        accept, offer = respond(self.brief, turn, k, self.target)
        return Actions.choose(accept, offer)


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class RelativeTitForTat:
    """Imitate the other side's relative concession (delta = 1)."""

    name: ClassVar[str] = "tit_for_tat"
    citation: ClassVar[str] = CITATION + " (relative tit-for-tat)"
    red_lines: bool = True

    def start(self, brief: Brief, rng: np.random.Generator) -> Negotiator:
        """A negotiator for one run."""
        return _TitForTatNegotiator(brief, self.red_lines)
