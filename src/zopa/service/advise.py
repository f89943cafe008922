"""Where one party's effort pays: its own moves and whom to work on, ranked (``zopa advise``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from zopa.frozen import FrozenMap
from zopa.service.deals import option_problems
from zopa.service.errors import AnalysisFailed, BadInput, argument_problem
from zopa.service.models import model_settings, resolve_models
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from zopa.advice import Advice, Deal, LeverEffect
    from zopa.advice.advise import RankBy
    from zopa.agreements.utility import Loss
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario

#: The reference model: nothing beat the compromise model on real outcomes (docs/validity.md).
DEFAULT_MODEL = "compromise"
RANKINGS = ("forecast", "deal")
#: Largest batch, in rows x actors x issues, that the levers and draws may make together:
#: positions and saliences are built and then copied into the view, about 32 bytes a
#: cell at the peak (400 MB here; about 150 draws for one flagship actor's 360 levers).
MAX_BATCH_CELLS = 12_000_000


@dataclass(frozen=True, eq=False)
class AdviceResult(Result):
    """One party's levers, ranked (see :class:`zopa.advice.Advice`).

    Attributes:
        scenario: The scenario.
        advice: Every lever's effect, best first.
        params: The model's keyword parameters.
        seed: Seed of the draws and of random models.
        top: How many levers of each group (own moves, persuasion) the outputs show
            (``None``: all).
    """

    scenario: Scenario
    advice: Advice
    params: Mapping[str, Any]
    seed: int
    top: int | None = None

    def own(self) -> tuple[LeverEffect, ...]:
        """The party's own moves, best first (at most ``top``)."""
        return tuple(e for e in self.advice.effects if e.lever.own)[: self.top]

    def persuasion(self) -> tuple[LeverEffect, ...]:
        """Shifts to ask of other actors, best first (at most ``top``)."""
        return tuple(e for e in self.advice.effects if not e.lever.own)[: self.top]

    def best_for_deal(self) -> tuple[LeverEffect, ...]:
        """Levers of either group that open the zone or raise the party's deal, best first."""
        from zopa.advice import rank

        helps = [
            e
            for e in self.advice.effects
            if e.opens_zone or (e.deal_benefit is not None and e.deal_benefit > 1e-9)
        ]
        return rank(helps, "deal")[: self.top]

    def shown(self) -> tuple[LeverEffect, ...]:
        """The levers the outputs show: the own moves, then the persuasion levers."""
        return self.own() + self.persuasion()

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa advise`` (docs/advise.md)."""
        a = self.advice
        issues = a.issue_ids
        deal = None
        if a.deal is not None:
            deal = {
                "zone_open": a.deal.zone_open,
                "package": None
                if a.deal.package is None
                else dict(zip(issues, a.deal.package, strict=True)),
                "set_aside": list(a.deal.set_aside),
                "utility": _r(a.deal_utility),
            }
        data: dict[str, Any] = {
            "scenario": self.scenario.title,
            "actor": a.actor,
            "model": a.model,
            "params": dict(self.params),
            "parties": list(a.parties),
            "loss": a.loss,
            "draws": a.draws,
            "seed": self.seed,
            "position_step": a.position_step,
            "salience_step": a.salience_step,
            "rank_by": a.rank_by,
            "caveat": a.caveat,
            "stated": {
                "expected_utility": _r(a.expected_utility),
                "forecast": dict(zip(issues, a.outcome, strict=True)),
                "deal": deal,
            },
            "own": [_lever_dict(e, k) for k, e in enumerate(self.own(), 1)],
            "persuasion": [_lever_dict(e, k) for k, e in enumerate(self.persuasion(), 1)],
            "best_for_deal": [_lever_dict(e, k) for k, e in enumerate(self.best_for_deal(), 1)],
            "levers_opening_the_zone": sum(e.opens_zone for e in a.effects),
            "levers_evaluated": len(a.effects),
        }
        return cast("dict[str, Any]", jsonable(data))

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per lever shown: who moves, the change, its benefit and its cost."""
        rows = []
        for group, effects in (("own", self.own()), ("persuasion", self.persuasion())):
            for k, e in enumerate(effects, 1):
                d = _lever_dict(e, k)
                rows.append(
                    {
                        "group": group,
                        "rank": k,
                        "actor": d["actor"],
                        "issue": d["issue"],
                        "kind": d["kind"],
                        "from": d["from"],
                        "to": math.nan if d["to"] is None else d["to"],
                        "shift": d["shift"],
                        "cost": d["cost"],
                        "benefit": d["benefit"],
                        "deal_utility": _nan(e.deal_utility),
                        "deal_benefit": _nan(e.deal_benefit),
                        "zone_open": None if e.deal is None else e.deal.zone_open,
                        "opens_zone": e.opens_zone,
                    }
                )
        return rows


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 9)


