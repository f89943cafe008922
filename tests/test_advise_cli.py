"""``zopa advise`` as a user meets it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.cli.common import console

runner = CliRunner()

TOY = """\
zopa: 1
title: Three actors on one issue
actors:
  - {id: A, name: A, capability: 1}
  - {id: B, name: B, capability: 3}
  - {id: C, name: C, capability: 1}
issues:
  - {id: border, name: Border, scale: {min: 0, max: 100}}
stances:
  - {actor: A, issue: border, position: 20, salience: 1}
  - {actor: B, issue: border, position: 60, salience: 1}
  - {actor: C, issue: border, position: 100, salience: 1}
"""


@pytest.fixture
def toy(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, ["advise", *args])


def test_json_ranks_the_most_weighted_actor_first(toy):
    """B weighs 3 of 5: moving it 10 points moves the mean 6 (A's utility +0.06)."""
    result = run(str(toy), "--actor", "A", "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first = data["persuasion"][0]
    assert (first["actor"], first["kind"], first["from"], first["to"]) == ("B", "position", 60, 50)
    assert first["benefit"] == pytest.approx(0.06)
    assert len(data["own"]) <= 3
    assert len(data["persuasion"]) == 3
    assert "held to the compromise model's behaviour" in data["caveat"]


def test_csv_has_one_row_per_lever_shown(toy):
    result = run(str(toy), "--actor", "A", "--format", "csv", "--top", "2", "--no-deals")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["group"] for r in rows] == ["own", "own", "persuasion", "persuasion"]
    assert rows[2]["actor"] == "B"
    assert float(rows[2]["benefit"]) == pytest.approx(0.06)


def test_table_fits_80_columns_and_says_the_caveat(toy, monkeypatch):
    monkeypatch.setattr(console, "width", 80)
    result = run(str(toy), "--actor", "A")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "held to the compromise model's" in result.stdout
    assert "Whom to work on" in result.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--actor", "Z"], "--actor 'Z': unknown actor"),
        (["--actor", "A", "--step", "0"], "--step 0.0: out of range"),
        (["--actor", "A", "--salience-step", "2"], "--salience-step 2.0: out of range"),
        (["--actor", "A", "--model", "oracle"], "--model: unknown model 'oracle'"),
        (["--actor", "A", "--top", "0"], "--top 0: out of range"),
        (["--actor", "A", "--rank-by", "luck"], "--rank-by 'luck': unknown ranking"),
        (["--actor", "A", "--param", "x=1"], "--param"),
    ],
)
def test_bad_input_exits_2_naming_the_option(toy, args, named):
    result = run(str(toy), *args)
    assert result.exit_code == 2
    assert named in result.stderr
    assert "Traceback" not in result.output


def test_every_bad_option_at_once(toy):
    result = run(str(toy), "--actor", "Z", "--step", "-1", "--draws", "-2")
    assert result.exit_code == 2
    for flag in ("--actor", "--step", "--draws"):
        assert f"error: {flag}" in result.stderr
