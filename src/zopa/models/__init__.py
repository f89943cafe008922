"""Forecasting models: where will a negotiation land on each issue.

Importing this package registers the built-in models. Each model module cites the paper
it implements and lists its deviations.
"""

from zopa.models import compromise, exchange, expected_utility, median  # noqa: F401  (registers)
from zopa.models import nash as _nash  # noqa: F401  (registers the Nash solution)
from zopa.models import spatial as _spatial  # noqa: F401  (registers the SMP)
from zopa.models.base import (
    Forecast,
    ForecastModel,
    available_models,
    make_model,
    model_class,
    model_parameters,
    register,
)

__all__ = [
    "Forecast",
    "ForecastModel",
    "available_models",
    "make_model",
    "model_class",
    "model_parameters",
    "register",
]
