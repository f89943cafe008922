"""Colliding constraints: every irreducible infeasible subset, and the smallest relaxations.

When no package satisfies every party, the *conflicts* are the minimal sets of red lines
and no-deal alternatives that cannot hold together: drop any one member and the rest can
(an irreducible infeasible subset; Chinneck & Dravnieks 1991, ORSA J. Computing 3(2)).
Each is found by the deletion filter from a feasibility oracle, and all of them by
Reiter's hitting-set tree (Reiter 1987, Artificial Intelligence 32(1)), which branches on
the members of each conflict until what is left is feasible. Red-line conflicts are known
in closed form (pairs on one issue, see
:func:`~zopa.agreements.constraints.red_line_conflicts`) and seed the tree, so the oracle
is only asked about conflicts that involve a no-deal alternative.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: Stop after this many conflicts or oracle calls (the result then says it is partial).
MAX_CONFLICTS = 50
MAX_ORACLE_CALLS = 3000
MAX_NODES = 20000

Oracle = Callable[[frozenset[int]], bool]


@dataclass(frozen=True)
class ConflictSearch:
    """The conflicts found.

    Attributes:
        conflicts: Each a minimal infeasible set of constraint indices, smallest first.
        complete: Whether every conflict was found (no limit was hit).
        oracle_calls: Feasibility questions asked.
    """

    conflicts: tuple[frozenset[int], ...]
    complete: bool
    oracle_calls: int


def deletion_filter(members: frozenset[int], feasible: Oracle) -> frozenset[int]:
    """Shrink an infeasible set to an irreducible one (drop members it does not need)."""
    keep = set(members)
    for c in sorted(members):
        trial = frozenset(keep - {c})
        if not feasible(trial):
            keep.discard(c)
    return frozenset(keep)


def all_conflicts(
    n_constraints: int,
    feasible: Oracle,
    known: Iterable[frozenset[int]] = (),
    *,
    max_conflicts: int = MAX_CONFLICTS,
    max_calls: int = MAX_ORACLE_CALLS,
) -> ConflictSearch:
    """Every irreducible infeasible subset of ``range(n_constraints)``.

    Args:
        n_constraints: Number of constraints.
        feasible: Oracle: does some package satisfy every constraint in the set?
        known: Conflicts already known to be irreducible (they save oracle calls).
        max_conflicts: Stop after this many.
        max_calls: Stop after this many oracle calls.
    """
    calls = 0

    def ask(s: frozenset[int]) -> bool:
        nonlocal calls
        calls += 1
        return feasible(s)

    everything = frozenset(range(n_constraints))
    found: list[frozenset[int]] = list(dict.fromkeys(known))
    if not found and ask(everything):
        return ConflictSearch((), True, calls)
    queue: deque[frozenset[int]] = deque([frozenset()])
    seen: set[frozenset[int]] = {frozenset()}
    closed: list[frozenset[int]] = []
    complete = True
    nodes = 0
    while queue:
        if len(found) >= max_conflicts or calls >= max_calls or nodes >= MAX_NODES:
            complete = False
            break
        hit = queue.popleft()
        nodes += 1
        if any(c <= hit for c in closed):
            continue
        conflict = next((m for m in found if not (m & hit)), None)
        if conflict is None:
            rest = everything - hit
            if ask(rest):
                closed.append(hit)
                continue
            conflict = deletion_filter(rest, ask)
            found.append(conflict)
        for c in sorted(conflict):
            child = hit | {c}
            if child not in seen:
                seen.add(child)
                queue.append(child)
    ordered = sorted(found, key=lambda m: (len(m), sorted(m)))
    return ConflictSearch(tuple(ordered), complete, calls)
