"""The Decide exchange-model input: fixtures, round trips, located problems, Decide's reader."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from zopa.io import ScenarioError, load_scenario
from zopa.io.formats import decide, read_any
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

HERE = Path(__file__).resolve().parent
FORMATS = HERE / "fixtures" / "formats"
FLAGSHIP = HERE.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"
ORACLE = HERE / "fixtures" / "oracles" / "decide"
WRITER_INPUT = ORACLE / "writer-input.yaml"
RECORDED = ORACLE / "decide-reader.json"

sys.path.insert(0, str(HERE))

from decide_oracle import decide_reads  # noqa: E402


def _flat(text: str | None) -> str | None:
    return re.sub(r"\s*[\r\n\t]+\s*", " ", text).strip() if text else text


def test_reads_the_hand_written_fixture():
    s = decide.read(FORMATS / "climate-decide.txt")
    assert s == Scenario(
        title="Climate finance talks",
        actors=(
            Actor("North", "Northern donors", 0.6, notes="OECD members"),
            Actor("South", "Southern group", 0.4),
            # "Small isl" is not a valid id: unsafe characters become "_"
            Actor("Small_isl", "Small island states", 0.2),
        ),
        issues=(
            Issue(
                "volume",
                "Finance volume",
                Scale(0.0, 100.0),
                anchors=MappingProxyType(
                    {
                        0.0: "No new money",
                        50.0: "Double current pledges",
                        100.0: "Triple current pledges",
                    }
                ),
                description="Annual finance pledged",
            ),
            Issue("burden", "Burden sharing", Scale(-10.0, 10.0)),
        ),
        stances=(
            Stance("North", "volume", 30.0, 0.8, notes="Budget constraints"),
            Stance("North", "burden", -5.0, 0.5),
            Stance("South", "volume", 90.0, 0.9),
            Stance("South", "burden", 8.0, 0.7),
            Stance("Small_isl", "volume", 100.0, 1.0),
        ),
    )


def test_writes_decides_layout():
    scenario = Scenario(
        title="T",
        actors=(Actor("a", "Actor A", 150.0, notes="two\nlines"), Actor("b", "B's", 30.0)),
        issues=(Issue("x", "X", Scale(-1.0, 1.0), anchors=MappingProxyType({0.0: "middle"})),),
        stances=(Stance("a", "x", -0.5, 0.25, notes="n"), Stance("b", "x", 1.0, 1.0)),
    )
    assert decide.dumps(scenario).splitlines() == [
        "'#/'\t'T'",
        "'#A'\t'a'\t'Actor A'\t'two lines'",
        "'#A'\t'b'\t'B''s'\t''",
        "'#P'\t'x'\t'X'\t''",
        "'#M'\t'x'\t-1.0\t''",
        "'#M'\t'x'\t0.0\t'middle'",
        "'#M'\t'x'\t1.0\t''",
        # capabilities above Decide's limit of 100 are scaled so the largest is 100
        "'#D'\t'a'\t'x'\t-0.5\t0.25\t100.0\t'n'",
        "'#D'\t'b'\t'x'\t1.0\t1.0\t20.0",
    ]


def test_flagship_round_trip_keeps_what_decide_can_hold(tmp_path):
    original = load_scenario(FLAGSHIP)
    path = tmp_path / "flagship.txt"
    decide.write(original, path)
    back = read_any(path)
    assert back.title == original.title
    top = max(a.capability for a in original.actors)
    factor = 1.0 if top <= 100 else 100 / top
    for got, want in zip(back.actors, original.actors, strict=True):
        assert (got.id, got.name, got.notes) == (want.id, want.name, _flat(want.notes))
        assert got.capability == pytest.approx(want.capability * factor)
    for got, want in zip(back.issues, original.issues, strict=True):
        assert (got.id, got.name, got.scale) == (want.id, want.name, want.scale)
        assert got.description == _flat(want.description)
        assert dict(got.anchors) == {k: _flat(v) for k, v in want.anchors.items()}
    for got, want in zip(back.stances, original.stances, strict=True):
        assert (got.actor, got.issue, got.position, got.salience) == (
            want.actor,
            want.issue,
            want.position,
            want.salience,
        )
        assert got.notes == _flat(want.notes)


def test_percent_saliences_and_varying_powers_are_read_with_warnings(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        '"#A"\t"a"\t"A"\n"#A"\t"b"\t"B"\n"#P"\t"x"\t"X"\n"#P"\t"y"\t"Y"\n'
        '"#D"\t"a"\t"x"\t10\t80\t0.5\n"#D"\t"a"\t"y"\t20\t45.5\t0.7\n'
        '"#D"\t"b"\t"x"\t90\t100\t0.3\n'
    )
    scenario, problems = read_any(path), decide.check(path)[1]
    assert [s.salience for s in scenario.stances] == [0.8, 0.455, 1.0]
    assert scenario.actor("a").capability == pytest.approx(0.6)
    warnings = [p.format() for p in problems if not p.is_error]
    assert warnings[0].startswith(f"{path}:5: warning: salience: saliences above 1")
    assert warnings[1].startswith(
        f"{path}:5: warning: power: actor a has different powers on different issues"
    )


def test_malformed_file_reports_every_problem_located():
    path = FORMATS / "climate-decide-bad.txt"
    with pytest.raises(ScenarioError) as info:
        decide.read(path)
    f = str(path)
    assert [p.format() for p in info.value.problems if p.is_error] == [
        f"{f}:2: actor id: actor defined twice (first on line 1) (got 'North')",
        f"{f}:7: position: issue solo has one scale point; its scale needs two (got 5.0,"
        " expected #M lines at the lowest and the highest position)",
        f"{f}:8: (line): unknown line type (got '#X', expected #A, #P, #M, #D, or #/ for a"
        " comment)",
        f"{f}:9: position: not a number (got 'abc', expected a number)",
        f"{f}:10: actor: unknown actor (got 'Nobody', expected an id defined on a #A line)",
        # a second stance is one even when the first has an error of its own
        f"{f}:11: stances[2]: second stance of North on volume (expected one stance per actor"
        " and issue)\n    hint: the first is on line 9",
        f"{f}:11: stances[2].position: outside the issue's scale (got 150.0, expected a value"
        " in [0, 100] (scale of volume))",
        f"{f}:12: #D line: too few fields (got 2, expected at least 5: actor, issue,"
        " position, salience, power)",
    ]


def _check_what_decide_read(read: dict[str, Any], original: Scenario) -> None:
    """What Decide's reader read (decide_oracle.decide_reads) is the scenario zopa wrote."""
    assert read["errors"] == {}
    assert [a["id"] for a in read["actors"]] == list(original.actor_ids)
    for theirs, actor in zip(read["actors"], original.actors, strict=True):
        assert (theirs["fullname"], theirs["comment"]) == (actor.name, _flat(actor.notes) or "")
    assert [i["name"] for i in read["issues"]] == [i.id for i in original.issues]
    for theirs, issue in zip(read["issues"], original.issues, strict=True):
        assert (theirs["lower"], theirs["upper"]) == (issue.scale.min, issue.scale.max)
        # Decide's #P line has no name field: it joins name and description
        assert theirs["description"] == " ".join(
            t for t in (issue.name, _flat(issue.description)) if t
        )
    # scale points: both ends and every anchor, with the anchor's text
    assert [(m["issue"], m["position"], m["description"]) for m in read["issue_positions"]] == [
        (issue.id, x, _flat(issue.anchors.get(x)) or "")
        for issue in original.issues
        for x in sorted({issue.scale.min, issue.scale.max, *issue.anchors})
    ]
    top = max(a.capability for a in original.actors)
    factor = 1.0 if top <= 100 else 100 / top
    theirs_by_pair = {(d["actor"], d["issue"]): d for d in read["actor_issues"]}
    assert len(theirs_by_pair) == len(read["actor_issues"]) == len(original.stances)
    for stance in original.stances:
        d = theirs_by_pair[stance.actor, stance.issue]
        assert float(d["position"]) == stance.position
        assert float(d["salience"]) == stance.salience
        assert float(d["power"]) == pytest.approx(original.actor(stance.actor).capability * factor)
        assert d["comment"] == (_flat(stance.notes) or None)


