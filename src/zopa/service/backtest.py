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
    from collections.abc import Callable

    import numpy as np
    from numpy.typing import NDArray

    from zopa.backtest import BacktestResult
    from zopa.backtest.run import Failure
    from zopa.execution import Executor
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

#: Scenarios forecast in one executor task. Each scenario's forecasts depend on it and
#: the seed only, so the scores are the same whatever the grouping and the workers.
SCENARIOS_PER_TASK = 8


def forecast_cases(
    models: Sequence[str],
    params: Mapping[str, Mapping[str, Any]],
    seed: int,
    task: tuple[Scenario, ...],
) -> list[tuple[dict[str, NDArray[np.float64]], list[Failure]]]:
    """One executor task: every model's forecasts of a few scenarios with known outcomes."""
    from zopa.backtest.run import scenario_forecasts

    return [scenario_forecasts(s, models, params, seed) for s in task]


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
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    scenarios_per_task: int = SCENARIOS_PER_TASK,
) -> BacktestReport:
    """Score models (and the status-quo and mean baselines) against known outcomes.

    Args:
        scenarios: Scenarios whose issues carry ``outcome`` (see :func:`load_cases`).
        models: Registered model names (default: all).
        params: Model parameters (as for :func:`zopa.service.forecast`).
        bootstrap: Bootstrap replicates for the intervals (0: none).
        seed: Seed of the bootstrap and of any model randomness.
        workers: Local worker threads forecasting the scenarios, ``scenarios_per_task``
            to a task (``None``: one per core), or the workers of a Dask LocalCluster.
        dask: ``"local"`` or a Dask scheduler's address: forecast there.
        executor: An executor already open (it stays open).
        progress: Called after each task with (scenarios done, scenarios in all).
        scenarios_per_task: Scenarios in one task.

    Raises:
        BadInput: Unknown models or parameters, a negative bootstrap, bad executor
            arguments.
        AnalysisFailed: No model forecast any issue with a known outcome, or the Dask
            executor could not start.
    """
    from zopa.backtest import run_backtest
    from zopa.execution import group
    from zopa.service.executors import executor_problems, open_for_analysis

    problems = executor_problems(workers, dask)
    if bootstrap < 0:
        problems.insert(
            0, argument_problem("bootstrap", "out of range", got=bootstrap, expected=">= 0")
        )
    if problems:
        raise BadInput(problems)
    names = resolve_models(models)
    settings = model_settings(params, names)
    tasks = group(tuple(scenarios), scenarios_per_task)
    forecasts: list[tuple[dict[str, NDArray[np.float64]], list[Failure]]] = []
    # local workers are threads: no start-up, and scripts calling this need no main guard
    with open_for_analysis(workers=workers, dask=dask, executor=executor, threads=True) as runner:
        results = runner.map(forecast_cases, tasks, shared=(tuple(names), settings, seed))
        try:
            for made in results:
                forecasts.extend(made)
                if progress is not None:
                    progress(len(forecasts), len(scenarios))
        finally:
            results.close()
    result = run_backtest(
        scenarios, names, params=settings, n_boot=bootstrap, seed=seed, forecasts=forecasts
    )
    if not any(m in result.models for m in names):
        failed = "; ".join(f"{f.model} on {f.scenario}: {f.message}" for f in result.failures[:3])
        raise AnalysisFailed(
            "no model produced a forecast for any issue with a known outcome"
            + (f" ({failed})" if failed else "")
        )
    return BacktestReport(result, tuple(names))
