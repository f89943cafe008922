"""Who is at the table: absent actors have no say, and their utility is reported."""

from __future__ import annotations

import pytest

from zopa.agreements import analyse_deals
from zopa.agreements.tables import compare_tables
from zopa.scenario import Actor, Issue, Scenario, Stance


def three_actors():
    return Scenario(
        "three",
        (
            Actor("A", "A", 1.0, veto=True),
            Actor("B", "B", 1.0, veto=True),
            Actor("C", "C", 1.0, veto=True),
        ),
        (Issue("x", "x", status_quo=100.0),),
        (
            Stance("A", "x", 0.0, 1.0),
            Stance("B", "x", 20.0, 1.0),
            # C wants the status quo and would veto any move; outside the room it has no say
            Stance("C", "x", 100.0, 1.0, red_line=90.0),
        ),
    )


def test_table_without_an_actor_gives_it_no_say_and_reports_its_utility():
    scen = three_actors()
    # with C in the room nothing moves: any move leaves C below its no-deal utility
    everyone = analyse_deals(scen)
    assert everyone.zopa.ranges["x"] == (100.0, 100.0)
    result = compare_tables(scen, {"AB": ["A", "B"], "all": ["A", "B", "C"]}, forecasts=False)
    ab = result.tables["AB"]
    # A and B alone: the same deal as a scenario without C at all
    alone = analyse_deals(scen.subset(actor_ids=["A", "B"]))
    assert ab.deal is not None
    assert ab.deal.package == alone.solutions["nash"].package
    # by hand, with t = x / 100: A gains 1 - t, B gains 0.8 - |t - 0.2|; for t <= 0.2 the
    # product (1 - t)(0.6 + t) rises up to t = 0.2, beyond it (1 - t)^2 falls: x = 20
    assert ab.deal.package == {"x": 20.0}
    # C, absent, gets 1 - |20 - 100| / 100 = 0.2, a loss of 0.8 against no agreement
    assert ab.deal.utilities["C"] == pytest.approx(0.2)
    assert ab.deal.gains["C"] == pytest.approx(-0.8)
    assert ab.acceptable["C"] is False
    assert ab.absent_vetoes == ("C",)
    assert result.tables["all"].absent_vetoes == ()
    assert result.no_deal == pytest.approx({"A": 0.0, "B": 0.2, "C": 1.0})


def test_absent_actor_preferences_do_not_move_the_deal():
    scen = three_actors()
    moved = Scenario(
        scen.title,
        scen.actors,
        scen.issues,
        (*scen.stances[:2], Stance("C", "x", 50.0, 0.3)),
    )
    a = compare_tables(scen, {"AB": ["A", "B"]}, forecasts=False).tables["AB"]
    b = compare_tables(moved, {"AB": ["A", "B"]}, forecasts=False).tables["AB"]
    assert a.deal is not None
    assert b.deal is not None
    assert a.deal.package == b.deal.package
    assert a.deal.utilities["C"] != b.deal.utilities["C"]


def test_forecasts_run_on_the_table_alone():
    scen = three_actors()
    result = compare_tables(scen, {"AB": ["A", "B"]})
    compromise = next(f for f in result.tables["AB"].forecasts if f.model == "compromise")
    assert compromise.outcome == {"x": pytest.approx(10.0)}
    assert compromise.utilities["C"] == pytest.approx(0.1)
