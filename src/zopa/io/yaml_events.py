"""Read YAML into plain data and the line of every field, in one pass over its events.

The parser's events become data directly, without a node tree and without a second
parse: libyaml parses when PyYAML was built with it, PyYAML's own parser otherwise, and
both give the same data, lines and problems. Only plain data is accepted. An anchor or an
alias (the vehicle of "billion laughs" alias bombs) is a problem as soon as its event
arrives, and no alias is ever expanded; custom tags, duplicate keys and keys that are not
plain scalars are located problems; files nested more deeply than
:data:`~zopa.io.field_paths.MAX_DEPTH` are not read.

Which problem a broken file reports follows the parser's order of work: a syntax error
anywhere in the stream comes first, then anchors and aliases (at most five), then a
second document, then a key that cannot be read. Nesting too deep stops reading at once.
A file libyaml finds broken is read again by PyYAML's parser, so that its syntax error
has the same words and line on both paths (only broken files pay for this).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from zopa.io.errors import Problem
from zopa.io.field_paths import MAX_DEPTH, PathKey, format_path, too_deep

Loader = type[yaml.SafeLoader] | type[yaml.CSafeLoader]

PURE_LOADER: Loader = yaml.SafeLoader
"""PyYAML's parser, written in Python."""

FAST_LOADER: Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
"""libyaml's parser where PyYAML has it, PyYAML's own otherwise."""

_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
_MAX_ALIAS_PROBLEMS = 5

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

_EXPONENT_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")
"""Numbers in scientific notation that YAML 1.2 reads as floats but PyYAML (YAML 1.1)
reads as text: ``1e9``, ``-1.0e9``, ``2.5E3`` (YAML 1.1 wants a dot and a signed exponent)."""

_NO_KEY: Any = object()
"""Marks a mapping whose next event is a key, not a value."""

_PLAIN = (True, False)
"""The ``implicit`` flags of an untagged plain scalar."""


class _Collection:
    """A mapping or list being filled, and where it sits in the document."""

    __slots__ = ("is_list", "key", "key_path", "out", "path", "skip_value")

    def __init__(self, out: dict[Any, Any] | list[Any], path: PathKey) -> None:
        self.out: Any = out
        self.is_list = type(out) is list
        self.path = path
        self.key: Any = _NO_KEY  # the key waiting for its value
        self.key_path: PathKey = ()
        self.skip_value = False  # the value after a rejected key is not read


class _StopReadingError(Exception):
    """Reading ends here; :meth:`_EventReader.outcome` says why."""


