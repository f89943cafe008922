"""Making and saving figures: drawn by Agg without pyplot, written atomically.

Figures are made with :func:`new_figure` (a :class:`~matplotlib.figure.Figure` with its
own Agg canvas), never through pyplot: drawing a report neither switches the caller's
matplotlib backend nor registers figures that would have to be closed.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from zopa.io.atomic import atomic_write

if TYPE_CHECKING:
    from pathlib import Path


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis.

    One very long name must not squeeze a plot's axes to nothing.
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def new_figure(**figure_kw: Any) -> Figure:
    """A figure drawn by its own Agg canvas, made without pyplot.

    Args:
        **figure_kw: Passed to :class:`~matplotlib.figure.Figure` (``figsize``,
            ``layout``, ...); add axes with ``fig.subplots(...)``.
    """
    fig = Figure(**figure_kw)
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Figure, path: Path, *, dpi: int = 110) -> Path:
    """Render ``fig`` to PNG at ``path`` (temporary file, then rename)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # a name in a script the font lacks (CJK, emoji) is drawn as boxes; one warning
        # per character would bury the command's output
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        fig.savefig(buffer, format="png", dpi=dpi)
    atomic_write(path, buffer.getvalue())
    return path
