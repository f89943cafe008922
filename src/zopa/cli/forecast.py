"""``zopa forecast``: where will the negotiation land, per issue and model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
    fail_all,
    fmt_number,
    load_or_exit,
    output_folder_or_exit,
    print_csv,
    print_json,
    print_result_json,
    service_errors,
    user_text,
)

if TYPE_CHECKING:
    from zopa.service.forecast import ForecastResult

FLAGS = {"models": "--model", "params": "--param", "rounds": "--rounds", "draws": "--draws"}
"""The option of ``zopa forecast`` behind each argument of the service call."""


def _parse_value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_params(items: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` / ``MODEL.NAME=VALUE`` items as ``{key: value}`` (exit 2 if malformed).

    Values read as booleans, whole numbers or numbers where they can; the service checks
    them against each model's parameters.
    """
    params: dict[str, Any] = {}
    bad = []
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            bad.append(f"--param {item!r}: expected NAME=VALUE or MODEL.NAME=VALUE")
            continue
        params[key] = _parse_value(raw)
    fail_all(bad)
    return params


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
            "--param", "-p", help="Model parameter NAME=VALUE or MODEL.NAME=VALUE (repeatable)."
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
    output: FormatOption = OutputFormat.table,
) -> None:
    """Forecast the outcome of every issue with one or more bargaining models.

    Models: run `zopa models` for the list. By default every registered model runs.
    With --draws N, each position is drawn N times within its stated range (triangular,
    mode at the position) and every forecast gets a 5-95% interval.

    Examples:
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml --model median --format json
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml -m eum --trace --plot out/eum
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml --draws 1000
    """
    from zopa import service

    params = parse_params(param or [])
    scenario = load_or_exit(file, quiet_warnings=True).scenario
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    with service_errors(FLAGS):
        result = service.forecast(
            scenario,
            models=model,
            params=params,
            rounds=rounds,
            draws=draws,
            seed=seed,
            trace=trace,
        )
    if output is OutputFormat.json:
        print_result_json(result)
    else:
        print_forecast(result, output)
    if plot is not None:
        from zopa.report.plots import forecast_plots

        written = forecast_plots(result, plot, trace=trace)
        if output is OutputFormat.table:
            console.print(f"wrote {len(written)} plot(s) to {plot}/")


def print_forecast(
    result: ForecastResult,
    output: OutputFormat = OutputFormat.table,
    *,
    with_intervals: bool = True,
) -> None:
    """The forecasts as CSV or as a table (with their 5–95% ranges when drawn)."""
    scenario, models = result.scenario, list(result.models)
    results = result.points
    intervals = result.intervals() if with_intervals else {}
    draws = result.draws
    if output is OutputFormat.csv:
        header = ["issue", "status_quo", *models]
        if intervals:
            header += [f"{m}_{q}" for m in models for q in ("low", "median", "high")]
        rows = [
            [
                i.id,
                i.status_quo,
                *(results[m].point()[i.id] for m in models),
                *(v for m in intervals for v in intervals[m][i.id]),
            ]
            for i in scenario.issues
        ]
        print_csv(header, rows)
    else:
        from rich.table import Table

        table = Table(title=f"Forecasts — {user_text(scenario.title)}", title_justify="left")
        table.add_column("issue", no_wrap=True)
        table.add_column("status quo", justify="right")
        for m in models:
            table.add_column(m, justify="right")
        for i in scenario.issues:
            cells = []
            for m in models:
                text = fmt_number(results[m].point()[i.id])
                if m in intervals:
                    low, _, high = intervals[m][i.id]
                    text += f" [{fmt_number(low, 0)}–{fmt_number(high, 0)}]"
                cells.append(text)
            table.add_row(i.id, fmt_number(i.status_quo), *cells)
        console.print(table)
        if intervals:
            console.print(
                f"[low–high]: 5–95% range over {draws} draws of positions within their ranges",
                markup=False,
            )
        for reason, issues in result.missing().items():
            console.print(f"— : no forecast for {', '.join(issues)} ({reason})", markup=False)


def models_command(
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the registered forecasting models, their citations and parameters.

    Example:
        zopa models
    """
    from rich.table import Table

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
        table = Table(title="Forecasting models", title_justify="left")
        for col in ("model", "citation", "parameters (default)"):
            table.add_column(col, overflow="fold")
        for name, cit, params in rows:
            table.add_row(name, cit, ", ".join(f"{k}={d!r}" for k, (d, _) in params.items()))
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command()(forecast)
    app.command(name="models")(models_command)
