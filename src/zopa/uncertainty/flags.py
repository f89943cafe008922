"""Flags for point forecasts that fall outside their own Monte Carlo range.

A point forecast is the model run on the stated positions; its Monte Carlo range is
the same model run on draws of the positions within the analysts' ranges
(:func:`zopa.uncertainty.sample_positions`). The point can lie outside the 5-95 % range
for two reasons, and the flag says which when it can tell (given the scenario's view):

* **one-sided ranges**: stances whose stated position is the end of their range (say
  100 with a range of 60-100) can only move one way in the draws, so the point is the
  extreme case of what the stances allow, not a typical one;
* **a threshold of the model**: the stated positions sit where a small move changes the
  outcome (a tie, a discrete choice of an offer or exchange, a weighted median between
  two actors), so the point is an artefact of exact values.

Either way the range is the better guide. Every output that shows a point forecast next
to its range should show this flag.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zopa.arrays import ScenarioArrays

#: Relative tolerance (of the range's own scale) before a point counts as outside.
TOLERANCE = 1e-9


def _num(value: float) -> str:
    """A number for a sentence: four significant digits, rounding noise below 1e-9 to 0."""
    return f"{round(value, 9) + 0.0:.4g}"


def _one_sided(view: ScenarioArrays, issue: str, side: str) -> tuple[int, int]:
    """(stances at the end of their range that draws move towards ``side``, stances)."""
    k = view.issue_ids.index(issue)
    has = view.has_stance[:, k]
    x = view.position[0, :, k]
    low, high = view.position_low[:, k], view.position_high[:, k]
    ranged = has & (high > low)
    # draws move a stance at its range's top end down, one at its bottom end up
    at_end = ranged & ((x >= high) if side == "below" else (x <= low))
    return int(at_end.sum()), int(has.sum())


def outside_own_range(
    point: Mapping[str, float],
    intervals: Mapping[str, Sequence[float]],
    *,
    view: ScenarioArrays | None = None,
) -> list[tuple[str, str]]:
    """Issues whose point forecast lies outside its Monte Carlo range, each with a reason.

    Args:
        point: ``{issue: point forecast}`` (from the stated positions).
        intervals: ``{issue: (low, ..., high)}``, e.g. the (5th, 50th, 95th) percentiles
            of :func:`zopa.uncertainty.forecast_intervals`; the first value is the low
            end, the last the high end, a middle value (if any) the median.
        view: The point-estimate view the forecasts came from (optional); with it the
            reason says whether stances at one end of their ranges explain the flag.

    Returns:
        ``[(issue, one-line reason)]`` in the order of ``point``; issues without a
        finite point or range are skipped.
    """
    flagged: list[tuple[str, str]] = []
    for issue, value in point.items():
        bounds = intervals.get(issue)
        if bounds is None or len(bounds) < 2:
            continue
        low, high = float(bounds[0]), float(bounds[-1])
        if not all(math.isfinite(v) for v in (value, low, high)):
            continue
        slack = TOLERANCE * max(1.0, abs(low), abs(high))
        if low - slack <= value <= high + slack:
            continue
        side = "above" if value > high else "below"
        median = f", median {_num(float(bounds[len(bounds) // 2]))}" if len(bounds) >= 3 else ""
        head = (
            f"point forecast {_num(value)} lies {side} its own Monte Carlo range "
            f"[{_num(low)}, {_num(high)}]{median}: "
        )
        draws_go = "below" if side == "above" else "above"
        ends = _one_sided(view, issue, draws_go) if view is not None else None
        if ends is not None and ends[0] > 0:
            end = "top" if draws_go == "below" else "bottom"
            verb = "sits" if ends[0] == 1 else "sit"
            why = (
                f"{ends[0]} of {ends[1]} stances {verb} at the {end} end of their range, so "
                f"the draws can only move them {'down' if end == 'top' else 'up'}; the "
                "point is the extreme case, the range the typical one"
            )
        elif ends is not None:
            why = (
                "the stated positions sit where a small move changes this model's "
                "outcome (a tie or a discrete choice), so read the range, not the point"
            )
        else:
            why = (
                "stances at one end of their ranges (draws move them one way) or a "
                "threshold of the model; read the range, not the point"
            )
        flagged.append((issue, head + why))
    return flagged
