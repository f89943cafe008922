"""Uncertainty: Monte Carlo draws of a scenario's inputs and summaries of the results."""

from zopa.uncertainty.sampling import sample_positions
from zopa.uncertainty.summary import INTERVAL_LEVELS, forecast_intervals

__all__ = ["INTERVAL_LEVELS", "forecast_intervals", "sample_positions"]
