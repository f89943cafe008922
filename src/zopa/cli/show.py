"""``zopa show``: a scenario as tables (and position-map plots)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
    fmt_number,
    load_or_exit,
    output_folder_or_exit,
    print_csv,
    print_json,
    user_text,
)

if TYPE_CHECKING:
    from rich.table import Table

    from zopa.scenario import Scenario


def _actors_table(scenario: Scenario) -> Table:
    from rich.table import Table

    table = Table(title="Actors", title_justify="left")
    for col in ("id", "name", "capability", "veto", "groups", "stances"):
        table.add_column(col, justify="right" if col in ("capability", "stances") else "left")
    for a in scenario.actors:
        n = sum(s.actor == a.id for s in scenario.stances)
        table.add_row(
            a.id, a.name, f"{a.capability:g}", "yes" if a.veto else "", ", ".join(a.groups), str(n)
        )
    return table


def _issues_table(scenario: Scenario) -> Table:
    from rich.table import Table

    table = Table(title="Issues", title_justify="left")
    for col in ("id", "name", "scale", "status quo", "low end", "high end"):
        table.add_column(col, overflow="fold")
    for i in scenario.issues:
        anchors = dict(i.anchors)
        table.add_row(
            i.id,
            i.name,
            f"{i.scale.min:g}–{i.scale.max:g}",
            fmt_number(i.status_quo, 0),
            anchors.get(i.scale.min, ""),
            anchors.get(i.scale.max, ""),
        )
    return table


def _matrix_table(scenario: Scenario) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="Positions (bold: salience ≥ 0.7, dim: < 0.3, '|n': red line at n, blank: no stance)",
        title_justify="left",
    )
    table.add_column("actor")
    for i in scenario.issues:
        table.add_column(i.id, justify="right")
    for a in scenario.actors:
        cells: list[str | Text] = []
        for i in scenario.issues:
            s = scenario.stance(a.id, i.id)
            if s is None:
                cells.append("")
                continue
            text = f"{s.position:g}" + (f"|{s.red_line:g}" if s.red_line is not None else "")
            style = "bold" if s.salience >= 0.7 else "dim" if s.salience < 0.3 else ""
            cells.append(Text(text, style=style))
        table.add_row(a.id, *cells)
    return table


def _stances_table(scenario: Scenario) -> Table:
    from rich.table import Table

    table = Table(title="Stances", title_justify="left")
    for col in (
        "actor",
        "issue",
        "position",
        "salience",
        "red line",
        "range",
        "confidence",
        "sources",
    ):
        table.add_column(col, justify="right" if col in ("position", "salience") else "left")
    for s in scenario.stances:
        table.add_row(
            s.actor,
            s.issue,
            f"{s.position:g}",
            f"{s.salience:.2f}",
            fmt_number(s.red_line, 0),
            f"{s.range[0]:g}–{s.range[1]:g}" if s.range else "",
            s.confidence.value if s.confidence else "",
            ", ".join(s.sources),
        )
    return table


def show(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    long: Annotated[
        bool, typer.Option("--long", help="List every stance with red line, range and sources.")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write a position-map PNG per issue into this folder."),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show a scenario: its actors, issues and every actor's position on every issue.

    Example:
        zopa show scenarios/ukraine-ceasefire-2026.yaml --plot out/maps
    """
    source = load_or_exit(file)
    scenario = source.scenario
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    if output is OutputFormat.json:
        print_json(source.to_dict())
    elif output is OutputFormat.csv:
        print_csv(
            ["actor", "issue", "position", "salience", "red_line", "capability", "veto"],
            [
                [
                    s.actor,
                    s.issue,
                    s.position,
                    s.salience,
                    s.red_line,
                    scenario.actor(s.actor).capability,
                    scenario.actor(s.actor).veto,
                ]
                for s in scenario.stances
            ],
        )
    else:
        console.print(
            f"[bold]{user_text(scenario.title)}[/bold]"
            + (f"  (as of {scenario.as_of})" if scenario.as_of else "")
        )
        console.print(_actors_table(scenario))
        console.print(_issues_table(scenario))
        console.print(_stances_table(scenario) if long else _matrix_table(scenario))
    if plot is not None:
        from zopa.report.position_map import plot_position_maps

        paths = plot_position_maps(scenario, plot)
        if output is OutputFormat.table:
            console.print(f"wrote {len(paths)} position map(s) to {plot}/")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(show)
