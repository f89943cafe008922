"""``zopa sweep``: a grid of model parameters, overrides or scenarios, each with draws, stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from zopa.cli.common import (
    EXIT_OK,
    FormatOption,
    OutputFormat,
    console,
    err_console,
    fail_all,
    print_csv,
    print_result_json,
    service_errors,
)
from zopa.cli.parsing import _parse_value as parse_value
from zopa.cli.progress import (
    EXECUTOR_FLAGS,
    DaskOption,
    ProgressOption,
    WorkersOption,
    progress_bar,
    wanted,
)

FLAGS = {
    "models": "--model",
    "grid": "--grid",
    "overrides": "--vary",
    "draws": "--draws",
    "blocks_per_chunk": "--chunk-blocks",
    "store": "--store",
    **EXECUTOR_FLAGS,
}
"""The option of ``zopa sweep`` behind each argument of the service call."""

EXIT_INTERRUPTED = 130


def parse_axes(items: list[str], option: str, example: str) -> dict[str, list[Any]]:
    """``KEY=V1,V2,...`` items as ``{key: [values]}`` (exit 2 naming every malformed item)."""
    axes: dict[str, list[Any]] = {}
    bad = []
    for item in items:
        key, sep, raw = item.partition("=")
        values = [parse_value(v.strip()) for v in raw.split(",") if v.strip()]
        if not sep or not key.strip() or not values:
            bad.append(f"{option} {item!r}: expected KEY=V1,V2,... (e.g. {example})")
        elif key.strip() in axes:
            bad.append(f"{option} {item!r}: {key.strip()} given twice")
        else:
            axes[key.strip()] = values
    fail_all(bad)
    return axes


def sweep(
    path: Annotated[Path, typer.Argument(help="A scenario file, or a folder of scenario files.")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="Model to run (repeatable; default every model)."),
    ] = None,
    grid: Annotated[
        list[str] | None,
        typer.Option(
            "--grid",
            "-g",
            help="An axis of model parameters: MODEL.PARAM=V1,V2,... (that model) or "
            "PARAM=V1,V2,... (every model that has it); repeatable.",
        ),
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="An axis of overrides: ACTOR:ISSUE.position=V1,V2 (or .salience, "
            ".red_line) or ACTOR.capability=V1,V2; repeatable.",
        ),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=1, help="Monte Carlo draws at every point.")
    ] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of the draws (the same at every point).")
    ] = 0,
    store: Annotated[
        Path, typer.Option("--store", help="The results store (a folder; created if needed).")
    ] = Path("runs"),
    chunk_blocks: Annotated[
        int,
        typer.Option(
            "--chunk-blocks",
            min=1,
            help="Blocks of 2,000 draws per stored chunk (one task each).",
        ),
    ] = 5,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    progress: ProgressOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Run a grid of model parameters, overrides or scenarios, each with Monte Carlo draws.

    Every model runs at every combination of its --grid axes (a model without one runs
    at its defaults), on every scenario (a folder: each file in it) and every
    combination of --vary axes. Each point's draws run in chunks on the executor (every
    core, --workers, or Dask, --dask) and are stored as Parquet files with the run's
    metadata (seed, SHA-256 of every input file, zopa version, parameters, executor) in
    --store/RUN_ID. Stopped part-way (Ctrl-C), the same command resumes the run,
    computing only the chunks not stored. `zopa runs` lists the stored runs and shows
    one.

    Examples:
        zopa sweep flagship.yaml -m smp -g smp.victory_power=0.5,1,2
        zopa sweep flagship.yaml -m nash --vary RU:territory.position=10,50
        zopa sweep scenarios/ --draws 10000 --dask tcp://scheduler:8786
    """
    from zopa import service

    axes = parse_axes(grid or [], "--grid", "smp.victory_power=0.5,1,2")
    changes = parse_axes(vary or [], "--vary", "RU:territory.position=10,30,50")
    show = wanted(progress)
    try:
        with service_errors(FLAGS), progress_bar("chunks", show=show) as on_chunk:
            result = service.sweep(
                path,
                store=store,
                models=model,
                grid=axes,
                overrides=changes,
                draws=draws,
                seed=seed,
                blocks_per_chunk=chunk_blocks,
                workers=workers,
                dask=dask,
                progress=on_chunk,
            )
    except KeyboardInterrupt:
        err_console.print(
            f"interrupted: the chunks finished so far are stored in {store}/; run the same "
            "command again to resume",
            markup=False,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        rows = result.to_rows()
        print_csv(list(rows[0]), [list(r.values()) for r in rows])
    else:
        console.print(
            f"run {result.run_id}: {len(result.plan.points)} point(s) x {draws} draws, "
            f"{result.computed} chunk(s) computed, {result.reused} already stored "
            f"({result.executor})",
            markup=False,
        )
        console.print(
            f"stored in {result.folder}/; show it with: zopa runs {result.run_id} --store {store}",
            markup=False,
        )
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(sweep)
