"""The forecast table (or CSV) on the terminal, shared by ``forecast`` and ``report``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zopa.cli.common import OutputFormat, console, fmt_number, print_csv, user_text

if TYPE_CHECKING:
    from zopa.service.forecast import ForecastResult


def print_forecast(
    result: ForecastResult,
    output: OutputFormat = OutputFormat.table,
    *,
    with_intervals: bool = True,
) -> None:
    """The forecasts as CSV or as a table (with their 5–95% ranges when drawn)."""
    scenario, models = result.scenario, list(result.models)
    results = result.points
    intervals = result.intervals() if with_intervals else {}
    draws = result.draws
    if output is OutputFormat.csv:
        header = ["issue", "status_quo", *models]
        if intervals:
            header += [f"{m}_{q}" for m in models for q in ("low", "median", "high")]
        rows = [
            [
                i.id,
                i.status_quo,
                *(results[m].point()[i.id] for m in models),
                *(v for m in intervals for v in intervals[m][i.id]),
            ]
            for i in scenario.issues
        ]
        print_csv(header, rows)
    else:
        from rich.table import Table

        table = Table(title=f"Forecasts — {user_text(scenario.title)}", title_justify="left")
        table.add_column("issue", no_wrap=True)
        table.add_column("status quo", justify="right")
        for m in models:
            table.add_column(m, justify="right")
        for i in scenario.issues:
            cells = []
            for m in models:
                text = fmt_number(results[m].point()[i.id])
                if m in intervals:
                    low, _, high = intervals[m][i.id]
                    text += f" [{fmt_number(low, 0)}–{fmt_number(high, 0)}]"
                cells.append(text)
            table.add_row(i.id, fmt_number(i.status_quo), *cells)
        console.print(table)
        if intervals:
            console.print(
                f"[low–high]: 5–95% range over {draws} draws of positions within their ranges",
                markup=False,
            )
        for reason, issues in result.missing().items():
            console.print(f"— : no forecast for {', '.join(issues)} ({reason})", markup=False)
