"""Table formats that other negotiation tools and spreadsheets use, and a registry of them.

Each format module has ``read(path) -> Scenario``, ``check(path) -> (Scenario | None,
problems)`` and ``write(scenario, path)``. :data:`FORMATS` maps a format name to a
:class:`FileFormat`; :func:`read_any`, :func:`check_any` and :func:`write_any` pick the
format from a name or from the file (its extension and, for ``.csv``, its first line).

docs/formats.md describes each format and what converting to it loses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from zopa.io.files import read_prefix
from zopa.io.formats import bdm, decide, ktab, long_csv, xlsx
from zopa.io.formats._common import FEATURES, lost_features, raise_on_errors
from zopa.io.scenario_file import check_scenario, save_scenario

if TYPE_CHECKING:
    from collections.abc import Callable

    from zopa.io.errors import Problem
    from zopa.scenario import Scenario


class FormatError(ValueError):
    """A format name or file extension zopa does not know, or cannot use that way."""


@dataclass(frozen=True)
class FileFormat:
    """One scenario file format.

    Attributes:
        name: The name used with ``--from``/``--to``.
        extensions: File extensions that select this format (lower case, with the dot).
        description: One line for help texts.
        check: Reads a file, returns the scenario (``None`` on errors) and all problems.
        write: Writes a scenario to a file atomically.
        carries: What of a scenario the format keeps (keys of ``FEATURES``).
        options: Keyword options its reader takes (e.g. ``scale`` for ``bdm``).
    """

    name: str
    extensions: tuple[str, ...]
    description: str
    check: Callable[..., tuple[Scenario | None, list[Problem]]]
    write: Callable[[Scenario, Path | str], None]
    carries: frozenset[str] = frozenset(FEATURES)
    options: frozenset[str] = frozenset()

    def losses(self, scenario: Scenario) -> list[str]:
        """Words for what of ``scenario`` writing it in this format would lose."""
        return lost_features(scenario, self.carries)


def _check_yaml(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    return check_scenario(path)


def _write_yaml(scenario: Scenario, path: Path | str) -> None:
    save_scenario(scenario, path)


FORMATS: dict[str, FileFormat] = {
    "yaml": FileFormat(
        "yaml", (".yaml", ".yml"), "zopa scenario YAML (lossless)", _check_yaml, _write_yaml
    ),
    "json": FileFormat(
        "json", (".json",), "zopa scenario JSON (lossless)", _check_yaml, _write_yaml
    ),
    long_csv.NAME: FileFormat(
        long_csv.NAME,
        long_csv.EXTENSIONS,
        long_csv.DESCRIPTION,
        long_csv.check,
        long_csv.write,
        long_csv.CARRIES,
    ),
    xlsx.NAME: FileFormat(
        xlsx.NAME, xlsx.EXTENSIONS, xlsx.DESCRIPTION, xlsx.check, xlsx.write, xlsx.CARRIES
    ),
    ktab.NAME: FileFormat(
        ktab.NAME, ktab.EXTENSIONS, ktab.DESCRIPTION, ktab.check, ktab.write, ktab.CARRIES
    ),
    bdm.NAME: FileFormat(
        bdm.NAME,
        bdm.EXTENSIONS,
        bdm.DESCRIPTION,
        bdm.check,
        bdm.write,
        bdm.CARRIES,
        frozenset({"scale"}),
    ),
    decide.NAME: FileFormat(
        decide.NAME,
        decide.EXTENSIONS,
        decide.DESCRIPTION,
        decide.check,
        decide.write,
        decide.CARRIES,
    ),
}


def detect_format(
    path: Path | str, fmt: str | None = None, *, mode: Literal["read", "write"]
) -> FileFormat:
    """The format to use for ``path``: ``fmt`` if given, else from the extension.

    A ``.csv`` file being read is sniffed: a first field starting with ``#`` selects
    ``decide``, KTAB's first line (name, description and two counts) ``ktab``, anything
    else the long CSV.

    A header with Actor, Capability, Position and Salience and no Issue column selects
    ``bdm``. A ``.txt`` file whose first line (after comments) is ``zopa: ...`` is a
    scenario saved as text and is read as YAML; other ``.txt`` files are Decide files.

    Raises:
        FormatError: The name or extension is not known.
    """
    if fmt is not None:
        key = fmt.strip().lower()
        if key not in FORMATS:
            raise FormatError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
        return FORMATS[key]
    suffix = Path(path).suffix.lower()
    if suffix == ".csv" and mode == "read":
        return FORMATS[_sniff_csv(path)]
    if suffix == ".txt" and mode == "read" and _first_line(path).startswith("zopa:"):
        return FORMATS["yaml"]  # a zopa scenario saved as text, not a Decide file
    for spec in FORMATS.values():
        if suffix in spec.extensions:
            return spec
    known = sorted(ext for spec in FORMATS.values() for ext in spec.extensions)
    raise FormatError(
        f"cannot tell the format of {str(path)!r} from its extension {suffix or '(none)'!r}"
        f" (expected one of {', '.join(known)}, or name the format explicitly)"
    )


def _head_lines(path: Path | str) -> list[str]:
    """The lines of the first 64 KiB of a regular file ([] if it cannot be read)."""
    return read_prefix(path).decode("utf-8-sig", errors="replace").splitlines()


def _first_line(path: Path | str) -> str:
    """The first line of a file that is neither blank nor a ``#`` comment ('' if unreadable)."""
    return next((line for line in _head_lines(path) if line.strip() and line[0] != "#"), "")


def _sniff_csv(path: Path | str) -> str:
    """The name of the CSV dialect of a file, from its first non-blank line."""
    first = next((line for line in _head_lines(path) if line.strip()), "")
    if decide.sniff(first):
        return decide.NAME
    if ktab.sniff(first):
        return ktab.NAME
    if bdm.sniff(first):
        return bdm.NAME
    return long_csv.NAME


def check_any(
    path: Path | str, fmt: str | None = None, **options: Any
) -> tuple[Scenario | None, list[Problem]]:
    """Read a scenario in any known format; return it (``None`` on errors) and all problems.

    ``options`` go to the format's reader (e.g. ``scale=(0, 10)`` for ``bdm``); options
    given as ``None`` are ignored.

    Raises:
        FormatError: The format is unknown or does not take one of the options.
    """
    spec = detect_format(path, fmt, mode="read")
    given = {k: v for k, v in options.items() if v is not None}
    for name in given:
        if name not in spec.options:
            raise FormatError(f"the {spec.name} format takes no {name} option")
    return spec.check(path, **given)


def read_any(path: Path | str, fmt: str | None = None, **options: Any) -> Scenario:
    """Read a scenario in any known format (raises ``ScenarioError`` on errors)."""
    return raise_on_errors(check_any(path, fmt, **options))


def write_any(scenario: Scenario, path: Path | str, fmt: str | None = None) -> None:
    """Write a scenario in any known format, chosen by ``fmt`` or the extension."""
    detect_format(path, fmt, mode="write").write(scenario, path)


__all__ = [
    "FORMATS",
    "FileFormat",
    "FormatError",
    "check_any",
    "detect_format",
    "read_any",
    "write_any",
]
