"""Uncertainty: Monte Carlo draws of a scenario's inputs and summaries of the results."""

from zopa.uncertainty.flags import outside_own_range
from zopa.uncertainty.outcomes import DrawOutcomes
from zopa.uncertainty.sampling import sample_positions
from zopa.uncertainty.summary import INTERVAL_LEVELS, forecast_intervals, outcome_intervals

__all__ = [
    "INTERVAL_LEVELS",
    "DrawOutcomes",
    "forecast_intervals",
    "outcome_intervals",
    "outside_own_range",
    "sample_positions",
]
