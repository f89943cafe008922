"""A mediator's single negotiating text (Raiffa 1982).

Raiffa, H. (1982). The Art and Science of Negotiation, Harvard University Press (the
single negotiating text, as used at Camp David in 1978). A mediator drafts one text
that is nobody's own proposal; each round every party at the table accepts it, objects
by stating the package it would want instead, or walks away; the mediator revises the
text from the objections, until the parties whose acceptance is needed accept one.

Raiffa describes the procedure in prose. The drafting and revision rules are ours:
- the first draft puts each issue at the weighted median of the parties' stated
  positions (weights: capability x salience), on the grid;
- each revision puts each issue at the weighted median of what the parties ask for on
  it: an objecting party asks for its own package's level, an accepting party for the
  text's current level (parties that left have no weight).
Agreement needs every required party and a quorum of the others (as in the stacked
protocol); a required party walking away ends the talks; another one leaves the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE, Ending, Move, Outcome
from zopa.negotiation.protocols.session import Session, agreement, end, quorum_lost
from zopa.negotiation.registries import PROTOCOLS
from zopa.negotiation.transcript import MEDIATOR

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.negotiation.interface import Negotiator
    from zopa.negotiation.table import Table

OPEN = frozenset({Move.OFFER, Move.ACCEPT, Move.WALK_AWAY})


def weighted_median(values: NDArray[np.intp], weights: NDArray[np.float64]) -> NDArray[np.intp]:
    """(D,) the weighted median of each row of (D, P) values with (D, P) weights.

    Where the weight splits exactly in half between two values, the level halfway
    between them (rounded down), so that two equal parties meet in the middle.
    """
    order = np.argsort(values, axis=1, kind="stable")
    v = np.take_along_axis(values, order, axis=1)
    w = np.take_along_axis(weights, order, axis=1)
    cum = np.cumsum(w, axis=1)
    half = cum[:, -1:] / 2.0
    k = np.minimum((cum < half - 1e-12).sum(axis=1), v.shape[1] - 1)
    rows = np.arange(v.shape[0])
    tie = np.abs(cum[rows, k] - half[:, 0]) <= 1e-12
    nxt = np.minimum(k + 1, v.shape[1] - 1)
    out: NDArray[np.intp] = np.where(tie, (v[rows, k] + v[rows, nxt]) // 2, v[rows, k])
    return out


def stated_weights(table: Table) -> NDArray[np.float64]:
    """(P, I) capability x salience of each party on each issue (stated)."""
    sp = table.space
    idx = table.party_index
    out: NDArray[np.float64] = sp.capability[idx][:, None] * sp.salience[idx]
    return out


def first_draft(table: Table) -> NDArray[np.intp]:
    """(I,) each issue at the weighted median of the parties' stated positions."""
    sp = table.space
    w = stated_weights(table)
    draft = np.empty(sp.n_issues, dtype=np.intp)
    for i, lv in enumerate(sp.levels):
        pos = sp.position[table.party_index, i]
        near = np.argmin(np.abs(lv[None, :] - pos[:, None]), axis=1)
        wi = w[:, i] if w[:, i].sum() > 0 else np.ones(len(pos))
        if i in table.idle:
            near = np.full(len(pos), int(np.argmin(np.abs(lv - sp.status_quo[i]))))
        draft[i] = weighted_median(near[None], wi[None])[0]
    return draft


@PROTOCOLS.register
@dataclass(frozen=True, kw_only=True)
class SingleNegotiatingText:
    """A mediator revises one text from the parties' objections until it is accepted."""

    name: ClassVar[str] = "mediator"
    citation: ClassVar[str] = (
        "Raiffa (1982), The Art and Science of Negotiation, Harvard University Press "
        "(the single negotiating text)"
    )

    def run(
        self, table: Table, negotiators: tuple[Negotiator, ...], *, record: bool = True
    ) -> Outcome:
        """Run the talks from the mediator's first draft."""
        s = Session(table, negotiators, record)
        d, n, p_count = s.n_draws, s.n_issues, len(table.parties)
        text = np.broadcast_to(first_draft(table), (d, n)).copy()
        s.note(0, MEDIATOR, np.full(d, Move.OFFER, dtype=np.int8), text.copy())
        weights = stated_weights(table)
        left = np.zeros((d, p_count), dtype=bool)
        agreed = np.zeros(d, dtype=bool)
        package = np.full((d, n), NO_PACKAGE, dtype=np.intp)
        ended = np.full(d, Ending.DEADLINE, dtype=np.int8)
        round_at = np.full(d, table.deadline - 1, dtype=np.intp)
        walked = np.full(d, -1, dtype=np.intp)
        from_mediator = np.full(d, MEDIATOR, dtype=np.intp)
        for r in range(table.deadline):
            if not s.active.any():
                break
            accepted = np.zeros((d, p_count), dtype=bool)
            asks = np.broadcast_to(text[:, None, :], (d, p_count, n)).copy()
            veto_walk = np.zeros(d, dtype=bool)
            for p in range(p_count):
                listening = s.active & ~left[:, p]
                if not listening.any():
                    continue
                turn = s.turn(r, OPEN, standing=text.copy(), standing_from=from_mediator)
                act = s.ask(p, turn, listening=listening)
                acc = listening & (act.move == Move.ACCEPT)
                off = listening & (act.move == Move.OFFER)
                walk = listening & (act.move == Move.WALK_AWAY)
                accepted[acc, p] = True
                asks[off, p] = act.offer[off]
                if table.required[p]:
                    veto_walk |= walk
                    walked[walk & (walked < 0)] = p
                else:
                    left[walk, p] = True
            done = s.active & ~veto_walk & agreement(table, accepted)
            agreed |= done
            package[done] = text[done]
            end(ended, round_at, done, Ending.AGREEMENT, r)
            lost = s.active & ~done & (veto_walk | quorum_lost(table, left))
            end(ended, round_at, lost, Ending.WALK_AWAY, r)
            s.active &= ~(done | lost)
            if not s.active.any() or r == table.deadline - 1:
                break
            w = np.where(left[:, :, None], 0.0, weights[None])  # (D, P, I)
            revised = text.copy()
            for i in range(n):
                wi = w[:, :, i]
                has = wi.sum(axis=1) > 0
                med = weighted_median(asks[:, :, i], np.where(has[:, None], wi, 1.0))
                revised[:, i] = np.where(s.active, med, text[:, i])
            text = revised
            s.note(r + 1, MEDIATOR, np.full(d, Move.OFFER, dtype=np.int8), text.copy())
        return Outcome(
            self.name, agreed, package, round_at, ended, walked, s.transcript() if record else None
        )
