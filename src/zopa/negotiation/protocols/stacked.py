"""Stacked alternating offers for several parties (Aydoğan, Festen, Hindriks & Jonker 2017).

Aydoğan, R., Festen, D., Hindriks, K. V., & Jonker, C. M. (2017). Alternating offers
protocols for multilateral negotiation. In Modern Approaches to Agent-based Complex
Automated Negotiation (Studies in Computational Intelligence 674), 153-167. Springer.
The parties speak in a fixed order; each in turn accepts the offer on the table, makes
a counter-offer (which replaces it), or walks away. In the paper an offer is agreed
when every other party has accepted it in turn.

Deviations (to play zopa's tables): agreement needs every required party (the veto
players at the table) and a stated quorum of the others, counting the proposer as
accepting its own offer; a party that is not required and walks away leaves the table
(it gets the outcome without a say) instead of ending the talks, which end when a
required party walks away or the quorum can no longer be met. Time is counted in rounds
(every party speaks once a round).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE, Ending, Move, Outcome
from zopa.negotiation.protocols.alternating import OPEN, no_offer_to_accept
from zopa.negotiation.protocols.session import Session, agreement, end, quorum_lost
from zopa.negotiation.registries import PROTOCOLS

if TYPE_CHECKING:
    from zopa.negotiation.interface import Negotiator
    from zopa.negotiation.table import Table


@PROTOCOLS.register
@dataclass(frozen=True, kw_only=True)
class StackedAlternatingOffers:
    """Parties take turns accepting, countering or walking away; a quorum agrees."""

    name: ClassVar[str] = "stacked"
    citation: ClassVar[str] = (
        "Aydoğan, Festen, Hindriks & Jonker (2017), Alternating offers protocols for "
        "multilateral negotiation, Studies in Computational Intelligence 674"
    )

    def run(
        self, table: Table, negotiators: tuple[Negotiator, ...], *, record: bool = True
    ) -> Outcome:
        """Run the talks (the table's first party opens)."""
        s = Session(table, negotiators, record)
        d, n, p_count = s.n_draws, s.n_issues, len(table.parties)
        standing = np.full((d, n), NO_PACKAGE, dtype=np.intp)
        standing_from = np.full(d, -1, dtype=np.intp)
        accepted = np.zeros((d, p_count), dtype=bool)
        left = np.zeros((d, p_count), dtype=bool)
        agreed = np.zeros(d, dtype=bool)
        package = np.full((d, n), NO_PACKAGE, dtype=np.intp)
        ended = np.full(d, Ending.DEADLINE, dtype=np.int8)
        round_at = np.full(d, table.deadline - 1, dtype=np.intp)
        walked = np.full(d, -1, dtype=np.intp)
        for r in range(table.deadline):
            for p in range(p_count):
                if not s.active.any():
                    break
                listening = s.active & ~left[:, p]
                if not listening.any():
                    continue
                has = standing_from >= 0
                turn = s.turn(
                    r,
                    OPEN,
                    standing=standing.copy() if has.any() else None,
                    standing_from=standing_from.copy() if has.any() else None,
                )
                act = s.ask(
                    p,
                    turn,
                    no_offer_to_accept(standing_from),
                    listening=listening,
                )
                acc = listening & (act.move == Move.ACCEPT)
                walk = listening & (act.move == Move.WALK_AWAY)
                off = listening & (act.move == Move.OFFER)
                accepted[acc, p] = True
                standing[off] = act.offer[off]
                standing_from[off] = p
                accepted[off] = False
                accepted[off, p] = True
                veto_walk = walk & bool(table.required[p])
                left[walk & ~veto_walk, p] = True
                accepted[walk, p] = False
                done = s.active & (standing_from >= 0) & agreement(table, accepted)
                agreed |= done
                package[done] = standing[done]
                end(ended, round_at, done, Ending.AGREEMENT, r)
                lost = s.active & ~done & (veto_walk | quorum_lost(table, left))
                end(ended, round_at, lost, Ending.WALK_AWAY, r)
                walked[lost & walk] = p
                s.active &= ~(done | lost)
        return Outcome(
            self.name, agreed, package, round_at, ended, walked, s.transcript() if record else None
        )
