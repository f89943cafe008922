"""Making and saving figures: drawn by Agg without pyplot, written atomically.

Figures are made with :func:`new_figure` (a :class:`~matplotlib.figure.Figure` with its
own Agg canvas), never through pyplot: drawing a report neither switches the caller's
matplotlib backend nor registers figures that would have to be closed.

Names in a scenario are text, never markup: every text artist is drawn with matplotlib's
mathtext off (:func:`plain_text` while a figure is built, and again in :func:`save_figure`
for the tick labels matplotlib makes while drawing), so an actor called ``$x^{$`` is
printed as typed instead of failing to parse.

The helpers here keep figures readable for up to 20 actors and more: :func:`series_style`
gives each series its own colour and marker, :func:`coincident_groups` finds series that
lie on top of each other so that they can be drawn apart, and :func:`spread` places labels
at least a line apart.
"""

from __future__ import annotations

import functools
import io
import warnings
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from zopa.io.atomic import atomic_write

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from numpy.typing import ArrayLike, NDArray

P = ParamSpec("P")
R = TypeVar("R")

#: Twenty colours that stay apart on white: matplotlib's tab10, then ten darker or more
#: saturated hues (navy, maroon, teal, magenta, ...) instead of tab20's light twins.
SERIES_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#000075",
    "#800000",
    "#469990",
    "#f032e6",
    "#4b0082",
    "#e6a000",
    "#2f4f4f",
    "#fa8072",
    "#6b8e23",
    "#00bfff",
)
#: Thirteen filled markers; 13 and 20 share no factor, so the first 260 series all get
#: different (colour, marker) pairs.
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "p", "h", "*", "d")


def series_style(k: int) -> tuple[str, str]:
    """The colour and marker of the ``k``-th series (distinct pairs for k < 260)."""
    return SERIES_COLOURS[k % len(SERIES_COLOURS)], SERIES_MARKERS[k % len(SERIES_MARKERS)]


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis.

    One very long name must not squeeze a plot's axes to nothing.
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plain_text(draw: Callable[P, R]) -> Callable[P, R]:
    """Run ``draw`` with mathtext off, so that every text it makes is printed as typed."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with mpl.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return wrapper


def new_figure(**figure_kw: Any) -> Figure:
    """A figure drawn by its own Agg canvas, made without pyplot.

    Args:
        **figure_kw: Passed to :class:`~matplotlib.figure.Figure` (``figsize``,
            ``layout``, ...); add axes with ``fig.subplots(...)``.
    """
    fig = Figure(**figure_kw)
    FigureCanvasAgg(fig)
    return fig


def render(fig: Figure) -> Any:
    """Lay out and draw ``fig`` once (mathtext off) and return its renderer.

    Text extents are only known after a draw; tests and label placement measure with it.
    """
    with mpl.rc_context({"text.parse_math": False}):
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        canvas = fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        canvas.draw()  # type: ignore[no-untyped-call]
        return canvas.get_renderer()  # type: ignore[no-untyped-call]


def save_figure(fig: Figure, path: Path, *, dpi: int = 110) -> Path:
    """Render ``fig`` to PNG at ``path`` (temporary file, then rename)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), mpl.rc_context({"text.parse_math": False}):
        # a name in a script the font lacks (CJK, emoji) is drawn as boxes; one warning
        # per character would bury the command's output
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        fig.savefig(buffer, format="png", dpi=dpi)
    atomic_write(path, buffer.getvalue())
    return path


def spread(
    values: ArrayLike, gap: float, lo: float = -np.inf, hi: float = np.inf
) -> NDArray[np.float64]:
    """Label positions near ``values``, at least ``gap`` apart, kept inside [lo, hi] if room.

    Crowded runs are pushed apart and re-centred on the values they label, so each label
    stays as near its series as the others allow (the leader lines stay short).
    """
    y = np.asarray(values, dtype=float)
    order = np.argsort(y, kind="stable")
    target = y[order]
    placed = target.copy()
    for _ in range(50):
        for k in range(1, placed.size):
            placed[k] = max(placed[k], placed[k - 1] + gap)
        start = 0
        for k in range(1, placed.size + 1):
            if k == placed.size or placed[k] - placed[k - 1] > gap + 1e-9:
                placed[start:k] += (target[start:k] - placed[start:k]).mean()
                start = k
        if np.isfinite(lo) and np.isfinite(hi) and (placed.size - 1) * gap <= hi - lo:
            placed = np.clip(placed, lo, hi)
            for k in range(placed.size - 2, -1, -1):  # room below the top when clipped
                placed[k] = min(placed[k], placed[k + 1] - gap)
            placed = np.maximum(placed, lo + gap * np.arange(placed.size))
    for k in range(1, placed.size):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    out = np.empty_like(placed)
    out[order] = placed
    return out


def coincident_groups(series: Sequence[ArrayLike], tol: float) -> list[tuple[int, int]]:
    """For each series, its rank in its group of coinciding series and the group's size.

    Two series coincide when they are nowhere more than ``tol`` apart (same length);
    coinciding is grouped transitively. A series alone gets ``(0, 1)``. Plots use the
    pair to draw members of a group apart (staggered markers, offsets), so that none
    hides behind another.
    """
    arrays = [np.asarray(s, dtype=float) for s in series]
    parent = list(range(len(arrays)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for a in range(len(arrays)):
        for b in range(a + 1, len(arrays)):
            if arrays[a].shape != arrays[b].shape:
                continue
            both = np.isfinite(arrays[a]) & np.isfinite(arrays[b])
            if both.any() and np.all(np.abs(arrays[a][both] - arrays[b][both]) <= tol):
                parent[root(b)] = root(a)
    roots = [root(k) for k in range(len(arrays))]
    out = []
    for k, r in enumerate(roots):
        members = [j for j, q in enumerate(roots) if q == r]
        out.append((members.index(k), len(members)))
    return out


def scale_ends(lo: float, hi: float, anchors: Any, width: int = 48) -> tuple[str, str]:
    """What the two ends of an issue's scale mean, from its anchors, wrapped to ``width``.

    An end without an anchor is named by its value alone.
    """
    import textwrap

    texts = dict(anchors)
    out = []
    for value in (lo, hi):
        meaning = texts.get(value)
        text = f"{value:g}" if not meaning else f"{value:g}: {meaning}"
        out.append(textwrap.fill(textwrap.shorten(text, 3 * width), width))
    return out[0], out[1]


def scale_label(lo: float, hi: float, anchors: Any, room: int = 90) -> str:
    """An axis title for an issue scale that says what both ends mean, in ``room`` chars."""
    import textwrap

    texts = dict(anchors)
    share = max((room - 12) // 2, 12)
    ends = [
        f"{v:g} = {textwrap.shorten(texts[v], share, placeholder='…')}"
        if texts.get(v)
        else f"{v:g}"
        for v in (lo, hi)
    ]
    return f"position ({ends[0]}; {ends[1]})"
