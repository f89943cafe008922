"""The zone's range on each issue, with as few optimisation runs as the data allow.

The lowest and highest level of issue ``i`` in a feasible package can be found by two
mixed-integer programmes per issue (minimise, maximise the level); on a large scenario
those were most of the time spent. Most of them are not needed. For each level ``l`` of
issue ``i``:

- it is *certified* when a feasible package uses it: a package found on the way (a
  solution, a sampled package) or such a package with issue ``i`` moved to ``l``, which
  is checked exactly like any other package;
- it is *ruled out* when some party cannot reach its no-deal utility even with the best
  level of every other issue inside the parties' red lines,
  ``T[a, i, l] + sum_{k != i} max_l' T[a, k, l'] < u_a(no deal)``. Utility terms are
  multiples of 2**-40, so these sums are exact and the test is exact too.

The lowest level is then the lowest certified one, unless a level below it is neither
certified nor ruled out: only then is a programme solved, over those levels alone (its
package, if any, is certified in turn). The highest level likewise. The answer is the
one the two programmes per issue gave, found with fewer of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from zopa.agreements.space import UTILITY_TOL

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.agreements.space import DealSpace

#: Witness packages whose one-issue moves are tried (the first ones given).
MOVED_WITNESSES = 32


class BoundSolver(Protocol):
    """Finds a feasible package whose issue ``i`` lies on one of ``levels``.

    The package has the lowest (or, with ``highest``, the highest) such level; ``None``
    when there is none.
    """

    def __call__(
        self, i: int, levels: NDArray[np.bool_], *, highest: bool
    ) -> NDArray[np.intp] | None:
        """The package, or ``None``."""


def possible_levels(space: DealSpace) -> list[NDArray[np.bool_]]:
    """Per issue, the levels that are not ruled out (see the module docstring)."""
    parties = space.party_index
    box = space.box()
    best = [
        np.where(box[i][None, :], space.terms[i][parties], -np.inf).max(axis=1)
        for i in range(space.n_issues)
    ]  # (P,) per issue; -inf when the box is empty on an issue
    total = np.zeros(len(parties))
    for b in best:
        total = total + b
    need = space.sq_utility[parties] - UTILITY_TOL
    out: list[NDArray[np.bool_]] = []
    for i in range(space.n_issues):
        reach = (total - best[i])[:, None] + space.terms[i][parties]  # (P, L_i)
        out.append(box[i] & (reach >= need[:, None]).all(axis=0))
    return out


def certified_levels(
    space: DealSpace, witnesses: NDArray[np.intp], possible: list[NDArray[np.bool_]]
) -> list[NDArray[np.bool_]]:
    """Per issue, the levels some feasible package uses.

    Args:
        space: The package space.
        witnesses: (W, I) feasible packages.
        possible: Per issue, the levels not ruled out (the only ones tried).
    """
    seen = [np.zeros(n, dtype=bool) for n in space.n_levels]
    for i in range(space.n_issues):
        seen[i][witnesses[:, i]] = True
    base = witnesses[:MOVED_WITNESSES]
    moves: list[tuple[int, NDArray[np.intp]]] = []
    for i in range(space.n_issues):
        todo = np.flatnonzero(possible[i] & ~seen[i])
        if len(todo):
            moves.append((i, todo))
    if not moves or not len(base):
        return seen
    packages = []
    tags = []
    for i, todo in moves:
        pk = np.repeat(base, len(todo), axis=0)
        pk[:, i] = np.tile(todo, len(base))
        packages.append(pk)
        tags.append(np.stack([np.full(len(pk), i), pk[:, i]], axis=1))
    pk_all = np.concatenate(packages)
    tag = np.concatenate(tags)
    ok = space.feasible(pk_all)
    for i, level in tag[ok]:
        seen[int(i)][int(level)] = True
    return seen


def zone_ranges(
    space: DealSpace, witnesses: NDArray[np.intp], solve: BoundSolver
) -> list[tuple[int, int]]:
    """Per issue, the lowest and highest level used by a feasible package.

    Args:
        space: The package space (its zone is not empty).
        witnesses: (W, I) feasible packages, at least one.
        solve: Finds the extreme feasible level among some levels of an issue.
    """
    possible = possible_levels(space)
    seen = certified_levels(space, np.asarray(witnesses, dtype=np.intp), possible)
    out: list[tuple[int, int]] = []
    for i in range(space.n_issues):
        ends: list[int] = []
        for highest in (False, True):
            known = np.flatnonzero(seen[i])
            edge = int(known[-1] if highest else known[0])
            index = np.arange(space.n_levels[i])
            beyond = index > edge if highest else index < edge
            open_levels = possible[i] & ~seen[i] & beyond
            if open_levels.any():
                found = solve(i, open_levels, highest=highest)
                if found is not None:
                    edge = int(found[i])
                    for k in range(space.n_issues):
                        seen[k][found[k]] = True
            ends.append(edge)
        out.append((ends[0], ends[1]))
    return out
