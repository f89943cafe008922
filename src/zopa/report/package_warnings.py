"""Warnings about proposed packages: red lines they cross, values at a scale's end.

The packages a report proposes or assesses (the bargaining solutions of the zone or of the
core deal, each table's deal, each plan's terms) each get a sentence when they cross any
actor's red line, in the room or not, or set an issue within a tenth of its scale of an
end (:data:`~zopa.report.findings.END_ZONE`) where an actor stands; the core deal also
gets the caveats of its construction (the colliding issues left at their status quo, the
agenda's trades starting elsewhere). Numbers are printed as the report's tables print them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zopa.report.findings import AGENDA, DEALS, DURABILITY, END_ZONE, TABLES, Finding
from zopa.report.text import fmt_number, join_words, plural

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from zopa.scenario import Scenario


def crossed_red_lines(
    scenario: Scenario, package: Mapping[str, float | None]
) -> list[tuple[str, str, float, float]]:
    """``(actor, issue, value, red line)`` for every red line the package crosses."""
    from zopa.agreements.space import acceptable_interval

    issues = {i.id: i for i in scenario.issues}
    out = []
    for s in scenario.stances:
        value = package.get(s.issue)
        if s.red_line is None or value is None or s.issue not in issues:
            continue
        scale = issues[s.issue].scale
        low, high = acceptable_interval(s.position, s.red_line, scale.min, scale.max)
        if not low - 1e-9 <= value <= high + 1e-9:
            out.append((s.actor, s.issue, float(value), float(s.red_line)))
    return out


def at_scale_ends(
    scenario: Scenario, package: Mapping[str, float | None], parties: Sequence[str]
) -> list[tuple[str, float, list[str]]]:
    """``(issue, value, parties near that end)`` for values at an end of their scale."""
    out = []
    for issue in scenario.issues:
        value = package.get(issue.id)
        if value is None:
            continue
        width = issue.scale.max - issue.scale.min
        near_low = value <= issue.scale.min + END_ZONE * width
        near_high = value >= issue.scale.max - END_ZONE * width
        if not (near_low or near_high):
            continue
        near = [
            s.actor
            for s in scenario.stances
            if s.issue == issue.id
            and s.actor in parties
            and abs(s.position - value) <= END_ZONE * width
        ]
        out.append((issue.id, float(value), near))
    return out


def package_warnings(
    scenario: Scenario,
    name: str,
    package: Mapping[str, float | None],
    *,
    parties: Sequence[str],
    section: str,
    extremes: bool = True,
) -> list[Finding]:
    """Warnings for one proposed package: red lines it crosses, values at a scale's end.

    Args:
        scenario: The scenario (red lines, positions, scales).
        name: The package as the sentence names it.
        package: Issue -> value (``None``: the package leaves the issue open).
        parties: The actors whose consent the package needs; a value at a scale's end is
            attributed to those of them standing there.
        section: The section the warning links to.
        extremes: Whether to warn about values at a scale's end.
    """
    out = []
    crossed = crossed_red_lines(scenario, package)
    if crossed:
        parts = [
            f"{actor}'s on {issue} ({fmt_number(value, 0)} against a red line of "
            f"{fmt_number(red, 0)})"
            for actor, issue, value, red in crossed
        ]
        out.append(
            Finding(
                "warning",
                f"{name} crosses {plural(len(crossed), 'red line')}: {join_words(parts)}.",
                section,
            )
        )
    if extremes:
        ends = [e for e in at_scale_ends(scenario, package, parties) if e[2]]
        if ends:
            parts = [
                f"{issue} at {fmt_number(value, 0)}, where {join_words(near)} "
                f"{'stands' if len(near) == 1 else 'stand'}"
                for issue, value, near in ends
            ]
            out.append(
                Finding(
                    "warning",
                    f"{name} sits at an end of the scale on {plural(len(ends), 'issue')}: "
                    f"{'; '.join(parts)}.",
                    section,
                )
            )
    return out


def deal_warnings(scenario: Scenario, deals: Mapping[str, Any]) -> list[Finding]:
    """Warnings for the packages the deal section proposes (the zone's, or the core deal's)."""
    solutions = deals["solutions"]
    core = deals.get("core")
    nash = solutions.get("nash", {}).get("package")
    if nash is not None:
        return package_warnings(
            scenario, "The Nash package", nash, parties=deals["parties"], section=DEALS
        )
    if not core or not core["solutions"].get("nash", {}).get("package"):
        return []
    aside = list(core["set_aside"])
    package = {i: v for i, v in core["solutions"]["nash"]["package"].items() if i not in aside}
    set_aside = join_words(aside)
    out = [
        Finding(
            "warning",
            f"The core deal is not a deal on {set_aside}: it leaves "
            + ("it at its" if len(aside) == 1 else "them at their")
            + " status quo and settles only the other issues; the zone stays empty there.",
            DEALS,
        )
    ]
    out += package_warnings(
        scenario, "The core deal's Nash package", package, parties=deals["parties"], section=DEALS
    )
    logrolls = deals.get("logrolls") or []
    if logrolls:
        lr = logrolls[0]
        issue = lr["issues"][0]
        start = lr["from"][0]
        if issue in package and fmt_number(package[issue], 0) != fmt_number(start, 0):
            out.append(
                Finding(
                    "warning",
                    "The agenda's trades start from the weighted mean of positions, not from "
                    f"the core deal: {issue} starts at {fmt_number(start, 0)} in the trades "
                    f"and stands at {fmt_number(package[issue], 0)} in the core deal.",
                    AGENDA,
                )
            )
    return out


def table_warnings(scenario: Scenario, tables: Mapping[str, Any]) -> list[Finding]:
    """Warnings for each table's deal: red lines crossed, values at a scale's end.

    Red lines of anyone, in the room or not; scale ends where a member stands.
    """
    out = []
    for name, t in tables["tables"].items():
        if t["deal"] is not None:
            aside = set(t["deal"].get("set_aside") or ())
            out += package_warnings(
                scenario,
                f"The {name} table's deal"
                + (f" (with {join_words(sorted(aside))} set aside)" if aside else ""),
                {i: v for i, v in t["deal"]["package"].items() if i not in aside},
                parties=t["members"],
                section=TABLES,
            )
    return out


def plan_warnings(
    scenario: Scenario, plans: Mapping[str, Mapping[str, float | None]]
) -> list[Finding]:
    """Warnings for each plan's terms (title -> issue values).

    Red lines of anyone crossed; values at an end of a scale where an actor stands.
    """
    out = []
    for title, terms in plans.items():
        out += package_warnings(
            scenario, title, terms, parties=scenario.actor_ids, section=DURABILITY
        )
    return out
