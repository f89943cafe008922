"""``zopa durability``: will a deal's ceasefire hold, does it deter, and how does it end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from rich.table import Table
from rich.text import Text

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
    print_problems,
    user_text,
)
from zopa.durability.assess import DealAssessment, assess_deal
from zopa.durability.parameters import HAZARD_MECHANISMS, ParameterStatus
from zopa.durability.simulate import HOLD_YEARS, Interval
from zopa.io.deal_file import check_deal, check_durability_parameters

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.durability.deal import Deal, Mechanisms
    from zopa.durability.parameters import DurabilityParameters
    from zopa.scenario import Scenario

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


def load_parameters_or_exit(path: Path | None) -> DurabilityParameters:
    """The parameter set, or the located problems and exit 2."""
    params, problems = check_durability_parameters(path)
    print_problems(problems)
    if params is None:
        raise typer.Exit(EXIT_BAD_INPUT)
    return params


def check_deal_and_print(path: Path) -> tuple[Deal, Scenario] | None:
    """A valid deal and its scenario, or ``None`` after printing the located problems."""
    deal, scenario, problems = check_deal(path)
    shown = [p for p in problems if p.is_error or p.file == str(path)]
    print_problems(shown)
    if deal is None or scenario is None:
        n_err = sum(p.is_error for p in problems)
        err_console.print(f"{path}: {n_err} error(s)", style="red", markup=False)
        return None
    return deal, scenario


def load_deal_or_exit(path: Path) -> tuple[Deal, Scenario]:
    """A valid deal and its scenario, or the located problems and exit 2."""
    loaded = check_deal_and_print(path)
    if loaded is None:
        raise typer.Exit(EXIT_BAD_INPUT)
    return loaded


def mechanism_setting(m: Mechanisms, name: str, *, short: bool = False) -> str:
    """A mechanism's setting in words (``short``: without names of states)."""
    if name == "dmz":
        if m.dmz_width_km is None:
            return "yes, width not stated"
        return f"{m.dmz_width_km:g} km" if m.dmz_width_km else "none"
    if name == "snapback":
        return "yes" if m.snapback else "no"
    if name == "guarantees":
        extra = f" ({', '.join(m.guarantors)})" if m.guarantors and not short else ""
        return m.guarantees + extra + (", conditional" if m.guarantees_conditional else "")
    if name == "monitoring" and m.monitoring_lead and not short:
        return f"{m.monitoring} (lead: {m.monitoring_lead})"
    value: str = getattr(m, name)
    return value


def _interval(i: Interval) -> dict[str, float]:
    return {"mean": i.mean, "median": i.median, "low": i.low, "high": i.high}


def assessment_json(a: DealAssessment, params: DurabilityParameters) -> dict[str, Any]:
    """The documented JSON result of one deal's assessment (see docs/durability.md)."""
    r, e, m = a.result, a.ending, a.deal.mechanisms
    mean, _, low, high = r.survival_band()
    b_med, b_low, b_high = r.balance_band()
    caps = m.force_caps
    return {
        "deal": {"id": a.deal.id, "title": a.deal.title, "date": a.deal.date},
        "scenario": a.scenario.title,
        "draws": r.n_draws,
        "seed": r.seed,
        "band": [0.05, 0.95],
        "p_hold": {str(y): _interval(v) for y, v in r.hold().items()},
        "survival": {
            "years": r.times.tolist(),
            "mean": mean.tolist(),
            "low": low.tolist(),
            "high": high.tolist(),
        },
        "mechanisms": {
            name: {
                "setting": mechanism_setting(m, name),
                "hazard_ratio": _interval(Interval.of(r.mechanism_ratios[name])),
                "parameter_status": params[f"hr.{name}"].status.value,
            }
            for name in HAZARD_MECHANISMS
        }
        | {
            "force_caps": {
                "defender_personnel": caps.defender_personnel,
                "weapons_limits": caps.weapons_limits,
            },
            "arms_supply": {"setting": m.arms_supply},
        },
        "hazard_ratio": _interval(Interval.of(r.hazard_ratio)),
        "deterrence": {
            "years": r.times.tolist(),
            "balance_median": b_med.tolist(),
            "balance_low": b_low.tolist(),
            "balance_high": b_high.tolist(),
            "by_year": [
                {
                    "year": y.year,
                    "attacker": _interval(y.attacker),
                    "defender": _interval(y.defender),
                    "balance": _interval(y.balance),
                    "p_below_parity": y.p_below_parity,
                }
                for y in r.balance_by_year()
            ],
            "window_of_vulnerability": [list(w) for w in r.vulnerability_windows()],
        },
        "ending": {
            "ending": e.ending.value,
            "reasons": list(e.reasons),
            "margins": {
                "red_line": e.red_line_margin,
                "balance": e.balance_margin,
                "durability": e.durability_margin,
                "settlement": e.settlement_margin,
            },
            "red_lines": [
                {"issue": x.issue, "value": x.value, "red_line": x.red_line, "margin": x.margin}
                for x in e.red_lines
            ],
            "unsettled_core": list(e.unsettled_core),
            "unchecked": list(e.unchecked),
            "thresholds": {
                "p_hold_5y_durable": params.ending.p_hold_5y_durable,
                "balance_floor": params.ending.balance_floor,
                "max_unsettled_core": params.ending.max_unsettled_core,
                "status": params.ending.status.value,
            },
        },
        "utilities": [
            {"actor": u.actor, "deal": u.deal, "no_deal": u.no_deal, "gain": u.gain}
            for u in a.utilities
        ],
        "drivers": [
            {
                "parameter": pid,
                "rank_correlation": rho,
                "status": params[pid].status.value,
            }
            for pid, rho in r.drivers()
        ],
        "notes": list(r.notes),
    }


