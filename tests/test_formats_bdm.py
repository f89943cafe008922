"""The Bueno de Mesquita replication CSV: one issue, scale inference, located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.io import ScenarioError
from zopa.io.formats import FORMATS, FormatError, bdm, read_any, write_any
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "formats"


def test_reads_the_hand_written_fixture():
    s = read_any(FIXTURES / "tariff-bdm.csv")  # sniffed from its header
    assert s == Scenario(
        title="tariff-bdm",
        actors=(
            Actor("United_States", "United States", 100.0),
            Actor("European_Union", "European Union", 90.0),
            Actor("China", "China", 85.0),
            Actor("Brazil", "Brazil", 30.0),
        ),
        # every position lies in 0..100: the scale is 0..100
        issues=(Issue("tariff-bdm", "tariff-bdm", Scale(0.0, 100.0)),),
        stances=(
            Stance("United_States", "tariff-bdm", 80.0, 0.6),
            Stance("European_Union", "tariff-bdm", 40.0, 0.75),
            Stance("China", "tariff-bdm", 10.0, 0.9),
            Stance("Brazil", "tariff-bdm", 40.0, 0.505),
        ),
    )


def test_scale_is_the_range_of_positions_outside_0_100_or_as_given():
    path = FIXTURES / "budget-bdm.csv"  # columns in another order, an extra column
    scenario, problems = bdm.check(path)
    assert scenario is not None
    assert scenario.issues[0].scale == Scale(120.0, 400.0)
    assert [(s.actor, s.position, s.salience) for s in scenario.stances] == [
        ("Finance_ministry", 120.0, 0.8),
        ("Defence_ministry", 400.0, 0.6),
        ("Parliament", 250.0, 0.7),
    ]
    assert problems[0].format().startswith(f"{path}:1: warning: notes: unknown column ignored")
    given = read_any(path, "bdm", scale=(0.0, 500.0))
    assert given.issues[0].scale == Scale(0.0, 500.0)


def test_scale_option_is_refused_by_other_formats():
    with pytest.raises(FormatError, match="the ktab format takes no scale option"):
        read_any(FIXTURES / "trade-ktab.csv", scale=(0.0, 1.0))


def test_round_trip_of_one_issue(tmp_path):
    scenario = Scenario(
        title="t",
        actors=(Actor("a", "a", 2.5), Actor("b", "b", 1.0), Actor("c", "c", 1.0)),
        issues=(Issue("t", "t", Scale(-3.0, 7.0)),),
        stances=(Stance("a", "t", -3.0, 0.35), Stance("b", "t", 7.0, 0.123)),
    )
    path = tmp_path / "t.csv"
    write_any(scenario, path, "bdm")
    # actors without a stance are left out; saliences are written on 0..100
    assert path.read_text().splitlines() == [
        "Actor,Capability,Position,Salience",
        "a,2.5,-3,35",
        "b,1,7,12.3",
    ]
    back = read_any(path)
    assert back.stances == scenario.stances
    assert back.actors == scenario.actors[:2]
    assert back.issues[0].scale == Scale(-3.0, 7.0)
    assert FORMATS["bdm"].losses(scenario) == [
        "the title",
        "issue scales other than 0..100",
        "the absence of some stances (see docs/formats.md)",
    ]


def test_several_issues_are_refused_with_a_hint(tmp_path):
    scenario = Scenario(
        title="t",
        actors=(Actor("a", "A", 1.0),),
        issues=(Issue("x", "X"), Issue("y", "Y")),
        stances=(Stance("a", "x", 1.0, 1.0), Stance("a", "y", 1.0, 1.0)),
    )
    path = tmp_path / "two.csv"
    with pytest.raises(ScenarioError) as info:
        write_any(scenario, path, "bdm")
    assert [p.format() for p in info.value.problems] == [
        f"{path}: issues: the bdm format holds one issue (got 'x, y', expected exactly one"
        " issue)\n    hint: name the one issue to write"
    ]
    assert not path.exists()


def test_malformed_file_reports_every_problem_located():
    path = FIXTURES / "tariff-bdm-bad.csv"
    with pytest.raises(ScenarioError) as info:
        bdm.read(path)
    f = str(path)
    assert [p.format() for p in info.value.problems if p.is_error] == [
        f"{f}:2: Salience: outside 0..100 (got 160.0, expected a number in 0..100)",
        f"{f}:3: Actor: missing value (expected an actor name)",
        f"{f}:4: actors[2].capability: value out of range (got -5.0, expected >= 0)",
        f"{f}:5: Position: not a number (got 'forty', expected a number)",
    ]


def test_missing_columns(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("Actor,Capability,Position\nA,1,2\n")
    scenario, problems = bdm.check(path)
    assert scenario is None
    assert [p.format() for p in problems] == [
        f"{path}:1: Salience: missing column (expected Actor, Capability, Position, Salience)"
    ]


def test_semicolon_separated_bdm_file_is_sniffed_and_read(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text("Actor;Capability;Position;Salience\nNorth;1,5;20;62,5\nSouth;1;80;50\n")
    s = read_any(path)
    assert [(a.id, a.capability) for a in s.actors] == [("North", 1.5), ("South", 1.0)]
    assert [(st.position, st.salience) for st in s.stances] == [(20.0, 0.625), (80.0, 0.5)]


def test_stakeholder_resources_layout_on_unit_saliences(tmp_path):
    # the other common layout: Stakeholder, Resources, Position, Salience (0..1 here)
    path = tmp_path / "port.csv"
    path.write_text(
        "Stakeholder,Resources,Position,Salience\nNetherlands,8,40,0.8\nBelgium,4,100,0.4\n"
    )
    assert bdm.sniff(path.read_text().splitlines()[0])
    scenario, problems = bdm.check(path)
    assert scenario is not None
    assert [a.capability for a in scenario.actors] == [8.0, 4.0]
    assert scenario.stance("Belgium", "port").salience == 0.4
    assert f"{path}:2: warning: Salience: saliences read on 0..1 (none exceeds 1) " in [
        p.format()[: len(f"{path}:2: warning: Salience: saliences read on 0..1 (none exceeds 1) ")]
        for p in problems
    ]


def test_stakeholder_layout_on_percent_saliences(tmp_path):
    path = tmp_path / "port.csv"
    path.write_text("stakeholder;resources;position;salience\nA;8;40;80\nB;4;100;40\n")
    scenario, problems = bdm.check(path)
    assert scenario is not None
    assert scenario.stance("B", "port").salience == 0.4
    assert not any("0..1" in p.message for p in problems)
