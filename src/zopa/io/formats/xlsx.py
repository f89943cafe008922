"""The XLSX workbook format: one sheet per kind of record, lossless.

Sheets (row 1 is a header; column names case-insensitive, any order):

- ``actors``: id, name, capability, veto, groups, notes
- ``issues``: id, name, scale_min, scale_max, status_quo, outcome, description
- ``stances``: actor, issue, position, salience, red_line, range_low, range_high,
  sources, confidence, notes
- ``sources`` (optional): id, title, url, date, publisher
- ``anchors`` (optional): issue, value, text
- ``meta`` (optional): key, value, with keys ``title``, ``as_of`` and ``description``
- ``positions``, ``saliences`` (optional): the actor × issue grids
  (:mod:`zopa.io.formats.xlsx_grid`); without a ``stances`` sheet, the stances come from
  them

Lists (``groups``, ``sources``) are joined with ``;``. Problems are located as
``FILE:ROW: sheet.column``.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zopa.io.atomic import atomic_write
from zopa.io.errors import Problem
from zopa.io.formats import xlsx_grid
from zopa.io.formats._common import (
    FEATURES,
    Collector,
    finish,
    free_text,
    is_blank,
    join_list,
    raise_on_errors,
    read_bytes_or_report,
    split_list,
    text_or_none,
)
from zopa.scenario import Scenario

NAME = "xlsx"
EXTENSIONS = (".xlsx",)
CARRIES = frozenset(FEATURES)
"""What of a scenario this format keeps (everything)."""
DESCRIPTION = (
    "Excel workbook with sheets actors, issues, stances, sources, anchors, meta, "
    "and the actor x issue grids positions and saliences"
)

SHEETS: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "actors": ("id", "name", "capability", "veto", "groups", "notes"),
    "issues": ("id", "name", "scale_min", "scale_max", "status_quo", "outcome", "description"),
    "anchors": ("issue", "value", "text"),
    "stances": (
        "actor",
        "issue",
        "position",
        "salience",
        "red_line",
        "range_low",
        "range_high",
        "sources",
        "confidence",
        "notes",
    ),
    "sources": ("id", "title", "url", "date", "publisher"),
}
REQUIRED_SHEETS = ("actors", "issues", "stances")
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "actors": ("id", "capability"),
    "issues": ("id",),
    "anchors": ("issue", "value", "text"),
    "stances": ("actor", "issue", "position", "salience"),
    "sources": ("id", "title"),
}
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""Largest total size of a workbook's unpacked parts (guards against zip bombs)."""
MAX_CELLS = 2_000_000
"""Most cells with a value read from a workbook (a 15-actor scenario has a few hundred)."""
META_KEYS = ("zopa", "title", "as_of", "description")

Record = dict[str, object]


def read(path: Path | str) -> Scenario:
    """Read an XLSX workbook (raises ``ScenarioError`` listing every problem)."""
    return raise_on_errors(check(path))


