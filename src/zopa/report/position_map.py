"""Position maps: one picture per issue of who stands where, how strongly, and how firmly.

Actors sit along the issue's scale, one row each (sorted by position); marker area grows
with capability and colour shows salience. A horizontal bar shows the analyst's range on
the position, a thick tick with a short bar the red line, a dashed line the status quo and
solid lines the model forecasts. The scale's anchor texts are printed under the ends.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D

from zopa.report.figures import clip, new_figure, save_figure

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from zopa.scenario import Scenario

_FORECAST_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def plot_position_map(
    scenario: Scenario,
    issue_id: str,
    path: Path,
    *,
    forecasts: Mapping[str, float] | None = None,
) -> Path:
    """Draw the position map of one issue to a PNG file and return its path."""
    issue = scenario.issue(issue_id)
    stances = sorted(
        (s for s in scenario.stances if s.issue == issue_id), key=lambda s: (s.position, s.actor)
    )
    lo, hi = issue.scale.min, issue.scale.max
    width = hi - lo
    n = max(len(stances), 1)
    fig = new_figure(figsize=(11, 1.6 + 0.42 * n), layout="constrained")
    ax = fig.subplots()
    cmap = mpl.colormaps["viridis_r"]
    norm = Normalize(vmin=0, vmax=1)
    caps = np.array([scenario.actor(s.actor).capability for s in stances] or [1.0])
    cap_max = float(caps.max()) if caps.max() > 0 else 1.0

    for row, s in enumerate(stances):
        actor = scenario.actor(s.actor)
        y = row
        if s.range is not None:
            ax.plot(s.range, [y, y], color="0.72", lw=2.5, solid_capstyle="butt", zorder=1)
        if s.red_line is not None:
            ax.plot([s.position, s.red_line], [y, y], color="#c0392b", lw=1, ls=":", zorder=1)
            ax.plot([s.red_line], [y], marker="|", ms=16, mew=3, color="#c0392b", zorder=6)
        size = 60 + 540 * actor.capability / cap_max
        ax.scatter(
            [s.position],
            [y],
            s=size,
            c=[cmap(norm(s.salience))],
            edgecolors="black" if actor.veto else "white",
            linewidths=2.0 if actor.veto else 0.8,
            zorder=4,
        )
        label = clip(actor.name, 40) + (" (veto)" if actor.veto else "")
        if s.confidence is not None and s.confidence.value == "low":
            label += " ?"
        near_right = s.position > lo + 0.75 * width
        ax.annotate(
            label,
            (s.position, y),
            xytext=((-1 if near_right else 1) * (np.sqrt(size) / 2 + 5), 0),
            textcoords="offset points",
            va="center",
            ha="right" if near_right else "left",
            fontsize=8.5,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )

    handles: list[Line2D] = []
    if issue.status_quo is not None:
        ax.axvline(issue.status_quo, color="0.1", ls=(0, (4, 3)), lw=1.3, zorder=2)
        handles.append(
            Line2D([], [], color="0.2", ls="--", label=f"status quo {issue.status_quo:g}")
        )
    for k, (model, value) in enumerate((forecasts or {}).items()):
        if value != value:  # NaN: no forecast
            continue
        colour = _FORECAST_COLOURS[k % len(_FORECAST_COLOURS)]
        ax.axvline(value, color=colour, lw=1.6, alpha=0.85, zorder=0)
        handles.append(Line2D([], [], color=colour, label=f"{model} {value:.1f}"))
    handles.append(
        Line2D([], [], color="#c0392b", marker="|", ms=10, mew=2.5, ls=":", label="red line")
    )
    handles.append(Line2D([], [], color="0.72", lw=2.5, label="range"))
    handles.append(
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", mew=2, label="veto player")
    )

    ax.set_xlim(lo - 0.02 * width, hi + 0.02 * width)
    ax.set_ylim(-0.8, n - 0.2)
    ax.set_yticks([])
    ncol = min(len(handles), 6)
    legend_rows = -(-len(handles) // ncol)
    ax.set_title(
        f"{clip(issue.name, 90)}  ({issue.id})",
        loc="left",
        fontsize=12,
        fontweight="bold",
        pad=8 + 14 * legend_rows,  # room for the legend rows between title and plot
    )
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    anchors = dict(issue.anchors)
    low_text = anchors.get(lo, "")
    high_text = anchors.get(hi, "")
    for x_frac, text, align in ((0.0, low_text, "left"), (1.0, high_text, "right")):
        if text:
            value = lo if x_frac == 0.0 else hi
            wrapped = textwrap.fill(f"{value:g}: {text}", 60)
            ax.annotate(
                wrapped,
                (x_frac, 0.0),
                xycoords="axes fraction",
                xytext=(0, -22),
                textcoords="offset points",
                ha=align,
                va="top",
                fontsize=8,
                color="0.25",
            )
    sm = ScalarMappable(norm=norm, cmap=cmap)
    cbar = fig.colorbar(sm, ax=ax, pad=0.01, fraction=0.025)
    cbar.set_label("salience", fontsize=8)
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=ncol,
        fontsize=7.5,
        frameon=False,
    )
    ax.annotate(
        "marker size: capability · '?': low-confidence stance",
        (0.5, 0.0),
        xycoords="axes fraction",
        xytext=(0, -22),
        textcoords="offset points",
        ha="center",
        va="top",
        fontsize=7,
        color="0.45",
    )
    save_figure(fig, path)
    return path


def plot_position_maps(
    scenario: Scenario,
    directory: Path,
    *,
    forecasts: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Path]:
    """Draw one position map per issue into ``directory``; ``forecasts`` is model->issue->value."""
    paths = []
    for issue in scenario.issues:
        per_model = {m: values[issue.id] for m, values in (forecasts or {}).items()}
        paths.append(
            plot_position_map(
                scenario, issue.id, directory / f"position-{issue.id}.png", forecasts=per_model
            )
        )
    return paths
