"""``zopa backtest``: score the models on negotiations whose outcomes are known."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
    err_console,
    fmt_number,
    print_csv,
    print_result_json,
    service_errors,
)
from zopa.cli.parsing import parse_params
from zopa.cli.progress import (
    EXECUTOR_FLAGS,
    DaskOption,
    ProgressOption,
    WorkersOption,
    progress_bar,
    wanted,
)
from zopa.cli.views.fit import Col, FitTable

if TYPE_CHECKING:
    from zopa.backtest import BacktestResult

FLAGS = {
    "models": "--model",
    "params": "--param",
    "capability": "--capability",
    "bootstrap": "--bootstrap",
}
"""The option of ``zopa backtest`` behind each argument of the service call."""


def _table(result: BacktestResult, title: str) -> None:
    table = FitTable(
        title,
        [Col("model", key=True)]
        + [Col(col, "right") for col in ("n", "MAE", "RMSE", "median AE", "within 10")],
    )
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
    table.print()
    if result.paired:
        pairs = FitTable(
            "Paired comparison (MAE of a minus MAE of b)",
            [Col("a", key=True), Col("b", key=True)]
            + [Col(col, "right") for col in ("n", "difference", "interval", "a better")],
        )
        for p in result.paired:
            pairs.add_row(
                p.a,
                p.b,
                str(p.n),
                fmt_number(p.mae_diff, 2),
                "—" if p.ci is None else f"[{p.ci.low:.2f}, {p.ci.high:.2f}]",
                "—" if p.share_a_better is None else f"{p.share_a_better:.0%}",
            )
        pairs.print()
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
    workers: WorkersOption = None,
    dask: DaskOption = None,
    progress: ProgressOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Score forecasting models against known outcomes, with baselines.

    PATH is a folder of scenario files whose issues carry `outcome`, or a CSV in the
    layout of the DEU III dataset (';'-separated; isnr, rp, out, p<actor>, s<actor>).
    Baselines: the status quo and the unweighted mean of positions.

    \b
    Example:
        zopa backtest deu3.csv --capability council-votes.csv --format json
    """
    from zopa import service

    params = parse_params(param or [])
    with service_errors(FLAGS | EXECUTOR_FLAGS):
        cases = service.load_cases(path, capability=capability, group_by=group_by)
        with progress_bar("scenarios", show=wanted(progress)) as on_task:
            report = service.backtest(
                cases,
                models=model,
                params=params,
                bootstrap=bootstrap,
                seed=seed,
                workers=workers,
                dask=dask,
                progress=on_task,
            )
    result = report.result
    for f in result.failures:
        err_console.print(
            f"warning: model {f.model} failed on {f.scenario}: {f.message}",
            style="yellow",
            markup=False,
        )
    if output is OutputFormat.json:
        print_result_json(report)
    elif output is OutputFormat.csv:
        rows = report.to_rows()
        print_csv(CSV_HEADER, [list(r.values()) for r in rows])
    else:
        _table(result, f"Backtest — {path.name}")


CSV_HEADER = [
    "model",
    "baseline",
    "n",
    "mae",
    "mae_low",
    "mae_high",
    "rmse",
    "median_ae",
    "within_10",
]


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(backtest)
