"""The record of a run: every step, every answer, and a replay that reproduces the run.

Each :class:`Step` keeps what a party answered (the first answer and, after a refusal,
the re-prompted one) and what the protocol counted. Replaying feeds the recorded answers
back through the same protocol (:func:`replay`), so a run whose negotiators are slow or
not deterministic (a language model) is reproduced exactly, refusals included, without
asking them again. :meth:`Transcript.records` gives one draw as plain data (JSON-ready);
:func:`transcript_from_records` reads such records back for a replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE, Actions, Move, Negotiator, Turn

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from zopa.negotiation.interface import NegotiationProtocol, Outcome
    from zopa.negotiation.table import Table

#: Party index of the mediator's steps.
MEDIATOR = -1


@dataclass(frozen=True, eq=False)
class Step:
    """One turn of one party (or of the mediator), for every draw.

    Attributes:
        round: 0-based round.
        party: Index of the party at the table (:data:`MEDIATOR` for the mediator's text).
        move: (D,) the move counted.
        offer: (D, I) the package counted (:data:`NO_PACKAGE` where none).
        answers: What the party answered: one :class:`Actions`, or two after a re-prompt.
        refused: Per draw why the first answer was refused ("" where it was valid);
            empty when every draw's first answer was valid.
        message: Per draw the message of the counted answer (may be empty).
    """

    round: int
    party: int
    move: NDArray[np.int8]
    offer: NDArray[np.intp]
    answers: tuple[Actions, ...] = ()
    refused: tuple[str, ...] = ()
    message: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Transcript:
    """Every step of a run, in order."""

    parties: tuple[str, ...]
    issue_ids: tuple[str, ...]
    steps: tuple[Step, ...] = ()

    def __len__(self) -> int:
        return len(self.steps)

    def offers_of(self, party: int) -> list[Step]:
        """The steps in which ``party`` acted, in order."""
        return [s for s in self.steps if s.party == party]

    def records(self, table: Table, draw: int = 0) -> list[dict[str, Any]]:
        """One draw's steps as plain data: round, party, move, package, utilities, message."""
        out: list[dict[str, Any]] = []
        for s in self.steps:
            move = Move(int(s.move[draw]))
            rec: dict[str, Any] = {
                "round": s.round,
                "party": "mediator" if s.party == MEDIATOR else self.parties[s.party],
                "move": move.name.lower(),
                "package": None,
                "utilities": None,
                "message": s.message[draw] if s.message else "",
                "refused": s.refused[draw] if s.refused else "",
                "answers": [_answer_record(a, draw) for a in s.answers],
            }
            if int(s.offer[draw, 0]) != NO_PACKAGE:
                levels = s.offer[draw : draw + 1]
                rec["package"] = table.package_dict(levels[0])
                u = table.utilities(levels[:, None, :], draw=draw)[0, 0]
                rec["utilities"] = {
                    p: round(float(v), 9) for p, v in zip(self.parties, u, strict=True)
                }
            out.append(rec)
        return out


def _answer_record(a: Actions, draw: int) -> dict[str, Any]:
    return {
        "move": Move(int(a.move[draw])).name.lower(),
        "offer": [int(v) for v in a.offer[draw]],
        "message": a.message[draw] if a.message else "",
    }


def transcript_from_records(records: Sequence[dict[str, Any]], table: Table) -> Transcript:
    """A one-draw transcript from :meth:`Transcript.records` output (for :func:`replay`)."""
    steps: list[Step] = []
    n_issues = len(table.issue_ids)
    for rec in records:
        party = MEDIATOR if rec["party"] == "mediator" else table.parties.index(rec["party"])
        answers = tuple(
            Actions(
                np.array([Move[a["move"].upper()]], dtype=np.int8),
                np.asarray(a["offer"], dtype=np.intp).reshape(1, n_issues),
                (a.get("message", ""),),
            )
            for a in rec.get("answers", [])
        )
        offer = (
            np.full((1, n_issues), NO_PACKAGE, dtype=np.intp)
            if rec["package"] is None
            else table.levels_of(rec["package"])[None]
        )
        steps.append(
            Step(
                round=int(rec["round"]),
                party=party,
                move=np.array([Move[rec["move"].upper()]], dtype=np.int8),
                offer=offer,
                answers=answers,
                refused=(rec.get("refused", ""),),
                message=(rec.get("message", ""),),
            )
        )
    return Transcript(table.parties, table.issue_ids, tuple(steps))


class ScriptedNegotiator:
    """Gives back recorded answers in order (the negotiator behind :func:`replay`)."""

    def __init__(self, answers: Sequence[Actions]) -> None:
        self._answers = list(answers)
        self._next = 0

    def act(self, turn: Turn) -> Actions:
        """The next recorded answer."""
        if self._next >= len(self._answers):
            raise ValueError("the transcript has no more answers for this party")
        out = self._answers[self._next]
        self._next += 1
        return out


def replay(protocol: NegotiationProtocol, table: Table, transcript: Transcript) -> Outcome:
    """Run ``protocol`` again with every party's recorded answers (same outcome, same steps)."""
    scripts: list[list[Actions]] = [[] for _ in table.parties]
    for s in transcript.steps:
        if s.party != MEDIATOR:
            scripts[s.party].extend(s.answers)
    negotiators: tuple[Negotiator, ...] = tuple(ScriptedNegotiator(a) for a in scripts)
    return protocol.run(table, negotiators, record=True)
