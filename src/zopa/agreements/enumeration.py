"""The exact path: vectorised enumeration of every package, chunked to bound memory.

Packages are visited as a product of per-issue level lists. The last issues form the
*tail*, enumerated at once as one array (at most ``chunk`` packages); the first issues
form the *head*, looped over. Additive quantities (utilities, red-line violations) are
summed in issue order by broadcasting, so every figure equals
:meth:`~zopa.agreements.space.DealSpace.utilities` bit for bit.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.agreements.constraints import Constraint, violation_tables
from zopa.agreements.frontier import FrontierTooLargeError, issue_frontier
from zopa.agreements.results import ZopaSummary
from zopa.agreements.solutions import choose
from zopa.agreements.space import UTILITY_TOL

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from numpy.typing import NDArray

    from zopa.agreements.space import DealSpace

#: Packages enumerated at once.
CHUNK = 1 << 20
#: Level indices of stored packages (an issue has far fewer than 32,767 levels).
LEVEL_DTYPE = np.int16
#: Relaxation costs within this of each other tie.
RELAX_TOL = 1e-9


def product_sums(
    tables: Sequence[NDArray[np.float64]], chunk: int = CHUNK
) -> Iterator[tuple[tuple[int, ...], NDArray[np.float64]]]:
    """Sums over the product of per-issue columns, chunk by chunk.

    Args:
        tables: Per issue, a (K, n_i) table of additive quantities.
        chunk: Largest number of packages in one yielded block.

    Yields:
        ``(head, sums)``: the column chosen on each head issue, and a (K, T) array of sums
        for every combination of tail columns (last issue fastest).
    """
    sizes = [t.shape[1] for t in tables]
    k = tables[0].shape[0] if tables else 0
    split, tail = len(sizes), 1
    while split > 0 and tail * sizes[split - 1] <= chunk:
        split -= 1
        tail *= sizes[split]
    for combo in itertools.product(*(range(n) for n in sizes[:split])):
        acc = np.zeros((k, 1))
        for i, col in enumerate(combo):
            acc = acc + tables[i][:, col : col + 1]
        for i in range(split, len(sizes)):
            acc = (acc[:, :, None] + tables[i][:, None, :]).reshape(k, -1)
        yield combo, acc


def _split(sizes: Sequence[int], chunk: int) -> int:
    split, tail = len(sizes), 1
    while split > 0 and tail * sizes[split - 1] <= chunk:
        split -= 1
        tail *= sizes[split]
    return split


@dataclass(frozen=True, eq=False)
class ZopaCount:
    """What enumeration finds about the zone of possible agreement.

    Attributes:
        size: Number of feasible packages.
        seen: Per issue, which levels occur in some feasible package.
        packages: (N, I) level indices of every feasible package (``int16`` to keep
            10^7 packages small).
    """

    size: int
    seen: tuple[NDArray[np.bool_], ...]
    packages: NDArray[np.integer[Any]]


class EnumerationBackend:
    """Exact answers by visiting every package (for spaces up to ~10^7 packages)."""

    method = "enumeration"

    def __init__(self, space: DealSpace, *, chunk: int = CHUNK) -> None:
        """Prepare the enumeration of ``space``."""
        self.space = space
        self.chunk = chunk
        self._count: ZopaCount | None = None
        self._patterns: NDArray[np.bool_] | None = None
        self._relaxed: dict[int | None, tuple[NDArray[np.intp], float]] | None = None
        self._front: tuple[NDArray[np.intp], NDArray[np.float64]] | None = None
        self._front_done = False

    def _indices(
        self, ids: Sequence[NDArray[np.intp]], combo: tuple[int, ...], rows: NDArray[np.intp]
    ) -> NDArray[np.intp]:
        split = len(combo)
        tail_sizes = [len(v) for v in ids[split:]]
        tail = np.unravel_index(rows, tail_sizes) if tail_sizes else ()
        cols = [np.full(len(rows), ids[i][c], dtype=np.intp) for i, c in enumerate(combo)]
        cols += [ids[split + j][t] for j, t in enumerate(tail)]
        return np.stack(cols, axis=1) if cols else np.zeros((len(rows), 0), dtype=np.intp)

    def zopa(self) -> ZopaCount:
        """Count the feasible packages, the levels they use, and list them."""
        if self._count is not None:
            return self._count
        sp = self.space
        parties = sp.party_index
        ids = [np.flatnonzero(b) for b in sp.box()]
        seen = [np.zeros(n, dtype=bool) for n in sp.n_levels]
        found: list[NDArray[np.intp]] = []
        size = 0
        if all(len(v) for v in ids):
            tables = [sp.terms[i][np.ix_(parties, ids[i])] for i in range(sp.n_issues)]
            sq = sp.sq_utility[parties][:, None] - UTILITY_TOL
            for combo, util in product_sums(tables, self.chunk):
                ok = (util >= sq).all(axis=0)
                rows = np.flatnonzero(ok)
                if len(rows):
                    size += len(rows)
                    pk = self._indices(ids, combo, rows)
                    found.append(pk.astype(LEVEL_DTYPE))
                    for i in range(sp.n_issues):
                        seen[i][pk[:, i]] = True
        packages = np.concatenate(found) if found else np.zeros((0, sp.n_issues), dtype=LEVEL_DTYPE)
        self._count = ZopaCount(size, tuple(seen), packages)
        return self._count

    def summary(self) -> ZopaSummary:
        """The zone of possible agreement: counted exactly, with its listed frontier."""
        sp = self.space
        count = self.zopa()
        ranges: dict[str, tuple[float, float] | None] = {}
        for i, issue in enumerate(sp.issue_ids):
            used = sp.levels[i][count.seen[i]]
            ranges[issue] = (float(used.min()), float(used.max())) if len(used) else None
        front = self.frontier() if count.size else None
        return ZopaSummary(
            size=float(count.size),
            size_exact=True,
            size_interval=(float(count.size), float(count.size)),
            ranges=ranges,
            frontier_size=None if front is None else len(front[0]),
            frontier=None if front is None else front[0],
        )

    def any_feasible(self) -> bool:
        """Whether some package satisfies every party."""
        return self.zopa().size > 0

    def frontier(self) -> tuple[NDArray[np.intp], NDArray[np.float64]] | None:
        """Pareto frontier of the zone for the parties, or ``None`` if too large to list."""
        if self._front_done:
            return self._front
        sp = self.space
        self._front_done = True
        try:
            pk, ut = issue_frontier(sp, sp.party_index, allowed=sp.box())
        except FrontierTooLargeError:
            return None
        ok = (ut >= sp.sq_utility[sp.party_index] - UTILITY_TOL).all(axis=1)
        self._front = (pk[ok], ut[ok])
        return self._front

    def solutions(self) -> dict[str, tuple[NDArray[np.intp] | None, str | None]]:
        """Nash, Kalai-Smorodinsky, maximin and utilitarian packages."""
        sp = self.space
        front = self.frontier()
        pk: NDArray[np.integer[Any]]
        if front is not None:
            pk, ut = front
        else:
            pk = self.zopa().packages
            ut = sp.utilities(pk)[:, sp.party_index]
        gains = ut - sp.sq_utility[sp.party_index]
        picks = choose(gains, sp.capability[sp.party_index])
        return {
            c: (None, ch.reason) if ch.index is None else (pk[ch.index].astype(np.intp), None)
            for c, ch in picks.items()
        }

    def _all_tables(self) -> tuple[list[NDArray[np.float64]], int]:
        sp = self.space
        parties = sp.party_index
        viol = violation_tables(sp)
        tables = [np.vstack([sp.terms[i][parties], viol[i][parties]]) for i in range(sp.n_issues)]
        return tables, len(parties)

    def satisfied_patterns(self, constraints: Sequence[Constraint]) -> NDArray[np.bool_]:
        """Distinct sets of constraints that some package satisfies, (M, C) booleans."""
        if self._patterns is not None:
            return self._patterns
        sp = self.space
        p = len(sp.party_index)
        n_c = len(constraints)
        # one additive table per issue: party utilities, then a 1 wherever a level breaks
        # a red-line constraint on that issue (so a sum > 0 means "violated")
        tables: list[NDArray[np.float64]] = []
        for i in range(sp.n_issues):
            t = np.zeros((p + n_c, sp.n_levels[i]))
            t[:p] = sp.terms[i][sp.party_index]
            for k, c in enumerate(constraints):
                if c.kind == "red_line" and c.issue_index == i:
                    t[p + k] = ~sp.allowed[i][c.actor_index]
            tables.append(t)
        pos = {int(a): k for k, a in enumerate(sp.party_index)}
        sq_cols = [
            (k, pos[c.actor_index], float(sp.sq_utility[c.actor_index]))
            for k, c in enumerate(constraints)
            if c.kind == "no_deal"
        ]
        bit = np.left_shift(np.uint64(1), np.arange(n_c, dtype=np.uint64)) if n_c <= 64 else None
        found: list[NDArray[np.bool_]] = []
        for _, sums in product_sums(tables, self.chunk):
            sat = sums[p:] < 0.5
            for k, row, sq in sq_cols:
                sat[k] = sums[row] >= sq - UTILITY_TOL
            if bit is not None:
                code = np.zeros(sat.shape[1], dtype=np.uint64)
                for k in range(n_c):
                    code |= np.where(sat[k], bit[k], np.uint64(0))
                _, first = np.unique(code, return_index=True)
                found.append(sat[:, first].T)
            else:
                found.append(np.unique(sat.T, axis=0))
        self._patterns = np.unique(np.concatenate(found), axis=0)
        return self._patterns

    def is_feasible(self, constraints: Sequence[Constraint], subset: frozenset[int]) -> bool:
        """Whether some package satisfies every constraint in ``subset``."""
        pats = self.satisfied_patterns(constraints)
        cols = np.array(sorted(subset), dtype=np.intp)
        if len(cols) == 0:
            return True
        return bool(pats[:, cols].all(axis=1).any())

    def relax(self, scope: int | None) -> tuple[NDArray[np.intp], float] | None:
        """The package needing the least total relaxation.

        Args:
            scope: ``None`` when every party may move; otherwise the index of the only
                party allowed to move (every other party's constraints stay hard).

        Returns:
            ``(package, cost)`` with cost the sum of red-line moves (in scale widths) and
            no-deal shortfalls (in utility), or ``None`` when no package qualifies. Among
            packages of equal cost, the one whose worst-off party gains most.
        """
        if self._relaxed is None:
            self._relaxed = self._relax_all()
        return self._relaxed.get(scope)

    def _relax_all(self) -> dict[int | None, tuple[NDArray[np.intp], float]]:
        """One pass over every package for every scope at once."""
        sp = self.space
        tables, p = self._all_tables()
        parties = sp.party_index
        sq = sp.sq_utility[parties][:, None]
        ids = [np.arange(n) for n in sp.n_levels]
        scopes: list[int | None] = [None, *(int(a) for a in parties)]
        best: dict[int | None, tuple[float, float, NDArray[np.intp] | None]] = dict.fromkeys(
            scopes, (np.inf, -np.inf, None)
        )
        for combo, sums in product_sums(tables, self.chunk):
            short = np.maximum(sq - sums[:p], 0.0)
            short = np.where(short <= UTILITY_TOL, 0.0, short)
            per_party = sums[p:] + short
            util = (sums[:p] - sq).min(axis=0)  # the worst-off party's gain
            total = np.zeros(per_party.shape[1])
            for k in range(p):
                total = total + per_party[k]
            moving = per_party > 0
            n_moving = moving.sum(axis=0)
            for k_scope, scope in enumerate(scopes):
                if scope is None:
                    cost = total
                else:
                    k = k_scope - 1
                    alone = (n_moving == 0) | ((n_moving == 1) & moving[k])
                    cost = np.where(alone, per_party[k], np.inf)
                best_cost, best_util, _ = best[scope]
                low = float(cost.min())
                if not np.isfinite(low) or low > best_cost + RELAX_TOL:
                    continue
                cand = np.where(cost <= low + RELAX_TOL, util, -np.inf)
                j = int(np.argmax(cand))
                if low < best_cost - RELAX_TOL or cand[j] > best_util:
                    best[scope] = (low, float(cand[j]), self._indices(ids, combo, np.array([j]))[0])
        return {s: (pk, c) for s, (c, _, pk) in best.items() if pk is not None}
