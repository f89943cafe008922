"""The long CSV format: one row per stance, actor and issue attributes repeated on each row.

Columns (any order, names case-insensitive; ``actor``, ``issue``, ``position``,
``salience`` and ``capability`` are required)::

    actor, issue, position, salience, capability,
    actor_name, veto, groups, actor_notes,
    issue_name, scale_min, scale_max, status_quo, outcome, issue_description,
    red_line, range_low, range_high, sources, confidence, notes

A row with an ``actor`` and no ``issue`` declares an actor (its actor columns only); a row
with an ``issue`` and no ``actor`` declares an issue. The writer emits such rows, first,
only when they are needed to keep actors or issues that hold no stance, or to keep the
scenario's order of actors and issues. Lists (``groups``, ``sources``) are joined with
``;``. What a flat table cannot carry (the title, ``as_of``, the description, anchors,
and the titles, URLs, dates and publishers of sources) is not written; see
docs/formats.md.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from zopa.io.atomic import atomic_write
from zopa.io.errors import Problem
from zopa.io.formats._common import (
    CUT_SHORT,
    FEATURES,
    Collector,
    csv_delimiter,
    csv_error,
    cut_short,
    finish,
    format_number,
    free_text,
    is_blank,
    join_list,
    neutralise,
    raise_on_errors,
    read_text,
    restore,
    split_list,
    text_or_none,
)
from zopa.scenario import Actor, Issue, Scenario

NAME = "csv"
EXTENSIONS = (".csv",)
CARRIES = frozenset(FEATURES) - {"title", "as_of", "description", "source details", "anchors"}
"""What of a scenario this format keeps (keys of ``FEATURES``)."""
DESCRIPTION = "long CSV, one row per stance (actor, issue, position, salience, capability, ...)"

COLUMNS: tuple[str, ...] = (
    "actor",
    "issue",
    "position",
    "salience",
    "capability",
    "actor_name",
    "veto",
    "groups",
    "actor_notes",
    "issue_name",
    "scale_min",
    "scale_max",
    "status_quo",
    "outcome",
    "issue_description",
    "red_line",
    "range_low",
    "range_high",
    "sources",
    "confidence",
    "notes",
)
REQUIRED: tuple[str, ...] = ("actor", "issue", "position", "salience", "capability")
ACTOR_COLUMNS: tuple[str, ...] = ("capability", "actor_name", "veto", "groups", "actor_notes")
ISSUE_COLUMNS: tuple[str, ...] = (
    "issue_name",
    "scale_min",
    "scale_max",
    "status_quo",
    "outcome",
    "issue_description",
)
STANCE_COLUMNS: tuple[str, ...] = (
    "position",
    "salience",
    "red_line",
    "range_low",
    "range_high",
    "sources",
    "confidence",
    "notes",
)

Row = dict[str, str]


def read(path: Path | str) -> Scenario:
    """Read a long CSV file (raises ``ScenarioError`` listing every problem)."""
    return raise_on_errors(check(path))


def check(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    """Read a long CSV file and return the scenario (or ``None``) and all problems."""
    file = str(path)
    col = Collector(file)
    text = read_text(path, col)
    if text is None:
        return None, col.problems
    rows = _rows(text, col)
    if rows is None:
        return None, col.problems
    return _build(rows, col, Path(path).stem)


def _rows(text: str, col: Collector) -> list[tuple[int, Row]] | None:
    """The data rows of the file, each with its line number, keyed by column name."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    col.decimal_comma = csv_delimiter(first) == ";"
    reader = csv.reader(io.StringIO(text), delimiter=csv_delimiter(first))
    header: list[str] | None = None
    rows: list[tuple[int, Row]] = []
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            record = [restore(cell) for cell in record]
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in record]
                if not _check_header(header, line, col):
                    return None
                continue
            if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                col.add(
                    line,
                    "(row)",
                    "more cells than header columns",
                    got=len(record),
                    expected=f"at most {len(header)}",
                )
            rows.append((line, dict(zip(header, record, strict=False))))
    except csv.Error as exc:
        col.add(reader.line_num, "(row)", csv_error(exc))
        return None
    if header is not None and rows and cut_short(text, len(record), len(header)):
        col.add(
            rows[-1][0],
            "(row)",
            CUT_SHORT,
            got=f"{len(record)} cell(s)",
            expected=f"{len(header)} cells, as in the header, and a line break",
            hint="the file may have been cut short; export it again",
        )
    if header is None:
        col.add(None, "(file)", "empty file", expected="a header row and one row per stance")
        return None
    return rows


