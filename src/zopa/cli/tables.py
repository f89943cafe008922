"""``zopa tables``: who is at the table, and what each composition gives everyone."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    FullOption,
    OutputFormat,
    WideOption,
    console,
    fail_all,
    load_or_exit,
    one_line,
    output_folder_or_exit,
    print_csv,
    print_overrides,
    print_result_json,
    service_errors,
    user_text,
)
from zopa.cli.parsing import DropOption, SetOption, parse_overrides, parse_tables
from zopa.cli.views.fit import Col, FitTable, set_wide

if TYPE_CHECKING:
    from rich.text import Text

    from zopa.agreements.tables import TableComparison

FLAGS = {"tables": "--table", "grid": "--grid", "loss": "--loss", "method": "--method"}
"""The option of ``zopa tables`` behind each argument of the service call."""


def print_comparison(comparison: TableComparison, *, full: bool = False) -> None:
    """Each actor's utility per table, and each table's deal; with ``full``, the models too.

    The summary shows each actor's gain (the utility with ``full``), marked ``out`` when
    the actor is not at the table and ``rejects`` when the deal crosses its red lines or
    falls below its no-deal utility.
    """
    from rich.text import Text

    names = list(comparison.tables)
    table = FitTable(
        "Utility of each table's deal (gain over no agreement)"
        if full
        else "Gain of each table's deal over no agreement",
        [Col("actor", key=True), Col("no deal", "right")]
        + [Col(n, "right", wrap=True) for n in names],
    )
    for a in comparison.actor_ids:
        cells: list[str | Text] = []
        for n in names:
            t = comparison.tables[n]
            if t.deal is None:
                cells.append("no deal")
                continue
            u, g = t.deal.utilities[a], t.deal.gains[a]
            mark = "" if a in t.members else " [dim]out[/]"
            verdict = "" if t.acceptable.get(a, True) else " [red]rejects[/]"
            colour = "green" if g > 1e-9 else ("red" if g < -1e-9 else "white")
            value = f"{u:.3f} ({g:+.3f})" if full else f"{g:+.3f}"
            cells.append(Text.from_markup(f"[{colour}]{value}[/]{mark}{verdict}"))
        veto = "*" if comparison.veto[a] else ""
        table.add_row(f"{a}{veto}", f"{comparison.no_deal[a]:.3f}", *cells)
    table.print()
    console.print(
        "* veto player; out: not at the table; rejects: the deal is outside its red lines or "
        "below its no-deal utility"
    )
    deals = FitTable(
        "The deal each table reaches",
        [Col("issue", key=True)] + [Col(n, "right", wrap=True) for n in names],
    )
    for i in comparison.issue_ids:
        cells = []
        for n in names:
            t = comparison.tables[n]
            if t.deal is None or t.deal.package is None:
                cells.append("—")
            elif i in t.set_aside:
                v = t.deal.package[i]
                cells.append("status quo" if v is None or math.isnan(v) else f"{v:g} (set aside)")
            else:
                cells.append(f"{t.deal.package[i]:g}")
        deals.add_row(i, *cells)
    deals.add_section()
    deals.add_row("members", *(", ".join(comparison.tables[n].members) for n in names))
    deals.add_row(
        "absent vetoes",
        *(", ".join(comparison.tables[n].absent_vetoes) or "none" for n in names),
    )
    deals.print()
    models = sorted({f.model for t in comparison.tables.values() for f in t.forecasts})
    if models and not full:
        console.print(
            "--full: each actor's utility, and the forecasting models run on each table",
            markup=False,
        )
    elif models:
        fc = FitTable(
            "Forecasting models run on each table: mean utility of those absent / present",
            [Col("model", key=True)] + [Col(n, "right") for n in names],
        )
        for m in models:
            cells = []
            for n in names:
                t = comparison.tables[n]
                f = next((f for f in t.forecasts if f.model == m), None)
                if f is None or f.error:
                    cells.append("failed")
                    continue
                inside = [f.utilities[a] for a in comparison.actor_ids if a in t.members]
                outside = [f.utilities[a] for a in comparison.actor_ids if a not in t.members]
                out_text = f"{sum(outside) / len(outside):.3f}" if outside else "—"
                cells.append(f"{out_text} / {sum(inside) / len(inside):.3f}")
            fc.add_row(m, *cells)
        fc.print()


def tables_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    table: Annotated[
        list[str] | None,
        typer.Option(
            "--table",
            "-t",
            metavar="NAME=ID,...",
            help="A table NAME=ID,ID,... (repeat for several).",
        ),
    ] = None,
    grid: Annotated[
        int, typer.Option("--grid", min=2, max=201, help="Evenly spaced levels per issue.")
    ] = 11,
    loss: Annotated[
        str, typer.Option("--loss", help="Utility loss: linear or quadratic.")
    ] = "linear",
    method: Annotated[str, typer.Option("--method", help="auto, enumeration or milp.")] = "auto",
    models: Annotated[
        bool,
        typer.Option("--models/--no-models", help="Also run the forecasting models per table."),
    ] = True,
    full: FullOption = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the table-composition chart (PNG) here.")
    ] = None,
    sets: SetOption = None,
    drops: DropOption = None,
    wide: WideOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Compare who is at the table: the deal each composition reaches, and everyone's utility.

    Everyone at a table must sign; actors outside have no say. Their utility under the
    deal is reported, and absent veto players who would reject it are named.

    \b
    Examples:
        zopa tables scenarios/ukraine-ceasefire-2026.yaml -t bilateral=US,RU \\
            -t with-ukraine=US,RU,UA -t with-europe=US,RU,UA,EU,UK,FR,DE
        zopa tables scenarios/ukraine-ceasefire-2026.yaml -t bilateral=US,RU \\
            --set RU.capability=50
    """
    from zopa import service

    set_wide(wide)
    overrides, override_flags = parse_overrides(sets, drops)

    if not table:
        fail_all(["give at least one --table NAME=ID,..."])
    chosen = parse_tables(table or [])
    scenario = load_or_exit(file, quiet_warnings=True).scenario
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    with service_errors({**FLAGS, **override_flags}):
        result = service.tables(
            scenario,
            chosen,
            grid=grid,
            loss=loss,
            method=method,
            # the models' results show in JSON, CSV and --full only
            forecasts=models and (full or output is not OutputFormat.table),
            overrides=overrides,
        )
    comparison = result.comparison
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        names = list(comparison.tables)
        rows = [
            [
                a,
                comparison.no_deal[a],
                *(
                    None
                    if comparison.tables[n].deal is None
                    else comparison.tables[n].deal.utilities[a]  # type: ignore[union-attr]
                    for n in names
                ),
            ]
            for a in comparison.actor_ids
        ]
        print_csv(["actor", "no_deal", *names], rows)
    else:
        console.print(f"[bold]{user_text(one_line(scenario.title))}[/] — who is at the table")
        print_overrides(result.overrides)
        print_comparison(comparison, full=full)
    if plot is not None:
        from zopa.report.deals import plot_table_composition

        path = plot_table_composition(comparison, plot / "tables.png")
        if output is OutputFormat.table:
            console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command(name="tables")(tables_command)
