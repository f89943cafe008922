"""Where will the negotiation land: every chosen model's forecast, with Monte Carlo ranges."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from zopa.frozen import FrozenMap
from zopa.service.errors import AnalysisFailed, BadInput, argument_problem
from zopa.service.models import model_settings, resolve_models
from zopa.service.overrides import Overrides, apply_overrides
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from zopa.execution import Executor
    from zopa.models import Forecast
    from zopa.scenario import Scenario
    from zopa.uncertainty import DrawOutcomes
    from zopa.uncertainty.calibration import CalibratedIntervals

#: Called by :func:`forecast` after each block of draws with (draws done, draws in all).
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, eq=False)
class ForecastResult(Result):
    """Every model's forecast of every issue, and their Monte Carlo spread.

    Attributes:
        scenario: The scenario forecast.
        models: The models run, in order.
        params: The keyword parameters each model ran with.
        seed: Seed of the draws and of random models.
        points: Each model's forecast of the stated positions.
        draw_outcomes: Each model's (D, I) outcomes of the Monte Carlo draws (empty
            without draws); the draws ran without trace, in blocks
            (:mod:`zopa.uncertainty.monte_carlo`).
        trace: Whether :meth:`to_dict` includes the per-round positions.
        draw_traces: With trace and draws, each model with rounds' forecast with its
            trajectory on the first draws of the run (a sample of
            :data:`~zopa.uncertainty.monte_carlo.TRACE_DRAWS`, never all draws).
        calibrated: Whether :meth:`to_dict` includes intervals calibrated on real
            outcomes (EU legislation, DEU III) for the models that have them.
    """

    scenario: Scenario
    models: tuple[str, ...]
    params: Mapping[str, Mapping[str, Any]]
    seed: int
    points: Mapping[str, Forecast]
    draw_outcomes: Mapping[str, DrawOutcomes]
    trace: bool = False
    calibrated: bool = False
    draw_traces: Mapping[str, Forecast] = FrozenMap()

    @property
    def draws(self) -> int:
        """Monte Carlo draws behind the intervals (0 without)."""
        return next((o.n_draws for o in self.draw_outcomes.values()), 0)

    def point(self, model: str) -> dict[str, float]:
        """``{issue: forecast}`` of one model (NaN where it gives none)."""
        return self.points[model].point()

    def intervals(self) -> dict[str, dict[str, tuple[float, ...]]]:
        """Per model with draws: ``{issue: (5%, median, 95%)}`` over the draws."""
        return {m: dict(spread) for m, spread in self._spread.items()}

    @cached_property
    def _spread(self) -> dict[str, dict[str, tuple[float, ...]]]:
        """The intervals, computed once (a spooled run reads its file issue by issue)."""
        from zopa.uncertainty import outcome_intervals

        issues = self.scenario.issue_ids
        return {m: outcome_intervals(o, issues) for m, o in self.draw_outcomes.items()}

    def flags(self) -> dict[str, list[tuple[str, str]]]:
        """Per model with draws: issues whose point lies outside its own 5–95% range, and why."""
        from zopa.uncertainty import outside_own_range

        view = self.scenario.arrays()
        return {
            m: outside_own_range(self.points[m].point(), spread, view=view)
            for m, spread in self.intervals().items()
        }

    def calibrated_intervals(self) -> dict[str, CalibratedIntervals]:
        """Per model that has a calibration: 80% and 90% intervals calibrated on DEU III.

        They come from the errors of each model on real EU legislative outcomes
        (docs/validity.md); for other kinds of negotiation they are a rough guide only,
        as each result's ``caution`` says.
        """
        from zopa.uncertainty.calibration import calibrated_intervals, load_calibration

        table = load_calibration()
        view = self.scenario.arrays()
        return {
            m: calibrated_intervals(m, self.points[m].point(), view, table=table)
            for m in self.models
            if m in table
        }

    def missing(self) -> dict[str, list[str]]:
        """Issues some model gave no forecast for, grouped by the reason in words."""
        issues = [
            i.id
            for i in self.scenario.issues
            if any(math.isnan(self.points[m].point()[i.id]) for m in self.models)
        ]
        return _why_no_forecast(self.scenario, issues)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of a forecast (docs/cli.md, ``zopa forecast``)."""
        from zopa.uncertainty import INTERVAL_LEVELS

        scenario = self.scenario
        out: dict[str, Any] = {
            "scenario": scenario.title,
            "forecasts": {name: f.point() for name, f in self.points.items()},
            "models": {name: _model_entry(name, f) for name, f in self.points.items()},
            "issues": {
                i.id: {
                    "name": i.name,
                    "scale": [i.scale.min, i.scale.max],
                    "status_quo": i.status_quo,
                }
                for i in scenario.issues
            },
        }
        if self.draw_outcomes:
            out["intervals"] = {
                name: {
                    "draws": self.draw_outcomes[name].n_draws,
                    "levels": list(INTERVAL_LEVELS),
                    "issues": {
                        issue: dict(zip(("low", "median", "high"), values, strict=True))
                        for issue, values in spread.items()
                    },
                }
                for name, spread in self.intervals().items()
            }
            out["flags"] = {
                name: [{"issue": issue, "reason": reason} for issue, reason in flagged]
                for name, flagged in self.flags().items()
            }
        if self.calibrated:
            out["calibrated"] = {
                name: {
                    "label": c.label,
                    "caution": c.caution,
                    "levels": sorted({lv for per in c.intervals.values() for lv in per}),
                    "issues": {
                        issue: {f"{lv:g}": list(bounds) for lv, bounds in per.items()}
                        for issue, per in c.intervals.items()
                    },
                }
                for name, c in self.calibrated_intervals().items()
            }
        if self.trace:
            out["trace"] = {}
            for name, f in self.points.items():
                if f.trajectory is None:
                    continue
                out["trace"][name] = {
                    "actors": list(scenario.actor_ids),
                    "issues": list(scenario.issue_ids),
                    "positions": f.trajectory[0].round(4).tolist(),
                }
                offers = accepted_offers(f, scenario.actor_ids)
                if offers is not None:
                    out["trace"][name]["offers"] = offers
                sample = self.draw_traces.get(name)
                if sample is not None and sample.trajectory is not None:
                    out["trace"][name]["draws"] = {
                        "first": int(sample.trajectory.shape[0]),
                        "positions": sample.trajectory.round(4).tolist(),
                    }
        data: dict[str, Any] = jsonable(out)
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per model and issue: the point forecast, its 5–95% range, the status quo.

        Columns: ``model``, ``issue``, ``point``, ``low``, ``median``, ``high`` (NaN
        without draws), ``status_quo`` (NaN where none) and ``draws``.
        """
        intervals = self.intervals()
        rows = []
        for name in self.models:
            point = self.points[name].point()
            for issue in self.scenario.issues:
                low, median, high = intervals.get(name, {}).get(issue.id, (math.nan,) * 3)
                rows.append(
                    {
                        "model": name,
                        "issue": issue.id,
                        "point": point[issue.id],
                        "low": low,
                        "median": median,
                        "high": high,
                        "status_quo": math.nan if issue.status_quo is None else issue.status_quo,
                        "draws": self.draws,
                    }
                )
        return rows


def forecast(
    scenario: Scenario,
    *,
    models: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    rounds: int | None = None,
    draws: int = 0,
    seed: int = 0,
    trace: bool = False,
    calibrated: bool = False,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    blocks_per_task: int = 1,
    overrides: Overrides | None = None,
    threads: int = 1,
) -> ForecastResult:
    """Forecast every issue with each model; with ``draws``, also on Monte Carlo draws.

    The draws run in blocks of 2,000 (:mod:`zopa.uncertainty.monte_carlo`), each seeded
    on its own from ``seed`` and run without trace, and only each model's per-draw
    outcomes are kept (in a temporary file beyond a memory budget), so that memory does
    not grow with draws x rounds x actors. Up to 2,000 draws give the numbers one batch
    of all draws gave before blocks; more draws take block 1 onwards from the seed's
    spawned children. The blocks run on an executor (:mod:`zopa.execution`): local
    worker processes (every core by default), or Dask workers; the numbers are the same
    whatever the executor and the number of workers. With ``trace`` and draws, the
    first :data:`~zopa.uncertainty.monte_carlo.TRACE_DRAWS` draws also keep their
    per-round positions (a sample; the others keep their outcomes only).

    Args:
        scenario: The negotiation.
        models: Registered model names (default, or ``["all"]``: every model).
        params: Model parameters, ``{"name": value}`` for every model that has it or
            ``{"model.name": value}`` for one (see :func:`model_settings`).
        rounds: Round limit of every model with rounds.
        draws: Monte Carlo draws of the positions within their ranges (0: none).
        seed: Seed of the draws and of random models; the same seed, the same numbers.
        trace: Include the per-round positions in :meth:`ForecastResult.to_dict` (of the
            point forecast, and of the first draws when there are draws).
        calibrated: Include intervals calibrated on real outcomes (EU legislation).
        progress: Called after each block of draws with (draws done, draws in all).
        workers: Local processes running the blocks of draws (``None``: one per core;
            1: all in this process), or the workers of a Dask LocalCluster.
        dask: Run the blocks on Dask: ``"local"`` starts a LocalCluster, otherwise the
            address of a scheduler (``tcp://HOST:8786``).
        executor: An executor already open (it stays open); overrides ``workers`` and
            ``dask``.
        blocks_per_task: Blocks of 2,000 draws in one task (more amortise the cost of a
            task on a large cluster; the numbers do not change).
        threads: Within each task of draws, the models run side by side on this many
            threads (the numbers do not change; useful when there is one block of draws,
            as in an interactive what-if).
        overrides: What-if changes to the scenario (positions, saliences, capabilities,
            actors dropped), checked like a file; the result records them.

    Raises:
        BadInput: Unknown models or parameters, a negative number of draws, workers
            below 1 or a malformed Dask address.
        AnalysisFailed: A model could not forecast this scenario, or the Dask executor
            could not start.
    """
    import numpy as np

    from zopa.models import ForecastModel, make_model
    from zopa.service.executors import executor_problems, open_for_analysis
    from zopa.uncertainty.monte_carlo import forecast_draws, trace_sample

    scenario = apply_overrides(scenario, overrides)
    if threads < 1:
        raise BadInput(
            [argument_problem("threads", "out of range", got=threads, expected="1 or more")]
        )
    if draws < 0 or (rounds is not None and rounds < 1):
        bad = ("draws", draws, "0 or more") if draws < 0 else ("rounds", rounds, "1 or more")
        raise BadInput([argument_problem(bad[0], "out of range", got=bad[1], expected=bad[2])])
    problems = executor_problems(workers, dask)
    if blocks_per_task < 1:
        problems.append(
            argument_problem(
                "blocks_per_task", "out of range", got=blocks_per_task, expected="1 or more"
            )
        )
    if problems:
        raise BadInput(problems)
    names = resolve_models(models)
    settings = model_settings(params, names, rounds=rounds)
    view = scenario.arrays()
    instances: dict[str, ForecastModel] = {}
    points: dict[str, Forecast] = {}
    for name in names:
        try:
            instances[name] = make_model(name, **settings[name])
        except (TypeError, ValueError) as exc:
            raise BadInput([argument_problem("params", f"model {name}: {exc}")]) from None
        try:
            points[name] = instances[name].forecast(view, rng=np.random.default_rng(seed))
        except (ValueError, ArithmeticError) as exc:
            raise AnalysisFailed(f"model {name} failed: {exc}") from exc
    outcomes: dict[str, DrawOutcomes] = {}
    traces: dict[str, Forecast] = {}
    if draws:
        with open_for_analysis(workers=workers, dask=dask, executor=executor) as runner:
            try:
                outcomes = forecast_draws(
                    instances,
                    view,
                    draws,
                    seed,
                    progress=progress,
                    executor=runner,
                    blocks_per_task=blocks_per_task,
                    threads=threads,
                )
            except (ValueError, ArithmeticError) as exc:
                raise AnalysisFailed(f"Monte Carlo draws failed: {exc}") from exc
        if trace:
            rounds_models = {n: m for n, m in instances.items() if points[n].trajectory is not None}
            traces = trace_sample(rounds_models, view, draws, seed)
    return ForecastResult(
        overrides=overrides or Overrides(),
        scenario=scenario,
        models=tuple(names),
        params=FrozenMap({m: FrozenMap(p) for m, p in settings.items()}),
        seed=seed,
        points=FrozenMap(points),
        draw_outcomes=FrozenMap(outcomes),
        trace=trace,
        calibrated=calibrated,
        draw_traces=FrozenMap(traces),
    )


def _model_entry(name: str, f: Forecast) -> dict[str, Any]:
    """A model's citation and rounds; per issue where the model stops each issue apart."""
    import numpy as np

    from zopa.models import model_class

    entry: dict[str, Any] = {
        "citation": model_class(name).citation,
        "rounds": None if f.trajectory is None else int(f.trajectory.shape[1] - 1),
    }
    per_issue = f.diagnostics.get("rounds")
    if per_issue is not None and np.ndim(per_issue) == 2:
        entry["rounds_per_issue"] = dict(
            zip(f.issue_ids, (int(r) for r in np.asarray(per_issue)[0]), strict=True)
        )
        converged = f.diagnostics.get("converged")
        if converged is not None:
            entry["converged"] = dict(
                zip(f.issue_ids, (bool(c) for c in np.asarray(converged)[0]), strict=True)
            )
    return entry


def accepted_offers(f: Forecast, actor_ids: Sequence[str]) -> list[dict[str, Any]] | None:
    """Who moved whom, round by round (draw 0), for models that record their offers."""
    import numpy as np

    diag = f.diagnostics
    if not {"proposer", "kind", "move", "offer_kinds"} <= set(diag):
        return None
    proposer = np.asarray(diag["proposer"])[0]  # (R, A, I)
    kind = np.asarray(diag["kind"])[0]
    move = np.asarray(diag["move"])[0]
    names = diag["offer_kinds"]
    return [
        {
            "round": int(r) + 1,
            "issue": f.issue_ids[i],
            "mover": actor_ids[a],
            "proposer": actor_ids[int(proposer[r, a, i])],
            "kind": str(names[int(kind[r, a, i])]),
            "move": round(float(move[r, a, i]), 4),
        }
        for r, a, i in zip(*np.nonzero(proposer >= 0), strict=True)
    ]


def _why_no_forecast(scenario: Scenario, issue_ids: list[str]) -> dict[str, list[str]]:
    """Issues without a forecast, grouped by the reason: no stance, or no weight."""
    reasons: dict[str, list[str]] = {}
    for issue in issue_ids:
        stances = [s for s in scenario.stances if s.issue == issue]
        if not stances:
            reason = "no actor holds a stance on it"
        elif all(s.salience * scenario.actor(s.actor).capability == 0 for s in stances):
            reason = "every stance has zero weight: capability × salience is 0"
        else:
            reason = "the model gave none"
        reasons.setdefault(reason, []).append(issue)
    return reasons
