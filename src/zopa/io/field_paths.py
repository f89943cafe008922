"""Paths to fields inside a parsed document, and the nesting limit of the readers."""

from __future__ import annotations

import re

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


_RUN = re.compile(r"(?<![\[{\s])[\[{\s]{" + str(MAX_DEPTH + 1) + ",}")
"""A run of opening brackets and blanks, long enough to hold too many brackets; each run
is matched from its start only, so the search is linear in the text."""


def deep_nesting(file: str, text: str) -> Problem | None:
    """The problem of text that opens more lists or mappings at once than the readers follow.

    A cheap check run before the YAML parser: a run of more than :data:`MAX_DEPTH` ``[``
    or ``{`` separated only by blanks (the shape that costs a YAML parser seconds) is
    nesting too deep, whatever follows. A run that starts inside a quoted text or a
    comment on its line is text, not nesting, and is left to the parser. Deep nesting of
    other shapes is found by the readers as they go, at no such cost.
    """
    for match in _RUN.finditer(text):
        run = match.group()
        if run.count("[") + run.count("{") <= MAX_DEPTH:
            continue
        start = match.start() + len(run) - len(run.lstrip())
        line_start = text.rfind("\n", 0, start) + 1
        if _in_text(text[line_start:start]):
            continue
        return too_deep(file, text.count("\n", 0, start) + 1)
    return None


def _in_text(before: str) -> bool:
    """Whether what follows ``before`` on its line is inside quotes or a comment."""
    return before.count('"') % 2 == 1 or before.count("'") % 2 == 1 or "#" in before


def too_deep(file: str, line: int | None = None) -> Problem:
    """The problem of a file nested more deeply than the readers follow."""
    return Problem(
        file,
        line,
        "",
        "nested too deeply to read",
        expected="plain data a few levels deep (a scenario needs four)",
    )
