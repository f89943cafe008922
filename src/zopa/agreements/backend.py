"""The two computation paths behind one interface, and the choice between them.

Exact chunked enumeration (:mod:`~zopa.agreements.enumeration`) while the space has at
most :data:`MAX_ENUMERATION` packages, mixed-integer programming with HiGHS
(:mod:`~zopa.agreements.milp`) above that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from zopa.agreements.enumeration import EnumerationBackend
from zopa.agreements.milp import MilpBackend

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    from numpy.typing import NDArray

    from zopa.agreements.constraints import Constraint
    from zopa.agreements.results import ZopaSummary
    from zopa.agreements.space import DealSpace

#: Largest space the exact path enumerates.
MAX_ENUMERATION = 10_000_000
METHODS: tuple[str, ...] = ("auto", "enumeration", "milp")


class Backend(Protocol):
    """What each computation path provides."""

    method: str
    space: DealSpace

    def summary(self) -> ZopaSummary:
        """The zone of possible agreement."""
        ...

    def solutions(self) -> dict[str, tuple[NDArray[np.intp] | None, str | None]]:
        """Each concept's package (level indices), or why there is none."""
        ...

    def is_feasible(self, constraints: Sequence[Constraint], subset: frozenset[int]) -> bool:
        """Whether some package satisfies all constraints of ``subset``."""
        ...

    def relax(self, scope: int | None) -> tuple[NDArray[np.intp], float] | None:
        """The package needing the least relaxation (see the enumeration backend)."""
        ...

    def any_feasible(self) -> bool:
        """Whether the zone is non-empty."""
        ...


def make_backend(space: DealSpace, method: str = "auto") -> Backend:
    """The computation path for a space: exact enumeration or mixed-integer programming."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if method == "auto":
        method = "enumeration" if space.size <= MAX_ENUMERATION else "milp"
    if method == "enumeration":
        if space.size > MAX_ENUMERATION:
            raise ValueError(
                f"the package space has {space.size:.3g} packages, more than the "
                f"{MAX_ENUMERATION:.0e} that exact enumeration visits; use the MILP method"
            )
        return EnumerationBackend(space)
    return MilpBackend(space)
