"""The XLSX workbook: a hand-built workbook, lossless round trips, located problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType

import openpyxl
import pytest

from zopa.io import ScenarioError, load_scenario
from zopa.io.formats import read_any, xlsx
from zopa.scenario import Actor, Confidence, Issue, Scale, Scenario, Source, Stance

HERE = Path(__file__).resolve().parent
FLAGSHIP = HERE.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


GOOD: dict[str, list[list[object]]] = {
    # column order differs from the writer's, names in mixed case: both allowed
    "Actors": [
        ["ID", "Capability", "Name", "Veto", "Groups"],
        ["gov", 60, "Government", "yes", "exec; state"],
        ["opp", 40.5, "Opposition", None, None],
    ],
    "issues": [
        ["id", "name", "scale_min", "scale_max", "status_quo"],
        ["tax", "Tax rate", 10, 50, 30],
    ],
    "stances": [
        ["actor", "issue", "position", "salience", "red_line", "range_low", "range_high",
         "sources", "confidence", "notes"],
        ["gov", "tax", 40, 0.9, 35, 38, 45, "budget", "High", "From the budget speech"],
        ["opp", "tax", 20, 0.6, None, None, None, "budget;poll", None, None],
    ],
    "sources": [
        ["id", "title", "url", "date"],
        ["budget", "Budget speech", "https://example.org/b", dt.datetime(2025, 3, 1)],
        ["poll", "Opinion poll", None, "2025-02-20"],
    ],
    "anchors": [["issue", "value", "text"], ["tax", 10, "Low tax"], ["tax", 50, "High tax"]],
    "meta": [["key", "value"], ["title", "Tax talks"], ["as_of", "2025-03-02"]],
}  # fmt: skip


def test_reads_a_hand_built_workbook(tmp_path):
    s = xlsx.read(_workbook(tmp_path / "tax.xlsx", GOOD))
    assert s == Scenario(
        title="Tax talks",
        as_of=dt.date(2025, 3, 2),
        actors=(
            Actor("gov", "Government", 60.0, veto=True, groups=("exec", "state")),
            Actor("opp", "Opposition", 40.5),
        ),
        issues=(
            Issue(
                "tax",
                "Tax rate",
                Scale(10.0, 50.0),
                anchors=MappingProxyType({10.0: "Low tax", 50.0: "High tax"}),
                status_quo=30.0,
            ),
        ),
        stances=(
            Stance(
                "gov",
                "tax",
                40.0,
                0.9,
                red_line=35.0,
                range=(38.0, 45.0),
                sources=("budget",),
                confidence=Confidence.HIGH,
                notes="From the budget speech",
            ),
            Stance("opp", "tax", 20.0, 0.6, sources=("budget", "poll")),
        ),
        sources=(
            Source("budget", "Budget speech", "https://example.org/b", dt.date(2025, 3, 1)),
            Source("poll", "Opinion poll", date=dt.date(2025, 2, 20)),
        ),
    )


def test_flagship_round_trip_is_lossless(tmp_path):
    original = load_scenario(FLAGSHIP)
    path = tmp_path / "flagship.xlsx"
    xlsx.write(original, path)
    back = read_any(path)
    for name in ("title", "as_of", "description", "sources", "actors", "issues", "stances"):
        assert getattr(back, name) == getattr(original, name), name


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    scenario = Scenario(
        title="=1+1",
        actors=(Actor("a", "=SUM(A1:A3)", 1.0, notes="=cmd|' /C calc'!A0"),),
        issues=(Issue("x", "X"),),
        stances=(Stance("a", "x", 5.0, 0.5),),
    )
    path = tmp_path / "f.xlsx"
    xlsx.write(scenario, path)
    assert xlsx.read(path) == scenario
    book = openpyxl.load_workbook(path)
    assert book["actors"]["B2"].data_type == "s"


def test_malformed_workbook_reports_every_problem_located(tmp_path):
    sheets = {
        "actors": [["id", "capability", "veto"], ["gov", "lots", "perhaps"], ["opp", 40, None]],
        "issues": [["id", "name"], ["tax", "Tax"]],
        "stances": [
            ["actor", "issue", "position", "salience", "range_low", "confidence"],
            ["gov", "tax", 40, 0.9, 30, "certain"],
            ["opp", "tax", None, 2, None, None],
            ["nobody", "tax", 50, 0.5, None, None],
        ],
        "anchors": [["issue", "value", "text"], ["vat", 0, "none"]],
        "meta": [["key", "value"], ["as_of", "last spring"]],
    }
    path = _workbook(tmp_path / "bad.xlsx", sheets)
    with pytest.raises(ScenarioError) as info:
        xlsx.read(path)
    f = str(path)
    errors = [p.format().split("\n")[0] for p in info.value.problems if p.is_error]
    assert sorted(errors) == sorted(
        [
            f"{f}:2: actors.capability: not a number (got 'lots', expected a number)",
            f"{f}:2: actors.veto: not a yes/no value (got 'perhaps', expected true or false)",
            f"{f}:2: stances.range_high: range needs both ends (expected range_low and"
            " range_high, or neither)",
            f"{f}:2: stances.confidence: unknown confidence (got 'certain', expected low,"
            " medium or high)",
            f"{f}:2: anchors.issue: unknown issue (got 'vat', expected an id on sheet issues)",
            f"{f}:2: meta.value: not a date (got 'last spring', expected YYYY-MM-DD)",
            f"{f}:3: stances.position: missing value (expected a number)",
            f"{f}:3: stances[1].salience: value out of range (got 2.0, expected <= 1)",
            f"{f}:4: stances[2].actor: unknown actor (got 'nobody', expected an actor id)",
        ]
    )


def test_missing_sheets_and_columns(tmp_path):
    path = _workbook(tmp_path / "m.xlsx", {"actors": [["name"], ["x"]], "notes": [["a"]]})
    scenario, problems = xlsx.check(path)
    assert scenario is None
    shown = [p.format() for p in problems]
    f = str(path)
    assert f"{f}:1: actors.id: missing column" in shown
    assert f"{f}:1: actors.capability: missing column" in shown
    assert f"{f}: issues: missing sheet (expected actors, issues, stances)" in shown
    assert f"{f}: stances: missing sheet (expected actors, issues, stances)" in shown
    assert any(s.startswith(f"{f}: warning: notes: unknown sheet ignored") for s in shown)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("actor,issue\n")
    scenario, problems = xlsx.check(path)
    assert scenario is None
    assert problems[0].format().startswith(f"{path}: (file): not a readable XLSX workbook")