class _EventReader:
    """Turns the parser's events into data, a line map and problems."""

    def __init__(self, file: str, loader: yaml.SafeLoader | yaml.CSafeLoader) -> None:
        self.file = file
        self.loader: Any = loader  # PyYAML's stubs type neither resolve() nor C marks
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self.aliases: list[Problem] = []
        self.data: Any = None
        self.documents = 0
        self.another_document: Any = None
        self.key_error: yaml.YAMLError | None = None
        self.building = True
        self.stack: list[_Collection] = []
        self.top: _Collection | None = None
        self.depth = 0
        self.deep_line: int | None = None  # where the nesting went too deep
        self.skip = 0  # nesting level inside a node that is passed over
        self._values: dict[str, Any] = {}  # untagged plain scalar -> its value
        self._keys: dict[str, Any] = {}  # untagged plain scalar -> the key it makes

    # --------------------------------------------------------------- the event loop

    def read(self) -> None:
        """Read every event of the stream (or up to the reason to stop).

        Plain scalars in mappings and lists, the bulk of any file, are read inline here;
        the rest goes through the methods below.
        """
        get_event = self.loader.get_event
        lines = self.lines
        values = self._values
        keys = self._keys
        while True:
            event: Any = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    self._alias(event)
                top = self.top
                if self.skip or not self.building:
                    continue
                if top is None:
                    self._root_scalar(event)
                    continue
                out = top.out
                path: PathKey
                if top.is_list:
                    path = (*top.path, len(out))
                elif top.key is _NO_KEY:  # a key, or the value of a rejected key
                    if top.skip_value:
                        top.skip_value = False
                        continue
                    plain = event.tag is None and event.implicit[0]
                    key = keys.get(event.value, _NO_KEY) if plain else _NO_KEY
                    if key is _NO_KEY or key in out:
                        self._key(top, event)
                    else:
                        top.key = key
                        top.key_path = (*top.path, str(key))
                    continue
                else:
                    path = top.key_path
                lines[path] = event.start_mark.line + 1
                if event.tag is not None:
                    value = self._construct(event, None, path)
                elif not event.implicit[0]:  # quoted, untagged: text
                    value = event.value
                else:
                    value = values.get(event.value, _NO_KEY)
                    if value is _NO_KEY:
                        value = self._plain(event, path)
                if top.is_list:
                    out.append(value)
                else:
                    out[top.key] = value
                    top.key = _NO_KEY
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None:
                    self._alias(event)
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    self.deep_line = event.start_mark.line + 1
                    raise _StopReadingError
                if self.skip:
                    self.skip += 1
                elif self.building:
                    self._start(event, kind is MappingStartEvent)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self.depth -= 1
                if self.skip:
                    self.skip -= 1
                elif self.building:
                    self.stack.pop()
                    self.top = self.stack[-1] if self.stack else None
            elif kind is AliasEvent:
                self._alias(event)
            elif kind is DocumentStartEvent:
                self.documents += 1
                if self.documents == 2:
                    self.another_document = event
                    self.building = False
            elif kind is StreamEndEvent:
                return

    def _alias(self, event: Any) -> None:
        """An anchor or alias: a problem, and no more building (nothing is expanded)."""
        alias = type(event) is AliasEvent
        self.aliases.append(
            Problem(
                self.file,
                event.start_mark.line + 1 if event.start_mark else None,
                "",
                "YAML anchors and aliases are not allowed",
                got=f"*{event.anchor}" if alias else f"&{event.anchor}",
                expected="each value written out in full",
                hint="aliases can expand a small file into a huge one; write values out",
            )
        )
        self.building = False
        if len(self.aliases) >= _MAX_ALIAS_PROBLEMS:
            raise _StopReadingError

    # --------------------------------------------------------------- keys

    def _key(self, top: _Collection, event: Any) -> None:
        """Take ``event`` as the next key of ``top``, or report why it cannot be one."""
        plain = event.tag is None and event.implicit[0]
        key = self._keys.get(event.value, _NO_KEY) if plain else _NO_KEY
        if key is _NO_KEY:
            key = self._construct_key(event)
            if not self.building:  # the key could not be read
                return
            if plain:
                self._keys[event.value] = key
        if key in top.out:
            key_path = (*top.path, str(key))
            self.problems.append(
                Problem(
                    self.file,
                    event.start_mark.line + 1,
                    format_path(key_path),
                    "duplicate key",
                    got=str(key),
                    expected="each key once per mapping",
                    hint=f"first given on line {self.lines.get(key_path, '?')}",
                )
            )
            top.skip_value = True
            return
        top.key = key
        top.key_path = (*top.path, str(key))

    def _construct_key(self, event: Any) -> Any:
        try:
            key = self.loader.construct_object(self._node(event))
        except yaml.YAMLError as exc:  # e.g. a custom tag: the constructor has none
            self.key_error = exc
            self.building = False
            return None
        except (ValueError, KeyError, AttributeError, TypeError):
            return event.value  # a key such as 2026-13-45 that is no valid date: its text
        return key if isinstance(key, str | int | float) else str(key)

    # --------------------------------------------------------------- scalar values

    def _node(self, event: Any, tag: str | None = None) -> ScalarNode:
        if tag is None:
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.loader.resolve(ScalarNode, event.value, event.implicit)
        return ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)

    def _plain(self, event: Any, path: PathKey) -> Any:
        """The value of an untagged plain scalar, remembered for the next one alike."""
        tag = self.loader.resolve(ScalarNode, event.value, _PLAIN)
        value = self._construct(event, tag, path)
        if tag in _PLAIN_TAGS:
            self._values[event.value] = value
        return value

    def _construct(self, event: Any, tag: str | None, path: PathKey) -> Any:
        node = self._node(event, tag)
        if node.tag not in _PLAIN_TAGS:
            self._custom_tag(event, node.tag, path)
            return None
        if node.tag == _STR and not event.style and _EXPONENT_FLOAT.fullmatch(event.value):
            return float(event.value)
        try:
            return self.loader.construct_object(node)
        except ValueError:  # an impossible date such as 2026-13-45: the field's check says so
            return event.value
        except (KeyError, AttributeError, TypeError):  # `!!bool maybe`, `!!timestamp abc`
            self.problems.append(
                Problem(
                    self.file,
                    event.start_mark.line + 1,
                    format_path(path),
                    f"not a valid {node.tag.rsplit(':', 1)[-1]}",
                    got=event.value,
                    expected="a value of the type its tag names, or no tag",
                )
            )
            return None

    def _root_scalar(self, event: Any) -> None:
        self.lines[()] = event.start_mark.line + 1
        if event.tag is None and not event.implicit[0]:
            self.data = event.value
        else:
            self.data = self._construct(event, None, ())

    # --------------------------------------------------------------- collections

    def _start(self, event: Any, mapping: bool) -> None:
        """A mapping or list starts: place it, or pass over it."""
        top = self.top
        path: PathKey
        if top is None:
            path = ()
        elif top.is_list:
            path = (*top.path, len(top.out))
        elif top.key is not _NO_KEY:
            path = top.key_path
        elif top.skip_value:  # the value of a rejected key
            top.skip_value = False
            self.skip = 1
            return
        else:  # a mapping or list as a key: it and its value are passed over
            self.problems.append(
                Problem(
                    self.file,
                    event.start_mark.line + 1,
                    format_path(top.path),
                    "mapping keys must be plain scalars",
                )
            )
            top.skip_value = True
            self.skip = 1
            return
        self.lines[path] = event.start_mark.line + 1
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
            self._custom_tag(event, tag, path)
            self._put(None)
            self.skip = 1
            return
        out: dict[Any, Any] | list[Any] = {} if mapping else []
        self._put(out)
        self.top = _Collection(out, path)
        self.stack.append(self.top)

    def _put(self, value: Any) -> None:
        top = self.top
        if top is None:
            self.data = value
        elif top.is_list:
            top.out.append(value)
        else:
            top.out[top.key] = value
            top.key = _NO_KEY

    def _custom_tag(self, event: Any, tag: str, path: PathKey) -> None:
        self.problems.append(
            Problem(
                self.file,
                event.start_mark.line + 1,
                format_path(path),
                "custom YAML tags are not allowed",
                got=tag,
                expected="plain data (mappings, lists, strings, numbers, dates)",
            )
        )

    # --------------------------------------------------------------- the outcome

    def outcome(self) -> tuple[Any, dict[PathKey, int], list[Problem]]:
        """Data, lines and problems, after :meth:`read` returned."""
        if self.aliases:
            return None, {}, self.aliases
        if self.another_document is not None:
            mark = self.another_document.start_mark
            exc = yaml.composer.ComposerError(
                "expected a single document in the stream",
                None,
                "but found another document",
                mark,
            )
            return None, {}, [syntax_problem(self.file, exc)]
        if self.documents == 0:
            return None, {}, [Problem(self.file, 1, "", "the file is empty")]
        if self.key_error is not None:
            return None, {}, [syntax_problem(self.file, self.key_error)]
        return self.data, self.lines, self.problems


