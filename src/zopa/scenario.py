"""The core data of a negotiation: actors, issues, stances, and their array view.

This module does no I/O. Scenarios are built by the boundary layer (:mod:`zopa.io`) after
validation, so code past the boundary may assume every invariant documented here holds.

The array view (:class:`ScenarioArrays`) is what every numeric model consumes. It carries a
leading batch axis ``D`` for Monte Carlo draws; ``D == 1`` for a point estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np

from zopa.frozen import FrozenMap, freeze

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from numpy.typing import NDArray


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
        return ScenarioArrays.from_scenario(self)


def _readonly(a: NDArray[np.float64] | NDArray[np.bool_]) -> NDArray[np.float64]:
    a.setflags(write=False)
    return a  # type: ignore[return-value]


@dataclass(frozen=True, eq=False)
class ScenarioArrays:
    """The numeric view of a scenario that models compute on.

    Shapes use ``D`` draws, ``A`` actors and ``I`` issues. Where an actor holds no stance
    on an issue, ``has_stance`` is False, ``salience`` is 0 and ``position`` holds the
    issue's scale midpoint (so weighted sums stay finite and the actor has no weight).

    Attributes:
        actor_ids: Actor ids, length A.
        issue_ids: Issue ids, length I.
        position: (D, A, I) positions on each issue's scale.
        salience: (D, A, I) saliences in 0..1.
        capability: (D, A) capabilities, >= 0.
        status_quo: (I,) no-agreement points, NaN where none is given.
        red_line: (A, I) worst acceptable values, NaN where none.
        has_stance: (A, I) whether the actor holds a stance on the issue.
        scale_min: (I,) lower end of each issue's scale.
        scale_max: (I,) upper end of each issue's scale.
        veto: (A,) whether each actor is a veto player.
        position_low: (A, I) low end of the analyst's range on each position.
        position_high: (A, I) high end of that range (equal to position when no range).
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    position: NDArray[np.float64]
    salience: NDArray[np.float64]
    capability: NDArray[np.float64]
    status_quo: NDArray[np.float64]
    red_line: NDArray[np.float64]
    has_stance: NDArray[np.bool_]
    scale_min: NDArray[np.float64]
    scale_max: NDArray[np.float64]
    veto: NDArray[np.bool_]
    position_low: NDArray[np.float64]
    position_high: NDArray[np.float64]

    def __post_init__(self) -> None:
        d, a, i = self.position.shape
        expect = {
            "salience": (self.salience.shape, (d, a, i)),
            "capability": (self.capability.shape, (d, a)),
            "status_quo": (self.status_quo.shape, (i,)),
            "red_line": (self.red_line.shape, (a, i)),
            "has_stance": (self.has_stance.shape, (a, i)),
            "scale_min": (self.scale_min.shape, (i,)),
            "scale_max": (self.scale_max.shape, (i,)),
            "veto": (self.veto.shape, (a,)),
            "position_low": (self.position_low.shape, (a, i)),
            "position_high": (self.position_high.shape, (a, i)),
        }
        for name, (got, want) in expect.items():
            if got != want:
                raise ValueError(f"{name} has shape {got}, expected {want}")
        if len(self.actor_ids) != a or len(self.issue_ids) != i:
            raise ValueError("actor_ids/issue_ids do not match the array shapes")

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled view; its arrays come back writeable, so lock them again."""
        for value in state.values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
        self.__dict__.update(state)

    @property
    def n_draws(self) -> int:
        """D, the size of the batch axis."""
        return int(self.position.shape[0])

    @property
    def n_actors(self) -> int:
        """A, the number of actors."""
        return int(self.position.shape[1])

    @property
    def n_issues(self) -> int:
        """I, the number of issues."""
        return int(self.position.shape[2])

    @property
    def weight(self) -> NDArray[np.float64]:
        """(D, A, I) capability x salience, zero where an actor holds no stance."""
        return self.capability[:, :, None] * self.salience

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ScenarioArrays:
        """Build the point-estimate view (D = 1) of a validated scenario."""
        a_index = {a: k for k, a in enumerate(scenario.actor_ids)}
        i_index = {i: k for k, i in enumerate(scenario.issue_ids)}
        n_a, n_i = len(a_index), len(i_index)
        smin = np.array([i.scale.min for i in scenario.issues], dtype=float)
        smax = np.array([i.scale.max for i in scenario.issues], dtype=float)
        position = np.broadcast_to((smin + smax) / 2, (n_a, n_i)).copy()
        salience = np.zeros((n_a, n_i))
        red_line = np.full((n_a, n_i), np.nan)
        has = np.zeros((n_a, n_i), dtype=bool)
        for s in scenario.stances:
            a, i = a_index[s.actor], i_index[s.issue]
            position[a, i] = s.position
            salience[a, i] = s.salience
            has[a, i] = True
            if s.red_line is not None:
                red_line[a, i] = s.red_line
        low = position.copy()
        high = position.copy()
        for s in scenario.stances:
            if s.range is not None:
                a, i = a_index[s.actor], i_index[s.issue]
                low[a, i], high[a, i] = s.range
        sq = np.array(
            [np.nan if i.status_quo is None else i.status_quo for i in scenario.issues],
            dtype=float,
        )
        return cls(
            actor_ids=scenario.actor_ids,
            issue_ids=scenario.issue_ids,
            position=_readonly(position[None]),
            salience=_readonly(salience[None]),
            capability=_readonly(np.array([[a.capability for a in scenario.actors]], dtype=float)),
            status_quo=_readonly(sq),
            red_line=_readonly(red_line),
            has_stance=_readonly(has),  # type: ignore[arg-type]
            scale_min=_readonly(smin),
            scale_max=_readonly(smax),
            veto=_readonly(np.array([a.veto for a in scenario.actors], dtype=bool)),  # type: ignore[arg-type]
            position_low=_readonly(low),
            position_high=_readonly(high),
        )

    def with_draws(
        self,
        *,
        position: NDArray[np.float64] | None = None,
        salience: NDArray[np.float64] | None = None,
        capability: NDArray[np.float64] | None = None,
    ) -> ScenarioArrays:
        """A copy with new batched arrays (any not given are broadcast to the new D)."""
        new = {"position": position, "salience": salience, "capability": capability}
        d = max((v.shape[0] for v in new.values() if v is not None), default=self.n_draws)

        def batch(
            value: NDArray[np.float64] | None, current: NDArray[np.float64]
        ) -> NDArray[np.float64]:
            arr = current if value is None else np.asarray(value, dtype=float)
            if arr.shape[0] not in (1, d):
                raise ValueError(f"batch size {arr.shape[0]} does not match {d}")
            return _readonly(np.broadcast_to(arr, (d, *arr.shape[1:])).copy())

        return replace(
            self,
            position=batch(position, self.position),
            salience=batch(salience, self.salience),
            capability=batch(capability, self.capability),
        )

    def take_actors(self, index: Sequence[int] | NDArray[np.intp]) -> ScenarioArrays:
        """The view restricted to (or reordered by) the given actor indices."""
        idx = np.asarray(index, dtype=np.intp)
        return replace(
            self,
            actor_ids=tuple(self.actor_ids[k] for k in idx),
            position=_readonly(self.position[:, idx]),
            salience=_readonly(self.salience[:, idx]),
            capability=_readonly(self.capability[:, idx]),
            red_line=_readonly(self.red_line[idx]),
            has_stance=_readonly(self.has_stance[idx]),  # type: ignore[arg-type]
            veto=_readonly(self.veto[idx]),  # type: ignore[arg-type]
            position_low=_readonly(self.position_low[idx]),
            position_high=_readonly(self.position_high[idx]),
        )

    def draw(self, d: int) -> ScenarioArrays:
        """The single draw ``d`` as a view with D = 1."""
        return replace(
            self,
            position=self.position[d : d + 1],
            salience=self.salience[d : d + 1],
            capability=self.capability[d : d + 1],
        )
