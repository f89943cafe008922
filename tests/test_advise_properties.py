"""Invariants of the advice: checked on generated negotiations (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.advice import Lever, advise_party, forecast_effects, with_lever
from zopa.advice.forecast_effect import party_utility
from zopa.models import make_model
from zopa.scenario import Scenario

from helpers import make_scenario

MODELS = ("compromise", "median")


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n_a = draw(st.integers(2, 4))
    n_i = draw(st.integers(1, 3))
    value = st.integers(0, 20).map(lambda v: 5.0 * v)
    positions = [[draw(value) for _ in range(n_i)] for _ in range(n_a)]
    saliences = [[draw(st.integers(1, 10)) / 10 for _ in range(n_i)] for _ in range(n_a)]
    capabilities = [float(draw(st.integers(1, 5))) for _ in range(n_a)]
    return make_scenario(positions, saliences, capabilities)


def _single(model_name: str, scenario: Scenario, lever: Lever | None) -> float:
    """a0's utility of one forecast, computed on its own (no batch)."""
    point = scenario.arrays()
    view = point if lever is None else with_lever(point, lever)
    outcome = make_model(model_name).forecast(view).outcome
    return float(party_utility(point, "a0", outcome, loss="linear")[0])


@pytest.mark.parametrize("model_name", MODELS)
@settings(max_examples=25, deadline=None)
@given(scenario=scenarios())
def test_benefit_is_the_difference_of_two_single_forecasts(model_name, scenario):
    advice = advise_party(scenario.arrays(), "a0", make_model(model_name), deal_space=False)
    stated = _single(model_name, scenario, None)
    assert advice.expected_utility == pytest.approx(stated, abs=1e-12)
    for effect in advice.effects:
        alone = _single(model_name, scenario, effect.lever) - stated
        assert effect.benefit == pytest.approx(alone, abs=1e-12), effect.lever


@settings(max_examples=25, deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_a_zero_size_shift_gives_zero_benefit(scenario, data):
    point = scenario.arrays()
    actor = data.draw(st.sampled_from(point.actor_ids))
    issue = data.draw(st.sampled_from(point.issue_ids))
    kind = data.draw(st.sampled_from(["position", "salience"]))
    a, i = point.actor_ids.index(actor), point.issue_ids.index(issue)
    value = float((point.position if kind == "position" else point.salience)[0, a, i])
    still = Lever(actor, issue, kind, value, value, actor == "a0", 0.0, 0.0)
    found = forecast_effects(make_model("compromise"), point, "a0", [still])
    assert found.benefit[0] == 0.0
    assert np.array_equal(found.outcomes[0], found.outcome)


@settings(max_examples=25, deadline=None)
@given(scenario=scenarios())
def test_costs_are_what_the_mover_gives_up(scenario):
    """A position moved by d costs salience share x d / width; a salience costs nothing."""
    point = scenario.arrays()
    advice = advise_party(point, "a0", make_model("compromise"), deal_space=False)
    for e in advice.effects:
        lv = e.lever
        a, i = point.actor_ids.index(lv.actor), point.issue_ids.index(lv.issue)
        share = point.salience[0, a, i] / point.salience[0, a].sum()
        expected = share * lv.shift / 100 if lv.kind == "position" else 0.0
        assert lv.cost == pytest.approx(expected, abs=1e-11)
        assert lv.own == (lv.actor == "a0")
