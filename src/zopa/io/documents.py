"""Read YAML and JSON documents safely, remembering the line of every field.

Only plain data is accepted: mappings, sequences, strings, numbers, booleans, null and
dates. Anchors and aliases (the vehicle of "billion laughs" alias bombs), custom tags and
duplicate keys are rejected with located messages, and files above a size limit are not
read at all. YAML is read in one pass over the parser's events (libyaml's where PyYAML
has it, :mod:`zopa.io.yaml_events`); JSON is read by :mod:`json`, and a quick pass over
its tokens finds the lines (:mod:`zopa.io.json_lines`).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zopa.io.errors import Problem
from zopa.io.field_paths import PathKey, deep_nesting, format_path, too_deep
from zopa.io.files import MAX_FILE_BYTES, FileReadError, decode_error, read_bytes
from zopa.io.json_lines import json_lines
from zopa.io.yaml_events import read_yaml

__all__ = [
    "MAX_FILE_BYTES",
    "Document",
    "PathKey",
    "format_path",
    "gc_paused",
    "parse_text",
    "read_document",
]


@dataclass
class Document:
    """Parsed data plus the 1-based line of every field, keyed by its path."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """The line of ``path`` or of its nearest located ancestor."""
        for k in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:k]))
            if found is not None:
                return found
        return None

    def problem(self, path: PathKey, message: str, **kw: Any) -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        return Problem(self.file, self.line(path), format_path(path), message, **kw)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large document is read and checked.

    Reading builds many small mappings and lists at once, and the collector would walk
    the growing data again and again (a third of the time of a 1 MB scenario). Plain data
    holds no reference cycles, so there is nothing for it to find; it resumes afterwards
    (only if it was running before).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_text(
    file: str, text: str, *, json_format: bool = False
) -> tuple[Document, list[Problem]]:
    """Parse YAML (or JSON) text into a :class:`Document`; problems instead of exceptions.

    YAML nested more deeply than the readers follow is refused before it is parsed (the
    YAML parser's time on deep brackets grows faster than the text).
    """
    try:
        if json_format:  # json's own parser meets deep nesting at no such cost
            return _parse_json(file, text)
        deep = deep_nesting(file, text)
        if deep is not None:
            return Document(file, None), [deep]
        data, lines, problems = read_yaml(file, text)
        return Document(file, data, lines), problems
    except RecursionError:
        located = deep_nesting(file, text)
        return Document(file, None), [located if located is not None else too_deep(file)]


def _parse_json(file: str, text: str) -> tuple[Document, list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Document(file, None), [
            Problem(file, exc.lineno, "", f"JSON syntax error: {exc.msg} (column {exc.colno})")
        ]
    lines, problems = json_lines(file, text)
    if lines is None:
        return Document(file, None), problems
    return Document(file, data, lines), problems


def read_document(path: Path, *, display: str | None = None) -> tuple[Document, list[Problem]]:
    """Read a YAML or JSON file (by extension; YAML otherwise) safely, with line numbers.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read (:mod:`zopa.io.files`).
    """
    file = display or str(path)
    try:
        raw = read_bytes(path, file)
    except FileReadError as exc:
        return Document(file, None), [exc.problem]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Document(file, None), [decode_error(file, raw, exc)]
    return parse_text(file, text, json_format=path.suffix.lower() == ".json")
