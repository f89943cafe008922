"""`zopa validate` reports every mistake of a file in one run, each located."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.io import check_scenario

runner = CliRunner()

MANY = """\
zopa: 1
title: Mistakes that hide each other
actors:
  - {id: A, name: Alpha, capability: -1}
  - {id: B, name: Beta, capability: 10}
issues:
  - {id: x, name: X}
  - {id: y, scale: {min: 0, max: 10}, status_quo: 20}
stances:
  - {actor: A, issue: x, position: 50, salience: 2}
  - {actor: A, issue: x, position: 40, salience: 0.5}
  - {actor: B, issue: y, position: 11, salience: 7, range: [1, 2]}
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _errors(path: Path) -> list[tuple[int | None, str, str]]:
    scenario, problems = check_scenario(path)
    assert scenario is None
    return [(p.line, p.path, p.message) for p in problems if p.is_error]


def test_checks_across_fields_run_on_entries_with_errors_of_their_own(tmp_path: Path) -> None:
    assert _errors(_write(tmp_path, MANY)) == [
        (4, "actors[0].capability", "value out of range"),
        (8, "issues[1].name", "missing required field"),
        # the issue has no name, yet its status quo is checked against its scale
        (8, "issues[1].status_quo", "outside the issue's scale"),
        (10, "stances[0].salience", "value out of range"),
        # the first stance of the pair has an error of its own: the second is still found
        (11, "stances[1]", "second stance of A on x"),
        (12, "stances[2].salience", "value out of range"),
        # the stance's salience is wrong, yet its position is checked against issue y's scale
        (12, "stances[2].position", "outside the issue's scale"),
        (12, "stances[2].range", "range does not contain the position"),
    ]


def test_every_message_has_file_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, MANY)
    _, problems = check_scenario(path)
    for p in problems:
        assert p.file == str(path)
        assert p.line is not None, p.format()
        assert p.path, p.format()
        assert p.format().startswith(f"{path}:{p.line}: ")


def test_parse_problems_do_not_hide_the_field_checks(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "zopa: 1\n"
        "title: T\n"
        "title: U\n"  # a duplicate key: the first value is kept
        "actors:\n"
        "  - {id: A, name: A, capability: !custom 5}\n"  # a custom tag: the value is left out
        "  - {id: B, name: B, capability: -3}\n"
        "issues:\n"
        "  - {id: x, name: X, status_quo: 500}\n"
        "stances:\n"
        "  - {actor: A, issue: x, position: 10, salience: 1}\n",
    )
    assert _errors(path) == [
        (3, "title", "duplicate key"),
        (5, "actors[0].capability", "custom YAML tags are not allowed"),
        (6, "actors[1].capability", "value out of range"),
        (8, "issues[0].status_quo", "outside the issue's scale"),
    ]


@pytest.mark.parametrize("text", ["null\n", "~\n", "--- null\n"])
def test_a_file_holding_only_null(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:1: the file holds no data (only null)" in result.output
    assert "1 error(s)" in result.output


def test_a_deal_file_with_a_duplicate_key_is_checked_further(tmp_path: Path) -> None:
    from zopa.io.deal_file import check_deal

    path = _write(
        tmp_path,
        "zopa_deal: 1\nid: d\nid: e\ntitle: A deal\nscenario: s.yaml\ntermz: {}\n",
        "deal.yaml",
    )
    deal, _, problems = check_deal(path)
    assert deal is None
    found = [(p.line, p.path, p.message) for p in problems if p.is_error]
    assert (3, "id", "duplicate key") in found
    assert (6, "termz", "unknown field") in found


def test_a_deal_with_a_wrong_field_still_has_its_citations_and_levels_checked(
    tmp_path: Path,
) -> None:
    from zopa.io.deal_file import check_deal

    deal = (Path(__file__).resolve().parent / "test_durability_deal_file.py").read_text()
    minimal = deal.split('MINIMAL = """\\\n', 1)[1].split('"""', 1)[0]
    text = (
        minimal.replace("title: A test deal", "title: ''")  # a field of its own wrong
        .replace("sources: [src1]}\n  dmz", "sources: [srcl]}\n  dmz")
        .replace("level: third_party", "level: trilateral")
        .replace("settlement: deferred", "settlement: deferred\n    value: 10")
    )
    path = _write(tmp_path, text, "deal.yaml")
    deal_read, _, problems = check_deal(path)
    assert deal_read is None
    found = [(p.path, p.message) for p in problems if p.is_error]
    assert found == [
        ("title", "String should have at least 1 character"),
        ("terms.nato.value", "a deferred issue has no value"),
        ("mechanisms.monitoring.sources[0]", "unknown source"),
        ("mechanisms.joint_commission.level", "unknown level"),
    ]
