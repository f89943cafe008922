"""What negotiating agents and protocols exchange: briefs, turns, actions, outcomes.

A negotiation runs a batch of D draws of the stances in lock-step (D = 1 for the stated
stances), so every array below has a leading draw axis. The pieces:

- :class:`Brief`: one party's private brief: its own (true, per draw) utility, its no-deal
  utility and red lines, its stances and sources, and the public :class:`Table`.
- :class:`Turn`: what a party sees when asked to act: the round, the deadline, the public
  record so far (a :class:`~zopa.negotiation.transcript.Transcript`), the standing offer
  or text, every party's current proposal (monotonic concession), which moves are open,
  and, on a re-prompt, why its previous answer was refused.
- :class:`Actions`: a party's answer for every draw: a :class:`Move` (offer a package,
  accept, walk away), the package offered (one level index per issue) and a message.
- :class:`Agent` (a registered, parameterised strategy) starts one :class:`Negotiator`
  per run from its party's brief; the negotiator answers turns.
- :class:`NegotiationProtocol` (registered) runs negotiators at a table and returns an
  :class:`Outcome` with the transcript.

A protocol validates every answer. An invalid answer (a move that is not open, a package
off the grid, a concession rule broken) gets one re-prompt with the reason; if the second
answer is invalid too it counts as repeating the party's last offer (or, when it has made
none, as passing its turn), and the transcript records both answers and what was counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.negotiation.table import Table
    from zopa.negotiation.transcript import Transcript
    from zopa.scenario import Actor, Source, Stance


class Move(IntEnum):
    """What a party does at its turn (``PASS`` is only ever counted, never chosen)."""

    OFFER = 0
    ACCEPT = 1
    WALK_AWAY = 2
    PASS = 3


#: Level index recorded where a step carries no package.
NO_PACKAGE = -1


@dataclass(frozen=True, eq=False)
class Actions:
    """One party's answer, per draw.

    Attributes:
        move: (D,) :class:`Move` codes.
        offer: (D, I) level index per issue of the package offered; read where
            ``move == OFFER`` (:data:`NO_PACKAGE` elsewhere is fine).
        message: Empty, or one message per draw (free text for the public record).
    """

    move: NDArray[np.int8]
    offer: NDArray[np.intp]
    message: tuple[str, ...] = ()

    @classmethod
    def offers(cls, offer: NDArray[np.intp], message: tuple[str, ...] = ()) -> Actions:
        """Offer a package in every draw."""
        offer = np.asarray(offer, dtype=np.intp)
        return cls(np.full(offer.shape[0], Move.OFFER, dtype=np.int8), offer, message)

    @classmethod
    def choose(
        cls,
        accept: NDArray[np.bool_],
        offer: NDArray[np.intp],
        walk: NDArray[np.bool_] | None = None,
    ) -> Actions:
        """Accept where ``accept``, walk away where ``walk``, offer ``offer`` elsewhere."""
        move = np.where(accept, 1, 0).astype(np.int8)  # Move.ACCEPT, Move.OFFER
        if walk is not None:
            move = np.where(walk & ~accept, 2, move).astype(np.int8)  # Move.WALK_AWAY
        return cls(move, np.asarray(offer, dtype=np.intp))

    @property
    def n_draws(self) -> int:
        """D."""
        return int(self.move.shape[0])


@dataclass(frozen=True, eq=False)
class Brief:
    """One party's private brief (its own utility is its true one in each draw).

    Attributes:
        party: The party's actor id.
        index: Its position among the table's parties.
        table: The public setting (issues, levels, parties, rules, candidate packages
            and every party's *stated* utility of them).
        utility: (D, N) the party's own utility of each candidate package.
        no_deal: (D,) its utility of no agreement (status quo or stated alternative).
        allowed: Per issue, (L_i,) whether its red line admits each level.
        actor: The scenario's actor (name, capability, veto, notes), when known.
        stances: Its stances (position, salience, red line, range, sources).
        sources: The sources its stances cite.
    """

    party: str
    index: int
    table: Table
    utility: NDArray[np.float64]
    no_deal: NDArray[np.float64]
    allowed: tuple[NDArray[np.bool_], ...]
    actor: Actor | None = None
    stances: tuple[Stance, ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def n_draws(self) -> int:
        """D."""
        return int(self.no_deal.shape[0])

    def value(self, packages: NDArray[np.intp]) -> NDArray[np.float64]:
        """(D,) own utility of one package per draw, given as (D, I) level indices."""
        return self.table.value_of(packages, self.index)

    def within_red_lines(self, packages: NDArray[np.intp]) -> NDArray[np.bool_]:
        """(D,) whether each draw's package lies inside the party's red lines."""
        ok = np.ones(packages.shape[0], dtype=bool)
        for i, allowed in enumerate(self.allowed):
            ok &= allowed[np.clip(packages[:, i], 0, allowed.shape[0] - 1)]
        return ok

    def acceptable(self, packages: NDArray[np.intp]) -> NDArray[np.bool_]:
        """(D,) inside the red lines and worth at least no agreement."""
        return self.within_red_lines(packages) & (self.value(packages) >= self.no_deal - 1e-12)


@dataclass(frozen=True, eq=False)
class Turn:
    """What a party sees when it is asked to act.

    Attributes:
        round: 0-based round.
        deadline: Number of rounds; the talks end without agreement after the last.
        record: The public record so far.
        open_moves: The moves this turn allows.
        standing: (D, I) the offer on the table (alternating offers: the latest offer;
            mediator: the current text), or ``None`` when there is none yet.
        standing_from: (D,) index of the party that made it (-1: the mediator), or ``None``.
        proposals: (D, P, I) every party's current proposal (monotonic concession;
            :data:`NO_PACKAGE` rows where none), or ``None``.
        active: (D,) draws still negotiating (answers for the others are ignored).
        feedback: On a re-prompt, per draw why the previous answer was refused ("" where
            it was not); ``None`` on the first prompt.
    """

    round: int
    deadline: int
    record: Transcript
    open_moves: frozenset[Move]
    standing: NDArray[np.intp] | None = None
    standing_from: NDArray[np.intp] | None = None
    proposals: NDArray[np.intp] | None = None
    active: NDArray[np.bool_] | None = None
    feedback: tuple[str, ...] | None = None

    @property
    def time(self) -> float:
        """Relative time in 0..1: 0 at the first round, 1 at the last."""
        return 1.0 if self.deadline <= 1 else min(1.0, self.round / (self.deadline - 1))


@runtime_checkable
class Negotiator(Protocol):
    """One party's behaviour during one run (it may keep state between turns)."""

    def act(self, turn: Turn) -> Actions:
        """The party's answer to a turn, for every draw."""
        ...