def check(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    """Read an XLSX workbook and return the scenario (or ``None``) and all problems.

    The workbook is read as untrusted input: its size, packed and unpacked, is bounded;
    an XML part with a document type declaration (the vehicle of entity bombs and
    external entities) is refused before any parser sees it; the sheets are read cell by
    cell as written, whatever their ``<dimension>`` element declares; and any failure of
    the parser is a located problem, never a traceback.
    """
    import openpyxl

    file = str(path)
    col = Collector(file)
    data = read_bytes_or_report(path, col)  # read once, in memory: no handle left open
    if data is None or not _safe_archive(io.BytesIO(data), col):
        return None, col.problems
    tables: dict[str, list[tuple[int, Record]]] = {}
    grids: dict[str, xlsx_grid.Grid] = {}
    required: tuple[str, ...] = REQUIRED_SHEETS
    with warnings.catch_warnings():  # openpyxl's notes on parts it skips are not the user's
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # whatever the parser trips on is the file's
            col.add(None, "(file)", f"not a readable XLSX workbook: {_reason(exc)}")
            return None, col.problems
        try:
            names = {str(n).strip().lower(): n for n in workbook.sheetnames}
            budget = _CellBudget(MAX_CELLS)
            if all(g in names for g in xlsx_grid.GRIDS):  # the grids may stand for stances
                required = tuple(s for s in REQUIRED_SHEETS if s != "stances")
            for sheet in [*SHEETS, *xlsx_grid.GRIDS]:
                if sheet not in names:
                    if sheet in required:
                        col.add(None, sheet, "missing sheet", expected=", ".join(required))
                    continue
                try:
                    if sheet in xlsx_grid.GRIDS:
                        rows = _grid_rows(workbook[names[sheet]], budget)
                        grids[sheet] = xlsx_grid.read_grid(sheet, rows, col)
                        continue
                    tables[sheet] = _table(workbook[names[sheet]], sheet, col, budget)
                except _TooManyCellsError:
                    col.add(
                        None,
                        sheet,
                        "the workbook has too many cells",
                        expected=f"at most {MAX_CELLS:,} cells with a value",
                    )
                    return None, col.problems
                except Exception as exc:  # as above
                    col.add(None, sheet, f"sheet not readable: {_reason(exc)}")
                    return None, col.problems
            for name in names:
                if name not in SHEETS and name not in xlsx_grid.GRIDS:
                    known = ", ".join([*SHEETS, *xlsx_grid.GRIDS])
                    col.warn(None, name, "unknown sheet ignored", expected=known)
        finally:
            workbook.close()
    if any(sheet not in tables for sheet in required):
        return None, col.problems
    return _build(tables, col, Path(path).stem, grids)


def _grid_rows(sheet: object, budget: _CellBudget) -> list[tuple[int, list[object]]]:
    """A grid sheet's rows as written, each a list of its cells from column A."""
    out = []
    for number, cells in _sheet_rows(sheet):
        budget.spend(len(cells))
        width = max(cells, default=0)
        out.append((number, [cells.get(c) for c in range(1, width + 1)]))
    return out


def _reason(exc: Exception) -> str:
    """What went wrong, in one short line."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _safe_archive(data: io.BytesIO, col: Collector) -> bool:
    """Whether the workbook is within the size limit unpacked, and has no DTD."""
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
            unpacked = sum(info.file_size for info in members)
            if unpacked > MAX_UNPACKED_BYTES:
                col.add(
                    None,
                    "(file)",
                    "workbook unpacks too large",
                    got=f"{unpacked} bytes",
                    expected=f"at most {MAX_UNPACKED_BYTES} bytes",
                )
                return False
            for info in members:
                if _has_dtd(archive, info):
                    col.add(
                        None,
                        "(file)",
                        "XML with a document type declaration is not read",
                        got=info.filename,
                        expected="workbook parts without <!DOCTYPE> or <!ENTITY>",
                        hint="entity declarations can expand to huge text or read other files",
                    )
                    return False
    except (
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
    ) as exc:
        col.add(None, "(file)", f"not a readable XLSX workbook: {_reason(exc)}")
        return False
    return True


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an archive member holds a DTD (read in chunks; never more than it declares)."""
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(1 << 20):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            tail = window[-16:]
    return False


class _TooManyCellsError(Exception):
    """The workbook holds more cells than are read."""


class _CellBudget:
    """How many more cells with a value the reader takes (over every sheet)."""

    def __init__(self, cells: int) -> None:
        self.left = cells

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _TooManyCellsError


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, dict[int, object]]]:
    """Each row of a sheet as written: its number and its cells' values by column.

    openpyxl's own row iterator pads every row to the sheet's declared ``<dimension>``
    and stops at its last row: a cell declared at XFD1048576 makes a billion empty
    cells, and a stale dimension drops the rows past it silently. Its sheet parser
    (the one that iterator uses, with the same settings) gives only the cells written.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            yield number, {c["column"]: c["value"] for c in cells if c["value"] is not None}


def _table(
    sheet: object, name: str, col: Collector, budget: _CellBudget
) -> list[tuple[int, Record]]:
    header: dict[int, str] | None = None
    out: list[tuple[int, Record]] = []
    for number, cells in _sheet_rows(sheet):
        budget.spend(len(cells))
        if all(is_blank(v) for v in cells.values()):
            continue
        if header is None:
            header = {c: str(v).strip().lower() for c, v in sorted(cells.items())}
            for column in header.values():
                if column and column not in SHEETS[name]:
                    col.warn(
                        number,
                        f"{name}.{column}",
                        "unknown column ignored",
                        expected="one of " + ", ".join(SHEETS[name]),
                    )
            for column in REQUIRED_COLUMNS[name]:
                if column not in header.values():
                    col.add(number, f"{name}.{column}", "missing column")
            continue
        record: Record = {}
        outside = 0
        for c, value in cells.items():
            heading = header.get(c)
            if heading and heading not in record:  # the first of two equal headers counts
                record[heading] = value
            elif not heading and not is_blank(value):
                outside += 1
        if outside:
            col.warn(
                number,
                name,
                f"{outside} cell(s) in no column of the header ignored",
                expected="values under the header's columns",
            )
        if all(is_blank(v) for v in record.values()):
            continue
        out.append((number, record))
    if header is None:
        for column in REQUIRED_COLUMNS[name]:
            col.add(None, f"{name}.{column}", "missing column (the sheet is empty)")
    return out


def _build(
    tables: dict[str, list[tuple[int, Record]]],
    col: Collector,
    default_title: str,
    grids: dict[str, xlsx_grid.Grid] | None = None,
) -> tuple[Scenario | None, list[Problem]]:
    data: dict[str, Any] = {"zopa": 1, "title": default_title}
    data.update(_meta(tables.get("meta", []), col))
    anchors = _anchors(tables.get("anchors", []), col)
    lines: dict[tuple[str | int, ...], int] = {}
    for section, entry in (
        ("sources", _source),
        ("actors", _actor),
        ("issues", _issue),
        ("stances", _stance),
    ):
        data[section] = []
        for k, (line, record) in enumerate(tables.get(section, [])):
            lines[section, k] = line
            data[section].append(entry(k, line, record, col))
    if grids and "stances" in tables:
        xlsx_grid.check_against_stances(
            grids, data["stances"], [line for line, _ in tables["stances"]], col
        )
    elif grids:
        data["stances"] = xlsx_grid.stances_from_grids(
            grids.get("positions", {}), grids.get("saliences", {}), col
        )
    for issue in data["issues"]:
        by_value = anchors.pop(str(issue.get("id")), {})
        if by_value:
            issue["anchors"] = {value: text for value, (text, _) in by_value.items()}
    for issue_id, by_value in anchors.items():
        for _, line in by_value.values():
            col.add(
                line,
                "anchors.issue",
                "unknown issue",
                got=issue_id,
                expected="an id on sheet issues",
            )
    return finish(data, col, lines)


def _meta(rows: list[tuple[int, Record]], col: Collector) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for line, r in rows:
        key = text_or_none(r.get("key"))
        if key is None:
            col.add(line, "meta.key", "missing value", expected="one of " + ", ".join(META_KEYS))
            continue
        key = key.lower()
        if key not in META_KEYS:
            col.warn(
                line, "meta.key", "unknown key ignored", got=key, expected=", ".join(META_KEYS)
            )
        elif key == "as_of":
            date = _date(r.get("value"), line, "meta.value", col, at="as_of")
            if date is not None:
                out["as_of"] = date
        elif key == "zopa":
            version = col.number(r.get("value"), line, "meta.value", expected="1")
            if version is not None and version != 1:
                col.add(line, "meta.value", "unsupported format version", got=version, expected="1")
        elif not is_blank(r.get("value")):
            out[key] = str(r.get("value"))
    return out


def _anchors(
    rows: list[tuple[int, Record]], col: Collector
) -> dict[str, dict[float, tuple[str, int]]]:
    out: dict[str, dict[float, tuple[str, int]]] = {}
    for line, r in rows:
        issue = text_or_none(r.get("issue"))
        value = col.number(r.get("value"), line, "anchors.value", required=True)
        text = free_text(r.get("text"))
        if issue is None:
            col.add(line, "anchors.issue", "missing value", expected="an issue id")
        if text is None:
            col.add(line, "anchors.text", "missing value", expected="the text of the anchor")
        if issue is None or value is None or text is None:
            continue
        if value in out.get(issue, {}):
            first = out[issue][value][1]
            col.add(
                line,
                "anchors.value",
                f"second anchor at this value (first on row {first})",
                got=value,
            )
            continue
        out.setdefault(issue, {})[value] = (text, line)
    return out


def _date(
    value: object, line: int, path: str, col: Collector, *, at: str | None = None
) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        col.add(line, path, "not a date", got=value, expected="YYYY-MM-DD")
        if at is not None:
            col.bad.add(at)
        return None


def _put(out: dict[str, Any], name: str, value: object) -> None:
    if value is not None and value != []:
        out[name] = value


def _text(value: object) -> str | None:
    """A text cell; numbers typed into an id column become their text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text_or_none(value)


