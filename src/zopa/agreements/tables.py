"""Who is at the table: the deal each composition of negotiators reaches, and who pays.

A *table* is a set of actors in the room. Everyone at the table must sign, so the
table's parties are exactly its members (veto flags do not matter inside the room), and
the actors outside have no say: their red lines, no-deal alternatives and preferences do
not shape the deal. Every actor's utility under the deal is still reported, with whether
it would accept it, so that "the US and Russia settle Europe's security without Europe"
shows who gains, who loses, and which absent veto player would reject the result.

The deal a table reaches is its Nash package (Nash 1950) over the members; when the
members' red lines collide, the colliding issues are set aside at their status quo and
the Nash package of the rest is taken (reported as such). The registered forecasting
models are also run on the table alone, and everyone's utility of their forecasts is
reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.agreements.analysis import DealAnalysis, analyse_space
from zopa.agreements.results import Solution, rounded
from zopa.agreements.space import UTILITY_TOL, build_space, issue_levels, red_line_mask
from zopa.agreements.utility import package_utility

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from zopa.agreements.space import DealSpace
    from zopa.agreements.utility import Loss
    from zopa.scenario import Scenario


@dataclass(frozen=True)
class Forecasted:
    """A forecasting model's outcome for a table, and what everyone gets from it."""

    model: str
    outcome: dict[str, float | None]
    utilities: dict[str, float]
    error: str | None = None


