"""zopa: analyse hard multi-party negotiations.

Where will a negotiation land, which deals are possible, what to put on the agenda, who
should be at the table, and whether an agreement will hold.

The names below load on first use, so that ``import zopa`` (and the command line's
start) stays quick: the data types from :mod:`zopa.scenario`; the analyses are the
functions of :mod:`zopa.service` (``from zopa import service``; ``service.forecast``,
``service.deals``, ... — they are not repeated here, since ``zopa.durability``,
``zopa.backtest`` and ``zopa.report`` are the packages that compute and render them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zopa import service
    from zopa.arrays import ScenarioArrays
    from zopa.scenario import (
        Actor,
        Confidence,
        Issue,
        Scale,
        Scenario,
        Source,
        Stance,
    )
    from zopa.service import AnalysisFailed, BadInput, load_scenario

__version__ = "0.1.0"

_HOMES = {
    **dict.fromkeys(
        ("Actor", "Confidence", "Issue", "Scale", "Scenario", "Source", "Stance"),
        "zopa.scenario",
    ),
    "ScenarioArrays": "zopa.arrays",
    **dict.fromkeys(("AnalysisFailed", "BadInput", "load_scenario"), "zopa.service"),
}

__all__ = [
    "Actor",
    "AnalysisFailed",
    "BadInput",
    "Confidence",
    "Issue",
    "Scale",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Stance",
    "__version__",
    "load_scenario",
    "service",
]


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use."""
    if name == "service":
        return importlib.import_module("zopa.service")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'zopa' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
