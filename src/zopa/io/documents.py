"""Read YAML and JSON documents safely, remembering the line of every field.

Only plain data is accepted: mappings, sequences, strings, numbers, booleans, null and
dates. Anchors and aliases (the vehicle of "billion laughs" alias bombs), custom tags and
duplicate keys are rejected with located messages, and files above a size limit are not
read at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from zopa.io.errors import Problem

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Largest file zopa reads (10 MiB): far above any real scenario, far below harm."""

PathKey = tuple[str | int, ...]

_EXPONENT_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")
"""Numbers in scientific notation that YAML 1.2 reads as floats but PyYAML (YAML 1.1)
reads as text: ``1e9``, ``-1.0e9``, ``2.5E3`` (YAML 1.1 wants a dot and a signed exponent)."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


def format_path(path: PathKey) -> str:
    """``("stances", 3, "salience")`` -> ``stances[3].salience``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


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


class _Walker:
    """Turns a composed YAML node tree into plain data and a line map."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")

    def walk(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                Problem(
                    self.file,
                    node.start_mark.line + 1,
                    format_path(path),
                    "custom YAML tags are not allowed",
                    got=node.tag,
                    expected="plain data (mappings, lists, strings, numbers, dates)",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(
                        Problem(
                            self.file,
                            key_node.start_mark.line + 1,
                            format_path(path),
                            "mapping keys must be plain scalars",
                        )
                    )
                    continue
                key = self._constructor.construct_object(key_node)
                key = key if isinstance(key, (str, int, float)) else str(key)
                if key in out:
                    self.problems.append(
                        Problem(
                            self.file,
                            key_node.start_mark.line + 1,
                            format_path((*path, str(key))),
                            "duplicate key",
                            got=str(key),
                            expected="each key once per mapping",
                            hint=f"first given on line {self.lines.get((*path, str(key)), '?')}",
                        )
                    )
                    continue
                out[key] = self.walk(value_node, (*path, str(key)))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, (*path, k)) for k, child in enumerate(node.value)]
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag == "tag:yaml.org,2002:str"
            and node.style is None  # plain, not quoted
            and _EXPONENT_FLOAT.fullmatch(node.value)
        ):
            return float(node.value)
        try:
            return self._constructor.construct_object(node)
        except ValueError:  # an impossible date such as 2026-13-45: the field's check says so
            return node.value


def _yaml_syntax_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc)
    return Problem(
        file,
        line,
        "",
        f"YAML syntax error: {what}",
        hint="check indentation, colons and quotes on this line and the one before",
    )


def _reject_aliases(file: str, text: str) -> list[Problem]:
    problems = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) or anchor is not None:
            problems.append(
                Problem(
                    file,
                    event.start_mark.line + 1 if event.start_mark else None,
                    "",
                    "YAML anchors and aliases are not allowed",
                    got=f"&{anchor}" if not isinstance(event, yaml.AliasEvent) else f"*{anchor}",
                    expected="each value written out in full",
                    hint="aliases can expand a small file into a huge one; write values out",
                )
            )
            if len(problems) >= 5:
                break
    return problems


def parse_text(
    file: str, text: str, *, json_format: bool = False
) -> tuple[Document, list[Problem]]:
    """Parse YAML (or JSON) text into a :class:`Document`; problems instead of exceptions."""
    try:
        return _parse_text(file, text, json_format=json_format)
    except RecursionError:
        return Document(file, None), [
            Problem(
                file,
                None,
                "",
                "nested too deeply to read",
                expected="plain data a few levels deep (a scenario needs four)",
            )
        ]


def _parse_text(file: str, text: str, *, json_format: bool) -> tuple[Document, list[Problem]]:
    json_data: Any = None
    if json_format:
        try:
            json_data = json.loads(text)
        except json.JSONDecodeError as exc:
            return Document(file, None), [
                Problem(file, exc.lineno, "", f"JSON syntax error: {exc.msg} (column {exc.colno})")
            ]
        try:  # JSON is read by json; YAML's reading of it serves only for line numbers
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return Document(file, json_data), []
        if node is None:
            return Document(file, json_data), []
        walker = _Walker(file)
        walker.walk(node, ())
        return Document(file, json_data, walker.lines), walker.problems
    try:
        alias_problems = _reject_aliases(file, text)
        if alias_problems:
            return Document(file, None), alias_problems
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return Document(file, None), [_yaml_syntax_problem(file, exc)]
    if node is None:
        return Document(file, None), [Problem(file, 1, "", "the file is empty")]
    walker = _Walker(file)
    try:
        data = walker.walk(node, ())
    except yaml.YAMLError as exc:
        return Document(file, None), [_yaml_syntax_problem(file, exc)]
    return Document(file, data, walker.lines), walker.problems


def read_document(path: Path, *, display: str | None = None) -> tuple[Document, list[Problem]]:
    """Read a YAML or JSON file (by extension; YAML otherwise) safely, with line numbers."""
    file = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Document(file, None), [Problem(file, None, "", f"cannot read file: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return Document(file, None), [
            Problem(
                file,
                None,
                "",
                "file is too large",
                got=f"{size} bytes",
                expected=f"at most {MAX_FILE_BYTES} bytes",
            )
        ]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Document(file, None), [
            Problem(file, None, "", f"not UTF-8 text (byte {exc.start})", expected="a UTF-8 file")
        ]
    except OSError as exc:
        return Document(file, None), [Problem(file, None, "", f"cannot read file: {exc.strerror}")]
    return parse_text(file, text, json_format=path.suffix.lower() == ".json")
