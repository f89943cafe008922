"""Tidy tables of a report as CSV files and as one XLSX workbook (a sheet per analysis).

The rows are the results' own tidy tables (``to_rows`` and friends): one observation per
row, the same columns in every row, NaN and ``None`` as empty cells, so that pandas, R or
a spreadsheet read them as they are. Text never becomes a formula: in a CSV, text that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
(names such as a table called ``=cmd|...``); in the workbook every text cell is a string.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zopa.io.atomic import atomic_write

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path


COLUMNS: Mapping[str, tuple[str, ...]] = {
    "forecasts": ("model", "issue", "point", "low", "median", "high", "status_quo", "draws"),
    "packages": ("package", "source", "issue", "value"),
    "utilities": ("package", "source", "actor", "party", "utility", "gain"),
    "tables": (
        "table",
        "actor",
        "at_table",
        "veto",
        "no_deal",
        "utility",
        "gain",
        "accepts",
    ),
    "durability": (
        "plan",
        "year",
        "p_hold",
        "low",
        "high",
        "balance",
        "balance_low",
        "balance_high",
        "p_below_parity",
    ),
}
"""The columns of each tidy table (used for the header when a table has no rows)."""


def _columns(name: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(rows[0]) if rows else list(COLUMNS.get(name, ()))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these would run as a formula in a spreadsheet."""


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _csv_cell(value: Any) -> Any:
    """A CSV cell: no value empty, text that a spreadsheet would run prefixed with ``'``."""
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Tidy rows as CSV text: a header, then one line per row (empty cell: no value)."""
    header = list(columns if columns is not None else (rows[0] if rows else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in header])
    return buffer.getvalue()


def write_csvs(tables: Mapping[str, Sequence[Mapping[str, Any]]], folder: Path) -> list[Path]:
    """``<name>.csv`` for every tidy table; returns the files written."""
    written = []
    for name, rows in tables.items():
        path = folder / f"{name}.csv"
        atomic_write(path, csv_text(rows, _columns(name, rows)))
        written.append(path)
    return written


def xlsx_bytes(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes:
    """One workbook with a sheet per tidy table (header row frozen, values as numbers)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(title=name[:31])
        header = _columns(name, rows)
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(row.get(c)) for c in header])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(tables: Mapping[str, Sequence[Mapping[str, Any]]], path: Path) -> Path:
    """Write :func:`xlsx_bytes` to ``path`` (temporary file, then rename)."""
    atomic_write(path, xlsx_bytes(tables))
    return path
