"""Check scenario files and report every problem, located: what ``zopa validate`` shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.service.loading import Loader
from zopa.service.results import Result

if TYPE_CHECKING:
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario


@dataclass(frozen=True, eq=False)
class FileCheck:
    """One file's verdict.

    Attributes:
        path: The file as named.
        scenario: The scenario, ``None`` when the file has errors.
        problems: Every problem found, errors and warnings.
        valid: Whether the file is usable (with ``strict``, also free of warnings).
    """

    path: Path
    scenario: Scenario | None
    problems: tuple[Problem, ...]
    valid: bool

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return len(self.problems) - self.errors


@dataclass(frozen=True, eq=False)
class ValidationResult(Result):
    """The verdict on every file checked."""

    files: tuple[FileCheck, ...]

    @property
    def valid(self) -> bool:
        """Whether every file is valid."""
        return all(f.valid for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa validate``."""
        return {
            "files": [
                {
                    "file": str(f.path),
                    "valid": f.valid,
                    "errors": f.errors,
                    "warnings": f.warnings,
                    "problems": [p.to_dict() for p in f.problems],
                }
                for f in self.files
            ]
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per problem, with its file, line, field and severity."""
        return [
            {
                "file": p.file,
                "line": p.line,
                "path": p.path,
                "severity": p.severity,
                "message": p.message,
                "got": p.got,
                "expected": p.expected,
                "hint": p.hint,
            }
            for f in self.files
            for p in f.problems
        ]


def validate(paths: Sequence[Path | str], *, strict: bool = False) -> ValidationResult:
    """Check scenario files in any known format; never raises for a file's problems.

    With ``strict``, a file with warnings is not valid.
    """
    loader = Loader()
    checks = []
    for path in paths:
        scenario, problems = loader.check(path)
        valid = scenario is not None and not (strict and problems)
        checks.append(FileCheck(Path(path), scenario, tuple(problems), valid))
    return ValidationResult(tuple(checks))
