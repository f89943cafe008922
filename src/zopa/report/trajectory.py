"""Trajectory plots: how each actor's position moves, round by round, on one issue.

One line per actor holding a stance (width grows with capability x salience, so the
actors who weigh most stand out), labelled at its last position; a solid black line marks
the model's forecast and a dashed grey line the status quo. Works for every model whose
forecast carries a trajectory (EUM, SMP, exchange, ...).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np

from zopa.report.figures import clip, new_figure, save_figure

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

    from zopa.models.base import Forecast
    from zopa.scenario import Scenario


def _spread_labels(y: NDArray[np.float64], gap: float, lo: float, hi: float) -> NDArray[np.float64]:
    """Label heights near ``y``, at least ``gap`` apart, kept inside [lo, hi]."""
    order = np.argsort(y, kind="stable")
    target = y[order].astype(float)
    placed = target.copy()
    for _ in range(50):  # push apart, then re-centre each crowded run on its actors
        for k in range(1, placed.size):
            placed[k] = max(placed[k], placed[k - 1] + gap)
        start = 0
        for k in range(1, placed.size + 1):
            if k == placed.size or placed[k] - placed[k - 1] > gap + 1e-9:
                placed[start:k] += (target[start:k] - placed[start:k]).mean()
                start = k
        placed = np.clip(placed, lo, hi)
    for k in range(1, placed.size):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    out = np.empty_like(placed)
    out[order] = placed
    return out


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

    fig = new_figure(figsize=(10, 6), layout="constrained")
    ax = fig.subplots()
    colours = mpl.colormaps["tab20"]
    finals = np.array([traj[-1, a] for a, _, _ in rows])
    label_y = _spread_labels(finals, gap=0.035 * width, lo=lo, hi=hi)
    x_end = max(n_rounds, 1)
    for row, (a, actor, w) in enumerate(rows):
        colour = colours(row % 20)
        ax.plot(
            rounds,
            traj[:, a],
            color=colour,
            lw=0.8 + 3.2 * w / w_max,
            marker="o" if n_rounds <= 12 else None,
            ms=3,
            alpha=0.9,
            zorder=3,
        )
        ax.annotate(
            clip(actor.name, 40),
            (n_rounds, traj[-1, a]),
            xytext=(x_end * 1.04, label_y[row]),
            textcoords="data",
            va="center",
            fontsize=8,
            color=colour,
            arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.5, "alpha": 0.6},
            annotation_clip=False,
        )
    outcome = float(forecast.outcome[draw, k])
    if np.isfinite(outcome):
        ax.axhline(outcome, color="black", lw=2, zorder=4)
        ax.annotate(
            f"forecast ({forecast.model}) {outcome:.3g}",
            (0, outcome),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=9,
            fontweight="bold",
        )
    if issue.status_quo is not None:
        ax.axhline(issue.status_quo, color="0.45", lw=1.5, ls="--", zorder=2)
        ax.annotate(
            f"status quo {issue.status_quo:.3g}",
            (x_end, issue.status_quo),
            xytext=(-4, 4 if issue.status_quo < lo + 0.1 * width else -11),
            textcoords="offset points",
            ha="right",
            fontsize=9,
            color="0.3",
        )
    margin = 0.03 * width
    ax.set_ylim(lo - margin, hi + margin)
    ax.set_xlim(-0.02 * x_end, x_end * 1.02)
    ax.set_xlabel("round")
    ax.set_ylabel(f"position ({lo:g} to {hi:g})")
    if n_rounds <= 20:
        ax.set_xticks(rounds)
    anchor_text = "; ".join(
        f"{v:g}: {textwrap.shorten(t, 60)}" for v, t in sorted(issue.anchors.items())
    )
    title = f"{clip(issue.name, 90)} — {forecast.model} trajectory"
    if forecast.outcome.shape[0] > 1:
        title += f" (draw {draw})"
    ax.set_title(title, loc="left", fontsize=12)
    if anchor_text:
        fig.supxlabel(textwrap.fill(anchor_text, 170), fontsize=7, color="0.35", x=0.01, ha="left")
    ax.grid(alpha=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return save_figure(fig, path)


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
