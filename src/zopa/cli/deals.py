"""``zopa deals``: the zone of possible agreement, conflicts, solutions, logrolls, agenda."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
    fail,
    fmt_number,
    load_or_exit,
    output_folder_or_exit,
    print_result_json,
    service_errors,
    user_text,
)

if TYPE_CHECKING:
    from zopa.agreements.analysis import DealAnalysis

FLAGS = {"grid": "--grid", "loss": "--loss", "method": "--method", "parties": "--parties"}
"""The option of ``zopa deals`` behind each argument of the service call."""

CONCEPT_LABEL = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "maximin": "maximin",
    "utilitarian": "utilitarian",
}


def _interval_text(lo: float, hi: float) -> str:
    return f"{lo:g}–{hi:g}" if lo != hi else f"{lo:g}"


def print_zopa(analysis: DealAnalysis) -> None:
    """The per-issue acceptable ranges of the parties and the zone they leave."""
    from rich.table import Table
    from rich.text import Text

    from zopa.agreements.space import acceptable_interval

    sp = analysis.space
    z = analysis.zopa
    size = f"{z.size:,.0f}" if z.size_exact else f"≈{z.size:.3g}"
    verdict = (
        "[bold red]EMPTY — no package satisfies every party[/]"
        if z.empty
        else f"[bold green]{size} feasible packages[/] of {sp.size:,}"
    )
    console.print(
        f"[bold]Zone of possible agreement[/] ({analysis.method}; parties: "
        f"{', '.join(analysis.parties)}): {verdict}"
    )
    table = Table(title_justify="left", show_lines=False)
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    for a in analysis.parties:
        table.add_column(f"{a} accepts", justify="center")
    table.add_column("ZOPA range", justify="center")
    table.add_column("advice")
    advice = {a.issue: a.category for a in analysis.issues}
    for i, issue in enumerate(sp.issue_ids):
        cells = []
        for a in sp.party_index:
            lo, hi = acceptable_interval(
                float(sp.position[a, i]),
                float(sp.red_line[a, i]),
                float(sp.scale_min[i]),
                float(sp.scale_max[i]),
            )
            cells.append(_interval_text(lo, hi))
        rng = z.ranges[issue]
        range_text = Text("none", style="red") if rng is None else _interval_text(*rng)
        table.add_row(
            issue, fmt_number(sp.status_quo[i], 0), *cells, range_text, advice.get(issue, "")
        )
    console.print(table)
    if z.frontier_size is not None:
        console.print(f"Pareto frontier of the zone: {z.frontier_size:,} packages")


def print_conflicts(analysis: DealAnalysis) -> None:
    """Colliding constraints and the smallest relaxations."""
    from rich.table import Table

    if not analysis.conflicts:
        return
    table = Table(
        title="Colliding constraints (each set cannot hold together)", title_justify="left"
    )
    table.add_column("#", justify="right")
    table.add_column("constraints")
    for n, cs in enumerate(analysis.conflict_constraints(), start=1):
        table.add_row(str(n), "\n".join(c.describe() for c in cs))
    console.print(table)
    if not analysis.conflicts_complete:
        console.print("[yellow]the search stopped at its limit: there may be more conflicts[/]")
    table = Table(title="Smallest relaxations that open the zone", title_justify="left")
    table.add_column("who moves")
    table.add_column("moves")
    table.add_column("total", justify="right")
    for r in analysis.relaxations:
        moves = []
        for m in r.moves:
            if m.kind == "red_line":
                moves.append(f"{m.actor}: red line on {m.issue} {m.old:g} → {m.new:g}")
            else:
                moves.append(f"{m.actor}: accept utility {m.new:.3f} (no deal: {m.old:.3f})")
        who = "any party" if r.scope == "any" else f"{r.scope} alone"
        table.add_row(who, "\n".join(moves), f"{r.cost:.3f}")
    console.print(table)


def _value_text(value: float) -> str:
    return "status quo" if math.isnan(value) else f"{value:g}"


def print_solutions(analysis: DealAnalysis) -> None:
    """The four bargaining solutions: packages and every actor's utility.

    When the zone is empty because red lines collide, the solutions of the core deal
    (the colliding issues set aside at their status quo) are printed as well.
    """
    from rich.table import Table

    from zopa.agreements.solutions import CONCEPTS

    shown = [(analysis, "Bargaining solutions (within the zone)")]
    if analysis.core is not None:
        shown.append(
            (
                analysis.core,
                "Core deal: bargaining solutions with "
                f"{', '.join(analysis.set_aside)} set aside at the status quo",
            )
        )
    for result, title in shown:
        sols = result.solutions
        if (
            result is analysis
            and analysis.core is not None
            and all(sols[c].package is None for c in CONCEPTS)
        ):
            console.print("[yellow]No bargaining solution: the zone is empty.[/]")
            continue
        table = Table(title=title, title_justify="left")
        table.add_column("")
        for c in CONCEPTS:
            table.add_column(CONCEPT_LABEL[c], justify="right")
        sp = result.space
        for issue in sp.issue_ids:
            cells = []
            for c in CONCEPTS:
                pkg = sols[c].package
                text = "—" if pkg is None else _value_text(pkg[issue])
                if pkg is not None and result is not analysis and issue in analysis.set_aside:
                    text = f"{text} (set aside)" if text != "status quo" else text
                cells.append(text)
            table.add_row(issue, *cells)
        table.add_section()
        for a in sp.actor_ids:
            mark = " (party)" if a in analysis.parties else ""
            table.add_row(
                f"u({a}){mark}",
                *(
                    "—"
                    if sols[c].package is None
                    else f"{sols[c].utilities[a]:.3f} ({sols[c].gains[a]:+.3f})"
                    for c in CONCEPTS
                ),
            )
        console.print(table)
        console.print("utility (gain over no agreement); — : no package")
        reasons = {r for c in CONCEPTS if (r := sols[c].reason)}
        for r in sorted(reasons):
            console.print(f"[yellow]{r}[/]")


def print_logrolls_and_agenda(analysis: DealAnalysis) -> None:
    """Logrolls and the recommended agenda."""
    from rich.table import Table

    if analysis.logrolls:
        table = Table(title="Logrolls (trade concessions, both gain)", title_justify="left")
        for col in ("gains", "gives way on", "gains", "gives way on", "move", "gains", "joint"):
            table.add_column(col)
        for lr in analysis.logrolls:
            table.add_row(
                lr.actor_a,
                lr.issue_b,
                lr.actor_b,
                lr.issue_a,
                f"{lr.issue_a} {lr.start[0]:.3g}→{lr.end[0]:g}, "
                f"{lr.issue_b} {lr.start[1]:.3g}→{lr.end[1]:g}",
                f"{lr.gain_a:+.3f} / {lr.gain_b:+.3f}",
                f"{lr.joint_gain:.3f}",
            )
        console.print(table)
    table = Table(title="Recommended agenda", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("issues")
    table.add_column("action")
    table.add_column("why", overflow="fold")
    for it in analysis.agenda:
        table.add_row(str(it.order), " + ".join(it.issues), it.action, it.reason)
    console.print(table)
    for note in analysis.notes:
        console.print(f"[yellow]note:[/] {note}")


def deals(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    grid: Annotated[
        int, typer.Option("--grid", min=2, max=201, help="Evenly spaced levels per issue.")
    ] = 11,
    loss: Annotated[
        str, typer.Option("--loss", help="Utility loss: linear or quadratic.")
    ] = "linear",
    method: Annotated[
        str,
        typer.Option("--method", help="auto (enumerate up to 10^7 packages), enumeration or milp."),
    ] = "auto",
    parties: Annotated[
        str | None,
        typer.Option(
            "--parties", help="Comma-separated actor ids who must accept (default: veto players)."
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write the interval and utility-space plots (PNG) here."),
    ] = None,
    pair: Annotated[
        str | None,
        typer.Option(
            "--pair", help="Two actor ids for the utility-space plot (default: first two parties)."
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Which packages every party accepts, what collides, and which deals to propose.

    Reports the zone of possible agreement (or the red lines and no-deal alternatives
    that collide, and the smallest relaxations that would open it), the Nash,
    Kalai–Smorodinsky, maximin and utilitarian packages, logrolls, and an agenda.

    Example:
        zopa deals scenarios/ukraine-ceasefire-2026.yaml --format json --plot out/
    """
    from zopa import service

    scenario = load_or_exit(file, quiet_warnings=True).scenario
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    party_ids = None
    if parties is not None:
        party_ids = [p.strip() for p in parties.split(",") if p.strip()]
    pair_ids: list[str] | None = None
    if pair is not None:
        pair_ids = [p.strip() for p in pair.split(",") if p.strip()]
        if len(pair_ids) != 2 or not set(pair_ids) <= set(scenario.actor_ids):
            fail(f"--pair {pair!r}: expected two actor ids of the scenario, e.g. RU,UA")
    with service_errors(FLAGS):
        result = service.deals(scenario, grid=grid, loss=loss, method=method, parties=party_ids)
    analysis = result.analysis
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        from zopa.report.exports import COLUMNS, csv_text

        sys.stdout.write(csv_text(result.package_rows(), COLUMNS["packages"]))
    else:
        console.print(f"[bold]{user_text(scenario.title)}[/] — deal space")
        print_zopa(analysis)
        print_conflicts(analysis)
        print_solutions(analysis)
        print_logrolls_and_agenda(analysis)
    if plot is not None:
        from zopa.report.deals import plot_deals

        written = plot_deals(analysis, plot, pair=pair_ids)
        if output is OutputFormat.table:
            for path in written:
                console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(deals)
