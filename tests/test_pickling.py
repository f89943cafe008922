"""Results travel: every core and result type pickles and comes back equal.

Types with ``eq=False`` hold arrays; they are compared field by field (arrays with
``array_equal``). Where a type promises read-only arrays, they come back read-only.
"""

from __future__ import annotations

import dataclasses
import math
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zopa.agreements.analysis import DealAnalysis, analyse_deals
from zopa.agreements.tables import TableComparison, compare_tables
from zopa.backtest import BacktestResult, run_backtest
from zopa.durability.assess import DealAssessment, assess_deal
from zopa.durability.parameters import ParameterDraws
from zopa.frozen import FrozenMap
from zopa.io import load_scenario
from zopa.io.deal_file import load_deal
from zopa.io.deu import load_deu
from zopa.io.durability_parameters import load_durability_parameters
from zopa.models import Forecast, available_models, make_model
from zopa.scenario import Scenario
from zopa.uncertainty.sensitivity import SensitivityResult, analyse_sensitivity

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DEAL = ROOT / "scenarios" / "deals" / "e3-counter-proposal-2025-11.yaml"
DEU = ROOT / "tests" / "fixtures" / "deu" / "deu-sample.csv"


def round_trip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def assert_same(got: Any, want: Any, where: str = "value") -> None:
    """``got`` equals ``want``: field by field, arrays with array_equal, NaN equal to NaN."""
    assert type(got) is type(want), f"{where}: {type(got)} is not {type(want)}"
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype, where
        assert np.array_equal(got, want, equal_nan=want.dtype.kind in "fc"), where
    elif dataclasses.is_dataclass(want):
        for f in dataclasses.fields(want):
            assert_same(getattr(got, f.name), getattr(want, f.name), f"{where}.{f.name}")
    elif isinstance(want, Mapping):
        assert list(got) == list(want), where
        for key in want:
            assert_same(got[key], want[key], f"{where}[{key!r}]")
    elif isinstance(want, tuple | list):
        assert len(got) == len(want), where
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{k}]")
    elif isinstance(want, float) and math.isnan(want):
        assert math.isnan(got), where
    else:
        assert got == want, where


def array_fields(value: Any) -> dict[str, np.ndarray]:
    return {
        f.name: getattr(value, f.name)
        for f in dataclasses.fields(value)
        if isinstance(getattr(value, f.name), np.ndarray)
    }


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


def test_the_flagship_scenario_comes_back_equal_and_hashable(flagship: Scenario) -> None:
    back = round_trip(flagship)
    assert back == flagship
    assert back is not flagship
    assert hash(back) == hash(flagship)
    anchored = [i for i in back.issues if i.anchors]
    assert anchored, "the flagship issues carry anchor texts"
    assert all(type(i.anchors) is FrozenMap for i in back.issues)
    assert back.issue(anchored[0].id).anchors == dict(anchored[0].anchors)


@pytest.mark.parametrize("batched", [False, True])
def test_scenario_arrays_come_back_equal_and_read_only(flagship: Scenario, batched: bool) -> None:
    view = flagship.arrays()
    if batched:
        view = view.with_draws(position=np.repeat(view.position, 3, axis=0))
    back = round_trip(view)
    assert_same(back, view)
    assert back.n_draws == (3 if batched else 1)
    for name, arr in array_fields(back).items():
        assert not arr.flags.writeable, name
    with pytest.raises(ValueError, match="read-only"):
        back.position[0, 0, 0] = 1.0


def test_a_view_of_reordered_actors_is_read_only(flagship: Scenario) -> None:
    view = flagship.arrays().take_actors([2, 0, 1])
    assert view.actor_ids == tuple(flagship.actor_ids[k] for k in (2, 0, 1))
    for name, arr in array_fields(view).items():
        assert not arr.flags.writeable, name


@pytest.mark.parametrize("name", available_models())
def test_every_model_forecast_comes_back_equal(flagship: Scenario, name: str) -> None:
    forecast = make_model(name).forecast(flagship.arrays(), rng=np.random.default_rng(0))
    back = round_trip(forecast)
    assert type(back) is Forecast
    assert_same(back, forecast)
    assert type(back.diagnostics) is FrozenMap
    assert back.point() == forecast.point()
    assert back.outcome.shape == (1, len(flagship.issues))


def test_a_forecast_freezes_the_diagnostics_it_is_given() -> None:
    given_diagnostics = {"rounds": 3}
    forecast = Forecast("m", ("x",), np.zeros((1, 1)), diagnostics=given_diagnostics)
    given_diagnostics["rounds"] = 4
    assert forecast.diagnostics == {"rounds": 3}
    with pytest.raises(TypeError):
        forecast.diagnostics["rounds"] = 5  # type: ignore[index]


