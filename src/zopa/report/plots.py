"""The plots of each analysis written into a folder: what ``--plot`` and the report draw."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from zopa.service.durability import DurabilityReport
    from zopa.service.forecast import ForecastResult


def forecast_plots(result: ForecastResult, folder: Path, *, trace: bool = False) -> list[Path]:
    """Position maps with every forecast; with ``trace``, per-round trajectories too.

    Trajectories go to ``<model>-trajectory-<issue>.png`` for every model with rounds,
    and the expected-utility model adds ``eum-who-moved-whom-<issue>.png``.
    """
    from zopa.report.position_map import plot_position_maps
    from zopa.report.trajectory import plot_trajectories
    from zopa.report.who_moved_whom import plot_who_moved_whom_all

    scenario = result.scenario
    points = {m: f.point() for m, f in result.points.items()}
    written = plot_position_maps(scenario, folder, forecasts=points)
    if trace:
        for forecast in result.points.values():
            if forecast.trajectory is None:
                continue
            written += plot_trajectories(scenario, forecast, folder)
            if {"proposer", "kind", "move"} <= set(forecast.diagnostics):
                written += plot_who_moved_whom_all(scenario, forecast, folder)
    return written


def durability_plots(result: DurabilityReport, folder: Path) -> list[Path]:
    """The survival and deterrence figures of one deal or of deals compared."""
    from zopa.durability.parameters import ParameterStatus
    from zopa.report.durability import plot_deterrence, plot_survival

    folder.mkdir(parents=True, exist_ok=True)
    params = result.parameters
    results = [(a.deal.title, a.result) for a in result.assessments]
    n_assumed = sum(p.status is not ParameterStatus.SOURCED for p in params.parameters.values())
    note = (
        f"{results[0][1].n_draws} draws, seed {results[0][1].seed}. {n_assumed} of "
        f"{len(params.parameters)} parameters are assumptions or transferred from another "
        "context (wide ranges); see docs/durability.md."
    )
    stem = result.assessments[0].deal.id if len(result.assessments) == 1 else "compare"
    return [
        plot_survival(results, folder / f"{stem}-survival.png", note=note),
        plot_deterrence(results, params, folder / f"{stem}-deterrence.png", note=note),
    ]
