"""One entry point for the deal space: ``analyse_deals(scenario) -> DealAnalysis``.

It discretises the package space, picks the exact enumeration path when the space has at
most ``max_enumeration`` packages and the mixed-integer path (HiGHS) above that, and
reports which it used. Both paths answer the same questions: is there a zone of possible
agreement, how large, over which range of each issue; if empty, which constraints
collide and what would open it; the Nash, Kalai-Smorodinsky, maximin and utilitarian
packages; the logrolls; and the agenda.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.agreements.agenda import AgendaItem, IssueAdvice, classify_issues, recommend_agenda
from zopa.agreements.backend import MAX_ENUMERATION, METHODS, Backend, make_backend
from zopa.agreements.conflicts import all_conflicts
from zopa.agreements.constraints import Constraint, red_line_conflicts, space_constraints
from zopa.agreements.logrolls import Logroll, find_logrolls
from zopa.agreements.results import Move, Relaxation, Solution, ZopaSummary, rounded
from zopa.agreements.solutions import CONCEPTS
from zopa.agreements.space import DealSpace, build_space, issue_levels

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from numpy.typing import NDArray

    from zopa.agreements.utility import Loss
    from zopa.scenario import Scenario

# the result types and the computation paths live in their own modules; their names stay
# importable from here
__all__ = [
    "MAX_ENUMERATION",
    "METHODS",
    "Backend",
    "DealAnalysis",
    "Move",
    "Relaxation",
    "Solution",
    "ZopaSummary",
    "analyse_deals",
    "analyse_space",
    "idle_issues",
    "make_backend",
]


@dataclass(frozen=True, eq=False)
class DealAnalysis:
    """Everything :func:`analyse_deals` finds."""

    method: str
    space: DealSpace
    parties: tuple[str, ...]
    zopa: ZopaSummary
    constraints: tuple[Constraint, ...]
    conflicts: tuple[frozenset[int], ...]
    conflicts_complete: bool
    relaxations: tuple[Relaxation, ...]
    solutions: dict[str, Solution]
    logrolls: tuple[Logroll, ...]
    issues: tuple[IssueAdvice, ...]
    agenda: tuple[AgendaItem, ...]
    notes: tuple[str, ...] = ()
    set_aside: tuple[str, ...] = ()
    core: DealAnalysis | None = None
    actor_names: dict[str, str] = field(default_factory=dict)
    """Display names of the scenario's actors by id (for figures; empty: use the ids)."""
    issue_names: dict[str, str] = field(default_factory=dict)
    """Display names of the scenario's issues by id (for figures; empty: use the ids)."""
    issue_anchors: dict[str, dict[float, str]] = field(default_factory=dict)
    """What points of each issue's scale mean, by issue id (for figures' axis titles)."""

    def conflict_constraints(self) -> list[list[Constraint]]:
        """The conflicts as lists of constraints."""
        return [[self.constraints[k] for k in sorted(c)] for c in self.conflicts]

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready), the documented output of ``zopa deals``."""
        return {
            "method": self.method,
            "parties": list(self.parties),
            "space": self._space_dict(),
            "zopa": {
                **self.zopa.as_dict(),
                "conflicts": self._conflicts_list(),
                "conflicts_complete": self.conflicts_complete,
                "relaxations": [_relaxation_dict(r) for r in self.relaxations],
            },
            "solutions": self.solutions_dict(),
            "logrolls": [_logroll_dict(lr) for lr in self.logrolls],
            "issues": {a.issue: {"category": a.category, "reason": a.reason} for a in self.issues},
            "agenda": [
                {
                    "order": it.order,
                    "issues": list(it.issues),
                    "action": it.action,
                    "reason": it.reason,
                }
                for it in self.agenda
            ],
            "notes": list(self.notes),
            "core": None if self.core is None else self.core._core_dict(self.set_aside),
        }

    def solutions_dict(self) -> dict[str, dict[str, Any]]:
        """Each concept's solution as plain data (the ``solutions`` of :meth:`as_dict`)."""
        return {k: s.as_dict() for k, s in self.solutions.items()}

    def _space_dict(self) -> dict[str, Any]:
        sp = self.space
        return {
            "size": sp.size,
            "issues": {i: len(v) for i, v in zip(sp.issue_ids, sp.levels, strict=True)},
            "grid": sp.grid,
            "loss": sp.loss,
            "status_quo": {
                i: None if np.isnan(v) else float(v)
                for i, v in zip(sp.issue_ids, sp.status_quo, strict=True)
            },
            "no_deal_utility": rounded(
                {a: float(u) for a, u in zip(sp.actor_ids, sp.sq_utility, strict=True)}
            ),
        }

    def _conflicts_list(self) -> list[list[dict[str, Any]]]:
        return [[_constraint_dict(c) for c in cs] for cs in self.conflict_constraints()]

    def _core_dict(self, set_aside: Sequence[str]) -> dict[str, Any]:
        """This analysis as the core of another, with the issues that one set aside."""
        return {
            "set_aside": list(set_aside),
            "method": self.method,
            "zopa": {**self.zopa.as_dict(), "conflicts_complete": self.conflicts_complete},
            "conflicts": self._conflicts_list(),
            "solutions": self.solutions_dict(),
        }


