"""The durability assessment on the terminal and its plots.

Shared by ``durability`` and ``compare``: options, tables, notes, CSV rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.common import console, err_console, fail, one_line, print_csv, user_text
from zopa.cli.views.fit import Col, FitTable

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np
    from numpy.typing import NDArray

    from zopa.durability.assess import DealAssessment
    from zopa.durability.parameters import DurabilityParameters
    from zopa.durability.simulate import Interval
    from zopa.service.durability import DurabilityReport

DrawsOption = Annotated[
    int, typer.Option("--draws", "-n", min=100, max=1_000_000, help="Monte Carlo draws.")
]
SeedOption = Annotated[int, typer.Option("--seed", min=0, help="Seed of the parameter draws.")]
ParamsOption = Annotated[
    Path | None,
    typer.Option("--parameters", help="Parameter file (default: the one shipped with zopa)."),
]
PlotOption = Annotated[
    Path | None, typer.Option("--plot", help="Write survival and deterrence PNGs to this folder.")
]
FLAGS = {"draws": "--draws", "deals": ""}
"""The option of ``zopa durability`` and ``zopa compare`` behind each service argument."""


def run_assessment(
    call: Callable[..., DurabilityReport],
    deals: Any,
    *,
    sets: list[str] | None,
    drops: list[str] | None,
    progress: bool | None,
    **options: Any,
) -> DurabilityReport:
    """Run ``service.durability`` or ``service.compare`` as both commands do.

    What-if changes are parsed, errors are located at their options, and a progress bar
    follows the draws.
    """
    from zopa.cli.common import service_errors
    from zopa.cli.parsing import parse_overrides
    from zopa.cli.progress import EXECUTOR_FLAGS, progress_bar, wanted

    overrides, override_flags = parse_overrides(sets, drops)
    flags = {**FLAGS, **EXECUTOR_FLAGS, **override_flags}
    with service_errors(flags), progress_bar("draws", show=wanted(progress)) as on_task:
        return call(deals, progress=on_task, overrides=overrides, **options)


def _pct(i: Interval) -> str:
    return f"{i.mean:.2f} [{i.low:.2f}-{i.high:.2f}]"


def print_assessment(
    a: DealAssessment, params: DurabilityParameters, *, full: bool = False
) -> None:
    """The human-readable report of one deal: a summary, or everything with ``full``.

    The summary keeps the mechanisms that change the hazard, the years 0, 1, 2, 5 and
    10, the ending and its margins, and one line each for the drivers, the utilities of
    the veto players and the assumptions.
    """
    from rich.text import Text

    from zopa.durability.parameters import HAZARD_MECHANISMS, ParameterStatus
    from zopa.durability.simulate import HOLD_YEARS
    from zopa.service.durability import mechanism_setting

    r, e, m = a.result, a.ending, a.deal.mechanisms
    console.print(f"[bold]{user_text(one_line(a.deal.title))}[/bold]  ({user_text(a.deal.id)})")
    console.print(
        f"scenario: {one_line(a.scenario.title)}; {r.n_draws} draws, seed {r.seed}", markup=False
    )
    hold = r.hold()
    console.print(
        "P(ceasefire holds), mean [5-95 %]: "
        + ", ".join(f"{y} y {_pct(hold[y])}" for y in HOLD_YEARS if y in hold)
    )

    mech = FitTable(
        "Mechanisms and hazard ratios" + ("" if full else " (those that change the hazard)"),
        [
            Col("mechanism", key=True),
            Col("setting", wrap=True),
            Col("hazard ratio [5-95%]"),
            Col("ratio status"),
        ],
    )
    for name in HAZARD_MECHANISMS:
        ratio = r.mechanism_ratios[name]
        lo, med, hi = (float(x) for x in _quantiles(ratio))
        if not full and lo == med == hi == 1.0:
            continue
        status = params[f"hr.{name}"].status
        mech.add_row(
            name,
            mechanism_setting(m, name),
            f"{med:.2f} [{lo:.2f}-{hi:.2f}]",
            status.value
            if status is ParameterStatus.SOURCED
            else Text(status.value, style="yellow"),
        )
    caps = m.force_caps.defender_personnel
    mech.add_row(
        "force caps", f"{caps:,}" if caps else "none", "via deterrence", "see balance below"
    )
    mech.add_row("arms supply", m.arms_supply, "via deterrence", "see balance below")
    mech.add_row("all combined", "", _pct_ratio(r.hazard_ratio), "")
    mech.print()

    years = FitTable(
        "By year",
        [
            Col("year", "right", key=True),
            Col("P(holds) [5-95%]", "right"),
            Col("attacker", "right"),
            Col("defender", "right"),
            Col("balance [5-95%]", "right"),
            Col("P(balance < 1)", "right"),
        ],
    )
    mean, _, low, high = r.survival_band()
    for yb in r.balance_by_year():
        if not full and yb.year not in SUMMARY_YEARS:
            continue
        k = r.index(yb.year)
        years.add_row(
            f"{yb.year:g}",
            f"{mean[k]:.2f} [{low[k]:.2f}-{high[k]:.2f}]",
            f"{yb.attacker.median:.2f}",
            f"{yb.defender.median:.2f}",
            f"{yb.balance.median:.2f} [{yb.balance.low:.2f}-{yb.balance.high:.2f}]",
            f"{yb.p_below_parity:.2f}",
        )
    years.print()
    windows = r.vulnerability_windows()
    console.print(
        "Window of vulnerability (median balance below its level at a bare ceasefire): "
        + ("; ".join(f"{x:g}-{y:g} years" for x, y in windows) or "none")
    )

    console.print(f"\n[bold]Ending: {e.ending.value.replace('_', ' ')}[/bold]")
    for reason in e.reasons:
        console.print(f"  - {reason}", markup=False)
    margins = FitTable(
        "Margins to each boundary (positive = safe side)",
        [Col("boundary", key=True, wrap=True), Col("margin", "right"), Col("threshold", wrap=True)],
    )
    th = params.ending
    rl = "—" if e.red_line_margin is None else f"{e.red_line_margin:+.2f}"
    margins.add_row("capitulation: red lines (share of scale)", rl, f"{th.defender}'s red lines")
    margins.add_row(
        "capitulation: deterrence balance",
        f"{e.balance_margin:+.2f}",
        f"floor {th.balance_floor:g}",
    )
    margins.add_row(
        "durable: P(holds 5 y)", f"{e.durability_margin:+.2f}", f">= {th.p_hold_5y_durable:g}"
    )
    margins.add_row(
        "durable: core issues settled",
        f"{e.settlement_margin:+d}",
        f"unsettled <= {th.max_unsettled_core} of {', '.join(th.core_issues)}",
    )
    margins.print()
    if full:
        for x in e.red_lines:
            console.print(
                f"  red line {x.issue}: deal {x.value:g}, red line {x.red_line:g}, "
                f"margin {x.margin:+.2f}"
            )
        if e.unchecked:
            console.print(
                f"  not checked (no red line or no value in the deal): {', '.join(e.unchecked)}"
            )

    drivers = r.drivers()[: 6 if full else 3]
    if drivers and full:
        drv = FitTable(
            "What drives P(holds 5 y): rank correlation over the draws",
            [Col("parameter", key=True), Col("correlation", "right"), Col("status")],
        )
        for pid, rho in drivers:
            drv.add_row(pid, f"{rho:+.2f}", params[pid].status.value)
        drv.print()
    elif drivers:
        console.print(
            "What drives P(holds 5 y) (rank correlation): "
            + ", ".join(f"{pid} {rho:+.2f}" for pid, rho in drivers),
            markup=False,
        )

    vetoes = {x.id for x in a.scenario.actors if x.veto}
    if full:
        util = FitTable(
            "Utility of the deal vs no deal (0..1)",
            [
                Col("actor", key=True),
                Col("deal", "right"),
                Col("no deal", "right"),
                Col("gain", "right"),
            ],
        )
        for u in a.utilities:
            util.add_row(u.actor, f"{u.deal:.3f}", f"{u.no_deal:.3f}", f"{u.gain:+.3f}")
        util.print()
        print_notes(r.notes)
        return
    console.print(
        "Utility gain of the deal over no deal (0..1): "
        + ", ".join(f"{u.actor} {u.gain:+.3f}" for u in a.utilities if u.actor in vetoes)
        + f"; {len(a.utilities) - len(vetoes)} other actors: --full",
        markup=False,
    )
    first = r.notes[0].split(":")[0] if r.notes else ""
    console.print(
        f"[yellow bold]Assumptions[/]: [yellow]{user_text(first)}; --full lists them and "
        f"{len(r.notes) - 1} more note(s); docs/durability.md[/]"
    )


SUMMARY_YEARS = (0, 1, 2, 5, 10)
"""The years of the summary's table (every year with ``--full``)."""