@dataclass(frozen=True)
class TableResult:
    """What one table reaches.

    Attributes:
        name: The table's name.
        members: Actor ids in the room.
        analysis: The deal-space analysis with the members as parties.
        deal: The table's deal (Nash package), or ``None`` when it reaches none.
        deal_source: ``"nash"``, ``"nash, colliding issues set aside"`` or ``None``.
        set_aside: Issues left at the status quo in the deal.
        acceptable: Whether each actor (in the room or not) accepts the deal.
        absent_vetoes: Veto players outside the room who would reject the deal.
        forecasts: The registered models run on the table alone.
    """

    name: str
    members: tuple[str, ...]
    analysis: DealAnalysis
    deal: Solution | None
    deal_source: str | None
    set_aside: tuple[str, ...]
    acceptable: dict[str, bool]
    absent_vetoes: tuple[str, ...]
    forecasts: tuple[Forecasted, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class TableComparison:
    """Every table's result, over the same actors and issues."""

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    no_deal: dict[str, float]
    veto: dict[str, bool]
    tables: dict[str, TableResult]

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready), the documented output of ``zopa tables``."""
        out: dict[str, Any] = {
            "actors": list(self.actor_ids),
            "no_deal_utility": rounded(self.no_deal),
            "tables": {},
        }
        for name, t in self.tables.items():
            z = t.analysis.zopa
            deal = None
            if t.deal is not None:
                deal = {
                    "source": t.deal_source,
                    "set_aside": list(t.set_aside),
                    "package": t.deal.package,
                    "utilities": rounded(t.deal.utilities),
                    "gains": rounded(t.deal.gains),
                }
            out["tables"][name] = {
                "members": list(t.members),
                "absent": [a for a in self.actor_ids if a not in t.members],
                "method": t.analysis.method,
                "zopa": {
                    "empty": z.empty,
                    "size": z.size,
                    "size_exact": z.size_exact,
                    "ranges": {k: None if v is None else list(v) for k, v in z.ranges.items()},
                },
                "deal": deal,
                "acceptable_to": t.acceptable,
                "absent_vetoes": list(t.absent_vetoes),
                "solutions": t.analysis.solutions_dict(),
                "forecasts": {
                    f.model: {
                        "outcome": f.outcome,
                        "utilities": rounded(f.utilities),
                        "error": f.error,
                    }
                    for f in t.forecasts
                },
            }
        return out


def _acceptable(
    full: DealSpace, values: np.ndarray[Any, Any], set_aside: Sequence[str] = ()
) -> np.ndarray[Any, Any]:
    """(A,) whether each actor accepts a package of issue values (continuous).

    Red lines on issues the deal sets aside do not apply: the deal does not settle them.
    """
    u = package_utility(
        values[None],
        full.position,
        full.salience,
        full.scale_min,
        full.scale_max,
        loss=full.loss,
    )[0, 0]
    ok = u >= full.sq_utility - UTILITY_TOL
    for i in range(full.n_issues):
        v = float(values[i])
        if np.isnan(v) or full.issue_ids[i] in set_aside:
            continue
        for a in range(full.n_actors):
            ok[a] &= bool(
                red_line_mask(
                    np.array([v]),
                    float(full.position[a, i]),
                    float(full.red_line[a, i]),
                    float(full.width[i]),
                )[0]
            )
    return np.asarray(ok)


def _forecasts(
    scenario: Scenario, members: Sequence[str], full: DealSpace
) -> tuple[Forecasted, ...]:
    from zopa.models import available_models, make_model

    view = scenario.subset(actor_ids=members).arrays()
    out = []
    for name in available_models():
        try:
            fc = make_model(name).forecast(view, rng=np.random.default_rng(0))
        except (ValueError, ArithmeticError, RuntimeError) as exc:
            out.append(Forecasted(name, {}, {}, error=str(exc)))
            continue
        x = np.asarray(fc.outcome[0], dtype=float)
        u = package_utility(
            x[None], full.position, full.salience, full.scale_min, full.scale_max, loss=full.loss
        )[0, 0]
        out.append(
            Forecasted(
                name,
                {
                    i: None if np.isnan(v) else float(v)
                    for i, v in zip(full.issue_ids, x, strict=True)
                },
                {a: float(v) for a, v in zip(full.actor_ids, u, strict=True)},
            )
        )
    return tuple(out)


def compare_tables(
    scenario: Scenario,
    tables: Mapping[str, Sequence[str]],
    *,
    grid: int = 11,
    loss: Loss = "linear",
    method: str = "auto",
    forecasts: bool = True,
) -> TableComparison:
    """The deal each table reaches and every actor's utility under it.

    Args:
        scenario: The negotiation (all actors, in the room or not).
        tables: Table name -> actor ids in the room.
        grid: Evenly spaced levels per issue.
        loss: ``"linear"`` or ``"quadratic"``.
        method: ``"auto"``, ``"enumeration"`` or ``"milp"``.
        forecasts: Also run the registered forecasting models on each table.
    """
    full = build_space(scenario.arrays(), grid=grid, loss=loss, extra_levels=issue_levels(scenario))
    results: dict[str, TableResult] = {}
    for name, members in tables.items():
        unknown = sorted(set(members) - set(full.actor_ids))
        if unknown:
            raise KeyError(f"table {name}: unknown actor(s) {', '.join(unknown)}")
        ordered = [a for a in full.actor_ids if a in set(members)]
        room = full.restrict(ordered, parties=ordered)
        analysis = analyse_space(room, method=method, logroll_count=0)
        source: str | None = None
        set_aside: tuple[str, ...] = ()
        chosen = analysis.solutions["nash"]
        if chosen.package is not None:
            source = "nash"
        elif analysis.core is not None and analysis.core.solutions["nash"].package is not None:
            chosen = analysis.core.solutions["nash"]
            source = "nash, colliding issues set aside"
            set_aside = analysis.set_aside
        deal: Solution | None = None
        acceptable: dict[str, bool] = {}
        absent: tuple[str, ...] = ()
        if source is not None and chosen.package is not None:
            values = np.array([chosen.package[i] for i in full.issue_ids], dtype=float)
            u = package_utility(
                values[None],
                full.position,
                full.salience,
                full.scale_min,
                full.scale_max,
                loss=loss,
            )[0, 0]
            deal = Solution(
                "nash",
                chosen.package,
                {a: float(v) for a, v in zip(full.actor_ids, u, strict=True)},
                {a: float(v) for a, v in zip(full.actor_ids, u - full.sq_utility, strict=True)},
            )
            ok = _acceptable(full, values, set_aside)
            acceptable = {a: bool(v) for a, v in zip(full.actor_ids, ok, strict=True)}
            absent = tuple(
                a
                for k, a in enumerate(full.actor_ids)
                if full.veto[k] and a not in ordered and not ok[k]
            )
        results[name] = TableResult(
            name=name,
            members=tuple(ordered),
            analysis=analysis,
            deal=deal,
            deal_source=source,
            set_aside=set_aside,
            acceptable=acceptable,
            absent_vetoes=absent,
            forecasts=_forecasts(scenario, ordered, full) if forecasts else (),
        )
    return TableComparison(
        actor_ids=full.actor_ids,
        issue_ids=full.issue_ids,
        no_deal={a: float(v) for a, v in zip(full.actor_ids, full.sq_utility, strict=True)},
        veto={a: bool(v) for a, v in zip(full.actor_ids, full.veto, strict=True)},
        tables=results,
    )