def _relaxation_dict(r: Relaxation) -> dict[str, Any]:
    return {
        "scope": r.scope,
        "cost": round(r.cost, 9),
        "moves": [
            {
                "actor": m.actor,
                "kind": m.kind,
                "issue": m.issue,
                "from": m.old,
                "to": m.new,
                "by": m.by,
            }
            for m in r.moves
        ],
        "package": r.package,
    }


def _logroll_dict(lr: Logroll) -> dict[str, Any]:
    return {
        "actors": [lr.actor_a, lr.actor_b],
        "issues": [lr.issue_a, lr.issue_b],
        "from": [round(v, 6) for v in lr.start],
        "to": list(lr.end),
        "gains": rounded({lr.actor_a: lr.gain_a, lr.actor_b: lr.gain_b}),
        "joint_gain": round(lr.joint_gain, 9),
    }


def _constraint_dict(c: Constraint) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": c.kind, "actor": c.actor, "issue": c.issue}
    if c.kind == "red_line":
        out["red_line"] = c.value
        out["accepts"] = list(c.interval) if c.interval else None
    else:
        out["no_deal_utility"] = c.value
    out["text"] = c.describe()
    return out


def _package_dict(space: DealSpace, levels: NDArray[np.intp]) -> dict[str, float]:
    return {issue: float(space.levels[i][levels[i]]) for i, issue in enumerate(space.issue_ids)}


def _solution(
    space: DealSpace, concept: str, levels: NDArray[np.intp] | None, reason: str | None
) -> Solution:
    if levels is None:
        return Solution(concept, None, reason=reason)
    u = space.utilities(np.asarray(levels)[None])[0]
    return Solution(
        concept,
        _package_dict(space, levels),
        {a: float(v) for a, v in zip(space.actor_ids, u, strict=True)},
        {a: float(v) for a, v in zip(space.actor_ids, u - space.sq_utility, strict=True)},
        levels=tuple(int(v) for v in levels),
    )


def _relaxation(space: DealSpace, scope: str, levels: NDArray[np.intp], cost: float) -> Relaxation:
    moves: list[Move] = []
    values = _package_dict(space, levels)
    u = space.utilities(np.asarray(levels)[None])[0]
    for a in space.party_index:
        for i, issue in enumerate(space.issue_ids):
            if not space.allowed[i][a, levels[i]]:
                moves.append(
                    Move(
                        space.actor_ids[a],
                        "red_line",
                        issue,
                        float(space.red_line[a, i]),
                        values[issue],
                    )
                )
        short = float(space.sq_utility[a] - u[a])
        if short > 1e-12:
            moves.append(
                Move(space.actor_ids[a], "no_deal", None, float(space.sq_utility[a]), float(u[a]))
            )
    return Relaxation(scope, tuple(moves), cost, values)


def idle_issues(space: DealSpace) -> list[int]:
    """Issues on which no party holds a stance (salience 0) and a status quo is given."""
    party_salience = space.salience[space.parties]
    return [
        i
        for i in range(space.n_issues)
        if not (party_salience[:, i] > 0).any() and not np.isnan(space.status_quo[i])
    ]


