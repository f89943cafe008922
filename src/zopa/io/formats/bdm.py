"""The Bueno de Mesquita replication CSV: one issue, one row per actor.

Layout (column names case-insensitive, any order)::

    Actor,Capability,Position,Salience
    United States,100,80,60
    ...

The other common layout, of the public ports of the expected-utility model (e.g.
github.com/jmckib/bdm-scholz-expected-utility-model), names the first two columns
``Stakeholder`` and ``Resources``; it is read alike (``Stakeholder`` is the actor,
``Resources`` the capability).

Saliences are on 0..100 or on 0..1: when every salience in the file is at most 1, the
file is read as 0..1 and a warning says so (a 0..100 file whose saliences are all 0 or 1
would be misread; the warning names the choice). Positions are on any scale, which the
file does not state. Reading takes the scale from the caller when given
(``scale=(low, high)``, ``--scale LOW:HIGH`` on the command line); otherwise it is
0..100 when every position lies within 0..100, and the range of the positions (lowest
to highest) when not. The issue's id and name are the
file's name; each actor's name is its ``Actor`` cell and its id that text with characters
other than letters, digits, ``_``, ``-`` and ``.`` replaced by ``_``.

Writing needs a scenario with exactly one issue (pick one with ``--issue``); it writes the
actor ids, capabilities, positions on the issue's own scale and saliences times 100, and
leaves out actors without a stance on the issue. See docs/formats.md for what is lost.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from zopa.io.atomic import atomic_write
from zopa.io.errors import Problem, ScenarioError
from zopa.io.formats._common import (
    Collector,
    csv_delimiter,
    csv_error,
    finish,
    format_number,
    from_percent,
    neutralise,
    percent,
    raise_on_errors,
    read_text,
    restore,
    safe_id,
    text_or_none,
)
from zopa.scenario import Scenario

NAME = "bdm"
EXTENSIONS: tuple[str, ...] = ()  # shares .csv with the long CSV: chosen by flag or sniffing
CARRIES: frozenset[str] = frozenset()
"""What of a scenario this format keeps beyond actors, capabilities, positions, saliences."""
DESCRIPTION = "Bueno de Mesquita CSV: Actor,Capability,Position,Salience for one issue"

COLUMNS = ("actor", "capability", "position", "salience")
ALIASES = {"stakeholder": "actor", "resources": "capability"}
"""Column names of the other common layout, and the column each stands for."""


def _canonical(name: str) -> str:
    name = name.strip().lower()
    return ALIASES.get(name, name)


def sniff(first_line: str) -> bool:
    """Whether a file's first line is a BdM header (the four columns, no ``issue``)."""
    delimiter = csv_delimiter(first_line)
    try:
        cells = {_canonical(c) for c in next(csv.reader([first_line], delimiter=delimiter), [])}
    except csv.Error:
        return False
    return set(COLUMNS) <= cells and "issue" not in cells


def read(path: Path | str, *, scale: tuple[float, float] | None = None) -> Scenario:
    """Read a BdM CSV file (raises ``ScenarioError`` listing every problem)."""
    return raise_on_errors(check(path, scale=scale))


