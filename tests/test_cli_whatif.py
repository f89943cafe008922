"""What-if on the command line: --set and --drop on every analysis command.

The forecasts under each change are worked out by hand on the three-actor oracle (the
median model is the capability x salience weighted median): A at 0 (weight 1 x 1),
B at 60 (2 x 0.5), C at 90 (3 x 0.5); half the total weight 3.5 is 1.75, reached at B.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from zopa.cli import app

runner = CliRunner()
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DEALS = sorted((ROOT / "scenarios" / "deals").glob("*.yaml"))


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "100"})


@pytest.fixture
def three(fixtures):
    return fixtures / "scenarios" / "three-actors.yaml"


@pytest.fixture
def ranged(three, tmp_path):
    """The oracle with a range on A's position, so that sensitivity has an input."""
    text = three.read_text().replace("position: 0,", "position: 0, range: [0, 20],")
    path = tmp_path / "ranged.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("changes", "median"),
    [
        ([], 60.0),
        (["--set", "C.x=50"], 50.0),  # 0 (1), 50 (1.5): 2.5 >= 1.75 at C
        (["--drop", "B"], 90.0),  # 0 (1), 90 (1.5): half of 2.5 is 1.25, reached at C
        (["--set", "A.capability=4"], 0.0),  # A alone weighs 4 of 6.5
        (["--set", "A.x.salience=0.2"], 90.0),  # 0.2, 1, 1.5: half of 2.7 reached at C
    ],
)
def test_forecast_under_each_change(three, changes, median):
    result = run("forecast", three, "-m", "median", "-f", "json", *changes)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["forecasts"]["median"]["x"] == median
    if changes:
        (applied,) = data["overrides"]
        assert applied["text"] in " ".join(changes) or applied["field"] == "drop"
    else:
        assert "overrides" not in data


def test_the_table_says_which_changes_were_applied(three):
    result = run("forecast", three, "-m", "median", "--set", "C.x=50", "--drop", "B")
    assert result.exit_code == 0, result.output
    assert "what if: C.x=50, B dropped (not in the file)" in result.stdout
    data = json.loads(
        run(
            "forecast", three, "-m", "median", "-f", "json", "--set", "C.x=50", "--drop", "B"
        ).stdout
    )
    assert [o["text"] for o in data["overrides"]] == ["C.x=50", "B dropped"]
    assert data["overrides"][0] == {
        "actor": "C",
        "field": "position",
        "issue": "x",
        "value": 50.0,
        "text": "C.x=50",
    }


def test_show_prints_the_changed_scenario(three):
    result = run("show", three, "--set", "B.x=40")
    assert result.exit_code == 0, result.output
    assert "40|30" in result.stdout  # B's position moved, its red line kept
    assert "60|30" not in result.stdout
    data = json.loads(run("show", three, "-f", "json", "--drop", "B").stdout)
    assert [a["id"] for a in data["actors"]] == ["A", "C"]
    assert data["overrides"][0]["text"] == "B dropped"


def test_a_problem_the_changes_make_together_names_them(three):
    # Without A, every other actor sits above B's position 60: B's red line at 30 would
    # lie on the wrong side, as the file's own check says.
    result = run("show", three, "--drop", "A")
    assert result.exit_code == 2
    assert (
        "error: with --drop A: B's stance on x, red_line: red line on the wrong side"
        in result.stderr
    )


BAD = [
    (["--set", "C.x=500"], "--set C.x=500: position 500: off the issue's scale (expected 0..100"),
    (["--set", "ZZ.x=5"], "--set ZZ.x=5: no such actor (expected one of A, B, C)"),
    (["--set", "A.y=5"], "--set A.y=5: no such issue (expected one of x)"),
    (["--set", "A.x.salience=3"], "--set A.x.salience=3: salience 3: out of range (expected 0..1)"),
    (["--set", "B.capability=-1"], "--set B.capability=-1: capability -1: out of range"),
    (["--drop", "Q"], "--drop Q: no such actor (expected one of A, B, C)"),
    (["--set", "A.x=abc"], "--set 'A.x=abc': 'abc' is not a number"),
]


