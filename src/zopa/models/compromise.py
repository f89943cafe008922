"""Compromise model: the capability x salience weighted mean of positions.

Implements the "compromise model" of van den Bos (1991) as formalised and tested by
Achen (2006): each issue's outcome is the mean of the actors' positions weighted by
capability times salience,

    outcome_i = sum_a c_a s_ai x_ai / sum_a c_a s_ai.

References:
    van den Bos, J. M. M. (1991). *Dutch EC Policy Making: A Model-Guided Approach to
    Coordination and Negotiation*. Amsterdam: Thela Thesis.
    Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson,
    F. N. Stokman, C. H. Achen & T. König (eds.), *The European Union Decides*,
    pp. 264-298. Cambridge University Press.

Deviations:
    - Actors without a stance on an issue carry zero weight on it (the papers assume
      every actor has a position on every issue).
    - An issue on which every weight is zero has no forecast (NaN) rather than an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from zopa.models.base import Forecast, register
from zopa.models.weighted import weighted_mean

if TYPE_CHECKING:
    import numpy as np

    from zopa.arrays import ScenarioArrays


@register
@dataclass(frozen=True, kw_only=True)
class CompromiseModel:
    """Capability x salience weighted mean (van den Bos 1991; Achen 2006)."""

    name: ClassVar[str] = "compromise"
    citation: ClassVar[str] = "van den Bos (1991); Achen (2006), in The European Union Decides, CUP"

    def forecast(
        self,
        view: ScenarioArrays,
        *,
        rng: np.random.Generator | None = None,
        trace: bool = True,
    ) -> Forecast:
        """Weighted mean of positions per issue, for every draw."""
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=weighted_mean(view.position, view.weight),
        )
