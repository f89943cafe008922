"""``zopa compare``: several deals side by side on durability, deterrence and endings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    FullOption,
    OutputFormat,
    WideOption,
    console,
    one_line,
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
    print_notes,
    print_rows,
    run_assessment,
    write_plots,
)
from zopa.cli.views.fit import Col, FitTable, set_wide

if TYPE_CHECKING:
    from zopa.durability.assess import DealAssessment


SUMMARY = {
    "P(holds 1 y)",
    "P(holds 2 y)",
    "P(holds 5 y)",
    "main driver",
    "hazard ratio",
    "lowest balance",
    "vulnerable",
    "ending",
}
"""The rows of the default summary (with the utility gains of the veto players)."""


def _rows(assessments: list[DealAssessment], full: bool) -> list[tuple[str, list[str]]]:
    import numpy as np

    from zopa.durability.parameters import HAZARD_MECHANISMS
    from zopa.durability.simulate import HOLD_YEARS
    from zopa.service.durability import mechanism_setting

    rows: list[tuple[str, list[str]]] = []
    for y in HOLD_YEARS:
        cells = []
        for a in assessments:
            i = a.result.hold()[y]
            cells.append(f"{i.mean:.2f} [{i.low:.2f}–{i.high:.2f}]")
        rows.append((f"P(holds {y} y)", cells))
    rows.append(
        (
            "main drivers" if full else "main driver",
            [
                "\n".join(pid for pid, _ in a.result.drivers()[: 2 if full else 1])
                for a in assessments
            ],
        )
    )
    rows.append(
        (
            "hazard ratio",
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
            "lowest balance",
            [f"{float(a.result.balance_band()[0].min()):.2f}" for a in assessments],
        )
    )
    rows.append(
        (
            "vulnerable",
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
        rows.append((f"gain {actor}", [f"{a.utilities[k].gain:+.3f}" for a in assessments]))
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
    sets: SetOption = None,
    drops: DropOption = None,
    wide: WideOption = False,
    full: FullOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Compare deals side by side: survival, deterrence, ending, utilities.

    Every deal is run on the same parameter draws (same seed), so the differences come
    from the deals' terms, not from sampling noise. The deals are lettered A, B, ... in
    the table, with a legend. By default a summary; --full adds each mechanism, the
    margins of the ending and every actor's utility gain. --set/--drop change the
    scenario the deal files name.

    \b
    Examples:
        zopa compare scenarios/deals/*.yaml
        zopa compare scenarios/deals/*.yaml --full --plot out/compare
        zopa compare scenarios/deals/*.yaml --set RU.capability=50
    """
    from zopa import service

    set_wide(wide)
    result = run_assessment(
        service.compare,
        deals,
        sets=sets,
        drops=drops,
        progress=progress,
        parameters=parameters,
        draws=draws,
        seed=seed,
        workers=workers,
        dask=dask,
    )
    assessments = list(result.assessments)
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        print_rows(result)
    else:
        letters = [chr(ord("A") + n) if n < 26 else str(n + 1) for n in range(len(assessments))]
        console.print(f"[bold]Deals compared[/bold] ({draws} draws, seed {seed})")
        print_overrides(result.overrides)
        for letter, a in zip(letters, assessments, strict=True):
            title = f" — {one_line(a.deal.title)}" if full else ""
            console.print(f"{letter}: {one_line(a.deal.id)}{title}", markup=False)
        table = FitTable(None, [Col("", key=True)] + [Col(x, "right") for x in letters])
        vetoes = {a.id for a in assessments[0].scenario.actors if a.veto}
        shown = 0
        for label, cells in _rows(assessments, full):
            gain = label.startswith("gain ")
            if full or label in SUMMARY or (gain and label[5:] in vetoes):
                table.add_row(label, *cells)
                shown += 1
        table.print()
        console.print("P(holds): mean [5–95%] over the parameter draws", markup=False)
        if full:
            print_notes(assessments[0].result.notes)
        else:
            console.print(
                f"[yellow]! {len(assessments[0].result.notes)} assumptions behind these "
                "numbers; --full lists them with each mechanism, the ending's margins and "
                "every actor's gain[/]"
            )
    if plot is not None:
        write_plots(result, output_folder_or_exit(plot, "--plot"))


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(compare)
