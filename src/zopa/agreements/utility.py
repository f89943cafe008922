"""The one definition of an actor's utility for a package of issue outcomes.

Utility of actor ``a`` for a package ``x`` (one value per issue) is the salience-weighted
closeness of ``x`` to ``a``'s positions, normalised to 0..1:

    u_a(x) = sum_i s_ai * (1 - loss(|x_i - p_ai| / w_i)) / sum_i s_ai

where ``w_i`` is the width of issue ``i``'s scale and ``loss`` is ``d`` (linear) or ``d**2``
(quadratic). An actor with no stance on an issue has salience 0 there, so the issue does
not enter its utility. An actor with no salience anywhere has utility 0 for every package
(nothing is at stake for it).

The utility is additive over issues, so it is computed as a sum of per-issue *terms*
``s_ai / S_a * (1 - loss(...))``. Each term is rounded to a multiple of 2**-40 (about
1e-12), which makes every sum of terms exact in floating point: utilities, gains and ties
are then the same whichever path or order computed them, and Pareto dominance is decided
exactly. The rounding changes no utility by more than 1e-12 per issue.

The no-agreement point is the issue's status quo. Where an issue has no status quo, no
agreement leaves it unsettled and every actor gains nothing on it: its term in the
status-quo utility is 0. This makes settling such an issue worth something to everyone
who cares about it, which is the plain reading of "there is no status quo to fall back on".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from zopa.arrays import ScenarioArrays

Loss = Literal["linear", "quadratic"]
LOSSES: tuple[Loss, ...] = ("linear", "quadratic")
#: Terms are multiples of 1 / QUANTUM, so sums of up to 2**13 terms are exact.
QUANTUM = float(2**40)


def _check_loss(loss: str) -> None:
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; expected one of {', '.join(LOSSES)}")


def issue_terms(
    values: ArrayLike,
    position: ArrayLike,
    salience: ArrayLike,
    scale_min: ArrayLike,
    scale_max: ArrayLike,
    *,
    loss: Loss = "linear",
) -> NDArray[np.float64]:
    """Per-issue utility terms ``s_ai / S_a * (1 - loss(|x_i - p_ai| / w_i))``.

    Args:
        values: Issue values, shape (..., I), broadcast against ``position``.
        position: Positions, shape (..., A, I) (e.g. (D, A, I) or (A, I)).
        salience: Saliences, same shape as ``position``.
        scale_min: (I,) lower ends of the scales.
        scale_max: (I,) upper ends of the scales.
        loss: ``"linear"`` or ``"quadratic"``.

    Returns:
        The terms, shape ``broadcast(values, position)``. NaN values give a 0 term (an
        unsettled issue is worth nothing). Summing over the last axis in issue order gives
        the utility.
    """
    _check_loss(loss)
    x = np.asarray(values, dtype=float)
    p = np.asarray(position, dtype=float)
    s = np.asarray(salience, dtype=float)
    width = np.asarray(scale_max, dtype=float) - np.asarray(scale_min, dtype=float)
    total = s.sum(axis=-1, keepdims=True)
    share = np.divide(s, total, out=np.zeros_like(s), where=total > 0)
    dist = np.abs(x - p) / width
    close = 1.0 - (dist if loss == "linear" else dist * dist)
    terms = np.round(share * close * QUANTUM) / QUANTUM
    return np.where(np.isnan(terms), 0.0, terms)


def sum_terms(terms: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sum utility terms over the last (issue) axis strictly in issue order."""
    out = np.zeros(terms.shape[:-1])
    for i in range(terms.shape[-1]):
        out = out + terms[..., i]
    return out


def package_utility(
    packages: ArrayLike,
    position: ArrayLike,
    salience: ArrayLike,
    scale_min: ArrayLike,
    scale_max: ArrayLike,
    *,
    loss: Loss = "linear",
) -> NDArray[np.float64]:
    """Every actor's utility for every package, vectorised.

    Args:
        packages: (N, I) or (D, N, I) issue values, one package per row.
        position: (D, A, I) or (A, I) positions.
        salience: Same shape as ``position``.
        scale_min: (I,) lower ends of the scales.
        scale_max: (I,) upper ends of the scales.
        loss: ``"linear"`` or ``"quadratic"``.

    Returns:
        (D, N, A) utilities in 0..1 (D = 1 when neither input has a batch axis).
    """
    x = np.asarray(packages, dtype=float)
    p = np.asarray(position, dtype=float)
    s = np.asarray(salience, dtype=float)
    if p.ndim == 2:
        p, s = p[None], s[None]
    if x.ndim == 2:
        x = x[None]
    # (D, N, 1, I) against (D, 1, A, I)
    terms = issue_terms(x[:, :, None, :], p[:, None], s[:, None], scale_min, scale_max, loss=loss)
    return sum_terms(terms)


def utility(
    view: ScenarioArrays, packages: ArrayLike, *, loss: Loss = "linear"
) -> NDArray[np.float64]:
    """Utilities of a scenario's actors for packages: (D, N, A) from (N, I) or (D, N, I)."""
    return package_utility(
        packages, view.position, view.salience, view.scale_min, view.scale_max, loss=loss
    )


def status_quo_utility(view: ScenarioArrays, *, loss: Loss = "linear") -> NDArray[np.float64]:
    """(D, A) each actor's utility of no agreement (issues without a status quo count 0)."""
    return utility(view, view.status_quo[None, :], loss=loss)[:, 0, :]