@runtime_checkable
class Agent(Protocol):
    """A negotiating strategy: a frozen, keyword-only dataclass, registered by name."""

    name: ClassVar[str]
    citation: ClassVar[str]

    def start(self, brief: Brief, rng: np.random.Generator) -> Negotiator:
        """A negotiator for one run, from the party's brief (the caller owns the seed)."""
        ...


@dataclass(frozen=True, eq=False)
class Outcome:
    """How a run ended, per draw.

    Attributes:
        protocol: The protocol's registered name.
        agreed: (D,) whether the talks reached an agreement.
        package: (D, I) the agreed package's level indices (:data:`NO_PACKAGE` where none).
        round: (D,) the round in which the talks ended.
        ended: (D,) how they ended, an :class:`Ending` code.
        walked: (D,) index of the party that walked away (-1 where none did).
        transcript: Every step, or ``None`` when the run kept no record.
    """

    protocol: str
    agreed: NDArray[np.bool_]
    package: NDArray[np.intp]
    round: NDArray[np.intp]
    ended: NDArray[np.int8]
    walked: NDArray[np.intp]
    transcript: Transcript | None = field(default=None)


class Ending(IntEnum):
    """How a run ended."""

    AGREEMENT = 0
    WALK_AWAY = 1
    DEADLINE = 2
    NO_CONCESSION = 3


@runtime_checkable
class NegotiationProtocol(Protocol):
    """A set of rules: who moves when, which moves are valid, what counts as agreement."""

    name: ClassVar[str]
    citation: ClassVar[str]

    def run(
        self, table: Table, negotiators: tuple[Negotiator, ...], *, record: bool = True
    ) -> Outcome:
        """Run the talks at ``table`` (one negotiator per party, in the table's order)."""
        ...
