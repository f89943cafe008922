"""Shared helpers for the table-format readers and writers.

Every reader collects the problems of the file's own layout in one pass (a
:class:`Collector`), builds the scenario data in the shape of the YAML format from what it
could read, and hands it to :func:`zopa.io.check_data`, which runs the same checks that
YAML and JSON files get, so a converted file is held to the same standard and every
problem is reported at once, located at the file's line.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from zopa.io.errors import Problem, ScenarioError
from zopa.io.files import MAX_FILE_BYTES, FileReadError, decode_error, read_bytes
from zopa.io.scenario_file import check_data
from zopa.scenario import Confidence

if TYPE_CHECKING:
    from zopa.scenario import Scenario

_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")


@dataclass
class Collector:
    """Gathers the problems of one file, with helpers that parse and locate cell values.

    Attributes:
        file: The file name used in every problem.
        problems: Problems found so far, in the order found.
        bad: Scenario paths (``stances[3].salience``) of cells already reported.
        decimal_comma: Whether numbers may be written ``0,5`` (semicolon-separated CSV).
    """

    file: str
    problems: list[Problem] = field(default_factory=list)
    bad: set[str] = field(default_factory=set)
    decimal_comma: bool = False

    def add(
        self,
        line: int | None,
        path: str,
        message: str,
        *,
        got: object = None,
        expected: str | None = None,
        hint: str | None = None,
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        """Record one problem."""
        self.problems.append(
            Problem(
                file=self.file,
                line=line,
                path=path,
                message=message,
                severity=severity,
                got=got,
                expected=expected,
                hint=hint,
            )
        )

    def warn(self, line: int | None, path: str, message: str, **kw: object) -> None:
        """Record a warning (does not stop the conversion)."""
        self.add(line, path, message, severity="warning", **kw)  # type: ignore[arg-type]

    @property
    def has_errors(self) -> bool:
        """Whether any recorded problem is an error."""
        return any(p.severity == "error" for p in self.problems)

    def number(
        self,
        value: object,
        line: int | None,
        path: str,
        *,
        at: str | None = None,
        required: bool = False,
        expected: str = "a number",
    ) -> float | None:
        """Parse a numeric cell; blank gives ``None`` (an error when ``required``).

        ``at`` is the field's path in the scenario data (``stances[3].salience``); when
        the cell is reported here, the same field is not reported again by the semantic
        checks.
        """
        out: float | None = None
        problem: tuple[str, object] | None = None
        if is_blank(value):
            if required:
                problem = ("missing value", None)
        elif isinstance(value, bool):
            problem = ("not a number", value)
        elif isinstance(value, int | float):
            try:
                out = float(value)
            except OverflowError:  # an integer wider than a float
                out = math.inf
        else:
            text = str(value).strip()
            if self.decimal_comma and _DECIMAL_COMMA.fullmatch(text):
                text = text.replace(",", ".")
            try:
                out = float(text)
            except ValueError:
                problem = ("not a number", str(value).strip())
        if out is not None and not math.isfinite(out):
            out, problem = None, ("not a finite number", value)
        if problem is not None:
            self.add(line, path, problem[0], got=problem[1], expected=expected)
            if at is not None:
                self.bad.add(at)
        return out

    def boolean(
        self, value: object, line: int | None, path: str, *, at: str | None = None
    ) -> bool | None:
        """Parse a yes/no cell; blank gives ``None``."""
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.add(line, path, "not a yes/no value", got=value, expected="true or false")
        if at is not None:
            self.bad.add(at)
        return None

    def confidence(
        self, value: object, line: int | None, path: str, *, at: str | None = None
    ) -> str | None:
        """Parse a confidence cell (low, medium, high); blank gives ``None``."""
        if is_blank(value):
            return None
        text = str(value).strip().lower()
        if text in {c.value for c in Confidence}:
            return text
        self.add(line, path, "unknown confidence", got=value, expected="low, medium or high")
        if at is not None:
            self.bad.add(at)
        return None


def is_blank(value: object) -> bool:
    """Whether a cell is empty (``None`` or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def text_or_none(value: object) -> str | None:
    """A stripped text cell, ``None`` when blank."""
    if is_blank(value):
        return None
    return str(value).strip()


def split_list(value: object) -> list[str]:
    """Split a semicolon-joined cell (``"a; b"``) into its non-blank items."""
    if is_blank(value):
        return []
    return [item.strip() for item in str(value).split(";") if item.strip()]


def join_list(items: tuple[str, ...] | list[str]) -> str:
    """Join items with ``;`` (the inverse of :func:`split_list`)."""
    return ";".join(items)


def safe_id(text: str, fallback: str) -> str:
    """A valid id made from free text, unchanged when it already is one.

    Runs of characters other than letters, digits, ``_``, ``-`` and ``.`` become ``_``;
    the id must start with a letter or digit; ``fallback`` when nothing is left.
    """
    text = text.strip()
    if _VALID_ID.fullmatch(text):
        return text
    out = _ID_UNSAFE.sub("_", text).lstrip("_.-").rstrip("_")[:64]
    return out or fallback


def format_number(value: float | None) -> str:
    """The shortest text that reads back as exactly ``value`` ("" for ``None``)."""
    if value is None:
        return ""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def finish(
    data: dict[str, Any],
    col: Collector,
    lines: dict[tuple[str | int, ...], int],
    *,
    carries_sources: bool = True,
) -> tuple[Scenario | None, list[Problem]]:
    """Run the checks every scenario gets on data a reader built; gather all problems.

    Args:
        data: The scenario in the shape of the YAML format (``zopa``, ``title``,
            ``actors``, ...), built from the file's cells. Cells that failed to parse are
            left out and listed in ``col.bad``.
        col: The reader's own problems.
        lines: The file line of each element, keyed like ``("stances", 3)``, so that
            semantic problems point into the file.
        carries_sources: False for formats that have no place for sources: the
            per-stance "cites no source" warnings are then folded into one.

    Returns:
        The scenario (``None`` when there is any error) and every problem, errors and
        warnings, in file order where a line is known.
    """
    scenario, semantic = check_data(data, col.file, lines)
    # A cell the reader already reported is missing from ``data``; do not report it twice.
    semantic = [p for p in semantic if p.path not in col.bad]
    if not carries_sources:
        unsourced = [p for p in semantic if p.message.endswith("cites no source")]
        semantic = [p for p in semantic if not p.message.endswith("cites no source")]
        if unsourced:
            col.warn(
                None,
                "sources",
                f"this format has no place for sources: {len(unsourced)} stance(s) cite none",
                hint="add sources in the YAML file after converting",
            )
    problems = [*col.problems, *semantic]
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    if scenario is None or any(p.is_error for p in problems):
        return None, problems
    return scenario, problems


def raise_on_errors(result: tuple[Scenario | None, list[Problem]]) -> Scenario:
    """The scenario of a ``check`` result, or :class:`ScenarioError` with its problems."""
    scenario, problems = result
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def percent(value: float) -> float:
    """``value`` x 100, exact in decimal (0.35 gives 35.0, not 35.00000000000001)."""
    return float(Decimal(repr(value)) * 100)


def from_percent(value: float) -> float:
    """``value`` / 100, exact in decimal (the inverse of :func:`percent`)."""
    return float(Decimal(repr(value)) / 100)


def rescale(value: float, low: float, high: float, new_low: float, new_high: float) -> float:
    """Map ``value`` linearly from ``[low, high]`` onto ``[new_low, new_high]``.

    The identity map returns ``value`` unchanged, so values on a scale that already matches
    are written exactly.
    """
    if (low, high) == (new_low, new_high):
        return value
    return new_low + (value - low) * (new_high - new_low) / (high - low)


FEATURES: dict[str, str] = {
    "title": "the title",
    "as_of": "the as-of date",
    "description": "the scenario description",
    "source details": "source titles, URLs, dates and publishers",
    "actor names": "actor names",
    "veto": "veto players",
    "groups": "actor groups",
    "actor notes": "actor notes",
    "issue names": "issue names",
    "issue descriptions": "issue descriptions",
    "issue scales": "issue scales other than 0..100",
    "anchors": "anchor texts",
    "status quo": "status quo points",
    "outcome": "observed outcomes",
    "red lines": "red lines",
    "ranges": "position ranges",
    "stance sources": "the sources cited by stances",
    "confidence": "confidence grades",
    "stance notes": "stance notes",
    "missing stances": "the absence of some stances (see docs/formats.md)",
    "several issues": "more than one issue",
}
"""What a scenario can hold that some formats cannot, with words for messages."""


def scenario_features(scenario: Scenario) -> set[str]:
    """The keys of :data:`FEATURES` that this scenario uses."""
    s = scenario
    found: set[str] = {"title"}
    checks = {
        "as_of": s.as_of is not None,
        "description": bool(s.description),
        "source details": any(
            src.title != src.id or src.url or src.date or src.publisher for src in s.sources
        ),
        "actor names": any(a.name != a.id for a in s.actors),
        "veto": any(a.veto for a in s.actors),
        "groups": any(a.groups for a in s.actors),
        "actor notes": any(a.notes for a in s.actors),
        "issue names": any(i.name != i.id for i in s.issues),
        "issue descriptions": any(i.description for i in s.issues),
        "issue scales": any((i.scale.min, i.scale.max) != (0.0, 100.0) for i in s.issues),
        "anchors": any(i.anchors for i in s.issues),
        "status quo": any(i.status_quo is not None for i in s.issues),
        "outcome": any(i.outcome is not None for i in s.issues),
        "red lines": any(st.red_line is not None for st in s.stances),
        "ranges": any(st.range is not None for st in s.stances),
        "stance sources": any(st.sources for st in s.stances),
        "confidence": any(st.confidence is not None for st in s.stances),
        "stance notes": any(st.notes for st in s.stances),
        "missing stances": len(s.stances) < len(s.actors) * len(s.issues),
        "several issues": len(s.issues) > 1,
    }
    return found | {name for name, present in checks.items() if present}


def lost_features(scenario: Scenario, carries: frozenset[str]) -> list[str]:
    """Words for what of ``scenario`` a format that ``carries`` these features loses."""
    return [FEATURES[f] for f in FEATURES if f in scenario_features(scenario) - carries]


def free_text(value: object) -> str | None:
    """A free-text cell kept exactly as written; ``None`` when blank."""
    if is_blank(value):
        return None
    return str(value)


def read_bytes_or_report(path: Path | str, col: Collector) -> bytes | None:
    """The bytes of a table file, or ``None`` with a located problem.

    Only a regular file of at most :data:`zopa.io.MAX_FILE_BYTES` is read, as for YAML
    files.
    """
    try:
        return read_bytes(path, col.file, limit=MAX_FILE_BYTES)
    except FileReadError as exc:
        col.problems.append(_as_file_problem(exc.problem))
        return None


def read_text(path: Path | str, col: Collector) -> str | None:
    """The text of a table file, or ``None`` with a located problem.

    Read as :func:`read_bytes_or_report` reads; line breaks are kept as written (inside
    quoted cells too: csv's advice).
    """
    raw = read_bytes_or_report(path, col)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        col.problems.append(_as_file_problem(decode_error(col.file, raw, exc)))
    return None


def _as_file_problem(problem: Problem) -> Problem:
    return problem if problem.path else replace(problem, path="(file)")


def csv_error(exc: Exception, what: str = "malformed CSV") -> str:
    """Words for a CSV parser's error (its field limit said with the limit in characters)."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    return f"{what}: {text}"


FORMULA_START = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP's list)."""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet will not run as a formula: ``'`` before ``= + - @``, tab, CR.

    Numbers (``-5``) are left alone. Text that already starts with quotes before such a
    character gets one more, so that :func:`restore` gives back exactly what was written.
    """
    bare = cell.lstrip("'")
    if bare[:1] in FORMULA_START and not (bare == cell and _is_number(cell)):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The text :func:`neutralise` was given (a cell not written by it is kept as is)."""
    if cell.startswith("'") and cell.lstrip("'")[:1] in FORMULA_START:
        return cell[1:]
    return cell


def cut_short(text: str, cells: int, width: int) -> bool:
    """Whether a file ends in the middle of its last row: no final line break, too few cells.

    A file cut short (an interrupted download or copy) otherwise reads as a valid file
    with its last row's later cells blank.
    """
    return bool(text) and not text.endswith(("\n", "\r")) and cells < width


CUT_SHORT = "the file ends in the middle of a row"


def csv_delimiter(first_line: str) -> str:
    """``;`` for the semicolon-separated CSV spreadsheets write in comma-decimal locales."""
    return ";" if first_line.count(";") > first_line.count(",") else ","
