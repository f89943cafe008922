"""Bilateral alternating offers with a deadline (Rubinstein 1982; SAO).

The form used in automated negotiation (the stacked alternating offers protocol with
two parties, SAO).

Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica 50(1),
97-109. The two parties take turns; at its turn a party accepts the offer on the table
(the other's latest), makes a counter-offer, or walks away. An acceptance ends the talks
with that package; walking away or reaching the deadline ends them with no agreement.

Deviations: time is a number of rounds (each round, both parties move once) instead of
Rubinstein's discounting; utilities are the deal space's, without a discount factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE, Actions, Ending, Move, Outcome
from zopa.negotiation.protocols.session import ACCEPT, Check, Session, end
from zopa.negotiation.registries import PROTOCOLS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.negotiation.interface import Negotiator
    from zopa.negotiation.table import Table

OPEN = frozenset({Move.OFFER, Move.ACCEPT, Move.WALK_AWAY})


def no_offer_to_accept(standing_from: NDArray[np.intp]) -> Check:
    """A check refusing an acceptance where no other party's offer is on the table."""

    def check(party: int, a: Actions) -> NDArray[np.object_]:
        out = np.full(a.move.shape[0], "", dtype=object)
        acc = a.move == ACCEPT
        if acc.any():
            out[acc & (standing_from < 0)] = "there is no offer on the table to accept"
            out[acc & (standing_from == party)] = "the offer on the table is your own"
        return out

    return check


@PROTOCOLS.register
@dataclass(frozen=True, kw_only=True)
class AlternatingOffers:
    """Two parties alternate offers until one accepts, one walks away, or time runs out."""

    name: ClassVar[str] = "alternating"
    citation: ClassVar[str] = (
        "Rubinstein (1982), Perfect equilibrium in a bargaining model, Econometrica 50(1)"
    )

    def run(
        self, table: Table, negotiators: tuple[Negotiator, ...], *, record: bool = True
    ) -> Outcome:
        """Run the talks (the table's first party opens)."""
        if len(table.parties) != 2:
            raise ValueError(
                f"alternating offers needs exactly two parties at the table "
                f"(got {len(table.parties)}); use the stacked protocol for more"
            )
        s = Session(table, negotiators, record)
        d, n = s.n_draws, s.n_issues
        standing = np.full((d, n), NO_PACKAGE, dtype=np.intp)
        standing_from = np.full(d, -1, dtype=np.intp)
        agreed = np.zeros(d, dtype=bool)
        package = np.full((d, n), NO_PACKAGE, dtype=np.intp)
        ended = np.full(d, Ending.DEADLINE, dtype=np.int8)
        round_at = np.full(d, table.deadline - 1, dtype=np.intp)
        walked = np.full(d, -1, dtype=np.intp)
        for r in range(table.deadline):
            for p in (0, 1):
                if not s.active.any():
                    break
                has = standing_from >= 0
                turn = s.turn(
                    r,
                    OPEN,
                    standing=standing.copy() if has.any() else None,
                    standing_from=standing_from.copy() if has.any() else None,
                )
                act = s.ask(p, turn, no_offer_to_accept(standing_from))
                live = s.active
                acc = live & (act.move == Move.ACCEPT)
                walk = live & (act.move == Move.WALK_AWAY)
                off = live & (act.move == Move.OFFER)
                agreed |= acc
                package[acc] = standing[acc]
                end(ended, round_at, acc, Ending.AGREEMENT, r)
                end(ended, round_at, walk, Ending.WALK_AWAY, r)
                walked[walk] = p
                standing[off] = act.offer[off]
                standing_from[off] = p
                s.active &= ~(acc | walk)
        return Outcome(
            self.name, agreed, package, round_at, ended, walked, s.transcript() if record else None
        )
