"""Will it hold: a deal's ceasefire survival, deterrence balance and ending; deals compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.service.errors import BadInput, argument_problem
from zopa.service.loading import DealFile, Loader, check_draws
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from zopa.durability.assess import DealAssessment
    from zopa.durability.deal import Mechanisms
    from zopa.durability.parameters import DurabilityParameters
    from zopa.durability.simulate import Interval

DRAWS_RANGE = (100, 1_000_000)


def mechanism_setting(m: Mechanisms, name: str, *, short: bool = False) -> str:
    """A mechanism's setting in words (``short``: without names of states)."""
    if name == "dmz":
        if m.dmz_width_km is None:
            return "yes, width not stated"
        return f"{m.dmz_width_km:g} km" if m.dmz_width_km else "none"
    if name == "snapback":
        return "yes" if m.snapback else "no"
    if name == "guarantees":
        extra = f" ({', '.join(m.guarantors)})" if m.guarantors and not short else ""
        return m.guarantees + extra + (", conditional" if m.guarantees_conditional else "")
    if name == "monitoring" and m.monitoring_lead and not short:
        return f"{m.monitoring} (lead: {m.monitoring_lead})"
    value: str = getattr(m, name)
    return value


def _interval(i: Interval) -> dict[str, float]:
    return {"mean": i.mean, "median": i.median, "low": i.low, "high": i.high}


def assessment_dict(a: DealAssessment, params: DurabilityParameters) -> dict[str, Any]:
    """The documented JSON of one deal's assessment (see docs/durability.md)."""
    from zopa.durability.parameters import HAZARD_MECHANISMS
    from zopa.durability.simulate import Interval

    r, e, m = a.result, a.ending, a.deal.mechanisms
    mean, _, low, high = r.survival_band()
    b_med, b_low, b_high = r.balance_band()
    caps = m.force_caps
    return {
        "deal": {"id": a.deal.id, "title": a.deal.title, "date": a.deal.date},
        "scenario": a.scenario.title,
        "draws": r.n_draws,
        "seed": r.seed,
        "band": [0.05, 0.95],
        "p_hold": {str(y): _interval(v) for y, v in r.hold().items()},
        "survival": {
            "years": r.times.tolist(),
            "mean": mean.tolist(),
            "low": low.tolist(),
            "high": high.tolist(),
        },
        "mechanisms": {
            name: {
                "setting": mechanism_setting(m, name),
                "hazard_ratio": _interval(Interval.of(r.mechanism_ratios[name])),
                "parameter_status": params[f"hr.{name}"].status.value,
            }
            for name in HAZARD_MECHANISMS
        }
        | {
            "force_caps": {
                "defender_personnel": caps.defender_personnel,
                "weapons_limits": caps.weapons_limits,
            },
            "arms_supply": {"setting": m.arms_supply},
        },
        "hazard_ratio": _interval(Interval.of(r.hazard_ratio)),
        "deterrence": {
            "years": r.times.tolist(),
            "balance_median": b_med.tolist(),
            "balance_low": b_low.tolist(),
            "balance_high": b_high.tolist(),
            "by_year": [
                {
                    "year": y.year,
                    "attacker": _interval(y.attacker),
                    "defender": _interval(y.defender),
                    "balance": _interval(y.balance),
                    "p_below_parity": y.p_below_parity,
                }
                for y in r.balance_by_year()
            ],
            "window_of_vulnerability": [list(w) for w in r.vulnerability_windows()],
        },
        "ending": {
            "ending": e.ending.value,
            "reasons": list(e.reasons),
            "margins": {
                "red_line": e.red_line_margin,
                "balance": e.balance_margin,
                "durability": e.durability_margin,
                "settlement": e.settlement_margin,
            },
            "red_lines": [
                {"issue": x.issue, "value": x.value, "red_line": x.red_line, "margin": x.margin}
                for x in e.red_lines
            ],
            "unsettled_core": list(e.unsettled_core),
            "unchecked": list(e.unchecked),
            "thresholds": {
                "p_hold_5y_durable": params.ending.p_hold_5y_durable,
                "balance_floor": params.ending.balance_floor,
                "max_unsettled_core": params.ending.max_unsettled_core,
                "status": params.ending.status.value,
            },
        },
        "utilities": [
            {"actor": u.actor, "deal": u.deal, "no_deal": u.no_deal, "gain": u.gain}
            for u in a.utilities
        ],
        "drivers": [
            {
                "parameter": pid,
                "rank_correlation": rho,
                "status": params[pid].status.value,
            }
            for pid, rho in r.drivers()
        ],
        "notes": list(r.notes),
    }


