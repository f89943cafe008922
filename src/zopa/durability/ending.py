"""Which ending a deal leads to: capitulation, frozen conflict, or durable settlement.

The endings are those of the flagship brief (RUSI commentary, 24 Feb 2026): wars end by
capitulation, by settlement, or drag on as "neither war nor peace". The rules, in order:

1. **Capitulation** if the deal crosses the defender's red line on any capitulation issue
   (statehood or the ability to defend itself: by default territory, force caps,
   reassurance force, guarantees), or if the median deterrence balance falls below the
   balance floor within the horizon (the ability to defend itself erodes).
2. **Durable settlement** if the mean probability that the ceasefire holds five years is
   at least the durability threshold *and* at most ``max_unsettled_core`` core issues
   (territory, NATO, guarantees by default) are left without a final settlement.
3. Otherwise a **frozen conflict** ("neither war nor peace"): a ceasefire with the core
   issues unsettled or a high breakdown probability.

Every threshold is a documented parameter (``ending:`` in the parameter file). Margins
are signed distances to each boundary: positive means on the safe side.

- red-line margin: the smallest ``(red_line - value) * direction / scale width`` over the
  capitulation issues, where ``direction`` points from the defender's position to its red
  line (so a value past the red line gives a negative margin);
- balance margin: lowest median balance minus the floor;
- durability margin: mean P(holds 5 years) minus the threshold;
- settlement margin: ``max_unsettled_core`` minus the number of unsettled core issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from zopa.durability.deal import Settlement

if TYPE_CHECKING:
    from zopa.durability.deal import Deal
    from zopa.durability.parameters import EndingThresholds
    from zopa.durability.simulate import DurabilityResult
    from zopa.scenario import Scenario


class Ending(StrEnum):
    """The three endings."""

    CAPITULATION = "capitulation"
    FROZEN_CONFLICT = "frozen_conflict"
    DURABLE_SETTLEMENT = "durable_settlement"


@dataclass(frozen=True, slots=True)
class RedLineMargin:
    """How far a deal's value on one issue is from the defender's red line."""

    issue: str
    value: float
    red_line: float
    margin: float


@dataclass(frozen=True, slots=True)
class EndingAssessment:
    """The ending a deal leads to, why, and how close it is to each boundary.

    Attributes:
        ending: The classification.
        reasons: Plain-words reasons, one per rule that decided it.
        red_lines: Margin to the defender's red line on each capitulation issue the deal
            settles and the defender has a red line on.
        red_line_margin: The smallest of those margins (``None`` if none applies).
        balance_margin: Lowest median deterrence balance minus the floor.
        durability_margin: Mean P(holds 5 years) minus the durability threshold.
        unsettled_core: Core issues without a final settlement.
        settlement_margin: ``max_unsettled_core`` minus their number.
        unchecked: Capitulation issues that could not be checked (no red line or the
            deal gives no value), stated rather than silently passed.
    """

    ending: Ending
    reasons: tuple[str, ...]
    red_lines: tuple[RedLineMargin, ...]
    red_line_margin: float | None
    balance_margin: float
    durability_margin: float
    unsettled_core: tuple[str, ...]
    settlement_margin: int
    unchecked: tuple[str, ...]


def red_line_margins(
    deal: Deal, scenario: Scenario, thresholds: EndingThresholds
) -> tuple[tuple[RedLineMargin, ...], tuple[str, ...]]:
    """Margins to the defender's red lines on the capitulation issues, and what was unchecked."""
    margins: list[RedLineMargin] = []
    unchecked: list[str] = []
    issue_ids = set(scenario.issue_ids)
    for issue_id in thresholds.capitulation_issues:
        value = deal.settled_value(issue_id)
        stance = scenario.stance(thresholds.defender, issue_id) if issue_id in issue_ids else None
        if value is None or stance is None or stance.red_line is None:
            unchecked.append(issue_id)
            continue
        width = scenario.issue(issue_id).scale.width
        direction = float(np.sign(stance.red_line - stance.position)) or 1.0
        margin = (stance.red_line - value) * direction / width
        margins.append(RedLineMargin(issue_id, value, stance.red_line, margin))
    return tuple(margins), tuple(unchecked)


def classify_ending(
    deal: Deal,
    result: DurabilityResult,
    thresholds: EndingThresholds,
    scenario: Scenario | None,
) -> EndingAssessment:
    """Classify the ending a deal leads to (see the module docstring for the rules)."""
    if scenario is not None:
        red_lines, unchecked = red_line_margins(deal, scenario, thresholds)
    else:
        red_lines, unchecked = (), thresholds.capitulation_issues
    rl_margin = min((m.margin for m in red_lines), default=None)
    median_balance = np.median(result.deterrence.balance, axis=0)
    balance_margin = float(np.min(median_balance)) - thresholds.balance_floor
    p5 = float(np.mean(result.p_hold(5)))
    durability_margin = p5 - thresholds.p_hold_5y_durable
    unsettled = tuple(
        i
        for i in thresholds.core_issues
        if (t := deal.term(i)) is None or t.settlement is not Settlement.FINAL
    )
    settlement_margin = thresholds.max_unsettled_core - len(unsettled)

    reasons: list[str] = []
    crossed = [m for m in red_lines if m.margin < 0]
    for m in crossed:
        reasons.append(
            f"crosses {thresholds.defender}'s red line on {m.issue} "
            f"(deal {m.value:g}, red line {m.red_line:g})"
        )
    if balance_margin < 0:
        reasons.append(
            f"median deterrence balance falls to {np.min(median_balance):.2f}, below the "
            f"floor {thresholds.balance_floor:g}"
        )
    if reasons:
        ending = Ending.CAPITULATION
    else:
        if durability_margin >= 0 and settlement_margin >= 0:
            ending = Ending.DURABLE_SETTLEMENT
            reasons.append(
                f"P(holds 5 years) {p5:.2f} >= {thresholds.p_hold_5y_durable:g} and the core "
                "issues are settled"
            )
        else:
            ending = Ending.FROZEN_CONFLICT
            if settlement_margin < 0:
                reasons.append(f"core issues left unsettled: {', '.join(unsettled)}")
            if durability_margin < 0:
                reasons.append(f"P(holds 5 years) {p5:.2f} < {thresholds.p_hold_5y_durable:g}")
    return EndingAssessment(
        ending=ending,
        reasons=tuple(reasons),
        red_lines=red_lines,
        red_line_margin=rl_margin,
        balance_margin=balance_margin,
        durability_margin=durability_margin,
        unsettled_core=unsettled,
        settlement_margin=settlement_margin,
        unchecked=tuple(unchecked),
    )
