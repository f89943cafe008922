"""Post-ceasefire deterrence: the attacker's regeneration against the defender's build-up.

All capacities are indices relative to the moment of the ceasefire: the attacker's
offensive capacity ``A(0) = 1`` and the defender's own capacity with no cap and continued
arms supply ``U(0) = 1``. Over time

    A(t) = 1 + g * (1 - exp(-3 t / T)),             regeneration (95 % of g by t = T)
    U(t) = cap(t) * exp(rho * t),                    own forces under the deal's cap
    cap(t) = 1 - (1 - min(1, cap / 800k)) * min(t / t_cap, 1)
    B(t) = w_b * s_g * E(t),                         backers committed by the guarantee
    E(t) = 1 + q * (target / start - 1) * min(t / t_target, 1)   European build-up
    R = w_r * s_f,                                   reassurance force (tripwire)
    balance(t) = (U(t) + B(t) + R) / A(t),

with ``g`` and ``T`` from the Danish Defence Intelligence Service's reconstitution
estimate (local war ~6 months, regional ~2 years, large-scale war in Europe ~5 years,
assuming the war ends and the US stays out), ``rho`` the growth or decay of the
defender's capacity under the deal's arms-supply terms, ``s_g`` and ``s_f`` the strengths
of the guarantee and of the reassurance force, and the European build-up following the
NATO Hague pledge (3.5 % of GDP core defence by 2035). The balance multiplies the
breakdown hazard by ``balance ** -beta``; a *bare ceasefire* (no cap, arms supply
continued, no guarantee, no force) starts at balance 1, the reference of the baseline
calibration.

The window of vulnerability is the time during which the balance is below 1: the
attacker is then relatively stronger than when it agreed to stop.

References:
    DDIS (Danish Defence Intelligence Service), intelligence outlook, February 2025.
    NATO, The Hague Summit Declaration, 25 June 2025.
    Coalition of the Willing, Paris Declaration, 6 January 2026 (800,000-strong army).

Deviations (this is not a published model): every functional form above is ours and every
weight is an assumption with a wide range; see the parameter file and docs/durability.md.
Caps on the attacker's forces are not modelled. A limit on the defender's weapons counts
as (at least) restricted arms supply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.durability.deal import Mechanisms
    from zopa.durability.parameters import DurabilityParameters, ParameterDraws

_REGENERATION_E_FOLDS = 3.0
"""``1 - exp(-3) = 0.95``: the attacker reaches 95 % of its regrowth at the reconstitution time."""


@dataclass(frozen=True, eq=False)
class DeterrenceTrajectory:
    """Capacities and balance per draw at a set of times.

    Attributes:
        times: (T,) years after the ceasefire.
        attacker: (D, T) the attacker's offensive capacity index.
        defender: (D, T) the defender's total deterrent capacity index.
        balance: (D, T) defender over attacker.
    """

    times: NDArray[np.float64]
    attacker: NDArray[np.float64]
    defender: NDArray[np.float64]
    balance: NDArray[np.float64]


def _supply_rate(mechanisms: Mechanisms | None, draws: ParameterDraws) -> NDArray[np.float64]:
    level = "continued" if mechanisms is None else mechanisms.arms_supply
    if mechanisms is not None and mechanisms.force_caps.weapons_limits and level == "continued":
        level = "restricted"
    if level == "continued":
        return draws["defender.growth_continued"]
    if level == "restricted":
        return -draws["defender.decay_restricted"]
    return -draws["defender.decay_halted"]


def attacker_capacity(times: NDArray[np.float64], draws: ParameterDraws) -> NDArray[np.float64]:
    """The attacker's offensive capacity index ``A(t)``: (D, T)."""
    g = draws["attacker.growth"][:, None]
    t_rec = draws["attacker.reconstitution_years"][:, None]
    return 1.0 + g * (1.0 - np.exp(-_REGENERATION_E_FOLDS * times[None, :] / t_rec))


