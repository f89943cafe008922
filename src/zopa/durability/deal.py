"""A concrete deal: the values it gives the issues it settles, and its mechanisms.

These frozen types are what the boundary layer (:mod:`zopa.io.deal_file`) builds from a
deal file after validation; past the boundary every invariant below may be assumed.

Mechanisms follow Fortna (2003) "Scraps of Paper?", *International Organization* 57(2),
which codes ceasefire agreements by the measures they contain (demilitarised zones,
third-party guarantees, peacekeeping/monitoring, joint commissions, specificity), plus the
measures the flagship case's plans argue about (force caps, arms supply, sanctions
snapback, sequencing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from zopa.frozen import FrozenMap, freeze
from zopa.scenario import Source


class Settlement(StrEnum):
    """How far a deal settles an issue.

    ``final``: the deal fixes the issue's outcome. ``interim``: a value applies while the
    ceasefire holds but the final status is left to later talks (e.g. a freeze on the
    line of contact without recognition). ``deferred``: the deal leaves the issue open.
    """

    FINAL = "final"
    INTERIM = "interim"
    DEFERRED = "deferred"


@dataclass(frozen=True, slots=True)
class Provision:
    """The cited text behind a term or a mechanism.

    Attributes:
        text: What the document says, paraphrased.
        sources: Ids of the deal's sources that report it (at least one).
        confidence: The analyst's confidence in the reading (low / medium / high).
    """

    text: str
    sources: tuple[str, ...]
    confidence: str | None = None


@dataclass(frozen=True, slots=True)
class DealTerm:
    """The value a deal gives one issue.

    Attributes:
        issue: Issue id in the deal's scenario.
        value: The value on the issue's scale (``None`` when deferred).
        settlement: Whether the value is final, interim, or the issue is deferred.
        provision: The cited text.
    """

    issue: str
    value: float | None
    settlement: Settlement
    provision: Provision


@dataclass(frozen=True, slots=True)
class ForceCaps:
    """Caps on armed forces that a deal sets.

    Attributes:
        defender_personnel: Cap on the defender's personnel, ``None`` for no cap.
        attacker_personnel: Cap on the attacker's personnel, ``None`` for no cap.
        weapons_limits: Whether the deal also limits the defender's weapons.
    """

    defender_personnel: int | None = None
    attacker_personnel: int | None = None
    weapons_limits: bool = False


@dataclass(frozen=True, slots=True)
class Mechanisms:
    """The ceasefire mechanisms of a deal (levels as in ``MECHANISM_LEVELS``).

    Attributes:
        monitoring: none / bilateral / international / international_technical.
        monitoring_lead: Who leads the monitoring, where the deal says.
        dmz_width_km: Total width of the demilitarised zone in km, 0 for none, ``None``
            for a zone whose width the deal does not state.
        reassurance_force: none / outside (in neighbouring states) / rear (in the
            defender's territory, far from the line) / interposed (at the line).
        reassurance_contributors: States contributing to the force.
        guarantees: none / political / legally_binding / art5_like.
        guarantors: Guarantor states.
        guarantees_conditional: Whether the guarantee has escape or void clauses.
        force_caps: Caps on forces.
        arms_supply: continued / restricted / halted (the defender's arms supply).
        snapback: Whether sanctions snap back on a violation.
        joint_commission: none / bilateral / third_party.
        sequencing: ceasefire_first / simultaneous / settlement_first.
        specificity: low / medium / high.
        provisions: The cited text of each mechanism, keyed by mechanism name (read-only;
            any mapping given is copied into a :class:`~zopa.frozen.FrozenMap`).
    """

    monitoring: str = "none"
    monitoring_lead: str | None = None
    dmz_width_km: float | None = 0.0
    reassurance_force: str = "none"
    reassurance_contributors: tuple[str, ...] = ()
    guarantees: str = "none"
    guarantors: tuple[str, ...] = ()
    guarantees_conditional: bool = False
    force_caps: ForceCaps = field(default_factory=ForceCaps)
    arms_supply: str = "continued"
    snapback: bool = False
    joint_commission: str = "none"
    sequencing: str = "ceasefire_first"
    specificity: str = "low"
    provisions: Mapping[str, Provision] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        object.__setattr__(self, "provisions", freeze(self.provisions))


@dataclass(frozen=True, slots=True)
class Deal:
    """A concrete proposal: issue values, mechanisms, and the sources behind them.

    Attributes:
        id: Short identifier.
        title: Human-readable name.
        scenario: Path of the scenario file the deal refers to, as written in the file.
        terms: One term per issue the deal addresses.
        mechanisms: Its ceasefire mechanisms.
        sources: The documents cited.
        date: When the proposal was made.
        proposer: Who made it.
        description: Free text.
    """

    id: str
    title: str
    scenario: str
    terms: tuple[DealTerm, ...]
    mechanisms: Mechanisms
    sources: tuple[Source, ...] = ()
    date: dt.date | None = None
    proposer: str | None = None
    description: str | None = None

    def term(self, issue_id: str) -> DealTerm | None:
        """The term for an issue, or ``None`` when the deal is silent on it."""
        for t in self.terms:
            if t.issue == issue_id:
                return t
        return None

    def settled_value(self, issue_id: str) -> float | None:
        """The value the deal gives an issue (final or interim), else ``None``."""
        t = self.term(issue_id)
        if t is None or t.settlement is Settlement.DEFERRED:
            return None
        return t.value
