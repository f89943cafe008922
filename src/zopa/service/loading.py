"""Reading the files an analysis needs, each once: scenarios, deals, durability parameters.

A :class:`Loader` remembers what it has read, by resolved path, so that a report which
names one scenario and five deal files about it parses the scenario once. Every problem
found is raised at once as :class:`~zopa.service.errors.BadInput`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.io.loader import check_file
from zopa.service.errors import BadInput, argument_problem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from zopa.durability.deal import Deal
    from zopa.durability.parameters import DurabilityParameters
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario


@dataclass(frozen=True)
class ScenarioFile:
    """A valid scenario and the warnings its file gave.

    Attributes:
        path: The file as the user named it.
        scenario: The validated scenario.
        warnings: Located warnings (the file is usable despite them).
    """

    path: Path
    scenario: Scenario
    warnings: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain data in the file format (what ``zopa show`` prints)."""
        from zopa.io import scenario_to_data
        from zopa.service.results import jsonable

        data: dict[str, Any] = jsonable(scenario_to_data(self.scenario))
        return data


@dataclass(frozen=True)
class DealFile:
    """A valid deal file and the scenario it is about."""

    path: Path
    deal: Deal
    scenario: Scenario
    scenario_path: Path


@dataclass
class Loader:
    """Reads scenario, deal and parameter files, each at most once."""

    _checked: dict[Path, tuple[Scenario | None, list[Problem]]] = field(default_factory=dict)

    def check(
        self, path: Path | str, fmt: str | None = None, **options: Any
    ) -> tuple[Scenario | None, list[Problem]]:
        """A scenario file in any known format: the scenario (``None`` on errors), problems."""
        key = Path(path).resolve()
        if fmt is not None or options or key not in self._checked:
            checked = check_file(Path(path), fmt, **options)
            if fmt is not None or options:
                return checked
            self._checked[key] = checked
        return self._checked[key]

    def scenario(self, path: Path | str, *, strict: bool = False) -> ScenarioFile:
        """A valid scenario, or :class:`BadInput` with every problem of its file.

        With ``strict``, warnings count as errors. Another kind of zopa file (a deal
        file, a question file) gets one problem naming both kinds instead of a field
        error per missing scenario field.
        """
        scenario, problems = self.check(path)
        if scenario is None:
            raise BadInput(wrong_kind(path, "scenario") or problems)
        if strict and problems:
            raise BadInput(problems)
        return ScenarioFile(Path(path), scenario, tuple(problems))

    def deal(self, path: Path | str) -> DealFile:
        """A valid deal and its scenario, or :class:`BadInput` with every problem."""
        return self.deals([path])[0]

    def deals(self, paths: Sequence[Path | str]) -> list[DealFile]:
        """Valid deals, or :class:`BadInput` with every problem of every file at once.

        The scenario's own warnings are left out: they belong to the scenario.
        """
        from zopa.io.deal_file import check_deal, scenario_path

        loaded: list[DealFile] = []
        problems: list[Problem] = []
        for path in paths:
            deal, scenario, found = check_deal(path, scenario_loader=self.check)
            if deal is None:
                found = wrong_kind(path, "deal") or found
            problems += [p for p in found if p.is_error or p.file == str(path)]
            if deal is not None and scenario is not None:
                loaded.append(DealFile(Path(path), deal, scenario, scenario_path(path, deal)))
        if len(loaded) < len(paths):
            raise BadInput(problems)
        return loaded

    def parameters(self, path: Path | str | None = None) -> DurabilityParameters:
        """The durability parameters (default: those shipped with zopa), or BadInput."""
        from zopa.io.durability_parameters import check_durability_parameters

        params, problems = check_durability_parameters(path)
        if params is None:
            raise BadInput(problems)
        return params


FILE_KINDS = {
    "scenario": ("zopa", "docs/scenario-format.md"),
    "deal": ("zopa_deal", "docs/deal-format.md"),
    "questions": ("zopa_questions", "docs/questions.md"),
}
"""Each kind of zopa file: the key that marks it, and how a message names it."""


def file_kind(path: Path | str) -> str | None:
    """The kind of zopa file at ``path`` by its marker key (``None``: unknown or unreadable)."""
    from zopa.io.documents import read_document

    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json") or not path.is_file():
        return None
    doc, _ = read_document(path, display=str(path))
    if not isinstance(doc.data, dict):
        return None
    if "parameters" in doc.data and "horizon_years" in doc.data:
        return "durability parameters"
    return next((k for k, (key, _) in FILE_KINDS.items() if key in doc.data), None)


def wrong_kind(path: Path | str, expected: str) -> list[Problem]:
    """One problem when ``path`` is another kind of zopa file than ``expected``, else none."""
    from zopa.io.errors import Problem

    kind = file_kind(path)
    if kind is None or kind == expected:
        return []
    what = "a durability parameter file" if kind not in FILE_KINDS else f"a {kind} file"
    key, doc = FILE_KINDS[expected]
    return [
        Problem(
            str(path),
            None,
            "",
            f"this is {what}, not a {expected} file",
            expected=f"a {expected} file starting with `{key}: 1`; see {doc}",
        )
    ]


def load_scenario(path: Path | str, *, strict: bool = False) -> ScenarioFile:
    """Read a scenario file in any format zopa knows; :class:`BadInput` on errors."""
    return Loader().scenario(path, strict=strict)


def load_deal(path: Path | str) -> DealFile:
    """Read a deal file and its scenario; :class:`BadInput` on errors."""
    return Loader().deal(path)


def check_draws(draws: int, *, low: int, high: int, argument: str = "draws") -> None:
    """:class:`BadInput` unless ``low <= draws <= high``."""
    if not low <= draws <= high:
        raise BadInput(
            [argument_problem(argument, "out of range", got=draws, expected=f"{low}..{high}")]
        )
