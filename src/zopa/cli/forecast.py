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
    err_console,
    fail,
    fmt_number,
    load_or_exit,
    output_folder_or_exit,
    print_csv,
    print_json,
    user_text,
)
from zopa.models import available_models, make_model, model_class, model_parameters
from zopa.models.base import ParameterError, check_parameters
from zopa.uncertainty import INTERVAL_LEVELS, forecast_intervals, sample_positions

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
    problems = []
    for model, given in per_model.items():
        try:
            per_model[model] = check_parameters(model, given)
        except ParameterError as exc:
            problems += [f"--param {model}.{problem}" for problem in exc.problems]
    for problem in problems[:-1]:
        err_console.print(f"error: {problem}", style="red", markup=False)
    if problems:
        fail(problems[-1])
    return per_model


ROUND_PARAMETERS = ("rounds", "max_rounds", "max_turns")
"""Names under which models with rounds take their round limit (the first one found)."""


def apply_rounds(
    rounds: int, models: list[str], params: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Set the round limit of every model with rounds (exit 2 if none of them has rounds)."""
    applied = False
    for name in models:
        known = model_parameters(name)
        for parameter in ROUND_PARAMETERS:
            if parameter in known:
                params[name].setdefault(parameter, rounds)
                applied = True
                break
    if not applied:
        fail(f"--rounds: none of the models run ({', '.join(models)}) has rounds")
    return params


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
    scenario: Scenario,
    models: list[str],
    params: dict[str, dict[str, Any]],
    seed: int,
    *,
    draws: int = 0,
) -> tuple[dict[str, Forecast], dict[str, Forecast]]:
    """Run each model on the point estimate and, with ``draws``, on Monte Carlo draws.

    Returns the point forecasts and the batched forecasts (empty without draws).
    """
    view = scenario.arrays()
    batch = sample_positions(view, draws, np.random.default_rng(seed)) if draws else None
    results, batched = {}, {}
    for name in models:
        try:
            model = make_model(name, **params.get(name, {}))
        except (TypeError, ValueError) as exc:
            fail(f"model {name}: {exc}", EXIT_BAD_INPUT)
        try:
            results[name] = model.forecast(view, rng=np.random.default_rng(seed))
            if batch is not None:
                batched[name] = model.forecast(batch, rng=np.random.default_rng(seed))
        except (ValueError, ArithmeticError) as exc:
            fail(f"model {name} failed: {exc}", EXIT_ANALYSIS_FAILED)
    return results, batched


def forecasts_json(
    scenario: Scenario,
    results: dict[str, Forecast],
    *,
    trace: bool = False,
    batched: dict[str, Forecast] | None = None,
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
    if batched:
        out["intervals"] = {
            name: {
                "draws": int(f.outcome.shape[0]),
                "levels": list(INTERVAL_LEVELS),
                "issues": {
                    issue: dict(zip(("low", "median", "high"), values, strict=True))
                    for issue, values in forecast_intervals(f.outcome, f.issue_ids).items()
                },
            }
            for name, f in batched.items()
        }
    if trace:
        out["trace"] = {}
        for name, f in results.items():
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
    return out


def accepted_offers(f: Forecast, actor_ids: tuple[str, ...]) -> list[dict[str, Any]] | None:
    """Who moved whom, round by round (draw 0), for models that record their offers."""
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
    scenario = load_or_exit(file, quiet_warnings=True)
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    models = resolve_models(model or [])
    params = parse_params(param or [], models)
    if rounds is not None:
        params = apply_rounds(rounds, models, params)
    results, batched = run_forecasts(scenario, models, params, seed, draws=draws)
    intervals = {m: forecast_intervals(f.outcome, f.issue_ids) for m, f in batched.items()}
    if output is OutputFormat.json:
        print_json(forecasts_json(scenario, results, trace=trace, batched=batched))
    elif output is OutputFormat.csv:
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
        missing = [
            i.id
            for i in scenario.issues
            if any(math.isnan(results[m].point()[i.id]) for m in models)
        ]
        for reason, issues in _why_no_forecast(scenario, missing).items():
            console.print(f"— : no forecast for {', '.join(issues)} ({reason})", markup=False)
    if plot is not None:
        written = write_forecast_plots(scenario, results, plot, trace=trace)
        if output is OutputFormat.table:
            console.print(f"wrote {len(written)} plot(s) to {plot}/")


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


def write_forecast_plots(
    scenario: Scenario, results: dict[str, Forecast], folder: Path, *, trace: bool
) -> list[Path]:
    """Position maps with every forecast; with ``trace``, per-round trajectories too.

    Trajectories go to ``<model>-trajectory-<issue>.png`` for every model with rounds,
    and the expected-utility model adds ``eum-who-moved-whom-<issue>.png``.
    """
    from zopa.report.position_map import plot_position_maps
    from zopa.report.trajectory import plot_trajectories
    from zopa.report.who_moved_whom import plot_who_moved_whom_all

    points = {m: f.point() for m, f in results.items()}
    written = plot_position_maps(scenario, folder, forecasts=points)
    if trace:
        for forecast in results.values():
            if forecast.trajectory is None:
                continue
            written += plot_trajectories(scenario, forecast, folder)
            if {"proposer", "kind", "move"} <= set(forecast.diagnostics):
                written += plot_who_moved_whom_all(scenario, forecast, folder)
    return written


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
