"""The DEU III layout reader and the backtest command on a file in that layout."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.io import ScenarioError
from zopa.io.deu import check_capabilities, check_deu, load_capabilities, load_deu

runner = CliRunner()


def test_reads_the_layout(fixtures) -> None:
    scenarios = load_deu(fixtures / "deu" / "deu-sample.csv")
    assert [s.issue_ids for s in scenarios] == [("101",), ("102",), ("103",), ("104",)]
    s102 = scenarios[1]
    # the Parliament (blanks) and Italy (999) have no stance on issue 102
    assert s102.actor_ids == ("com", "de", "fr", "pl", "nl", "se")
    issue = s102.issues[0]
    assert (issue.status_quo, issue.outcome) == (0.0, 30.0)
    stance = s102.stance("fr", "102")
    assert stance is not None
    assert (stance.position, stance.salience) == (100.0, 0.6)
    assert s102.actor("com").name == "European Commission"
    assert all(a.capability == 1.0 for s in scenarios for a in s.actors)


def test_capabilities_and_grouping(fixtures, tmp_path) -> None:
    caps = load_capabilities(fixtures / "deu" / "council-votes.csv")
    assert caps["de"] == 29.0
    text = (fixtures / "deu" / "deu-sample.csv").read_text()
    lines = text.splitlines()
    grouped = ["proposal;" + lines[0]] + [
        f"{'A' if k < 2 else 'B'};{line}" for k, line in enumerate(lines[1:])
    ]
    path = tmp_path / "grouped.csv"
    path.write_text("\n".join(grouped) + "\n")
    scenarios = load_deu(path, capabilities=caps)
    assert [s.issue_ids for s in scenarios] == [("101", "102"), ("103", "104")]
    assert scenarios[0].actor("pl").capability == 27.0


def test_located_problems(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "isnr;rp;out;pcom;scom;pde;sde\n1;0;50;abc;50;20;40\n2;0;150;10;;20;40\n1;0;5;1;1;1;1\n"
    )
    scenarios, problems = check_deu(path)
    assert scenarios == []
    text = [p.format() for p in problems]
    assert any(t.startswith(f"{path}:2: pcom: not a number (got 'abc'") for t in text)
    assert any(t.startswith(f"{path}:3: out: outside the 0-100 scale") for t in text)
    assert any(t.startswith(f"{path}:3: warning: scom: salience missing") for t in text)
    assert any(t.startswith(f"{path}:4: isnr: duplicate issue number") for t in text)
    with pytest.raises(ScenarioError):
        load_deu(path)


def test_missing_capability_is_an_error(fixtures, tmp_path) -> None:
    caps = tmp_path / "caps.csv"
    caps.write_text("com,1\nde,2\n")
    _, problems = check_deu(
        fixtures / "deu" / "deu-sample.csv", capabilities=load_capabilities(caps)
    )
    assert any("actors without a capability" in p.message for p in problems)
    _, cap_problems = check_capabilities(tmp_path / "nope.csv")
    assert cap_problems
    assert "cannot read" in cap_problems[0].message


def test_backtest_command_json(fixtures) -> None:
    result = runner.invoke(
        app,
        [
            "backtest",
            str(fixtures / "deu" / "deu-sample.csv"),
            "--model",
            "median",
            "--bootstrap",
            "200",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    sq = out["models"]["status_quo"]
    # status quo errors 60, 30, 0, 10
    assert sq["mae"] == pytest.approx(25.0)
    assert sq["rmse"] == pytest.approx(math.sqrt(1150))
    assert sq["median_ae"] == pytest.approx(20.0)
    assert sq["within_10"] == pytest.approx(0.5)
    assert sq["n"] == 4
    assert sq["baseline"] is True
    lo, hi = sq["ci"]["mae"]
    assert lo <= 25.0 <= hi
    # unweighted mean errors 2.5, 11.667, 43.75, 2.857
    mean = out["models"]["unweighted_mean"]
    assert mean["mae"] == pytest.approx((2.5 + 70 / 6 + 43.75 + 20 / 7) / 4)
    assert {"median", "status_quo", "unweighted_mean"} == set(out["models"])
    assert {(p["a"], p["b"]) for p in out["paired"]} == {
        ("median", "status_quo"),
        ("median", "unweighted_mean"),
        ("status_quo", "unweighted_mean"),
    }


def test_backtest_command_table_and_bad_input(fixtures, tmp_path) -> None:
    ok = runner.invoke(
        app,
        [
            "backtest",
            str(fixtures / "deu" / "deu-sample.csv"),
            "--capability",
            str(fixtures / "deu" / "council-votes.csv"),
            "--bootstrap",
            "100",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert "status_quo (baseline)" in ok.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("isnr;out;pcom;scom\n1;500;10;10\n")
    res = runner.invoke(app, ["backtest", str(bad)])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    missing = runner.invoke(app, ["backtest", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2


def test_backtest_folder_of_scenarios(tmp_path) -> None:
    from dataclasses import replace

    from zopa.io import save_scenario

    from helpers import make_scenario

    for k, outcome in enumerate((40.0, 70.0)):
        sc = make_scenario([[0, 100], [100, 0], [50, 50]], status_quo=[0.0, 100.0])
        issues = tuple(replace(i, outcome=outcome) for i in sc.issues)
        save_scenario(replace(sc, title=f"case {k}", issues=issues), tmp_path / f"c{k}.yaml")
    res = runner.invoke(app, ["backtest", str(tmp_path), "-m", "compromise", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    # compromise forecasts 50 on every issue: errors 10, 10, 20, 20
    assert out["models"]["compromise"]["mae"] == pytest.approx(15.0)
    assert out["models"]["compromise"]["n"] == 4
    assert out["cases"] == 4


def test_backtest_csv_output_and_bad_folder(fixtures, tmp_path) -> None:
    res = runner.invoke(
        app,
        [
            "backtest",
            str(fixtures / "deu" / "deu-sample.csv"),
            "-m",
            "median",
            "--bootstrap",
            "50",
            "--format",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0] == "model,baseline,n,mae,mae_low,mae_high,rmse,median_ae,within_10"
    sq = next(line for line in lines if line.startswith("status_quo,"))
    assert sq.split(",")[1:4] == ["True", "4", "25.0"]
    (tmp_path / "broken.yaml").write_text("title: x\nactors: 3\n")
    bad = runner.invoke(app, ["backtest", str(tmp_path)])
    assert bad.exit_code == 2
    assert "broken.yaml" in bad.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["backtest", str(empty)]).exit_code == 2
