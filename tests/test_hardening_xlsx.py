"""Hostile workbooks: broken XML, entities, a far cell, a stale dimension."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from zopa.io import load_scenario
from zopa.io.formats import xlsx

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ACTORS = "xl/worksheets/sheet1.xml"  # the writer's first sheet is `actors`


def _workbook(tmp_path: Path, edit, name: str = "book.xlsx", part: str = ACTORS) -> Path:
    """A workbook zopa wrote, with one part's XML changed by ``edit``."""
    scenario = load_scenario(FIXTURES / "scenarios" / "three-actors.yaml")
    source = zipfile.ZipFile(io.BytesIO(xlsx.dumps(scenario)))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(info.filename, data)
    return path


def _messages(path: Path) -> list[str]:
    scenario, problems = xlsx.check(path)
    assert scenario is None
    return [p.format() for p in problems if p.is_error]


def test_the_unchanged_workbook_reads(tmp_path: Path) -> None:
    scenario, _ = xlsx.check(_workbook(tmp_path, lambda xml: xml))
    assert scenario is not None
    assert scenario.actor_ids == ("A", "B", "C")


def test_truncated_sheet_xml_is_a_located_problem(tmp_path: Path) -> None:
    path = _workbook(tmp_path, lambda xml: xml[: len(xml) // 2])
    (message,) = _messages(path)
    assert message.startswith(f"{path}: actors: sheet not readable: ParseError")


@pytest.mark.parametrize(
    "doctype",
    [
        # an entity bomb: each entity ten of the one before
        '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        # an external entity naming a file of the machine
        '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_a_document_type_declaration_is_refused_before_parsing(tmp_path, doctype) -> None:
    path = _workbook(tmp_path, lambda xml: doctype + xml.replace(">A<", ">&c;<", 1))
    assert _messages(path) == [
        f"{path}: (file): XML with a document type declaration is not read"
        " (got 'xl/worksheets/sheet1.xml', expected workbook parts without <!DOCTYPE> or"
        " <!ENTITY>)\n    hint: entity declarations can expand to huge text or read other files"
    ]


def test_openpyxl_parses_with_defusedxml() -> None:
    """Parts the DTD check cannot read as text (UTF-16) still meet a parser without entities."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_a_cell_at_xfd1048576_is_read_as_one_cell(tmp_path: Path) -> None:
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*" />', '<dimension ref="A1:XFD1048576" />', xml)
        return xml.replace("</sheetData>", far + "</sheetData>")

    path = _workbook(tmp_path, edit)
    scenario, problems = xlsx.check(path)  # openpyxl's rows would be a billion empty cells
    assert scenario is not None
    assert scenario.actor_ids == ("A", "B", "C")
    assert [p.format() for p in problems] == [
        f"{path}:1048576: warning: actors: 1 cell(s) in no column of the header ignored"
        " (expected values under the header's columns)"
    ]


def test_rows_past_a_stale_dimension_are_read(tmp_path: Path) -> None:
    """A fifth actor row past the declared dimension, with a bad capability, is reported."""
    extra = (
        '<row r="6"><c r="A6" t="inlineStr"><is><t>E</t></is></c>'
        '<c r="B6" t="inlineStr"><is><t>Extra</t></is></c>'
        '<c r="C6" t="n"><v>-5</v></c></row>'
    )

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*" />', '<dimension ref="A1:F4" />', xml)
        return xml.replace("</sheetData>", extra + "</sheetData>")

    path = _workbook(tmp_path, edit)
    assert _messages(path) == [
        f"{path}:6: actors[3].capability: value out of range (got -5.0, expected >= 0)"
    ]


def test_too_many_cells(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_CELLS", 10)
    path = _workbook(tmp_path, lambda xml: xml)
    assert _messages(path) == [
        f"{path}: actors: the workbook has too many cells (expected at most 10 cells with a value)"
    ]


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    (message,) = _messages(path)
    assert message.startswith(f"{path}: (file): not a readable XLSX workbook")
