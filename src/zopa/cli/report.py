"""``zopa report``: the full analysis of a scenario, written to a folder.

One command answers the product's questions in order — where will it land, what deal is
possible, what to discuss, who must be at the table, will it hold — through
:func:`zopa.service.report`, which reads each file once and runs each analysis once, and
:func:`zopa.report.document.write_report`, which writes the JSON of each part, the plots
and one Markdown report that renders them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import (
    console,
    err_console,
    fail,
    load_or_exit,
    output_folder_or_exit,
    service_errors,
)
from zopa.cli.parsing import DropOption, SetOption, parse_overrides, parse_tables

FLAGS = {
    "models": "--model",
    "tables": "--table",
    "deals": "--deal",
    "draws": "--draws",
    "advise": "--advise",
    "questions": "--questions",
}
"""The option of ``zopa report`` behind each argument of the service call."""


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
    questions: Annotated[
        Path | None,
        typer.Option(
            "--questions",
            help="Question file: a report section answers each question "
            "(default: SCENARIO.questions.yaml beside the scenario, if any).",
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf/--no-pdf",
            help="Also print report.pdf with headless Chromium (skipped with a notice "
            "when none is installed).",
        ),
    ] = True,
    xlsx: Annotated[
        bool, typer.Option("--xlsx", help="Also write report.xlsx, a sheet per table.")
    ] = False,
    grid: Annotated[int, typer.Option("--grid", min=2, help="Levels per issue (deals).")] = 11,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of every random draw.")] = 0,
    advise: Annotated[
        str | None,
        typer.Option("--advise", help="Actors to advise, ID,ID (own moves, whom to work on)."),
    ] = None,
    sets: SetOption = None,
    drops: DropOption = None,
) -> None:
    """Analyse a scenario end to end and write the report with its data and plots.

    Writes OUT/report.md and OUT/report.html (findings in sentences, answers to the
    questions of the question file, forecasts with Monte Carlo ranges, the deal space
    and agenda, the table comparison, the durability of the plans), OUT/report.pdf when
    Chromium is installed, the JSON of each part, a tidy CSV per table (forecasts,
    packages, utilities, tables, durability), with --xlsx also OUT/report.xlsx, and the
    plots in OUT/maps, OUT/deals, OUT/tables and OUT/durability.

    The folder is written whole: into a staging folder beside OUT, swapped in at the
    end. A second run on the same OUT while one is writing fails (exit 2); a folder
    holding other files than a report is never replaced (exit 2).

    \b
    Examples:
        zopa report scenarios/ukraine-ceasefire-2026.yaml --out out/ukraine
        zopa report my.yaml -o out/mine -t bilateral=US,RU -t with-ua=US,RU,UA
        zopa report my.yaml -o out/mine --questions q.yaml --xlsx --no-pdf
        zopa report scenarios/ukraine-ceasefire-2026.yaml -o out/what-if \\
            --set RU.capability=50 --drop EU
    """
    from zopa import service
    from zopa.cli.views.forecast import print_forecast
    from zopa.report.document import write_report
    from zopa.report.folder import FolderBusy, FolderNotReport, check_folder

    tables = parse_tables(table or [])
    overrides, override_flags = parse_overrides(sets, drops)
    loader = service.Loader()  # reads each file once: the deal files reuse the scenario
    source = load_or_exit(file, loader=loader)

    def prepare() -> None:
        # before any analysis runs: a folder that cannot be written, is busy or holds
        # other files is refused at once
        output_folder_or_exit(out, "--out")
        try:
            check_folder(out)
        except (FolderBusy, FolderNotReport) as exc:
            fail(f"--out {exc}")
        except OSError as exc:
            fail(f"--out {out}: cannot write there ({exc.strerror or exc})")

    with service_errors({**FLAGS, **override_flags}):
        result = service.report(
            source,
            models=model,
            draws=draws,
            tables=tables,
            deal_files=deal,
            questions=questions,
            grid=grid,
            seed=seed,
            loader=loader,
            on_checked=prepare,
            advise=[a.strip() for a in (advise or "").split(",") if a.strip()],
            overrides=overrides,
        )
    try:
        written = write_report(result, out, pdf=pdf, xlsx=xlsx)
    except (FolderBusy, FolderNotReport) as exc:
        fail(f"--out {exc}")
    print_forecast(result.forecast, with_intervals=False)
    z = result.deals.analysis.zopa
    console.print(
        "zone of possible agreement: "
        + ("EMPTY — colliding red lines, see the report" if z.empty else f"{z.size:.3g} packages")
    )
    if written.pdf_skipped is not None:
        err_console.print(f"note: no PDF: {written.pdf_skipped}", markup=False)
    made = ", ".join(p.name for p in written.files if p.parent == out and p.suffix != ".json")
    console.print(f"\nwrote {made} with the data and plots in {out}/", markup=False)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(report)