def test_decides_own_reader_read_what_zopa_writes_recorded():
    """Decide's reader as an oracle, through its recorded reading of zopa's output.

    The recording (tests/oracles/record_decide.py) holds the file zopa's writer wrote for
    the committed input and what Decide read from it; the live test below re-reads it.
    """
    recording = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert recording["decide_version"] == "2022.1.28"
    assert recording["inputs"]["sha256"] == hashlib.sha256(WRITER_INPUT.read_bytes()).hexdigest(), (
        f"{WRITER_INPUT.name} changed since it was recorded: run {recording['command']}"
    )
    original = load_scenario(WRITER_INPUT)
    # the recording applies to the file today's writer writes
    assert decide.dumps(original).splitlines() == recording["file"], (
        f"zopa's Decide writer changed since the recording: run {recording['command']}"
    )
    _check_what_decide_read(recording["decide_read"], original)


def test_decides_own_reader_reads_what_zopa_writes_live(tmp_path):
    """Run Decide's reader itself (skipped where it is not installed)."""
    pytest.importorskip("decide.data.reader")
    recording = json.loads(RECORDED.read_text(encoding="utf-8"))
    for source in (FLAGSHIP, WRITER_INPUT):
        original = load_scenario(source)
        path = tmp_path / f"{source.stem}.txt"
        decide.write(original, path)
        read = decide_reads(str(path))
        _check_what_decide_read(read, original)
        if source == WRITER_INPUT:
            assert read == recording["decide_read"], (
                f"Decide's reading differs from the recording: run {recording['command']}"
            )


def test_definitions_may_follow_their_use(tmp_path):
    path = tmp_path / "late.txt"
    path.write_text(
        "'#D'\t'a'\t'x'\t30\t0.5\t1\n'#M'\t'x'\t0\n'#M'\t'x'\t60\n'#A'\t'a'\t'A'\n'#P'\t'x'\t'X'\n"
    )
    s = decide.read(path)
    assert s.stances == (Stance("a", "x", 30.0, 0.5),)
    assert s.issues[0].scale == Scale(0.0, 60.0)


def test_decide_files_named_csv_are_sniffed(tmp_path):
    path = tmp_path / "cop.csv"
    path.write_text((FORMATS / "climate-decide.txt").read_text())
    assert read_any(path).actor_ids == ("North", "South", "Small_isl")
