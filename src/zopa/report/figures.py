"""Saving figures safely: rendered in memory, then written atomically."""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

from zopa.io.atomic import atomic_write

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis.

    One very long name must not squeeze a plot's axes to nothing.
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def save_figure(fig: Figure, path: Path, *, dpi: int = 110) -> Path:
    """Render ``fig`` to PNG at ``path`` (temporary file, then rename) and close it."""
    buffer = io.BytesIO()
    try:
        with warnings.catch_warnings():
            # a name in a script the font lacks (CJK, emoji) is drawn as boxes; one warning
            # per character would bury the command's output
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
            fig.savefig(buffer, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    atomic_write(path, buffer.getvalue())
    return path
