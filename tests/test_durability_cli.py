"""``zopa durability`` and ``zopa compare`` as a user meets them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from zopa.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEALS = ROOT / "scenarios" / "deals"
E3 = DEALS / "e3-counter-proposal-2025-11.yaml"
US28 = DEALS / "us-28-point-plan-2025-11.yaml"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_durability_json_is_complete_and_reproducible():
    first = run("durability", E3, "--draws", "2000", "--seed", "3", "--format", "json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    again = json.loads(run("durability", E3, "--draws", "2000", "--seed", "3", "-f", "json").output)
    assert data == again
    assert data["draws"] == 2000
    assert data["seed"] == 3
    assert set(data["p_hold"]) == {"1", "2", "5"}
    p5 = data["p_hold"]["5"]
    assert 0 <= p5["low"] <= p5["median"] <= p5["high"] <= 1
    years = data["survival"]["years"]
    assert years[0] == 0
    assert years[-1] == 10
    assert np.all(np.diff(data["survival"]["mean"]) <= 1e-12)
    assert data["survival"]["mean"][years.index(5.0)] == pytest.approx(p5["mean"])
    assert data["ending"]["ending"] in {"capitulation", "frozen_conflict", "durable_settlement"}
    assert data["ending"]["unsettled_core"] == ["territory"]
    assert data["mechanisms"]["guarantees"]["setting"] == "art5_like (US)"
    assert len(data["deterrence"]["by_year"]) == 11
    assert {u["actor"] for u in data["utilities"]} >= {"UA", "RU"}
    assert any("assumption" in note for note in data["notes"])


def test_durability_table_shows_the_assumptions():
    result = run("durability", US28, "--draws", "1000")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "P(ceasefire holds)" in out
    assert "Ending: capitulation" in out
    assert "Window of vulnerability" in out
    assert "Assumptions" in out
    assert "no published number" in out


def test_durability_csv_rows_per_year():
    result = run("durability", E3, "--draws", "500", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("plan,year,p_hold,low,high")
    assert len(lines) == 12


def test_compare_runs_deals_on_common_draws(tmp_path):
    result = run("compare", E3, US28, "--draws", "1000", "--format", "json")
    assert result.exit_code == 0, result.output
    deals = json.loads(result.output)["deals"]
    assert [d["deal"]["id"] for d in deals] == [
        "e3-counter-proposal-2025-11",
        "us-28-point-plan-2025-11",
    ]
    # same seed: the attacker's regeneration (deal-independent) is identical in both
    a = [y["attacker"]["median"] for y in deals[0]["deterrence"]["by_year"]]
    b = [y["attacker"]["median"] for y in deals[1]["deterrence"]["by_year"]]
    assert a == b


def test_plots_are_written(tmp_path):
    result = run("compare", E3, US28, "--draws", "500", "--plot", tmp_path)
    assert result.exit_code == 0, result.output
    for name in ("compare-survival.png", "compare-deterrence.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG")
        assert len(data) > 20_000


def test_bad_deal_file_exit_2_located_no_traceback(tmp_path):
    text = E3.read_text().replace("level: ceasefire_first", "level: ceasefire_later")
    text = text.replace("value: 50\n", "value: 500\n", 1)
    bad = tmp_path / "deals" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(text)
    (tmp_path / "ukraine-ceasefire-2026.yaml").write_text(
        (ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml").read_text()
    )
    proc = subprocess.run(
        [sys.executable, "-m", "zopa", "durability", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    located = [line for line in proc.stderr.splitlines() if line.startswith(f"{bad}:")]
    assert any("mechanisms.sequencing.level: unknown level" in line for line in located)


def test_missing_deal_file_exit_2():
    result = run("durability", ROOT / "nope.yaml")
    assert result.exit_code == 2


def test_bad_parameter_file_exit_2(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("version: 1\nparameters: {}\n")
    result = run("durability", E3, "--parameters", bad)
    assert result.exit_code == 2