def analyse_space(
    space: DealSpace,
    *,
    method: str = "auto",
    subspaces: Mapping[str, DealSpace] | None = None,
    logroll_count: int = 10,
    with_core: bool = True,
) -> DealAnalysis:
    """Analyse a built package space (see :func:`analyse_deals`).

    Args:
        space: The package space.
        method: ``"auto"``, ``"enumeration"`` or ``"milp"``.
        subspaces: The same space without each issue (keyed by the issue removed), for
            the agenda's deal-breaker test; skipped when not given.
        logroll_count: How many logrolls to report.
        with_core: When red lines collide, also analyse the *core*: the same space with
            the colliding issues set aside at their status quo (a separate track).
    """
    idle = idle_issues(space)
    if idle:
        # an issue no party holds a stance on is not theirs to settle: it stays at its
        # status quo instead of taking whatever value breaks the ties
        space = space.set_aside(idle)
    backend = make_backend(space, method)
    summary = backend.summary()
    constraints = space_constraints(space)
    red = red_line_conflicts(space, constraints)
    conflicts: tuple[frozenset[int], ...] = ()
    complete = True
    relaxations: list[Relaxation] = []
    notes: list[str] = []
    if summary.empty:
        search = all_conflicts(
            len(constraints),
            lambda s: backend.is_feasible(constraints, s),
            known=red,
        )
        conflicts, complete = search.conflicts, search.complete
        scopes: list[tuple[str, int | None]] = [("any", None)]
        scopes += [(space.actor_ids[a], int(a)) for a in space.party_index]
        for name, scope in scopes:
            found = backend.relax(scope)
            if found is not None:
                relaxations.append(_relaxation(space, name, found[0], found[1]))
    picks = backend.solutions()
    solutions = {c: _solution(space, c, *picks[c]) for c in CONCEPTS}
    core: DealAnalysis | None = None
    set_aside: tuple[str, ...] = ()
    if summary.empty and red and with_core:
        collide = sorted({constraints[k].issue_index for m in red for k in m})
        set_aside = tuple(space.issue_ids[i] for i in collide)
        core = analyse_space(
            space.set_aside(collide), method=method, with_core=False, logroll_count=0
        )
    logrolls = find_logrolls(space, top=logroll_count) if logroll_count > 0 else ()
    opens: dict[str, int] = {}
    if summary.empty and subspaces:
        for issue, sub in subspaces.items():
            sub_backend = make_backend(sub, method if method != "auto" else "auto")
            if sub_backend.any_feasible():
                opens[issue] = int(sub_backend.summary().size)
    chosen = solutions["nash"].package or solutions["maximin"].package
    if chosen is None and core is not None:
        chosen = core.solutions["nash"].package or core.solutions["maximin"].package
    advice = classify_issues(
        space, constraints, red, logrolls, opens, chosen, idle=[space.issue_ids[i] for i in idle]
    )
    agenda = recommend_agenda(space, advice, logrolls)
    if not complete:
        notes.append("conflict search stopped at its limit: more conflicts may exist")
    if backend.method == "enumeration" and summary.frontier_size is None and not summary.empty:
        notes.append(
            "the Pareto frontier is too large to list (over 2,000 packages for four or more "
            "parties); solutions were computed over every feasible package"
        )
    if not summary.size_exact:
        notes.append("ZOPA size is a Monte Carlo estimate; ranges and solutions are exact")
    return DealAnalysis(
        method=backend.method,
        space=space,
        parties=tuple(space.actor_ids[a] for a in space.party_index),
        zopa=summary,
        constraints=constraints,
        conflicts=conflicts,
        conflicts_complete=complete,
        relaxations=tuple(relaxations),
        solutions=solutions,
        logrolls=logrolls,
        issues=advice,
        agenda=agenda,
        notes=tuple(notes),
        set_aside=set_aside,
        core=core,
    )


def analyse_deals(
    scenario: Scenario,
    *,
    grid: int = 11,
    loss: Loss = "linear",
    method: str = "auto",
    parties: Sequence[str] | None = None,
    logroll_count: int = 10,
) -> DealAnalysis:
    """Analyse the deal space of a scenario.

    Args:
        scenario: The negotiation.
        grid: Evenly spaced levels per issue (the issue's anchor points, every red line
            and the status quo are added).
        loss: ``"linear"`` or ``"quadratic"``.
        method: ``"auto"`` (enumeration up to 10^7 packages, else MILP),
            ``"enumeration"`` or ``"milp"``.
        parties: Actors whose acceptance makes a package feasible (default: the veto
            players, or everyone when none is marked).
        logroll_count: How many logrolls to report.
    """
    levels = issue_levels(scenario)
    space = build_space(
        scenario.arrays(), grid=grid, loss=loss, parties=parties, extra_levels=levels
    )
    subspaces = _Subspaces(scenario, grid=grid, loss=loss, parties=parties, levels=levels)
    analysis = analyse_space(space, method=method, subspaces=subspaces, logroll_count=logroll_count)
    return replace(
        analysis,
        actor_names={a.id: a.name for a in scenario.actors},
        issue_names={i.id: i.name for i in scenario.issues},
        issue_anchors={i.id: dict(i.anchors) for i in scenario.issues},
    )


class _Subspaces(Mapping[str, DealSpace]):
    """The space without each issue, keyed by the issue removed, built when first read.

    The agenda's deal-breaker test reads them only when the zone is empty; building one
    per issue up front cost more than the rest of a large analysis.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        grid: int,
        loss: Loss,
        parties: Sequence[str] | None,
        levels: dict[str, tuple[float, ...]],
    ) -> None:
        self._scenario = scenario
        self._options: dict[str, Any] = {
            "grid": grid,
            "loss": loss,
            "parties": parties,
            "extra_levels": levels,
        }
        self._issues = scenario.issue_ids if len(scenario.issues) > 1 else ()
        self._built: dict[str, DealSpace] = {}

    def __getitem__(self, issue: str) -> DealSpace:
        if issue not in self._issues:
            raise KeyError(issue)
        if issue not in self._built:
            rest = [i for i in self._issues if i != issue]
            view = self._scenario.subset(issue_ids=rest).arrays()
            self._built[issue] = build_space(view, **self._options)
        return self._built[issue]

    def __iter__(self) -> Iterator[str]:
        return iter(self._issues)

    def __len__(self) -> int:
        return len(self._issues)
