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


def test_reason_names_one_sided_ranges_given_the_view() -> None:
    from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

    # b states 100 with a range 60..100: draws can only move it down, so the compromise
    # point (the mean, 60) lies above the range of the draws' forecasts
    scenario = Scenario(
        "flags",
        (Actor("a", "a", 1.0), Actor("b", "b", 1.0)),
        (Issue("i", "i", Scale(0, 100)),),
        (Stance("a", "i", 20.0, 1.0), Stance("b", "i", 100.0, 1.0, range=(60.0, 100.0))),
    )
    view = scenario.arrays()
    flags = outside_own_range({"i": 60.0}, {"i": (41.0, 50.0, 59.0)}, view=view)
    assert flags[0][1].endswith(
        "1 of 2 stances sits at the top end of their range, so the draws can only move "
        "them down; the point is the extreme case, the range the typical one"
    )
    flags = outside_own_range({"i": 40.0}, {"i": (41.0, 50.0, 59.0)}, view=view)
    assert "a small move changes this model's outcome" in flags[0][1]
