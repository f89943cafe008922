"""``zopa convert`` as a user meets it: exit codes, messages, files written or not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from zopa.cli import app
from zopa.io import load_scenario
from zopa.io.formats import read_any

HERE = Path(__file__).resolve().parent
FORMATS = HERE / "fixtures" / "formats"
FLAGSHIP = HERE.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_yaml_to_xlsx_and_back(tmp_path):
    book = tmp_path / "flagship.xlsx"
    result = run("convert", FLAGSHIP, book)
    assert result.exit_code == 0, result.output
    assert f"wrote {book} (xlsx)" in result.stdout
    back = tmp_path / "back.yaml"
    assert run("convert", book, back).exit_code == 0
    assert load_scenario(back) == load_scenario(FLAGSHIP)


def test_csv_to_yaml_says_nothing_is_lost_and_writes_a_valid_file(tmp_path):
    out = tmp_path / "harbour.yaml"
    result = run("convert", FORMATS / "harbour.csv", out)
    assert result.exit_code == 0, result.output
    assert "not kept" not in result.stdout
    assert load_scenario(out) == read_any(FORMATS / "harbour.csv")


def test_reports_what_the_target_format_loses(tmp_path):
    result = run("convert", FLAGSHIP, tmp_path / "k.csv", "--to", "ktab")
    assert result.exit_code == 0, result.output
    assert "not kept by ktab:" in result.stdout
    assert "red lines" in result.stdout


def test_bad_input_exits_2_with_located_messages_and_writes_nothing(tmp_path):
    out = tmp_path / "out.yaml"
    bad = FORMATS / "harbour-bad.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "zopa", "convert", str(bad), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert f"{bad}:3: position: not a number" in proc.stderr
    assert f"{bad}:4: stances[2].salience" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not out.exists()


def test_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    result = run("convert", FORMATS / "trade-ktab.csv", out)
    assert result.exit_code == 2
    assert "exists; pass --force" in result.output
    assert out.read_text() == "precious\n"
    result = run("convert", FORMATS / "trade-ktab.csv", out, "--force")
    assert result.exit_code == 0, result.output
    assert read_any(out, "csv").actor_ids == ("EU", "US", "CN")


def test_unknown_format_and_missing_file_exit_2(tmp_path):
    result = run("convert", FORMATS / "harbour.csv", tmp_path / "x.csv", "--to", "spss")
    assert result.exit_code == 2
    assert "unknown format 'spss'" in result.output
    result = run("convert", FORMATS / "harbour.csv", tmp_path / "x.sav")
    assert result.exit_code == 2
    result = run("convert", tmp_path / "missing.csv", tmp_path / "x.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_issue_option_keeps_the_named_issues(tmp_path):
    out = tmp_path / "fee.yaml"
    result = run("convert", FORMATS / "harbour.csv", out, "--issue", "fee")
    assert result.exit_code == 0, result.output
    assert load_scenario(out).issue_ids == ("fee",)
    result = run("convert", FORMATS / "harbour.csv", tmp_path / "y.yaml", "--issue", "fees")
    assert result.exit_code == 2
    assert "unknown issue fees" in result.output


def test_help_has_examples_and_lists_formats():
    result = run("convert", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    for name in ("yaml", "json", "csv", "xlsx", "ktab"):
        assert f"  {name} " in result.stdout


def test_multi_issue_scenario_to_bdm_is_refused_then_works_with_issue(tmp_path):
    out = tmp_path / "fee.csv"
    result = run("convert", FORMATS / "harbour.csv", out, "--to", "bdm")
    assert result.exit_code == 2
    assert "the bdm format holds one issue" in result.output
    assert "pick one with --issue ID" in result.output
    assert not out.exists()
    result = run("convert", FORMATS / "harbour.csv", out, "--to", "bdm", "--issue", "fee")
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[0] == "Actor,Capability,Position,Salience"


def test_scale_option(tmp_path):
    out = tmp_path / "budget.yaml"
    result = run("convert", FORMATS / "budget-bdm.csv", out, "--scale", "0:1000")
    assert result.exit_code == 0, result.output
    scale = load_scenario(out).issues[0].scale
    assert (scale.min, scale.max) == (0.0, 1000.0)
    for bad in ("ten", "5:1"):
        result = run("convert", FORMATS / "budget-bdm.csv", tmp_path / "b2.yaml", "--scale", bad)
        assert result.exit_code == 2
        assert "--scale" in result.output
    result = run("convert", FORMATS / "harbour.csv", tmp_path / "h.yaml", "--scale", "0:1")
    assert result.exit_code == 2
    assert "takes no scale option" in result.output


def test_decide_file_to_yaml(tmp_path):
    out = tmp_path / "climate.yaml"
    result = run("convert", FORMATS / "climate-decide.txt", out)
    assert result.exit_code == 0, result.output
    assert load_scenario(out).title == "Climate finance talks"
