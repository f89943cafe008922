"""``zopa durability``: will a deal's ceasefire hold, does it deter, and how does it end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    output_folder_or_exit,
    print_result_json,
    service_errors,
)
from zopa.cli.progress import (
    EXECUTOR_FLAGS,
    DaskOption,
    ProgressOption,
    WorkersOption,
    progress_bar,
    wanted,
)
from zopa.cli.views.durability import (
    FLAGS,
    DrawsOption,
    ParamsOption,
    PlotOption,
    SeedOption,
    print_assessment,
    print_rows,
    write_plots,
)


def durability(
    deal: Annotated[Path, typer.Argument(help="Deal file (YAML or JSON).")],
    draws: DrawsOption = 10_000,
    seed: SeedOption = 0,
    parameters: ParamsOption = None,
    plot: PlotOption = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    progress: ProgressOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Will a deal's ceasefire hold, does it deter renewed attack, and which ending follows.

    Prints P(the ceasefire holds 1, 2, 5 years) with 90 % bands over the parameter ranges,
    each mechanism's hazard ratio, the deterrence balance by year and the window of
    vulnerability, the ending (capitulation / frozen conflict / durable settlement) with
    its margins, and every actor's utility of the deal against no deal.

    Example:
        zopa durability scenarios/deals/e3-counter-proposal-2025-11.yaml --draws 100000 --plot out/
    """
    from zopa import service

    show = wanted(progress)
    with service_errors(FLAGS | EXECUTOR_FLAGS), progress_bar("draws", show=show) as on_task:
        result = service.durability(
            deal,
            parameters=parameters,
            draws=draws,
            seed=seed,
            workers=workers,
            dask=dask,
            progress=on_task,
        )
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        print_rows(result)
    else:
        print_assessment(result.assessment, result.parameters)
    if plot is not None:
        write_plots(result, output_folder_or_exit(plot, "--plot"))


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(durability)
