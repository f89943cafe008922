"""Ending classification and actors' utilities of a deal, on hand-built cases."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from zopa import Actor, Issue, Scenario, Stance
from zopa.durability import Deal, DealTerm, Mechanisms, Provision, Settlement, analyse_durability
from zopa.durability.ending import Ending, classify_ending
from zopa.durability.utilities import deal_package, deal_utilities
from zopa.io.durability_parameters import load_durability_parameters

PARAMS = load_durability_parameters()
CITE = Provision(text="t", sources=("s",))
SCENARIO = Scenario(
    title="toy",
    actors=(Actor("UA", "Ukraine", 1.0), Actor("RU", "Russia", 1.0)),
    issues=(
        Issue("territory", "Territory", status_quo=50),
        Issue("nato", "NATO", status_quo=50),
        Issue("force_caps", "Caps", status_quo=0),
        Issue("guarantees", "Guarantees", status_quo=70),
    ),
    stances=(
        Stance("UA", "territory", 50, 1.0, red_line=65),
        Stance("UA", "force_caps", 0, 1.0, red_line=20),
        Stance("RU", "territory", 100, 1.0),
        Stance("RU", "nato", 100, 1.0),
    ),
)
STRONG = Mechanisms(
    monitoring="international_technical",
    dmz_width_km=40,
    reassurance_force="interposed",
    guarantees="art5_like",
    joint_commission="third_party",
    snapback=True,
    sequencing="simultaneous",
    specificity="high",
)


def _deal(terms: dict[str, tuple[float | None, Settlement]], mechanisms=STRONG) -> Deal:
    return Deal(
        id="d",
        title="d",
        scenario="x.yaml",
        terms=tuple(DealTerm(i, v, s, CITE) for i, (v, s) in terms.items()),
        mechanisms=mechanisms,
    )


def _classify(deal: Deal, params=PARAMS):
    result = analyse_durability("d", deal.mechanisms, params, n_draws=2000, seed=1)
    return classify_ending(deal, result, params.ending, SCENARIO), result


SETTLED = {
    "territory": (60.0, Settlement.FINAL),
    "nato": (50.0, Settlement.FINAL),
    "guarantees": (0.0, Settlement.FINAL),
    "force_caps": (10.0, Settlement.FINAL),
}


def test_durable_settlement_with_margins():
    a, result = _classify(_deal(SETTLED))
    assert a.ending is Ending.DURABLE_SETTLEMENT
    # red-line margins by hand: territory (65 - 60) / 100, force caps (20 - 10) / 100
    margins = {m.issue: m.margin for m in a.red_lines}
    assert margins == pytest.approx({"territory": 0.05, "force_caps": 0.10})
    assert a.red_line_margin == pytest.approx(0.05)
    assert a.unchecked == ("reassurance_force", "guarantees")  # no red line / no value
    assert a.durability_margin == pytest.approx(np.mean(result.p_hold(5)) - 0.7)
    assert a.settlement_margin == 0
    assert a.unsettled_core == ()


def test_crossing_a_red_line_is_capitulation():
    terms = dict(SETTLED, territory=(80.0, Settlement.FINAL))
    a, _ = _classify(_deal(terms))
    assert a.ending is Ending.CAPITULATION
    assert a.red_line_margin == pytest.approx(-0.15)
    assert "red line on territory" in a.reasons[0]


def test_halting_arms_erodes_defence_into_capitulation():
    weak = dataclasses.replace(STRONG, arms_supply="halted", guarantees="none")
    a, _ = _classify(_deal(SETTLED, weak))
    assert a.balance_margin < 0
    assert a.ending is Ending.CAPITULATION


def test_unsettled_core_is_a_frozen_conflict():
    terms = dict(SETTLED, territory=(50.0, Settlement.INTERIM))
    a, _ = _classify(_deal(terms))
    assert a.ending is Ending.FROZEN_CONFLICT
    assert a.unsettled_core == ("territory",)
    assert a.settlement_margin == -1


def test_bare_ceasefire_is_a_frozen_conflict_on_probability():
    a, _ = _classify(_deal(SETTLED, Mechanisms()))
    assert a.ending is Ending.FROZEN_CONFLICT
    assert a.durability_margin == pytest.approx(0.5 - 0.7, abs=0.01)


def test_utilities_by_hand():
    deal = _deal({"territory": (80.0, Settlement.FINAL), "nato": (None, Settlement.DEFERRED)})
    np.testing.assert_array_equal(deal_package(deal, SCENARIO), [80, 50, 0, 70])
    u = {x.actor: x for x in deal_utilities(deal, SCENARIO)}
    # UA: territory (1 - 0.3) and caps (1 - 0) equally salient; no deal: 1 and 1
    assert u["UA"].deal == pytest.approx(0.85)
    assert u["UA"].no_deal == pytest.approx(1.0)
    # RU: territory (1 - 0.2), nato at status quo (1 - 0.5); no deal: 0.5 and 0.5
    assert u["RU"].deal == pytest.approx(0.65)
    assert u["RU"].gain == pytest.approx(0.15)
