"""KTAB's SMP CSV input (the KAPSARC Toolkit for Behavioral Analysis, spatial model).

Layout::

    <scenario name>,<description>,<nActors>,<nDims>,
    Actor,Description,Influence,<dim 1> Position,<dim 1> Salience,...,
    <actor id>,<actor name>,<influence>,<position>,<salience>,...,

Positions and saliences are on 0..100; trailing commas and space-padded fields are
allowed. Reading gives issues on the scale 0..100 with saliences divided by 100; each
dimension's label (the position header without its trailing "Position") becomes the
issue's name, and the label with unsafe characters replaced by ``_`` its id. Writing
rescales each issue's positions linearly onto 0..100, multiplies saliences by 100, labels
dimensions with the issue ids, and writes an actor without a stance on an issue at the
midpoint with salience 0. Commas and line breaks inside names would break KTAB's reader,
so they are written as ``;`` and spaces. See docs/formats.md for what is lost.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from zopa.io.atomic import atomic_write
from zopa.io.errors import Problem
from zopa.io.formats._common import (
    Collector,
    csv_error,
    finish,
    format_number,
    from_percent,
    neutralise,
    percent,
    raise_on_errors,
    read_text,
    rescale,
    restore,
    safe_id,
    text_or_none,
)
from zopa.scenario import Scenario

NAME = "ktab"
EXTENSIONS: tuple[str, ...] = ()  # shares .csv with the long CSV: chosen by flag or sniffing
CARRIES = frozenset({"title", "description", "actor names", "several issues"})
"""What of a scenario this format keeps (keys of ``FEATURES``)."""
DESCRIPTION = "KTAB SMP CSV (name,description,nActors,nDims; 0-100 positions and saliences)"

_FIXED = ("Actor", "Description", "Influence")


def sniff(first_line: str) -> bool:
    """Whether a file's first line looks like KTAB's (name, description, two counts)."""
    try:
        cells = [c.strip() for c in next(csv.reader([first_line]), [])]
    except csv.Error:
        return False
    while cells and not cells[-1]:
        cells.pop()
    return len(cells) == 4 and cells[2].isdigit() and cells[3].isdigit()


def read(path: Path | str) -> Scenario:
    """Read a KTAB SMP CSV file (raises ``ScenarioError`` listing every problem)."""
    return raise_on_errors(check(path))


def check(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    """Read a KTAB SMP CSV file and return the scenario (or ``None``) and all problems."""
    col = Collector(str(path))
    text = read_text(path, col)
    if text is None:
        return None, col.problems
    records = _records(text, col)
    if records is None:
        return None, col.problems
    if len(records) < 2:
        col.add(
            None,
            "(file)",
            "too short",
            got=f"{len(records)} non-empty line(s)",
            expected="a title line, a header line and one line per actor",
        )
        return None, col.problems
    return _build(records, col)


def _records(text: str, col: Collector) -> list[tuple[int, list[str]]] | None:
    """Non-empty records with their line numbers, cells stripped, trailing blanks dropped."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    out: list[tuple[int, list[str]]] = []
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            cells = [restore(c.strip()) for c in record]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                out.append((line, cells))
    except csv.Error as exc:
        col.add(reader.line_num, "(row)", csv_error(exc))
        return None
    return out


def _count(cells: list[str], k: int, name: str, line: int, col: Collector) -> int | None:
    if len(cells) <= k:
        col.add(line, name, "missing value", expected="a whole number")
        return None
    try:
        value = int(cells[k])
    except ValueError:
        col.add(line, name, "not a whole number", got=cells[k], expected="a whole number")
        return None
    if value < 1:
        col.add(line, name, "must be at least 1", got=value, expected=">= 1")
        return None
    return value


