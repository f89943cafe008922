"""The array view of a scenario: what every numeric model computes on, with a batch axis.

Shapes use ``D`` draws, ``A`` actors and ``I`` issues; ``D == 1`` for a point estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from zopa.scenario import Scenario


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
