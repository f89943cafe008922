"""What the analysis found, in plain sentences built from the results (no language model).

Each :class:`Finding` is one templated sentence whose numbers are read from a result's
documented JSON and printed as the report's tables print them, so that a reader can check
every number against the table the finding links to. The topics follow the product's
questions: where it lands, whether a deal exists, who must be at the table, what to
discuss first, and whether each plan holds. :mod:`zopa.report.package_warnings` flags
proposed packages that cross a party's red line or sit at an end of an issue's scale.

Two judgements are made here and stated in the report: models *agree* on an issue when
their forecasts lie within a tenth of the issue's scale (:data:`AGREE_WITHIN`), and a
value sits *at an end* of a scale when it lies within a tenth of the scale of that end
(:data:`END_ZONE`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zopa.report.text import fmt_number, join_words, plural, slug

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from zopa.scenario import Issue, Scenario

AGREE_WITHIN = 0.1
"""Models agree on an issue when their forecasts span at most this share of its scale."""

END_ZONE = 0.1
"""A value sits at an end of its scale when within this share of the scale of the end."""

FORECASTS = "Where will it land?"
DEALS = "What deal is possible?"
AGENDA = "What to discuss first"
TABLES = "Who is at the table?"
DURABILITY = "Will it hold?"
QUESTIONS = "The questions asked"
WARNINGS = "Warnings"
"""Section titles: the findings link to their anchors (:func:`zopa.report.text.slug`)."""


@dataclass(frozen=True)
class Finding:
    """One sentence of the findings.

    Attributes:
        topic: ``lands``, ``deal``, ``table``, ``agenda``, ``holds`` or ``warning``.
        text: The sentence, plain text (renderers escape it).
        section: Title of the report section whose table the sentence summarises.
    """

    topic: str
    text: str
    section: str

    @property
    def anchor(self) -> str:
        """The anchor of the linked section."""
        return slug(self.section)


def _issue_label(issue: Issue) -> str:
    return f"{issue.name} ({issue.id})"


def _models_text(models: Sequence[str]) -> str:
    return join_words(list(models))


def landing_findings(scenario: Scenario, forecasts: Mapping[str, Any]) -> list[Finding]:
    """Per issue: the span of the models' forecasts, and whether they agree or split."""
    points: Mapping[str, Mapping[str, float | None]] = forecasts["forecasts"]
    out: list[Finding] = []
    agree, split = [], []
    for issue in scenario.issues:
        values = {m: v for m, p in points.items() if (v := p.get(issue.id)) is not None and v == v}
        if not values:
            continue
        width = issue.scale.max - issue.scale.min
        low = min(values.values())
        high = max(values.values())
        at_low = [m for m, v in values.items() if fmt_number(v) == fmt_number(low)]
        at_high = [m for m, v in values.items() if fmt_number(v) == fmt_number(high)]
        sq = "" if issue.status_quo is None else f"; status quo {fmt_number(issue.status_quo)}"
        if high - low <= AGREE_WITHIN * width:
            agree.append(issue.id)
            verdict = (
                f"the models agree: {fmt_number(low)} ({_models_text(at_low)}) to "
                f"{fmt_number(high)} ({_models_text(at_high)})"
                if fmt_number(low) != fmt_number(high)
                else f"every model puts it at {fmt_number(low)}"
            )
        else:
            split.append(issue.id)
            verdict = (
                f"the models split, from {fmt_number(low)} ({_models_text(at_low)}) to "
                f"{fmt_number(high)} ({_models_text(at_high)})"
            )
        text = (
            f"{_issue_label(issue)}: {verdict} on its {issue.scale.min:g}–{issue.scale.max:g} "
            f"scale{sq}."
        )
        out.append(Finding("lands", text, FORECASTS))
    if not out:
        return out
    lead = (
        f"The models agree on {plural(len(agree), 'issue')} (forecasts within a tenth of the "
        f"scale) and split on {len(split)}" + (f": {join_words(split)}." if split else ".")
    )
    return [Finding("lands", lead, FORECASTS), *out]


def move_text(move: Mapping[str, Any]) -> str:
    """A relaxation's move in words: a red line moved, or a lower no-deal value accepted."""
    if move["kind"] == "red_line":
        return (
            f"{move['actor']} moves its red line on {move['issue']} from {move['from']:g} "
            f"to {move['to']:g}"
        )
    return (
        f"{move['actor']} accepts a deal worth {fmt_number(move['to'], 2)} to it, below its "
        f"no-deal value {fmt_number(move['from'], 2)}"
    )


