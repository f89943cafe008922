"""Tables that fit the terminal: cells wrap at word boundaries, wide tables turn into parts.

Every table a command prints goes through :class:`FitTable`. Each column is given a
width no smaller than its longest word (header included), so rich wraps cells between
words and never splits one; when the columns do not fit side by side at those widths,
the table is cut into parts, each repeating the key columns (the row labels). The spare
width goes to the columns whose text is longest. With ``--wide`` (:func:`set_wide`), a
table is printed whole at its natural width, however wide the terminal.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from zopa.cli.common import console, user_text, wide_console

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

Justify = Literal["left", "right", "center"]

WRAP_WIDTH = 24
"""Width a column of running text asks for before the spare width is shared out."""

_layout = {"wide": False}


def set_wide(wide: bool) -> None:
    """Print every table whole at its natural width (``True``) or fitted to the terminal."""
    _layout["wide"] = wide


def is_wide() -> bool:
    """Whether tables are printed whole (``--wide``)."""
    return _layout["wide"]


@dataclass(frozen=True)
class Col:
    """A column: its header, alignment, and how it behaves when space is short.

    Attributes:
        header: The header text (wraps between words when narrow).
        justify: Alignment of the cells.
        key: Repeated in every part when the table is cut into parts (row labels).
        wrap: Running text that may wrap onto several lines rather than widen the table.
    """

    header: str
    justify: Justify = "left"
    key: bool = False
    wrap: bool = False


@dataclass
class FitTable:
    """A table that fits the console: add rows of text, then :meth:`print`."""

    title: str | None
    columns: list[Col]
    caption: str | None = None
    rows: list[list[str | Text] | None] = field(default_factory=list)

    def add_row(self, *cells: str | Text) -> None:
        """A row of cells, one per column (strings are plain text, never markup)."""
        self.rows.append(list(cells))

    def add_section(self) -> None:
        """A rule between the rows before and after."""
        self.rows.append(None)

    def print(self) -> None:
        """Print the table (in parts when it is too wide for the console)."""
        tables = self.render(console.width)
        if is_wide():
            with wide_console(self.natural_width()):
                console.print(tables[0])
            return
        for table in tables:
            console.print(table)

    def natural_width(self) -> int:
        """The width of the whole table with no cell wrapped."""
        lows = [_min_width(c, self._cells(k)) for k, c in enumerate(self.columns)]
        ideals = [_ideal_width(c, self._cells(k), lows[k]) for k, c in enumerate(self.columns)]
        return sum(ideals) + _overhead(len(ideals))

    def render(self, width: int) -> list[Table]:
        """The rich tables that show this table within ``width`` columns."""
        lows = [_min_width(c, self._cells(k)) for k, c in enumerate(self.columns)]
        ideals = [_ideal_width(c, self._cells(k), lows[k]) for k, c in enumerate(self.columns)]
        if is_wide():
            return [self._table(list(range(len(self.columns))), ideals, None)]
        longest = [
            max([lows[k], *(len(x) for c in self._cells(k) for x in c.splitlines())])
            for k in range(len(self.columns))
        ]
        asks = [
            min(longest[k], max(lows[k], WRAP_WIDTH)) if c.wrap else longest[k]
            for k, c in enumerate(self.columns)
        ]
        keys = [k for k, c in enumerate(self.columns) if c.key]
        parts = _parts(keys, [k for k, c in enumerate(self.columns) if not c.key], asks, width)
        tables = []
        for n, part in enumerate(parts):
            widths = _share(part, asks, lows, ideals, [c.wrap for c in self.columns], width)
            label = None if len(parts) == 1 else (n + 1, len(parts))
            tables.append(self._table(part, [widths[k] for k in part], label))
        return tables

    def _cells(self, k: int) -> list[str]:
        return [_plain(row[k]) for row in self.rows if row is not None]

    def _table(self, part: list[int], widths: list[int], label: tuple[int, int] | None) -> Table:
        title = self.title
        if label is not None and title:
            title = f"{title} ({label[0]}/{label[1]})"
        elif label is not None:
            title = f"({label[0]}/{label[1]})"
        table = _styled(
            title=None if title is None else user_text(title),
            caption=None if self.caption is None else user_text(self.caption),
        )
        for k, w in zip(part, widths, strict=True):
            c = self.columns[k]
            table.add_column(c.header, justify=c.justify, width=w, overflow="fold")
        for row in self.rows:
            if row is None:
                table.add_section()
            else:
                table.add_row(*(row[k] for k in part))
        return table


def _plain(cell: str | Text) -> str:
    return cell if isinstance(cell, str) else cell.plain


def _words(text: str) -> list[int]:
    return [len(w) for w in text.split()]


def _min_width(col: Col, cells: list[str]) -> int:
    """The longest word of the header and the cells: no narrower, or a word splits."""
    return max([1, *_words(col.header), *(n for c in cells for n in _words(c))])


def _ideal_width(col: Col, cells: list[str], low: int) -> int:
    """The longest line of the cells and the header: the width with nothing wrapped."""
    lines = [len(line) for c in cells for line in c.splitlines()]
    return max([low, *lines, len(col.header)])


def _styled(
    title: str | None = None, caption: str | None = None, *, show_header: bool = True
) -> Table:
    """An empty table as every table looks.

    A rule under the header, two spaces between columns, no frame.
    """
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        caption=caption,
        caption_justify="left",
        show_header=show_header,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )


@cache
def _overhead(n: int) -> int:
    """Columns a table of ``n`` columns takes beyond its cells, as rich draws it."""
    from rich.console import Console

    probe = _styled(show_header=False)
    for _ in range(n):
        probe.add_column(width=1)
    probe.add_row(*("x" * n))
    out = Console(width=1000, file=io.StringIO(), color_system=None)
    out.print(probe)
    lines = out.file.getvalue().splitlines()  # type: ignore[attr-defined]
    return max(len(line.rstrip()) for line in lines) - n


def _fits(cols: list[int], asks: list[int], width: int) -> bool:
    return sum(asks[k] for k in cols) + _overhead(len(cols)) <= width


def _parts(keys: list[int], rest: list[int], asks: list[int], width: int) -> list[list[int]]:
    """The columns cut into as few parts as fit ``width``, balanced, each with the keys."""
    if _fits(keys + rest, asks, width) or not rest:
        return [keys + rest]
    greedy: list[list[int]] = [[]]
    for k in rest:
        if greedy[-1] and not _fits(keys + greedy[-1] + [k], asks, width):
            greedy.append([])
        greedy[-1].append(k)
    count = len(greedy)
    base, extra = divmod(len(rest), count)
    even, start = [], 0
    for n in range(count):
        size = base + (n < extra)
        even.append(rest[start : start + size])
        start += size
    chosen = even if all(_fits(keys + p, asks, width) for p in even) else greedy
    return [sorted(keys + p) for p in chosen]


def _share(
    part: list[int],
    asks: list[int],
    lows: list[int],
    ideals: list[int],
    wraps: list[bool],
    width: int,
) -> dict[int, int]:
    """Widths for one part: what each asks, then any spare width.

    Spare width goes first to columns whose header would wrap, then to the longest texts.

    When the part is too wide even so (a single long column), columns give way down to
    their longest word, widest first.
    """
    widths = {k: asks[k] for k in part}
    spare = width - sum(widths.values()) - _overhead(len(part))
    while spare > 0:
        short = [k for k in part if widths[k] < ideals[k] and not wraps[k]]
        short = short or [k for k in part if widths[k] < ideals[k]]
        if not short:
            break
        k = max(short, key=lambda j: ideals[j] - widths[j])
        widths[k] += 1
        spare -= 1
    while spare < 0:
        slack = [k for k in part if widths[k] > lows[k]]
        if not slack:
            break
        k = max(slack, key=lambda j: widths[j] - lows[j])
        widths[k] -= 1
        spare += 1
    return widths