def _actor(k: int, line: int, r: Record, col: Collector) -> dict[str, Any]:
    at = f"actors[{k}]"
    out: dict[str, Any] = {}
    _put(out, "id", _text(r.get("id")))
    _put(out, "name", free_text(r.get("name")) or out.get("id"))
    _put(
        out,
        "capability",
        col.number(
            r.get("capability"), line, "actors.capability", at=f"{at}.capability", required=True
        ),
    )
    _put(out, "veto", col.boolean(r.get("veto"), line, "actors.veto", at=f"{at}.veto"))
    _put(out, "groups", split_list(r.get("groups")))
    _put(out, "notes", free_text(r.get("notes")))
    return out


def _issue(k: int, line: int, r: Record, col: Collector) -> dict[str, Any]:
    at = f"issues[{k}]"
    out: dict[str, Any] = {}
    _put(out, "id", _text(r.get("id")))
    _put(out, "name", free_text(r.get("name")) or out.get("id"))
    _put(out, "description", free_text(r.get("description")))
    scale: dict[str, float] = {}
    _put(scale, "min", col.number(r.get("scale_min"), line, "issues.scale_min", at=f"{at}.scale"))
    _put(scale, "max", col.number(r.get("scale_max"), line, "issues.scale_max", at=f"{at}.scale"))
    if scale:
        out["scale"] = scale
    for name in ("status_quo", "outcome"):
        _put(out, name, col.number(r.get(name), line, f"issues.{name}", at=f"{at}.{name}"))
    return out


