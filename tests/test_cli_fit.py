"""FitTable: tables within a width, cells wrapped between words, wide tables in parts."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from zopa.cli.views.fit import Col, FitTable, set_wide

WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=12)
CELL = st.lists(WORD, min_size=0, max_size=6).map(" ".join)


def _print(table: FitTable, width: int) -> list[str]:
    out = Console(width=width, file=io.StringIO(), color_system=None)
    for part in table.render(width):
        out.print(part)
    return out.file.getvalue().splitlines()  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=6),
    width=st.integers(min_value=40, max_value=120),
)
def test_words_are_never_split_and_lines_fit(rows, width):
    table = FitTable(
        None,
        [Col("key", key=True), Col("alpha"), Col("beta", wrap=True), Col("c"), Col("d")],
    )
    for row in rows:
        table.add_row(*row)
    lines = _print(table, width)
    assert max(len(line) for line in lines) <= width
    printed = {w for line in lines for w in line.split() if not set(w) <= {"─"}}
    printed = {w for w in printed if not (w.startswith("(") and w.endswith(")"))}
    given_words = {w for row in rows for cell in row for w in cell.split()}
    assert printed == given_words | {"key", "alpha", "beta", "c", "d"}


def test_a_wide_table_turns_into_parts_that_repeat_the_key():
    table = FitTable("Wide", [Col("issue", key=True)] + [Col(f"model{k}") for k in range(8)])
    table.add_row("territory", *(f"{10 * k}.0 [1–99]" for k in range(8)))
    # key 9 + cells 10, 11, 11, ... + 2 between columns: four models take 60 and 61
    assert len(table.render(60)) == 3
    parts = table.render(61)
    assert [len(p.columns) for p in parts] == [5, 5]  # the key and four models each
    lines = _print(table, 61)
    assert sum(line.startswith("territory") for line in lines) == 2
    assert "Wide (1/2)" in lines[0]
    # whole, the same table is one part as wide as its cells
    set_wide(True)
    try:
        assert len(table.render(60)) == 1
        assert table.natural_width() == 9 + 10 + 7 * 11 + 2 * 8
    finally:
        set_wide(False)


@pytest.mark.parametrize("width", [30, 50])
def test_a_header_wraps_between_words_rather_than_being_cut(width):
    table = FitTable(None, [Col("issue", key=True), Col("status quo at the start", "right")])
    table.add_row("x", "5")
    lines = _print(table, width)
    words = {w for line in lines for w in line.split()}
    assert {"status", "quo", "at", "the", "start"} <= words
