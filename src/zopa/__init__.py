"""zopa: analyse hard multi-party negotiations.

Where will a negotiation land, which deals are possible, what to put on the agenda, who
should be at the table, and whether an agreement will hold.

The names below load on first use, so that ``import zopa`` (and the command line's
start) stays quick: the data types from :mod:`zopa.scenario`, the analyses from
:mod:`zopa.service`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zopa.scenario import (
        Actor,
        Confidence,
        Issue,
        Scale,
        Scenario,
        ScenarioArrays,
        Source,
        Stance,
    )
    from zopa.service import (
        AnalysisFailed,
        BadInput,
        Loader,
        backtest,
        compare,
        deals,
        durability,
        forecast,
        load_cases,
        load_deal,
        load_scenario,
        report,
        sensitivity,
        tables,
        validate,
    )

__version__ = "0.1.0"

_HOMES = {
    **dict.fromkeys(
        ("Actor", "Confidence", "Issue", "Scale", "Scenario", "ScenarioArrays", "Source", "Stance"),
        "zopa.scenario",
    ),
    **dict.fromkeys(
        (
            "AnalysisFailed",
            "BadInput",
            "Loader",
            "backtest",
            "compare",
            "deals",
            "durability",
            "forecast",
            "load_cases",
            "load_deal",
            "load_scenario",
            "report",
            "sensitivity",
            "tables",
            "validate",
        ),
        "zopa.service",
    ),
}

__all__ = [
    "Actor",
    "AnalysisFailed",
    "BadInput",
    "Confidence",
    "Issue",
    "Loader",
    "Scale",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Stance",
    "__version__",
    "backtest",
    "compare",
    "deals",
    "durability",
    "forecast",
    "load_cases",
    "load_deal",
    "load_scenario",
    "report",
    "sensitivity",
    "tables",
    "validate",
]


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'zopa' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
