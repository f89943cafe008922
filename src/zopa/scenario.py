"""The core data of a negotiation: actors, issues, stances, and their array view.

This module does no I/O. Scenarios are built by the boundary layer (:mod:`zopa.io`) after
validation, so code past the boundary may assume every invariant documented here holds.

The array view (:class:`~zopa.arrays.ScenarioArrays`, in its own module so that reading
and checking a scenario does not load numpy) is what every numeric model consumes. It
carries a leading batch axis ``D`` for Monte Carlo draws; ``D == 1`` for a point estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from zopa.frozen import FrozenMap, freeze

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from zopa.arrays import ScenarioArrays


class Confidence(StrEnum):
    """The analyst's confidence in a stance, as the fact sheets grade sources."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Source:
    """A cited document that numbers in the scenario rest on."""

    id: str
    title: str
    url: str | None = None
    date: dt.date | None = None
    publisher: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """A party to the negotiation.

    Attributes:
        id: Short unique identifier used in stances and outputs.
        name: Human-readable name.
        capability: Relative power or influence, >= 0.
        veto: Whether no agreement can be reached without this actor.
        groups: Labels for groupings (e.g. ``"EU"``, ``"E3"``).
        notes: Free text.
    """

    id: str
    name: str
    capability: float
    veto: bool = False
    groups: tuple[str, ...] = ()
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Scale:
    """The closed interval an issue's values live on."""

    min: float = 0.0
    max: float = 100.0

    @property
    def width(self) -> float:
        """Length of the interval."""
        return self.max - self.min

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies on the scale (inclusive)."""
        return self.min <= value <= self.max


@dataclass(frozen=True, slots=True)
class Issue:
    """One dimension of the negotiation.

    Attributes:
        id: Short unique identifier.
        name: Human-readable name.
        scale: The interval of possible outcomes.
        anchors: Descriptions of points on the scale, keyed by value (read-only; any
            mapping given is copied into a :class:`~zopa.frozen.FrozenMap`).
        status_quo: The no-agreement point, or ``None`` when not given.
        outcome: The observed outcome where known (for backtests).
        description: Free text.
    """

    id: str
    name: str
    scale: Scale = field(default_factory=Scale)
    anchors: Mapping[float, str] = field(default_factory=FrozenMap)
    status_quo: float | None = None
    outcome: float | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "anchors", freeze(self.anchors))


@dataclass(frozen=True, slots=True)
class Stance:
    """An actor's stance on an issue.

    Attributes:
        actor: Actor id.
        issue: Issue id.
        position: The actor's preferred value on the issue's scale.
        salience: How much the issue matters to the actor, 0..1.
        red_line: The worst value the actor accepts, on the far side from ``position``.
        range: The analyst's uncertainty on the position, ``(low, high)``.
        sources: Ids of the sources the stance rests on.
        confidence: The analyst's confidence in the stance.
        notes: Free text.
    """

    actor: str
    issue: str
    position: float
    salience: float
    red_line: float | None = None
    range: tuple[float, float] | None = None
    sources: tuple[str, ...] = ()
    confidence: Confidence | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole negotiation: who, about what, wanting what, on whose word.

    Instances are immutable; use :func:`dataclasses.replace` or :meth:`subset` to derive
    new ones.
    """

    title: str
    actors: tuple[Actor, ...]
    issues: tuple[Issue, ...]
    stances: tuple[Stance, ...]
    sources: tuple[Source, ...] = ()
    as_of: dt.date | None = None
    description: str | None = None

    @property
    def actor_ids(self) -> tuple[str, ...]:
        """Actor ids in scenario order."""
        return tuple(a.id for a in self.actors)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        """Issue ids in scenario order."""
        return tuple(i.id for i in self.issues)

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id (``KeyError`` if absent)."""
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(actor_id)

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id (``KeyError`` if absent)."""
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def stance(self, actor_id: str, issue_id: str) -> Stance | None:
        """The stance of an actor on an issue, or ``None``."""
        for s in self.stances:
            if s.actor == actor_id and s.issue == issue_id:
                return s
        return None

    def subset(
        self, actor_ids: Iterable[str] | None = None, issue_ids: Iterable[str] | None = None
    ) -> Scenario:
        """The same scenario restricted to some actors and/or issues (order kept)."""
        keep_a = set(self.actor_ids if actor_ids is None else actor_ids)
        keep_i = set(self.issue_ids if issue_ids is None else issue_ids)
        unknown = (keep_a - set(self.actor_ids)) | (keep_i - set(self.issue_ids))
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        return replace(
            self,
            actors=tuple(a for a in self.actors if a.id in keep_a),
            issues=tuple(i for i in self.issues if i.id in keep_i),
            stances=tuple(s for s in self.stances if s.actor in keep_a and s.issue in keep_i),
        )

    def arrays(self) -> ScenarioArrays:
        """The array view with a batch axis of one (a point estimate)."""
        from zopa.arrays import ScenarioArrays

        return ScenarioArrays.from_scenario(self)


def __getattr__(name: str) -> Any:
    """``ScenarioArrays`` is importable from here too (it lives in :mod:`zopa.arrays`)."""
    if name == "ScenarioArrays":
        from zopa.arrays import ScenarioArrays

        return ScenarioArrays
    raise AttributeError(f"module 'zopa.scenario' has no attribute {name!r}")