def print_notes(notes: tuple[str, ...]) -> None:
    """The assumption notes, visibly."""
    console.print("[yellow bold]Assumptions[/]")
    for note in notes:
        console.print(f"[yellow]  ! {user_text(note)}[/]")
    console.print("[yellow]  ! Parameters, sources and limits: docs/durability.md[/]")


def _quantiles(values: NDArray[np.float64]) -> NDArray[np.float64]:
    import numpy as np

    return np.asarray(np.quantile(values, (0.05, 0.5, 0.95)), dtype=np.float64)


def _pct_ratio(values: NDArray[np.float64]) -> str:
    lo, med, hi = (float(x) for x in _quantiles(values))
    return f"{med:.2f} [{lo:.2f}-{hi:.2f}]"


def print_rows(result: DurabilityReport) -> None:
    """Per deal and year: survival and balance with their bands, as CSV."""
    rows = result.to_rows()
    print_csv(list(rows[0]), [list(r.values()) for r in rows])


def write_plots(result: DurabilityReport, folder: Path) -> None:
    """The survival and deterrence PNGs, named on stderr; exit 2 if they cannot be written."""
    from zopa.report.plots import durability_plots

    try:
        paths = durability_plots(result, folder)
    except OSError as exc:
        fail(f"cannot write plots to {folder}: {exc.strerror}")
    err_console.print("wrote " + ", ".join(str(p) for p in paths), markup=False)