@pytest.mark.parametrize(("changes", "message"), BAD, ids=[m[1].split(":")[0] for m in BAD])
def test_bad_changes_are_located(three, changes, message):
    result = run("forecast", three, *changes)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_every_problem_at_once(three):
    result = run("forecast", three, "--set", "C.x=500", "--set", "ZZ.x=5", "--drop", "Q")
    assert result.exit_code == 2
    assert result.stderr.count("error:") == 3


def test_dropping_every_actor_is_refused(three):
    result = run("forecast", three, "--drop", "A", "--drop", "B", "--drop", "C")
    assert result.exit_code == 2
    assert "--drop C: every actor would be dropped" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["show"],
        ["forecast", "-m", "median"],
        ["deals"],
        ["tables", "-t", "two=A,C", "--no-models"],
        ["sensitivity", "-n", "64"],
    ],
    ids=lambda c: c[0],
)
def test_every_scenario_command_takes_the_changes(ranged, command):
    name, *options = command
    good = run(name, ranged, *options, "--set", "C.x=50", "--set", "A.capability=2")
    assert good.exit_code == 0, good.output
    assert "what if: C.x=50, A.capability=2" in good.stdout
    bad = run(name, ranged, *options, "--set", "C.x=500", "--drop", "ZZ")
    assert bad.exit_code == 2, bad.output
    assert "--set C.x=500: position 500: off the issue's scale" in bad.stderr
    assert "--drop ZZ: no such actor" in bad.stderr
    if name != "show":
        data = json.loads(run(name, ranged, *options, "-f", "json", "--drop", "B").stdout)
        assert data["overrides"] == [
            {"actor": "B", "field": "drop", "issue": None, "value": None, "text": "B dropped"}
        ]


def test_deals_without_a_party(three):
    # C is the only veto player; dropped, the parties are the veto players left (none)
    # unless named: A and B then face B's red line at 30 against A's no-deal utility.
    result = run("deals", three, "--drop", "C", "--parties", "A,B", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["parties"] == ["A", "B"]
    assert data["overrides"][0]["text"] == "C dropped"


@pytest.mark.parametrize("command", ["durability", "compare"])
def test_deal_commands_change_the_deals_scenario(command):
    files = DEALS[:1] if command == "durability" else DEALS[:2]
    base = run(command, *files, "--draws", "100", "-f", "json")
    changed = run(command, *files, "--draws", "100", "-f", "json", "--set", "UA.capability=1")
    assert base.exit_code == 0, base.output
    assert changed.exit_code == 0, changed.output
    before, after = json.loads(base.stdout), json.loads(changed.stdout)
    assert "overrides" not in before
    assert after["overrides"][0]["text"] == "UA.capability=1"
    table = run(command, *files, "--draws", "100", "--set", "UA.capability=1")
    assert "what if: UA.capability=1 (not in the file)" in table.stdout
    bad = run(command, *files, "--draws", "100", "--set", "UA.nowhere=5")
    assert bad.exit_code == 2
    assert "--set UA.nowhere=5: no such issue (expected one of territory, nato" in bad.stderr


def test_report_runs_every_analysis_with_the_changes(three, tmp_path):
    out = tmp_path / "report"
    result = run("report", three, "-o", out, "--draws", "0", "--set", "C.x=50")
    assert result.exit_code == 0, result.output
    assert "what if: C.x=50 (not in the file)" in result.stdout
    forecasts = json.loads((out / "forecasts.json").read_text())
    assert forecasts["forecasts"]["median"]["x"] == 50.0
    assert forecasts["overrides"][0]["text"] == "C.x=50"
    # the reader of the report is told, at its top, what was changed
    head = (out / "report.md").read_text().split("## ")[0]
    assert "**What-if.** Every analysis in this report ran on the scenario with these " in head
    assert "not on the file as it is: C.x=50." in head
    assert "What-if" in (out / "report.html").read_text()
    plain = tmp_path / "plain"
    assert run("report", three, "-o", plain, "--draws", "0").exit_code == 0
    assert "What-if" not in (plain / "report.md").read_text()
    bad = run("report", three, "-o", tmp_path / "bad", "--set", "C.x=500")
    assert bad.exit_code == 2
    assert "--set C.x=500: position 500: off the issue's scale" in bad.stderr
    assert not (tmp_path / "bad").exists()  # checked before anything is written
