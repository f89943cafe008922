"""The command line as a user meets it: exit codes, messages, outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_validate_ok(fixtures):
    result = run("validate", str(fixtures / "scenarios" / "three-actors.yaml"))
    assert result.exit_code == 0
    assert "ok" in result.output


def test_validate_ten_mistakes_in_a_real_process(fixtures):
    # a real process, as a user runs it: ten located messages, exit 2, no traceback
    path = fixtures / "scenarios" / "ten-mistakes.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "zopa", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    located = [line for line in proc.stderr.splitlines() if line.startswith(f"{path}:")]
    assert len(located) == 10
    assert "Traceback" not in proc.stderr + proc.stdout


def test_validate_json_output(fixtures):
    result = run("validate", str(fixtures / "scenarios" / "ten-mistakes.yaml"), "-f", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["files"][0]["errors"] == 10
    assert data["files"][0]["valid"] is False


def test_strict_turns_warnings_into_failure(tmp_path, fixtures):
    text = (fixtures / "scenarios" / "three-actors.yaml").read_text()
    text = text.replace("actors:\n", "actors:\n  - {id: D, name: Idle, capability: 1}\n")
    path = tmp_path / "warn.yaml"
    path.write_text(text)
    assert run("validate", str(path)).exit_code == 0
    assert run("validate", "--strict", str(path)).exit_code == 2


def test_forecast_json_shape(fixtures):
    result = run(
        "forecast",
        str(fixtures / "scenarios" / "three-actors.yaml"),
        "-m",
        "median",
        "-m",
        "compromise",
        "-f",
        "json",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["scenario"] == "Three actors, one issue (hand-computed oracle)"
    assert data["forecasts"]["median"] == {"x": 60.0}
    assert data["forecasts"]["compromise"]["x"] == pytest.approx(195 / 3.5)


def test_forecast_csv(fixtures):
    result = run(
        "forecast", str(fixtures / "scenarios" / "three-actors.yaml"), "-m", "median", "-f", "csv"
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["issue,status_quo,median", "x,20.0,60.0"]


def test_forecast_unknown_model_is_bad_input(fixtures):
    result = run("forecast", str(fixtures / "scenarios" / "three-actors.yaml"), "-m", "oracle")
    assert result.exit_code == 2
    assert "unknown model 'oracle'" in result.stderr


def test_forecast_unknown_param_is_bad_input(fixtures):
    result = run(
        "forecast",
        str(fixtures / "scenarios" / "three-actors.yaml"),
        "-m",
        "median",
        "--param",
        "rounds=3",
    )
    assert result.exit_code == 2
    assert "no such parameter" in result.stderr


def test_forecast_bad_file_exits_2(fixtures):
    result = run("forecast", str(fixtures / "scenarios" / "ten-mistakes.yaml"))
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_show_tables_and_plots(tmp_path, fixtures):
    result = run(
        "show", str(fixtures / "scenarios" / "three-actors.yaml"), "--plot", str(tmp_path / "maps")
    )
    assert result.exit_code == 0
    assert "Actor A" in result.stdout
    png = tmp_path / "maps" / "position-x.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_show_json_round_trips(tmp_path, fixtures):
    from zopa.io import load_scenario

    result = run("show", str(fixtures / "scenarios" / "three-actors.yaml"), "-f", "json")
    path = tmp_path / "again.json"
    path.write_text(result.stdout)
    assert load_scenario(path) == load_scenario(fixtures / "scenarios" / "three-actors.yaml")


def test_report_writes_everything(tmp_path, fixtures):
    out = tmp_path / "report"
    result = run(
        "report",
        str(fixtures / "scenarios" / "three-actors.yaml"),
        "--out",
        str(out),
        "--draws",
        "200",
        "--table",
        "pair=A,B",
        "--table",
        "all=A,B,C",
    )
    assert result.exit_code == 0, result.output
    text = (out / "report.md").read_text()
    assert text.startswith("# Three actors")
    for heading in (
        "## Where will it land?",
        "## What deal is possible?",
        "## Who is at the table?",
    ):
        assert heading in text
    assert json.loads((out / "forecasts.json").read_text())["forecasts"]["median"]["x"] == 60.0
    assert json.loads((out / "forecasts.json").read_text())["intervals"]["median"]["draws"] == 200
    assert set(json.loads((out / "tables.json").read_text())["tables"]) == {"pair", "all"}
    assert "zopa" in json.loads((out / "deals.json").read_text())
    assert (out / "maps" / "position-x.png").exists()
    assert (out / "tables" / "table-composition.png").exists()
    # every image the report links to exists
    import re

    for link in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (out / link).exists(), link


def test_every_command_has_help_with_example():
    from zopa.cli import command_names

    names = command_names()
    assert {"validate", "show", "forecast", "report", "models"} <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, name


def test_models_lists_registry():
    result = run("models", "-f", "json")
    data = json.loads(result.stdout)
    assert {"compromise", "median"} <= set(data)
    assert "Achen" in data["median"]["citation"]


def test_no_args_shows_help():
    result = run()
    assert "Usage" in result.output


def test_missing_file_exits_2(tmp_path: Path):
    result = run("validate", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2


def test_forecast_with_draws_gives_intervals(tmp_path, fixtures):
    text = (fixtures / "scenarios" / "three-actors.yaml").read_text()
    text = text.replace(
        "position: 60, salience: 0.5,", "position: 60, salience: 0.5, range: [40, 70],"
    )
    path = tmp_path / "ranged.yaml"
    path.write_text(text)
    result = run(
        "forecast", str(path), "-m", "median", "--draws", "2000", "--seed", "1", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    block = json.loads(result.stdout)["intervals"]["median"]
    assert block["draws"] == 2000
    low, med, high = (block["issues"]["x"][k] for k in ("low", "median", "high"))
    # B (the median actor) draws its position from triangular(40, 60, 70); 90 and 0 stay put,
    # so the weighted median is B's draw: its 5th and 95th percentiles solve the triangular CDF
    # F(x) = (x-40)^2 / (30*20) below 60 and 1 - (70-x)^2 / (30*10) above it.
    assert low == pytest.approx(40 + (0.05 * 600) ** 0.5, abs=0.6)
    assert high == pytest.approx(70 - (0.05 * 300) ** 0.5, abs=0.6)
    assert 40 < med < 70
    again = run(
        "forecast", str(path), "-m", "median", "--draws", "2000", "--seed", "1", "-f", "json"
    )
    assert again.stdout == result.stdout


def test_fmt_number_has_no_negative_zero():
    from zopa.cli.common import fmt_number

    assert fmt_number(-0.0001) == "0.0"
    assert fmt_number(-1.25) == "-1.2"
    assert fmt_number(float("nan")) == "—"


def test_commands_read_table_formats(tmp_path, fixtures):
    from zopa.io import load_scenario
    from zopa.io.formats import write_any

    scenario = load_scenario(fixtures / "scenarios" / "three-actors.yaml")
    write_any(scenario, tmp_path / "s.xlsx")
    assert run("validate", str(tmp_path / "s.xlsx")).exit_code == 0
    result = run("forecast", str(tmp_path / "s.xlsx"), "-m", "median", "-f", "json")
    assert json.loads(result.stdout)["forecasts"]["median"] == {"x": 60.0}


def test_trace_plots_for_models_with_rounds(tmp_path, fixtures):
    out = tmp_path / "plots"
    result = run(
        "forecast",
        str(fixtures / "scenarios" / "three-actors.yaml"),
        "-m",
        "eum",
        "-m",
        "median",
        "--trace",
        "--plot",
        str(out),
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rounds = data["models"]["eum"]["rounds"]
    assert len(data["trace"]["eum"]["positions"]) == rounds + 1
    assert "median" not in data["trace"]  # no rounds, no trace
    names = sorted(p.name for p in out.iterdir())
    assert names == ["eum-trajectory-x.png", "eum-who-moved-whom-x.png", "position-x.png"]


def test_flagship_report_with_a_deal(tmp_path, repo_root):
    out = tmp_path / "flagship"
    deal = repo_root / "scenarios" / "deals" / "us-28-point-plan-2025-11.yaml"
    result = run(
        "report",
        str(repo_root / "scenarios" / "ukraine-ceasefire-2026.yaml"),
        "--out",
        str(out),
        "-m",
        "median",
        "--draws",
        "0",
        "--deal",
        str(deal),
    )
    assert result.exit_code == 0, result.output
    text = (out / "report.md").read_text()
    assert "**The zone of possible agreement is empty**" in text
    assert "RU red line on territory" in text
    assert "## Will it hold?" in text
    assert "US 28-point peace plan" in text
    data = json.loads((out / "durability.json").read_text())
    assert [d["deal"]["id"] for d in data["deals"]] == ["us-28-point-plan-2025-11"]
    assert "EMPTY" in result.stdout


def test_rounds_limits_models_with_rounds(fixtures):
    path = str(fixtures / "scenarios" / "three-actors.yaml")
    result = run(
        "forecast", path, "-m", "eum", "-m", "median", "--rounds", "3", "--trace", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["models"]["eum"]["rounds"] <= 3
    assert len(data["trace"]["eum"]["positions"]) <= 4
    # an explicit parameter wins over --rounds
    result = run("forecast", path, "-m", "eum", "--rounds", "3", "-p", "max_rounds=1", "-f", "json")
    assert json.loads(result.stdout)["models"]["eum"]["rounds"] <= 1
    bad = run("forecast", path, "-m", "median", "--rounds", "3")
    assert bad.exit_code == 2
    assert "has rounds" in bad.stderr


def test_eum_trace_lists_who_moved_whom_consistently_with_positions(fixtures):
    result = run(
        "forecast",
        str(fixtures / "scenarios" / "three-actors.yaml"),
        "-m",
        "eum",
        "--trace",
        "-f",
        "json",
    )
    trace = json.loads(result.stdout)["trace"]["eum"]
    positions = trace["positions"]  # rounds x actors x issues
    assert trace["offers"], "the first round moves someone"
    for offer in trace["offers"]:
        a = trace["actors"].index(offer["mover"])
        r = offer["round"]
        # each actor takes at most one offer per round and issue: its move is the change
        assert positions[r][a][0] - positions[r - 1][a][0] == pytest.approx(offer["move"], abs=1e-3)
        assert offer["kind"] in {"confrontation", "compromise", "capitulation"}


def test_quick_exit_finalizes_the_garbage_before_freezing_the_rest() -> None:
    # the command line's last step: cyclic garbage is collected (its finalizers run),
    # and what is alive is frozen so the interpreter's shutdown does not scan it again
    import gc

    from zopa.cli import _quick_exit

    finalized = []

    class Node:
        def __init__(self) -> None:
            self.other: Node | None = None

        def __del__(self) -> None:
            finalized.append(True)

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector can free it
    del a, b
    alive = Node()
    try:
        _quick_exit()
        assert finalized == [True, True]
        assert gc.get_freeze_count() > 0
        assert not gc.is_finalized(alive)
    finally:
        gc.unfreeze()
