"""The XLSX workbook's actor × issue grids: positions and saliences at a glance.

Two sheets, ``positions`` and ``saliences``: row 1 holds ``actor`` and the issue ids, then
one row per actor with its position (salience) on each issue, blank where it holds no
stance. They show the scenario the way analysts draw it on paper, and they round-trip:

- A workbook with a ``stances`` sheet keeps the stances there as the full record (ranges,
  red lines, sources); the grids must agree with it, and a cell that does not is an
  error located at both places (a grid edited without its stance, or the reverse), never
  a silent choice between two values.
- A workbook without a ``stances`` sheet takes its stances from the grids: an actor holds
  a stance on an issue where both its position and its salience are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zopa.io.formats._common import Collector, is_blank, text_or_none

if TYPE_CHECKING:
    from zopa.scenario import Scenario

GRIDS = {"positions": "position", "saliences": "salience"}
"""Each grid sheet and the stance field it shows."""

Grid = dict[tuple[str, str], tuple[float, int, str]]
"""(actor, issue) -> (value, row, cell) of one grid sheet."""


def grid_rows(scenario: Scenario, field: str) -> list[tuple[object, ...]]:
    """One grid sheet's rows (header first): actors down, issues across."""
    issues = list(scenario.issue_ids)
    values = {(s.actor, s.issue): getattr(s, field) for s in scenario.stances}
    rows: list[tuple[object, ...]] = [("actor", *issues)]
    rows += [(a, *(values.get((a, i)) for i in issues)) for a in scenario.actor_ids]
    return rows


def _column_letter(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def read_grid(name: str, rows: Iterable[tuple[int, Sequence[object]]], col: Collector) -> Grid:
    """The values of one grid sheet; its problems (not numbers, repeated cells) in ``col``."""
    header: list[str | None] | None = None
    out: Grid = {}
    for number, values in rows:
        if all(is_blank(v) for v in values):
            continue
        if header is None:
            header = [text_or_none(v) for v in values]
            if (header[0] or "").lower() != "actor":
                col.add(number, f"{name}.A", "missing column", expected="actor in cell A1")
            continue
        actor = text_or_none(values[0]) if values else None
        if actor is None:
            col.add(number, f"{name}.actor", "missing value", expected="an actor id")
            continue
        for k, value in enumerate(values[1:], start=1):
            issue = header[k] if k < len(header) else None
            if is_blank(value):
                continue
            cell = f"{name}!{_column_letter(k)}{number}"
            if issue is None:
                col.warn(number, f"{name}.{_column_letter(k)}", "value under no issue ignored")
                continue
            parsed = col.number(value, number, f"{name}.{issue}")
            if parsed is None:
                continue
            if (actor, issue) in out:
                first = out[actor, issue][1]
                col.add(number, f"{name}.{issue}", f"second row for {actor} (first on row {first})")
                continue
            out[actor, issue] = (parsed, number, cell)
    return out


def stances_from_grids(positions: Grid, saliences: Grid, col: Collector) -> list[dict[str, Any]]:
    """Stances of a workbook without a ``stances`` sheet: both grids give each one."""
    stances = []
    for key in dict.fromkeys([*positions, *saliences]):
        position, salience = positions.get(key), saliences.get(key)
        if position is None or salience is None:
            given = position or salience
            assert given is not None
            missing = "salience" if salience is None else "position"
            col.add(
                given[1],
                f"{'positions' if position else 'saliences'}.{key[1]}",
                f"{key[0]} has a {'position' if position else 'salience'} on {key[1]} "
                f"but no {missing}",
                expected=f"a value in the {missing}s grid too, or neither",
            )
            continue
        stances.append(
            {"actor": key[0], "issue": key[1], "position": position[0], "salience": salience[0]}
        )
    return stances


def check_against_stances(
    grids: dict[str, Grid], stances: Sequence[dict[str, Any]], lines: Sequence[int], col: Collector
) -> None:
    """Every grid cell must equal its stance's value (an error at both places if not)."""
    by_key = {
        (s.get("actor"), s.get("issue")): (s, line) for s, line in zip(stances, lines, strict=True)
    }
    for name, grid in grids.items():
        field = GRIDS[name]
        for (actor, issue), (value, number, cell) in grid.items():
            found = by_key.get((actor, issue))
            if found is None:
                col.add(
                    number,
                    f"{name}.{issue}",
                    f"{cell}: {actor} holds no stance on {issue} in sheet stances",
                    got=value,
                    expected="a stance row for it, or a blank cell",
                )
                continue
            stance, line = found
            if field in stance and stance[field] != value:
                col.add(
                    number,
                    f"{name}.{issue}",
                    f"{cell} differs from sheet stances, row {line}",
                    got=value,
                    expected=f"{stance[field]:g} as there, or change both",
                )
