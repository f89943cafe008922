"""Point forecasts outside their own Monte Carlo range are flagged with a reason."""

from __future__ import annotations

import math

from zopa.uncertainty import outside_own_range


def test_flags_points_outside_and_only_those() -> None:
    point = {"territory": 80.5, "nato": 93.5, "sanctions": 43.8, "edge": 56.0, "none": 1.0}
    ranges = {
        "territory": (50.0, 53.0, 56.0),
        "nato": (61.0, 80.0, 98.0),
        "sanctions": (44.0, 60.0, 70.0),
        "edge": (50.0, 56.0),
        "none": (math.nan, math.nan, math.nan),
    }
    flags = outside_own_range(point, ranges)
    assert [issue for issue, _ in flags] == ["territory", "sanctions"]
    reason = dict(flags)["territory"]
    assert reason.startswith("point forecast 80.5 lies above its own Monte Carlo range [50, 56]")
    assert "median 53" in reason
    assert "below" in dict(flags)["sanctions"]
    assert "\n" not in reason


def test_no_flag_within_rounding_of_the_end() -> None:
    assert outside_own_range({"i": 100.0 + 1e-12}, {"i": (60.0, 100.0)}) == []
