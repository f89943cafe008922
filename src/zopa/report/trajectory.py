"""Trajectory plots: how each actor's position moves, round by round, on one issue.

One line per actor holding a stance, each with its own colour and marker (width grows
with capability x salience, so the actors who weigh most stand out), labelled at its last
position with the labels spread a line apart and joined to their lines; lines that lie on
top of each other carry their markers on different rounds, so every actor stays visible.
A solid black line marks the model's forecast and a dashed grey line the status quo.
Works for every model whose forecast carries a trajectory (EUM, SMP, exchange, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zopa.report.figures import (
    clip,
    coincident_groups,
    new_figure,
    plain_text,
    save_figure,
    scale_label,
    series_style,
    spread,
)

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure

    from zopa.models.base import Forecast
    from zopa.scenario import Scenario


@plain_text
def trajectory_figure(
    scenario: Scenario, forecast: Forecast, issue_id: str, *, draw: int = 0
) -> Figure:
    """One issue's trajectory (draw ``draw`` of ``forecast``) as a figure.

    Raises:
        ValueError: If the forecast has no trajectory or does not cover the issue.
    """
    if forecast.trajectory is None:
        raise ValueError(f"model {forecast.model!r} gives no trajectory to plot")
    if issue_id not in forecast.issue_ids:
        raise ValueError(f"issue {issue_id!r} is not in the forecast")
    k = forecast.issue_ids.index(issue_id)
    issue = scenario.issue(issue_id)
    traj = forecast.trajectory[draw, :, :, k]  # (R, A)
    n_rounds = traj.shape[0] - 1
    rounds = np.arange(n_rounds + 1)
    lo, hi = issue.scale.min, issue.scale.max
    width = hi - lo

    rows = []
    for a, actor in enumerate(scenario.actors):
        stance = scenario.stance(actor.id, issue_id)
        if stance is not None:
            rows.append((a, actor, actor.capability * stance.salience))
    weights = np.array([w for _, _, w in rows] or [1.0])
    w_max = float(weights.max()) if weights.max() > 0 else 1.0

    height = max(6.0, 2.2 + 0.19 * len(rows))
    fig = new_figure(figsize=(10.5, height), layout="constrained")
    ax = fig.subplots()
    margin = 0.03 * width
    ax.set_ylim(lo - margin, hi + margin)
    x_end = max(n_rounds, 1)
    ax.set_xlim(-0.02 * x_end, x_end * 1.02)
    # labels one text line apart: 8 pt text, the axes about (height - 2.2) inches tall
    axes_points = (height - 2.2) * 72
    gap = 1.25 * 8 / axes_points * (width + 2 * margin)
    finals = np.array([traj[-1, a] for a, _, _ in rows])
    label_y = spread(finals, gap, lo - margin, hi + margin)
    groups = coincident_groups([traj[:, a] for a, _, _ in rows], tol=0.004 * width)
    step = max(2, int(np.ceil((n_rounds + 1) / 7)))
    for row, (a, actor, w) in enumerate(rows):
        colour, marker = series_style(row)
        rank, size = groups[row]
        every = max(step, size)  # a group of coinciding lines shares the rounds out
        offset = (rank * every) // size if size > 1 else row % step
        ax.plot(
            rounds,
            traj[:, a],
            color=colour,
            lw=0.8 + 3.2 * w / w_max,
            marker=marker,
            markevery=(offset % (n_rounds + 1), every),
            ms=6,
            mec="white",
            mew=0.6,
            alpha=0.9,
            zorder=3 + (1 - w / w_max),  # lighter actors drawn over heavier ones
        )
        ax.annotate(
            "",
            (n_rounds, traj[-1, a]),
            xytext=(x_end * 1.045, label_y[row]),
            textcoords="data",
            arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6, "alpha": 0.7},
            annotation_clip=False,
        )
        ax.plot([x_end * 1.05], [label_y[row]], marker=marker, color=colour, ms=5, clip_on=False)
        ax.annotate(
            clip(actor.name, 34),
            (x_end * 1.05, label_y[row]),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="0.1",
            annotation_clip=False,
        )
    outcome = float(forecast.outcome[draw, k])
    if np.isfinite(outcome):
        ax.axhline(outcome, color="black", lw=1.2, zorder=2)
        ax.annotate(
            f"forecast ({forecast.model}) {outcome:.3g}",
            (0, outcome),
            xytext=(4, 4 if outcome < hi - 0.1 * width else -12),
            textcoords="offset points",
            fontsize=9,
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            zorder=6,
        )
    if issue.status_quo is not None:
        ax.axhline(issue.status_quo, color="0.45", lw=1.2, ls="--", zorder=2)
        ax.annotate(
            f"status quo {issue.status_quo:.3g}",
            (0, issue.status_quo),
            xytext=(4, -12 if issue.status_quo > lo + 0.1 * width else 4),
            textcoords="offset points",
            fontsize=8.5,
            color="0.3",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            zorder=6,
        )
    ax.set_xlabel("round of bargaining (0 = the positions as stated in the scenario)")
    ax.set_ylabel(scale_label(lo, hi, issue.anchors, room=int(height * 13)), fontsize=8.5)
    if n_rounds <= 20:
        ax.set_xticks(rounds)
    title = f"How positions move round by round ({forecast.model}): {clip(issue.name, 80)}"
    if forecast.outcome.shape[0] > 1:
        title += f" (draw {draw})"
    ax.set_title(title, loc="left", fontsize=12)
    ax.grid(alpha=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def plot_trajectory(
    scenario: Scenario,
    forecast: Forecast,
    issue_id: str,
    path: Path,
    *,
    draw: int = 0,
) -> Path:
    """Draw one issue's trajectory (draw ``draw`` of ``forecast``) to a PNG and return its path.

    Raises:
        ValueError: If the forecast has no trajectory or does not cover the issue.
    """
    return save_figure(trajectory_figure(scenario, forecast, issue_id, draw=draw), path)


def plot_trajectories(
    scenario: Scenario, forecast: Forecast, directory: Path, *, draw: int = 0
) -> list[Path]:
    """One trajectory PNG per issue, named ``<model>-trajectory-<issue>.png``."""
    return [
        plot_trajectory(
            scenario,
            forecast,
            issue_id,
            directory / f"{forecast.model}-trajectory-{issue_id}.png",
            draw=draw,
        )
        for issue_id in forecast.issue_ids
    ]
