"""KTAB's SMP CSV: hand-written fixtures, rescaling, round trips, located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.io import ScenarioError, load_scenario
from zopa.io.formats import ktab, read_any
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

HERE = Path(__file__).resolve().parent
FORMATS = HERE / "fixtures" / "formats"
FLAGSHIP = HERE.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"
# a file shipped with KTAB (MIT licence; origin and notice in tests/fixtures/ktab/README.md)
KTAB_REFERENCE = HERE / "fixtures" / "ktab" / "SOE-Pol-Comp.csv"


def test_reads_the_hand_written_fixture_with_padding_and_trailing_commas():
    s = ktab.read(FORMATS / "trade-ktab.csv")
    assert s.title == "Trade round; test"
    assert s.description == "Tariffs and quotas"
    assert s.actors == (
        Actor("EU", "European Union", 80.0),
        Actor("US", "United States", 100.0),
        Actor("CN", "China", 90.0),
    )
    assert s.issues == (
        Issue("Tariff", "Tariff", Scale(0.0, 100.0)),
        Issue("Quota", "Quota", Scale(0.0, 100.0)),
    )
    # saliences 0..100 in the file, 0..1 in zopa, exact in decimal
    assert s.stances == (
        Stance("EU", "Tariff", 20.0, 0.6),
        Stance("EU", "Quota", 35.0, 0.4),
        Stance("US", "Tariff", 70.0, 0.455),
        Stance("US", "Quota", 80.0, 0.545),
        Stance("CN", "Tariff", 55.0, 0.3),
        Stance("CN", "Quota", 10.0, 0.7),
    )


def test_writes_the_layout_ktab_reads():
    scenario = Scenario(
        title="Two, and more",
        actors=(Actor("a", "Actor A", 10.0), Actor("b", "Actor B", 2.5)),
        issues=(Issue("x", "X", Scale(-5.0, 5.0)), Issue("y", "Y")),
        stances=(
            Stance("a", "x", -5.0, 0.35),
            Stance("a", "y", 12.5, 1.0),
            Stance("b", "x", 2.5, 0.1),
        ),
    )
    assert ktab.dumps(scenario).splitlines() == [
        "Two; and more,,2,2,",
        "Actor,Description,Influence,x Position,x Salience,y Position,y Salience,",
        # x on -5..5 is rescaled onto 0..100: -5 -> 0, 2.5 -> 75
        "a,Actor A,10,0,35,12.5,100,",
        # b holds no stance on y: the midpoint, with salience 0
        "b,Actor B,2.5,75,10,50,0,",
    ]


def test_flagship_round_trip_keeps_what_ktab_can_hold(tmp_path):
    original = load_scenario(FLAGSHIP)
    path = tmp_path / "k.csv"
    ktab.write(original, path)
    back = ktab.read(path)
    # KTAB splits on every comma: commas in text are written as semicolons
    assert back.title == original.title.replace(",", ";")
    assert [(a.id, a.name, a.capability) for a in back.actors] == [
        (a.id, a.name.replace(",", ";"), a.capability) for a in original.actors
    ]
    assert back.issue_ids == original.issue_ids
    for issue in original.issues:
        lo, hi = issue.scale.min, issue.scale.max
        for actor in original.actors:
            want = original.stance(actor.id, issue.id)
            got = back.stance(actor.id, issue.id)
            assert got is not None
            if want is None:
                assert (got.position, got.salience) == (50.0, 0.0)
            else:
                assert got.salience == want.salience
                assert got.position == pytest.approx((want.position - lo) / (hi - lo) * 100)


def test_malformed_file_reports_every_problem_located():
    path = FORMATS / "trade-ktab-bad.csv"
    with pytest.raises(ScenarioError) as info:
        ktab.read(path)
    f = str(path)
    assert [p.format() for p in info.value.problems if p.is_error] == [
        f"{f}:1: nActors: does not match the number of actor lines (got 4, expected 3)",
        f"{f}:4: Influence: not a number (got 'lots', expected a number >= 0)",
        f"{f}:4: Tariff Position: outside 0..100 (got 170.0, expected a number in 0..100)",
        f"{f}:5: (row): wrong number of values (got 6, expected 7 (Actor, Description,"
        " Influence, and a Position, Salience pair for each of 2 dimension(s)))",
    ]


def test_bad_counts_and_short_files(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("name,desc,two,0,\n")
    scenario, problems = ktab.check(path)
    assert scenario is None
    assert [p.format() for p in problems] == [
        f"{path}: (file): too short (got '1 non-empty line(s)', expected a title line,"
        " a header line and one line per actor)"
    ]
    path.write_text("name,desc,x,0,\nActor,Description,Influence,\na,A,1,\n")
    _, problems = ktab.check(path)
    shown = [p.format() for p in problems if p.is_error]
    assert shown[:2] == [
        f"{path}:1: nActors: not a whole number (got 'x', expected a whole number)",
        f"{path}:1: nDims: must be at least 1 (got 0, expected >= 1)",
    ]


def test_csv_extension_is_sniffed(tmp_path):
    s = read_any(FORMATS / "trade-ktab.csv")
    assert s.actor_ids == ("EU", "US", "CN")


def test_reads_a_file_shipped_with_ktab():
    s = read_any(KTAB_REFERENCE)
    assert len(s.actors) == 13
    assert s.issue_ids == ("Policy", "Competitive")
    xi = s.actor("XJ")
    assert (xi.name, xi.capability) == ("Xi Jinping", 100.0)
    assert s.stance("XJ", "Policy") == Stance("XJ", "Policy", 30.0, 0.24)
    assert s.stance("XJ", "Competitive") == Stance("XJ", "Competitive", 20.0, 0.48)