def _nan(value: float | None) -> float:
    return math.nan if value is None else round(value, 9)


def _lever_dict(e: LeverEffect, rank: int) -> dict[str, Any]:
    lv = e.lever
    return {
        "rank": rank,
        "actor": lv.actor,
        "issue": lv.issue,
        "kind": lv.kind,
        "from": lv.old,
        "to": None if lv.dropped else lv.new,
        "shift": round(lv.shift, 9),
        "shift_unit": "salience" if lv.kind == "salience" else "scale points",
        "cost": round(lv.cost, 9),
        "benefit": round(e.benefit, 9),
        "deal": None
        if e.deal is None
        else {
            "zone_open": e.deal.zone_open,
            "opens_zone": e.opens_zone,
            "set_aside": list(e.deal.set_aside),
            "utility": _r(e.deal_utility),
            "benefit": _r(e.deal_benefit),
        },
        "text": lv.describe(),
    }


def advise_problems(
    scenario: Scenario,
    *,
    actor: str,
    position_step: float,
    salience_step: float,
    draws: int,
    rank_by: str,
    top: int | None,
    parties: Sequence[str] | None,
) -> list[Problem]:
    """What is wrong with the arguments of :func:`advise` (besides model and deal options)."""
    ids = ", ".join(scenario.actor_ids)
    problems = []
    if actor not in scenario.actor_ids:
        problems.append(
            argument_problem("actor", "unknown actor", got=actor, expected=f"one of {ids}")
        )
    checks = [
        ("position_step", position_step, 0 < position_step <= 100, "more than 0, at most 100"),
        ("salience_step", salience_step, 0 < salience_step <= 1, "more than 0, at most 1"),
        ("draws", draws, draws >= 0, "0 or more"),
        ("top", top, top is None or top >= 1, "1 or more"),
    ]
    for name, value, ok, expected in checks:
        if not ok or (isinstance(value, float) and not math.isfinite(value)):
            problems.append(argument_problem(name, "out of range", got=value, expected=expected))
    if rank_by not in RANKINGS:
        problems.append(
            argument_problem("rank_by", "unknown ranking", got=rank_by, expected="forecast or deal")
        )
    if parties is not None:
        unknown = sorted(set(parties) - set(scenario.actor_ids))
        if unknown or not parties:
            problems.append(
                argument_problem(
                    "parties",
                    f"unknown actor(s) {', '.join(unknown)}" if unknown else "no actor given",
                    expected=f"actor ids of the scenario ({ids})",
                )
            )
    return problems


