"""Located problems in user files, and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return _show(value)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a user's file, located as precisely as the format allows.

    Attributes:
        file: The file as the user named it.
        line: 1-based line number, or ``None`` when the format has no lines.
        path: Dotted path to the field, e.g. ``stances[3].salience``.
        message: What is wrong, in plain words.
        severity: ``"error"`` (the file cannot be used) or ``"warning"``.
        got: The offending value, if any.
        expected: What was expected instead.
        hint: How to fix it, where a hint helps.
    """

    file: str
    line: int | None
    path: str
    message: str
    severity: Severity = "error"
    got: object = None
    expected: str | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether this problem makes the file unusable."""
        return self.severity == "error"

    def format(self) -> str:
        """``FILE:LINE: path: message (got X, expected Y)``, then the hint on its own line."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        if self.severity == "warning":
            where += ": warning"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        detail = []
        if self.got is not None:
            detail.append(f"got {_show(self.got)}")
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        if detail:
            text += f" ({', '.join(detail)})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary of this problem."""
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "got": _jsonable(self.got),
            "expected": self.expected,
            "hint": self.hint,
        }


class ScenarioError(Exception):
    """A user file could not be used; ``problems`` says every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error]
        first = errors[0].format() if errors else "no details"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)
