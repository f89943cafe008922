"""The monotonic concession protocol (Rosenschein & Zlotkin 1994; Endriss 2006).

Rosenschein, J. S., & Zlotkin, G. (1994). Rules of Encounter: Designing Conventions for
Automated Negotiation among Computers. MIT Press. Endriss, U. (2006). Monotonic
concession protocols for multilateral negotiation. AAMAS 2006, 392-399.
Every round all parties propose at once. If some proposal is worth at least as much to
every party as its own proposal, it is agreed. Otherwise each party either stands still
or concedes: a new proposal must be worth at least as much to every other party as its
previous one (monotonicity). A round in which nobody concedes ends in conflict.

Deviations: when several proposals qualify, the one with the largest sum of gains over
no agreement is agreed (the first party's on a tie) instead of a coin toss; a party may
also *accept*, which adopts the others' proposal it values most; agreement needs every
required party and a quorum of the others (acceptance is judged by those parties only);
a party walking away ends the talks; time is bounded by the deadline in rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE, Actions, Ending, Move, Outcome
from zopa.negotiation.protocols.session import Check, Session, end, needed
from zopa.negotiation.registries import PROTOCOLS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.negotiation.interface import Negotiator
    from zopa.negotiation.table import Table

OPEN = frozenset({Move.OFFER, Move.ACCEPT, Move.WALK_AWAY})
#: A proposal must not be worse than the previous one for another party by more than this.
TOL = 1e-12


@PROTOCOLS.register
@dataclass(frozen=True, kw_only=True)
class MonotonicConcession:
    """Simultaneous proposals; stand still or concede; agree when a proposal suits all."""

    name: ClassVar[str] = "concession"
    citation: ClassVar[str] = (
        "Rosenschein & Zlotkin (1994), Rules of Encounter, MIT Press; "
        "Endriss (2006), Monotonic concession protocols for multilateral negotiation, AAMAS"
    )

    def run(
        self, table: Table, negotiators: tuple[Negotiator, ...], *, record: bool = True
    ) -> Outcome:
        """Run the talks."""
        s = Session(table, negotiators, record)
        d, n, p_count = s.n_draws, s.n_issues, len(table.parties)
        proposals = np.full((d, p_count, n), NO_PACKAGE, dtype=np.intp)
        value = np.zeros((d, p_count, p_count))  # value[d, i, j]: u_i of j's proposal
        agreed = np.zeros(d, dtype=bool)
        package = np.full((d, n), NO_PACKAGE, dtype=np.intp)
        ended = np.full(d, Ending.DEADLINE, dtype=np.int8)
        round_at = np.full(d, table.deadline - 1, dtype=np.intp)
        walked = np.full(d, -1, dtype=np.intp)
        no_deal = table.no_deal_of_parties()
        for r in range(table.deadline):
            if not s.active.any():
                break
            before = proposals.copy()
            seen = before.copy() if r > 0 else None
            new = before.copy()
            walk_any = np.zeros(d, dtype=bool)
            for p in range(p_count):
                turn = s.turn(r, OPEN, proposals=seen)
                act = s.ask(p, turn, self._check(table, p, before, r))
                live = s.active
                off = live & (act.move == Move.OFFER)
                acc = live & (act.move == Move.ACCEPT)
                new[off, p] = act.offer[off]
                if acc.any():
                    own = table.utilities(before)[:, :, p]  # (D, P) u_p of every proposal
                    own[:, p] = -np.inf
                    pick = np.argmax(own, axis=1)
                    new[acc, p] = before[acc, pick[acc]]
                walk = live & (act.move == Move.WALK_AWAY)
                walked[walk & ~walk_any] = p
                walk_any |= walk
            end(ended, round_at, s.active & walk_any, Ending.WALK_AWAY, r)
            s.active &= ~walk_any
            proposals = new
            u = table.utilities(proposals)  # (D, K=P proposals, P parties)
            value = np.swapaxes(u, 1, 2)  # (D, i, j)
            own_value = np.diagonal(value, axis1=1, axis2=2)  # (D, P)
            suits = value >= own_value[:, :, None] - TOL  # (D, i, j): j's proposal suits i
            required = table.required
            req_ok = (suits | ~required[None, :, None]).all(axis=1)  # (D, j)
            quorum_ok = (suits & ~required[None, :, None]).sum(axis=1) >= needed(table)
            qualifies = req_ok & quorum_ok
            gains = (u - no_deal[:, None, :]).sum(axis=2)  # (D, j)
            score = np.where(qualifies, gains, -np.inf)
            best = np.argmax(score, axis=1)
            done = s.active & qualifies.any(axis=1)
            agreed |= done
            package[done] = proposals[done, best[done]]
            end(ended, round_at, done, Ending.AGREEMENT, r)
            s.active &= ~done
            if r > 0:
                moved = (proposals != before).any(axis=2)  # (D, P)
                prev = np.swapaxes(table.utilities(before), 1, 2)  # (D, i, j)
                better = value > prev + TOL
                eye = np.eye(p_count, dtype=bool)[None]
                conceded = (moved[:, None, :] & better & ~eye).any(axis=(1, 2))
                stuck = s.active & ~conceded
                end(ended, round_at, stuck, Ending.NO_CONCESSION, r)
                s.active &= ~stuck
        return Outcome(
            self.name, agreed, package, round_at, ended, walked, s.transcript() if record else None
        )

    @staticmethod
    def _check(table: Table, party: int, before: NDArray[np.intp], round_: int) -> Check:
        def check(p: int, a: Actions) -> NDArray[np.object_]:
            out = np.full(a.move.shape[0], "", dtype=object)
            if round_ == 0:
                out[a.move == Move.ACCEPT] = "there is no proposal to accept in the first round"
                return out
            off = a.move == Move.OFFER
            if not off.any():
                return out
            old = table.utilities(before[:, party][:, None, :])[:, 0]  # (D, P)
            cand = table.utilities(np.where(off[:, None], a.offer, before[:, party])[:, None, :])[
                :, 0
            ]
            others = np.ones(len(table.parties), dtype=bool)
            others[party] = False
            worse = ((cand < old - TOL) & others).any(axis=1) & off
            out[worse] = (
                "a new proposal must be worth at least as much to every other party "
                "as your previous one"
            )
            return out

        return check