def test_a_deal_analysis_comes_back_equal(flagship: Scenario) -> None:
    analysis = analyse_deals(flagship)
    back = round_trip(analysis)
    assert type(back) is DealAnalysis
    assert_same(back, analysis)
    assert back.as_dict() == analysis.as_dict()
    assert back.zopa.empty is analysis.zopa.empty
    assert back.solutions["nash"] == analysis.solutions["nash"]


def test_a_table_comparison_comes_back_equal(flagship: Scenario) -> None:
    comparison = compare_tables(
        flagship, {"bilateral": ["US", "RU"], "with-ukraine": ["US", "RU", "UA"]}
    )
    back = round_trip(comparison)
    assert type(back) is TableComparison
    assert_same(back, comparison)
    assert back.as_dict() == comparison.as_dict()
    assert list(back.tables) == ["bilateral", "with-ukraine"]


def test_a_durability_assessment_comes_back_equal() -> None:
    deal, scenario = load_deal(DEAL)
    params = load_durability_parameters()
    assessment = assess_deal(deal, scenario, params, n_draws=500, seed=0)
    back = round_trip(assessment)
    assert type(back) is DealAssessment
    assert_same(back, assessment)
    # the frozen parts compare (and hash) as values
    assert back.deal == deal
    assert hash(back.deal) == hash(deal)
    assert back.ending == assessment.ending
    assert back.utilities == assessment.utilities
    assert back.result.hold() == assessment.result.hold()
    assert type(back.deal.mechanisms.provisions) is FrozenMap
    assert type(back.result.mechanism_ratios) is FrozenMap
    draws = back.result.draws
    assert isinstance(draws, ParameterDraws)
    assert draws.n_draws == 500
    assert all(not arr.flags.writeable for arr in draws.values.values())


def test_durability_parameters_come_back_equal_and_hashable() -> None:
    params = load_durability_parameters()
    back = round_trip(params)
    assert back == params
    assert hash(back) == hash(params)
    assert type(back.parameters) is FrozenMap
    assert all(type(levels) is FrozenMap for levels in back.levels.values())
    fixed = back.with_fixed(hr__dmz=0.5)
    assert round_trip(fixed) == fixed
    assert fixed["hr.dmz"].value == 0.5


def test_a_sensitivity_result_comes_back_equal(flagship: Scenario) -> None:
    result = analyse_sensitivity(
        flagship.arrays(), make_model("compromise"), method="morris", samples=8, seed=1
    )
    back = round_trip(result)
    assert type(back) is SensitivityResult
    assert back == result
    assert [i.issue for i in back.issues] == list(flagship.issue_ids)
    assert back.evaluations == 8 * (len(back.inputs) + 1)
    assert len(back.issues[0].morris) == len(back.inputs)


def test_a_backtest_result_comes_back_equal() -> None:
    result = run_backtest(load_deu(DEU), ["median"], n_boot=200, seed=0)
    back = round_trip(result)
    assert type(back) is BacktestResult
    assert_same(back, result)
    assert back.models["status_quo"].mae == pytest.approx(25.0)


# -- FrozenMap ---------------------------------------------------------------------------

KEYS = st.one_of(st.integers(), st.text(max_size=8), st.floats(allow_nan=False))
VALUES = st.one_of(st.integers(), st.text(max_size=8), st.none(), st.tuples(st.integers()))


@given(st.dictionaries(KEYS, VALUES, max_size=12))
def test_a_frozen_map_round_trips_and_is_read_only(items: dict[Any, Any]) -> None:
    frozen = FrozenMap(items)
    back = round_trip(frozen)
    assert type(back) is FrozenMap
    assert back == frozen
    assert back == items
    assert items == back
    assert list(back.items()) == list(items.items())
    assert hash(back) == hash(frozen) == hash(FrozenMap(reversed(list(items.items()))))
    assert repr(back) == f"FrozenMap({items!r})"
    with pytest.raises(TypeError):
        back["new"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        back.update({"new": 1})  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        back.extra = 1  # type: ignore[attr-defined]
    items["new key"] = "added later"
    assert "new key" not in frozen


def test_a_frozen_map_differs_from_other_items_and_other_types() -> None:
    frozen = FrozenMap({"a": 1})
    assert frozen != {"a": 2}
    assert frozen != {"a": 1, "b": 2}
    assert frozen != [("a", 1)]
    assert FrozenMap() == {}
    with pytest.raises(TypeError, match="unhashable"):
        hash(FrozenMap({"a": [1]}))
