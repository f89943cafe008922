"""The agenda advisor: what to discuss, in which order, and what to keep off the table.

Each issue falls in one class (first match wins):

0. **leave aside** — no party holds a stance on it: it is not theirs to settle, and it
   stays at its status quo (rather than at whatever value would break the ties).
1. **separate track** — two parties' red lines on it admit no common value, so no
   package reconciles them; negotiating it inside the package blocks everything else.
2. **deal-breaker** — the zone of possible agreement is empty, but dropping this issue
   alone opens it.
3. **trade** — it is part of a profitable logroll: one side cares more about it, the
   other side about another issue, and swapping concessions helps both.
4. **settle now** — every party's red lines leave a common range; settle it early, where
   the chosen package puts it.

The recommended agenda settles the easy issues first (confidence-building, in the order
of least total salience of the parties at stake), then bundles each trade pair, then takes
up the deal-breakers, parks the separate-track issues, and lists the issues left aside.
This follows Raiffa's advice to build a package from issues where interests differ in
intensity and to keep non-negotiable demands from stalling what can be agreed (Raiffa
1982, *The Art and Science of Negotiation*, Harvard UP, chs. 10-11 and 17).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from zopa.agreements.constraints import Constraint
    from zopa.agreements.logrolls import Logroll
    from zopa.agreements.space import DealSpace

CATEGORIES: tuple[str, ...] = (
    "settle now",
    "trade",
    "deal-breaker",
    "separate track",
    "leave aside",
)


@dataclass(frozen=True, slots=True)
class IssueAdvice:
    """The class of one issue and why."""

    issue: str
    category: str
    reason: str


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One line of the recommended agenda."""

    order: int
    issues: tuple[str, ...]
    action: str
    reason: str


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def classify_issues(
    space: DealSpace,
    constraints: Sequence[Constraint],
    red_conflicts: Sequence[frozenset[int]],
    logrolls: Sequence[Logroll],
    opens_zopa: Mapping[str, int],
    chosen: Mapping[str, float] | None,
    *,
    idle: Sequence[str] = (),
) -> tuple[IssueAdvice, ...]:
    """Classify every issue.

    Args:
        space: The package space.
        constraints: The parties' constraints.
        red_conflicts: Red-line-only conflicts (indices into ``constraints``).
        logrolls: Profitable trades, best first.
        opens_zopa: Issues whose removal alone opens an empty zone, with the number of
            feasible packages without them (empty when the zone is not empty).
        chosen: The recommended package's values, when there is one.
        idle: Issues no party holds a stance on (left at their status quo).
    """
    by_issue: dict[str, list[str]] = {}
    for conflict in red_conflicts:
        cs = [constraints[k] for k in sorted(conflict)]
        issue = cs[0].issue
        assert issue is not None
        parts = []
        for c in cs:
            lo, hi = c.interval if c.interval is not None else (np.nan, np.nan)
            parts.append(f"{c.actor} accepts {_fmt(lo)}..{_fmt(hi)}")
        by_issue.setdefault(issue, []).append("; ".join(parts))
    traded: dict[str, Logroll] = {}
    for lr in logrolls:
        traded.setdefault(lr.issue_a, lr)
        traded.setdefault(lr.issue_b, lr)
    box = space.box()
    out: list[IssueAdvice] = []
    parties = ", ".join(space.actor_ids[a] for a in space.party_index)
    for i, issue in enumerate(space.issue_ids):
        if issue in idle:
            reason = (
                f"no party ({parties}) holds a stance on it: not theirs to settle; it stays "
                f"at its status quo {_fmt(float(space.status_quo[i]))}"
            )
            out.append(IssueAdvice(issue, "leave aside", reason))
        elif issue in by_issue:
            reason = "red lines collide: " + " / ".join(by_issue[issue])
            out.append(IssueAdvice(issue, "separate track", reason))
        elif issue in opens_zopa:
            n = opens_zopa[issue]
            reason = (
                f"no package satisfies every party with it on the table; without it {n:,} "
                "packages do"
            )
            out.append(IssueAdvice(issue, "deal-breaker", reason))
        elif issue in traded:
            lr = traded[issue]
            reason = (
                f"{lr.actor_a} cares more about {lr.issue_a}, {lr.actor_b} about {lr.issue_b}: "
                f"moving {lr.issue_a} {_fmt(lr.start[0])}->{_fmt(lr.end[0])} and {lr.issue_b} "
                f"{_fmt(lr.start[1])}->{_fmt(lr.end[1])} gains {lr.actor_a} "
                f"{lr.gain_a:+.3f} and {lr.actor_b} {lr.gain_b:+.3f}"
            )
            out.append(IssueAdvice(issue, "trade", reason))
        else:
            ok = space.levels[i][box[i]]
            reason = f"every party accepts {_fmt(float(ok.min()))}..{_fmt(float(ok.max()))}"
            if chosen is not None:
                reason += f"; the recommended package puts it at {_fmt(chosen[issue])}"
            out.append(IssueAdvice(issue, "settle now", reason))
    return tuple(out)


def recommend_agenda(
    space: DealSpace, advice: Sequence[IssueAdvice], logrolls: Sequence[Logroll]
) -> tuple[AgendaItem, ...]:
    """Order the issues into an agenda with a reason for each line."""
    index = {k: n for n, k in enumerate(space.issue_ids)}
    stake = space.salience[space.parties].sum(axis=0)
    cat = {a.issue: a for a in advice}
    items: list[AgendaItem] = []
    settle = sorted(
        (a for a in advice if a.category == "settle now"), key=lambda a: stake[index[a.issue]]
    )
    for a in settle:
        items.append(
            AgendaItem(
                0,
                (a.issue,),
                "settle now",
                f"{a.reason}; parties' salience at stake {stake[index[a.issue]]:.2f}",
            )
        )
    done: set[str] = set()
    for lr in logrolls:
        pair = (lr.issue_a, lr.issue_b)
        if any(p in done or cat[p].category != "trade" for p in pair):
            continue
        done.update(pair)
        items.append(
            AgendaItem(
                0,
                pair,
                "bundle and trade",
                f"{lr.actor_a} gives way on {lr.issue_b}, {lr.actor_b} on {lr.issue_a}; "
                f"joint gain {lr.joint_gain:.3f}",
            )
        )
    for a in advice:
        if a.category == "trade" and a.issue not in done:
            items.append(AgendaItem(0, (a.issue,), "trade", a.reason))
    for a in advice:
        if a.category == "deal-breaker":
            items.append(AgendaItem(0, (a.issue,), "negotiate last or defer", a.reason))
    for a in advice:
        if a.category == "separate track":
            items.append(AgendaItem(0, (a.issue,), "separate track", a.reason))
    for a in advice:
        if a.category == "leave aside":
            items.append(AgendaItem(0, (a.issue,), "leave aside", a.reason))
    return tuple(AgendaItem(n + 1, it.issues, it.action, it.reason) for n, it in enumerate(items))
