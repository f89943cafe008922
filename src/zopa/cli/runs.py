"""``zopa runs``: the runs of a results store, or one run's forecasts and ranges."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
    print_csv,
    print_result_json,
    service_errors,
)

FLAGS = {"store": "--store", "run": "RUN"}
"""The option of ``zopa runs`` behind each argument of the service call."""


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "–" if value != value else f"{value:.1f}"
    return str(value)


def runs(
    run: Annotated[
        str | None, typer.Argument(help="A run's id (or a unique prefix): show that run.")
    ] = None,
    store: Annotated[Path, typer.Option("--store", help="The results store.")] = Path("runs"),
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the runs stored by `zopa sweep`, or show one: forecasts and 5-95% ranges.

    Without RUN, one line per run: its id, when it started, its scenarios, models and
    points, the draws and seed, and how many of its chunks are stored (a run stopped
    part-way resumes with the command that started it). With RUN, one row per point
    and issue: the model, its settings, the forecast on the stated positions and the
    5%, median and 95% over the draws. --format json adds the run's metadata (the
    SHA-256 of every input file, the zopa version, the executors); --format csv is the
    tidy table a report or a notebook reads (`zopa.service.load_run` loads a run with
    every draw).

    Examples:
        zopa runs
        zopa runs 3f2a --format csv > sweep.csv
    """
    from zopa import service

    with service_errors(FLAGS):
        result = service.list_runs(store) if run is None else service.load_run(store, run)
    if output is OutputFormat.json:
        print_result_json(result)
        return
    rows = result.to_rows()
    if output is OutputFormat.csv:
        print_csv(list(rows[0]) if rows else [], [list(r.values()) for r in rows])
        return
    from rich.table import Table

    if not isinstance(result, service.RunResult):
        if not rows:
            console.print(f"no runs in {store}", markup=False)
            return
        table = Table(title=f"Runs in {store}", title_justify="left")
        columns = ("run", "created", "scenarios", "models", "points", "draws", "seed")
        for col in (*columns, "stored"):
            table.add_column(col, overflow="fold")
        for r in rows:
            stored = f"{r['stored']}/{r['chunks']}" + ("" if r["complete"] else " (stopped)")
            table.add_row(*(_cell(r[c]) for c in columns), stored)
        console.print(table)
        return
    table = Table(
        title=f"Run {result.id}: forecast and 5-95% range over the draws", title_justify="left"
    )
    for col in ("point", "model", "setting", "issue", "forecast", "5%", "median", "95%"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            *(_cell(r[c]) for c in ("point", "model", "setting", "issue", "forecast")),
            *(_cell(r[c]) for c in ("low", "median", "high")),
        )
    console.print(table)
    if result.missing:
        console.print(
            f"{len(result.missing)} chunk(s) not stored: run the sweep again to finish it",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(runs)