def syntax_problem(file: str, exc: yaml.YAMLError) -> Problem:
    """A located problem from a YAML parser error."""
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


def read_yaml(
    file: str, text: str, *, loader: Loader = FAST_LOADER
) -> tuple[Any, dict[PathKey, int], list[Problem]]:
    """Parse YAML ``text`` into plain data, the line of every field, and its problems.

    Args:
        file: The file's name as the user gave it, for the problems.
        text: The file's text.
        loader: The PyYAML loader class whose parser, resolver and constructor read the
            text; libyaml's by default, where PyYAML has it.

    Returns:
        The data (``None`` when a problem prevents reading), the 1-based line of every
        field keyed by its path, and the problems found.
    """
    try:
        parser = loader(text)
    except yaml.YAMLError as exc:  # PyYAML's reader checks the characters first
        return None, {}, [syntax_problem(file, exc)]
    reader = _EventReader(file, parser)
    try:
        reader.read()
    except _StopReadingError:
        if reader.depth > MAX_DEPTH:
            return None, {}, [too_deep(file, reader.deep_line)]
    except yaml.YAMLError as exc:
        if getattr(exc, "problem", None) == _LIBYAML_TOO_DEEP:
            mark = getattr(exc, "problem_mark", None)
            return None, {}, [too_deep(file, mark.line + 1 if mark is not None else None)]
        if loader is not PURE_LOADER:  # the messages and lines of PyYAML's parser
            return read_yaml(file, text, loader=PURE_LOADER)
        return None, {}, [syntax_problem(file, exc)]
    finally:
        parser.dispose()
    return reader.outcome()
