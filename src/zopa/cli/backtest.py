"""``zopa backtest``: score the models on negotiations whose outcomes are known."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zopa.backtest import BacktestResult, result_json, run_backtest
from zopa.cli.common import (
    EXIT_ANALYSIS_FAILED,
    EXIT_BAD_INPUT,
    FormatOption,
    OutputFormat,
    console,
    err_console,
    fail,
    fmt_number,
    print_csv,
    print_json,
    print_problems,
)
from zopa.cli.forecast import parse_params, resolve_models
from zopa.io import Problem, check_scenario
from zopa.io.deu import check_capabilities, check_deu
from zopa.scenario import Scenario

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


def _load(path: Path, capability: Path | None, group_by: str | None) -> list[Scenario]:
    """Scenarios from a folder of scenario files or a DEU-layout CSV; exit 2 on errors."""
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    if path.is_dir():
        if capability is not None:
            fail("--capability applies to a DEU CSV file, not to a folder of scenarios")
        files = sorted(f for f in path.iterdir() if f.suffix.lower() in SCENARIO_SUFFIXES)
        if not files:
            fail(f"{path}: no scenario files (*.yaml, *.yml, *.json) in this folder")
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
        fail(f"{path}: expected a folder of scenario files or a DEU-layout .csv file")
    else:
        fail(f"{path}: no such file or folder")
    print_problems(problems)
    if any(p.is_error for p in problems):
        raise typer.Exit(EXIT_BAD_INPUT)
    if not any(i.outcome is not None for s in scenarios for i in s.issues):
        fail(f"{path}: no issue carries a known outcome, nothing to score")
    return scenarios


def _table(result: BacktestResult, title: str) -> None:
    table = Table(title=title, title_justify="left")
    table.add_column("model", no_wrap=True)
    for col in ("n", "MAE", "RMSE", "median AE", "within 10"):
        table.add_column(col, justify="right")
    for name, s in sorted(result.models.items(), key=lambda kv: kv[1].mae):
        ci = s.ci.get("mae")
        mae = fmt_number(s.mae) + (f" [{ci.low:.1f}, {ci.high:.1f}]" if ci else "")
        label = f"{name} (baseline)" if name in result.baselines else name
        table.add_row(
            label,
            str(s.n),
            mae,
            fmt_number(s.rmse),
            fmt_number(s.median_ae),
            f"{s.within_10:.0%}",
        )
    console.print(table)
    if result.paired:
        pairs = Table(title="Paired comparison (MAE of a minus MAE of b)", title_justify="left")
        for col in ("a", "b", "n", "difference", "interval", "a better"):
            pairs.add_column(col, justify="right" if col not in ("a", "b") else "left")
        for p in result.paired:
            pairs.add_row(
                p.a,
                p.b,
                str(p.n),
                fmt_number(p.mae_diff, 2),
                "—" if p.ci is None else f"[{p.ci.low:.2f}, {p.ci.high:.2f}]",
                "—" if p.share_a_better is None else f"{p.share_a_better:.0%}",
            )
        console.print(pairs)
    level = next(iter(result.models.values())).level if result.models else 0.95
    console.print(
        f"{len(result.cases)} issues with known outcomes; errors in points on 0-100; "
        f"brackets: {level:.0%} bootstrap intervals."
    )


def backtest(
    path: Annotated[
        Path,
        typer.Argument(help="Folder of scenario files with outcomes, or a DEU-layout CSV."),
    ],
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", "-m", help="Model to score (repeat for several); default: all models."
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Model parameter NAME=VALUE or MODEL.NAME=VALUE."),
    ] = None,
    capability: Annotated[
        Path | None,
        typer.Option(
            "--capability",
            "-c",
            help="CSV of actor,capability for a DEU file (e.g. Council voting weights).",
        ),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option("--group-by", help="DEU column naming each issue's proposal."),
    ] = None,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", min=0, help="Bootstrap replicates for intervals.")
    ] = 2000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of the bootstrap and models.")
    ] = 0,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Score forecasting models against known outcomes, with baselines.

    PATH is a folder of scenario files whose issues carry `outcome`, or a CSV in the
    layout of the DEU III dataset (';'-separated; isnr, rp, out, p<actor>, s<actor>).
    Baselines: the status quo and the unweighted mean of positions.

    Example:
        zopa backtest deu3.csv --capability council-votes.csv --format json
    """
    scenarios = _load(path, capability, group_by)
    models = resolve_models(model or [])
    params = parse_params(param or [], models)
    result = run_backtest(scenarios, models, params=params, n_boot=bootstrap, seed=seed)
    for f in result.failures:
        err_console.print(
            f"warning: model {f.model} failed on {f.scenario}: {f.message}",
            style="yellow",
            markup=False,
        )
    if not any(m in result.models for m in models):
        fail(
            "no model produced a forecast for any issue with a known outcome", EXIT_ANALYSIS_FAILED
        )
    if output is OutputFormat.json:
        print_json(result_json(result))
    elif output is OutputFormat.csv:
        rows = []
        for name, s in result.models.items():
            ci = s.ci.get("mae")
            rows.append(
                [
                    name,
                    name in result.baselines,
                    s.n,
                    s.mae,
                    None if ci is None else ci.low,
                    None if ci is None else ci.high,
                    s.rmse,
                    s.median_ae,
                    s.within_10,
                ]
            )
        print_csv(
            [
                "model",
                "baseline",
                "n",
                "mae",
                "mae_low",
                "mae_high",
                "rmse",
                "median_ae",
                "within_10",
            ],
            rows,
        )
    else:
        _table(result, f"Backtest — {path.name}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(backtest)
