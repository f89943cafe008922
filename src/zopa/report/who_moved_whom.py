"""'Who moved whom' charts for the expected-utility model.

For one issue: on the left, a matrix of how far each actor (row) was moved by the offers
of each other actor (column), summed over the rounds; on the right, each actor's total
movement split by the kind of offer it accepted (confrontation lost, compromise,
capitulation). Reads the ``proposer``, ``kind`` and ``move`` diagnostics of an EUM
forecast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zopa.report.figures import clip, new_figure, plain_text, save_figure

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure
    from numpy.typing import NDArray

    from zopa.models.base import Forecast
    from zopa.scenario import Scenario

_KIND_COLOURS = {"confrontation": "#c0392b", "compromise": "#2e86c1", "capitulation": "#e67e22"}


def movement_matrix(
    forecast: Forecast, issue_id: str, *, draw: int = 0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Total movement per (mover, proposer) and per (mover, offer kind) on one issue.

    Returns:
        ``(by_proposer, by_kind)``: (A, A) absolute distance actor i moved on actor j's
        offers, summed over rounds; (A, K) the same by offer kind (K kinds, excluding
        "none", in the order of ``forecast.diagnostics["offer_kinds"][1:]``).

    Raises:
        ValueError: If the forecast carries no offer diagnostics (not an EUM forecast).
    """
    diag = forecast.diagnostics
    if not {"proposer", "kind", "move", "offer_kinds"} <= set(diag):
        raise ValueError(f"model {forecast.model!r} records no offers to chart")
    k = forecast.issue_ids.index(issue_id)
    proposer = np.asarray(diag["proposer"])[draw, :, :, k]  # (R, A)
    kind = np.asarray(diag["kind"])[draw, :, :, k]
    move = np.abs(np.asarray(diag["move"])[draw, :, :, k])
    n_actors = proposer.shape[1]
    n_kinds = len(diag["offer_kinds"]) - 1
    moved = proposer >= 0
    rows = np.broadcast_to(np.arange(n_actors), proposer.shape)[moved]
    by_proposer = np.zeros((n_actors, n_actors))
    np.add.at(by_proposer, (rows, proposer[moved]), move[moved])
    by_kind = np.zeros((n_actors, n_kinds))
    np.add.at(by_kind, (rows, kind[moved].astype(np.intp) - 1), move[moved])
    return by_proposer, by_kind


@plain_text
def who_moved_whom_figure(
    scenario: Scenario, forecast: Forecast, issue_id: str, *, draw: int = 0
) -> Figure:
    """The who-moved-whom chart of one issue."""
    by_proposer, by_kind = movement_matrix(forecast, issue_id, draw=draw)
    issue = scenario.issue(issue_id)
    keep = [a for a, actor in enumerate(scenario.actors) if scenario.stance(actor.id, issue_id)]
    names = [clip(scenario.actors[a].name, 16) for a in keep]
    mat = by_proposer[np.ix_(keep, keep)]
    kinds = by_kind[keep]
    kind_names = list(forecast.diagnostics["offer_kinds"][1:])
    n = len(keep)
    fig = new_figure(figsize=(12, 2.2 + 0.42 * n), layout="constrained")
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    vmax = float(mat.max()) if mat.size and mat.max() > 0 else 1.0
    image = ax.imshow(mat, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    for i in range(n):
        for j in range(n):
            if mat[i, j] > 0:
                ax.text(
                    j,
                    i,
                    f"{mat[i, j]:.3g}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if mat[i, j] > 0.6 * vmax else "black",
                )
    ax.set_xticks(range(n), names, rotation=90, fontsize=8)
    ax.set_yticks(range(n), names, fontsize=8)
    ax.set_xlabel("moved by (proposer)")
    ax.set_ylabel("actor that moved")
    ax.set_title("distance each actor moved on each proposer's offers", loc="left", fontsize=10)
    fig.colorbar(
        image, ax=ax, shrink=0.8, label=f"scale units ({issue.scale.min:g} to {issue.scale.max:g})"
    )

    left = np.zeros(n)
    y = np.arange(n)
    for c, kind in enumerate(kind_names):
        bx.barh(y, kinds[:, c], left=left, color=_KIND_COLOURS.get(kind, "0.5"), label=kind)
        left += kinds[:, c]
    bx.set_yticks(y, names, fontsize=8)
    bx.invert_yaxis()
    bx.set_xlabel(f"total distance moved (scale units, {issue.scale.min:g} to {issue.scale.max:g})")
    bx.set_ylabel("actor that moved")
    bx.set_title("by kind of offer accepted", loc="left", fontsize=10)
    bx.set_xlim(0, max(float(left.max()), 1e-9) * 1.05)
    bx.legend(
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        title="offer accepted",
        title_fontsize=8,
        frameon=False,
    )
    bx.grid(axis="x", alpha=0.3)
    for side in ("top", "right"):
        bx.spines[side].set_visible(False)
    rounds = int(np.asarray(forecast.diagnostics["move"]).shape[1])
    fig.suptitle(
        f"Who moved whom ({forecast.model}, {rounds} rounds): {clip(issue.name, 80)}",
        x=0.01,
        ha="left",
        fontsize=12,
    )
    return fig


def plot_who_moved_whom(
    scenario: Scenario, forecast: Forecast, issue_id: str, path: Path, *, draw: int = 0
) -> Path:
    """Draw the who-moved-whom chart of one issue to a PNG and return its path."""
    return save_figure(who_moved_whom_figure(scenario, forecast, issue_id, draw=draw), path)


def plot_who_moved_whom_all(
    scenario: Scenario, forecast: Forecast, directory: Path, *, draw: int = 0
) -> list[Path]:
    """One chart per issue, named ``<model>-who-moved-whom-<issue>.png``."""
    return [
        plot_who_moved_whom(
            scenario,
            forecast,
            issue_id,
            directory / f"{forecast.model}-who-moved-whom-{issue_id}.png",
            draw=draw,
        )
        for issue_id in forecast.issue_ids
    ]
