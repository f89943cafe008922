"""Load and save scenario files (YAML and JSON, the same model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from zopa.io.atomic import atomic_write
from zopa.io.documents import Document, gc_paused, read_document
from zopa.io.errors import Problem, ScenarioError
from zopa.io.schema import FORMAT_VERSION
from zopa.io.validate import validate_document
from zopa.scenario import Scenario


def check_scenario(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    """Read and validate a scenario file; the scenario is ``None`` when there are errors."""
    with gc_paused():  # the document is freed before the collector resumes
        return _read_and_validate(path)


def _read_and_validate(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    doc, problems = read_document(Path(path), display=str(path))
    return check_parsed(doc, problems)


def check_parsed(doc: Document, parsed: list[Problem]) -> tuple[Scenario | None, list[Problem]]:
    """Validate a parsed document, with the problems its parser found.

    A document that could be read despite a parse problem (a duplicate key keeps its
    first value; a value with a custom tag is left out) is checked all the same, so that
    one run reports every mistake; a field whose value the parser left out is not
    reported again as missing or invalid.
    """
    if doc.data is None:
        if not parsed:  # the file holds a single null (``null``, ``~``)
            parsed = [
                doc.problem(
                    (),
                    "the file holds no data (only null)",
                    expected="a scenario: a mapping that starts with `zopa: 1`",
                )
            ]
        return None, parsed
    scenario, more = validate_document(doc)
    left_out = {p.path for p in parsed if p.message != "duplicate key"}
    problems = parsed + [p for p in more if not (p.path and p.path in left_out)]
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    if any(p.is_error for p in problems):
        return None, problems
    return scenario, problems


def check_data(
    data: Any, file: str, lines: dict[Any, int] | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Validate scenario data already in memory (e.g. built by an importer).

    ``lines`` maps field paths such as ``("stances", 3)`` to line numbers in the original
    file, so that importers of line-based formats can locate problems too.
    """
    return validate_document(Document(file, data, dict(lines or {})))


def load_scenario(path: Path | str) -> Scenario:
    """Read a valid scenario file, or raise :class:`ScenarioError` listing every problem."""
    scenario, problems = check_scenario(path)
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the file format (fields at their defaults omitted)."""
    data: dict[str, Any] = {"zopa": FORMAT_VERSION, "title": scenario.title}
    if scenario.as_of is not None:
        data["as_of"] = scenario.as_of
    if scenario.description:
        data["description"] = scenario.description
    data["sources"] = [
        _drop_none(
            {"id": s.id, "title": s.title, "url": s.url, "date": s.date, "publisher": s.publisher}
        )
        for s in scenario.sources
    ]
    data["actors"] = [
        _drop_none(
            {
                "id": a.id,
                "name": a.name,
                "capability": _number(a.capability),
                "veto": True if a.veto else None,
                "groups": list(a.groups),
                "notes": a.notes,
            }
        )
        for a in scenario.actors
    ]
    data["issues"] = [
        _drop_none(
            {
                "id": i.id,
                "name": i.name,
                "description": i.description,
                "scale": None
                if (i.scale.min, i.scale.max) == (0.0, 100.0)
                else {"min": _number(i.scale.min), "max": _number(i.scale.max)},
                "anchors": {_number(k): v for k, v in i.anchors.items()},
                "status_quo": None if i.status_quo is None else _number(i.status_quo),
                "outcome": None if i.outcome is None else _number(i.outcome),
            }
        )
        for i in scenario.issues
    ]
    data["stances"] = [
        _drop_none(
            {
                "actor": s.actor,
                "issue": s.issue,
                "position": _number(s.position),
                "salience": _number(s.salience),
                "red_line": None if s.red_line is None else _number(s.red_line),
                "range": None if s.range is None else [_number(x) for x in s.range],
                "sources": list(s.sources),
                "confidence": s.confidence.value if s.confidence else None,
                "notes": s.notes,
            }
        )
        for s in scenario.stances
    ]
    if not data["sources"]:
        del data["sources"]
    return data


def dump_scenario(scenario: Scenario, *, json_format: bool = False) -> str:
    """The scenario as YAML (default) or JSON text."""
    data = scenario_to_data(scenario)
    if json_format:
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    return yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


class _PlainDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """YAML with every value written out, never an anchor or alias.

    zopa's reader rejects aliases, and equal values read from a file (two sources' dates)
    can be one object in memory, which a plain dump would write as an alias.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def save_scenario(scenario: Scenario, path: Path | str) -> None:
    """Write the scenario to ``path`` atomically, as JSON for ``.json`` and YAML otherwise."""
    target = Path(path)
    atomic_write(target, dump_scenario(scenario, json_format=target.suffix.lower() == ".json"))
