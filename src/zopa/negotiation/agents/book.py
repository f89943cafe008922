"""What rule-based agents share: the offer book and the best offer on the table.

The offer book answers "which package should I offer if I want at least utility t?"
for every draw at once: among the candidate packages inside the party's red lines and
worth at least t to it, the one the other parties (by their stated utilities) like
best, a package that crosses another party's stated red line ranking below every one
that does not (red lines are public: the scenario states them). It sorts the
candidates once per draw by the party's own utility and keeps the running best for the
others, so each query is one binary search per draw.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.negotiation.interface import Brief, Turn

#: Utility slack of comparisons (terms are quantised to ~1e-12).
TOL = 1e-9


def others_stated(brief: Brief) -> NDArray[np.float64]:
    """(N,) what the other parties get: their capability-weighted stated utilities.

    Less one for each other party whose stated red line the package crosses.
    """
    table = brief.table
    p = len(table.parties)
    others = np.delete(np.arange(p), brief.index)
    if others.size == 0:
        return np.zeros(table.candidates.shape[0])
    w = table.space.capability[table.party_index[others]]
    w = w / w.sum() if w.sum() > 0 else np.full(others.size, 1.0 / others.size)
    out: NDArray[np.float64] = table.stated[:, others] @ w - (~table.inside[:, others]).sum(axis=1)
    return out


class OfferBook:
    """Per draw, the candidates sorted by own utility with the best for the others so far."""

    def __init__(
        self,
        utility: NDArray[np.float64],
        others: NDArray[np.float64],
        admissible: NDArray[np.bool_],
    ) -> None:
        d, n = utility.shape
        u = np.where(admissible[None, :], utility, -np.inf)
        order = np.argsort(-u, axis=1, kind="stable")
        su = np.take_along_axis(u, order, axis=1)
        v = others[order]
        run = np.maximum.accumulate(v, axis=1)
        new = np.concatenate([np.ones((d, 1), dtype=bool), v[:, 1:] > run[:, :-1]], axis=1)
        j = np.maximum.accumulate(np.where(new, np.arange(n)[None, :], 0), axis=1)
        self.best = np.take_along_axis(order, j, axis=1)
        self.top_utility = su[:, 0]
        self._n = n
        self._rows = np.arange(d)
        neg = np.where(np.isfinite(su), -su, 2.0)
        self._flat = (neg + 4.0 * self._rows[:, None]).ravel()

    def at_least(self, target: NDArray[np.float64]) -> NDArray[np.intp]:
        """(D,) candidate index: best for the others among those worth >= ``target``.

        Where nothing reaches the target, the party's own best candidate.
        """
        key = -target + TOL + 4.0 * self._rows
        k = np.searchsorted(self._flat, key, side="right") - self._rows * self._n
        j = np.clip(k - 1, 0, self._n - 1)
        out: NDArray[np.intp] = self.best[self._rows, j]
        return out

    def top(self) -> NDArray[np.intp]:
        """(D,) the party's own best admissible candidate."""
        out: NDArray[np.intp] = self.best[:, 0]
        return out


#: Offer books per brief (a tournament starts many negotiators from the same briefs).
_BOOKS: weakref.WeakKeyDictionary[Brief, dict[bool, OfferBook]] = weakref.WeakKeyDictionary()


def make_book(brief: Brief, *, red_lines: bool = True) -> OfferBook:
    """The offer book of a party (inside its red lines unless ``red_lines`` is False).

    Built once per brief and kept while the brief lives (books are read-only).
    """
    books = _BOOKS.setdefault(brief, {})
    if red_lines not in books:
        books[red_lines] = _build_book(brief, red_lines)
    return books[red_lines]


def _build_book(brief: Brief, red_lines: bool) -> OfferBook:
    cand = brief.table.candidates
    admissible = np.ones(cand.shape[0], dtype=bool)
    if red_lines:
        for i, allowed in enumerate(brief.allowed):
            admissible &= allowed[cand[:, i]]
        if not admissible.any():
            admissible[:] = True
    return OfferBook(brief.utility, others_stated(brief), admissible)


def reservation(brief: Brief, book: OfferBook) -> NDArray[np.float64]:
    """(D,) the least utility the party accepts: no agreement, capped at its best."""
    out: NDArray[np.float64] = np.minimum(brief.no_deal, book.top_utility)
    return out


def best_on_table(
    brief: Brief, turn: Turn
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.bool_]]:
    """The other parties' offer (or the mediator's text) worth most to the party.

    Returns (D, I) the package, (D,) its utility to the party, (D,) whether there is one.
    Alternating offers and the mediator: the offer on the table unless it is the party's
    own; monotonic concession: the best of the other parties' current proposals.
    """
    d = brief.n_draws
    n = len(brief.table.issue_ids)
    if turn.proposals is not None:
        props = turn.proposals  # (D, P, I)
        u = brief.table.utilities(props)[:, :, brief.index]  # (D, P)
        valid = props[:, :, 0] != NO_PACKAGE
        valid[:, brief.index] = False
        u = np.where(valid, u, -np.inf)
        k = np.argmax(u, axis=1)
        pkg = props[np.arange(d), k]
        val = u[np.arange(d), k]
        has = np.isfinite(val)
        return pkg, np.where(has, val, -np.inf), has
    if turn.standing is None:
        return np.full((d, n), NO_PACKAGE, dtype=np.intp), np.full(d, -np.inf), np.zeros(d, bool)
    has = turn.standing[:, 0] != NO_PACKAGE
    if turn.standing_from is not None:
        has &= turn.standing_from != brief.index
    val = np.where(has, brief.value(np.where(has[:, None], turn.standing, 0)), -np.inf)
    return turn.standing, val, has


def respond(
    brief: Brief, turn: Turn, offer_index: NDArray[np.intp], threshold: NDArray[np.float64]
) -> tuple[NDArray[np.bool_], NDArray[np.intp]]:
    """Accept the best offer on the table where it is acceptable and worth >= ``threshold``.

    Returns (D,) accept and (D, I) the package to offer otherwise.
    """
    pkg, val, has = best_on_table(brief, turn)
    ok = has & (val >= threshold - TOL) & (val >= brief.no_deal - TOL)
    if ok.any():
        ok &= brief.within_red_lines(np.where(has[:, None], pkg, 0))
    offer = brief.table.candidates[offer_index]
    return ok, offer
