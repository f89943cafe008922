"""The line of every field of a JSON text, and its duplicate keys, in one quick pass.

:mod:`json` reads the data but keeps no positions and lets a repeated key silently
replace the first. This pass runs over text that :func:`json.loads` has already accepted
and scans only its tokens (a key with the start of its value, a bracket, a value in a
list), never building values, to record where each field starts and to report each key
given twice in one object.
"""

from __future__ import annotations

import json
import re
from typing import Any

from zopa.io.errors import Problem
from zopa.io.field_paths import MAX_DEPTH, PathKey, format_path, too_deep

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_LITERAL = r'[^\s,:\[\]{}"]+'
_TOKEN = re.compile(
    rf"({_STRING})\s*:\s*(?:([\[{{])|{_STRING}|{_LITERAL})"  # 1: key, 2: its value opens
    rf"|([\[{{])"  # 3: a list item or the document opens
    rf"|([\]}}])"  # 4: closes
    rf"|{_STRING}|{_LITERAL}"  # a list item or the document
)
"""One token: the group that matched (``lastindex``) says which kind."""

_KEY, _KEY_OPENS, _OPENS, _CLOSES = 1, 2, 3, 4


class _Frame:
    """An object (its keys so far) or a list (its next index) being scanned."""

    __slots__ = ("keys", "next_index", "path")

    def __init__(self, path: PathKey, opening: str) -> None:
        self.path = path
        self.keys: set[str] | None = set() if opening == "{" else None
        self.next_index = 0


def json_lines(file: str, text: str) -> tuple[dict[PathKey, int] | None, list[Problem]]:
    """The 1-based line of every field of valid JSON ``text``, and its duplicate keys.

    Args:
        file: The file's name as the user gave it, for the problems.
        text: JSON text that :func:`json.loads` accepts.

    Returns:
        The line of every field keyed by its path (``None`` when the text is nested more
        deeply than the readers follow), and the problems: each repeated key (its value
        is then not located), or the nesting.
    """
    lines: dict[PathKey, int] = {}
    problems: list[Problem] = []
    stack: list[_Frame] = []
    top: _Frame | None = None
    skip = 0  # nesting level inside a value that is passed over
    line, counted = 1, 0  # the line at text offset ``counted``
    count = text.count
    for match in _TOKEN.finditer(text):
        kind = match.lastindex
        if kind == _CLOSES:
            if skip:
                skip -= 1
            else:
                stack.pop()
                top = stack[-1] if stack else None
            continue
        if skip:
            if kind in (_KEY_OPENS, _OPENS):
                skip += 1
            continue
        end = match.end()  # no newline inside a string: the value starts on the end's line
        line += count("\n", counted, end)
        counted = end
        path: PathKey
        if kind in (_KEY, _KEY_OPENS):
            assert top is not None
            assert top.keys is not None
            key = _decode(match.group(_KEY))
            path = (*top.path, key)
            if key in top.keys:
                key_line = line - count("\n", match.start(), end)
                problems.append(_duplicate(file, key_line, path, lines.get(path)))
                if kind == _KEY_OPENS:
                    skip = 1
                continue
            top.keys.add(key)
        elif top is None:
            path = ()
        else:
            path = (*top.path, top.next_index)
            top.next_index += 1
        lines[path] = line
        if kind in (_KEY_OPENS, _OPENS):
            if len(stack) >= MAX_DEPTH:
                return None, [too_deep(file, line)]
            top = _Frame(path, text[end - 1])
            stack.append(top)
    return lines, problems


def _duplicate(file: str, line: int, path: PathKey, first: int | None) -> Problem:
    return Problem(
        file,
        line,
        format_path(path),
        "duplicate key",
        got=str(path[-1]),
        expected="each key once per mapping",
        hint=f"first given on line {first if first is not None else '?'}",
    )


def _decode(string: str) -> str:
    if "\\" not in string:
        return string[1:-1]
    decoded: Any = json.loads(string)
    return str(decoded)
