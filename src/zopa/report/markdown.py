"""The analysis report as a Markdown document (readable as text and on any git host).

Each section renders the documented JSON of one analysis (forecast, deals, tables,
durability), so the report says exactly what the commands say; the findings and the
answers to the user's questions come first. Every function returns the section's lines,
and :func:`zopa.report.document.write_report` joins them: a new section is one more
function and one more line there. Users' text (names, titles, notes) is escaped with
:func:`~zopa.report.text.md_text`: it is shown, never interpreted as Markdown or HTML.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zopa.report.advice import advice_section as advice_section  # its own module
from zopa.report.findings import (
    AGENDA,
    DEALS,
    DURABILITY,
    FORECASTS,
    QUESTIONS,
    TABLES,
    WARNINGS,
    Finding,
    balance_at,
    relaxation_text,
)
from zopa.report.simulation import talks_section as talks_section  # "How the talks might go"
from zopa.report.text import fmt_number, md_text, plural

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from zopa.report.answers import Answer
    from zopa.scenario import Scenario


TOPIC_TITLES = {
    "lands": "Where it lands",
    "deal": "Whether a deal exists",
    "table": "Who must be at the table",
    "agenda": "What to discuss first",
    "holds": "Whether the plans hold, deter, and how they end",
}
"""The findings' topics as the report titles them."""

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _image(path: Path, relative_to: Path, alt: str) -> str:
    return f"![{md_text(alt)}]({path.relative_to(relative_to).as_posix()})"


def _heading(level: int, title: str) -> str:
    return f"{'#' * level} {title}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    spec = align or "l" + "r" * (len(header) - 1)
    marks = ["---:" if a == "r" else "---" for a in spec]

    def cell(c: object) -> str:
        return _UNESCAPED_PIPE.sub(r"\\|", str(c))

    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join(marks) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return out


def _finding_line(f: Finding, indent: str = "") -> str:
    return f"{indent}- {md_text(f.text)} ([→ table](#{f.anchor}))"


def header_section(
    scenario: Scenario, warnings: Sequence[str], changes: Sequence[str] = ()
) -> list[str]:
    """Title, date, size, the what-if changes analysed, and the validator's warnings."""
    lines = [_heading(1, md_text(scenario.title)), ""]
    if scenario.as_of:
        lines += [f"As of {scenario.as_of}.", ""]
    if changes:
        lines += [
            "**What-if.** Every analysis in this report ran on the scenario with these "
            "changes, not on the file as it is: " + md_text("; ".join(changes)) + ".",
            "",
        ]
    lines += [
        f"{plural(len(scenario.actors), 'actor')} "
        f"({md_text(', '.join(a.id for a in scenario.actors))}), "
        f"{plural(len(scenario.issues), 'issue')}, {plural(len(scenario.stances), 'stance')}, "
        f"{plural(len(scenario.sources), 'source')}. Veto players: "
        + (md_text(", ".join(a.name for a in scenario.actors if a.veto)) or "none")
        + ".",
        "",
    ]
    if warnings:
        lines += ["Warnings from validation:", ""] + [f"- {md_text(w)}" for w in warnings] + [""]
    return lines


def findings_section(findings: Sequence[Finding], warnings: Sequence[Finding]) -> list[str]:
    """The findings in sentences, each linking to its table; then the warnings."""
    lines = [_heading(2, "Findings"), ""]
    if not findings:
        lines += ["No analysis gave a finding.", ""]
    topics: dict[str, list[Finding]] = {}
    for f in findings:
        topics.setdefault(f.topic, []).append(f)
    for topic, group in topics.items():
        lines += [f"**{TOPIC_TITLES.get(topic, topic)}**", ""]
        for k, f in enumerate(group):
            nested = topic == "lands" and k > 0
            lines.append(_finding_line(f, "  " if nested else ""))
        lines.append("")
    if warnings:
        lines += [_heading(3, WARNINGS), ""]
        lines += [_finding_line(w) for w in warnings]
        lines.append("")
    return lines


def questions_section(answers: Sequence[Answer], source: str | None = None) -> list[str]:
    """Each question the user asked, the sentences that answer it, and their table."""
    if not answers:
        return []
    lines = [_heading(2, QUESTIONS), ""]
    if source:
        lines += [f"The questions of `{md_text(source)}`, each answered from the results.", ""]
    for k, answer in enumerate(answers, 1):
        lines += [_heading(3, f"{k}. {md_text(answer.question)}"), ""]
        lines += [_finding_line(s) for s in answer.sentences]
        lines.append("")
        if answer.header:
            lines += _table(
                answer.header,
                [[md_text(c) for c in r] for r in answer.rows],
                "l" * len(answer.header),
            )
            lines.append("")
    return lines


