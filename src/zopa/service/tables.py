"""Who must be at the table: the deal each composition reaches, and what everyone gets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from zopa.frozen import FrozenMap
from zopa.service.deals import option_problems
from zopa.service.errors import AnalysisFailed, BadInput, argument_problem
from zopa.service.overrides import Overrides, apply_overrides
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from zopa.agreements.tables import TableComparison
    from zopa.agreements.utility import Loss
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario


@dataclass(frozen=True, eq=False)
class TablesResult(Result):
    """The table comparison of a scenario."""

    scenario: Scenario
    comparison: TableComparison

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa tables`` (docs/deals.md)."""
        data: dict[str, Any] = jsonable(self.comparison.as_dict())
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per table and actor: utility, gain, presence and acceptance."""
        c = self.comparison
        rows = []
        for name, t in c.tables.items():
            for a in c.actor_ids:
                rows.append(
                    {
                        "table": name,
                        "actor": a,
                        "at_table": a in t.members,
                        "veto": c.veto[a],
                        "no_deal": c.no_deal[a],
                        "utility": None if t.deal is None else t.deal.utilities[a],
                        "gain": None if t.deal is None else t.deal.gains[a],
                        "accepts": t.acceptable.get(a),
                    }
                )
        return rows


def table_problems(tables: Mapping[str, Sequence[str]], known: Sequence[str]) -> list[Problem]:
    """What is wrong with the tables: empty, unknown or repeated actors, every one at once."""
    problems = []
    if not tables:
        problems.append(
            argument_problem("tables", "give at least one table", expected="NAME=ID,ID,...")
        )
    for name, members in tables.items():
        item = f"{name}={','.join(members)}"
        if not name.strip() or not members:
            problems.append(
                argument_problem("tables", "a table needs a name and members", got=item)
            )
            continue
        unknown = sorted(set(members) - set(known))
        if unknown:
            problems.append(
                argument_problem(
                    "tables",
                    f"unknown actor(s) {', '.join(unknown)}; known: {', '.join(known)}",
                    got=item,
                )
            )
        twice = sorted({m for m in members if list(members).count(m) > 1})
        if twice:
            problems.append(
                argument_problem("tables", f"actor(s) {', '.join(twice)} named twice", got=item)
            )
    return problems


def tables(
    scenario: Scenario,
    tables: Mapping[str, Sequence[str]],
    *,
    grid: int = 11,
    loss: str = "linear",
    method: str = "auto",
    forecasts: bool = True,
    overrides: Overrides | None = None,
) -> TablesResult:
    """The deal each table reaches and every actor's utility under it.

    Args:
        scenario: The negotiation (all actors, in the room or not).
        tables: Table name -> actor ids in the room.
        grid: Evenly spaced levels per issue.
        loss: ``"linear"`` or ``"quadratic"``.
        method: ``"auto"``, ``"enumeration"`` or ``"milp"``.
        forecasts: Also run the registered forecasting models on each table.
        overrides: What-if changes to the scenario (positions, saliences, capabilities,
            actors dropped), checked like a file; the result records them.

    Raises:
        BadInput: Bad options or tables (every problem at once).
        AnalysisFailed: The analysis of a table could not be done.
    """
    from zopa.agreements.tables import compare_tables

    scenario = apply_overrides(scenario, overrides)
    problems = option_problems(grid=grid, loss=loss, method=method)
    problems += table_problems(tables, scenario.actor_ids)
    if problems:
        raise BadInput(problems)
    try:
        comparison = compare_tables(
            scenario,
            FrozenMap({k: tuple(v) for k, v in tables.items()}),
            grid=grid,
            loss=cast("Loss", loss),
            method=method,
            forecasts=forecasts,
        )
    except ValueError as exc:
        raise AnalysisFailed(str(exc)) from exc
    return TablesResult(scenario, comparison, overrides=overrides or Overrides())
