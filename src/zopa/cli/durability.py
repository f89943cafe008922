"""``zopa durability``: will a deal's ceasefire hold, does it deter, and how does it end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    FullOption,
    OutputFormat,
    WideOption,
    output_folder_or_exit,
    print_overrides,
    print_result_json,
)
from zopa.cli.parsing import DropOption, SetOption
from zopa.cli.progress import (
    DaskOption,
    ProgressOption,
    WorkersOption,
)
from zopa.cli.views.durability import (
    DrawsOption,
    ParamsOption,
    PlotOption,
    SeedOption,
    print_assessment,
    print_rows,
    run_assessment,
    write_plots,
)
from zopa.cli.views.fit import set_wide


def durability(
    deal: Annotated[Path, typer.Argument(help="Deal file (YAML or JSON).")],
    draws: DrawsOption = 10_000,
    seed: SeedOption = 0,
    parameters: ParamsOption = None,
    plot: PlotOption = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    progress: ProgressOption = None,
    sets: SetOption = None,
    drops: DropOption = None,
    wide: WideOption = False,
    full: FullOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Will a deal's ceasefire hold, does it deter renewed attack, and which ending follows.

    Prints P(the ceasefire holds 1, 2, 5 years) with 90 % bands over the parameter ranges,
    each mechanism's hazard ratio, the deterrence balance by year and the window of
    vulnerability, the ending (capitulation / frozen conflict / durable settlement) with
    its margins, and every actor's utility of the deal against no deal. By default a
    summary (the mechanisms that change the hazard, years 0, 1, 2, 5 and 10); --full
    prints every mechanism, year, driver and actor, and the assumptions in full.

    --set/--drop change the scenario the deal file names (checked like the file).

    \b
    Examples:
        zopa durability scenarios/deals/e3-counter-proposal-2025-11.yaml
        zopa durability scenarios/deals/e3-counter-proposal-2025-11.yaml \\
            --draws 100000 --plot out/e3
        zopa durability scenarios/deals/e3-counter-proposal-2025-11.yaml \\
            --set RU.capability=50
    """
    from zopa import service

    set_wide(wide)
    result = run_assessment(
        service.durability,
        deal,
        sets=sets,
        drops=drops,
        progress=progress,
        parameters=parameters,
        draws=draws,
        seed=seed,
        workers=workers,
        dask=dask,
    )
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        print_rows(result)
    else:
        print_overrides(result.overrides)
        print_assessment(result.assessment, result.parameters, full=full)
    if plot is not None:
        write_plots(result, output_folder_or_exit(plot, "--plot"))


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(durability)
