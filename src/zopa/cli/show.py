"""``zopa show``: a scenario as tables (and position-map plots)."""

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
    fmt_number,
    load_or_exit,
    one_line,
    output_folder_or_exit,
    print_csv,
    print_json,
    print_overrides,
    service_errors,
    user_text,
)
from zopa.cli.parsing import DropOption, SetOption, parse_overrides
from zopa.cli.views.fit import Col, FitTable, set_wide

if TYPE_CHECKING:
    from rich.text import Text

    from zopa.scenario import Scenario


def _actors_table(scenario: Scenario, full: bool) -> FitTable:
    cols = [Col("id", key=True), Col("name", wrap=True), Col("capability", "right")]
    cols += [Col("veto"), Col("groups", wrap=True)] if full else [Col("veto")]
    table = FitTable("Actors", [*cols, Col("stances", "right")])
    for a in scenario.actors:
        n = sum(s.actor == a.id for s in scenario.stances)
        cells = [one_line(a.id), one_line(a.name), f"{a.capability:g}", "yes" if a.veto else ""]
        if full:
            cells.append(", ".join(one_line(g) for g in a.groups))
        table.add_row(*cells, str(n))
    return table


def _print_actors_line(scenario: Scenario) -> None:
    """The actors in one paragraph: id, name, capability, veto players starred."""
    actors = ", ".join(
        f"{one_line(a.id)}{'*' if a.veto else ''} {one_line(a.name)} {a.capability:g}"
        for a in scenario.actors
    )
    console.print(f"Actors (* veto player; capability): {actors}", markup=False)


def _issues_table(scenario: Scenario, full: bool) -> FitTable:
    scales = {f"{i.scale.min:g}–{i.scale.max:g}" for i in scenario.issues}
    one_scale = len(scales) == 1 and not full
    cols = [Col("#", "right", key=True), Col("id", key=True), Col("name", wrap=True)]
    cols += [] if one_scale else [Col("scale")]
    cols += [Col("status quo", "right")]
    if full:
        cols += [Col("low end", wrap=True), Col("high end", wrap=True)]
    title = f"Issues, all on a scale of {scales.pop()}" if one_scale else "Issues"
    table = FitTable(title, cols)
    for n, i in enumerate(scenario.issues, start=1):
        anchors = dict(i.anchors)
        cells = [str(n), one_line(i.id), one_line(i.name)]
        cells += [] if one_scale else [f"{i.scale.min:g}–{i.scale.max:g}"]
        cells += [fmt_number(i.status_quo, 0)]
        if full:
            cells += [
                one_line(anchors.get(i.scale.min, "")),
                one_line(anchors.get(i.scale.max, "")),
            ]
        table.add_row(*cells)
    return table


def _matrix_table(scenario: Scenario) -> FitTable:
    from rich.text import Text

    table = FitTable(
        "Positions on the issues by number",
        [Col("", key=True)] + [Col(str(n), "right") for n in range(1, len(scenario.issues) + 1)],
    )
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
        table.add_row(one_line(a.id), *cells)
    return table


def _stances_table(scenario: Scenario) -> FitTable:
    table = FitTable(
        "Stances",
        [
            Col("actor", key=True),
            Col("issue", key=True),
            Col("position", "right"),
            Col("salience", "right"),
            Col("red line"),
            Col("range"),
            Col("confidence"),
            Col("sources", wrap=True),
        ],
    )
    for s in scenario.stances:
        table.add_row(
            one_line(s.actor),
            one_line(s.issue),
            f"{s.position:g}",
            f"{s.salience:.2f}",
            fmt_number(s.red_line, 0),
            f"{s.range[0]:g}–{s.range[1]:g}" if s.range else "",
            s.confidence.value if s.confidence else "",
            ", ".join(one_line(x) for x in s.sources),
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
    sets: SetOption = None,
    drops: DropOption = None,
    wide: WideOption = False,
    full: FullOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show a scenario: its actors, issues and every actor's position on every issue.

    By default a summary: the actors, the issues by number and every actor's position
    on every issue; --full adds the groups, the scales' anchors and, with --long, every
    stance. With --set/--drop, the scenario as changed (checked like the file).

    \b
    Examples:
        zopa show scenarios/ukraine-ceasefire-2026.yaml
        zopa show scenarios/ukraine-ceasefire-2026.yaml --full --long
        zopa show scenarios/ukraine-ceasefire-2026.yaml --plot out/maps
        zopa show scenarios/ukraine-ceasefire-2026.yaml --set UA.territory=40

    With --set/--drop, the JSON is the changed scenario with the changes first, under
    "overrides".
    """
    set_wide(wide)
    overrides, flags = parse_overrides(sets, drops)
    source = load_or_exit(file, full=full)
    if overrides:
        from dataclasses import replace

        with service_errors(flags):
            source = replace(source, scenario=overrides.apply(source.scenario))
    scenario = source.scenario
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    if output is OutputFormat.json:
        data = source.to_dict()
        print_json({"overrides": overrides.to_list(), **data} if overrides else data)
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
            f"[bold]{user_text(one_line(scenario.title))}[/bold]"
            + (f"  (as of {scenario.as_of})" if scenario.as_of else "")
        )
        print_overrides(overrides)
        if full:
            _actors_table(scenario, full).print()
        else:
            _print_actors_line(scenario)
        _issues_table(scenario, full).print()
        if long:
            _stances_table(scenario).print()
        else:
            _matrix_table(scenario).print()
            console.print(
                "n|r: position n, red line r; bold: salience ≥ 0.7, dim: < 0.3",
                markup=False,
            )
    if plot is not None:
        from zopa.report.position_map import plot_position_maps

        paths = plot_position_maps(scenario, plot)
        if output is OutputFormat.table:
            console.print(f"wrote {len(paths)} position map(s) to {plot}/")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(show)
