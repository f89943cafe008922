"""``zopa report``: the full analysis of a scenario, written to a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import check_file, console
from zopa.cli.forecast import forecasts_json, resolve_models, run_forecasts
from zopa.io import atomic_write
from zopa.models import model_class


def report(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into.")],
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Models to run (default: all).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for models that draw at random.")] = 0,
) -> None:
    """Analyse a scenario and write the report: forecasts table, JSON, CSV and plots.

    Writes OUT/report.md, OUT/forecasts.json, OUT/forecasts.csv and one position map per
    issue in OUT/maps/, and prints the forecast table.

    Example:
        zopa report scenarios/ukraine-ceasefire-2026.yaml --out out/ukraine
    """
    from zopa.cli.common import load_or_exit
    from zopa.cli.forecast import forecast as forecast_command
    from zopa.report.markdown import forecast_report
    from zopa.report.position_map import plot_position_maps

    scenario = load_or_exit(file)
    _, problems = check_file(file)
    models = resolve_models(model or [])
    results, _ = run_forecasts(scenario, models, {}, seed)
    points = {m: f.point() for m, f in results.items()}
    out.mkdir(parents=True, exist_ok=True)
    payload = forecasts_json(scenario, results)
    atomic_write(out / "forecasts.json", json.dumps(payload, indent=2, default=str) + "\n")
    rows = ["issue,status_quo," + ",".join(models)]
    for issue in scenario.issues:
        values = ",".join(f"{points[m][issue.id]:.4f}" for m in models)
        sq = "" if issue.status_quo is None else f"{issue.status_quo:g}"
        rows.append(f"{issue.id},{sq},{values}")
    atomic_write(out / "forecasts.csv", "\n".join(rows) + "\n")
    maps = plot_position_maps(scenario, out / "maps", forecasts=points)
    citations = {m: model_class(m).citation for m in models}
    text = forecast_report(
        scenario,
        points,
        citations,
        maps,
        warnings=[p.format() for p in problems],
        relative_to=out,
    )
    atomic_write(out / "report.md", text)
    forecast_command(file, model=models, param=None, trace=False, plot=None, draws=0, seed=seed)
    console.print(
        f"\nwrote {out / 'report.md'}, forecasts.json, forecasts.csv and "
        f"{len(maps)} position maps in {out / 'maps'}/"
    )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(report)
