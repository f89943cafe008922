"""The Zeuthen strategy (Zeuthen 1930; Rosenschein & Zlotkin 1994; Harsanyi 1956).

Rosenschein, J. S., & Zlotkin, G. (1994). Rules of Encounter, MIT Press, for the
monotonic concession protocol. Each agent's *willingness to risk conflict* is
``risk_i = (u_i(x_i) - u_i(x_j)) / (u_i(x_i) - u_i(conflict))``; the agent with the
smaller risk concedes (both on a tie), and it concedes just enough that it no longer has
the smaller risk. Harsanyi (1956, Econometrica 24(2)) showed that risk_i <= risk_j
exactly when the product of gains of i's proposal is at most that of j's, so the agent
whose proposal has the smaller Nash product concedes, to the proposal best for itself
among those whose product reaches the other's; agreement is then at a package that
maximises the Nash product (the toy cases' test checks it against zopa's Nash solution).

Each agent opens with its best package worth at least no agreement to it. A package
across a party's (stated, public) red line counts as worse than no agreement for it. It judges
products with its own (true) gains and the others' stated gains, so with one draw
(complete information) the agents agree on the products. With several parties the
agent concedes when its proposal's product is the smallest of all current proposals
(Endriss 2006's multilateral protocol; the rule is ours). When no package meets the
condition except its current one, it accepts the best proposal on the table.
``weights = "capability"`` weighs the gains by capability (the asymmetric product that
zopa's deal space uses); the default is the symmetric product of the paper.

Deviations: outside the monotonic concession protocol the agent applies the same rule
to the offer on the table; it accepts an offer worth at least its own proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from zopa.negotiation.agents.book import TOL, best_on_table
from zopa.negotiation.interface import NO_PACKAGE, Actions, Move
from zopa.negotiation.registries import AGENTS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.negotiation.interface import Brief, Negotiator, Turn


def log_product(gains: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weighted log Nash product over the last axis; -inf where a gain is <= 0."""
    positive = (gains > TOL).all(axis=-1)
    logs = np.log(np.where(gains > TOL, gains, 1.0))
    out: NDArray[np.float64] = np.where(positive, (logs * weights).sum(axis=-1), -np.inf)
    return out


