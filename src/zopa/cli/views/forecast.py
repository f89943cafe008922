"""The forecast table (or CSV) on the terminal, shared by ``forecast`` and ``report``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zopa.cli.common import (
    OutputFormat,
    console,
    fmt_number,
    one_line,
    print_csv,
    print_overrides,
    user_text,
)
from zopa.cli.views.fit import Col, FitTable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from zopa.service.forecast import ForecastResult
    from zopa.uncertainty.calibration import CalibratedIntervals


def print_forecast(
    result: ForecastResult,
    output: OutputFormat = OutputFormat.table,
    *,
    with_intervals: bool = True,
    full: bool = False,
) -> None:
    """The forecasts as CSV or as a table (with their 5–95% ranges when drawn).

    Without ``with_intervals``, the point forecasts only (the ranges, their flags and the
    calibrated intervals are left to the caller, e.g. the report). With ``full``, every
    point outside its own range is listed with the reason.
    """
    scenario, models = result.scenario, list(result.models)
    results = result.points
    intervals = result.intervals() if with_intervals else {}
    calibrated = result.calibrated_intervals() if result.calibrated and with_intervals else {}
    if output is OutputFormat.csv:
        header = ["issue", "status_quo", *models]
        if intervals:
            header += [f"{m}_{q}" for m in models for q in ("low", "median", "high")]
        header += [
            f"{m}_cal{lv * 100:g}_{end}" for m in calibrated for lv in LEVELS for end in ENDS
        ]
        outside: dict[str, list[str]] = {}
        if intervals:
            header.append("outside_own_range")
            for model, flags in result.flags().items():
                for issue, _ in flags:
                    outside.setdefault(issue, []).append(model)
        rows = [
            [
                i.id,
                i.status_quo,
                *(results[m].point()[i.id] for m in models),
                *(v for m in intervals for v in intervals[m][i.id]),
                *(v for c in calibrated.values() for lv in LEVELS for v in c.intervals[i.id][lv]),
                *([" ".join(outside.get(i.id, []))] if intervals else []),
            ]
            for i in scenario.issues
        ]
        print_csv(header, rows)
    else:
        _print_table(result, intervals, calibrated, full=full)


def _print_table(
    result: ForecastResult,
    intervals: Mapping[str, Mapping[str, tuple[float, ...]]],
    calibrated: dict[str, CalibratedIntervals],
    *,
    full: bool,
) -> None:
    """The forecasts as a table fitted to the terminal, then what the reader must know.

    A point forecast outside its own Monte Carlo range is marked ``!`` in its cell; the
    reasons are listed with ``full``, else counted on one line.
    """
    scenario, models, results = result.scenario, list(result.models), result.points
    flags = result.flags() if intervals else {}
    marked = {(m, issue) for m, flagged in flags.items() for issue, _ in flagged}
    console.print(f"[bold]Forecasts[/bold] — {user_text(one_line(scenario.title))}")
    print_overrides(result.overrides)
    table = FitTable(
        None,
        [Col("issue", key=True), Col("status quo", "right")] + [Col(m, "right") for m in models],
    )
    for i in scenario.issues:
        cells = []
        for m in models:
            text = fmt_number(results[m].point()[i.id])
            if (m, i.id) in marked:
                text += "!"
            if m in intervals:
                low, _, high = intervals[m][i.id]
                text += f" [{fmt_number(low, 0)}–{fmt_number(high, 0)}]"
            cells.append(text)
        table.add_row(i.id, fmt_number(i.status_quo), *cells)
    table.print()
    if intervals:
        console.print(
            f"[low–high]: 5–95% range over {result.draws} draws of positions within their ranges",
            markup=False,
        )
    for reason, issues in result.missing().items():
        console.print(f"— : no forecast for {', '.join(issues)} ({reason})", markup=False)
    if marked and full:
        for model, flagged in flags.items():
            for issue, reason in flagged:
                console.print(f"! {model} on {issue}: {reason}", style="yellow", markup=False)
    elif marked:
        console.print(
            f"!: the point lies outside its own 5–95% range ({len(marked)} forecasts); "
            "--full says why for each",
            style="yellow",
            markup=False,
        )
    if calibrated:
        _print_calibrated(result, calibrated)


LEVELS = (0.8, 0.9)
ENDS = ("low", "high")


def _print_calibrated(result: ForecastResult, calibrated: dict[str, CalibratedIntervals]) -> None:
    """The intervals calibrated on real outcomes, with their label and caution."""
    first = next(iter(calibrated.values()))
    table = FitTable(
        f"80% and 90% intervals {first.label}",
        [Col("issue", key=True)] + [Col(m, "right") for m in calibrated],
        caption=f"80% (90%) intervals, {first.caution}",
    )
    for i in result.scenario.issues:
        cells = []
        for c in calibrated.values():
            (lo8, hi8), (lo9, hi9) = (c.intervals[i.id][lv] for lv in LEVELS)
            eighty = f"{fmt_number(lo8, 0)}–{fmt_number(hi8, 0)}"
            cells.append(f"{eighty} ({fmt_number(lo9, 0)}–{fmt_number(hi9, 0)})")
        table.add_row(i.id, *cells)
    table.print()
