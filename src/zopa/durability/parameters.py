"""Durability parameters as data: each number with its source, range and status.

The numbers themselves live in ``parameters.yaml`` beside this module and are read by the
boundary layer (:func:`zopa.io.durability_parameters.load_durability_parameters`). This
module holds the frozen types they become, the list of ids the model needs, and the
vectorised sampler that turns ranges into Monte Carlo draws.

A parameter's ``status`` says how much the literature backs it:

- ``sourced``: a published number for this context (the range may still be ours).
- ``transferred``: a published number from another context (e.g. civil-war peacekeeping
  estimates applied to an interstate ceasefire); applying it here is an assumption.
- ``assumption``: no published number; a wide range chosen by the analyst.

Every report that uses a ``transferred`` or ``assumption`` parameter says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.frozen import FrozenMap, freeze

if TYPE_CHECKING:
    from numpy.typing import NDArray


class ParameterStatus(StrEnum):
    """How far the literature backs a parameter's number."""

    SOURCED = "sourced"
    TRANSFERRED = "transferred"
    ASSUMPTION = "assumption"


class Distribution(StrEnum):
    """How a parameter is drawn from its range in the Monte Carlo."""

    UNIFORM = "uniform"
    LOGUNIFORM = "loguniform"


@dataclass(frozen=True, slots=True)
class Parameter:
    """One model parameter.

    Attributes:
        id: Dotted identifier, e.g. ``hr.dmz``.
        value: Central value (used for point estimates and shown in reports).
        low: Lower end of the range drawn in the Monte Carlo.
        high: Upper end of the range (equal to ``low`` for a fixed value).
        distribution: How draws spread over the range.
        status: How far the literature backs the number.
        unit: Unit of the value, in words.
        description: What the parameter means, in plain words.
        source: Where the number (or the direction of the effect) comes from.
        note: Caveats.
    """

    id: str
    value: float
    low: float
    high: float
    distribution: Distribution = Distribution.UNIFORM
    status: ParameterStatus = ParameterStatus.ASSUMPTION
    unit: str = ""
    description: str = ""
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not self.low <= self.value <= self.high:
            raise ValueError(f"{self.id}: value {self.value} outside [{self.low}, {self.high}]")
        if self.distribution is Distribution.LOGUNIFORM and self.low <= 0:
            raise ValueError(f"{self.id}: a log-uniform range needs low > 0")


@dataclass(frozen=True, slots=True)
class EndingThresholds:
    """The documented thresholds that separate the three endings.

    Attributes:
        defender: Actor id of the defending state (whose red lines define capitulation).
        attacker: Actor id of the attacking state.
        capitulation_issues: Issues where crossing the defender's red line fatally
            compromises its statehood or its ability to defend itself.
        core_issues: Issues whose final settlement separates a settlement from a ceasefire
            that leaves the conflict frozen.
        p_hold_5y_durable: Minimum mean probability that the ceasefire holds five years
            for a durable settlement.
        balance_floor: Deterrence balance (relative to the moment of a bare ceasefire)
            below which, at the median, the defender's ability to defend itself counts as
            fatally compromised.
        max_unsettled_core: How many core issues may stay unsettled in a durable settlement.
        source: Where the definitions come from.
        status: How far the literature backs the numbers.
    """

    defender: str
    attacker: str
    capitulation_issues: tuple[str, ...]
    core_issues: tuple[str, ...]
    p_hold_5y_durable: float
    balance_floor: float
    max_unsettled_core: int
    source: str = ""
    status: ParameterStatus = ParameterStatus.ASSUMPTION


MECHANISM_LEVELS: Mapping[str, tuple[str, ...]] = FrozenMap(
    {
        "monitoring": ("none", "bilateral", "international", "international_technical"),
        "reassurance_force": ("none", "outside", "rear", "interposed"),
        "guarantees": ("none", "political", "legally_binding", "art5_like"),
        "joint_commission": ("none", "bilateral", "third_party"),
        "sequencing": ("ceasefire_first", "simultaneous", "settlement_first"),
        "specificity": ("low", "medium", "high"),
        "arms_supply": ("continued", "restricted", "halted"),
    }
)
"""The categorical levels a deal file may give each categorical mechanism."""

HAZARD_MECHANISMS: tuple[str, ...] = (
    "monitoring",
    "dmz",
    "reassurance_force",
    "guarantees",
    "joint_commission",
    "snapback",
    "sequencing",
    "specificity",
)
"""Mechanisms with a multiplicative hazard ratio (parameter ``hr.<name>``)."""

REQUIRED_PARAMETERS: tuple[str, ...] = (
    "baseline.p_relapse_5y",
    "baseline.weibull_shape",
    *(f"hr.{m}" for m in HAZARD_MECHANISMS),
    "dmz.full_width_km",
    "dmz.unspecified_strength",
    "guarantees.conditional_factor",
    "attacker.growth",
    "attacker.reconstitution_years",
    "defender.reference_personnel",
    "defender.cap_phase_in_years",
    "defender.growth_continued",
    "defender.decay_restricted",
    "defender.decay_halted",
    "backers.weight",
    "backers.spending_start_share",
    "backers.spending_target_share",
    "backers.target_years",
    "backers.realisation",
    "reassurance.weight",
    "balance.elasticity",
    "ddis.local_war_years",
    "ddis.regional_war_years",
    "ddis.large_war_years",
)
"""Every parameter id the durability model reads."""


