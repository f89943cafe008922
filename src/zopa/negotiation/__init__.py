"""Simulated talks: protocols, negotiating agents, transcripts (pure analysis, no I/O).

Agents and protocols are registered by name (:data:`AGENTS`, :data:`PROTOCOLS`, built
like the forecasting models' registry); importing this package registers the built-in
ones. Start from :func:`make_table` (who is at the table, under which rules, over the
deal space) and :func:`negotiate`.
"""

from zopa.negotiation import agents as _agents  # noqa: F401  (package of agent modules)
from zopa.negotiation import protocols as _protocols  # noqa: F401
from zopa.negotiation.agents import book as _book  # noqa: F401
from zopa.negotiation.agents import firm, time_based, tit_for_tat, zeuthen  # noqa: F401  (registers)
from zopa.negotiation.interface import (
    NO_PACKAGE,
    Actions,
    Agent,
    Brief,
    Ending,
    Move,
    NegotiationProtocol,
    Negotiator,
    Outcome,
    Turn,
)
from zopa.negotiation.protocols import alternating, concession, mediator, stacked  # noqa: F401
from zopa.negotiation.registries import AGENTS, PROTOCOLS
from zopa.negotiation.registry import Registry, RegistryError
from zopa.negotiation.run import Settlement, briefs, negotiate, settle
from zopa.negotiation.table import Table, make_table
from zopa.negotiation.transcript import (
    MEDIATOR,
    ScriptedNegotiator,
    Step,
    Transcript,
    replay,
    transcript_from_records,
)

__all__ = [
    "AGENTS",
    "MEDIATOR",
    "NO_PACKAGE",
    "PROTOCOLS",
    "Actions",
    "Agent",
    "Brief",
    "Ending",
    "Move",
    "NegotiationProtocol",
    "Negotiator",
    "Outcome",
    "Registry",
    "RegistryError",
    "ScriptedNegotiator",
    "Settlement",
    "Step",
    "Table",
    "Transcript",
    "Turn",
    "briefs",
    "make_table",
    "negotiate",
    "replay",
    "settle",
    "transcript_from_records",
]