def relaxation_text(relaxation: Mapping[str, Any]) -> str:
    """Who moves, the moves, and their total size."""
    who = "any party" if relaxation["scope"] == "any" else f"{relaxation['scope']} alone"
    moves = "; ".join(move_text(m) for m in relaxation["moves"])
    kinds = {m["kind"] == "red_line" for m in relaxation["moves"]}
    unit = (
        "of a scale"
        if kinds == {True}
        else "of utility"
        if kinds == {False}
        else "in scale widths and utility"
    )
    return f"{who} (total {fmt_number(relaxation['cost'], 2)} {unit}): {moves}"


def deal_findings(deals: Mapping[str, Any]) -> list[Finding]:
    """Whether a package satisfies every party; if not, what collides and what opens it."""
    z = deals["zopa"]
    parties = join_words(list(deals["parties"]))
    if not z["empty"]:
        exact = bool(z.get("size_exact"))
        size = f"{int(z['size'])}" if exact else f"about {z['size']:.3g}"
        one = exact and int(z["size"]) == 1
        text = (
            f"A deal exists: {size} {'package satisfies' if one else 'packages satisfy'} every "
            f"party whose consent is needed ({parties})."
        )
        nash = deals["solutions"].get("nash", {})
        if nash.get("package"):
            losers = [a for a, g in nash["gains"].items() if g is not None and g < 0]
            text += (
                " Its Nash package leaves "
                + (
                    f"{join_words(losers)} worse off than with no deal"
                    if losers
                    else "no actor worse off than with no deal"
                )
                + "."
            )
        return [Finding("deal", text, DEALS)]
    out = [
        Finding(
            "deal",
            f"No deal satisfies every party whose consent is needed ({parties}): the zone of "
            "possible agreement is empty.",
            DEALS,
        )
    ]
    collisions = []
    for group in z["conflicts"]:
        parts = [
            f"{c['actor']} accepts {c['accepts'][0]:g}..{c['accepts'][1]:g}"
            for c in group
            if c["kind"] == "red_line" and c.get("accepts")
        ]
        issues = sorted({c["issue"] for c in group if c.get("issue")})
        no_deal = [c["actor"] for c in group if c["kind"] != "red_line"]
        if no_deal:
            parts.append(f"{join_words(no_deal)} prefers no deal")
        collisions.append(f"{join_words(issues) or 'the package as a whole'} ({'; '.join(parts)})")
    if collisions:
        out.append(
            Finding("deal", f"The constraints collide on {'; on '.join(collisions)}.", DEALS)
        )
    if z["relaxations"]:
        best = min(z["relaxations"], key=lambda r: r["cost"])
        out.append(
            Finding(
                "deal",
                f"The smallest relaxation that opens the zone: {relaxation_text(best)}.",
                DEALS,
            )
        )
    return out


ACTION_WORDS = {
    "settle now": "settle now",
    "bundle and trade": "bundle and trade",
    "trade": "trade",
    "separate track": "keep on a separate track",
    "defer": "defer",
    "leave aside": "leave aside",
}
"""The agenda's actions as a sentence says them, in the agenda's order."""


def agenda_findings(deals: Mapping[str, Any]) -> list[Finding]:
    """What to discuss first, what to trade, and what to keep on a separate track."""
    agenda = deals.get("agenda") or []
    if not agenda:
        return []
    by_action: dict[str, list[str]] = {}
    for item in agenda:
        by_action.setdefault(item["action"], []).extend(item["issues"])
    first = agenda[0]
    text = f"Discuss first: {join_words(list(first['issues']))} ({first['action']})."
    rest = []
    for action, words in ACTION_WORDS.items():
        issues = [i for i in by_action.get(action, []) if i not in first["issues"]]
        if issues:
            rest.append(f"{words} {join_words(issues)}")
    if rest:
        text += " Then " + "; ".join(rest) + "."
    return [Finding("agenda", text, AGENDA)]


def _table_size(t: Mapping[str, Any]) -> int:
    return len(t["members"])