def risk(own: NDArray[np.float64], other: NDArray[np.float64]) -> NDArray[np.float64]:
    """Willingness to risk conflict, from gains over no agreement (Zeuthen's ratio).

    ``(own - other) / own`` capped at 1; 0 where one's own proposal gains nothing.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(own > TOL, (own - other) / np.where(own > TOL, own, 1.0), 0.0)
    out: NDArray[np.float64] = np.clip(r, 0.0, 1.0)
    return out


def resolve(r: NDArray[np.float64], w: float | NDArray[np.float64]) -> NDArray[np.float64]:
    """``-w log(1 - r)``: risks compared with weights (Harsanyi's weighted product).

    With equal weights it orders risks as they are.
    """
    with np.errstate(divide="ignore"):
        out: NDArray[np.float64] = -w * np.log1p(-np.minimum(r, 1.0))
    return out


class _ZeuthenNegotiator:
    def __init__(self, brief: Brief, weights: str) -> None:
        self.brief = brief
        table = brief.table
        p = brief.index
        w = (
            table.space.capability[table.party_index].astype(float)
            if weights == "capability"
            else np.ones(len(table.parties))
        )
        self.w = w / w.mean() if w.sum() > 0 else np.ones(len(table.parties))
        # a package across a party's stated red line is worth less than no deal to it
        stated_gain = np.where(table.inside, table.stated - table.stated_no_deal[None, :], -1.0)
        own_gain = brief.utility - brief.no_deal[:, None]  # (D, N)
        gains = np.broadcast_to(stated_gain, (brief.n_draws, *stated_gain.shape)).copy()
        gains[:, :, p] = own_gain
        self.gains = gains  # (D, N, P) believed gains of every candidate
        self.logp = log_product(gains, self.w)  # (D, N), -inf where a gain is <= 0
        admissible = np.ones(table.candidates.shape[0], dtype=bool)
        for i, allowed in enumerate(brief.allowed):
            admissible &= allowed[table.candidates[:, i]]
        self.admissible = admissible[None, :] & (own_gain >= -TOL)
        mine = np.where(self.admissible, brief.utility, -np.inf)
        self.current = np.argmax(mine, axis=1)

    def _gains(self, packages: NDArray[np.intp]) -> NDArray[np.float64]:
        """(D, K, P) believed gains of (D, K, I) packages."""
        table = self.brief.table
        out = table.stated_utilities(packages) - table.stated_no_deal
        own = (
            table.utilities(packages, party=self.brief.index)[:, :, 0] - self.brief.no_deal[:, None]
        )
        out[:, :, self.brief.index] = own
        out = np.where(table.within_red_lines(packages), out, -1.0)
        return out

    def _others(self, turn: Turn) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """(D, K, P) believed gains of the other parties' proposals, (D, K) which exist."""
        brief = self.brief
        if turn.proposals is not None:
            props = turn.proposals
            valid = props[:, :, 0] != NO_PACKAGE
            valid[:, brief.index] = False
            return self._gains(np.where(props < 0, 0, props)), valid
        pkg, _, has = best_on_table(brief, turn)
        return self._gains(np.where(has[:, None], pkg, 0)[:, None, :]), has[:, None]

    def act(self, turn: Turn) -> Actions:
        brief = self.brief
        d = brief.n_draws
        rows = np.arange(d)
        p = brief.index
        w = self.w
        theirs, valid = self._others(turn)  # (D, K, P), (D, K)
        mine = self.gains[rows, self.current]  # (D, P)
        # my risk against each other proposal k, and k's proposer's risk against mine
        my_risk = resolve(risk(mine[:, None, p], theirs[:, :, p]), w[p])
        their_own = self._own_gain_of_proposer(turn, theirs)
        their_risk = resolve(
            risk(their_own, self._gain_of_mine_for_proposer(turn, mine)), self._proposer_w(turn)
        )
        concede = (valid & (my_risk <= their_risk + TOL)).any(axis=1)
        stuck = np.zeros(d, dtype=bool)
        if concede.any():
            # candidates x after which every other proposer k must concede, r_k(x) < r_i(x):
            # with positive gains exactly those whose (weighted) product of gains exceeds
            # that of k's proposal (Harsanyi); a proposal that gives anyone nothing has
            # product 0, so every package with positive gains for all qualifies
            ok = self.admissible & np.isfinite(self.logp)
            theirs_logp = log_product(theirs, w)  # (D, K)
            for k in range(valid.shape[1]):
                ok &= ~valid[:, k][:, None] | (self.logp > theirs_logp[:, k][:, None] + TOL)
            pick = np.argmax(np.where(ok, brief.utility, -np.inf), axis=1)
            found = ok[rows, pick]
            stuck = concede & (~found | (pick == self.current))
            self.current = np.where(concede & found, pick, self.current)
        own_value = brief.utility[rows, self.current]
        pkg, val, has = best_on_table(brief, turn)
        accept = has & ((val >= own_value - TOL) | stuck) & (val >= brief.no_deal - TOL)
        if accept.any():
            accept &= brief.within_red_lines(np.where(has[:, None], pkg, 0))
        if Move.ACCEPT not in turn.open_moves:
            accept[:] = False
        return Actions.choose(accept, brief.table.candidates[self.current])

    def _proposer_index(self, turn: Turn, k: int) -> int:
        if turn.proposals is not None:
            return k
        return (
            int(turn.standing_from[0]) if turn.standing_from is not None else 1 - self.brief.index
        )

    def _own_gain_of_proposer(self, turn: Turn, theirs: NDArray[np.float64]) -> NDArray[np.float64]:
        """(D, K) each proposer's believed gain of its own proposal."""
        if turn.proposals is not None:
            return np.diagonal(theirs, axis1=1, axis2=2)
        j = self._proposer_index(turn, 0)
        return theirs[:, :, j]

    def _gain_of_mine_for_proposer(
        self, turn: Turn, mine: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """(D, K) each proposer's believed gain of this party's proposal."""
        if turn.proposals is not None:
            return mine
        j = self._proposer_index(turn, 0)
        return mine[:, j : j + 1]

    def _proposer_w(self, turn: Turn) -> NDArray[np.float64]:
        if turn.proposals is not None:
            return self.w[None, :]
        return np.array([[self.w[self._proposer_index(turn, 0)]]])


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class Zeuthen:
    """Concede, minimally, when your willingness to risk conflict is the smaller."""

    name: ClassVar[str] = "zeuthen"
    citation: ClassVar[str] = (
        "Rosenschein & Zlotkin (1994), Rules of Encounter, MIT Press; "
        "Harsanyi (1956), Econometrica 24(2)"
    )
    weights: Literal["equal", "capability"] = "equal"

    def start(self, brief: Brief, rng: np.random.Generator) -> Negotiator:
        """A negotiator for one run."""
        return _ZeuthenNegotiator(brief, self.weights)
