"""Uncertainty: Monte Carlo draws of a scenario's inputs within the analyst's ranges."""

from zopa.uncertainty.sampling import sample_positions

__all__ = ["sample_positions"]
