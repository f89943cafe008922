"""The moves an actor can make, or ask of another, and what each costs whoever moves.

A *lever* changes one stance of one actor: its stated position or its salience on one
issue, or its red line there. A party's *own* levers move its own stances; its
*persuasion* levers move another actor's stance by a stated amount (the change the party
would have to talk that actor into).

Costs are measured with the mover's original ideal point and saliences, through the deal
space's utility (:mod:`zopa.agreements.utility`):

- a position moved from ``p`` to ``p'``: the utility the mover would lose if its stated
  position were the outcome, ``u(p) - u(p')`` on that issue;
- a red line moved from ``r`` to ``r'`` (or dropped: ``r'`` is the far end of the scale):
  how much worse the worst package it would now accept is, ``u(r) - u(r')``;
- a salience: 0 (stating that an issue matters more or less gives nothing up by itself);
  its size is reported as the shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from zopa.agreements.utility import Loss, issue_terms

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays

LeverKind = Literal["position", "salience", "red_line"]
KINDS: tuple[LeverKind, ...] = ("position", "salience", "red_line")
#: Default position step, in percent of an issue's scale width (10 points of 0-100).
POSITION_STEP = 10.0
#: Default salience step (saliences are 0..1).
SALIENCE_STEP = 0.1


@dataclass(frozen=True, slots=True)
class Lever:
    """One change to one stance.

    Attributes:
        actor: The actor whose stance changes.
        issue: The issue.
        kind: ``"position"``, ``"salience"`` or ``"red_line"``.
        old: The value before (a red line's value; NaN never, a lever needs a red line).
        new: The value after; NaN for a red line dropped.
        own: Whether the advised party moves its own stance (else it persuades ``actor``).
        shift: Size of the change: scale points for positions and red lines (to the far
            end of the scale for a dropped red line), salience units for saliences.
        cost: Utility (0..1) the mover gives up, with its original ideal and saliences.
    """

    actor: str
    issue: str
    kind: LeverKind
    old: float
    new: float
    own: bool
    shift: float
    cost: float

    @property
    def dropped(self) -> bool:
        """Whether this lever drops a red line altogether."""
        return self.kind == "red_line" and bool(np.isnan(self.new))

    def describe(self) -> str:
        """One line an analyst can read, e.g. ``RU: red line on nato 90 -> 80``."""
        label = self.kind.replace("_", " ")
        if self.dropped:
            return f"{self.actor}: drop red line on {self.issue} ({self.old:g})"
        digits = 2 if self.kind == "salience" else 0
        old, new = _num(self.old, digits), _num(self.new, digits)
        return f"{self.actor}: {label} on {self.issue} {old} → {new}"


def _num(value: float, digits: int) -> str:
    return f"{value:.{digits}f}" if digits else f"{value:g}"


def _term(view: ScenarioArrays, a: int, i: int, value: float, loss: Loss) -> NDArray[np.float64]:
    """Actor ``a``'s utility term on issue ``i`` at ``value`` (its own saliences)."""
    values = np.full(view.n_issues, np.nan)
    values[i] = value
    terms = issue_terms(
        values,
        view.position[0, a],
        view.salience[0, a],
        view.scale_min,
        view.scale_max,
        loss=loss,
    )
    return terms[i]  # type: ignore[no-any-return]


def utility_given_up(
    view: ScenarioArrays, a: int, i: int, old: float, new: float, *, loss: Loss
) -> float:
    """How much worse ``new`` is than ``old`` on issue ``i`` for actor ``a`` (never < 0)."""
    return max(float(_term(view, a, i, old, loss) - _term(view, a, i, new, loss)), 0.0)


def _far_end(view: ScenarioArrays, a: int, i: int) -> float:
    """The end of issue ``i``'s scale on the far side of actor ``a``'s red line."""
    p, r = float(view.position[0, a, i]), float(view.red_line[a, i])
    return float(view.scale_max[i] if r > p else view.scale_min[i])


def stance_levers(
    view: ScenarioArrays,
    a: int,
    *,
    own: bool,
    red_lines: bool,
    drop: bool,
    position_step: float,
    salience_step: float,
    loss: Loss,
) -> list[Lever]:
    """Every lever on actor ``a``'s stances (point view, draw 0).

    Positions move ``position_step`` percent of the scale width up and down (clipped to
    the scale, never onto or across the actor's own red line); saliences move by
    ``salience_step`` up and down (clipped to 0..1); with ``red_lines``, each red line is
    relaxed by the position step away from the position and, with ``drop``, dropped.
    Changes of size zero (already at the end of the scale) are left out.
    """
    out: list[Lever] = []
    actor = view.actor_ids[a]
    for i in (int(k) for k in np.flatnonzero(view.has_stance[a])):
        issue = view.issue_ids[i]
        lo, hi = float(view.scale_min[i]), float(view.scale_max[i])
        step = position_step / 100.0 * (hi - lo)
        p, s, r = (
            float(view.position[0, a, i]),
            float(view.salience[0, a, i]),
            float(view.red_line[a, i]),
        )
        for new in (p - step, p + step):
            new = round(min(max(new, lo), hi), 12)  # no float dust in the output
            crosses = not np.isnan(r) and (new - r) * (p - r) <= 0
            if new != p and not crosses:
                cost = utility_given_up(view, a, i, p, new, loss=loss)
                shift = round(abs(new - p), 12)
                out.append(Lever(actor, issue, "position", p, new, own, shift, cost))
        for new in (s - salience_step, s + salience_step):
            new = round(min(max(new, 0.0), 1.0), 12)
            if new != s:
                shift = round(abs(new - s), 12)
                out.append(Lever(actor, issue, "salience", s, new, own, shift, 0.0))
        if red_lines and not np.isnan(r) and r != p:
            end = _far_end(view, a, i)
            relaxed = round(r + step if end > r else r - step, 12)
            if (end - relaxed) * (end - r) > 0:  # strictly short of the end: not a drop
                cost = utility_given_up(view, a, i, r, relaxed, loss=loss)
                out.append(Lever(actor, issue, "red_line", r, relaxed, own, step, cost))
            if drop or (end - relaxed) * (end - r) <= 0:
                cost = utility_given_up(view, a, i, r, end, loss=loss)
                out.append(Lever(actor, issue, "red_line", r, np.nan, own, abs(end - r), cost))
    return out


def candidate_levers(
    view: ScenarioArrays,
    actor: str,
    *,
    parties: Sequence[str],
    position_step: float = POSITION_STEP,
    salience_step: float = SALIENCE_STEP,
    loss: Loss = "linear",
) -> tuple[Lever, ...]:
    """The advised actor's own levers, then the persuasion levers on every other actor.

    Red lines shape only the deal space, and there only a *party's* (an actor whose
    acceptance a deal needs); so red-line levers are offered on the parties' stances
    only: the advised actor may relax or drop its own, and ask another party to relax
    one by the position step.

    Args:
        view: The scenario's point view (D = 1).
        actor: The advised actor's id.
        parties: The actors whose acceptance makes a deal.
        position_step: Position step in percent of each issue's scale width.
        salience_step: Salience step.
        loss: The utility's loss, as in the deal space.
    """
    a = view.actor_ids.index(actor)
    out = stance_levers(
        view,
        a,
        own=True,
        red_lines=actor in parties,
        drop=True,
        position_step=position_step,
        salience_step=salience_step,
        loss=loss,
    )
    for b, other in enumerate(view.actor_ids):
        if b != a:
            out += stance_levers(
                view,
                b,
                own=False,
                red_lines=other in parties,
                drop=False,
                position_step=position_step,
                salience_step=salience_step,
                loss=loss,
            )
    return tuple(out)
