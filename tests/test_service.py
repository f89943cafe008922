"""The service layer: one call per analysis, typed results, two exceptions, files read once."""

from __future__ import annotations

import math
import pickle
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from zopa import service
from zopa.cli import app

from helpers import make_scenario

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DEALS = sorted((ROOT / "scenarios" / "deals").glob("*.yaml"))
TABLES = {"bilateral": ["US", "RU"], "with-ukraine": ["US", "RU", "UA"]}


@pytest.fixture(scope="module")
def flagship() -> service.ScenarioFile:
    return service.load_scenario(FLAGSHIP)


def budget():
    # weights: North 2 x 0.8 = 1.6, South 1 x 0.6 = 0.6
    return make_scenario([[70.0], [40.0]], [[0.8], [0.6]], [2.0, 1.0], status_quo=[50.0])


def test_forecast_by_hand():
    result = service.forecast(budget(), models=["compromise", "median"])
    # compromise: (1.6 * 70 + 0.6 * 40) / 2.2 = 136 / 2.2; median: North holds most weight
    assert result.point("compromise")["i0"] == pytest.approx(136 / 2.2)
    assert result.point("median")["i0"] == 70.0
    assert result.to_dict()["forecasts"]["compromise"]["i0"] == pytest.approx(61.8181818)
    rows = result.to_rows()
    assert [(r["model"], r["issue"]) for r in rows] == [("compromise", "i0"), ("median", "i0")]
    assert rows[0]["status_quo"] == 50.0
    assert math.isnan(rows[0]["low"])  # no draws, no range
    frame = result.to_frame()
    assert list(frame["point"]) == [pytest.approx(136 / 2.2), 70.0]


def test_same_seed_same_numbers_and_draws_have_ranges(flagship):
    a = service.forecast(flagship.scenario, models=["compromise"], draws=50, seed=7)
    b = service.forecast(flagship.scenario, models=["compromise"], draws=50, seed=7)
    c = service.forecast(flagship.scenario, models=["compromise"], draws=50, seed=8)
    assert a.to_json() == b.to_json()
    assert a.to_json() != c.to_json()
    assert a.draws == 50
    low, median, high = a.intervals()["compromise"]["territory"]
    assert low <= median <= high


@pytest.mark.parametrize(
    ("call", "argument", "words"),
    [
        (lambda s: service.forecast(s, models=["oracle"]), "models", "unknown model 'oracle'"),
        (lambda s: service.forecast(s, params={"nosuch": 1}), "params", "no such parameter"),
        (lambda s: service.forecast(s, params={"eum.tol": "x"}), "params", "eum.tol"),
        (lambda s: service.forecast(s, models=["median"], rounds=3), "rounds", "has rounds"),
        (lambda s: service.deals(s, loss="cubic"), "loss", "unknown loss"),
        (lambda s: service.deals(s, parties=["XX"]), "parties", "unknown actor(s) XX"),
        (lambda s: service.tables(s, {"t": ["US", "ZZ"]}), "tables", "unknown actor(s) ZZ"),
        (lambda s: service.sensitivity(s, samples=100), "samples", "power of 2"),
    ],
)
def test_bad_arguments_are_bad_input_naming_the_argument(flagship, call, argument, words):
    with pytest.raises(service.BadInput) as caught:
        call(flagship.scenario)
    (problem,) = caught.value.problems
    assert problem.path == argument
    assert problem.file == ""
    assert words in problem.format()
    assert "--" not in problem.format()  # the library names no command-line flag


def test_every_argument_problem_at_once(flagship):
    with pytest.raises(service.BadInput) as caught:
        service.deals(flagship.scenario, grid=1, loss="cubic", method="guess", parties=[])
    assert [p.path for p in caught.value.problems] == ["grid", "loss", "method", "parties"]


def test_a_bad_file_is_bad_input_with_located_problems(fixtures):
    with pytest.raises(service.BadInput) as caught:
        service.load_scenario(fixtures / "scenarios" / "ten-mistakes.yaml")
    located = [p for p in caught.value.problems if p.line is not None]
    assert len(located) >= 9
    assert all(p.file.endswith("ten-mistakes.yaml") for p in caught.value.problems)


def test_analysis_failed_on_valid_input():
    many = make_scenario([[float(k)] * 8 for k in range(3)], veto=[True, True, True])
    with pytest.raises(service.AnalysisFailed) as caught:
        service.deals(many, grid=201, method="enumeration")
    assert caught.value.reason


def run_cli(*args: Any) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_same_bytes_whichever_edge_asks(flagship):
    forecast = service.forecast(flagship.scenario, draws=40, seed=3)
    assert forecast.to_json() == run_cli(
        "forecast", FLAGSHIP, "--draws", 40, "--seed", 3, "--format", "json"
    )
    deals = service.deals(flagship.scenario)
    assert deals.to_json() == run_cli("deals", FLAGSHIP, "--format", "json")
    durability = service.durability(DEALS[0], draws=500, seed=2)
    assert durability.to_json() == run_cli(
        "durability", DEALS[0], "--draws", 500, "--seed", 2, "--format", "json"
    )


