"""The analysis report as a Markdown document (readable as text and on any git host)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from zopa.scenario import Scenario


def _num(value: float | None) -> str:
    return "—" if value is None or value != value else f"{value:.1f}"


def forecast_report(
    scenario: Scenario,
    forecasts: Mapping[str, Mapping[str, float]],
    citations: Mapping[str, str],
    maps: Sequence[Path],
    *,
    warnings: Sequence[str] = (),
    relative_to: Path,
) -> str:
    """Markdown with the forecast table per issue, model citations and the position maps."""
    models = list(forecasts)
    lines = [f"# {scenario.title}", ""]
    if scenario.as_of:
        lines += [f"As of {scenario.as_of}. "]
    lines += [
        f"{len(scenario.actors)} actors, {len(scenario.issues)} issues, "
        f"{len(scenario.stances)} stances, {len(scenario.sources)} sources.",
        "",
        "## Forecasts per issue",
        "",
        "Where each model expects the negotiation to land, on each issue's own scale "
        "(see the scale ends in the last columns).",
        "",
        "| issue | status quo | " + " | ".join(models) + " | low end | high end |",
        "|---|---:|" + "---:|" * len(models) + "---|---|",
    ]
    for issue in scenario.issues:
        anchors = dict(issue.anchors)
        cells = [_num(forecasts[m][issue.id]) for m in models]
        low = f"{issue.scale.min:g}: {anchors.get(issue.scale.min, '')}"
        high = f"{issue.scale.max:g}: {anchors.get(issue.scale.max, '')}"
        lines.append(
            f"| {issue.name} | {_num(issue.status_quo)} | "
            + " | ".join(cells)
            + f" | {low} | {high} |"
        )
    lines += ["", "## Models", ""]
    lines += [f"- **{m}**: {citations[m]}" for m in models]
    if warnings:
        lines += ["", "## Warnings from validation", ""]
        lines += [f"- {w}" for w in warnings]
    lines += ["", "## Position maps", ""]
    for path in maps:
        rel = path.relative_to(relative_to).as_posix()
        lines += [f"![{path.stem}]({rel})", ""]
    return "\n".join(lines) + "\n"
