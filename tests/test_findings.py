"""Findings in sentences, checked against answers computed by hand on toy scenarios."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from zopa import service
from zopa.report import findings, package_warnings
from zopa.report.markdown import deals_section

from helpers import make_scenario

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _texts(found: list[findings.Finding]) -> list[str]:
    return [f.text for f in found]


def test_landing_agree_with_hand_computed_forecasts():
    s = service.load_scenario(FIXTURES / "scenarios" / "three-actors.yaml").scenario
    # weights capability x salience: A 1, B 1, C 1.5; compromise (0 + 60 + 135) / 3.5 =
    # 55.71; median: half the weight (1.75) is reached at B's 60. Spread 4.3 <= 10: agree.
    result = service.forecast(s, models=["compromise", "median"])
    lead, issue = findings.landing_findings(s, result.to_dict())
    assert lead.text.startswith("The models agree on 1 issue")
    assert issue.text == (
        "Issue X (x): the models agree: 55.7 (compromise) to 60.0 (median) on its 0–100 "
        "scale; status quo 20.0."
    )
    assert issue.anchor == "where-will-it-land"


def test_landing_split_names_the_extremes():
    # three actors of equal weight at 0, 10 and 100: compromise 110 / 3 = 36.7, median 10
    s = make_scenario([[0.0], [10.0], [100.0]])
    result = service.forecast(s, models=["compromise", "median"])
    lead, issue = findings.landing_findings(s, result.to_dict())
    assert "split on 1: i0" in lead.text
    assert "the models split, from 10.0 (median) to 36.7 (compromise)" in issue.text


def test_colliding_red_lines_and_the_smallest_relaxation():
    s = service.load_scenario(FIXTURES / "deals" / "red-lines-collide.yaml").scenario
    deals = service.deals(s).to_dict()
    texts = _texts(findings.deal_findings(deals))
    # A accepts 0..40 on border, B 60..100: no package; moving one red line by 20 of the
    # 0-100 scale opens it (0.20 of a scale)
    assert texts[0].startswith("No deal satisfies every party whose consent is needed (A and B)")
    assert texts[1] == "The constraints collide on border (A accepts 0..40; B accepts 60..100)."
    assert "(total 0.20 of a scale)" in texts[2]
    assert "moves its red line on border from" in texts[2]


def test_a_party_preferring_no_deal_is_said_in_words():
    # a0 sits at the status quo (no deal is worth 1 to it); a1 accepts only 50..100.
    s = make_scenario([[0.0], [100.0]], status_quo=[0.0], veto=[True, True])
    stances = list(s.stances)
    stances[1] = replace(stances[1], red_line=50.0)
    s = replace(s, stances=tuple(stances))
    deals = service.deals(s).to_dict()
    texts = _texts(findings.deal_findings(deals))
    assert texts[1] == "The constraints collide on i0 (a1 accepts 50..100; a0 prefers no deal)."
    section = "\n".join(deals_section(deals, [], relative_to=Path(".")))
    # at 50, a0's utility is 1 - 50/100 = 0.5, half a unit below its no-deal value 1
    assert "a0 alone (total 0.50 of utility): a0 accepts a deal worth 0.50 to it" in section
    assert "below its no-deal value 1.00" in section
    assert "None" not in section


def test_core_deal_warnings_name_the_set_aside_issue_and_the_scale_ends():
    s = service.load_scenario(FIXTURES / "deals" / "red-lines-collide.yaml").scenario
    deals = service.deals(s).to_dict()
    warnings = _texts(package_warnings.deal_warnings(s, deals))
    assert warnings[0].startswith("The core deal is not a deal on border: it leaves it at its")
    core = deals["core"]["solutions"]["nash"]["package"]
    # the Nash package of A and B gives A aid (A at 100, salience .8) and B trade (B at 0)
    assert core["aid"] == 100.0
    assert core["trade"] == 0.0
    assert "trade at 0, where B stands; aid at 100, where A stands" in warnings[1]


def test_red_lines_crossed_by_a_package():
    s = service.load_scenario(FIXTURES / "deals" / "red-lines-collide.yaml").scenario
    found = package_warnings.package_warnings(
        s, "The plan", {"border": 70.0, "trade": 50.0}, parties=["A", "B"], section=findings.DEALS
    )
    assert _texts(found) == [
        "The plan crosses 1 red line: A's on border (70 against a red line of 40)."
    ]


def test_tables_say_who_rejects_and_what_a_narrow_table_costs():
    s = service.load_scenario(FIXTURES / "deals" / "red-lines-collide.yaml").scenario
    tables = service.tables(s, {"a": ["A"], "all": ["A", "B", "C"]}, forecasts=False)
    texts = _texts(findings.table_findings(tables.to_dict()))
    # alone, A takes its ideal point (utility 1) and B, opposite on every issue, gets 0
    # against its no-deal 0.45 (0.55 of its weight lost on border, trade and aid at 50)
    assert texts[0] == (
        "The a table (A) reaches a deal (the Nash package of its members) that 1 actor would "
        "reject (B outside it); B loses most: 0.00 against 0.45 with no deal. B can veto it "
        "from outside the room."
    )
    assert "that every actor accepts" in texts[1]
    assert texts[2].startswith("The a table against the all table: 2 actors lose (B 0.00")
    assert "1 actor gains (A 1.00 instead of" in texts[2]


def _assessment(title: str, ending: str, p5: float, b0: float, b5: float) -> dict:
    return {
        "deal": {"title": title},
        "p_hold": {"5": {"mean": p5, "low": p5 - 0.1, "high": p5 + 0.1}},
        "deterrence": {
            "by_year": [
                {"year": 0.0, "balance": {"median": b0}},
                {"year": 5.0, "balance": {"median": b5}},
            ]
        },
        "ending": {"ending": ending},
    }


def test_durability_findings_and_the_most_common_ending():
    plans = [
        _assessment("Plan A", "frozen_conflict", 0.8, 1.4, 1.1),
        _assessment("Plan B", "capitulation", 0.5, 1.0, 0.3),
        _assessment("Plan C", "frozen_conflict", 0.9, 1.2, 1.3),
    ]
    texts = _texts(findings.durability_findings(plans))
    assert texts[0] == (
        "Plan A: holds 5 years with probability 0.80 (0.70–0.90); the deterrence balance goes "
        "from 1.40 at the ceasefire to 1.10 after 5 years (stays above parity); it leads to a "
        'frozen conflict ("neither war nor peace").'
    )
    assert "falls below parity" in texts[1]
    assert "capitulation" in texts[1]
    assert texts[3] == (
        'The most likely ending over the 3 plans is a frozen conflict ("neither war nor '
        'peace"): 2 of 3 plans lead to it.'
    )
    tie = findings.durability_findings(plans[:2])[-1].text
    assert tie.startswith("No single ending dominates over the 2 plans")