def assessment_rows(a: DealAssessment) -> list[dict[str, Any]]:
    """Per-year rows of one deal: survival and deterrence balance with their 5–95% bands.

    Columns: ``plan`` (the deal's id), ``year``, ``p_hold`` (mean) with ``low`` and
    ``high``, ``balance`` (median) with ``balance_low`` and ``balance_high``, and
    ``p_below_parity``.
    """
    r = a.result
    mean, _, low, high = r.survival_band()
    rows = []
    for yb in r.balance_by_year():
        k = r.index(yb.year)
        rows.append(
            {
                "plan": a.deal.id,
                "year": yb.year,
                "p_hold": round(float(mean[k]), 6),
                "low": round(float(low[k]), 6),
                "high": round(float(high[k]), 6),
                "balance": round(yb.balance.median, 6),
                "balance_low": round(yb.balance.low, 6),
                "balance_high": round(yb.balance.high, 6),
                "p_below_parity": round(yb.p_below_parity, 6),
            }
        )
    return rows


@dataclass(frozen=True, eq=False)
class DurabilityReport(Result):
    """One or more deals assessed on the same parameter draws.

    Attributes:
        assessments: One per deal, in the order given.
        parameters: The durability parameters the draws came from.
        draws: Monte Carlo draws of the parameters.
        seed: Seed of the draws (the same for every deal).
        compared: Whether the deals are compared side by side (JSON ``{"deals": [...]}``).
    """

    assessments: tuple[DealAssessment, ...]
    parameters: DurabilityParameters
    draws: int
    seed: int
    compared: bool = False

    @property
    def assessment(self) -> DealAssessment:
        """The first (for :func:`durability`, the only) deal's assessment."""
        return self.assessments[0]

    def to_dict(self) -> dict[str, Any]:
        """One deal's documented JSON; for several, ``{"deals": [...]}`` (docs/durability.md)."""
        if not self.compared:
            data: dict[str, Any] = jsonable(assessment_dict(self.assessment, self.parameters))
            return data
        return {"deals": [jsonable(assessment_dict(a, self.parameters)) for a in self.assessments]}

    def to_rows(self) -> list[dict[str, Any]]:
        """Per deal and year: survival and balance with their bands."""
        return [row for a in self.assessments for row in assessment_rows(a)]


def assess(
    deals: Sequence[DealFile],
    parameters: DurabilityParameters,
    draws: int,
    seed: int,
    *,
    compared: bool,
) -> DurabilityReport:
    """Assess loaded deals on the same parameter draws (``draws`` checked)."""
    from zopa.durability.assess import assess_deal

    check_draws(draws, low=DRAWS_RANGE[0], high=DRAWS_RANGE[1])
    assessments = tuple(
        assess_deal(d.deal, d.scenario, parameters, n_draws=draws, seed=seed) for d in deals
    )
    return DurabilityReport(assessments, parameters, draws, seed, compared)


def durability(
    deal: DealFile | Path | str,
    *,
    parameters: DurabilityParameters | Path | str | None = None,
    draws: int = 10_000,
    seed: int = 0,
) -> DurabilityReport:
    """Will a deal's ceasefire hold, does it deter renewed attack, and which ending follows.

    Args:
        deal: A loaded deal file, or the path of one.
        parameters: Durability parameters, or the path of a parameter file (default:
            those shipped with zopa).
        draws: Monte Carlo draws of the parameters (100..1,000,000).
        seed: Seed of the draws.

    Raises:
        BadInput: A file with problems, or draws out of range.
    """
    (loaded,), params = _load([deal], parameters, Loader())
    return assess([loaded], params, draws, seed, compared=False)


def compare(
    deals: Sequence[DealFile | Path | str],
    *,
    parameters: DurabilityParameters | Path | str | None = None,
    draws: int = 10_000,
    seed: int = 0,
    loader: Loader | None = None,
) -> DurabilityReport:
    """Several deals side by side, on the same parameter draws (same seed).

    Raises:
        BadInput: Fewer than two deals, the same deal twice, files with problems.
    """
    if len(deals) < 2:
        raise BadInput([argument_problem("deals", "give two or more deal files to compare")])
    loaded, params = _load(deals, parameters, loader or Loader())
    ids = [d.deal.id for d in loaded]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise BadInput(
            [argument_problem("deals", f"the same deal is given twice: {', '.join(twice)}")]
        )
    return assess(loaded, params, draws, seed, compared=True)


def _load(
    deals: Sequence[DealFile | Path | str],
    parameters: DurabilityParameters | Path | str | None,
    loader: Loader,
) -> tuple[list[DealFile], DurabilityParameters]:
    """Deals and parameters read with one loader; every file's problems at once."""
    problems = []
    params = None
    if parameters is None or isinstance(parameters, (Path, str)):
        try:
            params = loader.parameters(parameters)
        except BadInput as exc:
            problems += exc.problems
    else:
        params = parameters
    paths = [d for d in deals if not isinstance(d, DealFile)]
    read: list[DealFile] = []
    try:
        read = loader.deals(paths) if paths else []
    except BadInput as exc:
        problems += exc.problems
    if problems or params is None:
        raise BadInput(problems)
    given = iter(read)
    return [d if isinstance(d, DealFile) else next(given) for d in deals], params
