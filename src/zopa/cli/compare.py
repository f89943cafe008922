"""``zopa compare``: several deals side by side on durability, deterrence and endings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.table import Table

from zopa.cli.common import (
    EXIT_BAD_INPUT,
    FormatOption,
    OutputFormat,
    console,
    err_console,
    fail,
    output_folder_or_exit,
    print_csv,
    print_json,
)
from zopa.cli.durability import (
    DrawsOption,
    ParamsOption,
    PlotOption,
    SeedOption,
    assessment_csv,
    assessment_json,
    check_deal_and_print,
    load_parameters_or_exit,
    mechanism_setting,
    print_notes,
    write_plots,
)
from zopa.durability.assess import DealAssessment, assess_deal
from zopa.durability.parameters import HAZARD_MECHANISMS
from zopa.durability.simulate import HOLD_YEARS


def _rows(assessments: list[DealAssessment]) -> list[tuple[str, list[str]]]:
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
    output: FormatOption = OutputFormat.table,
) -> None:
    """Compare deals side by side: survival, deterrence, ending, utilities; plots with --plot.

    Every deal is run on the same parameter draws (same seed), so the differences come
    from the deals' terms, not from sampling noise.

    Example:
        zopa compare scenarios/deals/*.yaml --plot out/
    """
    if len(deals) < 2:
        fail("give two or more deal files to compare (for one deal: zopa durability DEAL)")
    params = load_parameters_or_exit(parameters)
    checked = [check_deal_and_print(path) for path in deals]  # every file's problems at once
    loaded = [c for c in checked if c is not None]
    if len(loaded) < len(checked):
        raise typer.Exit(EXIT_BAD_INPUT)
    ids = [d.id for d, _ in loaded]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        fail(f"the same deal is given twice: {', '.join(twice)}")
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    assessments = [
        assess_deal(deal, scenario, params, n_draws=draws, seed=seed) for deal, scenario in loaded
    ]
    if output is OutputFormat.json:
        print_json({"deals": [assessment_json(a, params) for a in assessments]})
    elif output is OutputFormat.csv:
        header, rows = assessment_csv(assessments[0])
        for a in assessments[1:]:
            rows += assessment_csv(a)[1]
        print_csv(header, rows)
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
        try:
            paths = write_plots(assessments, params, plot)
        except OSError as exc:
            fail(f"cannot write plots to {plot}: {exc.strerror}")
        err_console.print("wrote " + ", ".join(str(p) for p in paths), markup=False)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(compare)
