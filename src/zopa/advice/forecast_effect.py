"""What each lever does to a party's expected outcome under a forecasting model, in one batch.

Every lever becomes one block of rows of the scenario's batch axis: row block 0 is the
scenario as stated, block ``k`` the scenario with lever ``k`` applied (with Monte Carlo
draws of the positions, each block holds the same ``N`` draws, the lever's shift added to
each). The model runs once on the whole batch, and the advised party's utility of each
forecast outcome is measured with its *original* (stated) positions and saliences, through
the deal space's utility function, so the numbers agree with ``zopa deals``.

The expected outcome of a block is the mean utility over its draws (one row without
draws); a lever's *benefit* is its block's expected utility minus block 0's.

Red lines are not part of the batch: the array view holds them without a batch axis and
no forecasting model reads them, so a red line lever leaves every forecast as it is (its
forecast benefit is 0) and acts through the deal space only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from zopa.agreements.utility import Loss, package_utility

if TYPE_CHECKING:
    from collections.abc import Sequence

    from zopa.advice.levers import Lever
    from zopa.arrays import ScenarioArrays
    from zopa.models import ForecastModel


def lever_batch(
    point: ScenarioArrays, levers: Sequence[Lever], draws: ScenarioArrays | None = None
) -> ScenarioArrays:
    """One view holding the stated scenario and every position or salience lever.

    Args:
        point: The scenario's point view (D = 1).
        levers: Position and salience levers (others are rejected).
        draws: Optionally a view of ``N`` draws of the positions (from ``point``).

    Returns:
        A view with ``(1 + L) * N`` rows, lever-major: rows ``k * N .. k * N + N - 1`` are
        lever ``k``'s block (block 0: no lever).
    """
    if any(lv.kind == "red_line" for lv in levers):
        raise ValueError("red line levers do not enter the forecast batch")
    base = point if draws is None else draws
    n, n_levers = base.n_draws, len(levers)
    position = np.broadcast_to(base.position, (n_levers + 1, *base.position.shape)).copy()
    salience = np.broadcast_to(
        point.salience[0], (n_levers + 1, n, point.n_actors, point.n_issues)
    ).copy()
    a_of = {actor: k for k, actor in enumerate(point.actor_ids)}
    i_of = {issue: k for k, issue in enumerate(point.issue_ids)}
    rows = np.arange(1, n_levers + 1)
    a_idx = np.array([a_of[lv.actor] for lv in levers], dtype=np.intp)
    i_idx = np.array([i_of[lv.issue] for lv in levers], dtype=np.intp)
    new = np.array([lv.new for lv in levers], dtype=float)
    old = np.array([lv.old for lv in levers], dtype=float)
    moves = np.array([lv.kind == "position" for lv in levers], dtype=bool)
    k, a, i = rows[moves], a_idx[moves], i_idx[moves]
    # (L_p, N) values of the moved position in every draw: the stated value becomes the
    # lever's new value exactly; a drawn value moves by the same shift, kept on the scale
    drawn = position[k, :, a, i]
    shifted = np.clip(
        drawn + (new[moves] - old[moves])[:, None],
        point.scale_min[i][:, None],
        point.scale_max[i][:, None],
    )
    position[k, :, a, i] = np.where(drawn == old[moves][:, None], new[moves][:, None], shifted)
    k, a, i = rows[~moves], a_idx[~moves], i_idx[~moves]
    salience[k, :, a, i] = new[~moves][:, None]
    shape = ((n_levers + 1) * n, point.n_actors, point.n_issues)
    return point.with_draws(position=position.reshape(shape), salience=salience.reshape(shape))


def party_utility(
    point: ScenarioArrays, actor: str, outcomes: NDArray[np.float64], *, loss: Loss
) -> NDArray[np.float64]:
    """(M,) the actor's utility of each of ``M`` outcome packages, (M, I), as stated."""
    a = point.actor_ids.index(actor)
    u = package_utility(
        outcomes,
        point.position[0, a : a + 1],
        point.salience[0, a : a + 1],
        point.scale_min,
        point.scale_max,
        loss=loss,
    )
    return u[0, :, 0]


@dataclass(frozen=True, eq=False)
class ForecastEffects:
    """The party's expected utility as stated, and what each lever changes.

    Attributes:
        expected_utility: The expected utility of the forecast without a lever.
        outcome: (I,) the forecast without a lever (first draw).
        benefit: (L,) each lever's change of the expected utility (0 for red lines).
        outcomes: (L, I) the forecast with each lever (first draw; the stated forecast
            for red line levers).
    """

    expected_utility: float
    outcome: NDArray[np.float64]
    benefit: NDArray[np.float64]
    outcomes: NDArray[np.float64]


def forecast_effects(
    model: ForecastModel,
    point: ScenarioArrays,
    actor: str,
    levers: Sequence[Lever],
    *,
    draws: ScenarioArrays | None = None,
    rng: np.random.Generator | None = None,
    loss: Loss = "linear",
) -> ForecastEffects:
    """The party's expected utility as stated, and each lever's benefit and outcome.

    One model call on :func:`lever_batch` of the position and salience levers.
    """
    batched = [k for k, lv in enumerate(levers) if lv.kind != "red_line"]
    view = lever_batch(point, [levers[k] for k in batched], draws)
    n = 1 if draws is None else draws.n_draws
    outcome = model.forecast(view, rng=rng, trace=False).outcome
    utility = party_utility(point, actor, outcome, loss=loss).reshape(len(batched) + 1, n)
    expected = utility.mean(axis=1)
    benefit = np.zeros(len(levers))
    benefit[batched] = expected[1:] - expected[0]
    first = outcome.reshape(len(batched) + 1, n, point.n_issues)[:, 0]
    per_lever = np.broadcast_to(first[0], (len(levers), point.n_issues)).copy()
    per_lever[batched] = first[1:]
    return ForecastEffects(float(expected[0]), first[0], benefit, per_lever)
