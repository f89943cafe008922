"""``report.md`` and its data and plots, written into one folder from a service report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zopa.io import atomic_write
from zopa.service.results import json_text

if TYPE_CHECKING:
    from pathlib import Path

    from zopa.service.report import ReportResult


def forecasts_csv(result: ReportResult) -> str:
    """``forecasts.csv``: one row per issue, the status quo and every model's forecast."""
    forecasts = result.forecast.to_dict()["forecasts"]
    models = list(result.forecast.models)
    rows = ["issue,status_quo," + ",".join(models)]
    for issue in result.forecast.scenario.issues:
        values = ",".join(f"{forecasts[m][issue.id]:.4f}" for m in models)
        sq = "" if issue.status_quo is None else f"{issue.status_quo:g}"
        rows.append(f"{issue.id},{sq},{values}")
    return "\n".join(rows) + "\n"


def write_report(result: ReportResult, out: Path) -> list[Path]:
    """Write ``report.md``, each part's JSON, ``forecasts.csv`` and the plots into ``out``.

    Returns every file written, ``report.md`` last.
    """
    from zopa.report import markdown as md
    from zopa.report.deals import plot_deals, plot_table_composition
    from zopa.report.plots import durability_plots
    from zopa.report.position_map import plot_position_maps

    scenario = result.forecast.scenario
    out.mkdir(parents=True, exist_ok=True)
    files = [_write(out / "forecasts.json", result.forecast.to_json())]
    files.append(_write(out / "forecasts.csv", forecasts_csv(result)))
    points = {m: f.point() for m, f in result.forecast.points.items()}
    maps = plot_position_maps(scenario, out / "maps", forecasts=points)
    text = md.header_section(scenario, [p.format() for p in result.source.warnings])
    text += md.forecast_section(scenario, result.forecast.to_dict(), maps, relative_to=out)

    deals = result.deals.to_dict()
    files.append(_write(out / "deals.json", result.deals.to_json()))
    text += md.deals_section(
        deals, plot_deals(result.deals.analysis, out / "deals"), relative_to=out
    )
    if result.tables is not None:
        chart = plot_table_composition(
            result.tables.comparison, out / "tables" / "table-composition.png"
        )
        files.append(_write(out / "tables.json", result.tables.to_json()))
        text += md.tables_section(result.tables.to_dict(), chart, relative_to=out)
    if result.talks:  # simulated talks: zopa.report.simulation
        from zopa.report.simulation import plot_offers

        talks = result.talks
        charts = [
            plot_offers(r, out / "talks" / f"offers-{n + 1}.png") for n, (_, r) in enumerate(talks)
        ]
        files.append(_write(out / "talks.json", json_text({k: r.to_dict() for k, r in talks})))
        text += md.talks_section(result.talks, charts, relative_to=out)
    if result.durability is not None:
        plots = durability_plots(result.durability, out / "durability")
        files.append(_write(out / "durability.json", result.durability.to_json()))
        text += md.durability_section(result.durability.to_dict()["deals"], plots, relative_to=out)
    if result.advice:
        advice = [a.to_dict() for a in result.advice]
        files.append(_write(out / "advice.json", json_text(advice)))
        text += md.advice_section(advice)
    text += md.files_section(files, relative_to=out)
    return [*files, _write(out / "report.md", "\n".join(text))]


def _write(path: Path, text: str) -> Path:
    atomic_write(path, text)
    return path