def _stance(k: int, line: int, r: Record, col: Collector) -> dict[str, Any]:
    at = f"stances[{k}]"
    out: dict[str, Any] = {}
    _put(out, "actor", _text(r.get("actor")))
    _put(out, "issue", _text(r.get("issue")))
    for name in ("position", "salience", "red_line"):
        value = col.number(
            r.get(name), line, f"stances.{name}", at=f"{at}.{name}", required=name != "red_line"
        )
        _put(out, name, value)
    low = col.number(r.get("range_low"), line, "stances.range_low", at=f"{at}.range")
    high = col.number(r.get("range_high"), line, "stances.range_high", at=f"{at}.range")
    if low is not None and high is not None:
        out["range"] = [low, high]
    elif (low is None) != (high is None) and f"{at}.range" not in col.bad:
        name = "range_high" if high is None else "range_low"
        col.add(
            line,
            f"stances.{name}",
            "range needs both ends",
            expected="range_low and range_high, or neither",
        )
    _put(out, "sources", split_list(r.get("sources")))
    _put(
        out,
        "confidence",
        col.confidence(r.get("confidence"), line, "stances.confidence", at=f"{at}.confidence"),
    )
    _put(out, "notes", free_text(r.get("notes")))
    return out


def _source(k: int, line: int, r: Record, col: Collector) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "id", _text(r.get("id")))
    _put(out, "title", free_text(r.get("title")))
    _put(out, "url", free_text(r.get("url")))
    _put(out, "date", _date(r.get("date"), line, "sources.date", col, at=f"sources[{k}].date"))
    _put(out, "publisher", free_text(r.get("publisher")))
    return out


def write(scenario: Scenario, path: Path | str) -> None:
    """Write a scenario as an XLSX workbook (atomically)."""
    atomic_write(path, dumps(scenario))


def dumps(scenario: Scenario) -> bytes:
    """The XLSX bytes of a scenario."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    rows: dict[str, list[tuple[object, ...]]] = {
        "meta": [
            ("zopa", 1),
            ("title", scenario.title),
            ("as_of", scenario.as_of.isoformat() if scenario.as_of else None),
            ("description", scenario.description),
        ],
        "actors": [
            (a.id, a.name, a.capability, a.veto, join_list(a.groups) or None, a.notes)
            for a in scenario.actors
        ],
        "issues": [
            (i.id, i.name, i.scale.min, i.scale.max, i.status_quo, i.outcome, i.description)
            for i in scenario.issues
        ],
        "anchors": [
            (i.id, value, text) for i in scenario.issues for value, text in i.anchors.items()
        ],
        "stances": [
            (
                s.actor,
                s.issue,
                s.position,
                s.salience,
                s.red_line,
                s.range[0] if s.range else None,
                s.range[1] if s.range else None,
                join_list(s.sources) or None,
                s.confidence.value if s.confidence else None,
                s.notes,
            )
            for s in scenario.stances
        ],
        "sources": [
            (s.id, s.title, s.url, s.date.isoformat() if s.date else None, s.publisher)
            for s in scenario.sources
        ],
    }
    columns = dict(SHEETS)
    for grid, field in xlsx_grid.GRIDS.items():
        header, *values = xlsx_grid.grid_rows(scenario, field)
        columns[grid] = tuple(str(h) for h in header)
        rows[grid] = values
    order = ("actors", "issues", "stances", "positions", "saliences", "sources", "anchors", "meta")
    for name in order:
        sheet = workbook.create_sheet(name)
        sheet.append(columns[name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows[name]:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # XML 1.0 cannot hold most control characters: they are dropped
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", cell.value)
                    if cell.value.startswith("="):
                        cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
        for k, column in enumerate(columns[name]):
            longest = max((len(str(row[k])) for row in rows[name] if row[k] is not None), default=0)
            letter = sheet.cell(row=1, column=k + 1).column_letter
            sheet.column_dimensions[letter].width = min(60, max(len(column), longest) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
