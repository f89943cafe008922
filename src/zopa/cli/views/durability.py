"""The durability assessment on the terminal and its plots.

Shared by ``durability`` and ``compare``: options, tables, notes, CSV rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import console, err_console, fail, print_csv, user_text

if TYPE_CHECKING:
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


def _pct(i: Interval) -> str:
    return f"{i.mean:.2f} [{i.low:.2f}-{i.high:.2f}]"


def print_assessment(a: DealAssessment, params: DurabilityParameters) -> None:
    """The human-readable report of one deal."""
    from rich.table import Table
    from rich.text import Text

    from zopa.durability.parameters import HAZARD_MECHANISMS, ParameterStatus
    from zopa.durability.simulate import HOLD_YEARS
    from zopa.service.durability import mechanism_setting

    r, e, m = a.result, a.ending, a.deal.mechanisms
    console.print(f"[bold]{user_text(a.deal.title)}[/bold]  ({a.deal.id})")
    console.print(f"scenario: {a.scenario.title}; {r.n_draws} draws, seed {r.seed}")
    hold = r.hold()
    console.print(
        "P(ceasefire holds), mean [5-95 %]: "
        + ", ".join(f"{y} y {_pct(hold[y])}" for y in HOLD_YEARS if y in hold)
    )

    mech = Table(title="Mechanisms and hazard ratios", title_justify="left")
    for col in ("mechanism", "setting", "hazard ratio [5-95 %]", "ratio status"):
        mech.add_column(col)
    for name in HAZARD_MECHANISMS:
        ratio = r.mechanism_ratios[name]
        lo, med, hi = (float(x) for x in _quantiles(ratio))
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
    console.print(mech)

    years = Table(title="By year", title_justify="left")
    for col in (
        "year",
        "P(holds) [5-95 %]",
        "attacker",
        "defender",
        "balance [5-95 %]",
        "P(balance < 1)",
    ):
        years.add_column(col, justify="right")
    mean, _, low, high = r.survival_band()
    for yb in r.balance_by_year():
        k = r.index(yb.year)
        years.add_row(
            f"{yb.year:g}",
            f"{mean[k]:.2f} [{low[k]:.2f}-{high[k]:.2f}]",
            f"{yb.attacker.median:.2f}",
            f"{yb.defender.median:.2f}",
            f"{yb.balance.median:.2f} [{yb.balance.low:.2f}-{yb.balance.high:.2f}]",
            f"{yb.p_below_parity:.2f}",
        )
    console.print(years)
    windows = r.vulnerability_windows()
    console.print(
        "Window of vulnerability (median balance below its level at a bare ceasefire): "
        + ("; ".join(f"{x:g}-{y:g} years" for x, y in windows) or "none")
    )

    console.print(f"\n[bold]Ending: {e.ending.value.replace('_', ' ')}[/bold]")
    for reason in e.reasons:
        console.print(f"  - {reason}")
    margins = Table(title="Margins to each boundary (positive = safe side)", title_justify="left")
    for col in ("boundary", "margin", "threshold"):
        margins.add_column(col)
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
    console.print(margins)
    for x in e.red_lines:
        console.print(
            f"  red line {x.issue}: deal {x.value:g}, red line {x.red_line:g}, "
            f"margin {x.margin:+.2f}"
        )
    if e.unchecked:
        console.print(
            f"  not checked (no red line or no value in the deal): {', '.join(e.unchecked)}"
        )

    drivers = r.drivers()[:6]
    if drivers:
        drv = Table(
            title="What drives P(holds 5 y): rank correlation over the draws",
            title_justify="left",
        )
        for col in ("parameter", "correlation", "status"):
            drv.add_column(col)
        for pid, rho in drivers:
            drv.add_row(pid, f"{rho:+.2f}", params[pid].status.value)
        console.print(drv)

    util = Table(title="Utility of the deal vs no deal (0..1)", title_justify="left")
    for col in ("actor", "deal", "no deal", "gain"):
        util.add_column(col, justify="right" if col != "actor" else "left")
    for u in a.utilities:
        util.add_row(u.actor, f"{u.deal:.3f}", f"{u.no_deal:.3f}", f"{u.gain:+.3f}")
    console.print(util)
    print_notes(r.notes)


def print_notes(notes: tuple[str, ...]) -> None:
    """The assumption notes, visibly."""
    console.print("[yellow bold]Assumptions[/]")
    for note in notes:
        console.print(f"[yellow]  ! {note}[/]")
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
