"""``zopa report``: the full analysis of a scenario, written to a folder.

One command answers the product's questions in order — where will it land, what deal is
possible, what to discuss, who must be at the table, will it hold — by running the same
analyses as ``zopa forecast``, ``zopa deals``, ``zopa tables`` and ``zopa compare`` and
writing their JSON, their plots and one Markdown report that renders them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.common import (
    EXIT_ANALYSIS_FAILED,
    EXIT_BAD_INPUT,
    check_file,
    console,
    err_console,
    fail,
    load_or_exit,
    output_folder_or_exit,
    to_jsonable,
)
from zopa.cli.forecast import forecasts_json, resolve_models, run_forecasts
from zopa.io import atomic_write

if TYPE_CHECKING:
    from zopa.durability.deal import Deal
    from zopa.scenario import Scenario


def _write_json(path: Path, data: Any) -> Path:
    atomic_write(
        path, json.dumps(to_jsonable(data), indent=2, ensure_ascii=False, default=str) + "\n"
    )
    return path


def _default_deals(file: Path) -> list[Path]:
    """Deal files in ``<scenario folder>/deals/`` (those for other scenarios are skipped)."""
    folder = file.resolve().parent / "deals"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _forecast_part(
    scenario: Scenario, models: list[str], draws: int, seed: int, out: Path
) -> tuple[dict[str, Any], list[Path]]:
    from zopa.report.position_map import plot_position_maps

    results, batched = run_forecasts(scenario, models, {}, seed, draws=draws)
    payload = forecasts_json(scenario, results, batched=batched)
    maps = plot_position_maps(
        scenario, out / "maps", forecasts={m: f.point() for m, f in results.items()}
    )
    return payload, maps


def _deals_part(scenario: Scenario, grid: int, out: Path) -> tuple[dict[str, Any], list[Path]]:
    from zopa.agreements.analysis import analyse_deals
    from zopa.report.deals import plot_deals

    analysis = analyse_deals(scenario, grid=grid)
    return analysis.as_dict(), plot_deals(analysis, out / "deals")


def _tables_part(
    scenario: Scenario, tables: dict[str, list[str]], grid: int, out: Path
) -> tuple[dict[str, Any], Path]:
    from zopa.agreements.tables import compare_tables
    from zopa.report.deals import plot_table_composition

    comparison = compare_tables(scenario, tables, grid=grid)
    chart = plot_table_composition(comparison, out / "tables" / "table-composition.png")
    return comparison.as_dict(), chart


def _deals_or_exit(
    file: Path, deal_paths: list[Path], *, explicit: bool
) -> list[tuple[Deal, Scenario]]:
    """Every deal file checked before anything is written; exit 2 naming every problem.

    Deals about another scenario are skipped in the default folder and refused when
    named with ``--deal``.
    """
    from zopa.cli.durability import check_deal_and_print
    from zopa.io.deal_file import scenario_path

    loaded, bad = [], False
    for path in deal_paths:
        checked = check_deal_and_print(path)
        if checked is None:
            bad = True
            continue
        about = scenario_path(path, checked[0])
        if about.resolve() == file.resolve():
            loaded.append(checked)
        elif explicit:
            bad = True
            err_console.print(
                f"error: --deal {path}: a deal about {about}, not about {file}",
                style="red",
                markup=False,
            )
    if bad:
        raise typer.Exit(EXIT_BAD_INPUT)
    return loaded


def _durability_part(
    deals: list[tuple[Deal, Scenario]], draws: int, seed: int, out: Path
) -> tuple[list[dict[str, Any]], list[Path]]:
    from zopa.cli.durability import assessment_json, load_parameters_or_exit, write_plots
    from zopa.durability.assess import assess_deal

    params = load_parameters_or_exit(None)
    assessments = [
        assess_deal(deal, scenario, params, n_draws=draws, seed=seed) for deal, scenario in deals
    ]
    if not assessments:
        return [], []
    plots = write_plots(assessments, params, out / "durability")
    return [assessment_json(a, params) for a in assessments], plots


def report(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV, XLSX...).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into.")],
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Models to run (default: all).")
    ] = None,
    draws: Annotated[
        int,
        typer.Option("--draws", min=0, help="Monte Carlo draws for forecast ranges (0: none)."),
    ] = 1000,
    table: Annotated[
        list[str] | None,
        typer.Option("--table", "-t", help="A table to compare, NAME=ID,ID,... (repeatable)."),
    ] = None,
    deal: Annotated[
        list[Path] | None,
        typer.Option(
            "--deal",
            help="Deal files to assess for durability (default: the scenario's deals/ folder).",
        ),
    ] = None,
    grid: Annotated[int, typer.Option("--grid", min=2, help="Levels per issue (deals).")] = 11,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of every random draw.")] = 0,
) -> None:
    """Analyse a scenario end to end and write the report with its data and plots.

    Writes OUT/report.md (forecasts with Monte Carlo ranges, the deal space and agenda,
    the table comparison, the durability of the plans), the JSON of each part
    (forecasts.json, deals.json, tables.json, durability.json), forecasts.csv, and the
    plots in OUT/maps, OUT/deals, OUT/tables and OUT/durability.

    Example:
        zopa report scenarios/ukraine-ceasefire-2026.yaml --out out/ukraine
        zopa report my.yaml -o out/mine --table bilateral=US,RU --table with-ukraine=US,RU,UA
    """
    from zopa.cli.forecast import forecast as print_forecast_table
    from zopa.cli.tables import parse_tables
    from zopa.report import markdown as md

    scenario = load_or_exit(file)
    _, problems = check_file(file)
    models = resolve_models(model or [])
    tables = parse_tables(table or [], scenario.actor_ids)
    chosen_deals = _deals_or_exit(
        file, list(deal) if deal is not None else _default_deals(file), explicit=deal is not None
    )
    output_folder_or_exit(out, "--out")

    forecasts, maps = _forecast_part(scenario, models, draws, seed, out)
    files = [_write_json(out / "forecasts.json", forecasts)]
    rows = ["issue,status_quo," + ",".join(models)]
    for issue in scenario.issues:
        values = ",".join(f"{forecasts['forecasts'][m][issue.id]:.4f}" for m in models)
        sq = "" if issue.status_quo is None else f"{issue.status_quo:g}"
        rows.append(f"{issue.id},{sq},{values}")
    atomic_write(out / "forecasts.csv", "\n".join(rows) + "\n")
    files.append(out / "forecasts.csv")
    text = md.header_section(scenario, [p.format() for p in problems])
    text += md.forecast_section(scenario, forecasts, maps, relative_to=out)

    try:
        deals, deal_plots = _deals_part(scenario, grid, out)
    except ValueError as exc:
        fail(f"deal-space analysis failed: {exc}", EXIT_ANALYSIS_FAILED)
    files.append(_write_json(out / "deals.json", deals))
    text += md.deals_section(deals, deal_plots, relative_to=out)

    if tables:
        comparison, chart = _tables_part(scenario, tables, grid, out)
        files.append(_write_json(out / "tables.json", comparison))
        text += md.tables_section(comparison, chart, relative_to=out)

    if chosen_deals:
        assessments, durability_plots = _durability_part(
            chosen_deals, max(draws * 10, 1000), seed, out
        )
        if assessments:
            files.append(_write_json(out / "durability.json", {"deals": assessments}))
            text += md.durability_section(assessments, durability_plots, relative_to=out)

    text += md.files_section(files, relative_to=out)
    atomic_write(out / "report.md", "\n".join(text))
    print_forecast_table(file, model=models, param=None, trace=False, plot=None, draws=0, seed=seed)
    z = deals["zopa"]
    console.print(
        "zone of possible agreement: "
        + (
            "EMPTY — colliding red lines, see the report"
            if z["empty"]
            else f"{z['size']:.3g} packages"
        )
    )
    console.print(f"\nwrote {out / 'report.md'} with its data and plots in {out}/")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(report)
