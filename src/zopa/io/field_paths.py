"""Paths to fields inside a parsed document, and the nesting limit of the readers."""

from __future__ import annotations

from zopa.io.errors import Problem

PathKey = tuple[str | int, ...]
"""A field's path, e.g. ``("stances", 3, "salience")``."""

MAX_DEPTH = 100
"""Deepest nesting of mappings and lists the readers accept (a scenario needs four)."""


def format_path(path: PathKey) -> str:
    """``("stances", 3, "salience")`` -> ``stances[3].salience``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def too_deep(file: str) -> Problem:
    """The problem of a file nested more deeply than the readers follow."""
    return Problem(
        file,
        None,
        "",
        "nested too deeply to read",
        expected="plain data a few levels deep (a scenario needs four)",
    )
