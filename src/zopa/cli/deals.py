"""``zopa deals``: the zone of possible agreement, conflicts, solutions, logrolls, agenda."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    FullOption,
    OutputFormat,
    WideOption,
    console,
    fail,
    fmt_number,
    load_or_exit,
    one_line,
    output_folder_or_exit,
    print_overrides,
    print_result_json,
    service_errors,
    user_text,
)
from zopa.cli.parsing import DropOption, SetOption, parse_overrides
from zopa.cli.views.fit import Col, FitTable, set_wide

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


def print_zopa(analysis: DealAnalysis, *, full: bool = False) -> None:
    """The per-issue acceptable ranges of the parties, the zone they leave, and the agenda.

    The summary adds the package the Nash solution proposes (of the core deal when the
    zone is empty) and each issue's place on the agenda.
    """
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
    proposal = analysis.core if analysis.core is not None else analysis
    nash = proposal.solutions["nash"].package
    order = {issue: it.order for it in analysis.agenda for issue in it.issues}
    action = {issue: it.action for it in analysis.agenda for issue in it.issues}
    cols = [Col("issue", key=True), Col("status quo", "right")]
    cols += [Col(f"{a} accepts", "center") for a in analysis.parties]
    cols += [Col("zone", "center")]
    cols += [] if full or nash is None else [Col("Nash", "right")]
    cols += [Col("agenda", wrap=True)]
    table = FitTable(None, cols)
    for i, issue in enumerate(sp.issue_ids):
        cells: list[str | Text] = []
        for a in sp.party_index:
            lo, hi = acceptable_interval(
                float(sp.position[a, i]),
                float(sp.red_line[a, i]),
                float(sp.scale_min[i]),
                float(sp.scale_max[i]),
            )
            cells.append(_interval_text(lo, hi))
        rng = z.ranges[issue]
        cells.append(Text("none", style="red") if rng is None else _interval_text(*rng))
        if not full and nash is not None:
            cells.append(_value_text(nash[issue]))
        step = f"{order[issue]}. {action[issue]}" if issue in order else ""
        table.add_row(issue, fmt_number(sp.status_quo[i], 0), *cells, step)
    table.print()
    if z.frontier_size is not None:
        console.print(f"Pareto frontier of the zone: {z.frontier_size:,} packages")
    if not full and nash is not None:
        where = (
            f"Core deal ({', '.join(analysis.set_aside)} set aside at the status quo): "
            "the Nash package"
            if analysis.core is not None
            else "Nash: the package within the zone"
        )
        gains = ", ".join(
            f"{a} {proposal.solutions['nash'].utilities[a]:.3f} "
            f"({proposal.solutions['nash'].gains[a]:+.3f})"
            for a in analysis.parties
        )
        console.print(f"{where}; utility (gain): {gains}", markup=False)


def print_conflicts(analysis: DealAnalysis, *, full: bool = False) -> None:
    """Colliding constraints and the smallest relaxations (the first one, unless ``full``)."""
    if not analysis.conflicts:
        return
    if full:
        table = FitTable(
            "Colliding constraints (each set cannot hold together)",
            [Col("#", "right", key=True), Col("constraints", wrap=True)],
        )
        for n, cs in enumerate(analysis.conflict_constraints(), start=1):
            table.add_row(str(n), "\n".join(c.describe() for c in cs))
        table.print()
    else:
        console.print("[bold]Colliding constraints[/] (each set cannot hold together):")
        for n, cs in enumerate(analysis.conflict_constraints(), start=1):
            console.print(f"  {n}. " + "; ".join(c.describe() for c in cs), markup=False)
    if not analysis.conflicts_complete:
        console.print("[yellow]the search stopped at its limit: there may be more conflicts[/]")
    relaxations = analysis.relaxations if full else analysis.relaxations[:1]
    table = FitTable(
        "Smallest relaxations that open the zone" if full else "Smallest relaxation",
        [Col("who moves", key=True), Col("moves", wrap=True), Col("total", "right")],
    )
    for r in relaxations:
        moves = []
        for m in r.moves:
            if m.kind == "red_line":
                moves.append(f"{m.actor}: red line on {m.issue} {m.old:g} → {m.new:g}")
            else:
                moves.append(f"{m.actor}: accept utility {m.new:.3f} (no deal: {m.old:.3f})")
        who = "any party" if r.scope == "any" else f"{r.scope} alone"
        table.add_row(who, "\n".join(moves), f"{r.cost:.3f}")
    if relaxations:
        table.print()


def _interval_text(lo: float, hi: float) -> str:
    return f"{lo:g}–{hi:g}" if lo != hi else f"{lo:g}"


def _value_text(value: float) -> str:
    return "status quo" if math.isnan(value) else f"{value:g}"


def print_solutions(analysis: DealAnalysis) -> None:
    """The four bargaining solutions: packages and every actor's utility.

    When the zone is empty because red lines collide, the solutions of the core deal
    (the colliding issues set aside at their status quo) are printed as well.
    """
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
        table = FitTable(
            title, [Col("", key=True)] + [Col(CONCEPT_LABEL[c], "right") for c in CONCEPTS]
        )
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
        table.print()
        console.print("utility (gain over no agreement); — : no package")
        reasons = {r for c in CONCEPTS if (r := sols[c].reason)}
        for r in sorted(reasons):
            console.print(f"[yellow]{r}[/]")


def print_logrolls_and_agenda(analysis: DealAnalysis) -> None:
    """Logrolls and the recommended agenda with its reasons."""
    if analysis.logrolls:
        table = FitTable(
            "Logrolls (trade concessions, both gain)",
            [
                Col("gains", key=True),
                Col("gives way on"),
                Col("gains"),
                Col("gives way on"),
                Col("move", wrap=True),
                Col("gains", "right", wrap=True),
                Col("joint", "right"),
            ],
        )
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
        table.print()
    table = FitTable(
        "Recommended agenda",
        [Col("#", "right", key=True), Col("issues"), Col("action"), Col("why", wrap=True)],
    )
    for it in analysis.agenda:
        table.add_row(str(it.order), " + ".join(it.issues), it.action, it.reason)
    table.print()


def print_notes(analysis: DealAnalysis) -> None:
    """The analysis' notes."""
    for note in analysis.notes:
        console.print(f"[yellow]note:[/] {user_text(note)}")


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
    sets: SetOption = None,
    drops: DropOption = None,
    wide: WideOption = False,
    full: FullOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Which packages every party accepts, what collides, and which deals to propose.

    Reports the zone of possible agreement (or the red lines and no-deal alternatives
    that collide, and the smallest relaxations that would open it), the Nash,
    Kalai–Smorodinsky, maximin and utilitarian packages, logrolls, and an agenda. By
    default a summary (the zone, the Nash package, the agenda's steps); --full prints
    every solution, each actor's utility, the logrolls and the agenda's reasons.

    \b
    Examples:
        zopa deals scenarios/ukraine-ceasefire-2026.yaml
        zopa deals scenarios/ukraine-ceasefire-2026.yaml --full
        zopa deals scenarios/ukraine-ceasefire-2026.yaml -f json --plot out/deals
        zopa deals scenarios/ukraine-ceasefire-2026.yaml --drop UA --parties RU,US
    """
    from zopa import service

    set_wide(wide)
    overrides, override_flags = parse_overrides(sets, drops)
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
    with service_errors({**FLAGS, **override_flags}):
        result = service.deals(
            scenario,
            grid=grid,
            loss=loss,
            method=method,
            parties=party_ids,
            overrides=overrides,
        )
    analysis = result.analysis
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        from zopa.report.exports import COLUMNS, csv_text

        sys.stdout.write(csv_text(result.package_rows(), COLUMNS["packages"]))
    else:
        console.print(f"[bold]{user_text(one_line(scenario.title))}[/] — deal space")
        print_overrides(result.overrides)
        print_zopa(analysis, full=full)
        print_conflicts(analysis, full=full)
        if full:
            print_solutions(analysis)
            print_logrolls_and_agenda(analysis)
        else:
            console.print(
                f"--full: the four bargaining solutions with every actor's utility, "
                f"{len(analysis.logrolls)} logroll(s), the agenda's reasons",
                markup=False,
            )
        print_notes(analysis)
    if plot is not None:
        from zopa.report.deals import plot_deals

        written = plot_deals(analysis, plot, pair=pair_ids)
        if output is OutputFormat.table:
            for path in written:
                console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(deals)
