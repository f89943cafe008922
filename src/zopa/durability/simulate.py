"""Monte Carlo over the parameter ranges: survival curves with bands, deterrence by year.

One call draws every parameter ``n_draws`` times (vectorised, leading axis D), runs the
deterrence balance for the deal and for the bare-ceasefire reference, calibrates the
baseline per draw, and returns each draw's survival curve. Summaries (means, bands,
intervals) are computed from those arrays on demand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.durability import hazard
from zopa.durability.deterrence import (
    DeterrenceTrajectory,
    attacker_capacity,
    simulate_deterrence,
    step_multiplier,
    vulnerability_windows,
)
from zopa.durability.parameters import (
    ParameterStatus,
    central_draws,
    sample_parameters,
)
from zopa.frozen import FrozenMap

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.durability.deal import Mechanisms
    from zopa.durability.parameters import DurabilityParameters, ParameterDraws

HOLD_YEARS: tuple[int, ...] = (1, 2, 5)
"""The horizons at which reports give P(the ceasefire holds)."""

BAND: tuple[float, float] = (0.05, 0.95)
"""Quantiles of the uncertainty bands (a 90 % interval over parameter draws)."""


@dataclass(frozen=True, slots=True)
class Interval:
    """A Monte Carlo estimate: mean over draws, median, and the 90 % band."""

    mean: float
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: NDArray[np.float64]) -> Interval:
        """Summarise the draws of one quantity."""
        lo, med, hi = np.quantile(values, (BAND[0], 0.5, BAND[1]))
        return cls(float(np.mean(values)), float(med), float(lo), float(hi))


@dataclass(frozen=True, slots=True)
class YearBalance:
    """The deterrence balance in one year: its band and P(balance below 1)."""

    year: float
    balance: Interval
    attacker: Interval
    defender: Interval
    p_below_parity: float


@dataclass(frozen=True, eq=False)
class DurabilityResult:
    """Per-draw survival and deterrence for one deal.

    Attributes:
        deal_id: The deal analysed.
        times: (T+1,) grid in years from the ceasefire.
        survival: (D, T+1) probability the ceasefire still holds, per parameter draw.
        hazard_ratio: (D,) the combined hazard ratio of the mechanisms.
        mechanism_ratios: Each mechanism's hazard ratio, name -> (D,).
        deterrence: The deterrence trajectory on the grid, (D, T+1) each.
        seed: The seed used (``None`` if the caller passed a generator or none).
        notes: Plain-words caveats every report must show.
        draws: The parameter draws behind the result (for :meth:`drivers`).
    """

    deal_id: str
    times: NDArray[np.float64]
    survival: NDArray[np.float64]
    hazard_ratio: NDArray[np.float64]
    mechanism_ratios: Mapping[str, NDArray[np.float64]]
    deterrence: DeterrenceTrajectory
    seed: int | None
    notes: tuple[str, ...]
    draws: ParameterDraws | None = None

    @property
    def n_draws(self) -> int:
        """D, the number of Monte Carlo draws."""
        return int(self.survival.shape[0])

    def index(self, years: float) -> int:
        """The grid index of a time in years (``ValueError`` if it is not on the grid)."""
        k = int(np.argmin(np.abs(self.times - years)))
        if abs(self.times[k] - years) > 1e-9:
            raise ValueError(f"{years} years is not on the simulation grid")
        return k

    def p_hold(self, years: float) -> NDArray[np.float64]:
        """Per draw, the probability the ceasefire holds ``years`` years: (D,)."""
        return self.survival[:, self.index(years)]

    def hold(self) -> dict[int, Interval]:
        """P(holds 1, 2, 5 years): mean over draws with its 90 % band."""
        return {y: Interval.of(self.p_hold(y)) for y in HOLD_YEARS if y <= self.times[-1]}

    def survival_band(self) -> tuple[NDArray[np.float64], ...]:
        """The survival curve: (mean, median, low, high), each (T+1,)."""
        lo, med, hi = np.quantile(self.survival, (BAND[0], 0.5, BAND[1]), axis=0)
        return np.mean(self.survival, axis=0), med, lo, hi

    def balance_band(self) -> tuple[NDArray[np.float64], ...]:
        """The deterrence balance: (median, low, high), each (T+1,)."""
        lo, med, hi = np.quantile(self.deterrence.balance, (BAND[0], 0.5, BAND[1]), axis=0)
        return med, lo, hi

    def balance_by_year(self) -> tuple[YearBalance, ...]:
        """The balance at each whole year from the ceasefire to the horizon."""
        out = []
        for year in range(int(self.times[-1]) + 1):
            k = self.index(year)
            b = self.deterrence.balance[:, k]
            out.append(
                YearBalance(
                    year=float(year),
                    balance=Interval.of(b),
                    attacker=Interval.of(self.deterrence.attacker[:, k]),
                    defender=Interval.of(self.deterrence.defender[:, k]),
                    p_below_parity=float(np.mean(b < 1.0)),
                )
            )
        return tuple(out)

    def drivers(self, years: float = 5.0) -> tuple[tuple[str, float], ...]:
        """Which parameters drive P(holds ``years``): Spearman rank correlations.

        One correlation per drawn (non-fixed) parameter between its draws and the draws
        of P(holds ``years``), sorted by absolute size. A sampling-based sensitivity
        measure: with independent draws it ranks how much each assumption moves the
        answer (monotone effects only).
        """
        if self.draws is None or self.n_draws < 3:
            return ()
        target = _ranks(self.p_hold(years))
        out = []
        for pid, values in self.draws.values.items():
            if np.ptp(values) == 0:
                continue
            out.append((pid, _rank_correlation(_ranks(values), target)))
        return tuple(sorted(out, key=lambda x: -abs(x[1])))

    def vulnerability_windows(self) -> tuple[tuple[float, float], ...]:
        """Intervals where the median balance is below 1 (the window of vulnerability)."""
        med = np.median(self.deterrence.balance, axis=0)
        return vulnerability_windows(self.times, med < 1.0)


def _ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks 0..D-1 (ties broken by order; draws are continuous)."""
    ranks = np.empty(values.shape[0])
    ranks[np.argsort(values, kind="stable")] = np.arange(values.shape[0])
    return ranks


