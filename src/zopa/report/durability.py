"""Plots of ceasefire durability: survival curves with bands, deterrence balance over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zopa.report.figures import new_figure, save_figure

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from matplotlib.figure import Figure

    from zopa.durability.parameters import DurabilityParameters
    from zopa.durability.simulate import DurabilityResult

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)))


def _colour(k: int) -> str:
    return _COLOURS[k % len(_COLOURS)]


def _footnote(fig: Figure, text: str) -> None:
    fig.text(0.01, 0.01, text, fontsize=7.5, color="#444444", ha="left", va="bottom", wrap=True)


def plot_survival(
    results: Sequence[tuple[str, DurabilityResult]], path: Path, *, note: str = ""
) -> Path:
    """Survival curves (mean over parameter draws) with 5-95 % bands, one per deal."""
    fig = new_figure(figsize=(9, 5.6))
    ax = fig.subplots()
    for k, (label, r) in enumerate(results):
        mean, _, low, high = r.survival_band()
        colour = _colour(k)
        ax.fill_between(r.times, low, high, color=colour, alpha=0.1, linewidth=0)
        hold = r.hold()
        p5 = hold[5]
        ax.plot(
            r.times,
            mean,
            color=colour,
            linewidth=2,
            linestyle=_STYLES[k % len(_STYLES)],
            label=f"{label}: P(holds 5 y) {p5.mean:.2f} [{p5.low:.2f}-{p5.high:.2f}]",
        )
        years = list(hold)
        ax.plot(years, [hold[y].mean for y in years], "o", color=colour, markersize=5)
    for y in (1, 2, 5):
        ax.axvline(y, color="#999999", linewidth=0.7, linestyle=":")
    ax.set_xlim(0, float(results[0][1].times[-1]))
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("years after the ceasefire")
    ax.set_ylabel("P(ceasefire still holds)")
    ax.set_title("Ceasefire survival (mean over parameter draws, 5-95 % band shaded)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8.5, framealpha=0.9)
    fig.subplots_adjust(bottom=0.2, top=0.92, left=0.08, right=0.98)
    _footnote(fig, note)
    return save_figure(fig, path)


def plot_deterrence(
    results: Sequence[tuple[str, DurabilityResult]],
    params: DurabilityParameters,
    path: Path,
    *,
    note: str = "",
) -> Path:
    """Capacities (top) and deterrence balance with the window of vulnerability (bottom)."""
    n = len(results)
    legend_rows = n
    fig = new_figure(figsize=(9.5, 8.4 + 0.22 * legend_rows))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.3]})
    first = results[0][1]
    t = first.times
    a_lo, a_med, a_hi = np.quantile(first.deterrence.attacker, (0.05, 0.5, 0.95), axis=0)
    top.fill_between(t, a_lo, a_hi, color="#444444", alpha=0.10, linewidth=0)
    top.plot(t, a_med, color="#222222", linewidth=3, alpha=0.6)
    top.annotate(
        "attacker (same for every deal)",
        (t[-1], a_med[-1]),
        xytext=(-4, 6),
        textcoords="offset points",
        ha="right",
        fontsize=8.5,
        color="#222222",
    )
    floor = params.ending.balance_floor
    handles = []
    for k, (label, r) in enumerate(results):
        colour, style = _colour(k), _STYLES[k % len(_STYLES)]
        d_lo, d_med, d_hi = np.quantile(r.deterrence.defender, (0.05, 0.5, 0.95), axis=0)
        top.fill_between(t, d_lo, d_hi, color=colour, alpha=0.08, linewidth=0)
        top.plot(t, d_med, color=colour, linewidth=2, linestyle=style)
        med, lo, hi = r.balance_band()
        bottom.fill_between(t, lo, hi, color=colour, alpha=0.08, linewidth=0)
        windows = r.vulnerability_windows()
        span = "; ".join(f"{a:g}-{b:g} y" for a, b in windows) or "none"
        (line,) = bottom.plot(
            t,
            med,
            color=colour,
            linewidth=2,
            linestyle=style,
            label=f"{label}: window of vulnerability {span}",
        )
        handles.append(line)
        for a, b in windows:
            bottom.axvspan(a, b, ymin=0.006 + 0.018 * k, ymax=0.018 + 0.018 * k, color=colour)
    top.set_ylabel("capacity index\n(1 = at the ceasefire)")
    top.set_title("Attacker regeneration vs defender and backers (median, 5-95 % band)", pad=8)
    top.grid(alpha=0.3)
    bottom.axhline(1.0, color="#222222", linewidth=1.2)
    bottom.text(t[-1], 1.0, "parity at a bare ceasefire ", va="bottom", ha="right", fontsize=8)
    bottom.axhline(floor, color="#b22222", linewidth=1, linestyle="--")
    bottom.text(t[-1], floor, f"capitulation floor {floor:g} ", va="bottom", ha="right", fontsize=8)
    ddis = (
        ("ddis.local_war_years", "local war"),
        ("ddis.regional_war_years", "regional war"),
        ("ddis.large_war_years", "large war in Europe"),
    )
    marks = [params.value(pid) for pid, _ in ddis]
    for x in marks:
        for ax in (top, bottom):
            ax.axvline(x, color="#777777", linewidth=0.8, linestyle=":")
    secondary = top.secondary_xaxis("top")
    secondary.set_xticks(
        marks, [f"{text}\n({x:g} y)" for x, (_, text) in zip(marks, ddis, strict=True)]
    )
    secondary.tick_params(labelsize=7.5, length=3, colors="#555555")
    secondary.set_xlabel(
        "attacker reconstitution milestones (Danish Defence Intelligence, 2025)",
        fontsize=8,
        color="#555555",
    )
    bottom.set_xlim(0, float(t[-1]))
    bottom.set_ylim(bottom=0)
    bottom.set_ylabel("deterrence balance\n(defender / attacker)")
    bottom.set_xlabel("years after the ceasefire")
    bottom.set_title("Deterrence balance (median, 5-95 % band); bars: window of vulnerability")
    bottom.grid(alpha=0.3)
    legend_height = 0.022 * legend_rows
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.035),
        ncol=1,
        fontsize=8,
        frameon=False,
    )
    fig.subplots_adjust(bottom=0.1 + legend_height, top=0.86, left=0.11, right=0.98, hspace=0.2)
    _footnote(fig, note)
    return save_figure(fig, path)
