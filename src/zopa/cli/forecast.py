"""``zopa forecast``: where will the negotiation land, per issue and model."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from rich.table import Table

from zopa.cli.common import (
    EXIT_ANALYSIS_FAILED,
    EXIT_BAD_INPUT,
    FormatOption,
    OutputFormat,
    console,
    fail,
    fmt_number,
    load_or_exit,
    print_csv,
    print_json,
)
from zopa.models import available_models, make_model, model_class, model_parameters

if TYPE_CHECKING:
    from zopa.models import Forecast
    from zopa.scenario import Scenario


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


def parse_params(items: list[str], models: list[str]) -> dict[str, dict[str, Any]]:
    """Turn ``name=value`` / ``model.name=value`` items into per-model keyword arguments."""
    per_model: dict[str, dict[str, Any]] = {m: {} for m in models}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            fail(f"--param {item!r}: expected NAME=VALUE or MODEL.NAME=VALUE")
        value = _parse_value(raw)
        target, dot, name = key.rpartition(".")
        targets = [target] if dot else models
        if dot and target not in models:
            fail(f"--param {item!r}: model {target!r} is not among those run ({', '.join(models)})")
        applied = False
        for model in targets:
            if name in model_parameters(model):
                per_model[model][name] = value
                applied = True
        if not applied:
            known = {m: ", ".join(model_parameters(m)) or "none" for m in targets}
            listing = "; ".join(f"{m}: {k}" for m, k in known.items())
            fail(f"--param {item!r}: no such parameter (parameters: {listing})")
    return per_model


def resolve_models(names: list[str]) -> list[str]:
    """Expand ``all`` and check the names against the registry (exit 2 on unknown)."""
    if not names or "all" in names:
        return list(available_models())
    for name in names:
        try:
            model_class(name)
        except KeyError as exc:
            fail(str(exc.args[0]))
    return list(dict.fromkeys(names))


def run_forecasts(
    scenario: Scenario, models: list[str], params: dict[str, dict[str, Any]], seed: int
) -> dict[str, Forecast]:
    """Run each model on the scenario's point estimate."""
    view = scenario.arrays()
    results = {}
    for name in models:
        try:
            model = make_model(name, **params.get(name, {}))
        except (TypeError, ValueError) as exc:
            fail(f"model {name}: {exc}", EXIT_BAD_INPUT)
        try:
            results[name] = model.forecast(view, rng=np.random.default_rng(seed))
        except (ValueError, ArithmeticError) as exc:
            fail(f"model {name} failed: {exc}", EXIT_ANALYSIS_FAILED)
    return results


def forecasts_json(
    scenario: Scenario, results: dict[str, Forecast], *, trace: bool = False
) -> dict[str, Any]:
    """The documented JSON result of ``zopa forecast``."""
    out: dict[str, Any] = {
        "scenario": scenario.title,
        "forecasts": {name: f.point() for name, f in results.items()},
        "models": {
            name: {
                "citation": model_class(name).citation,
                "rounds": None if f.trajectory is None else int(f.trajectory.shape[1] - 1),
            }
            for name, f in results.items()
        },
        "issues": {
            i.id: {
                "name": i.name,
                "scale": [i.scale.min, i.scale.max],
                "status_quo": i.status_quo,
            }
            for i in scenario.issues
        },
    }
    if trace:
        out["trace"] = {
            name: {
                "actors": list(scenario.actor_ids),
                "issues": list(scenario.issue_ids),
                "positions": f.trajectory[0].round(4).tolist(),
            }
            for name, f in results.items()
            if f.trajectory is not None
        }
    return out


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
    trace: Annotated[
        bool, typer.Option("--trace", help="Include per-round positions (models with rounds).")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write position maps (and trajectories with --trace) here."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for models that draw at random.")] = 0,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Forecast the outcome of every issue with one or more bargaining models.

    Models: run `zopa models` for the list. By default every registered model runs.

    Example:
        zopa forecast scenarios/ukraine-ceasefire-2026.yaml --model median --format json
    """
    scenario = load_or_exit(file, quiet_warnings=True)
    models = resolve_models(model or [])
    params = parse_params(param or [], models)
    results = run_forecasts(scenario, models, params, seed)
    if output is OutputFormat.json:
        print_json(forecasts_json(scenario, results, trace=trace))
    elif output is OutputFormat.csv:
        rows = [
            [i.id, i.status_quo, *(results[m].point()[i.id] for m in models)]
            for i in scenario.issues
        ]
        print_csv(["issue", "status_quo", *models], rows)
    else:
        table = Table(title=f"Forecasts — {scenario.title}", title_justify="left")
        table.add_column("issue")
        table.add_column("status quo", justify="right")
        for m in models:
            table.add_column(m, justify="right")
        for i in scenario.issues:
            values = [results[m].point()[i.id] for m in models]
            table.add_row(
                f"{i.name} ({i.id})",
                fmt_number(i.status_quo),
                *(fmt_number(v) for v in values),
            )
        console.print(table)
        missing = [
            i.id
            for i in scenario.issues
            if any(math.isnan(results[m].point()[i.id]) for m in models)
        ]
        if missing:
            console.print(f"— : no forecast (no actor holds a stance on {', '.join(missing)})")
    if plot is not None:
        from zopa.report.position_map import plot_position_maps

        points = {m: f.point() for m, f in results.items()}
        plot_position_maps(scenario, plot, forecasts=points)


def models_command(
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the registered forecasting models, their citations and parameters.

    Example:
        zopa models
    """
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
