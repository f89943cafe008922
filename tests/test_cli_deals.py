"""``zopa deals`` as a user meets it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from zopa.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_deals_json_documented_keys(fixtures):
    result = run("deals", str(fixtures / "deals" / "red-lines-collide.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "enumeration"
    zopa = data["zopa"]
    assert zopa["empty"] is True
    assert zopa["size"] == 0
    assert set(zopa) >= {"empty", "size", "ranges", "conflicts", "relaxations"}
    (conflict,) = zopa["conflicts"]
    assert {(c["actor"], c["issue"], c["red_line"]) for c in conflict} == {
        ("A", "border", 40.0),
        ("B", "border", 60.0),
    }
    scopes = {r["scope"]: r for r in zopa["relaxations"]}
    assert scopes["A"]["moves"] == [
        {"actor": "A", "kind": "red_line", "issue": "border", "from": 40.0, "to": 60.0, "by": 20.0}
    ]
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "maximin", "utilitarian"}
    assert data["solutions"]["nash"]["package"] is None
    assert data["logrolls"]
    assert data["agenda"][-1]["action"] == "separate track"


def test_deals_table_shows_the_core_deal(fixtures):
    result = run("deals", str(fixtures / "deals" / "red-lines-collide.yaml"))
    assert result.exit_code == 0, result.output
    assert "EMPTY" in result.output
    assert "Core deal" in result.output
    assert "separate track" in result.output


def test_deals_table_and_plots(fixtures, tmp_path):
    result = run(
        "deals",
        str(fixtures / "deals" / "symmetric.yaml"),
        "--loss",
        "quadratic",
        "--plot",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "Nash" in result.output
    assert (tmp_path / "deals-intervals.png").stat().st_size > 10_000
    assert (tmp_path / "deals-utility-A-B.png").stat().st_size > 10_000


def test_deals_symmetric_json(fixtures):
    result = run(
        "deals", str(fixtures / "deals" / "symmetric.yaml"), "--loss", "quadratic", "-f", "json"
    )
    data = json.loads(result.stdout)
    assert data["solutions"]["nash"]["package"] == {"x": 50.0, "y": 50.0}
    assert data["solutions"]["nash"]["utilities"] == {"A": 0.75, "B": 0.75}


def test_deals_bad_input_exit_2(fixtures, tmp_path):
    result = run("deals", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    result = run("deals", str(fixtures / "deals" / "symmetric.yaml"), "--loss", "cubic")
    assert result.exit_code == 2
    assert "linear or quadratic" in result.output
    result = run("deals", str(fixtures / "deals" / "symmetric.yaml"), "--parties", "A,Z")
    assert result.exit_code == 2
    assert "Z" in result.output


def test_tables_json_and_plot(fixtures, tmp_path):
    result = run(
        "tables",
        str(fixtures / "deals" / "red-lines-collide.yaml"),
        "--table",
        "AB=A,B",
        "--table",
        "AC=A,C",
        "--no-models",
        "-f",
        "json",
        "--plot",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["tables"]) == {"AB", "AC"}
    ab = data["tables"]["AB"]
    assert ab["zopa"]["empty"] is True
    assert ab["deal"]["set_aside"] == ["border"]
    ac = data["tables"]["AC"]
    assert ac["absent"] == ["B"]
    assert set(ac["deal"]["utilities"]) == {"A", "B", "C"}
    assert (tmp_path / "tables.png").stat().st_size > 10_000


def test_tables_bad_input(fixtures):
    path = str(fixtures / "deals" / "red-lines-collide.yaml")
    assert run("tables", path).exit_code == 2
    result = run("tables", path, "--table", "AB=A,Z")
    assert result.exit_code == 2
    assert "Z" in result.output
    assert run("tables", path, "--table", "nonsense").exit_code == 2


def test_every_json_key_is_documented(fixtures, repo_root):
    doc = (repo_root / "docs" / "deals.md").read_text()
    result = run("deals", str(fixtures / "deals" / "red-lines-collide.yaml"), "-f", "json")
    data = json.loads(result.stdout)
    keys = set(data) | {f"zopa.{k}" for k in data["zopa"]}
    keys |= set(data["core"]) | set(data["space"])
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"undocumented keys in docs/deals.md: {missing}"


def test_json_on_standard_output_is_only_json_in_a_real_process(tmp_path):
    """Nothing else reaches standard output, not even what the solver's C code prints.

    A synthetic scenario with veto players and red lines takes the MILP path (HiGHS);
    the JSON must parse as it is printed, in a real process (a test runner's capture
    would not see output written by C code to the process's standard output).
    """
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    path = root / "tests" / "fixtures" / "large" / "synthetic-10x20-red0.3.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "zopa", "deals", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["method"].startswith("milp")