def _check_header(header: list[str], line: int, col: Collector) -> bool:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            col.add(line, name, "duplicate column")
        seen.add(name)
        if name and name not in COLUMNS:
            col.warn(
                line,
                name,
                "unknown column ignored",
                got=name,
                expected="one of " + ", ".join(COLUMNS),
            )
    missing = [name for name in REQUIRED if name not in seen]
    for name in missing:
        col.add(line, name, "missing column", expected=", ".join(REQUIRED) + " in the header")
    return not missing and not col.has_errors


class _Attrs:
    """Attribute values of one actor or issue, merged over the rows that mention it."""

    def __init__(self, key: str, line: int) -> None:
        self.key = key
        self.line = line
        self.values: dict[str, tuple[object, int]] = {}

    def merge(self, name: str, value: object, line: int, col: Collector, what: str) -> None:
        if value is None:
            return
        if name in self.values and self.values[name][0] != value:
            first, first_line = self.values[name]
            col.add(
                line,
                name,
                f"{what} {self.key} has a different {name} on line {first_line}",
                got=value,
                expected=repr(first),
                hint="give an actor's (issue's) attributes the same value on every row",
            )
            return
        self.values.setdefault(name, (value, line))

    def get(self, name: str) -> object:
        return self.values[name][0] if name in self.values else None


def _build(
    rows: list[tuple[int, Row]], col: Collector, title: str
) -> tuple[Scenario | None, list[Problem]]:
    actors: dict[str, _Attrs] = {}
    issues: dict[str, _Attrs] = {}
    stances: list[dict[str, Any]] = []
    lines: dict[tuple[str | int, ...], int] = {}
    for line, row in rows:
        actor_id = text_or_none(row.get("actor"))
        issue_id = text_or_none(row.get("issue"))
        if actor_id is None and issue_id is None:
            col.add(line, "actor", "row names neither an actor nor an issue")
            continue
        if actor_id is not None:
            _merge_actor(actors.setdefault(actor_id, _Attrs(actor_id, line)), row, line, col)
        if issue_id is not None:
            _merge_issue(issues.setdefault(issue_id, _Attrs(issue_id, line)), row, line, col)
        if actor_id is None or issue_id is None:
            _no_stance_cells(row, line, col, "issue" if issue_id is None else "actor")
            continue
        lines["stances", len(stances)] = line
        stances.append(_stance(len(stances), actor_id, issue_id, row, line, col))
    sources: dict[str, int] = {}
    for k, stance in enumerate(stances):
        for source in stance.get("sources", []):
            sources.setdefault(source, lines["stances", k])
    for k, a in enumerate(actors.values()):
        lines["actors", k] = a.line
    for k, i in enumerate(issues.values()):
        lines["issues", k] = i.line
    for k, line in enumerate(sources.values()):
        lines["sources", k] = line
    data: dict[str, Any] = {
        "zopa": 1,
        "title": title,
        "sources": [{"id": sid, "title": sid} for sid in sources],
        "actors": [_actor(k, a, col) for k, a in enumerate(actors.values())],
        "issues": [_issue(i) for i in issues.values()],
        "stances": stances,
    }
    return finish(data, col, lines)


def _merge_actor(attrs: _Attrs, row: Row, line: int, col: Collector) -> None:
    capability = col.number(row.get("capability"), line, "capability", expected="a number >= 0")
    attrs.merge("capability", capability, line, col, "actor")
    attrs.merge("actor_name", free_text(row.get("actor_name")), line, col, "actor")
    attrs.merge("veto", col.boolean(row.get("veto"), line, "veto"), line, col, "actor")
    groups = split_list(row.get("groups"))
    attrs.merge("groups", groups or None, line, col, "actor")
    attrs.merge("actor_notes", free_text(row.get("actor_notes")), line, col, "actor")


def _merge_issue(attrs: _Attrs, row: Row, line: int, col: Collector) -> None:
    attrs.merge("issue_name", free_text(row.get("issue_name")), line, col, "issue")
    for name in ("scale_min", "scale_max", "status_quo", "outcome"):
        attrs.merge(name, col.number(row.get(name), line, name), line, col, "issue")
    description = free_text(row.get("issue_description"))
    attrs.merge("issue_description", description, line, col, "issue")


def _no_stance_cells(row: Row, line: int, col: Collector, missing: str) -> None:
    other = ACTOR_COLUMNS if missing == "actor" else ISSUE_COLUMNS
    for name in (*STANCE_COLUMNS, *other):
        if not is_blank(row.get(name)):
            col.add(
                line,
                name,
                f"value on a row without an {missing}",
                got=row[name],
                expected=f"an {missing} id on this row, or this cell empty",
            )


