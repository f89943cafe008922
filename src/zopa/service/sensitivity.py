"""Which inputs drive each issue's forecast: Sobol' indices or Morris screening (SALib)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zopa.frozen import FrozenMap
from zopa.service.errors import AnalysisFailed, BadInput, argument_problem
from zopa.service.models import model_settings, resolve_models
from zopa.service.overrides import Overrides, apply_overrides
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np
    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays
    from zopa.execution import Executor
    from zopa.models import ForecastModel
    from zopa.scenario import Scenario
    from zopa.uncertainty.monte_carlo import DrawBlock
    from zopa.uncertainty.sensitivity import (
        IssueSensitivity,
        SensitivityInput,
        SensitivityResult,
    )

DEFAULT_SAMPLES = {"sobol": 512, "morris": 64}

#: Rows of the design per block: the unit of seeding of the model's random numbers
#: (block 0 from ``default_rng(seed)``, block ``b`` from the seed's child ``b``). Blocks
#: run on the executor; the indices are the same whatever the grouping of blocks into
#: tasks and the number of workers. A deterministic model gives the numbers of one
#: call on the whole design.
BLOCK_ROWS = 4096


def design_blocks(
    model: ForecastModel,
    view: ScenarioArrays,
    inputs: tuple[SensitivityInput, ...],
    seed: int,
    task: tuple[tuple[DrawBlock, NDArray[np.float64]], ...],
) -> NDArray[np.float64]:
    """One executor task: the model's (rows, I) outcomes on consecutive blocks of a design."""
    import numpy as np

    from zopa.uncertainty.sensitivity import design_view

    parts = [
        model.forecast(
            design_view(view, inputs, values),
            rng=np.random.default_rng(block.seed_sequence(seed)),
            trace=False,
        ).outcome
        for block, values in task
    ]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def input_label(scenario: Scenario, item: SensitivityInput) -> str:
    """An input in words: "Russia's position on Territory"."""
    name = scenario.actor(item.actor).name
    actor = f"{name}'" if name.endswith("s") else f"{name}'s"
    if item.kind == "capability":
        return f"{actor} capability"
    issue = scenario.issue(str(item.issue)).name
    noun = "position on" if item.kind == "position" else "salience of"
    return f"{actor} {noun} {issue}"


@dataclass(frozen=True, eq=False)
class SensitivityReport(Result):
    """A sensitivity analysis with its inputs in words and its run time.

    Attributes:
        scenario: The scenario analysed.
        result: The indices per issue.
        labels: Each input's name in words.
        seconds: Wall time of the analysis.
    """

    scenario: Scenario
    result: SensitivityResult
    labels: Mapping[str, str]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa sensitivity`` (docs/sensitivity.md)."""
        scenario, result, labels = self.scenario, self.result, self.labels
        issues: dict[str, Any] = {}
        for r in result.issues:
            entry: dict[str, Any] = {
                "name": scenario.issue(r.issue).name,
                "mean": r.mean,
                "std": r.std,
                "note": r.note,
            }
            indices = self._indices(r)
            if indices:
                entry["indices"] = indices
            issues[r.issue] = entry
        data: dict[str, Any] = jsonable(
            {
                "scenario": scenario.title,
                "model": result.model,
                "method": result.method,
                "distribution": result.distribution,
                "samples": result.samples,
                "evaluations": result.evaluations,
                "seed": result.seed,
                "seconds": round(self.seconds, 3),
                "inputs": [
                    {
                        "name": x.name,
                        "label": labels[x.name],
                        "kind": x.kind,
                        "actor": x.actor,
                        "issue": x.issue,
                        "low": x.low,
                        "mode": x.mode,
                        "high": x.high,
                    }
                    for x in result.inputs
                ],
                "issues": issues,
            }
        )
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per issue and input, ranked: Sobol' S1/ST or Morris mu*/mu/sigma."""
        return [
            {"issue": r.issue, **index} for r in self.result.issues for index in self._indices(r)
        ]

    def _indices(self, r: IssueSensitivity) -> list[dict[str, Any]]:
        """One issue's indices, ranked, each with its input's label."""
        if r.sobol:
            return [
                {
                    "input": s.input,
                    "label": self.labels[s.input],
                    "S1": s.first_order,
                    "S1_conf": s.first_order_conf,
                    "ST": s.total_order,
                    "ST_conf": s.total_order_conf,
                }
                for s in r.ranked_sobol()
            ]
        if r.morris:
            return [
                {
                    "input": m.input,
                    "label": self.labels[m.input],
                    "mu_star": m.mu_star,
                    "mu_star_conf": m.mu_star_conf,
                    "mu": m.mu,
                    "sigma": m.sigma,
                }
                for m in r.ranked_morris()
            ]
        return []


