"""Answers to the user's questions, in sentences built from the results.

Each :class:`~zopa.service.questions.Question` names the kind of answer it wants; this
module turns the report's results into the sentences (and, where the numbers are not in
another table, a small table) that answer it, or says plainly why the scenario cannot.
Like the findings, every number is read from the results and printed as the tables
print it. One judgement is made here: actors *are split* on an issue when their positions
span more than a quarter of its scale (:data:`SPLIT_OVER`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zopa.report.findings import (
    ACTION_WORDS,
    AGENDA,
    DURABILITY,
    QUESTIONS,
    TABLES,
    Finding,
    agenda_findings,
    balance_at,
    deal_findings,
    durability_findings,
    ending_words,
    landing_findings,
)
from zopa.report.package_warnings import crossed_red_lines
from zopa.report.text import fmt_number, join_words

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from zopa.service.questions import Question
    from zopa.service.report import ReportResult


SPLIT_OVER = 0.25
"""Actors are split on an issue when their positions span more than this share of it."""


@dataclass(frozen=True)
class Answer:
    """A question, the sentences that answer it, and the table their numbers come from.

    Attributes:
        question: The question as the user asked it.
        sentences: The answer, one finding per sentence.
        header: Column titles of the answer's own table (empty: none).
        rows: Its rows.
    """

    question: str
    sentences: tuple[Finding, ...]
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def _cannot(because: str, section: str = QUESTIONS) -> Finding:
    return Finding("answer", f"The scenario cannot answer this because {because}.", section)


def _issue(result: ReportResult, q: Question) -> Answer:
    scenario = result.forecast.scenario
    issue_id = q.text("issue") or ""
    issue = next(i for i in scenario.issues if i.id == issue_id)
    asked = set(q.ids("actors")) or set(scenario.actor_ids)
    stances = [s for s in scenario.stances if s.issue == issue_id and s.actor in asked]
    sentences = [
        Finding(
            "answer",
            "The scenario cannot say whether this should happen, because it holds the "
            "actors' positions, not the values to weigh them by; it says where the "
            "positions stand and where they lead.",
            QUESTIONS,
        )
    ]
    if stances:
        by_position: dict[str, list[str]] = {}
        for s in sorted(stances, key=lambda s: -s.position):
            by_position.setdefault(fmt_number(s.position, 0), []).append(s.actor)
        groups = "; ".join(f"{join_words(a)} at {p}" for p, a in by_position.items())
        low, high = min(s.position for s in stances), max(s.position for s in stances)
        verdict = (
            "are split"
            if high - low > SPLIT_OVER * (issue.scale.max - issue.scale.min)
            else "stand close together"
        )
        sentences.append(
            Finding(
                "answer",
                f"On {issue.id} ({issue.name}) the {len(stances)} actors with a stance "
                f"{verdict}: {groups}.",
                QUESTIONS,
            )
        )
    landing = [
        f
        for f in landing_findings(scenario, result.forecast.to_dict())
        if f"({issue_id})" in f.text
    ]
    sentences += landing
    category = result.deals.to_dict()["issues"].get(issue_id)
    if category:
        action = ACTION_WORDS.get(category["category"], category["category"])
        sentences.append(
            Finding(
                "answer",
                f"The agenda's advice on it: {action} — {category['reason']}.",
                AGENDA,
            )
        )
    rows = tuple(
        (
            s.actor,
            scenario.actor(s.actor).name,
            fmt_number(s.position, 0),
            fmt_number(s.salience, 2),
        )
        for s in sorted(stances, key=lambda s: -s.position)
    )
    return Answer(q.ask, tuple(sentences), ("actor", "name", "position", "salience"), rows)


def _tables(result: ReportResult, q: Question) -> Answer:
    narrow, wide = q.text("narrow") or "", q.text("wide") or ""
    if result.tables is None:
        return Answer(q.ask, (_cannot("no table compositions were compared", TABLES),))
    data = result.tables.to_dict()
    missing = [n for n in (narrow, wide) if n not in data["tables"]]
    if missing:
        return Answer(
            q.ask,
            (
                _cannot(
                    f"no table named {join_words(missing)} was compared (the tables compared: "
                    f"{join_words(list(data['tables']))})",
                    TABLES,
                ),
            ),
        )
    n, w = data["tables"][narrow], data["tables"][wide]
    if n["deal"] is None or w["deal"] is None:
        which = narrow if n["deal"] is None else wide
        return Answer(q.ask, (_cannot(f"the {which} table reaches no deal", TABLES),))
    actors = list(q.ids("actors")) or [a for a in data["actors"] if a not in n["members"]]
    nu, wu = n["deal"]["utilities"], w["deal"]["utilities"]
    worse = [a for a in actors if nu[a] < wu[a] - 0.005]
    better = [a for a in actors if nu[a] > wu[a] + 0.005]
    sentences = []

    def pairs(group: list[str]) -> str:
        return join_words(
            [f"{a} {fmt_number(nu[a], 2)} instead of {fmt_number(wu[a], 2)}" for a in group]
        )

    if worse:
        sentences.append(
            Finding(
                "answer",
                f"The {narrow} table ({join_words(list(n['members']))}) costs "
                f"{len(worse)} of the {len(actors)} actors asked about against the {wide} "
                f"table: {pairs(worse)} (utility, 0..1).",
                TABLES,
            )
        )
    if better:
        sentences.append(Finding("answer", f"It gives more to {pairs(better)}.", TABLES))
    if not worse and not better:
        sentences.append(
            Finding(
                "answer",
                f"The {narrow} and {wide} tables give the actors asked about the same.",
                TABLES,
            )
        )
    rejects = [a for a in actors if n["acceptable_to"].get(a) is False]
    if rejects:
        sentences.append(
            Finding(
                "answer",
                f"{join_words(rejects)} would reject the {narrow} table's deal (worth less "
                "to them than no deal)"
                + (
                    f"; {join_words(list(n['absent_vetoes']))} can veto it from outside the room."
                    if n.get("absent_vetoes")
                    else "."
                ),
                TABLES,
            )
        )
    settled = {i: v for i, v in n["deal"]["package"].items() if i not in n["deal"]["set_aside"]}
    crossed = [c for c in crossed_red_lines(result.forecast.scenario, settled) if c[0] in actors]
    if crossed:
        parts = [
            f"{a}'s red line on {i} ({fmt_number(v, 0)} against a red line of {fmt_number(r, 0)})"
            for a, i, v, r in crossed
        ]
        sentences.append(
            Finding(
                "answer",
                f"The {narrow} table's deal crosses {join_words(parts)}.",
                TABLES,
            )
        )
    return Answer(q.ask, tuple(sentences))


def _red_lines(result: ReportResult, q: Question) -> Answer:
    from zopa.agreements.space import acceptable_interval

    scenario = result.forecast.scenario
    actor = q.text("actor") or ""
    issues = list(q.ids("issues")) or [s.issue for s in scenario.stances if s.actor == actor]
    stance = {s.issue: s for s in scenario.stances if s.actor == actor}
    plans = _plans(result)
    table_deals = _table_deals(result)
    rows = []
    fatal, silent = [], []
    crossing: dict[str, list[str]] = {}
    for issue_id in issues:
        s = stance.get(issue_id)
        if s is None or s.red_line is None:
            silent.append(issue_id)
            continue
        issue = next(i for i in scenario.issues if i.id == issue_id)
        low, high = acceptable_interval(s.position, s.red_line, issue.scale.min, issue.scale.max)
        side = "above" if high < issue.scale.max else "below"
        fatal.append(f"{issue_id} {side} {fmt_number(s.red_line, 0)}")
        crossers = [
            name
            for name, package in {**plans, **table_deals}.items()
            if (v := package.get(issue_id)) is not None and not low - 1e-9 <= v <= high + 1e-9
        ]
        for name in crossers:
            crossing.setdefault(name, []).append(issue_id)
        rows.append(
            (
                issue_id,
                fmt_number(s.red_line, 0),
                f"{fmt_number(low, 0)}..{fmt_number(high, 0)}",
                ", ".join(crossers) or "—",
            )
        )
    name = scenario.actor(actor).name
    sentences = []
    if fatal:
        sentences.append(
            Finding(
                "answer",
                f"By {name}'s ({actor}) own red lines in the scenario, terms are fatal when "
                f"they set {join_words(fatal)}.",
                QUESTIONS,
            )
        )
    if crossing:
        sentences.append(
            Finding(
                "answer",
                "Proposals that cross them: "
                + "; ".join(f"{p} on {join_words(i)}" for p, i in crossing.items())
                + ".",
                QUESTIONS,
            )
        )
    elif fatal:
        sentences.append(
            Finding(
                "answer", "None of the plans or table deals in the report crosses them.", QUESTIONS
            )
        )
    if silent:
        sentences.append(
            Finding(
                "answer",
                f"{actor} states no red line on {join_words(silent)}, so the scenario cannot "
                "say which value there would be fatal.",
                QUESTIONS,
            )
        )
    return Answer(
        q.ask,
        tuple(sentences),
        ("issue", "red line", "accepts", "crossed by"),
        tuple(rows),
    )


def _plans(result: ReportResult) -> dict[str, dict[str, float | None]]:
    if result.durability is None:
        return {}
    return {
        a.deal.title: {t.issue: t.value for t in a.deal.terms}
        for a in result.durability.assessments
    }


def _table_deals(result: ReportResult) -> dict[str, Mapping[str, float | None]]:
    if result.tables is None:
        return {}
    return {
        f"the {name} table's deal": {
            i: v for i, v in t["deal"]["package"].items() if i not in t["deal"]["set_aside"]
        }
        for name, t in result.tables.to_dict()["tables"].items()
        if t["deal"] is not None
    }


def _no_plans(result: ReportResult) -> Finding:
    where = f" in {result.deal_search}" if result.deal_search is not None else ""
    return _cannot(f"no deal files about it were found{where}", DURABILITY)


def _assessments(result: ReportResult) -> list[dict[str, Any]]:
    assert result.durability is not None
    deals: list[dict[str, Any]] = result.durability.to_dict()["deals"]
    return deals


def _deterrence(result: ReportResult, q: Question) -> Answer:
    if result.durability is None:
        return Answer(q.ask, (_no_plans(result),))
    assessments = _assessments(result)
    last = list(assessments[0]["p_hold"])[-1]
    above: list[str] = []
    below: list[str] = []
    rises: list[str] = []
    for a in assessments:
        start, later = balance_at(a, 0.0), balance_at(a, float(last))
        if start is None or later is None:
            continue
        b0, b1 = start["balance"]["median"], later["balance"]["median"]
        (above if b1 >= 1 else below).append(a["deal"]["title"])
        if b1 > b0:
            rises.append(a["deal"]["title"])
    sentences = [
        Finding(
            "answer",
            f"{len(above)} of {len(assessments)} plans keep the deterrence balance at or "
            f"above parity after {last} years"
            + (f" ({join_words(above)})" if above else "")
            + "; "
            + (
                f"under {join_words(below)} it falls below parity, the attacker relatively "
                "stronger than when it agreed to stop."
                if below
                else "none lets it fall below parity."
            ),
            DURABILITY,
        ),
        Finding(
            "answer",
            (
                f"The balance after {last} years is higher than at the ceasefire under "
                f"{join_words(rises)}."
                if rises
                else f"Under no plan is the balance higher after {last} years than at the "
                "ceasefire: where the terms start it above parity, it declines as the "
                "attacker rebuilds its forces."
            ),
            DURABILITY,
        ),
    ]
    return Answer(q.ask, tuple(sentences))


def _ending(result: ReportResult, q: Question) -> Answer:
    if result.durability is None:
        return Answer(q.ask, (_no_plans(result),))
    assessments = _assessments(result)
    by_ending: dict[str, list[str]] = {}
    for a in assessments:
        by_ending.setdefault(a["ending"]["ending"], []).append(a["deal"]["title"])
    sentences = [
        Finding(
            "answer",
            "; ".join(
                f"{join_words(titles)} {'leads' if len(titles) == 1 else 'lead'} to "
                f"{ending_words(e)}"
                for e, titles in by_ending.items()
            )
            + ".",
            DURABILITY,
        ),
        durability_findings(assessments)[-1],
    ]
    return Answer(q.ask, tuple(sentences))


def _deal(result: ReportResult, q: Question) -> Answer:
    return Answer(q.ask, tuple(deal_findings(result.deals.to_dict())))


def _agenda(result: ReportResult, q: Question) -> Answer:
    found = agenda_findings(result.deals.to_dict())
    return Answer(q.ask, tuple(found) or (_cannot("the deal space gives no agenda"),))


ANSWERS: Mapping[str, Callable[[ReportResult, Question], Answer]] = {
    "issue": _issue,
    "deal": _deal,
    "agenda": _agenda,
    "tables": _tables,
    "red_lines": _red_lines,
    "deterrence": _deterrence,
    "ending": _ending,
}
"""The function that answers each kind of question."""


def answer_questions(result: ReportResult) -> list[Answer]:
    """An answer to each of the report's questions, in order."""
    return [ANSWERS[q.answer_with](result, q) for q in result.questions]