def check(
    path: Path | str, *, scale: tuple[float, float] | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Read a BdM CSV file and return the scenario (or ``None``) and all problems.

    Args:
        path: The file.
        scale: The issue's scale ``(low, high)``; inferred from the positions when
            ``None`` (see the module docstring).
    """
    col = Collector(str(path))
    text = read_text(path, col)
    if text is None:
        return None, col.problems
    first = next((line for line in text.splitlines() if line.strip()), "")
    col.decimal_comma = csv_delimiter(first) == ";"
    reader = csv.reader(io.StringIO(text), delimiter=csv_delimiter(first), skipinitialspace=True)
    header: dict[str, int] | None = None
    stem = Path(path).stem
    issue_id = safe_id(stem, "issue")
    actors: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    lines: dict[tuple[str | int, ...], int] = {}
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            cells = [restore(c.strip()) for c in record]
            if not any(cells):
                continue
            if header is None:
                header = _header(cells, line, col)
                if header is None:
                    return None, col.problems
                continue
            k = len(actors)
            lines["actors", k] = line
            lines["stances", k] = line
            actor, stance = _row(cells, header, line, k, issue_id, col)
            actors.append(actor)
            stances.append(stance)
    except csv.Error as exc:
        col.add(reader.line_num, "(row)", csv_error(exc))
        return None, col.problems
    if header is None:
        col.add(
            None, "(file)", "empty file", expected="a header Actor,Capability,Position,Salience"
        )
        return None, col.problems
    _saliences(stances, lines, col)
    issue: dict[str, Any] = {"id": issue_id, "name": stem or issue_id}
    positions = [s["position"] for s in stances if "position" in s]
    low, high = scale if scale is not None else _infer_scale(positions)
    if (low, high) != (0.0, 100.0):
        issue["scale"] = {"min": low, "max": high}
    data = {"zopa": 1, "title": stem or "BdM scenario", "actors": actors, "issues": [issue]}
    data["stances"] = stances
    return finish(data, col, lines, carries_sources=False)


def _saliences(
    stances: list[dict[str, Any]], lines: dict[tuple[str | int, ...], int], col: Collector
) -> None:
    """Saliences from 0..100 (or 0..1 when none exceeds 1, with a warning) onto 0..1."""
    raw = [s["salience"] for s in stances if "salience" in s]
    on_unit = bool(raw) and max(raw) <= 1.0
    if on_unit:
        first = min((lines["stances", k] for k, s in enumerate(stances) if "salience" in s))
        col.warn(
            first,
            "Salience",
            "saliences read on 0..1 (none exceeds 1)",
            expected="0..100, or 0..1 throughout",
        )
    if not on_unit:
        for stance in stances:
            if "salience" in stance:
                stance["salience"] = from_percent(stance["salience"])


def _header(cells: list[str], line: int, col: Collector) -> dict[str, int] | None:
    names = [_canonical(c) for c in cells]
    index = {name: names.index(name) for name in COLUMNS if name in names}
    for name in COLUMNS:
        if name not in index:
            other = next((a for a, n in ALIASES.items() if n == name), None)
            col.add(
                line,
                name.capitalize() + (f" (or {other.capitalize()})" if other else ""),
                "missing column",
                expected="Actor, Capability, Position, Salience",
            )
    for raw, name in zip(cells, names, strict=True):
        if name and name not in COLUMNS:
            col.warn(
                line, raw.strip().lower(), "unknown column ignored", expected=", ".join(COLUMNS)
            )
    return index if len(index) == len(COLUMNS) else None


def _row(
    cells: list[str], header: dict[str, int], line: int, k: int, issue: str, col: Collector
) -> tuple[dict[str, Any], dict[str, Any]]:
    def cell(name: str) -> str:
        i = header[name]
        return cells[i] if i < len(cells) else ""

    raw = cell("actor")
    actor_id = safe_id(raw, "")
    if not actor_id:
        col.add(line, "Actor", "missing value", expected="an actor name")
        col.bad.update({f"actors[{k}].id", f"actors[{k}].name", f"stances[{k}].actor"})
    actor: dict[str, Any] = {"id": actor_id, "name": text_or_none(raw) or actor_id}
    capability = col.number(
        cell("capability"),
        line,
        "Capability",
        at=f"actors[{k}].capability",
        required=True,
        expected="a number >= 0",
    )
    if capability is not None:
        actor["capability"] = capability
    stance: dict[str, Any] = {"actor": actor_id, "issue": issue}
    position = col.number(
        cell("position"), line, "Position", at=f"stances[{k}].position", required=True
    )
    if position is not None:
        stance["position"] = position
    salience = col.number(
        cell("salience"),
        line,
        "Salience",
        at=f"stances[{k}].salience",
        required=True,
        expected="a number in 0..100",
    )
    if salience is not None:
        if 0.0 <= salience <= 100.0:
            stance["salience"] = salience  # onto 0..1 once the file's scale is known
        else:
            col.add(line, "Salience", "outside 0..100", got=salience, expected="a number in 0..100")
            col.bad.add(f"stances[{k}].salience")
    return actor, stance


def _infer_scale(positions: list[float]) -> tuple[float, float]:
    """0..100 when every position fits in it, else the range of the positions."""
    if not positions or (min(positions) >= 0.0 and max(positions) <= 100.0):
        return 0.0, 100.0
    low, high = min(positions), max(positions)
    return (low, high) if low < high else (low - 1.0, high + 1.0)


def write(scenario: Scenario, path: Path | str) -> None:
    """Write a one-issue scenario as a BdM CSV file (atomically).

    Raises:
        ScenarioError: The scenario has more than one issue.
    """
    atomic_write(path, dumps(scenario, file=str(path)))


def dumps(scenario: Scenario, *, file: str = "<bdm>") -> str:
    """The BdM CSV text of a one-issue scenario."""
    if len(scenario.issues) != 1:
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "issues",
                    "the bdm format holds one issue",
                    got=", ".join(scenario.issue_ids),
                    expected="exactly one issue",
                    hint="name the one issue to write",
                )
            ]
        )
    issue = scenario.issues[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Actor", "Capability", "Position", "Salience"])
    for actor in scenario.actors:
        stance = scenario.stance(actor.id, issue.id)
        if stance is None:
            continue
        writer.writerow(
            [
                neutralise(actor.id),
                format_number(actor.capability),
                format_number(stance.position),
                format_number(percent(stance.salience)),
            ]
        )
    return out.getvalue()