def sensitivity(
    scenario: Scenario,
    *,
    model: str = "median",
    params: Mapping[str, Any] | None = None,
    issues: Sequence[str] | None = None,
    method: str = "sobol",
    samples: int | None = None,
    distribution: str = "triangular",
    salience: float = 0.0,
    capability: float = 0.0,
    seed: int = 0,
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    blocks_per_task: int = 1,
    overrides: Overrides | None = None,
) -> SensitivityReport:
    """Split the variance of each issue's forecast among the inputs that vary.

    Args:
        scenario: The negotiation; every position with a ``range`` varies within it.
        model: The registered model whose forecasts are analysed.
        params: The model's parameters (as for :func:`zopa.service.forecast`).
        issues: Issues to analyse (default: all).
        method: ``"sobol"`` (variance shares) or ``"morris"`` (screening).
        samples: Sobol': base samples N, a power of 2 (default 512). Morris:
            trajectories (default 64).
        distribution: ``"triangular"`` (mode at the stated value) or ``"uniform"``.
        salience: Also vary every salience by ± this much.
        capability: Also vary every capability by ± this fraction of itself.
        seed: Seed of the design and of the bootstrap.
        workers: Local worker threads evaluating the design's blocks of
            :data:`BLOCK_ROWS` rows (``None``: one per core), or the workers of a Dask
            LocalCluster.
        dask: ``"local"`` or a Dask scheduler's address: evaluate the blocks there.
        executor: An executor already open (it stays open).
        progress: Called after each task with (rows done, rows in all).
        blocks_per_task: Blocks of rows in one task.
        overrides: What-if changes to the scenario (positions, saliences, capabilities,
            actors dropped), checked like a file; the result records them.

    Raises:
        BadInput: Unknown model, parameters or issues, bad options, nothing varies, or
            bad executor arguments.
        AnalysisFailed: The model failed on the design, or the Dask executor could not
            start.
    """
    from zopa.models import make_model
    from zopa.service.executors import executor_problems, open_for_analysis
    from zopa.uncertainty.sensitivity import (
        DISTRIBUTIONS,
        METHODS,
        analyse_sensitivity,
        sensitivity_inputs,
    )

    scenario = apply_overrides(scenario, overrides)
    (name,) = resolve_models([model])
    settings = model_settings(params, [name])[name]
    problems = []
    if method not in METHODS:
        problems.append(
            argument_problem("method", "unknown method", got=method, expected=" or ".join(METHODS))
        )
    if distribution not in DISTRIBUTIONS:
        problems.append(
            argument_problem(
                "distribution",
                "unknown distribution",
                got=distribution,
                expected=" or ".join(DISTRIBUTIONS),
            )
        )
    unknown = [i for i in issues or [] if i not in scenario.issue_ids]
    if unknown:
        problems.append(
            argument_problem(
                "issues",
                f"unknown issue(s) {', '.join(unknown)}",
                expected=f"one of {', '.join(scenario.issue_ids)}",
            )
        )
    for arg, value in (("salience", salience), ("capability", capability)):
        if value < 0:
            problems.append(argument_problem(arg, "negative spread", got=value, expected=">= 0"))
    n = DEFAULT_SAMPLES.get(method, 0) if samples is None else samples
    if method == "sobol" and (n < 2 or n & (n - 1)):
        problems.append(
            argument_problem(
                "samples",
                "Sobol' needs a power of 2",
                got=n,
                expected="e.g. 256, 512, 1024",
            )
        )
    elif n < 2:
        problems.append(argument_problem("samples", "too few samples", got=n, expected=">= 2"))
    problems += executor_problems(workers, dask)
    if problems:
        raise BadInput(problems)
    try:
        forecaster = make_model(name, **settings)
    except (TypeError, ValueError) as exc:
        raise BadInput([argument_problem("params", f"model {name}: {exc}")]) from None
    view = scenario.arrays()
    inputs = sensitivity_inputs(view, salience_spread=salience, capability_spread=capability)
    if not inputs:
        raise BadInput(
            [
                argument_problem(
                    "inputs",
                    "nothing varies: give stances a `range`, or vary saliences or capabilities",
                )
            ]
        )
    started = time.perf_counter()
    # local workers are threads: no start-up, and scripts calling this need no main guard
    with open_for_analysis(workers=workers, dask=dask, executor=executor, threads=True) as runner:

        def evaluate(values: NDArray[np.float64]) -> NDArray[np.float64]:
            import numpy as np

            from zopa.execution import group
            from zopa.uncertainty.monte_carlo import draw_blocks

            rows = values.shape[0]
            blocks = [(b, values[b.start : b.stop]) for b in draw_blocks(rows, BLOCK_ROWS)]
            tasks = group(blocks, blocks_per_task)
            shared = (forecaster, view, inputs, seed)
            results = runner.map(design_blocks, tasks, shared=shared)
            parts = []
            try:
                for task, part in zip(tasks, results, strict=True):
                    parts.append(part)
                    if progress is not None:
                        progress(task[-1][0].stop, rows)
            finally:
                results.close()
            return np.concatenate(parts)

        try:
            result = analyse_sensitivity(
                view,
                forecaster,
                inputs=inputs,
                method=method,  # type: ignore[arg-type]
                samples=n,
                seed=seed,
                distribution=distribution,  # type: ignore[arg-type]
                issues=list(dict.fromkeys(issues)) if issues else None,
                evaluate=evaluate,
            )
        except (ValueError, ArithmeticError) as exc:
            raise AnalysisFailed(f"sensitivity analysis of {name} failed: {exc}") from exc
    seconds = time.perf_counter() - started
    labels = FrozenMap({x.name: input_label(scenario, x) for x in result.inputs})
    return SensitivityReport(scenario, result, labels, seconds, overrides=overrides or Overrides())