def _build(
    records: list[tuple[int, list[str]]], col: Collector
) -> tuple[Scenario | None, list[Problem]]:
    (line1, first), (line2, header), *rows = records
    n_actors = _count(first, 2, "nActors", line1, col)
    n_dims = _count(first, 3, "nDims", line1, col)
    if len(first) > 4:
        col.add(line1, "(row 1)", "extra values", got=first[4:], expected="4 values")
    header_dims = max(0, (len(header) - len(_FIXED)) // 2)
    if n_dims is None:
        n_dims = header_dims
    elif len(header) != len(_FIXED) + 2 * n_dims:
        col.add(
            line2,
            "(header)",
            "wrong number of columns for nDims",
            got=len(header),
            expected=f"{len(_FIXED) + 2 * n_dims} (3 + 2 x nDims = {n_dims})",
        )
        n_dims = header_dims  # what the file holds, never the declared count, is read
    if n_actors is not None and len(rows) != n_actors:
        col.add(
            line1,
            "nActors",
            "does not match the number of actor lines",
            got=n_actors,
            expected=str(len(rows)),
        )
    labels = [_label(header, k) for k in range(n_dims)]
    issues = _issues(labels)
    lines: dict[tuple[str | int, ...], int] = {("issues", k): line2 for k in range(n_dims)}
    actors: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    width = len(_FIXED) + 2 * n_dims
    for line, cells in rows:
        if len(cells) != width:
            col.add(
                line,
                "(row)",
                "wrong number of values",
                got=len(cells),
                expected=f"{width} (Actor, Description, Influence, and a Position,"
                f" Salience pair for each of {n_dims} dimension(s))",
            )
            continue
        k = len(actors)
        lines["actors", k] = line
        actor_id = safe_id(cells[0], "")
        if not actor_id:
            col.add(line, "Actor", "missing value", expected="an actor id")
            col.bad.update(f"stances[{len(stances) + d}].actor" for d in range(n_dims))
            col.bad.update({f"actors[{k}].id", f"actors[{k}].name"})
        actor: dict[str, Any] = {"id": actor_id, "name": text_or_none(cells[1]) or actor_id}
        capability = col.number(
            cells[2],
            line,
            "Influence",
            at=f"actors[{k}].capability",
            required=True,
            expected="a number >= 0",
        )
        if capability is not None:
            actor["capability"] = capability
        actors.append(actor)
        for d, issue in enumerate(issues):
            j = len(stances)
            lines["stances", j] = line
            stance: dict[str, Any] = {"actor": actor_id, "issue": issue["id"]}
            pos = _percent_cell(
                cells[3 + 2 * d], line, f"{labels[d]} Position", col, f"stances[{j}].position"
            )
            sal = _percent_cell(
                cells[4 + 2 * d], line, f"{labels[d]} Salience", col, f"stances[{j}].salience"
            )
            if pos is not None:
                stance["position"] = pos
            if sal is not None:
                stance["salience"] = from_percent(sal)
            stances.append(stance)
    data: dict[str, Any] = {
        "zopa": 1,
        "title": first[0] if first and first[0] else "KTAB scenario",
        "actors": actors,
        "issues": issues,
        "stances": stances,
    }
    if len(first) > 1 and first[1]:
        data["description"] = first[1]
    return finish(data, col, lines, carries_sources=False)


def _label(header: list[str], k: int) -> str:
    """The label of dimension ``k``: its position header without a trailing "Position"."""
    index = len(_FIXED) + 2 * k
    text = header[index] if index < len(header) else ""
    if text.lower().endswith("position"):
        text = text[: -len("position")].strip()
    return text or f"dim{k + 1}"


def _issues(labels: list[str]) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = []
    used: set[str] = set()
    for k, label in enumerate(labels):
        issue_id = safe_id(label, f"dim{k + 1}")
        if issue_id in used:
            issue_id = f"{issue_id}_{k + 1}"
        used.add(issue_id)
        issues.append({"id": issue_id, "name": label})
    return issues


def _percent_cell(text: str, line: int, path: str, col: Collector, at: str) -> float | None:
    value = col.number(text, line, path, at=at, required=True, expected="a number in 0..100")
    if value is not None and not 0.0 <= value <= 100.0:
        col.add(line, path, "outside 0..100", got=value, expected="a number in 0..100")
        col.bad.add(at)
        return None
    return value


def write(scenario: Scenario, path: Path | str) -> None:
    """Write a scenario as a KTAB SMP CSV file (atomically)."""
    atomic_write(path, dumps(scenario))


def dumps(scenario: Scenario) -> str:
    """The KTAB SMP CSV text of a scenario (positions rescaled onto 0..100)."""
    lines: list[list[str]] = []
    n_a, n_i = len(scenario.actors), len(scenario.issues)
    lines.append([_clean(scenario.title), _clean(scenario.description or ""), str(n_a), str(n_i)])
    header = list(_FIXED)
    for issue in scenario.issues:
        header += [f"{_clean(issue.id)} Position", f"{_clean(issue.id)} Salience"]
    lines.append(header)
    for actor in scenario.actors:
        row = [_clean(actor.id), _clean(actor.name), format_number(actor.capability)]
        for issue in scenario.issues:
            s = scenario.stance(actor.id, issue.id)
            lo, hi = issue.scale.min, issue.scale.max
            if s is None:
                row += [format_number(50.0), "0"]
            else:
                pos = rescale(s.position, lo, hi, 0.0, 100.0)
                row += [format_number(round(pos, 10)), format_number(percent(s.salience))]
        lines.append(row)
    return "".join(",".join(neutralise(c) for c in cells) + ",\n" for cells in lines)


def _clean(text: str) -> str:
    """Text safe for KTAB's comma splitter: no commas, quotes or line breaks."""
    return " ".join(text.replace(",", ";").replace('"', "'").split())