@dataclass(frozen=True, slots=True)
class DurabilityParameters:
    """All parameters of the durability model.

    Attributes:
        parameters: Parameter by id (read-only).
        levels: For each categorical mechanism, the strength in 0..1 of each level
            (0 = absent, 1 = the full-strength mechanism whose hazard ratio is drawn;
            read-only).
        levels_status: How far the literature backs the level strengths.
        levels_source: Where the level strengths come from.
        ending: Thresholds of the ending classification.
        horizon_years: How far the simulation runs.
        step_years: Time step of the simulation (the horizon must be a multiple of it).
    """

    parameters: Mapping[str, Parameter]
    levels: Mapping[str, Mapping[str, float]]
    ending: EndingThresholds
    levels_status: ParameterStatus = ParameterStatus.ASSUMPTION
    levels_source: str = ""
    horizon_years: float = 10.0
    step_years: float = 0.25

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", freeze(self.parameters))
        object.__setattr__(
            self, "levels", FrozenMap((k, freeze(v)) for k, v in self.levels.items())
        )
        missing = [p for p in REQUIRED_PARAMETERS if p not in self.parameters]
        if missing:
            raise ValueError(f"missing durability parameters: {', '.join(missing)}")
        for mech, names in MECHANISM_LEVELS.items():
            if mech == "arms_supply":  # acts through decay rates, not a strength
                continue
            got = self.levels.get(mech, {})
            if set(got) != set(names):
                raise ValueError(f"levels.{mech} must give exactly {', '.join(names)}")
        n = self.horizon_years / self.step_years
        if abs(n - round(n)) > 1e-9 or round(5.0 / self.step_years) * self.step_years != 5.0:
            raise ValueError("horizon and 5 years must be multiples of step_years")

    def __getitem__(self, key: str) -> Parameter:
        return self.parameters[key]

    def value(self, key: str) -> float:
        """The central value of a parameter."""
        return self.parameters[key].value

    def strength(self, mechanism: str, level: str) -> float:
        """The strength in 0..1 of a categorical mechanism's level."""
        return self.levels[mechanism][level]

    def not_sourced(self) -> tuple[Parameter, ...]:
        """Parameters that are assumptions or transferred from another context."""
        return tuple(p for p in self.parameters.values() if p.status is not ParameterStatus.SOURCED)

    def with_fixed(self, **values: float) -> DurabilityParameters:
        """A copy where the named parameters (dots written as ``__``) are fixed values."""
        params = dict(self.parameters)
        for key, v in values.items():
            pid = key.replace("__", ".")
            p = params[pid]
            params[pid] = Parameter(
                id=p.id,
                value=v,
                low=v,
                high=v,
                distribution=Distribution.UNIFORM,
                status=p.status,
                unit=p.unit,
                description=p.description,
                source=p.source,
                note=p.note,
            )
        return DurabilityParameters(
            parameters=FrozenMap(params),
            levels=self.levels,
            ending=self.ending,
            levels_status=self.levels_status,
            levels_source=self.levels_source,
            horizon_years=self.horizon_years,
            step_years=self.step_years,
        )


@dataclass(frozen=True, eq=False)
class ParameterDraws:
    """Monte Carlo draws of every parameter: ``values[id]`` has shape (D,), read-only."""

    values: Mapping[str, NDArray[np.float64]] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", freeze(self.values))

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore pickled draws; their arrays come back writeable, so lock them again."""
        for arr in state["values"].values():
            arr.setflags(write=False)
        self.__dict__.update(state)

    @property
    def n_draws(self) -> int:
        """D, the number of draws."""
        return int(next(iter(self.values.values())).shape[0])

    def __getitem__(self, key: str) -> NDArray[np.float64]:
        return self.values[key]


def sample_parameters(
    params: DurabilityParameters, n_draws: int, rng: np.random.Generator
) -> ParameterDraws:
    """Draw every parameter ``n_draws`` times from its range (one vectorised call).

    Fixed parameters (``low == high``) repeat their value. Parameters are drawn
    independently; the order of ids is the mapping's order, so a seed reproduces the
    draws exactly.
    """
    if n_draws < 1:
        raise ValueError("n_draws must be >= 1")
    ids = tuple(params.parameters)
    u = rng.random((len(ids), n_draws))
    out: dict[str, NDArray[np.float64]] = {}
    for k, pid in enumerate(ids):
        p = params.parameters[pid]
        if p.low == p.high:
            arr = np.full(n_draws, p.value)
        elif p.distribution is Distribution.LOGUNIFORM:
            lo, hi = np.log(p.low), np.log(p.high)
            arr = np.exp(lo + (hi - lo) * u[k])
        else:
            arr = p.low + (p.high - p.low) * u[k]
        arr.setflags(write=False)
        out[pid] = arr
    return ParameterDraws(values=FrozenMap(out))


def central_draws(params: DurabilityParameters) -> ParameterDraws:
    """A single draw holding every parameter's central value (a point estimate)."""
    out: dict[str, NDArray[np.float64]] = {}
    for pid, p in params.parameters.items():
        arr = np.array([p.value])
        arr.setflags(write=False)
        out[pid] = arr
    return ParameterDraws(values=FrozenMap(out))
