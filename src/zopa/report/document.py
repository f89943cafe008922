"""A report folder from a service report: Markdown, HTML, PDF, tidy data and plots.

:func:`write_report` writes everything into a staging folder and swaps it in whole at the
end, under a lock on the folder (:mod:`zopa.report.folder`). The Markdown is the source
of the HTML (:mod:`zopa.report.html`), and the HTML of the PDF (:mod:`zopa.report.pdf`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zopa.io import atomic_write
from zopa.service.results import json_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from zopa.io.errors import Problem
    from zopa.report.findings import Finding
    from zopa.service.report import ReportResult


@dataclass(frozen=True)
class WrittenReport:
    """What :func:`write_report` wrote.

    Attributes:
        files: Every file written (final paths), ``report.md`` last.
        pdf: The PDF, or ``None`` when no engine could print it.
        pdf_skipped: Why there is no PDF (``None`` when there is one or none was asked).
    """

    files: tuple[Path, ...]
    pdf: Path | None = None
    pdf_skipped: str | None = None


def findings(result: ReportResult) -> tuple[list[Finding], list[Finding]]:
    """The report's findings and its warnings, from every analysis that ran."""
    from zopa.report import findings as f
    from zopa.report import package_warnings as w

    scenario = result.forecast.scenario
    deals = result.deals.to_dict()
    found = f.landing_findings(scenario, result.forecast.to_dict())
    found += f.deal_findings(deals)
    warnings = w.deal_warnings(scenario, deals)
    if result.tables is not None:
        tables = result.tables.to_dict()
        found += f.table_findings(tables)
        warnings += w.table_warnings(scenario, tables)
    found += f.agenda_findings(deals)
    if result.durability is not None:
        found += f.durability_findings(result.durability.to_dict()["deals"])
        plans = {
            a.deal.title: {t.issue: t.value for t in a.deal.terms}
            for a in result.durability.assessments
        }
        warnings += w.plan_warnings(scenario, plans)
    return found, warnings


def grouped_warnings(problems: Sequence[Problem]) -> list[str]:
    """The validator's warnings, one line per kind: a repeated message is counted once."""
    by_message: dict[str, list[Problem]] = {}
    for p in problems:
        by_message.setdefault(p.message, []).append(p)
    lines = []
    for message, group in by_message.items():
        if len(group) == 1:
            lines.append(group[0].format())
        else:
            first = group[0]
            where = f"{first.file}:{first.line}" if first.line is not None else first.file
            lines.append(f"{len(group)} times: {message}; first at {where} ({first.path})")
    return lines


def _markdown(result: ReportResult, out: Path) -> tuple[str, list[Path]]:
    """``report.md``'s text and the figures and JSON it refers to, written into ``out``."""
    from zopa.report import markdown as md
    from zopa.report.answers import answer_questions
    from zopa.report.deals import plot_deals, plot_table_composition
    from zopa.report.plots import durability_plots
    from zopa.report.position_map import plot_position_maps

    scenario = result.forecast.scenario
    files = [_write(out / "forecasts.json", result.forecast.to_json())]
    files.append(_write(out / "deals.json", result.deals.to_json()))
    points = {m: f.point() for m, f in result.forecast.points.items()}
    maps = plot_position_maps(scenario, out / "maps", forecasts=points)
    found, warnings = findings(result)
    sections = [
        md.header_section(
            scenario, grouped_warnings(result.source.warnings), result.overrides.texts()
        )
    ]
    sections.append(md.findings_section(found, warnings))
    questions = result.questions_file.name if result.questions_file is not None else None
    sections.append(md.questions_section(answer_questions(result), questions))
    sections.append(md.forecast_section(scenario, result.forecast.to_dict(), maps, relative_to=out))
    sections.append(
        md.deals_section(
            result.deals.to_dict(),
            plot_deals(result.deals.analysis, out / "deals"),
            relative_to=out,
        )
    )
    if result.tables is not None:
        chart = plot_table_composition(
            result.tables.comparison, out / "tables" / "table-composition.png"
        )
        files.append(_write(out / "tables.json", result.tables.to_json()))
        sections.append(md.tables_section(result.tables.to_dict(), chart, relative_to=out))
    else:
        sections.append(md.no_tables_section())
    if result.talks:  # simulated talks: zopa.report.simulation
        from zopa.report.simulation import plot_offers

        talks = result.talks
        charts = [
            plot_offers(r, out / "talks" / f"offers-{n + 1}.png") for n, (_, r) in enumerate(talks)
        ]
        files.append(_write(out / "talks.json", json_text({k: r.to_dict() for k, r in talks})))
        sections.append(md.talks_section(result.talks, charts, relative_to=out))
    if result.durability is not None:
        plots = durability_plots(result.durability, out / "durability")
        files.append(_write(out / "durability.json", result.durability.to_json()))
        plans = {
            a.deal.title: {t.issue: (t.value, t.settlement.value) for t in a.deal.terms}
            for a in result.durability.assessments
        }
        sections.append(
            md.durability_section(
                result.durability.to_dict()["deals"],
                plots,
                relative_to=out,
                terms=md.plan_terms_lines(scenario.issue_ids, plans),
            )
        )
    else:
        searched = None if result.deal_search is None else result.deal_search.as_posix()
        sections.append(md.durability_section([], [], relative_to=out, searched=searched))
    if result.advice:
        advice = [a.to_dict() for a in result.advice]
        files.append(_write(out / "advice.json", json_text(advice)))
        sections.append(md.advice_section(advice))
    return "\n".join(line for section in sections for line in section), files


def write_report(
    result: ReportResult, out: Path, *, html: bool = True, pdf: bool = False, xlsx: bool = False
) -> WrittenReport:
    """Write the report folder ``out`` whole (staged, then swapped in, under a lock).

    Writes ``report.md``, ``report.html`` (self-contained), ``report.pdf`` (when asked and
    an engine runs), each part's JSON, a tidy CSV per table (``forecasts.csv``,
    ``packages.csv``, ``utilities.csv``, ``tables.csv``, ``durability.csv``,
    ``advice.csv``), with
    ``xlsx`` also ``report.xlsx`` (a sheet per table), and the figures.

    Raises:
        zopa.report.folder.FolderBusy: Another run is writing into ``out``.
        zopa.report.folder.FolderNotReport: ``out`` holds other files and no report.
    """
    from zopa.report import markdown as md
    from zopa.report.exports import write_csvs, write_xlsx
    from zopa.report.folder import report_folder

    out = Path(out)
    pdf_path = None
    skipped = None
    with report_folder(out) as stage:
        text, files = _markdown(result, stage)
        tables = result.tidy_tables()
        files += write_csvs(tables, stage)
        if xlsx:
            files.append(write_xlsx(tables, stage / "report.xlsx"))
        text += "\n" + "\n".join(md.files_section(files, relative_to=stage))
        page = None
        if html or pdf:
            from zopa.report.html import markdown_to_html

            page = markdown_to_html(text, title=result.forecast.scenario.title, folder=stage)
        if html and page is not None:
            files.append(_write(stage / "report.html", page))
        if pdf and page is not None:
            from zopa.report.pdf import PdfUnavailable, write_pdf

            try:
                pdf_path = write_pdf(page, stage / "report.pdf")
                files.append(pdf_path)
            except PdfUnavailable as exc:
                skipped = str(exc)
        files.append(_write(stage / "report.md", text))
        final = tuple(out / p.relative_to(stage) for p in files)
    return WrittenReport(
        final, None if pdf_path is None else out / pdf_path.relative_to(stage), skipped
    )


def _write(path: Path, text: str) -> Path:
    atomic_write(path, text)
    return path
