"""Saving figures safely: rendered in memory, then written atomically."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

from zopa.io.atomic import atomic_write

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure


def save_figure(fig: Figure, path: Path, *, dpi: int = 110) -> Path:
    """Render ``fig`` to PNG at ``path`` (temporary file, then rename) and close it."""
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    atomic_write(path, buffer.getvalue())
    return path
