"""Draw positions within the analyst's ranges, as a batch for vectorised models.

A stance's ``range: [low, high]`` says where the analyst believes the position may lie.
We draw from the triangular distribution on [low, high] with its mode at the stated
position: the stated value is the most likely, values toward the ends of the range less
so. Stances without a range keep their position in every draw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from zopa.arrays import ScenarioArrays


def sample_positions(view: ScenarioArrays, draws: int, rng: np.random.Generator) -> ScenarioArrays:
    """A view with ``draws`` draws of every position (triangular within its range).

    Args:
        view: A point-estimate view (D = 1).
        draws: Number of draws D.
        rng: The generator to draw from; the caller owns the seed.

    Returns:
        The view with ``position`` of shape (draws, A, I); other inputs unchanged.
    """
    if view.n_draws != 1:
        raise ValueError(f"expected a point-estimate view (D = 1), got D = {view.n_draws}")
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    low, high, mode = view.position_low, view.position_high, view.position[0]
    width = high - low
    u = rng.random((draws, *mode.shape))
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(width > 0, (mode - low) / width, 0.5)
    # inverse CDF of the triangular distribution on [low, high] with mode at c
    left = low + np.sqrt(u * c * width**2)
    right = high - np.sqrt((1 - u) * (1 - c) * width**2)
    position = np.where(u < c, left, right)
    position = np.where(width > 0, position, mode)
    return view.with_draws(position=position)