def forecast_section(
    scenario: Scenario,
    forecasts: Mapping[str, Any],
    maps: Sequence[Path],
    *,
    relative_to: Path,
) -> list[str]:
    """Forecasts per issue and model (with Monte Carlo ranges), citations, position maps."""
    points: Mapping[str, Mapping[str, float]] = forecasts["forecasts"]
    intervals: Mapping[str, Any] = forecasts.get("intervals", {})
    models = list(points)
    lines = [
        _heading(2, FORECASTS),
        "",
        "Each model's forecast on each issue's own scale (0–100 unless stated). "
        + (
            f"Brackets: the 5–95% range over {next(iter(intervals.values()))['draws']} "
            "Monte Carlo draws of the positions within the analysts' stated ranges. "
            if intervals
            else ""
        )
        + "A point forecast outside its bracket is not an error: the point uses the stated "
        "positions, the bracket their spread, and some models jump between sides when "
        "positions move a little (see docs/models/). The scale ends are in the last "
        "columns; the position maps below show who stands where.",
        "",
    ]
    rows = []
    for issue in scenario.issues:
        anchors = dict(issue.anchors)
        cells = []
        for m in models:
            text = fmt_number(points[m][issue.id])
            if m in intervals:
                low = intervals[m]["issues"][issue.id]["low"]
                high = intervals[m]["issues"][issue.id]["high"]
                text += f" [{fmt_number(low, 0)}–{fmt_number(high, 0)}]"
            cells.append(text)
        rows.append(
            [
                f"{md_text(issue.name)} (`{issue.id}`)",
                fmt_number(issue.status_quo),
                *cells,
                f"{issue.scale.min:g}: {md_text(anchors.get(issue.scale.min, ''))}",
                f"{issue.scale.max:g}: {md_text(anchors.get(issue.scale.max, ''))}",
            ]
        )
    lines += _table(
        ["issue", "status quo", *models, "low end", "high end"],
        rows,
        "lr" + "r" * len(models) + "ll",
    )
    lines += ["", "Models:", ""]
    for m, info in forecasts["models"].items():
        rounds = f" ({info['rounds']} rounds)" if info.get("rounds") else ""
        lines.append(f"- **{m}**{rounds}: {md_text(info['citation'])} — see `docs/models/`.")
    lines += _flags_lines(forecasts.get("flags", {}))
    lines += _calibrated_lines(scenario, forecasts.get("calibrated", {}))
    lines += ["", "### Position maps", ""]
    for path in maps:
        lines += [_image(path, relative_to, path.stem), ""]
    return lines


def _flags_lines(flags: Mapping[str, Sequence[Mapping[str, str]]]) -> list[str]:
    """Point forecasts outside their own Monte Carlo range, each with its reason."""
    flagged = [(m, f) for m, fs in flags.items() for f in fs]
    if not flagged:
        return []
    lines = ["", "### Point forecasts outside their own range", ""]
    lines += [f"- **{m}** on `{f['issue']}`: {md_text(f['reason'])}." for m, f in flagged]
    return lines


def _calibrated_lines(scenario: Scenario, calibrated: Mapping[str, Any]) -> list[str]:
    """80% and 90% intervals calibrated on real outcomes, with their caution."""
    if not calibrated:
        return []
    first = next(iter(calibrated.values()))
    rows = []
    for issue in scenario.issues:
        cells = []
        for c in calibrated.values():
            (lo8, hi8), (lo9, hi9) = c["issues"][issue.id]["0.8"], c["issues"][issue.id]["0.9"]
            eighty = f"{fmt_number(lo8, 0)}–{fmt_number(hi8, 0)}"
            cells.append(f"{eighty} ({fmt_number(lo9, 0)}–{fmt_number(hi9, 0)})")
        rows.append([f"`{issue.id}`", *cells])
    return [
        "",
        f"### 80% (90%) intervals {first['label']}",
        "",
        f"{first['caution'][:1].upper()}{first['caution'][1:]} (docs/validity.md).",
        "",
        *_table(["issue", *calibrated], rows),
    ]


