"""The constraints a package must meet to be feasible: red lines and no-deal alternatives.

Each party contributes one *red-line* constraint per issue on which it has a red line
(the package's value must lie on the acceptable side) and one *no-deal* constraint (its
utility must be at least its utility of no agreement). Conflicts and relaxations are
stated in terms of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.agreements.space import acceptable_interval

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.agreements.space import DealSpace


@dataclass(frozen=True, slots=True)
class Constraint:
    """One red line or no-deal alternative of one party.

    Attributes:
        kind: ``"red_line"`` or ``"no_deal"``.
        actor: The party's id.
        actor_index: The party's index in the space.
        issue: The issue id for a red line, ``None`` for a no-deal constraint.
        issue_index: The issue's index, or -1.
        value: The red line's value, or the party's utility of no agreement.
        interval: For a red line, the acceptable interval ``(low, high)``.
    """

    kind: str
    actor: str
    actor_index: int
    issue: str | None
    issue_index: int
    value: float
    interval: tuple[float, float] | None = None

    def describe(self) -> str:
        """A sentence an analyst can read."""
        if self.kind == "red_line" and self.interval is not None:
            lo, hi = self.interval
            return f"{self.actor} red line on {self.issue}: accepts {lo:g}..{hi:g}"
        return f"{self.actor} prefers no deal below utility {self.value:.3f}"


def space_constraints(space: DealSpace) -> tuple[Constraint, ...]:
    """Every party's red-line and no-deal constraints, red lines first (issue order)."""
    out: list[Constraint] = []
    for a in space.party_index:
        for i in range(space.n_issues):
            r = float(space.red_line[a, i])
            if np.isnan(r):
                continue
            interval = acceptable_interval(
                float(space.position[a, i]), r, float(space.scale_min[i]), float(space.scale_max[i])
            )
            out.append(
                Constraint(
                    "red_line", space.actor_ids[a], int(a), space.issue_ids[i], i, r, interval
                )
            )
    out.extend(
        Constraint("no_deal", space.actor_ids[a], int(a), None, -1, float(space.sq_utility[a]))
        for a in space.party_index
    )
    return tuple(out)


def violation_tables(space: DealSpace) -> tuple[NDArray[np.float64], ...]:
    """Per issue, (A, L_i) how far each level lies outside each actor's red line.

    Distances are in units of the issue's scale width (0 inside the red line).
    """
    out: list[NDArray[np.float64]] = []
    for i in range(space.n_issues):
        lv = space.levels[i]
        w = float(space.width[i])
        p = space.position[:, i][:, None]
        r = space.red_line[:, i][:, None]
        below = np.where(p < r, np.maximum(lv[None, :] - r, 0.0), 0.0)
        above = np.where(p > r, np.maximum(r - lv[None, :], 0.0), 0.0)
        equal = np.where(p == r, np.abs(lv[None, :] - r), 0.0)
        d = (below + above + equal) / w
        out.append(np.where(np.isnan(d), 0.0, d))
    return tuple(out)


def red_line_conflicts(
    space: DealSpace, constraints: tuple[Constraint, ...]
) -> list[frozenset[int]]:
    """Minimal red-line conflicts, found issue by issue.

    On one issue every red line admits an interval of levels, and a family of intervals
    on a line has no common point only if two of them have none (Helly's theorem in one
    dimension). So the irreducible red-line conflicts are single red lines that admit no
    grid level, and pairs of red lines whose admitted levels do not meet.
    """
    out: list[frozenset[int]] = []
    by_issue: dict[int, list[int]] = {}
    for k, c in enumerate(constraints):
        if c.kind == "red_line":
            by_issue.setdefault(c.issue_index, []).append(k)
    for i, ks in by_issue.items():
        masks = {k: space.allowed[i][constraints[k].actor_index] for k in ks}
        empty = {k for k in ks if not masks[k].any()}
        out.extend(frozenset({k}) for k in sorted(empty))
        live = [k for k in ks if k not in empty]
        for x, k1 in enumerate(live):
            for k2 in live[x + 1 :]:
                if not (masks[k1] & masks[k2]).any():
                    out.append(frozenset({k1, k2}))
    return out
