"""Shared vectorised arithmetic for the weighted mean and weighted median."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray


def weighted_mean(values: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weighted mean over axis -2 (actors) of (D, A, I) arrays; NaN where all weights are 0."""
    total = weights.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = (weights * values).sum(axis=-2) / total
    return np.where(total > 0, out, np.nan)


def weighted_median(
    values: NDArray[np.float64], weights: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Weighted median over axis -2 (actors) of (D, A, I) arrays.

    The median is the smallest value ``v`` at which the weight at or below ``v`` reaches
    half the total. When it lands exactly on a half (an even split), the midpoint between
    that value and the next is returned, as for the ordinary median. NaN where all
    weights are 0.
    """
    order = np.argsort(values, axis=-2, kind="stable")
    v = np.take_along_axis(values, order, axis=-2)
    w = np.take_along_axis(weights, order, axis=-2)
    cum = np.cumsum(w, axis=-2)
    total = cum[..., -1:, :]
    half = total / 2
    # tolerance for the exact-half test, relative to the total weight
    tol = 1e-12 * np.maximum(total, 1.0)
    k = np.argmax(cum >= half - tol, axis=-2)[..., None, :]
    v_k = np.take_along_axis(v, k, axis=-2)[..., 0, :]
    exact_half = np.abs(np.take_along_axis(cum, k, axis=-2) - half)[..., 0, :] <= tol[..., 0, :]
    # next value carrying positive weight above k
    n = v.shape[-2]
    idx = np.arange(n).reshape((1,) * (v.ndim - 2) + (n, 1))
    above = (idx > k) & (w > 0)
    has_above = above.any(axis=-2)
    k_next = np.argmax(above, axis=-2)[..., None, :]
    v_next = np.take_along_axis(v, k_next, axis=-2)[..., 0, :]
    out = np.where(exact_half & has_above, (v_k + v_next) / 2, v_k)
    return np.where(total[..., 0, :] > 0, out, np.nan)
