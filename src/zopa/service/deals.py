"""Which deals are possible: the zone of agreement, colliding red lines, solutions, agenda."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from zopa.service.errors import AnalysisFailed, BadInput, argument_problem
from zopa.service.overrides import Overrides, apply_overrides
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from zopa.agreements.analysis import DealAnalysis
    from zopa.agreements.results import Solution
    from zopa.agreements.utility import Loss
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario

LOSSES = ("linear", "quadratic")
METHODS = ("auto", "enumeration", "milp")
GRID_RANGE = (2, 201)


@dataclass(frozen=True, eq=False)
class DealsResult(Result):
    """The deal-space analysis of a scenario (see :class:`~zopa.agreements.DealAnalysis`)."""

    scenario: Scenario
    analysis: DealAnalysis

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa deals`` (docs/deals.md)."""
        data: dict[str, Any] = jsonable(self.analysis.as_dict())
        return data

    def _packages(self) -> list[tuple[str, str, Solution]]:
        """(package, source, solution): the zone's solutions, then the core deal's."""
        from zopa.agreements.solutions import CONCEPTS

        a = self.analysis
        out = [(c, "zone", a.solutions[c]) for c in CONCEPTS]
        if a.core is not None:
            out += [(c, "core", a.core.solutions[c]) for c in CONCEPTS]
        return out

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per package and actor: utility and gain (packages that exist only).

        Columns: ``package`` (bargaining solution), ``source`` (``zone``, or ``core``: the
        core deal with colliding issues set aside), ``actor``, ``party`` (whose consent
        is needed), ``utility`` and ``gain`` over no agreement.
        """
        parties = set(self.analysis.parties)
        return [
            {
                "package": name,
                "source": source,
                "actor": actor,
                "party": actor in parties,
                "utility": sol.utilities[actor],
                "gain": sol.gains[actor],
            }
            for name, source, sol in self._packages()
            if sol.package is not None
            for actor in self.analysis.space.actor_ids
        ]

    def package_rows(self) -> list[dict[str, Any]]:
        """One row per package and issue: the value (packages that exist only).

        Columns: ``package``, ``source`` (as in :meth:`to_rows`), ``issue``, ``value``
        (NaN: left at the status quo where there is none).
        """
        return [
            {"package": name, "source": source, "issue": issue, "value": value}
            for name, source, sol in self._packages()
            if sol.package is not None
            for issue, value in sol.package.items()
        ]


def option_problems(*, grid: int, loss: str, method: str) -> list[Problem]:
    """What is wrong with the deal-space options, every problem at once."""
    problems = []
    if not GRID_RANGE[0] <= grid <= GRID_RANGE[1]:
        problems.append(
            argument_problem(
                "grid", "out of range", got=grid, expected=f"{GRID_RANGE[0]}..{GRID_RANGE[1]}"
            )
        )
    if loss not in LOSSES:
        problems.append(argument_problem("loss", "unknown loss", got=loss, expected=_or(LOSSES)))
    if method not in METHODS:
        problems.append(
            argument_problem("method", "unknown method", got=method, expected=_or(METHODS))
        )
    return problems


def _or(choices: Sequence[str]) -> str:
    return ", ".join(choices[:-1]) + " or " + choices[-1]


def deals(
    scenario: Scenario,
    *,
    grid: int = 11,
    loss: str = "linear",
    method: str = "auto",
    parties: Sequence[str] | None = None,
    overrides: Overrides | None = None,
) -> DealsResult:
    """Analyse the deal space: who accepts what, what collides, which packages to propose.

    Args:
        scenario: The negotiation.
        grid: Evenly spaced levels per issue (2..201).
        loss: ``"linear"`` or ``"quadratic"`` utility loss.
        method: ``"auto"`` (enumerate up to 10^7 packages, MILP above), ``"enumeration"``
            or ``"milp"``.
        parties: Actors who must accept (default: the veto players).
        overrides: What-if changes to the scenario (positions, saliences, capabilities,
            actors dropped), checked like a file; the result records them.

    Raises:
        BadInput: Bad options or unknown parties (every problem at once).
        AnalysisFailed: The analysis cannot be done this way (e.g. too large to enumerate).
    """
    from zopa.agreements.analysis import analyse_deals

    scenario = apply_overrides(scenario, overrides)
    problems = option_problems(grid=grid, loss=loss, method=method)
    if parties is not None:
        unknown = sorted(set(parties) - set(scenario.actor_ids))
        if unknown:
            problems.append(
                argument_problem(
                    "parties",
                    f"unknown actor(s) {', '.join(unknown)}",
                    expected=f"actor ids of the scenario ({', '.join(scenario.actor_ids)})",
                )
            )
        if not parties:
            problems.append(
                argument_problem(
                    "parties",
                    "expected at least one actor id, e.g. RU,UA",
                    hint="leave it out for the veto players",
                )
            )
    if problems:
        raise BadInput(problems)
    try:
        analysis = analyse_deals(
            scenario,
            grid=grid,
            loss=cast("Loss", loss),
            method=method,
            parties=None if parties is None else list(parties),
        )
    except ValueError as exc:
        raise AnalysisFailed(str(exc)) from exc
    return DealsResult(scenario, analysis, overrides=overrides or Overrides())