def deals_section(
    deals: Mapping[str, Any], plots: Sequence[Path], *, relative_to: Path
) -> list[str]:
    """The zone of possible agreement, colliding red lines, relaxations, solutions, agenda."""
    z = deals["zopa"]
    parties = ", ".join(deals["parties"])
    lines = [_heading(2, DEALS), ""]
    if z["empty"]:
        lines += [
            f"**The zone of possible agreement is empty**: no package satisfies every veto "
            f"player ({parties}) — searched by {deals['method']}.",
            "",
        ]
    else:
        size = f"{z['size']:.3g}" if not z.get("size_exact") else f"{int(z['size'])}"
        lines += [
            f"The zone of possible agreement holds {size} packages acceptable to every veto "
            f"player ({parties}); searched by {deals['method']}.",
            "",
        ]
    if z["conflicts"]:
        lines += ["Constraints that cannot hold together (each line is one colliding set):", ""]
        for k, group in enumerate(z["conflicts"], 1):
            lines.append(f"{k}. " + md_text("; ".join(c["text"] for c in group)))
        lines.append("")
    if z["relaxations"]:
        lines += ["Smallest relaxations that would open the zone:", ""]
        for r in z["relaxations"]:
            lines.append(f"- {md_text(relaxation_text(r))}")
        lines.append("")
    solutions = deals["solutions"]
    core = deals.get("core")
    source = "the zone"
    if all(s["package"] is None for s in solutions.values()) and core:
        solutions = core["solutions"]
        source = (
            "the core deal, with the colliding issues ("
            + ", ".join(core["set_aside"])
            + ") set aside at their status quo"
        )
    if any(s["package"] is not None for s in solutions.values()):
        names = list(solutions)
        lines += [f"Bargaining solutions within {source}:", ""]
        issues = list(next(s for s in solutions.values() if s["package"])["package"])
        rows = [
            [f"`{i}`", *(fmt_number((solutions[n]["package"] or {}).get(i), 0) for n in names)]
            for i in issues
        ]
        actors = list(next(s for s in solutions.values() if s["package"])["utilities"])
        rows += [
            [
                f"gain of {a}",
                *(fmt_number((solutions[n].get("gains") or {}).get(a), 2) for n in names),
            ]
            for a in actors
        ]
        lines += _table(["", *(n.replace("_", "–") for n in names)], rows)
        lines += ["", "Gains are utility (0..1) over no agreement; negative: worse off.", ""]
    for path in plots:
        lines += [_image(path, relative_to, path.stem), ""]
    if deals.get("agenda"):
        lines += [_heading(2, AGENDA), ""]
        lines += [
            "The recommended agenda: what every party accepts is settled first, trades "
            "follow, colliding red lines go on a separate track. The trades start from the "
            "capability × salience weighted mean of positions.",
            "",
        ]
        rows = [
            [str(a["order"]), ", ".join(a["issues"]), a["action"], md_text(a["reason"])]
            for a in deals["agenda"]
        ]
        lines += _table(["#", "issues", "action", "why"], rows, "rlll")
        lines.append("")
    return lines


def tables_section(
    tables: Mapping[str, Any], chart: Path | None, *, relative_to: Path
) -> list[str]:
    """Who is at the table: each table's deal, who rejects it, and everyone's utility."""
    names = list(tables["tables"])
    entries = tables["tables"]
    lines = [
        _heading(2, TABLES),
        "",
        "The same deal-space analysis with only some actors in the room: the deal each "
        "table reaches (the Nash package of its members) and every actor's utility under "
        "it — including those outside the room. An actor *rejects* a deal worth less to it "
        "than no deal. `—`: that table reaches no deal.",
        "",
    ]
    rows = []
    for name in names:
        t = entries[name]
        deal = t["deal"]
        if deal is None:
            status = "no deal"
        elif deal.get("set_aside"):
            aside = ", ".join(deal["set_aside"])
            status = (
                f"{deal['source']}: {aside}"
                if "set aside" in deal["source"]
                else f"{deal['source']}, {aside} set aside"
            )
        else:
            status = deal["source"]
        rejects = [a for a, ok in t["acceptable_to"].items() if ok is False]
        rows.append(
            [
                md_text(name),
                ", ".join(t["members"]),
                status,
                ", ".join(rejects) if deal is not None and rejects else "—",
                ", ".join(t.get("absent_vetoes") or []) or "—",
            ]
        )
    lines += _table(
        ["table", "in the room", "deal", "rejected by", "veto players outside"], rows, "lllll"
    )
    with_deal = [n for n in names if entries[n]["deal"] is not None]
    if with_deal:
        lines += ["", "The deal each table reaches:", ""]
        issues = list(entries[with_deal[0]]["deal"]["package"])
        rows = [
            [
                f"`{i}`",
                *(
                    "—"
                    if entries[n]["deal"] is None
                    else fmt_number(entries[n]["deal"]["package"].get(i), 0)
                    + (" (set aside)" if i in (entries[n]["deal"].get("set_aside") or ()) else "")
                    for n in names
                ),
            ]
            for i in issues
        ]
        lines += _table(["issue", *(md_text(n) for n in names)], rows)
    lines += ["", "Utility (0..1) of each actor under each table's deal:", ""]
    rows = []
    for actor in tables["actors"]:
        cells = []
        for name in names:
            deal = entries[name]["deal"]
            mark = "" if actor in entries[name]["members"] else " (absent)"
            if deal is not None and entries[name]["acceptable_to"].get(actor) is False:
                mark += " rejects"
            cells.append("—" if deal is None else f"{deal['utilities'][actor]:.2f}{mark}")
        rows.append([actor, fmt_number(tables["no_deal_utility"][actor], 2), *cells])
    lines += _table(["actor", "no deal", *(md_text(n) for n in names)], rows)
    lines.append("")
    if chart is not None:
        lines += [_image(chart, relative_to, chart.stem), ""]
    return lines