def _pct(i: Interval) -> str:
    return f"{i.mean:.2f} [{i.low:.2f}-{i.high:.2f}]"


def print_assessment(a: DealAssessment, params: DurabilityParameters) -> None:
    """The human-readable report of one deal."""
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
    return np.asarray(np.quantile(values, (0.05, 0.5, 0.95)), dtype=np.float64)


def _pct_ratio(values: NDArray[np.float64]) -> str:
    lo, med, hi = (float(x) for x in _quantiles(values))
    return f"{med:.2f} [{lo:.2f}-{hi:.2f}]"


def assessment_csv(a: DealAssessment) -> tuple[list[str], list[list[Any]]]:
    """Per-year rows: survival and balance with their bands."""
    r = a.result
    mean, _, low, high = r.survival_band()
    header = [
        "deal",
        "year",
        "p_hold_mean",
        "p_hold_low",
        "p_hold_high",
        "balance_median",
        "balance_low",
        "balance_high",
        "p_below_parity",
    ]
    rows = []
    for yb in r.balance_by_year():
        k = r.index(yb.year)
        rows.append(
            [
                a.deal.id,
                yb.year,
                round(float(mean[k]), 6),
                round(float(low[k]), 6),
                round(float(high[k]), 6),
                round(yb.balance.median, 6),
                round(yb.balance.low, 6),
                round(yb.balance.high, 6),
                round(yb.p_below_parity, 6),
            ]
        )
    return header, rows


def write_plots(
    assessments: list[DealAssessment], params: DurabilityParameters, folder: Path
) -> list[Path]:
    """Write the survival and deterrence figures; return their paths."""
    from zopa.report.durability import plot_deterrence, plot_survival

    folder.mkdir(parents=True, exist_ok=True)
    results = [(a.deal.title, a.result) for a in assessments]
    n_assumed = sum(p.status is not ParameterStatus.SOURCED for p in params.parameters.values())
    note = (
        f"{results[0][1].n_draws} draws, seed {results[0][1].seed}. {n_assumed} of "
        f"{len(params.parameters)} parameters are assumptions or transferred from another "
        "context (wide ranges); see docs/durability.md."
    )
    stem = assessments[0].deal.id if len(assessments) == 1 else "compare"
    return [
        plot_survival(results, folder / f"{stem}-survival.png", note=note),
        plot_deterrence(results, params, folder / f"{stem}-deterrence.png", note=note),
    ]


def durability(
    deal: Annotated[Path, typer.Argument(help="Deal file (YAML or JSON).")],
    draws: DrawsOption = 10_000,
    seed: SeedOption = 0,
    parameters: ParamsOption = None,
    plot: PlotOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Will a deal's ceasefire hold, does it deter renewed attack, and which ending follows.

    Prints P(the ceasefire holds 1, 2, 5 years) with 90 % bands over the parameter ranges,
    each mechanism's hazard ratio, the deterrence balance by year and the window of
    vulnerability, the ending (capitulation / frozen conflict / durable settlement) with
    its margins, and every actor's utility of the deal against no deal.

    Example:
        zopa durability scenarios/deals/e3-counter-proposal-2025-11.yaml --draws 100000 --plot out/
    """
    params = load_parameters_or_exit(parameters)
    the_deal, scenario = load_deal_or_exit(deal)
    if plot is not None:
        output_folder_or_exit(plot, "--plot")
    assessment = assess_deal(the_deal, scenario, params, n_draws=draws, seed=seed)
    if output is OutputFormat.json:
        print_json(assessment_json(assessment, params))
    elif output is OutputFormat.csv:
        print_csv(*assessment_csv(assessment))
    else:
        print_assessment(assessment, params)
    if plot is not None:
        try:
            paths = write_plots([assessment], params, plot)
        except OSError as exc:
            fail(f"cannot write plots to {plot}: {exc.strerror}")
        err_console.print("wrote " + ", ".join(str(p) for p in paths), markup=False)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(durability)
