"""Checks on drawn figures through matplotlib's artists: what a reader would trip over.

Every check lays the figure out and draws it once (Agg), then measures the artists in
display coordinates: overlapping texts, a legend over plotted data, an axes without a
title or axis titles.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import Collection, PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from zopa.report.figures import render

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox


def _drawn(fig: Figure) -> Any:
    """The renderer of ``fig``, drawing it first only if something changed since."""
    if fig.stale:
        return render(fig)
    return fig.canvas.get_renderer()  # type: ignore[attr-defined]


def all_axes(fig: Figure) -> list[Axes]:
    """Every axes of ``fig``, secondary axes and colour bars included."""
    return list(fig.findobj(lambda o: isinstance(o, Axes)))


def is_colorbar(ax: Axes) -> bool:
    return getattr(ax, "_colorbar", None) is not None


def is_secondary(ax: Axes) -> bool:
    return type(ax).__name__ == "SecondaryAxis"


def shown_texts(fig: Figure) -> list[Text]:
    """The texts a reader sees: titles, labels, annotations, legend entries, tick labels."""
    _drawn(fig)
    tick_texts: set[int] = set()
    shown: list[Text] = []
    for ax in all_axes(fig):
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.majorTicks, *axis.minorTicks]:
                tick_texts.update((id(tick.label1), id(tick.label2)))
            shown += list(axis.get_ticklabels(which="both"))
    shown += [t for t in fig.findobj(Text) if id(t) not in tick_texts]
    unique = {id(t): t for t in shown if t.get_visible() and t.get_text().strip()}
    return list(unique.values())


def text_overlaps(fig: Figure, *, slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of shown texts whose boxes overlap by more than ``slack`` pixels."""
    renderer = _drawn(fig)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in shown_texts(fig)]
    out = []
    for (ta, a), (tb, b) in combinations(boxes, 2):
        if a.width == 0 or b.width == 0:
            continue
        if min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack:
            out.append((ta, tb))
    return out


def _data_hits(ax: Axes, box: Bbox) -> list[str]:
    """The data artists of ``ax`` (lines, markers, bands, bars) that reach into ``box``."""
    hits: list[str] = []
    for line in ax.lines:
        path = line.get_transform().transform_path(line.get_path())
        if len(path.vertices) and path.intersects_bbox(box, filled=False):
            hits.append(f"line {line.get_label()!r}")
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and len(coll.get_offsets()):
            points = coll.get_offset_transform().transform(coll.get_offsets())
            if np.any(
                (points[:, 0] >= box.x0)
                & (points[:, 0] <= box.x1)
                & (points[:, 1] >= box.y0)
                & (points[:, 1] <= box.y1)
            ):
                hits.append(f"points {coll.get_label()!r}")
        elif isinstance(coll, Collection):
            for path in coll.get_paths():
                shown = coll.get_transform().transform_path(path)
                if len(shown.vertices) and shown.intersects_bbox(box, filled=True):
                    hits.append(f"area {coll.get_label()!r}")
                    break
    for patch in ax.patches:
        if isinstance(patch, Patch) and patch.get_window_extent().overlaps(box):
            hits.append(f"patch {patch.get_label()!r}")
    return hits


def legend_over_data(fig: Figure) -> list[str]:
    """Data artists that a legend (of an axes or of the figure) covers."""
    renderer = _drawn(fig)
    legends = [*fig.legends, *(ax.get_legend() for ax in all_axes(fig))]
    out = []
    for legend in legends:
        if legend is None:
            continue
        box = legend.get_window_extent(renderer)
        for ax in all_axes(fig):
            if not is_colorbar(ax):
                out += _data_hits(ax, box)
    return out


def missing_titles(fig: Figure) -> list[str]:
    """Axes without a title (its own or the figure's) or without the axis titles it needs.

    An x-axis title is needed where the axes shows x tick labels; a y-axis title always.
    Colour bars and secondary axes are judged by their own labels elsewhere.
    """
    _drawn(fig)
    problems = []
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    for k, ax in enumerate(all_axes(fig)):
        if is_colorbar(ax) or is_secondary(ax):
            continue
        titles = [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
        if not any(titles) and not suptitle:
            problems.append(f"axes {k}: no title")
        shows_x = any(t.get_visible() and t.get_text() for t in ax.get_xticklabels())
        if shows_x and not ax.get_xlabel():
            problems.append(f"axes {k}: no x-axis title")
        if not ax.get_ylabel():
            problems.append(f"axes {k}: no y-axis title")
    return problems


def assert_readable(fig: Figure) -> None:
    """Every check above passes on ``fig``."""
    titles, overlaps, covered = missing_titles(fig), text_overlaps(fig), legend_over_data(fig)
    assert titles == [], titles
    assert overlaps == [], overlaps
    assert covered == [], covered


def marker_points(line: Line2D) -> set[tuple[float, float]]:
    """Where ``line`` draws its markers, in data coordinates."""
    x = np.asarray(line.get_xdata(), dtype=float)
    y = np.asarray(line.get_ydata(), dtype=float)
    every = line.get_markevery()
    if every is None:
        index = np.arange(len(x))
    elif isinstance(every, tuple):
        start, step = every
        index = np.arange(int(start), len(x), int(step))
    elif isinstance(every, int):
        index = np.arange(0, len(x), every)
    else:
        index = np.arange(len(x))[every]
    return {(float(x[i]), float(y[i])) for i in index}
