"""The input file of the Decide exchange model (decide-exchange-model, Stokman's equal gain).

One record per line, the first field saying what the line is; fields are tab-separated
and quoted (Decide's own files quote text with ``'``)::

    '#/'  'a comment'
    '#A'  'actor id'  'actor name'  'comment'
    '#P'  'issue id'  'issue name'  'description'
    '#M'  'issue id'  position  'what this position means'
    '#D'  'actor id'  'issue id'  position  salience  power  'comment'

``#M`` lines give points of an issue's scale; its lowest and highest are the scale's
ends (0..100 when an issue has none). Salience and power are on 0..1 by Decide's
convention (its reader accepts up to 100).

Reading: ``#A``/``#P`` give actors and issues (ids with characters other than letters,
digits, ``_``, ``-`` and ``.`` replaced by ``_``; the original id becomes the name when
no name is given), ``#M`` texts become anchors, ``#D`` lines stances with their comment
as notes; an actor's capability is its power (the mean, with a warning, when its ``#D``
lines disagree). Saliences above 1 mean the file uses 0..100: all are then divided by 100,
with a warning. The first ``#/`` comment, if any, becomes the title.

Writing: the title as a first ``#/`` comment; ``#A`` with the actor's notes as comment;
``#P`` with the issue's description; ``#M`` at both scale ends and at every anchor, in
ascending order; ``#D`` with salience on 0..1 and the capability as power, unchanged when
every capability is at most 100 (Decide's limit), else scaled so the largest is 100. Line
breaks in text become spaces (Decide's reader cannot take them). See docs/formats.md for
what is lost.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from zopa.io.atomic import atomic_write
from zopa.io.errors import Problem
from zopa.io.formats._common import (
    Collector,
    csv_error,
    finish,
    from_percent,
    neutralise,
    raise_on_errors,
    read_text,
    restore,
    safe_id,
    text_or_none,
)
from zopa.scenario import Scenario

NAME = "decide"
EXTENSIONS = (".txt", ".tsv")
CARRIES = frozenset(
    {
        "title",
        "actor names",
        "actor notes",
        "issue names",
        "issue descriptions",
        "issue scales",
        "anchors",
        "stance notes",
        "several issues",
        "missing stances",
    }
)
"""What of a scenario this format keeps (keys of ``FEATURES``)."""
DESCRIPTION = "Decide exchange-model input (#A actors, #P issues, #M scale points, #D stances)"

_COMMENTS = frozenset({"#/", "#0", "#O"})
_KINDS = ("#A", "#P", "#M", "#D")
_MAX_POWER = 100.0
_BREAKS = re.compile(r"\s*[\r\n\t]+\s*")


def sniff(first_line: str) -> bool:
    """Whether a file's first line looks like Decide's (a ``#`` record marker first)."""
    return first_line.strip().lstrip("'\"").startswith("#")


def read(path: Path | str) -> Scenario:
    """Read a Decide input file (raises ``ScenarioError`` listing every problem)."""
    return raise_on_errors(check(path))


def check(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    """Read a Decide input file and return the scenario (or ``None``) and all problems."""
    col = Collector(str(path))
    text = read_text(path, col)
    if text is None:
        return None, col.problems
    records = _records(text, col)
    if records is None:
        return None, col.problems
    return _Builder(col, Path(path).stem).build(records)


def _dialect(text: str) -> tuple[str, str]:
    """The delimiter and quote character of a Decide file, from its first record."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    quote = "'" if first.lstrip().startswith("'") else '"'
    return delimiter, quote


def _records(text: str, col: Collector) -> list[tuple[int, list[str]]] | None:
    delimiter, quote = _dialect(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote)
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
        col.add(reader.line_num, "(line)", csv_error(exc, "malformed line"))
        return None
    return out


class _Builder:
    """Turns Decide records into scenario data, collecting located problems."""

    def __init__(self, col: Collector, stem: str) -> None:
        self.col = col
        self.title: str | None = None
        self.stem = stem
        self.actors: dict[str, dict[str, Any]] = {}
        self.issues: dict[str, dict[str, Any]] = {}
        self.points: dict[str, list[tuple[float, str | None, int]]] = {}
        self.stances: list[tuple[int, dict[str, Any]]] = []
        self.powers: dict[str, list[tuple[float, int]]] = {}
        self.lines: dict[tuple[str | int, ...], int] = {}
        self.ids: dict[str, dict[str, tuple[str, int]]] = {"actor": {}, "issue": {}}

    def build(self, records: list[tuple[int, list[str]]]) -> tuple[Scenario | None, list[Problem]]:
        # definitions first, as Decide's reader does: #M and #D may name later #A/#P lines
        for line, cells in records:
            kind = cells[0]
            if kind in _COMMENTS:
                if self.title is None and len(cells) > 1 and not self.actors:
                    self.title = " ".join(cells[1:])
            elif kind == "#A":
                self._actor(line, cells)
            elif kind == "#P":
                self._issue(line, cells)
            elif kind not in {"#M", "#D"}:
                self.col.add(
                    line,
                    "(line)",
                    "unknown line type",
                    got=kind,
                    expected="#A, #P, #M, #D, or #/ for a comment",
                )
        for line, cells in records:
            if cells[0] == "#M":
                self._point(line, cells)
            elif cells[0] == "#D":
                self._stance(line, cells)
        return finish(self._data(), self.col, self.lines, carries_sources=False)

    def _new_id(self, kind: str, raw: str, line: int) -> str | None:
        if not raw:
            self.col.add(line, f"{kind} id", "missing value", expected=f"an {kind} id")
            return None
        known = self.ids[kind]
        ident = safe_id(raw, "")
        if raw in known:
            self.col.add(
                line,
                f"{kind} id",
                f"{kind} defined twice (first on line {known[raw][1]})",
                got=raw,
            )
            return None
        clash = [r for r, (i, _) in known.items() if i == ident]
        if clash or not ident:
            self.col.add(
                line,
                f"{kind} id",
                "id cannot be made safe without clashing" if clash else "id has no letter or digit",
                got=raw,
                expected="letters, digits, '_', '-' or '.'",
            )
            return None
        known[raw] = (ident, line)
        return ident

    def _fields(self, line: int, cells: list[str], names: tuple[str, ...]) -> list[str] | None:
        """The fields after the marker, the last one taking any overflow."""
        values = cells[1:]
        required = len(names) - 1  # the trailing comment is optional
        if len(values) < required:
            self.col.add(
                line,
                f"{cells[0]} line",
                "too few fields",
                got=len(values),
                expected=f"at least {required}: {', '.join(names[:required])}",
            )
            return None
        head, tail = values[: len(names) - 1], values[len(names) - 1 :]
        return [*head, " ".join(t for t in tail if t)]

    def _actor(self, line: int, cells: list[str]) -> None:
        self._entry("actor", self.actors, "notes", line, cells)

    def _issue(self, line: int, cells: list[str]) -> None:
        self._entry("issue", self.issues, "description", line, cells)

    def _entry(
        self,
        kind: str,
        entries: dict[str, dict[str, Any]],
        text_field: str,
        line: int,
        cells: list[str],
    ) -> None:
        """An ``#A`` or ``#P`` line: id, name, then free text kept in ``text_field``."""
        raw = cells[1] if len(cells) > 1 else ""
        name = cells[2] if len(cells) > 2 else ""
        text = " ".join(c for c in cells[3:] if c)
        ident = self._new_id(kind, raw, line)
        if ident is None:
            return
        self.lines[f"{kind}s", len(entries)] = line
        entry: dict[str, Any] = {"id": ident, "name": name or raw}
        if text:
            entry[text_field] = text
        entries[ident] = entry

    def _ref(self, kind: str, raw: str, line: int, at: str | None) -> str | None:
        if raw in self.ids[kind]:
            return self.ids[kind][raw][0]
        self.col.add(
            line,
            kind,
            f"unknown {kind}",
            got=raw,
            expected=f"an id defined on a #{'A' if kind == 'actor' else 'P'} line",
        )
        if at is not None:
            self.col.bad.add(at)
        return None

    def _point(self, line: int, cells: list[str]) -> None:
        fields = self._fields(line, cells, ("issue", "position", "description"))
        if fields is None:
            return
        issue = self._ref("issue", fields[0], line, None)
        value = self.col.number(fields[1], line, "position", required=True)
        if issue is not None and value is not None:
            self.points.setdefault(issue, []).append((value, text_or_none(fields[2]), line))

    def _stance(self, line: int, cells: list[str]) -> None:
        fields = self._fields(
            line, cells, ("actor", "issue", "position", "salience", "power", "comment")
        )
        if fields is None:
            return
        k = len(self.stances)
        at = f"stances[{k}]"
        actor = self._ref("actor", fields[0], line, f"{at}.actor")
        issue = self._ref("issue", fields[1], line, f"{at}.issue")
        stance: dict[str, Any] = {"actor": actor or fields[0], "issue": issue or fields[1]}
        position = self.col.number(fields[2], line, "position", at=f"{at}.position", required=True)
        salience = self.col.number(
            fields[3],
            line,
            "salience",
            at=f"{at}.salience",
            required=True,
            expected="a number in 0..1",
        )
        power = self.col.number(fields[4], line, "power", required=True, expected="a number >= 0")
        if position is not None:
            stance["position"] = position
        if salience is not None:
            stance["salience"] = salience
        if fields[5]:
            stance["notes"] = fields[5]
        if actor is not None and power is not None:
            self.powers.setdefault(actor, []).append((power, line))
        self.lines["stances", k] = line
        self.stances.append((line, stance))

    def _data(self) -> dict[str, Any]:
        self._percent_saliences()
        for k, (ident, actor) in enumerate(self.actors.items()):
            powers = self.powers.get(ident, [])
            values = sorted({p for p, _ in powers})
            if not values:
                self.col.warn(
                    self.lines["actors", k],
                    "power",
                    f"no #D line gives actor {ident} a power; capability set to 0",
                )
                actor["capability"] = 0.0
                continue
            actor["capability"] = sum(p for p, _ in powers) / len(powers)
            if len(values) > 1:
                self.col.warn(
                    powers[0][1],
                    "power",
                    f"actor {ident} has different powers on different issues; zopa keeps one"
                    f" capability per actor and uses their mean {actor['capability']:g}",
                    got=values,
                )
        for k, (ident, issue) in enumerate(self.issues.items()):
            self._scale(k, ident, issue)
        return {
            "zopa": 1,
            "title": self.title or self.stem,
            "actors": list(self.actors.values()),
            "issues": list(self.issues.values()),
            "stances": [stance for _, stance in self.stances],
        }

    def _percent_saliences(self) -> None:
        high = [(line, s["salience"]) for line, s in self.stances if s.get("salience", 0) > 1]
        if not high:
            return
        self.col.warn(
            high[0][0],
            "salience",
            "saliences above 1: the file is read as using 0..100 and all saliences are"
            " divided by 100",
            got=high[0][1],
        )
        for _, stance in self.stances:
            if "salience" in stance:
                stance["salience"] = from_percent(stance["salience"])

    def _scale(self, k: int, ident: str, issue: dict[str, Any]) -> None:
        points = self.points.get(ident, [])
        if not points:
            return  # Decide's default scale, 0..100
        values = [v for v, _, _ in points]
        if len(set(values)) < 2:
            self.col.add(
                points[0][2],
                "position",
                f"issue {ident} has one scale point; its scale needs two",
                got=values[0],
                expected="#M lines at the lowest and the highest position",
            )
            self.col.bad.add(f"issues[{k}].scale")
            return
        issue["scale"] = {"min": min(values), "max": max(values)}
        anchors = {v: text for v, text, _ in points if text}
        if anchors:
            issue["anchors"] = anchors


def write(scenario: Scenario, path: Path | str) -> None:
    """Write a scenario as a Decide input file (atomically)."""
    atomic_write(path, dumps(scenario))


def dumps(scenario: Scenario) -> str:
    """The Decide input text of a scenario (tab-separated, text quoted with ``'``)."""
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter="\t", quotechar="'", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n"
    )
    _write(writer, ["#/", _flat(scenario.title)])
    for a in scenario.actors:
        _write(writer, ["#A", a.id, _flat(a.name), _flat(a.notes)])
    for i in scenario.issues:
        _write(writer, ["#P", i.id, _flat(i.name), _flat(i.description)])
        points = {i.scale.min: "", i.scale.max: ""} | dict(i.anchors)
        for value in sorted(points):
            _write(writer, ["#M", i.id, float(value), _flat(points[value])])
    top = max((a.capability for a in scenario.actors), default=0.0)
    factor = 1.0 if top <= _MAX_POWER else _MAX_POWER / top
    power = {a.id: a.capability * factor for a in scenario.actors}
    for s in scenario.stances:
        row: list[object] = ["#D", s.actor, s.issue, s.position, s.salience, power[s.actor]]
        if s.notes:
            row.append(_flat(s.notes))
        _write(writer, row)
    return out.getvalue()


def _write(writer: Any, row: list[object]) -> None:
    """One record, its text cells neutralised for spreadsheets (numbers as they are)."""
    writer.writerow([neutralise(c) if isinstance(c, str) else c for c in row])


def _flat(text: str | None) -> str:
    """Text on one line, line breaks and tabs made single spaces.

    Decide's reader guesses the file's layout from its start and fails on quoted line
    breaks.
    """
    return _BREAKS.sub(" ", text or "").strip()
