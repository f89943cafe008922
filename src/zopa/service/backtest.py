"""How close do the models come to what happened: scores on negotiations with known outcomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.service.errors import AnalysisFailed, BadInput, argument_problem
from zopa.service.models import model_settings, resolve_models
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from zopa.backtest import BacktestResult
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, eq=False)
class BacktestReport(Result):
    """Every model's and baseline's errors on the issues with known outcomes."""

    result: BacktestResult
    models: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa backtest`` (docs/backtest.md)."""
        from zopa.backtest import result_json

        data: dict[str, Any] = jsonable(result_json(self.result))
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per model or baseline: n, MAE with its interval, RMSE, median AE."""
        rows = []
        for name, s in self.result.models.items():
            ci = s.ci.get("mae")
            rows.append(
                {
                    "model": name,
                    "baseline": name in self.result.baselines,
                    "n": s.n,
                    "mae": s.mae,
                    "mae_low": None if ci is None else ci.low,
                    "mae_high": None if ci is None else ci.high,
                    "rmse": s.rmse,
                    "median_ae": s.median_ae,
                    "within_10": s.within_10,
                }
            )
        return rows


def load_cases(
    path: Path | str, *, capability: Path | str | None = None, group_by: str | None = None
) -> list[Scenario]:
    """Scenarios with known outcomes: a folder of scenario files or a DEU-layout CSV.

    Args:
        path: A folder of ``*.yaml``/``*.yml``/``*.json`` scenarios whose issues carry
            ``outcome``, or a CSV in the layout of the DEU III dataset.
        capability: For a DEU file, a CSV of ``actor,capability``.
        group_by: For a DEU file, the column naming each issue's proposal.

    Raises:
        BadInput: Every problem of every file at once; nothing with a known outcome.
    """
    from zopa.io import check_scenario
    from zopa.io.deu import check_capabilities, check_deu

    path = Path(path)
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    if path.is_dir():
        if capability is not None:
            raise BadInput(
                [
                    argument_problem(
                        "capability", "applies to a DEU CSV file, not to a folder of scenarios"
                    )
                ]
            )
        files = sorted(f for f in path.iterdir() if f.suffix.lower() in SCENARIO_SUFFIXES)
        if not files:
            raise BadInput(
                [_file_problem(path, "no scenario files (*.yaml, *.yml, *.json) in this folder")]
            )
        for f in files:
            scenario, found = check_scenario(f)
            problems.extend(p for p in found if p.is_error)
            if scenario is not None:
                scenarios.append(scenario)
    elif path.suffix.lower() in (".csv", ".txt"):
        caps = None
        if capability is not None:
            caps, found = check_capabilities(capability)
            problems.extend(found)
        if not any(p.is_error for p in problems):
            scenarios, found = check_deu(path, capabilities=caps, group_by=group_by)
            problems.extend(found)
    elif path.exists():
        raise BadInput(
            [_file_problem(path, "expected a folder of scenario files or a DEU-layout .csv file")]
        )
    else:
        raise BadInput([_file_problem(path, "no such file or folder")])
    if any(p.is_error for p in problems):
        raise BadInput(problems)
    if not any(i.outcome is not None for s in scenarios for i in s.issues):
        raise BadInput([_file_problem(path, "no issue carries a known outcome, nothing to score")])
    return scenarios


def _file_problem(path: Path, message: str) -> Problem:
    from zopa.io.errors import Problem

    return Problem(str(path), None, "", message)


def backtest(
    scenarios: Sequence[Scenario],
    *,
    models: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    bootstrap: int = 2000,
    seed: int = 0,
) -> BacktestReport:
    """Score models (and the status-quo and mean baselines) against known outcomes.

    Args:
        scenarios: Scenarios whose issues carry ``outcome`` (see :func:`load_cases`).
        models: Registered model names (default: all).
        params: Model parameters (as for :func:`zopa.service.forecast`).
        bootstrap: Bootstrap replicates for the intervals (0: none).
        seed: Seed of the bootstrap and of any model randomness.

    Raises:
        BadInput: Unknown models or parameters, a negative bootstrap.
        AnalysisFailed: No model forecast any issue with a known outcome.
    """
    from zopa.backtest import run_backtest

    if bootstrap < 0:
        raise BadInput(
            [argument_problem("bootstrap", "out of range", got=bootstrap, expected=">= 0")]
        )
    names = resolve_models(models)
    settings = model_settings(params, names)
    result = run_backtest(scenarios, names, params=settings, n_boot=bootstrap, seed=seed)
    if not any(m in result.models for m in names):
        failed = "; ".join(f"{f.model} on {f.scenario}: {f.message}" for f in result.failures[:3])
        raise AnalysisFailed(
            "no model produced a forecast for any issue with a known outcome"
            + (f" ({failed})" if failed else "")
        )
    return BacktestReport(result, tuple(names))
