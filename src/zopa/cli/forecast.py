"""``zopa forecast``: where will the negotiation land, per issue and model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    FullOption,
    OutputFormat,
    WideOption,
    console,
    load_or_exit,
    output_folder_or_exit,
    print_csv,
    print_json,
    print_result_json,
    service_errors,
)
from zopa.cli.parsing import DropOption, SetOption, parse_overrides, parse_params
from zopa.cli.progress import (
    DaskOption,
    ProgressOption,
    WorkersOption,
    progress_bar,
    wanted,
)
from zopa.cli.views.fit import Col, FitTable, set_wide
from zopa.cli.views.forecast import print_forecast

FLAGS = {
    "models": "--model",
    "params": "--param",
    "rounds": "--rounds",
    "draws": "--draws",
    "workers": "--workers",
    "dask": "--dask",
}
"""The option of ``zopa forecast`` behind each argument of the service call."""


def forecast(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", "-m", help="Model to run (repeat for several); 'all' runs every model."
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="Model parameter NAME=VALUE or MODEL.NAME=VALUE (repeatable).",
        ),
    ] = None,
    rounds: Annotated[
        int | None,
        typer.Option(
            "--rounds",
            min=1,
            help="Round limit of the models with rounds (eum, smp, exchange).",
        ),
    ] = None,
    trace: Annotated[
        bool, typer.Option("--trace", help="Include per-round positions (models with rounds).")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Write position maps here; with --trace also trajectories per model and issue.",
        ),
    ] = None,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            min=0,
            help="Monte Carlo draws of positions within their ranges; adds 5-95% intervals.",
        ),
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed for draws and random models.")
    ] = 0,
    calibrated: Annotated[
        bool,
        typer.Option(
            "--calibrated",
            help="Add 80% and 90% intervals calibrated on real outcomes (EU legislation, "
            "DEU III; see docs/validity.md).",
        ),
    ] = False,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    progress: ProgressOption = None,
    sets: SetOption = None,
    drops: DropOption = None,
    wide: WideOption = False,
    full: FullOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Forecast the outcome of every issue with one or more bargaining models.

    Models: run `zopa models` for the list. By default every registered model runs.
    With --draws N, each position is drawn N times within its stated range (triangular,
    mode at the position) and every forecast gets a 5-95% interval; a point forecast
    outside its own interval is flagged with the reason. The draws run in blocks of
    2,000, each seeded on its own from --seed (the first with the seed itself), on
    every core (--workers) or on Dask (--dask), keeping only each model's outcome per
    draw, so memory stays bounded; a progress bar shows on stderr when it is a terminal
    (--progress). With --trace, the first 10 draws keep their rounds too. With
    --calibrated, every forecast also gets 80% and 90% intervals from the models'
    errors on real EU legislative outcomes (a rough guide for other kinds of
    negotiation).

    \b
    Examples:
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml -m median -f json
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml -m eum --trace \\
            --plot out/eum
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml --draws 1000
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml --calibrated
    """
    from zopa import service

    set_wide(wide)
    params = parse_params(param or [])
    overrides, override_flags = parse_overrides(sets, drops)
    scenario = load_or_exit(file, quiet_warnings=True).scenario
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    show = wanted(progress) and draws > 0
    with (
        service_errors({**FLAGS, **override_flags}),
        progress_bar("draws", show=show) as on_block,
    ):
        result = service.forecast(
            scenario,
            models=model,
            params=params,
            rounds=rounds,
            draws=draws,
            seed=seed,
            trace=trace,
            calibrated=calibrated,
            progress=on_block,
            workers=workers,
            dask=dask,
            overrides=overrides,
        )
    if output is OutputFormat.json:
        print_result_json(result)
    else:
        print_forecast(result, output, full=full)
    if plot is not None:
        from zopa.report.plots import forecast_plots

        written = forecast_plots(result, plot, trace=trace)
        if output is OutputFormat.table:
            console.print(f"wrote {len(written)} plot(s) to {plot}/")


def models_command(
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the registered forecasting models, their citations and parameters.

    \b
    Example:
        zopa models
    """
    from zopa.models import available_models, model_class, model_parameters

    rows = []
    for name in available_models():
        cls = model_class(name)
        params = model_parameters(name)
        rows.append((name, cls.citation, params))
    if output is OutputFormat.json:
        print_json(
            {
                name: {
                    "citation": cit,
                    "parameters": {k: {"default": d, "type": t} for k, (d, t) in params.items()},
                }
                for name, cit, params in rows
            }
        )
    elif output is OutputFormat.csv:
        print_csv(["model", "citation", "parameters"], [[n, c, " ".join(p)] for n, c, p in rows])
    else:
        table = FitTable(
            "Forecasting models",
            [
                Col("model", key=True),
                Col("citation", wrap=True),
                Col("parameters (default)", wrap=True),
            ],
        )
        for name, cit, params in rows:
            table.add_row(name, cit, ", ".join(f"{k}={d!r}" for k, (d, _) in params.items()))
        table.print()


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command()(forecast)
    app.command(name="models")(models_command)
