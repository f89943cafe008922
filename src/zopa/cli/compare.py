"""``zopa compare``: several deals side by side on durability, deterrence and endings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
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
    print_notes,
    print_rows,
    write_plots,
)

if TYPE_CHECKING:
    from zopa.durability.assess import DealAssessment


def _rows(assessments: list[DealAssessment]) -> list[tuple[str, list[str]]]:
    import numpy as np

    from zopa.durability.parameters import HAZARD_MECHANISMS
    from zopa.durability.simulate import HOLD_YEARS
    from zopa.service.durability import mechanism_setting

    rows: list[tuple[str, list[str]]] = []
    for y in HOLD_YEARS:
        cells = []
        for a in assessments:
            i = a.result.hold()[y]
            cells.append(f"{i.mean:.2f} [{i.low:.2f}-{i.high:.2f}]")
        rows.append((f"P(holds {y} y) [5-95 %]", cells))
    rows.append(
        (
            "main drivers of P(holds 5 y)",
            [", ".join(pid for pid, _ in a.result.drivers()[:2]) for a in assessments],
        )
    )
    rows.append(
        (
            "combined hazard ratio (median)",
            [f"{float(np.median(a.result.hazard_ratio)):.2f}" for a in assessments],
        )
    )
    for name in HAZARD_MECHANISMS:
        rows.append(
            (
                f"  {name}",
                [mechanism_setting(a.deal.mechanisms, name, short=True) for a in assessments],
            )
        )
    rows.append(
        (
            "  defender force cap",
            [
                f"{c:,}" if (c := a.deal.mechanisms.force_caps.defender_personnel) else "none"
                for a in assessments
            ],
        )
    )
    rows.append(("  arms supply", [a.deal.mechanisms.arms_supply for a in assessments]))
    rows.append(
        (
            "lowest median balance",
            [f"{float(a.result.balance_band()[0].min()):.2f}" for a in assessments],
        )
    )
    rows.append(
        (
            "window of vulnerability",
            [
                "; ".join(f"{x:g}-{y:g} y" for x, y in a.result.vulnerability_windows()) or "none"
                for a in assessments
            ],
        )
    )
    rows.append(("ending", [a.ending.ending.value.replace("_", " ") for a in assessments]))
    rows.append(
        (
            "  red-line margin",
            [
                "—" if a.ending.red_line_margin is None else f"{a.ending.red_line_margin:+.2f}"
                for a in assessments
            ],
        )
    )
    rows.append(("  balance margin", [f"{a.ending.balance_margin:+.2f}" for a in assessments]))
    rows.append(
        ("  durability margin", [f"{a.ending.durability_margin:+.2f}" for a in assessments])
    )
    rows.append(
        (
            "  unsettled core issues",
            [", ".join(a.ending.unsettled_core) or "none" for a in assessments],
        )
    )
    actors = [u.actor for u in assessments[0].utilities]
    for k, actor in enumerate(actors):
        rows.append((f"utility gain {actor}", [f"{a.utilities[k].gain:+.3f}" for a in assessments]))
    return rows


def compare(
    deals: Annotated[list[Path], typer.Argument(help="Two or more deal files.")],
    draws: DrawsOption = 10_000,
    seed: SeedOption = 0,
    parameters: ParamsOption = None,
    plot: PlotOption = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    progress: ProgressOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Compare deals side by side: survival, deterrence, ending, utilities; plots with --plot.

    Every deal is run on the same parameter draws (same seed), so the differences come
    from the deals' terms, not from sampling noise.

    Example:
        zopa compare scenarios/deals/*.yaml --plot out/
    """
    from rich.table import Table

    from zopa import service

    show = wanted(progress)
    with service_errors(FLAGS | EXECUTOR_FLAGS), progress_bar("draws", show=show) as on_task:
        result = service.compare(
            deals,
            parameters=parameters,
            draws=draws,
            seed=seed,
            workers=workers,
            dask=dask,
            progress=on_task,
        )
    assessments = list(result.assessments)
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        print_rows(result)
    else:
        table = Table(title=f"Deals compared ({draws} draws, seed {seed})", title_justify="left")
        table.add_column("", no_wrap=True)
        for a in assessments:
            table.add_column(a.deal.id, overflow="fold")
        for label, cells in _rows(assessments):
            table.add_row(label, *cells)
        console.print(table)
        for a in assessments:
            console.print(f"{a.deal.id}: {a.deal.title}", markup=False)
        print_notes(assessments[0].result.notes)
    if plot is not None:
        write_plots(result, output_folder_or_exit(plot, "--plot"))


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(compare)