def simulate_deterrence(
    mechanisms: Mechanisms | None,
    params: DurabilityParameters,
    draws: ParameterDraws,
    times: NDArray[np.float64],
    *,
    attacker: NDArray[np.float64] | None = None,
) -> DeterrenceTrajectory:
    """The deterrence balance under a deal's terms (``None``: the bare-ceasefire reference).

    Args:
        mechanisms: The deal's mechanisms, or ``None`` for the reference (no cap, arms
            supply continued, no guarantee, no reassurance force).
        params: The parameter set (for the level strengths).
        draws: Parameter draws, D per parameter.
        times: (T,) years at which to evaluate.
        attacker: The attacker's capacity at ``times`` if already computed, (D, T).

    Returns:
        The trajectory, each array (D, T).
    """
    t = times[None, :]
    if attacker is None:
        attacker = attacker_capacity(times, draws)
    rate = _supply_rate(mechanisms, draws)[:, None]
    defender = rate * t
    np.exp(defender, out=defender)
    if mechanisms is not None:
        cap = mechanisms.force_caps.defender_personnel
        if cap is not None:
            ratio = np.minimum(cap / draws["defender.reference_personnel"], 1.0)
            phase = t / draws["defender.cap_phase_in_years"][:, None]
            np.minimum(phase, 1.0, out=phase)
            phase *= (ratio - 1.0)[:, None]
            phase += 1.0
            defender *= phase
        s_g = params.strength("guarantees", mechanisms.guarantees) * np.ones(draws.n_draws)
        if mechanisms.guarantees_conditional:
            s_g = s_g * draws["guarantees.conditional_factor"]
        if np.any(s_g > 0):
            rise = (
                draws["backers.spending_target_share"] / draws["backers.spending_start_share"] - 1.0
            ) * draws["backers.realisation"]
            europe = t / draws["backers.target_years"][:, None]
            np.minimum(europe, 1.0, out=europe)
            europe *= rise[:, None]
            europe += 1.0
            europe *= (draws["backers.weight"] * s_g)[:, None]
            defender += europe
        s_f = params.strength("reassurance_force", mechanisms.reassurance_force)
        if s_f > 0:
            defender += (draws["reassurance.weight"] * s_f)[:, None]
    return DeterrenceTrajectory(
        times=times, attacker=attacker, defender=defender, balance=defender / attacker
    )


BALANCE_FLOOR = 1e-9
"""Smallest deterrence balance used in the hazard (a defender with no forces at all)."""


def step_multiplier(
    balance: NDArray[np.float64], elasticity: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The hazard multiplier ``balance ** -beta`` over each grid step: (D, T-1).

    The balance over a step is the geometric mean of its two ends. A balance of zero (a
    defender capped at no forces at all) is floored at ``BALANCE_FLOOR``: the hazard is
    then finite but overwhelming, and survival falls to zero instead of becoming NaN.
    """
    log_b = np.log(np.maximum(balance, BALANCE_FLOOR))
    mid = log_b[:, :-1]
    mid += log_b[:, 1:]
    mid *= (-0.5 * elasticity)[:, None]
    return np.exp(mid, out=mid)


def hazard_multiplier(
    balance: NDArray[np.float64], elasticity: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The deterrence hazard multiplier ``balance ** -beta`` at each time: (D, T)."""
    floored = np.maximum(balance, BALANCE_FLOOR)
    return np.asarray(np.power(floored, -elasticity[:, None]), dtype=np.float64)


def vulnerability_windows(
    times: NDArray[np.float64], below: NDArray[np.bool_]
) -> tuple[tuple[float, float], ...]:
    """Maximal time intervals ``(start, end)`` where ``below`` holds, on the grid."""
    windows: list[tuple[float, float]] = []
    start: float | None = None
    for k, flag in enumerate(below):
        if flag and start is None:
            start = float(times[k])
        if not flag and start is not None:
            windows.append((start, float(times[k - 1])))
            start = None
    if start is not None:
        windows.append((start, float(times[-1])))
    return tuple(windows)