def advise(
    scenario: Scenario,
    *,
    actor: str,
    model: str = DEFAULT_MODEL,
    params: Mapping[str, Any] | None = None,
    position_step: float = 10.0,
    salience_step: float = 0.1,
    draws: int = 0,
    seed: int = 0,
    deal_space: bool = True,
    grid: int = 11,
    loss: str = "linear",
    method: str = "auto",
    parties: Sequence[str] | None = None,
    rank_by: str = "forecast",
    top: int | None = None,
    deal_cache: MutableMapping[tuple[object, ...], Deal] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AdviceResult:
    """Rank one party's own moves and the shifts to ask of others by what they do for it.

    Args:
        scenario: The negotiation.
        actor: The advised party's id.
        model: The forecasting model (default: the compromise model, the reference that
            no other model beat on real outcomes).
        params: The model's parameters, ``{"name": value}``.
        position_step: How far a position or red line moves, in percent of the issue's
            scale width (10: ten points of a 0-100 scale).
        salience_step: How far a salience moves (saliences are 0..1).
        draws: Monte Carlo draws of the positions within their ranges; the expected
            utility is the mean over them (0: the stated positions only).
        seed: Seed of the draws and of random models.
        deal_space: Also analyse the deal space with each lever on a party's stance.
        grid: Levels per issue of the deal space (2..201).
        loss: ``"linear"`` or ``"quadratic"`` utility loss.
        method: Deal-space path: ``"auto"``, ``"enumeration"`` or ``"milp"``.
        parties: Actors whose acceptance a deal needs (default: the veto players).
        rank_by: ``"forecast"`` (the model's expected outcome) or ``"deal"`` (opening the
            zone, then the deal's utility).
        top: Levers of each group the outputs show (default: all).
        deal_cache: Deals found by an earlier call on the *same scenario*, to reuse
            when advising several of its actors (a lever on a party's stance gives the
            same deal whoever is advised); filled as it goes.
        progress: Called with (solved, to solve) as the deal space is solved for each
            lever on a party's stance (the slow part: one package space each).

    Raises:
        BadInput: Every problem with the arguments at once.
        AnalysisFailed: The model or the deal space could not be computed.
    """
    import numpy as np

    from zopa.advice import advise_party, candidate_levers
    from zopa.agreements.space import issue_levels
    from zopa.models import make_model
    from zopa.uncertainty import sample_positions

    problems = advise_problems(
        scenario,
        actor=actor,
        position_step=position_step,
        salience_step=salience_step,
        draws=draws,
        rank_by=rank_by,
        top=top,
        parties=parties,
    )
    problems += option_problems(grid=grid, loss=loss, method=method)
    try:
        names = resolve_models([model])
        settings = model_settings(params, names)[model]
    except BadInput as exc:
        problems += [
            argument_problem("model", p.message, got=p.got, expected=p.expected)
            if p.path == "models"
            else p
            for p in exc.problems
        ]
        settings = {}
    if problems:
        raise BadInput(problems)
    point = scenario.arrays()
    if not parties:
        parties = [a.id for a in scenario.actors if a.veto] or list(scenario.actor_ids)
    levers = candidate_levers(
        point,
        actor,
        parties=parties,
        position_step=position_step,
        salience_step=salience_step,
        loss=cast("Loss", loss),
    )
    cells = (len(levers) + 1) * max(draws, 1) * point.n_actors * point.n_issues
    if cells > MAX_BATCH_CELLS:
        most = MAX_BATCH_CELLS // ((len(levers) + 1) * point.n_actors * point.n_issues)
        raise BadInput(
            [
                argument_problem(
                    "draws",
                    f"too many for one batch with {len(levers)} levers",
                    got=draws,
                    expected=f"at most {most}",
                )
            ]
        )
    rng = np.random.default_rng(seed)
    sampled = sample_positions(point, draws, rng) if draws else None
    try:
        advice = advise_party(
            point,
            actor,
            make_model(model, **settings),
            parties=parties,
            position_step=position_step,
            salience_step=salience_step,
            loss=cast("Loss", loss),
            draws=sampled,
            rng=rng,
            deal_space=deal_space,
            grid=grid,
            extra_levels=issue_levels(scenario),
            method=method,
            rank_by=cast("RankBy", rank_by),
            deal_cache=deal_cache,
            progress=progress,
        )
    except (ValueError, ArithmeticError) as exc:
        raise AnalysisFailed(f"advice for {actor} failed: {exc}") from exc
    return AdviceResult(scenario, advice, FrozenMap(settings), seed, top)
