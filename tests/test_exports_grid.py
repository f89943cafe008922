"""The scenario workbook's actor × issue grids: written, read back, checked against stances."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from zopa.io import load_scenario
from zopa.io.formats import xlsx

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"


@pytest.fixture(scope="module")
def flagship():
    return load_scenario(FLAGSHIP)


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _save(book: openpyxl.Workbook, path: Path) -> Path:
    book.save(path)
    return path


def test_the_workbook_has_both_grids(flagship):
    book = _book(xlsx.dumps(flagship))
    assert {"positions", "saliences"} <= set(book.sheetnames)
    positions = book["positions"]
    header = [c.value for c in positions[1]]
    assert header == ["actor", *flagship.issue_ids]
    row = {r[0]: r[1:] for r in positions.iter_rows(min_row=2, values_only=True)}
    assert list(row) == list(flagship.actor_ids)
    for s in flagship.stances:
        assert row[s.actor][flagship.issue_ids.index(s.issue)] == s.position
    held = {(s.actor, s.issue) for s in flagship.stances}
    blanks = [
        (a, i)
        for a in flagship.actor_ids
        for k, i in enumerate(flagship.issue_ids)
        if row[a][k] is None
    ]
    assert set(blanks) == {(a, i) for a in flagship.actor_ids for i in flagship.issue_ids} - held


def test_round_trip_keeps_the_scenario(flagship, tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_bytes(xlsx.dumps(flagship))
    scenario, problems = xlsx.check(path)
    assert scenario == flagship
    assert not [p for p in problems if p.is_error]


def test_the_grids_alone_give_the_stances(flagship, tmp_path):
    book = _book(xlsx.dumps(flagship))
    del book["stances"]
    scenario, problems = xlsx.check(_save(book, tmp_path / "grid.xlsx"))
    assert scenario is not None, [p.format() for p in problems if p.is_error]
    got = {(s.actor, s.issue): (s.position, s.salience) for s in scenario.stances}
    assert got == {(s.actor, s.issue): (s.position, s.salience) for s in flagship.stances}


def test_a_grid_edited_without_its_stance_is_an_error_at_both_places(flagship, tmp_path):
    book = _book(xlsx.dumps(flagship))
    sheet = book["positions"]
    # UA's row and the territory column, moved away from the stance's value
    ua_row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "UA")
    column = flagship.issue_ids.index("territory") + 2
    sheet.cell(ua_row, column).value = 12.5
    stance_row = 2 + next(
        k for k, s in enumerate(flagship.stances) if (s.actor, s.issue) == ("UA", "territory")
    )
    path = _save(book, tmp_path / "edited.xlsx")
    scenario, problems = xlsx.check(path)
    assert scenario is None
    (error,) = [p for p in problems if p.is_error]
    cell = f"positions!{openpyxl.utils.get_column_letter(column)}{ua_row}"
    assert error.line == ua_row
    assert error.message == f"{cell} differs from sheet stances, row {stance_row}"
    assert error.got == 12.5


def test_a_grid_position_without_salience_is_located(flagship, tmp_path):
    book = _book(xlsx.dumps(flagship))
    del book["stances"]
    sheet = book["saliences"]
    sheet.cell(2, 2).value = None  # the first actor's salience on the first issue
    scenario, problems = xlsx.check(_save(book, tmp_path / "half.xlsx"))
    assert scenario is None
    (error,) = [p for p in problems if p.is_error]
    actor, issue = flagship.actor_ids[0], flagship.issue_ids[0]
    assert error.line == 2
    assert error.message == f"{actor} has a position on {issue} but no salience"
