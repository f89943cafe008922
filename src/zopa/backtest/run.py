"""Run models over scenarios with known outcomes and score them against the outcomes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.backtest.baselines import BASELINES, baseline
from zopa.backtest.metrics import ErrorSummary, PairedComparison, paired_comparison, summarise
from zopa.models import make_model

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Case:
    """One issue with a known outcome, and every model's forecast of it.

    Values are on the issue's own scale; ``width`` maps them onto 0-100.
    """

    scenario: str
    issue: str
    outcome: float
    width: float
    forecasts: Mapping[str, float]

    def abs_error(self, model: str) -> float:
        """Absolute error of ``model`` in points on 0-100 (NaN if it made no forecast)."""
        value = self.forecasts.get(model, float("nan"))
        return abs(value - self.outcome) / self.width * 100.0


@dataclass(frozen=True, slots=True)
class Failure:
    """A model that raised on a scenario; its issues there count as not forecast."""

    model: str
    scenario: str
    message: str


@dataclass(frozen=True)
class BacktestResult:
    """Scores of every model and baseline, their paired comparisons, and the cases."""

    models: Mapping[str, ErrorSummary]
    paired: tuple[PairedComparison, ...]
    cases: tuple[Case, ...]
    baselines: tuple[str, ...] = BASELINES
    failures: tuple[Failure, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)


def scenario_forecasts(
    scenario: Scenario,
    models: Sequence[str],
    params: Mapping[str, Mapping[str, Any]],
    seed: int,
) -> tuple[dict[str, NDArray[np.float64]], list[Failure]]:
    """Every model's and baseline's (I,) forecast of one scenario, and the models that failed.

    Each model draws from ``default_rng(seed)`` of its own, so a scenario's forecasts do
    not depend on the other scenarios or on where they run.
    """
    view = scenario.arrays()
    out: dict[str, NDArray[np.float64]] = {}
    failures: list[Failure] = []
    for name in models:
        model = make_model(name, **dict(params.get(name, {})))
        try:
            forecast = model.forecast(view, rng=np.random.default_rng(seed))
        except (ValueError, ArithmeticError, IndexError) as exc:
            failures.append(Failure(name, scenario.title, str(exc)))
            continue
        out[name] = np.asarray(forecast.outcome[0], dtype=float)
    for name in BASELINES:
        out[name] = baseline(name, view)[0]
    return out, failures


def run_backtest(
    scenarios: Sequence[Scenario],
    models: Sequence[str],
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    forecasts: Sequence[tuple[dict[str, NDArray[np.float64]], list[Failure]]] | None = None,
) -> BacktestResult:
    """Forecast every issue with a known outcome and score each model and baseline.

    Args:
        scenarios: Scenarios whose issues carry ``outcome`` (issues without one are
            forecast but not scored).
        models: Registered model names to run (the baselines are always added).
        params: Keyword hyperparameters per model name.
        n_boot: Bootstrap replicates for the intervals (0 for none).
        level: Coverage of the intervals.
        seed: Seed of the bootstrap and of any model randomness.
        forecasts: Each scenario's :func:`scenario_forecasts`, in order, when computed
            elsewhere (e.g. on an executor); default: computed here.

    Returns:
        The scores; a model that made no usable forecast at all is left out of
        ``models`` and counted in ``skipped``.
    """
    params = params or {}
    cases: list[Case] = []
    failures: list[Failure] = []
    for n, scenario in enumerate(scenarios):
        if forecasts is None:
            made, failed = scenario_forecasts(scenario, models, params, seed)
        else:
            made, failed = forecasts[n]
        failures.extend(failed)
        for k, issue in enumerate(scenario.issues):
            if issue.outcome is None:
                continue
            cases.append(
                Case(
                    scenario=scenario.title,
                    issue=issue.id,
                    outcome=float(issue.outcome),
                    width=float(issue.scale.width),
                    forecasts={m: float(v[k]) for m, v in made.items()},
                )
            )
    names = [*models, *BASELINES]
    errors = {m: np.array([c.abs_error(m) for c in cases]) for m in names}
    rng = np.random.default_rng(seed)
    scores: dict[str, ErrorSummary] = {}
    skipped: dict[str, int] = {}
    for m in names:
        e = errors[m]
        ok = np.isfinite(e)
        skipped[m] = int((~ok).sum())
        if ok.any():
            scores[m] = summarise(e[ok], rng=rng, n_boot=n_boot, level=level)
    paired: list[PairedComparison] = []
    for a, b in itertools.combinations([m for m in names if m in scores], 2):
        both = np.isfinite(errors[a]) & np.isfinite(errors[b])
        if both.any():
            paired.append(
                paired_comparison(
                    a, b, errors[a][both], errors[b][both], rng=rng, n_boot=n_boot, level=level
                )
            )
    return BacktestResult(
        models=scores,
        paired=tuple(paired),
        cases=tuple(cases),
        failures=tuple(failures),
        skipped=skipped,
    )


def result_json(result: BacktestResult) -> dict[str, Any]:
    """The documented JSON form of a backtest result (see docs/backtest.md)."""

    def interval(i: Any) -> list[float] | None:
        return None if i is None else [i.low, i.high]

    return {
        "models": {
            name: {
                "mae": s.mae,
                "rmse": s.rmse,
                "median_ae": s.median_ae,
                "within_10": s.within_10,
                "n": s.n,
                "skipped": result.skipped.get(name, 0),
                "baseline": name in result.baselines,
                "ci": {k: interval(v) for k, v in s.ci.items()},
                "level": s.level,
            }
            for name, s in result.models.items()
        },
        "paired": [
            {
                "a": p.a,
                "b": p.b,
                "n": p.n,
                "mae_diff": p.mae_diff,
                "ci": interval(p.ci),
                "share_a_better": p.share_a_better,
                "level": p.level,
            }
            for p in result.paired
        ],
        "cases": len(result.cases),
        "failures": [
            {"model": f.model, "scenario": f.scenario, "message": f.message}
            for f in result.failures
        ],
    }