def _stance(k: int, actor: str, issue: str, row: Row, line: int, col: Collector) -> dict[str, Any]:
    at = f"stances[{k}]"
    out: dict[str, Any] = {"actor": actor, "issue": issue}
    for name in ("position", "salience", "red_line"):
        required = name != "red_line"
        value = col.number(row.get(name), line, name, at=f"{at}.{name}", required=required)
        if value is not None:
            out[name] = value
    low = col.number(row.get("range_low"), line, "range_low", at=f"{at}.range")
    high = col.number(row.get("range_high"), line, "range_high", at=f"{at}.range")
    if low is not None and high is not None:
        out["range"] = [low, high]
    elif (low is None) != (high is None) and f"{at}.range" not in col.bad:
        name = "range_high" if high is None else "range_low"
        col.add(
            line, name, "range needs both ends", expected="range_low and range_high, or neither"
        )
    sources = split_list(row.get("sources"))
    if sources:
        out["sources"] = sources
    confidence = col.confidence(row.get("confidence"), line, "confidence", at=f"{at}.confidence")
    if confidence is not None:
        out["confidence"] = confidence
    notes = free_text(row.get("notes"))
    if notes is not None:
        out["notes"] = notes
    return out


def _actor(k: int, attrs: _Attrs, col: Collector) -> dict[str, Any]:
    out: dict[str, Any] = {"id": attrs.key, "name": attrs.get("actor_name") or attrs.key}
    capability = attrs.get("capability")
    if capability is None:
        col.add(
            attrs.line,
            "capability",
            f"actor {attrs.key} has no capability on any row",
            expected="a number >= 0",
        )
        col.bad.add(f"actors[{k}].capability")
    else:
        out["capability"] = capability
    for column, name in (("veto", "veto"), ("groups", "groups"), ("actor_notes", "notes")):
        value = attrs.get(column)
        if value is not None:
            out[name] = value
    return out


def _issue(attrs: _Attrs) -> dict[str, Any]:
    out: dict[str, Any] = {"id": attrs.key, "name": attrs.get("issue_name") or attrs.key}
    scale = {
        end: attrs.get(f"scale_{end}")
        for end in ("min", "max")
        if attrs.get(f"scale_{end}") is not None
    }
    if scale:
        out["scale"] = scale
    for column, name in (
        ("status_quo", "status_quo"),
        ("outcome", "outcome"),
        ("issue_description", "description"),
    ):
        value = attrs.get(column)
        if value is not None:
            out[name] = value
    return out


def write(scenario: Scenario, path: Path | str) -> None:
    """Write a scenario as a long CSV file (atomically)."""
    atomic_write(path, dumps(scenario))


def dumps(scenario: Scenario) -> str:
    """The long CSV text of a scenario."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    actors = {a.id: a for a in scenario.actors}
    issues = {i.id: i for i in scenario.issues}
    if _needs_declarations(scenario):
        for a in scenario.actors:
            writer.writerow(_cells({**_actor_cells(a), "actor": a.id}))
        for i in scenario.issues:
            writer.writerow(_cells({**_issue_cells(i), "issue": i.id}))
    for s in scenario.stances:
        cells = {
            "actor": s.actor,
            "issue": s.issue,
            "position": format_number(s.position),
            "salience": format_number(s.salience),
            "red_line": format_number(s.red_line),
            "range_low": format_number(s.range[0]) if s.range else "",
            "range_high": format_number(s.range[1]) if s.range else "",
            "sources": join_list(s.sources),
            "confidence": s.confidence.value if s.confidence else "",
            "notes": s.notes or "",
        }
        if s.actor in actors:
            cells.update(_actor_cells(actors[s.actor]))
        if s.issue in issues:
            cells.update(_issue_cells(issues[s.issue]))
        writer.writerow(_cells(cells))
    return out.getvalue()


def _needs_declarations(scenario: Scenario) -> bool:
    """Whether the stance rows alone would lose actors, issues or their order."""
    actor_order = tuple(dict.fromkeys(s.actor for s in scenario.stances))
    issue_order = tuple(dict.fromkeys(s.issue for s in scenario.stances))
    return actor_order != scenario.actor_ids or issue_order != scenario.issue_ids


def _actor_cells(a: Actor) -> dict[str, str]:
    return {
        "capability": format_number(a.capability),
        "actor_name": a.name,
        "veto": "true" if a.veto else "false",
        "groups": join_list(a.groups),
        "actor_notes": a.notes or "",
    }


def _issue_cells(i: Issue) -> dict[str, str]:
    return {
        "issue_name": i.name,
        "scale_min": format_number(i.scale.min),
        "scale_max": format_number(i.scale.max),
        "status_quo": format_number(i.status_quo),
        "outcome": format_number(i.outcome),
        "issue_description": i.description or "",
    }


def _cells(values: dict[str, str]) -> list[str]:
    return [neutralise(values.get(name, "")) for name in COLUMNS]
