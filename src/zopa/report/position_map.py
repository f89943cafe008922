"""Position maps: one picture per issue of who stands where, how strongly, and how firmly.

Actors sit along the issue's scale, one row each (sorted by position) and named on the
left; marker area grows with capability and colour shows salience. A grey bar shows the
analyst's range on the position, a red tick (joined to the position by a dotted line) the
red line. Under the actors, one row per forecast: the status quo and each model, each with
its own marker and its value printed beside it, so that forecasts that coincide stay
visible side by side instead of hiding behind each other. The scale's anchor texts say
what its two ends mean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D

from zopa.report.figures import (
    clip,
    new_figure,
    plain_text,
    save_figure,
    scale_ends,
    series_style,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from matplotlib.figure import Figure

    from zopa.scenario import Scenario

_RED = "#c0392b"


@plain_text
def position_map_figure(
    scenario: Scenario, issue_id: str, *, forecasts: Mapping[str, float] | None = None
) -> Figure:
    """The position map of one issue, with one row per forecast under the actors."""
    issue = scenario.issue(issue_id)
    stances = sorted(
        (s for s in scenario.stances if s.issue == issue_id),
        key=lambda s: (-s.position, s.actor),
    )
    rows_f = [("status quo", issue.status_quo)] if issue.status_quo is not None else []
    rows_f += [(m, v) for m, v in (forecasts or {}).items() if v == v]  # NaN: no forecast
    lo, hi = issue.scale.min, issue.scale.max
    width = hi - lo
    n_a, n_f = len(stances), len(rows_f)
    fig = new_figure(figsize=(11, 2.3 + 0.36 * (n_a + n_f)), layout="constrained")
    ax = fig.subplots()
    cmap = mpl.colormaps["viridis_r"]
    norm = Normalize(vmin=0, vmax=1)
    caps = np.array([scenario.actor(s.actor).capability for s in stances] or [1.0])
    cap_max = float(caps.max()) if caps.max() > 0 else 1.0

    labels: list[str] = []
    y_of_row = [float(n_f + (1 if n_f else 0) + n_a - 1 - r) for r in range(n_a)]
    for row, s in enumerate(stances):
        actor = scenario.actor(s.actor)
        y = y_of_row[row]
        if s.range is not None:
            ax.plot(s.range, [y, y], color="0.72", lw=3, solid_capstyle="butt", zorder=1)
        if s.red_line is not None:
            ax.plot([s.position, s.red_line], [y, y], color=_RED, lw=1, ls=":", zorder=2)
            ax.plot([s.red_line], [y], marker="|", ms=14, mew=3, color=_RED, zorder=3)
        ax.scatter(
            [s.position],
            [y],
            s=50 + 400 * actor.capability / cap_max,
            c=[cmap(norm(s.salience))],
            edgecolors="black" if actor.veto else "white",
            linewidths=2.0 if actor.veto else 0.8,
            zorder=4,
        )
        label = clip(actor.name, 34) + (" (veto)" if actor.veto else "")
        if s.confidence is not None and s.confidence.value == "low":
            label += " ?"
        labels.append(label)

    handles: list[Line2D] = []
    for k, (model, value) in enumerate(rows_f):
        y = float(n_f - 1 - k)
        is_sq = model == "status quo"
        colour, marker = (
            ("black", "|")
            if is_sq
            else series_style(k - (1 if rows_f[0][0] == "status quo" else 0))
        )
        ax.plot([lo, hi], [y, y], color="0.93", lw=0.8, zorder=0)
        ax.plot(
            [value],
            [y],
            marker=marker,
            ms=12 if is_sq else 9,
            mew=2.5 if is_sq else 1,
            color=colour,
            mec="white" if not is_sq else colour,
            ls="",
            zorder=4,
        )
        ax.annotate(
            f"{value:.1f}",
            (value, y),
            xytext=(-8 if value > lo + 0.9 * width else 8, 0),
            textcoords="offset points",
            ha="right" if value > lo + 0.9 * width else "left",
            va="center",
            fontsize=8,
            color="0.15",
        )
        labels.append(("" if is_sq else "forecast: ") + clip(model, 30))
    if issue.status_quo is not None:
        ax.axvline(issue.status_quo, color="0.35", ls=(0, (4, 3)), lw=1, zorder=0)
        handles.append(Line2D([], [], color="0.35", ls=(0, (4, 3)), label="status quo"))
    if n_f:
        ax.axhline(n_f - 0.5 + 0.25, color="0.6", lw=0.8)
    handles += [
        Line2D([], [], color=_RED, marker="|", ms=10, mew=2.5, ls=":", label="red line"),
        Line2D([], [], color="0.72", lw=3, label="range"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", mew=2, label="veto player"),
        Line2D(
            [], [], marker="o", ls="", mfc="0.6", mec="white", ms=4, label="small: low capability"
        ),
        Line2D(
            [], [], marker="o", ls="", mfc="0.6", mec="white", ms=10, label="large: high capability"
        ),
        Line2D([], [], ls="", label="?: low-confidence stance"),
    ]
    ticks = [*y_of_row, *[float(n_f - 1 - k) for k in range(n_f)]]
    ax.set_yticks(ticks, labels, fontsize=8.5)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.7, max(ticks, default=0.0) + 0.7)
    ax.set_xlim(lo - 0.02 * width, hi + 0.02 * width)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    low_text, high_text = scale_ends(lo, hi, issue.anchors)
    ax.set_xlabel(f"position on the scale, {lo:g} to {hi:g}", fontsize=9)
    for x_frac, text, align in ((0.0, low_text, "left"), (1.0, high_text, "right")):
        ax.annotate(
            ("◀ " if align == "left" else "") + text + (" ▶" if align == "right" else ""),
            (x_frac, 0.0),
            xycoords="axes fraction",
            xytext=(0, -30),
            textcoords="offset points",
            ha=align,
            va="top",
            fontsize=8,
            color="0.25",
        )
    ax.set_ylabel("actors (by position); forecasts below", fontsize=9)
    ax.set_title(
        f"{clip(issue.name, 90)}\nwhere the actors stand and where the models land",
        loc="left",
        fontsize=12,
        fontweight="bold",
    )
    cbar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, pad=0.01, fraction=0.025)
    cbar.set_label("salience (how much the issue matters)", fontsize=8)
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=min(len(handles), 5),
        fontsize=7.5,
        frameon=False,
    )
    return fig


def plot_position_map(
    scenario: Scenario,
    issue_id: str,
    path: Path,
    *,
    forecasts: Mapping[str, float] | None = None,
) -> Path:
    """Draw the position map of one issue to a PNG file and return its path."""
    return save_figure(position_map_figure(scenario, issue_id, forecasts=forecasts), path)


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
