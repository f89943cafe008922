"""Weighted median model: the position of the capability x salience median actor.

Black's (1948) median-voter result extended with weights, as tested for EU decision
making by Achen (2006): with single-peaked preferences on one dimension, the position
that no weighted majority can beat is the weighted median of the actors' positions,
weights being capability times salience.

References:
    Black, D. (1948). On the rationale of group decision-making. *Journal of Political
    Economy* 56(1), 23-34.
    Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson et
    al. (eds.), *The European Union Decides*, pp. 264-298. Cambridge University Press.

Deviations:
    - When the cumulative weight reaches exactly one half at a position, the midpoint of
      that position and the next weighted position is returned (the usual convention
      for an even median); the papers leave ties unspecified.
    - Actors without a stance on an issue carry zero weight on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from zopa.models.base import Forecast, register
from zopa.models.weighted import weighted_median

if TYPE_CHECKING:
    import numpy as np

    from zopa.arrays import ScenarioArrays


@register
@dataclass(frozen=True, kw_only=True)
class MedianModel:
    """Capability x salience weighted median (Black 1948; Achen 2006)."""

    name: ClassVar[str] = "median"
    citation: ClassVar[str] = "Black (1948), JPE 56(1); Achen (2006), in The European Union Decides"

    def forecast(
        self,
        view: ScenarioArrays,
        *,
        rng: np.random.Generator | None = None,
        trace: bool = True,
    ) -> Forecast:
        """Weighted median of positions per issue, for every draw."""
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=weighted_median(view.position, view.weight),
        )
