"""What every protocol shares: asking a party, validating its answer, re-prompting once.

An answer is checked draw by draw: the move must be one the turn allows, an offered
package must name a level on every issue, and the protocol may add its own rule (a
concession rule, "there is no offer to accept"). A refused answer gets one re-prompt
carrying the reason; a second refusal counts as repeating the party's last offer, or as
passing the turn when it has made none. Both answers and what was counted go into the
transcript.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE, Actions, Move, Turn
from zopa.negotiation.transcript import Step, Transcript

OFFER, ACCEPT, WALK_AWAY, PASS = (int(m) for m in Move)

#: A protocol's own rule: (party, answer) -> per draw why it is refused ("" if valid).
Check: TypeAlias = "Callable[[int, Actions], NDArray[np.object_]]"

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

    from zopa.negotiation.interface import Negotiator
    from zopa.negotiation.table import Table


class Session:
    """One run's bookkeeping: active draws, each party's last offer, the steps."""

    def __init__(self, table: Table, negotiators: tuple[Negotiator, ...], record: bool) -> None:
        if len(negotiators) != len(table.parties):
            raise ValueError(
                f"{len(negotiators)} negotiators for {len(table.parties)} parties at the table"
            )
        self.table = table
        self.negotiators = negotiators
        self.record = record
        self.n_draws = table.n_draws
        self.n_issues = len(table.issue_ids)
        self.steps: list[Step] = []
        self.active = np.ones(self.n_draws, dtype=bool)
        self.last_offer = np.full(
            (len(table.parties), self.n_draws, self.n_issues), NO_PACKAGE, dtype=np.intp
        )
        self._n_levels = np.asarray(table.n_levels, dtype=np.intp)

    def transcript(self) -> Transcript:
        """The record so far."""
        return Transcript(self.table.parties, self.table.issue_ids, tuple(self.steps))

    def turn(self, round_: int, open_moves: frozenset[Move], **seen: object) -> Turn:
        """A turn with the current record and active draws."""
        return Turn(
            round=round_,
            deadline=self.table.deadline,
            record=self.transcript()
            if self.record
            else Transcript(self.table.parties, self.table.issue_ids),
            open_moves=open_moves,
            active=self.active.copy(),
            **seen,  # type: ignore[arg-type]
        )

    def ask(
        self,
        party: int,
        turn: Turn,
        check: Check | None = None,
        *,
        listening: NDArray[np.bool_] | None = None,
    ) -> Actions:
        """The answer counted for ``party`` (validated, re-prompted once), recorded.

        ``listening`` (D,) limits the draws whose answer counts (default: active draws).
        """
        live = self.active if listening is None else listening
        first = self.negotiators[party].act(turn)
        reasons = self._reasons(party, first, turn.open_moves, check)
        bad = None if reasons is None else live & (reasons != "")
        answers: tuple[Actions, ...] = (first,)
        move, offer = self._normalised(first)
        message = first.message
        if bad is not None and bad.any():
            assert reasons is not None
            feedback = tuple(str(r) if b else "" for r, b in zip(reasons, bad, strict=True))
            second = self.negotiators[party].act(replace(turn, feedback=feedback))
            answers = (first, second)
            reasons2 = self._reasons(party, second, turn.open_moves, check)
            move2, offer2 = self._normalised(second)
            fixed = bad if reasons2 is None else bad & (reasons2 == "")
            still = bad & ~fixed
            move = np.where(fixed, move2, move).astype(np.int8)
            offer = np.where(fixed[:, None], offer2, offer)
            last = self.last_offer[party]
            has_last = last[:, 0] != NO_PACKAGE
            move = np.where(still, np.where(has_last, OFFER, PASS), move).astype(np.int8)
            offer = np.where(still[:, None], last, offer)
            if second.message and len(second.message) == self.n_draws:
                base = message if len(message) == self.n_draws else ("",) * self.n_draws
                message = tuple(
                    m2 if b else m for m, m2, b in zip(base, second.message, bad, strict=True)
                )
        else:
            bad = None
        move = np.where(live, move, PASS).astype(np.int8)
        offers = move == OFFER
        offer = np.where(offers[:, None], offer, NO_PACKAGE)
        self.last_offer[party][offers] = offer[offers]
        if self.record:
            refused: tuple[str, ...] = ()
            if bad is not None and reasons is not None:
                refused = tuple(str(r) if b else "" for r, b in zip(reasons, bad, strict=True))
            self.steps.append(
                Step(
                    round=turn.round,
                    party=party,
                    move=move,
                    offer=offer,
                    answers=answers,
                    refused=refused,
                    message=message if len(message) == self.n_draws else (),
                )
            )
        return Actions(move, offer, message)

    def note(
        self, round_: int, party: int, move: NDArray[np.int8], offer: NDArray[np.intp]
    ) -> None:
        """Record a step that no negotiator answered (the mediator's text)."""
        if self.record:
            self.steps.append(Step(round=round_, party=party, move=move, offer=offer))

    def _normalised(self, a: Actions) -> tuple[NDArray[np.int8], NDArray[np.intp]]:
        move = np.asarray(a.move)
        offer = np.asarray(a.offer)
        if move.shape != (self.n_draws,):
            move = np.full(self.n_draws, PASS, dtype=np.int8)
        if offer.shape != (self.n_draws, self.n_issues):
            offer = np.full((self.n_draws, self.n_issues), NO_PACKAGE, dtype=np.intp)
        return move.astype(np.int8, copy=False), offer.astype(np.intp, copy=False)

    def _reasons(
        self,
        party: int,
        a: Actions,
        open_moves: frozenset[Move],
        check: Check | None,
    ) -> NDArray[np.object_] | None:
        """Per draw why the answer is refused ("" where valid); ``None`` when all are valid."""
        d, n = self.n_draws, self.n_issues
        move = np.asarray(a.move)
        offer = np.asarray(a.offer)
        if move.shape != (d,):
            return np.full(d, f"the answer has {move.size} moves for {d} draws", dtype=object)
        allowed = np.zeros(len(Move) + 1, dtype=bool)
        allowed[[int(m) for m in open_moves]] = True
        known = allowed[np.clip(move, 0, len(Move))]
        offers = known & (move == OFFER)
        shape_ok = offer.shape == (d, n)
        off_grid = None
        if offers.any() and shape_ok:
            off_grid = ((offer < 0) | (offer >= self._n_levels)).any(axis=1) & offers
        extra = None
        if check is not None:
            pk = offer.astype(np.intp) if shape_ok else np.zeros((d, n), dtype=np.intp)
            extra = check(party, Actions(move.astype(np.int8), pk, a.message))
        if (
            known.all()
            and (shape_ok or not offers.any())
            and (off_grid is None or not off_grid.any())
            and (extra is None or not (extra != "").any())
        ):
            return None
        out = np.full(d, "", dtype=object)
        if extra is not None:
            out[:] = extra
        if off_grid is not None:
            out[off_grid] = "the offer names a level that does not exist on some issue"
        if offers.any() and not shape_ok:
            out[offers] = f"an offer needs one level on each of the {n} issues"
        names = ", ".join(m.name.lower() for m in sorted(open_moves))
        out[~known] = f"that move is not open now (open: {names})"
        return out


def end(
    ended: NDArray[np.int8],
    round_at: NDArray[np.intp],
    where: NDArray[np.bool_],
    how: int,
    round_: int,
) -> None:
    """Mark draws ``where`` as ended ``how`` in ``round_`` (in place)."""
    ended[where] = how
    round_at[where] = round_


def needed(table: Table) -> int:
    """How many of the parties that are not required must accept (the quorum)."""
    others = int((~table.required).sum())
    return int(np.ceil(table.quorum * others - 1e-9))


def agreement(table: Table, accepted: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(D,) whether every required party and a quorum of the others accept."""
    required = table.required
    ok = (accepted | ~required).all(axis=1)
    return np.asarray(ok & ((accepted & ~required).sum(axis=1) >= needed(table)))


def quorum_lost(table: Table, left: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(D,) whether so many parties have left that the quorum cannot be met."""
    return np.asarray(((~left) & ~table.required).sum(axis=1) < needed(table))
