"""The analysis report as a Markdown document (readable as text and on any git host).

Each section renders the documented JSON of one command (``zopa forecast``, ``zopa
deals``, ``zopa tables``, ``zopa durability``), so the report says exactly what the
commands say, and a section is left out when its analysis was not run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zopa.report.advice import advice_section as advice_section  # its own module
from zopa.report.simulation import talks_section as talks_section  # "How the talks might go"
from zopa.report.text import fmt_number

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from zopa.scenario import Scenario


def _image(path: Path, relative_to: Path, alt: str) -> str:
    return f"![{alt}]({path.relative_to(relative_to).as_posix()})"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    spec = align or "l" + "r" * (len(header) - 1)
    marks = ["---:" if a == "r" else "---" for a in spec]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(marks) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return out


def header_section(scenario: Scenario, warnings: Sequence[str]) -> list[str]:
    """Title, date, size, and the validator's warnings."""
    lines = [f"# {scenario.title}", ""]
    if scenario.as_of:
        lines += [f"As of {scenario.as_of}.", ""]
    lines += [
        f"{len(scenario.actors)} actors ({', '.join(a.id for a in scenario.actors)}), "
        f"{len(scenario.issues)} issues, {len(scenario.stances)} stances, "
        f"{len(scenario.sources)} sources. Veto players: "
        + (", ".join(a.name for a in scenario.actors if a.veto) or "none")
        + ".",
        "",
    ]
    if warnings:
        lines += ["Warnings from validation:", ""] + [f"- `{w}`" for w in warnings] + [""]
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
        "## Where will it land? Forecasts per issue",
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
                f"{issue.name} (`{issue.id}`)",
                fmt_number(issue.status_quo),
                *cells,
                f"{issue.scale.min:g}: {anchors.get(issue.scale.min, '')}",
                f"{issue.scale.max:g}: {anchors.get(issue.scale.max, '')}",
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
        lines.append(f"- **{m}**{rounds}: {info['citation']} — see `docs/models/`.")
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
    lines += [f"- **{m}** on `{f['issue']}`: {f['reason']}." for m, f in flagged]
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
    lines = ["## What deal is possible?", ""]
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
            lines.append(f"{k}. " + "; ".join(c["text"] for c in group))
        lines.append("")
    if z["relaxations"]:
        lines += ["Smallest relaxations that would open the zone:", ""]
        for r in z["relaxations"]:
            who = "any party" if r["scope"] == "any" else f"{r['scope']} alone"
            moves = "; ".join(
                f"{m['actor']} {m['kind'].replace('_', ' ')} on {m['issue']} "
                f"{fmt_number(m['from'], 0)} → {fmt_number(m['to'], 0)}"
                for m in r["moves"]
            )
            lines.append(f"- {who} (total {r['cost']:.2f} of a scale): {moves}")
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
    if deals.get("agenda"):
        lines += ["### What to discuss: recommended agenda", ""]
        rows = [
            [str(a["order"]), ", ".join(a["issues"]), a["action"], a["reason"]]
            for a in deals["agenda"]
        ]
        lines += _table(["#", "issues", "action", "why"], rows, "rlll")
        lines.append("")
    for path in plots:
        lines += [_image(path, relative_to, path.stem), ""]
    return lines


def tables_section(
    tables: Mapping[str, Any], chart: Path | None, *, relative_to: Path
) -> list[str]:
    """Who is at the table: each table's deal and every actor's utility under it."""
    names = list(tables["tables"])
    lines = [
        "## Who is at the table?",
        "",
        "The same deal-space analysis with only some actors in the room: the deal each "
        "table reaches (the Nash package of its members) and every actor's utility under "
        "it — including those outside the room. `—`: that table reaches no deal.",
        "",
    ]
    rows = []
    for name in names:
        t = tables["tables"][name]
        deal = t["deal"]
        status = "no deal" if deal is None else deal["source"]
        rows.append([name, ", ".join(t["members"]), status])
    lines += _table(["table", "in the room", "deal"], rows, "lll")
    lines += ["", "Utility (0..1) of each actor under each table's deal:", ""]
    rows = []
    for actor in tables["actors"]:
        cells = []
        for name in names:
            deal = tables["tables"][name]["deal"]
            mark = "" if actor in tables["tables"][name]["members"] else " (absent)"
            cells.append("—" if deal is None else f"{deal['utilities'][actor]:.2f}{mark}")
        rows.append([actor, fmt_number(tables["no_deal_utility"][actor], 2), *cells])
    lines += _table(["actor", "no deal", *names], rows)
    lines.append("")
    if chart is not None:
        lines += [_image(chart, relative_to, chart.stem), ""]
    return lines


def durability_section(
    assessments: Sequence[Mapping[str, Any]], plots: Sequence[Path], *, relative_to: Path
) -> list[str]:
    """Will it hold? The shipped deals side by side: survival, vulnerability, ending."""
    lines = [
        "## Will it hold? The plans on the table",
        "",
        "Each plan's terms as a ceasefire: the chance it holds (5–95% over the parameter "
        "draws), the deterrence balance, and which ending it leads to.",
        "",
    ]
    rows = []
    for a in assessments:
        p = a["p_hold"]
        cells = [f"{p[y]['mean']:.2f} [{p[y]['low']:.2f}–{p[y]['high']:.2f}]" for y in p]
        rows.append([a["deal"]["title"], *cells, a["ending"]["ending"].replace("_", " ")])
    years = list(assessments[0]["p_hold"]) if assessments else []
    lines += _table(
        ["plan", *(f"P(holds {y} y)" for y in years), "ending"],
        rows,
        "l" + "r" * len(years) + "l",
    )
    lines.append("")
    for a in assessments:
        reasons = a["ending"].get("reasons") or []
        if reasons:
            lines.append(
                f"- **{a['deal']['title']}**: {a['ending']['ending']} — " + "; ".join(reasons)
            )
    notes = assessments[0].get("notes", []) if assessments else []
    if notes:
        lines += ["", "Assumptions behind these numbers:", ""] + [f"- {n}" for n in notes]
    lines.append("")
    for path in plots:
        lines += [_image(path, relative_to, path.stem), ""]
    return lines


def files_section(files: Sequence[Path], *, relative_to: Path) -> list[str]:
    """The machine-readable files written beside the report."""
    lines = ["## Files", ""]
    lines += [f"- `{p.relative_to(relative_to).as_posix()}`" for p in files]
    return [*lines, ""]
