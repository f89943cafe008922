"""Scenario and deal files in and out of the store, through the service's readers.

An upload is written to a private temporary folder under its own (sanitised) name and
read by :func:`zopa.service.load_scenario`, the same door as ``zopa validate``: any
format zopa reads, YAML through the same safe reader, every problem located and named
after the uploaded file.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from zopa import service

if TYPE_CHECKING:
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario

EXPORT_FORMATS = {
    "yaml": ("scenario.yaml", "application/yaml"),
    "xlsx": (
        "scenario.xlsx",
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ),
}
"""Formats a scenario can be downloaded in: name -> (file name, media type)."""


def safe_name(filename: str, default: str = "scenario.yaml") -> str:
    """A file name with no folder part and only plain characters (its extension kept)."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return name[:120] or default


def _renamed(problems: list[Problem], tmp: str, display: str) -> list[Problem]:
    return [replace(p, file=p.file.replace(tmp, display)) if p.file else p for p in problems]


def read_upload(filename: str, data: bytes) -> tuple[Scenario, list[Problem]]:
    """A scenario from an uploaded file in any known format, and its warnings.

    Raises:
        BadInput: Every problem of the file, located, named after ``filename``.
    """
    name = safe_name(filename)
    with tempfile.TemporaryDirectory(prefix="zopa-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            loaded = service.load_scenario(path)
        except service.BadInput as exc:
            raise service.BadInput(_renamed(exc.problems, str(path), name)) from None
    return loaded.scenario, _renamed(list(loaded.warnings), str(path), name)


def read_text(text: str, *, json_format: bool = False) -> tuple[Scenario, list[Problem]]:
    """A scenario from YAML (or JSON) text; :class:`~zopa.service.BadInput` on problems."""
    return read_upload("scenario.json" if json_format else "scenario.yaml", text.encode())


def canonical_text(scenario: Scenario) -> str:
    """The scenario as zopa writes it (YAML): what the store keeps and diffs."""
    from zopa.io import dump_scenario

    return dump_scenario(scenario)


def export(scenario: Scenario, fmt: str) -> bytes:
    """The scenario as a file in ``fmt`` (``yaml`` or ``xlsx``)."""
    from zopa.io.formats import write_any

    filename, _ = EXPORT_FORMATS[fmt]
    with tempfile.TemporaryDirectory(prefix="zopa-export-") as folder:
        path = Path(folder) / filename
        write_any(scenario, path)
        return path.read_bytes()


def deal_problems(name: str, text: str, scenario_text: str) -> list[Problem]:
    """Every problem of a deal file checked against the scenario it is kept with."""
    with deal_folder(scenario_text, {name: text}) as (_, paths):
        try:
            service.Loader().deals(paths)
        except service.BadInput as exc:
            return _renamed(exc.problems, str(paths[0].parent), "deals")
    return []


class deal_folder:  # noqa: N801  (used as a context manager, like tempfile's)
    """A temporary folder holding deal files and, below it, the scenario they point at.

    Each deal's top-level ``scenario:`` line is pointed at the scenario in the folder
    (``.scenario/scenario.yaml``, inside the deals' own folder tree, where a deal file
    may point), so the service's readers check the deals against the version asked for.
    """

    def __init__(self, scenario_text: str, deals: dict[str, str]) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="zopa-deals-")
        folder = Path(self._tmp.name) / "deals"
        (folder / ".scenario").mkdir(parents=True)
        self.scenario = folder / ".scenario" / "scenario.yaml"
        self.scenario.write_text(scenario_text, encoding="utf-8")
        self.paths = []
        for name, text in deals.items():
            path = folder / safe_name(name, "deal.yaml")
            pointed = re.sub(
                r"^scenario:.*$", "scenario: .scenario/scenario.yaml", text, count=1, flags=re.M
            )
            path.write_text(pointed, encoding="utf-8")
            self.paths.append(path)

    def __enter__(self) -> tuple[Path, list[Path]]:
        return self.scenario, self.paths

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()


class ScenarioCache:
    """Parsed scenarios by (scenario id, version number): versions never change."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[tuple[int, int], Scenario] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int], text: str) -> Scenario:
        """The scenario of a stored version, parsed once."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        scenario, _ = read_text(text)
        with self._lock:
            self._items[key] = scenario
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return scenario