@pytest.fixture
def spies(monkeypatch: pytest.MonkeyPatch) -> tuple[Counter[str], Counter[tuple[str, int]]]:
    """Count document parses per file and forecasts per (model, draws) in the service."""
    import importlib

    documents = importlib.import_module("zopa.io.documents")
    models = importlib.import_module("zopa.models")

    parses: Counter[str] = Counter()
    runs: Counter[tuple[str, int]] = Counter()
    parse = documents.parse_text

    def counting_parse(file: str, *args: Any, **kwargs: Any) -> Any:
        parses[Path(file).resolve().name] += 1
        return parse(file, *args, **kwargs)

    make = models.make_model

    class Counted:
        def __init__(self, name: str, model: Any) -> None:
            self.name, self.model = name, model

        def forecast(self, view: Any, **kwargs: Any) -> Any:
            if view.n_actors == 15:  # the flagship's every actor, not a table's subset
                runs[(self.name, int(view.position.shape[0]))] += 1
            return self.model.forecast(view, **kwargs)

    monkeypatch.setattr(documents, "parse_text", counting_parse)
    monkeypatch.setattr(models, "make_model", lambda name, **kw: Counted(name, make(name, **kw)))
    return parses, runs


def test_report_reads_each_file_once_and_runs_each_model_once(spies, tmp_path):
    parses, runs = spies
    result = service.report(FLAGSHIP, draws=20, tables=TABLES, seed=0)
    assert result.durability is not None
    assert len(result.durability.assessments) == len(DEALS)
    # the scenario once (not once more per deal file), each deal file once, the parameters once
    assert parses["ukraine-ceasefire-2026.yaml"] == 1
    assert all(parses[d.name] == 1 for d in DEALS)
    assert parses["parameters.yaml"] == 1
    assert parses["ukraine-ceasefire-2026.questions.yaml"] == 1
    assert sum(parses.values()) == 1 + len(DEALS) + 1 + 1
    # every model once on the stated positions and once on the batch of draws
    models = result.forecast.models
    assert runs == Counter({**{(m, 1): 1 for m in models}, **{(m, 20): 1 for m in models}})


def test_report_through_the_command_line_reads_once_too(spies, tmp_path):
    parses, runs = spies
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["report", str(FLAGSHIP), "--out", str(out), "--draws", "10", "-m", "median"]
    )
    assert result.exit_code == 0, result.output
    assert parses["ukraine-ceasefire-2026.yaml"] == 1
    assert runs == Counter({("median", 1): 1, ("median", 10): 1})
    assert (out / "report.md").is_file()


def test_points_outside_their_own_range_are_flagged_with_a_reason(flagship):
    result = service.forecast(flagship.scenario, models=["median"], draws=100, seed=0)
    _, _, high = result.intervals()["median"]["nato"]
    point = result.point("median")["nato"]
    flagged = dict(result.flags()["median"])
    # the stated positions put median's nato forecast at 100, above what its draws give
    assert point == 100.0 > high
    assert "nato" in flagged
    assert "above its own Monte Carlo range" in flagged["nato"]
    inside = [
        i
        for i, (lo, _, hi) in result.intervals()["median"].items()
        if lo <= result.point("median")[i] <= hi
    ]
    assert not set(inside) & set(flagged)
    data = result.to_dict()
    assert {"issue": "nato", "reason": flagged["nato"]} in data["flags"]["median"]


def test_calibrated_intervals_only_when_asked(flagship):
    plain = service.forecast(flagship.scenario, models=["compromise"])
    assert "calibrated" not in plain.to_dict()
    result = service.forecast(flagship.scenario, models=["compromise"], calibrated=True)
    entry = result.to_dict()["calibrated"]["compromise"]
    assert "EU legislation" in entry["label"]
    assert entry["levels"] == [0.8, 0.9]
    point = result.point("compromise")["territory"]
    (lo8, hi8), (lo9, hi9) = (
        entry["issues"]["territory"]["0.8"],
        entry["issues"]["territory"]["0.9"],
    )
    assert lo9 <= lo8 <= point <= hi8 <= hi9


def test_rounds_per_issue_agree_with_the_model(flagship):
    result = service.forecast(flagship.scenario, models=["eum"])
    entry = result.to_dict()["models"]["eum"]
    rounds = result.points["eum"].diagnostics["rounds"][0]
    assert entry["rounds_per_issue"] == dict(
        zip(flagship.scenario.issue_ids, map(int, rounds), strict=True)
    )
    assert entry["rounds"] == max(entry["rounds_per_issue"].values())


def test_results_pickle(flagship):
    results = [
        flagship,
        service.forecast(flagship.scenario, models=["median", "eum"], draws=10, trace=True),
        service.deals(flagship.scenario),
        service.tables(flagship.scenario, TABLES, forecasts=False),
        service.compare(DEALS[:2], draws=200),
        service.sensitivity(flagship.scenario, model="compromise", samples=8),
    ]
    for result in results:
        again = pickle.loads(pickle.dumps(result))
        assert type(again) is type(result)
        if isinstance(result, service.ScenarioFile):
            assert again == result
        else:
            assert again.to_json() == result.to_json()


def test_forecast_result_pickles_with_arrays(flagship):
    result = service.forecast(flagship.scenario, models=["smp"], draws=5, trace=True)
    again = pickle.loads(pickle.dumps(result))
    assert np.array_equal(again.points["smp"].trajectory, result.points["smp"].trajectory)
    assert again.scenario == result.scenario
