"""What the deal-space analysis finds: the zone, the relaxations that open it, solutions.

Kept apart from :mod:`zopa.agreements.analysis` so that the computation paths
(:mod:`~zopa.agreements.enumeration`, :mod:`~zopa.agreements.milp`) build their
:class:`ZopaSummary` without importing the analysis that drives them: imports point one
way, from the analysis to the paths to these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy as np
    from numpy.typing import NDArray


def rounded(mapping: Mapping[str, float]) -> dict[str, float]:
    """Utilities rounded for output (they carry ~1e-12 of quantisation)."""
    return {k: round(v, 9) for k, v in mapping.items()}


@dataclass(frozen=True, eq=False)
class ZopaSummary:
    """The zone of possible agreement.

    Attributes:
        size: Number of feasible packages (an estimate when ``size_exact`` is False).
        size_exact: Whether ``size`` is a count.
        size_interval: 95% interval of the estimate (equal to ``(size, size)`` when exact).
        ranges: Per issue, the lowest and highest value in a feasible package (``None``
            when the zone is empty).
        frontier_size: Packages on the zone's Pareto frontier for the parties (``None``
            when not listed).
        frontier: (F, I) level indices of the frontier packages, when listed.
    """

    size: float
    size_exact: bool
    size_interval: tuple[float, float]
    ranges: dict[str, tuple[float, float] | None]
    frontier_size: int | None = None
    frontier: NDArray[np.intp] | None = None

    @property
    def empty(self) -> bool:
        """Whether no package satisfies every party."""
        return all(r is None for r in self.ranges.values())

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): the zone's size, interval, ranges and frontier size."""
        return {
            "empty": self.empty,
            "size": int(self.size) if self.size_exact else self.size,
            "size_exact": self.size_exact,
            "size_interval": list(self.size_interval),
            "ranges": {k: None if v is None else list(v) for k, v in self.ranges.items()},
            "frontier_size": self.frontier_size,
        }


@dataclass(frozen=True, slots=True)
class Move:
    """One constraint moved by a relaxation."""

    actor: str
    kind: str
    issue: str | None
    old: float
    new: float

    @property
    def by(self) -> float:
        """Size of the move (scale units for a red line, utility for a no-deal value)."""
        return abs(self.new - self.old)


@dataclass(frozen=True, slots=True)
class Relaxation:
    """A smallest change of constraints that opens the zone.

    Attributes:
        scope: ``"any"`` when every party may move, else the only party that moves.
        moves: The red lines and no-deal values that move, and how far.
        cost: Total move: red lines in scale widths plus no-deal shortfalls in utility.
        package: The package the relaxation makes feasible.
    """

    scope: str
    moves: tuple[Move, ...]
    cost: float
    package: dict[str, float]


@dataclass(frozen=True)
class Solution:
    """A bargaining solution and what every actor gets from it.

    Attributes:
        concept: ``nash``, ``kalai_smorodinsky``, ``maximin`` or ``utilitarian``.
        package: Issue values, or ``None`` when the concept has no answer.
        utilities: Every actor's utility for the package.
        gains: Every actor's gain over no agreement.
        reason: Why there is no package.
    """

    concept: str
    package: dict[str, float] | None
    utilities: dict[str, float] = field(default_factory=dict)
    gains: dict[str, float] = field(default_factory=dict)
    reason: str | None = None
    levels: tuple[int, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): the package, rounded utilities and gains, the reason."""
        return {
            "package": self.package,
            "utilities": rounded(self.utilities),
            "gains": rounded(self.gains),
            "reason": self.reason,
        }
