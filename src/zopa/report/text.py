"""Numbers as people read them in tables and reports (no heavy imports)."""

from __future__ import annotations


def fmt_number(value: float | None, digits: int = 1) -> str:
    """A number for a table: fixed decimals, an em dash for missing values, no "-0.0"."""
    if value is None or value != value:
        return "—"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text