def no_tables_section() -> list[str]:
    """Who is at the table, when no table was compared: what a comparison would show."""
    return [
        _heading(2, TABLES),
        "",
        "No table compositions were compared. A table names the actors in the room; the "
        "report then shows the deal each table reaches, who rejects it and what every actor "
        "gets, in the room or not (docs/deals.md).",
        "",
    ]


def plan_terms_lines(
    issues: Sequence[str], plans: Mapping[str, Mapping[str, tuple[float | None, str]]]
) -> list[str]:
    """The plans' terms side by side: issue rows, one column per plan.

    ``plans`` maps a plan's title to ``{issue: (value, settlement)}``; an issue a plan does
    not address is shown as ``—``, an interim value marked, a deferred one named.
    """

    def cell(term: tuple[float | None, str] | None) -> str:
        if term is None:
            return "—"
        value, settlement = term
        if value is None:
            return settlement
        return fmt_number(value, 0) + (f" ({settlement})" if settlement != "final" else "")

    rows = [[f"`{i}`", *(cell(p.get(i)) for p in plans.values())] for i in issues]
    return [
        "The plans' terms on the scenario's scales (— : the plan is silent; interim: applies "
        "while the ceasefire holds, final status left to talks):",
        "",
        *_table(["issue", *(md_text(t) for t in plans)], rows),
        "",
    ]


def durability_section(
    assessments: Sequence[Mapping[str, Any]],
    plots: Sequence[Path],
    *,
    relative_to: Path,
    searched: str | None = None,
    terms: Sequence[str] = (),
) -> list[str]:
    """Will it hold? The plans side by side: survival, deterrence, ending.

    Without plans, the section says where deal files were looked for (``searched``).
    ``terms`` are lines to put after the table (the plans' terms).
    """
    lines = [_heading(2, DURABILITY), ""]
    if not assessments:
        where = f" in `{md_text(searched)}`" if searched else ""
        lines += [
            f"No deal files about this scenario were found{where}, so the report cannot say "
            "whether a ceasefire would hold. A deal file describes a plan's terms and "
            "ceasefire mechanisms (docs/deal-format.md); put one in the scenario's `deals/` "
            "folder or name it explicitly.",
            "",
        ]
        return lines
    lines += [
        "Each plan's terms as a ceasefire: the chance it holds (5–95% over the parameter "
        "draws), the deterrence balance (1 = the balance of a bare ceasefire; above 1 the "
        "defender is relatively stronger), the years when the median balance is below 1 "
        "(window of vulnerability), and which ending it leads to.",
        "",
    ]
    years = list(assessments[0]["p_hold"])
    last = years[-1]
    rows = []
    for a in assessments:
        p = a["p_hold"]
        cells = [f"{p[y]['mean']:.2f} [{p[y]['low']:.2f}–{p[y]['high']:.2f}]" for y in p]
        start, later = balance_at(a, 0.0), balance_at(a, float(last))
        balance = (
            "—"
            if start is None or later is None
            else f"{start['balance']['median']:.2f} → {later['balance']['median']:.2f}"
        )
        windows = a["deterrence"]["window_of_vulnerability"]
        window = ", ".join(f"{w0:g}–{w1:g} y" for w0, w1 in windows) or "none"
        rows.append(
            [
                md_text(a["deal"]["title"]),
                *cells,
                balance,
                window,
                a["ending"]["ending"].replace("_", " "),
            ]
        )
    lines += _table(
        [
            "plan",
            *(f"P(holds {y} y)" for y in years),
            f"balance 0 → {last} y",
            "window of vulnerability",
            "ending",
        ],
        rows,
        "l" + "r" * (len(years) + 1) + "ll",
    )
    lines.append("")
    for a in assessments:
        reasons = a["ending"].get("reasons") or []
        if reasons:
            lines.append(
                f"- **{md_text(a['deal']['title'])}**: "
                f"{a['ending']['ending'].replace('_', ' ')} — " + md_text("; ".join(reasons))
            )
    if terms:
        lines += ["", *terms]
    notes = assessments[0].get("notes", [])
    if notes:
        lines += ["", "Assumptions behind these numbers:", ""] + [f"- {md_text(n)}" for n in notes]
    lines.append("")
    for path in plots:
        lines += [_image(path, relative_to, path.stem), ""]
    return lines


def files_section(files: Sequence[Path], *, relative_to: Path) -> list[str]:
    """The machine-readable files written beside the report."""
    lines = [_heading(2, "Files"), ""]
    lines += [f"- `{p.relative_to(relative_to).as_posix()}`" for p in files]
    return [*lines, ""]