def _rank_correlation(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    a = a - a.mean()
    b = b - b.mean()
    denom = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    return float(np.dot(a, b) / denom) if denom > 0 else 0.0


def assumption_notes(params: DurabilityParameters) -> tuple[str, ...]:
    """The caveats a report must show about unsourced parameters."""
    assumed = [p.id for p in params.parameters.values() if p.status is ParameterStatus.ASSUMPTION]
    moved = [p.id for p in params.parameters.values() if p.status is ParameterStatus.TRANSFERRED]
    notes = []
    if assumed:
        notes.append(
            f"{len(assumed)} of {len(params.parameters)} parameters are assumptions with no "
            f"published number (wide ranges): {', '.join(assumed)}."
        )
    if moved:
        notes.append(
            "Transferred from another context (applying them here is an assumption): "
            f"{', '.join(moved)}."
        )
    if params.levels_status is not ParameterStatus.SOURCED:
        notes.append("Mechanism level strengths (0..1 per level) are assumptions.")
    return tuple(notes)


def _survive(
    mechanisms: Mechanisms, params: DurabilityParameters, draws: ParameterDraws
) -> tuple[
    NDArray[np.float64], dict[str, NDArray[np.float64]], NDArray[np.float64], DeterrenceTrajectory
]:
    times = hazard.time_grid(params.horizon_years, params.step_years)
    increments = hazard.baseline_increments(times, draws["baseline.weibull_shape"])
    beta = draws["balance.elasticity"]
    attacker = attacker_capacity(times, draws)
    reference = simulate_deterrence(None, params, draws, times, attacker=attacker)
    m_ref = step_multiplier(reference.balance, beta)
    del reference
    n5 = round(5.0 / params.step_years)
    scale = hazard.calibrate_scale(draws["baseline.p_relapse_5y"], increments, m_ref, n5)
    del m_ref
    traj = simulate_deterrence(mechanisms, params, draws, times, attacker=attacker)
    strengths = hazard.mechanism_strengths(mechanisms, params, draws)
    ratios = hazard.mechanism_hazard_ratios(strengths, draws)
    hr = hazard.combined_hazard_ratio(ratios)
    increments *= step_multiplier(traj.balance, beta)
    cum = hazard.cumulative_hazard(scale, increments, hr)
    return hazard.survival(cum, overwrite=True), ratios, hr, traj


def analyse_durability(
    deal_id: str,
    mechanisms: Mechanisms,
    params: DurabilityParameters,
    *,
    n_draws: int = 10_000,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    point: bool = False,
) -> DurabilityResult:
    """Survival and deterrence of a deal under Monte Carlo over the parameter ranges.

    Args:
        deal_id: Label for the result.
        mechanisms: The deal's mechanisms.
        params: The parameter set.
        n_draws: Number of parameter draws D.
        seed: Seed of a fresh generator (ignored when ``rng`` is given).
        rng: A generator to draw from. Drawing needs ``rng`` or ``seed``.
        point: Use every parameter's central value (D = 1) instead of drawing.

    Returns:
        The per-draw result.

    Raises:
        ValueError: When drawing with neither ``rng`` nor ``seed``.
    """
    if point:
        draws = central_draws(params)
    else:
        if rng is None and seed is None:
            raise ValueError(
                "drawing the parameters needs a seed or a numpy.random.Generator (rng=...)"
            )
        gen = rng if rng is not None else np.random.default_rng(seed)
        draws = sample_parameters(params, n_draws, gen)
    surv, ratios, hr, traj = _survive(mechanisms, params, draws)
    notes = list(assumption_notes(params))
    if mechanisms.force_caps.attacker_personnel is not None:
        notes.append("The deal caps the attacker's forces; the model does not use that cap.")
    return DurabilityResult(
        deal_id=deal_id,
        times=traj.times,
        survival=surv,
        hazard_ratio=hr,
        mechanism_ratios=FrozenMap(ratios),
        deterrence=traj,
        seed=None if rng is not None or point else seed,
        notes=tuple(notes),
        draws=draws,
    )
