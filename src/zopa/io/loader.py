"""One door for every scenario file: YAML, JSON and the table formats, by extension."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.io.formats import FormatError, check_any
from zopa.io.scenario_file import check_scenario

if TYPE_CHECKING:
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario


def check_file(
    path: Path | str, fmt: str | None = None, **options: Any
) -> tuple[Scenario | None, list[Problem]]:
    """Read a scenario in any known format; YAML when the extension says nothing.

    Returns the scenario (``None`` on errors) and every problem found, located.

    Raises:
        FormatError: ``fmt`` names no known format, or the format takes no such option.
    """
    if fmt is not None or options:
        return check_any(path, fmt, **options)
    try:
        return check_any(path)
    except FormatError:
        return check_scenario(Path(path))
