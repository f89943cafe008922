"""Flags for point forecasts that fall outside their own Monte Carlo range.

A point forecast is the model run on the stated positions; its Monte Carlo range is
the same model run on draws of the positions within the analysts' ranges
(:func:`zopa.uncertainty.sample_positions`). When the point lies outside the 5-95 %
range, the stated positions sit where a small move changes the model's outcome (an
actor at a threshold, a discrete choice of the model), so the point is not typical of
what the stances allow; the range is then the better guide. Every output that shows a
point forecast next to its range should show this flag (issue 11).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

#: Relative tolerance (of the range's own scale) before a point counts as outside.
TOLERANCE = 1e-9


def outside_own_range(
    point: Mapping[str, float],
    intervals: Mapping[str, Sequence[float]],
) -> list[tuple[str, str]]:
    """Issues whose point forecast lies outside its Monte Carlo range, each with a reason.

    Args:
        point: ``{issue: point forecast}`` (from the stated positions).
        intervals: ``{issue: (low, ..., high)}``, e.g. the (5th, 50th, 95th) percentiles
            of :func:`zopa.uncertainty.forecast_intervals`; the first value is the low
            end, the last the high end, a middle value (if any) the median.

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
        median = f", median {float(bounds[len(bounds) // 2]):.4g}" if len(bounds) >= 3 else ""
        flagged.append(
            (
                issue,
                f"point forecast {value:.4g} lies {side} its own Monte Carlo range "
                f"[{low:.4g}, {high:.4g}]{median}: the stated positions sit where a small "
                "move changes this model's outcome, so read the range, not the point",
            )
        )
    return flagged
