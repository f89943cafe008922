"""Proportional-hazards arithmetic for a ceasefire breaking down.

The hazard of renewed fighting at time ``t`` years after the ceasefire is

    h(t) = h0(t) * HR * m(t),

with a Weibull baseline ``h0(t) = c * k * t**(k-1)`` (cumulative ``H0(t) = c * t**k``), a
constant hazard ratio ``HR = prod_m r_m ** s_m`` over the deal's mechanisms (``r_m`` the
full-strength ratio of mechanism ``m``, ``s_m`` in 0..1 the strength the deal gives it) and
a time-varying deterrence multiplier ``m(t)`` (see :mod:`zopa.durability.deterrence`).
Survival is ``S(t) = exp(-H(t))``.

The baseline scale ``c`` is calibrated per draw so that a *bare ceasefire* (no
mechanisms, status-quo deterrence terms) breaks down within five years with probability
``p5`` (the "almost half" anchor of Fortna 2004; the number is an assumption, see the
parameter file).

References:
    Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34(2): 187-220.
    Fortna, V. P. (2003). Scraps of paper? Agreements and the durability of peace.
    *International Organization* 57(2): 337-372.
    Fortna, V. P. (2004). *Peace Time: Cease-Fire Agreements and the Durability of Peace*.
    Princeton University Press.

Deviations:
    - Fortna estimates hazard ratios per mechanism from data; her per-mechanism numbers
      were not available to us, so each ratio is drawn from a wide range (the parameter
      file labels them) instead of an estimated coefficient with a standard error.
    - A mechanism's strength scales the log hazard ratio linearly (``r ** s``); Fortna
      codes mechanisms as present/absent.
    - Over each grid step the deterrence multiplier is held at the geometric mean of its
      values at the step's two ends; the baseline increment over each step is exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zopa.durability.parameters import HAZARD_MECHANISMS

if TYPE_CHECKING:
    from collections.abc import Mapping

    from numpy.typing import NDArray

    from zopa.durability.deal import Mechanisms
    from zopa.durability.parameters import DurabilityParameters, ParameterDraws


def time_grid(horizon_years: float, step_years: float) -> NDArray[np.float64]:
    """Grid points ``0, step, 2*step, ..., horizon`` in years."""
    n = round(horizon_years / step_years)
    return np.linspace(0.0, horizon_years, n + 1)


def baseline_increments(
    times: NDArray[np.float64], shape: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Exact Weibull baseline increments ``t_{j+1}**k - t_j**k`` per draw: (D, T)."""
    log_t = np.log(times[1:])
    powered = np.empty((shape.shape[0], times.shape[0]))
    np.multiply(shape[:, None], log_t[None, :], out=powered[:, 1:])
    np.exp(powered[:, 1:], out=powered[:, 1:])
    powered[:, 0] = 0.0 if times[0] == 0 else times[0] ** shape
    return np.subtract(powered[:, 1:], powered[:, :-1])


def calibrate_scale(
    p_relapse: NDArray[np.float64],
    increments: NDArray[np.float64],
    multiplier: NDArray[np.float64],
    n_steps: int,
) -> NDArray[np.float64]:
    """The baseline scale ``c`` per draw that gives ``P(breakdown by t_n) = p_relapse``.

    Args:
        p_relapse: (D,) target breakdown probability at the ``n_steps``-th grid point.
        increments: (D, T) baseline increments from :func:`baseline_increments`.
        multiplier: (D, T) the reference deal's hazard multiplier per step.
        n_steps: The grid index of the calibration time (e.g. five years).

    Returns:
        (D,) scales ``c`` with ``c * sum_j inc_j * m_j = -log(1 - p)`` over the first
        ``n_steps`` steps.
    """
    target = -np.log1p(-p_relapse)
    exposure = np.sum(increments[:, :n_steps] * multiplier[:, :n_steps], axis=1)
    return np.asarray(target / exposure, dtype=np.float64)


def cumulative_hazard(
    scale: NDArray[np.float64],
    increments: NDArray[np.float64],
    hazard_ratio: NDArray[np.float64],
    multiplier: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Cumulative hazard ``H(t_j)`` at every grid point: (D, T+1), ``H(0) = 0``."""
    step = increments if multiplier is None else increments * multiplier
    out = np.zeros((step.shape[0], step.shape[1] + 1))
    np.cumsum(step, axis=1, out=out[:, 1:])
    out *= (scale * hazard_ratio)[:, None]
    return out


def survival(cum_hazard: NDArray[np.float64], *, overwrite: bool = False) -> NDArray[np.float64]:
    """Survival ``S = exp(-H)`` (in place of ``cum_hazard`` when ``overwrite``)."""
    out = cum_hazard if overwrite else np.empty_like(cum_hazard)
    np.negative(cum_hazard, out=out)
    return np.exp(out, out=out)


def mechanism_strengths(
    mechanisms: Mechanisms, params: DurabilityParameters, draws: ParameterDraws
) -> dict[str, NDArray[np.float64]]:
    """The strength in 0..1 of each hazard mechanism of a deal, per draw: name -> (D,).

    Categorical mechanisms take the strength of their level from the parameter file.
    The DMZ's strength is its width over the (drawn) full-strength width, capped at one;
    a zone of unstated width takes the (drawn) strength ``dmz.unspecified_strength``.
    A conditional guarantee's strength is scaled by the (drawn) conditional factor.
    """
    n = draws.n_draws
    ones = np.ones(n)
    level = params.strength
    guarantee = level("guarantees", mechanisms.guarantees) * ones
    if mechanisms.guarantees_conditional:
        guarantee = guarantee * draws["guarantees.conditional_factor"]
    return {
        "monitoring": level("monitoring", mechanisms.monitoring) * ones,
        "dmz": draws["dmz.unspecified_strength"]
        if mechanisms.dmz_width_km is None
        else np.minimum(mechanisms.dmz_width_km / draws["dmz.full_width_km"], 1.0),
        "reassurance_force": level("reassurance_force", mechanisms.reassurance_force) * ones,
        "guarantees": guarantee,
        "joint_commission": level("joint_commission", mechanisms.joint_commission) * ones,
        "snapback": (1.0 if mechanisms.snapback else 0.0) * ones,
        "sequencing": level("sequencing", mechanisms.sequencing) * ones,
        "specificity": level("specificity", mechanisms.specificity) * ones,
    }


def mechanism_hazard_ratios(
    strengths: Mapping[str, NDArray[np.float64]], draws: ParameterDraws
) -> dict[str, NDArray[np.float64]]:
    """Each mechanism's hazard ratio ``r_m ** s_m`` per draw: name -> (D,)."""
    return {m: np.power(draws[f"hr.{m}"], strengths[m]) for m in HAZARD_MECHANISMS}


def combined_hazard_ratio(ratios: Mapping[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    """The product of the mechanisms' hazard ratios per draw: (D,)."""
    log_hr = np.zeros_like(next(iter(ratios.values())))
    for r in ratios.values():
        log_hr = log_hr + np.log(r)
    return np.exp(log_hr)
