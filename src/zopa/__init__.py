"""zopa: analyse hard multi-party negotiations.

Where will a negotiation land, which deals are possible, what to put on the agenda, who
should be at the table, and whether an agreement will hold.
"""

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

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Confidence",
    "Issue",
    "Scale",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Stance",
    "__version__",
]