def table_findings(tables: Mapping[str, Any]) -> list[Finding]:
    """Per table: the deal it reaches and who rejects it; a narrow table against the widest."""
    out: list[Finding] = []
    no_deal: Mapping[str, float] = tables["no_deal_utility"]
    entries: Mapping[str, Mapping[str, Any]] = tables["tables"]
    for name, t in entries.items():
        members = join_words(list(t["members"]))
        deal = t["deal"]
        if deal is None:
            out.append(Finding("table", f"The {name} table ({members}) reaches no deal.", TABLES))
            continue
        rejects = [a for a, ok in t["acceptable_to"].items() if ok is False]
        outside = [a for a in rejects if a not in t["members"]]
        inside = [a for a in rejects if a in t["members"]]
        how = "the Nash package of its members" + (
            f", with {join_words(list(deal['set_aside']))} set aside"
            if deal.get("set_aside")
            else ""
        )
        text = f"The {name} table ({members}) reaches a deal ({how})"
        if not rejects:
            text += " that every actor accepts."
        else:
            parts = []
            if inside:
                parts.append(f"{join_words(inside)} in the room")
            if outside:
                parts.append(f"{join_words(outside)} outside it")
            worst = min(rejects, key=lambda a: deal["utilities"][a] - no_deal[a])
            text += (
                f" that {plural(len(rejects), 'actor')} would reject ({'; '.join(parts)}); "
                f"{worst} loses most: {fmt_number(deal['utilities'][worst], 2)} against "
                f"{fmt_number(no_deal[worst], 2)} with no deal."
            )
        absent_vetoes = t.get("absent_vetoes") or []
        if absent_vetoes:
            text += f" {join_words(list(absent_vetoes))} can veto it from outside the room."
        out.append(Finding("table", text, TABLES))
    with_deal = {n: t for n, t in entries.items() if t["deal"] is not None}
    if len(with_deal) >= 2:
        widest = max(with_deal, key=lambda n: _table_size(with_deal[n]))
        narrowest = min(with_deal, key=lambda n: _table_size(with_deal[n]))
        if _table_size(with_deal[widest]) > _table_size(with_deal[narrowest]):
            wide = with_deal[widest]["deal"]["utilities"]
            narrow = with_deal[narrowest]["deal"]["utilities"]
            diffs = {a: narrow[a] - wide[a] for a in tables["actors"]}
            losers = sorted((a for a in diffs if diffs[a] < -0.005), key=lambda a: diffs[a])
            gainers = sorted((a for a in diffs if diffs[a] > 0.005), key=lambda a: -diffs[a])

            def _pairs(actors: list[str]) -> str:
                shown = join_words(
                    [
                        f"{a} {fmt_number(narrow[a], 2)} instead of {fmt_number(wide[a], 2)}"
                        for a in actors[:4]
                    ]
                )
                return shown if len(actors) <= 4 else f"the most: {shown}"

            text = f"The {narrowest} table against the {widest} table:"
            if losers:
                verb = "loses" if len(losers) == 1 else "lose"
                text += f" {plural(len(losers), 'actor')} {verb} ({_pairs(losers)})"
            if gainers:
                text += (
                    (";" if losers else "")
                    + f" {plural(len(gainers), 'actor')} gain{'s' if len(gainers) == 1 else ''}"
                    + f" ({_pairs(gainers)})"
                )
            if not losers and not gainers:
                text += " every actor gets the same"
            out.append(Finding("table", text + ".", TABLES))
    return out


ENDING_WORDS = {
    "capitulation": "capitulation",
    "frozen_conflict": 'a frozen conflict ("neither war nor peace")',
    "durable_settlement": "a durable settlement",
}


def ending_words(ending: str) -> str:
    """An ending as the findings name it."""
    return ENDING_WORDS.get(ending, ending.replace("_", " "))


def balance_at(assessment: Mapping[str, Any], year: float) -> Mapping[str, Any] | None:
    """The deterrence balance of a plan at ``year`` (``None`` past the horizon)."""
    by_year: Sequence[Mapping[str, Any]] = assessment["deterrence"]["by_year"]
    return next((y for y in by_year if math.isclose(y["year"], year)), None)


def durability_findings(assessments: Sequence[Mapping[str, Any]]) -> list[Finding]:
    """Per plan: whether it holds, deters and how it ends; the ending most plans lead to."""
    out: list[Finding] = []
    for a in assessments:
        years = list(a["p_hold"])
        last = years[-1]
        p = a["p_hold"][last]
        start = balance_at(a, 0.0)
        later = balance_at(a, float(last))
        text = (
            f"{a['deal']['title']}: holds {last} years with probability "
            f"{fmt_number(p['mean'], 2)} ({fmt_number(p['low'], 2)}–{fmt_number(p['high'], 2)})"
        )
        if start is not None and later is not None:
            b0, b1 = start["balance"]["median"], later["balance"]["median"]
            trend = "stays above" if b1 >= 1 else "falls below"
            text += (
                f"; the deterrence balance goes from {fmt_number(b0, 2)} at the ceasefire "
                f"to {fmt_number(b1, 2)} after {last} years ({trend} parity)"
            )
        text += f"; it leads to {ending_words(a['ending']['ending'])}."
        out.append(Finding("holds", text, DURABILITY))
    if assessments:
        counts = Counter(a["ending"]["ending"] for a in assessments)
        top = max(counts.values())
        modes = [e for e, n in counts.items() if n == top]
        if len(modes) == 1:
            text = (
                f"The most likely ending over the {len(assessments)} plans is "
                f"{ending_words(modes[0])}: {top} of {len(assessments)} plans lead to it."
            )
        else:
            text = (
                f"No single ending dominates over the {len(assessments)} plans: "
                + join_words([ending_words(e) for e in modes], "or")
                + f", {top} plans each."
            )
        out.append(Finding("holds", text, DURABILITY))
    return out
