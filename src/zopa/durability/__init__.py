"""After the agreement: ceasefire durability, post-ceasefire deterrence, and endings.

Terms become mechanisms, mechanisms become hazard ratios, and the deterrence balance
between the attacker's regeneration and the defender's build-up moves the hazard year by
year. Every parameter is data with its source (``parameters.yaml``); see
docs/durability.md for the model, its sources and its limits.
"""

from zopa.durability.deal import Deal, DealTerm, ForceCaps, Mechanisms, Provision, Settlement
from zopa.durability.deterrence import DeterrenceTrajectory, simulate_deterrence
from zopa.durability.parameters import (
    DurabilityParameters,
    EndingThresholds,
    Parameter,
    ParameterStatus,
    sample_parameters,
)
from zopa.durability.simulate import DurabilityResult, Interval, analyse_durability

__all__ = [
    "Deal",
    "DealTerm",
    "DeterrenceTrajectory",
    "DurabilityParameters",
    "DurabilityResult",
    "EndingThresholds",
    "ForceCaps",
    "Interval",
    "Mechanisms",
    "Parameter",
    "ParameterStatus",
    "Provision",
    "Settlement",
    "analyse_durability",
    "sample_parameters",
    "simulate_deterrence",
]
