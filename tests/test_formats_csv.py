"""The long CSV format: hand-written fixtures, round trips, located problems."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MappingProxyType

import pytest

from zopa.io import ScenarioError, load_scenario
from zopa.io.formats import long_csv
from zopa.scenario import Actor, Confidence, Issue, Scale, Scenario, Source, Stance

HERE = Path(__file__).resolve().parent
FORMATS = HERE / "fixtures" / "formats"
FLAGSHIP = HERE.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"


def test_reads_the_hand_written_fixture():
    s = long_csv.read(FORMATS / "harbour.csv")
    assert s.title == "harbour"
    assert s.actors == (
        Actor("city", "City council", 50.0, veto=True, groups=("local", "public")),
        Actor("union", "Dock workers' union", 30.0, notes="Holds the strike threat"),
        Actor("shipper", "Shippers, Ltd.", 20.0),
    )
    assert s.issues == (
        Issue(
            "fee",
            "Port fee",
            Scale(0.0, 10.0),
            status_quo=5.0,
            description="Fee per tonne in euros",
        ),
        Issue("hours", "Opening hours", Scale(0.0, 100.0), status_quo=50.0, outcome=55.0),
    )
    assert s.stances == (
        Stance(
            "city",
            "fee",
            2.0,
            0.8,
            red_line=4.0,
            range=(1.0, 3.0),
            sources=("minutes", "press"),
            confidence=Confidence.HIGH,
            notes="Stated in the March minutes",
        ),
        Stance("union", "fee", 6.0, 0.5, sources=("minutes",), confidence=Confidence.MEDIUM),
        Stance(
            "shipper",
            "fee",
            9.0,
            1.0,
            red_line=7.0,
            range=(8.0, 10.0),
            sources=("press",),
            confidence=Confidence.LOW,
            notes='Said "no more than 9" in the press',
        ),
        Stance("city", "hours", 60.0, 0.4, sources=("minutes",)),
        Stance("union", "hours", 30.0, 0.9, red_line=40.0, sources=("minutes",)),
    )
    # a flat table has no source titles: each cited id becomes a source titled by its id
    assert s.sources == (Source("minutes", "minutes"), Source("press", "press"))


def test_flagship_round_trip_keeps_every_field_a_row_can_carry(tmp_path):
    original = load_scenario(FLAGSHIP)
    path = tmp_path / "flagship.csv"
    long_csv.write(original, path)
    back = long_csv.read(path)
    assert back.actors == original.actors
    assert back.stances == original.stances
    assert len(back.issues) == len(original.issues)
    for got, want in zip(back.issues, original.issues, strict=True):
        # anchors are documented as lost in the long CSV
        assert got == dataclasses.replace(want, anchors=MappingProxyType({}))
    assert [src.id for src in back.sources] == sorted(
        {sid for st in original.stances for sid in st.sources},
        key=[sid for st in original.stances for sid in st.sources].index,
    )
    assert back.title == "flagship"


def test_actors_and_issues_without_stances_and_their_order_survive(tmp_path):
    scenario = Scenario(
        title="t",
        actors=(Actor("b", "B", 1.0), Actor("a", "A", 2.0), Actor("idle", "Idle", 3.0)),
        issues=(Issue("y", "Y"), Issue("x", "X"), Issue("empty", "Empty")),
        stances=(
            Stance("a", "x", 10.0, 0.5, sources=("s",)),
            Stance("b", "y", 20.0, 0.5, sources=("s",)),
        ),
        sources=(Source("s", "s"),),
    )
    path = tmp_path / "t.csv"
    long_csv.write(scenario, path)
    back = long_csv.read(path)
    assert back == dataclasses.replace(scenario, title="t")


def test_plain_scenarios_are_written_without_declaration_rows(tmp_path):
    scenario = Scenario(
        title="t",
        actors=(Actor("a", "A", 1.0), Actor("b", "B", 2.0)),
        issues=(Issue("x", "X"),),
        stances=(Stance("a", "x", 10.0, 0.5), Stance("b", "x", 20.0, 0.25)),
    )
    text = long_csv.dumps(scenario)
    lines = text.splitlines()
    assert lines[0].startswith("actor,issue,position,salience,capability,")
    assert len(lines) == 3
    assert lines[1].startswith("a,x,10,0.5,1,A,false,")
    assert lines[2].startswith("b,x,20,0.25,2,B,false,")


def test_malformed_file_reports_every_problem_located():
    path = FORMATS / "harbour-bad.csv"
    with pytest.raises(ScenarioError) as info:
        long_csv.read(path)
    shown = [p.format() for p in info.value.problems]
    f = str(path)
    expected = [
        f"{f}:1: warning: colour: unknown column ignored",
        f"{f}:3: position: not a number (got 'six', expected a number)",
        f"{f}:4: veto: not a yes/no value (got 'maybe', expected true or false)",
        f"{f}:4: stances[2].salience:",
        f"{f}:5: capability: actor city has a different capability on line 2 (got 55.0,"
        " expected 50.0)",
        f"{f}:5: confidence: unknown confidence (got 'sure', expected low, medium or high)",
        f"{f}:6: range_high: range needs both ends",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in shown), (start, shown)
    assert sum(p.is_error for p in info.value.problems) == 6


def test_missing_required_columns_are_named(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("actor,issue,position\na,x,1\n")
    scenario, problems = long_csv.check(path)
    assert scenario is None
    assert [p.format() for p in problems] == [
        f"{path}:1: salience: missing column (expected actor, issue, position, salience,"
        " capability in the header)",
        f"{path}:1: capability: missing column (expected actor, issue, position, salience,"
        " capability in the header)",
    ]


def test_semantic_checks_point_at_the_row(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "actor,issue,position,salience,capability,sources\n"
        "a,x,50,0.5,1,s\n"
        "b,x,150,0.5,1,s\n"
        "a,x,40,0.5,1,s\n"
    )
    _, problems = long_csv.check(path)
    errors = [p for p in problems if p.is_error]
    assert [(p.line, p.path) for p in errors] == [(3, "stances[1].position"), (4, "stances[2]")]
    assert "second stance of a on x" in errors[1].message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n")
    scenario, problems = long_csv.check(path)
    assert scenario is None
    assert problems[0].format().startswith(f"{path}: (file): empty file")


def test_value_on_a_declaration_row_is_an_error(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "actor,issue,position,salience,capability\na,,5,,1\na,x,5,0.5,1\n",
    )
    _, problems = long_csv.check(path)
    assert [p.format() for p in problems if p.is_error] == [
        f"{path}:2: position: value on a row without an issue (got '5', expected an issue id"
        " on this row, or this cell empty)"
    ]


def test_semicolon_separated_files_with_decimal_commas(tmp_path):
    # what a spreadsheet writes as "CSV" in locales where the comma is the decimal mark
    path = tmp_path / "eu.csv"
    path.write_text(
        "actor;issue;position;salience;capability;actor_name\n"
        "a;x;12,5;0,75;3;Acme, Inc.\n"
        "b;x;4;1;,5;B\n",
        encoding="utf-8-sig",
    )
    s = long_csv.read(path)
    assert [(a.id, a.name, a.capability) for a in s.actors] == [
        ("a", "Acme, Inc.", 3.0),
        ("b", "B", 0.5),
    ]
    assert [(st.position, st.salience) for st in s.stances] == [(12.5, 0.75), (4.0, 1.0)]
