"""Advice for one party: which of its own moves, and whom to work on, improve its outcome.

A pure analysis package (no I/O). Start with :func:`advise_party`.
"""

from zopa.advice.advise import RANKINGS, Advice, LeverEffect, advise_party, caveat, rank
from zopa.advice.deal_effect import Deal, lever_deals, space_deal, with_lever
from zopa.advice.forecast_effect import ForecastEffects, forecast_effects, lever_batch
from zopa.advice.levers import (
    KINDS,
    POSITION_STEP,
    SALIENCE_STEP,
    Lever,
    candidate_levers,
    stance_levers,
)

__all__ = [
    "KINDS",
    "POSITION_STEP",
    "RANKINGS",
    "SALIENCE_STEP",
    "Advice",
    "Deal",
    "ForecastEffects",
    "Lever",
    "LeverEffect",
    "advise_party",
    "candidate_levers",
    "caveat",
    "forecast_effects",
    "lever_batch",
    "lever_deals",
    "rank",
    "space_deal",
    "stance_levers",
    "with_lever",
]
