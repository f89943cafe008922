"""``zopa advise`` on toy negotiations whose best lever is known by hand."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from zopa import service
from zopa.advice import advise_party, candidate_levers
from zopa.models import make_model
from zopa.scenario import Scenario

from helpers import make_scenario


def _by_text(result: service.AdviceResult) -> dict[str, float]:
    return {e.lever.describe(): e.benefit for e in result.advice.effects}


def three_on_one_issue() -> Scenario:
    """Three actors on one 0-100 issue; a1 carries three times the others' weight.

    Positions a0 = 20, a1 = 60, a2 = 100; capabilities 1, 3, 1; saliences all 1. The
    compromise model forecasts the weighted mean (20 + 3*60 + 100) / 5 = 60. a0's utility
    of an outcome x is 1 - |x - 20| / 100 = 0.6 at 60.

    Moving one actor's position by d moves the mean by w * d / 5 (w its weight), so a0
    gains most by asking a1 to move 60 -> 50: the mean goes to 54, a0's utility to 0.66,
    a benefit of +0.06, three times what moving a2 100 -> 90 gives (mean 58, +0.02).
    a0's own best move is to state 10 instead of 20 (mean 58, +0.02), which costs it
    0.10: the utility its stated position loses against its ideal.
    """
    return make_scenario([[20.0], [60.0], [100.0]], capabilities=[1.0, 3.0, 1.0])


def test_moving_the_most_weighted_actor_is_best_by_hand():
    result = service.advise(three_on_one_issue(), actor="a0", deal_space=False)
    best_persuasion = result.persuasion()[0]
    assert best_persuasion.lever.describe() == "a1: position on i0 60 → 50"
    assert best_persuasion.benefit == pytest.approx(0.06, abs=1e-12)
    assert best_persuasion.outcome == pytest.approx((54.0,))
    assert best_persuasion.lever.cost == pytest.approx(0.10, abs=1e-12)  # a1 gives up 10/100
    benefits = _by_text(result)
    assert benefits["a2: position on i0 100 → 90"] == pytest.approx(0.02, abs=1e-12)
    assert benefits["a1: position on i0 60 → 70"] == pytest.approx(-0.06, abs=1e-12)
    best_own = result.own()[0]
    assert best_own.lever.describe() == "a0: position on i0 20 → 10"
    assert best_own.benefit == pytest.approx(0.02, abs=1e-12)
    assert best_own.lever.cost == pytest.approx(0.10, abs=1e-12)
    assert result.advice.expected_utility == pytest.approx(0.6, abs=1e-12)


def test_salience_levers_by_hand():
    """a1 stands at the mean, so its salience moves nothing; a2's salience 1 -> 0.9 does.

    With a2's weight 0.9 the mean is (20 + 180 + 90) / 4.9 = 59.1837..., so a0 gains
    (60 - 290 / 4.9) / 100. Lowering a0's own salience to 0.9 pulls the other way:
    (18 + 180 + 100) / 4.9 = 60.816..., a loss of 0.816.../100, at no utility cost.
    """
    benefits = _by_text(service.advise(three_on_one_issue(), actor="a0", deal_space=False))
    assert benefits["a1: salience on i0 1.00 → 0.90"] == pytest.approx(0.0, abs=1e-12)
    assert benefits["a2: salience on i0 1.00 → 0.90"] == pytest.approx(
        (60 - 290 / 4.9) / 100, abs=1e-12
    )
    assert benefits["a0: salience on i0 1.00 → 0.90"] == pytest.approx(
        (60 - 298 / 4.9) / 100, abs=1e-12
    )
    assert "a0: salience on i0 1.00 → 1.10" not in benefits  # saliences stay in 0..1


def colliding_red_lines() -> Scenario:
    """Two parties on one issue whose red lines leave a gap: the zone is empty.

    a0 stands at 0 and accepts up to 40; a1 stands at 100 and accepts from 50. No status
    quo (no agreement is worth 0 to both). a0 relaxing its red line by 10 points (40 ->
    50) makes 50 acceptable to both: the zone opens, and the Nash package of gains
    (1 - x/100) * (x/100) over 50..100 is x = 50, worth 0.5 to a0. Dropping the red line
    opens the same zone at a cost of 0.6 (a0's utility at 40 minus at 100) against 0.1
    for the relaxation, so the relaxation ranks first. As stated the red lines collide on
    the only issue, so there is no deal at all.
    """
    base = make_scenario([[0.0], [100.0]], veto=[True, True])
    stances = tuple(
        dataclasses.replace(s, red_line=40.0 if s.actor == "a0" else 50.0) for s in base.stances
    )
    return dataclasses.replace(base, stances=stances)


def test_relaxing_a_red_line_opens_the_zone_by_hand():
    result = service.advise(colliding_red_lines(), actor="a0", rank_by="deal")
    a = result.advice
    assert a.deal is not None
    assert not a.deal.zone_open
    assert a.deal_utility is None
    first, second = result.own()[:2]
    assert first.lever.describe() == "a0: red line on i0 40 → 50"
    assert first.opens_zone
    assert first.deal is not None
    assert first.deal.package == (50.0,)
    assert first.deal_utility == pytest.approx(0.5, abs=1e-12)
    assert first.lever.cost == pytest.approx(0.1, abs=1e-12)
    assert first.benefit == 0.0  # the models do not read red lines
    assert second.lever.dropped
    assert second.opens_zone
    assert second.lever.cost == pytest.approx(0.6, abs=1e-12)
    # asking a1 to relax its red line by 10 points (50 -> 40) leaves one package both
    # accept, 40, worth 1 - 40/100 = 0.6 to a0
    (ask,) = [e for e in result.persuasion() if e.lever.kind == "red_line"]
    assert ask.lever.describe() == "a1: red line on i0 50 → 40"
    assert ask.opens_zone
    assert ask.deal is not None
    assert ask.deal.package == (40.0,)
    assert ask.deal_utility == pytest.approx(0.6, abs=1e-12)


def test_stated_deal_agrees_with_zopa_deals():
    """The party's utility of the stated deal is the one ``zopa deals`` reports."""
    scenario = make_scenario(
        [[10.0, 80.0], [90.0, 20.0], [50.0, 50.0]],
        [[1.0, 0.3], [0.4, 1.0], [0.5, 0.5]],
        [2.0, 1.0, 1.0],
        status_quo=[50.0, 50.0],
        veto=[True, True, False],
    )
    deals = service.deals(scenario).analysis.solutions["nash"]
    for actor in ("a0", "a2"):
        advice = service.advise(scenario, actor=actor, top=1).advice
        assert advice.deal is not None
        assert advice.deal.zone_open
        assert dict(zip(advice.issue_ids, advice.deal.package or (), strict=True)) == deals.package
        assert advice.deal_utility == pytest.approx(deals.utilities[actor], abs=1e-12)


def test_non_party_levers_leave_the_deal_as_stated():
    """a2 is no party: its stances do not enter the deal space."""
    scenario = make_scenario(
        [[10.0, 80.0], [90.0, 20.0], [50.0, 50.0]],
        [[1.0, 0.3], [0.4, 1.0], [0.5, 0.5]],
        status_quo=[50.0, 50.0],
        veto=[True, True, False],
    )
    advice = service.advise(scenario, actor="a0").advice
    assert advice.deal is not None
    assert advice.deal.package is not None
    moved = [e for e in advice.effects if e.lever.actor != "a2" and e.deal_benefit != 0.0]
    assert moved  # a party's levers do move the deal here
    for e in advice.effects:
        if e.lever.actor == "a2":
            assert e.deal == advice.deal
            assert e.deal_benefit == 0.0


def test_red_line_levers_only_on_parties():
    scenario = colliding_red_lines()
    view = scenario.arrays()
    levers = candidate_levers(view, "a0", parties=["a1"])  # a0 is not a party here
    assert not [lv for lv in levers if lv.kind == "red_line" and lv.actor == "a0"]
    assert [lv.describe() for lv in levers if lv.kind == "red_line"] == [
        "a1: red line on i0 50 → 40"
    ]


def test_positions_never_cross_the_movers_red_line():
    """a0 at 0 with red line 5: a 10-point step toward it would cross it, so it is left out."""
    base = make_scenario([[0.0], [100.0]], veto=[True, True])
    stances = tuple(
        dataclasses.replace(s, red_line=5.0 if s.actor == "a0" else None) for s in base.stances
    )
    view = dataclasses.replace(base, stances=stances).arrays()
    own = [lv for lv in candidate_levers(view, "a0", parties=["a0", "a1"]) if lv.own]
    assert all(not (lv.kind == "position" and lv.new > 0) for lv in own)


def test_draws_average_over_the_same_draws_for_every_lever():
    """With draws, a lever's benefit is the mean over draws of the per-draw differences."""
    from zopa.advice import lever_batch
    from zopa.advice.forecast_effect import party_utility
    from zopa.uncertainty import sample_positions

    scenario = make_scenario([[20.0, 40.0], [60.0, 70.0], [100.0, 10.0]], capabilities=[1, 3, 1])
    stances = tuple(
        dataclasses.replace(s, range=(s.position - 10, s.position + 10))
        if 10 <= s.position <= 90
        else s
        for s in scenario.stances
    )
    scenario = dataclasses.replace(scenario, stances=stances)
    point = scenario.arrays()
    model = make_model("compromise")
    draws = sample_positions(point, 40, np.random.default_rng(3))
    advice = advise_party(point, "a0", model, draws=draws, deal_space=False)
    best = advice.effects[0]
    view = lever_batch(point, [best.lever], draws)
    u = party_utility(point, "a0", model.forecast(view).outcome, loss="linear").reshape(2, 40)
    assert best.benefit == pytest.approx(float((u[1] - u[0]).mean()), abs=1e-12)


def test_result_serialisations_agree():
    result = service.advise(three_on_one_issue(), actor="a0", top=2)
    data = result.to_dict()
    assert data["actor"] == "a0"
    assert data["model"] == "compromise"
    assert "held to the compromise model's behaviour" in data["caveat"]
    assert [lv["text"] for lv in data["persuasion"]] == [
        e.lever.describe() for e in result.persuasion()
    ]
    assert len(data["own"]) == 2
    assert len(data["persuasion"]) == 2
    rows = result.to_rows()
    assert [r["group"] for r in rows] == ["own", "own", "persuasion", "persuasion"]
    assert rows[2]["benefit"] == pytest.approx(0.06)
    assert list(result.to_frame().columns) == list(rows[0])


def test_bad_arguments_all_at_once():
    with pytest.raises(service.BadInput) as caught:
        service.advise(
            three_on_one_issue(),
            actor="zz",
            model="nope",
            position_step=0,
            salience_step=1.5,
            draws=-1,
            top=0,
            rank_by="best",
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {
        "actor",
        "model",
        "position_step",
        "salience_step",
        "draws",
        "top",
        "rank_by",
    }


def test_core_deal_agrees_with_zopa_deals_when_red_lines_collide():
    """With colliding red lines on one issue, the deal is ``zopa deals``' core Nash package."""
    base = make_scenario(
        [[0.0, 20.0, 70.0], [100.0, 80.0, 10.0]],
        [[1.0, 0.5, 0.8], [0.6, 1.0, 0.4]],
        status_quo=[50.0, 50.0, 50.0],
        veto=[True, True],
    )
    red = {("a0", "i0"): 40.0, ("a1", "i0"): 60.0}
    stances = tuple(
        dataclasses.replace(s, red_line=red.get((s.actor, s.issue))) for s in base.stances
    )
    scenario = dataclasses.replace(base, stances=stances)
    core = service.deals(scenario).analysis.core
    assert core is not None
    nash = core.solutions["nash"]
    advice = service.advise(scenario, actor="a0", top=1).advice
    assert advice.deal is not None
    assert advice.deal.set_aside == ("i0",)
    assert dict(zip(advice.issue_ids, advice.deal.package or (), strict=True)) == nash.package
    assert advice.deal_utility == pytest.approx(nash.utilities["a0"], abs=1e-12)
