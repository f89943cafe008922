"""Plots of ceasefire durability: survival curves with bands, deterrence balance over time.

Every deal has its own colour, marker and line style. Deals whose curves coincide (two
plans with the same mechanisms give the same deterrence curve) carry their markers at
different times and say so in the legend, so that none hides behind another. Legends sit
outside the axes; the window of vulnerability has a panel of its own, one labelled row
per deal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D

from zopa.report.figures import (
    clip,
    coincident_groups,
    new_figure,
    plain_text,
    save_figure,
    series_style,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import NDArray

    from zopa.durability.parameters import DurabilityParameters
    from zopa.durability.simulate import DurabilityResult

_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)))
_MARKS = 8  # markers per curve


def _style(k: int) -> tuple[str, str, object]:
    colour, marker = series_style(k)
    return colour, marker, _STYLES[k % len(_STYLES)]


def _note(note: str) -> dict[str, object]:
    """Legend keywords that print ``note`` (draws, seed, assumptions) at the legend's head."""
    if not note:
        return {}
    return {"title": note, "title_fontsize": 7.5, "alignment": "left"}


def _markevery(n_points: int, rank: int, size: int) -> tuple[int, int]:
    """Marker positions of a curve: evenly spaced, shifted within a group of coinciding curves."""
    step = max(n_points // _MARKS, size, 1)
    return ((rank * step) // max(size, 1) + step // 2) % max(n_points, 1), step


def _same_as(
    labels: Sequence[str],
    groups: Sequence[tuple[int, int]],
    curves: list[NDArray[np.float64]],
    tol: float,
) -> list[str]:
    """For each curve, the note "same curve as …" naming the others it coincides with."""
    notes = []
    for k, (_, size) in enumerate(groups):
        if size == 1:
            notes.append("")
            continue
        others = [
            clip(labels[j], 28)
            for j in range(len(labels))
            if j != k and np.all(np.abs(curves[j] - curves[k]) <= tol)
        ]
        notes.append(f" (same curve as {', '.join(others)})" if others else "")
    return notes


@plain_text
def survival_figure(results: Sequence[tuple[str, DurabilityResult]], *, note: str = "") -> Figure:
    """Survival curves (mean over parameter draws) with 5-95 % bands, one per deal."""
    n = len(results)
    fig = new_figure(figsize=(9.5, 5.4 + 0.2 * n), layout="constrained")
    ax = fig.subplots()
    means = [r.survival_band()[0] for _, r in results]
    groups = coincident_groups(means, tol=0.005)
    same = _same_as([lab for lab, _ in results], groups, means, 0.005)
    for k, (label, r) in enumerate(results):
        mean, _, low, high = r.survival_band()
        colour, marker, style = _style(k)
        ax.fill_between(r.times, low, high, color=colour, alpha=0.1, linewidth=0)
        hold = r.hold()
        p5 = hold[5]
        rank, size = groups[k]
        ax.plot(
            r.times,
            mean,
            color=colour,
            linewidth=2,
            linestyle=style,
            marker=marker,
            markevery=_markevery(len(r.times), rank, size),
            ms=6,
            mec="white",
            label=(
                f"{clip(label, 60)}: P(holds 5 y) {p5.mean:.2f} "
                f"[{p5.low:.2f}-{p5.high:.2f}]{same[k]}"
            ),
        )
    for y in (1, 2, 5):
        ax.axvline(y, color="#999999", linewidth=0.7, linestyle=":")
    ax.set_xlim(0, float(results[0][1].times[-1]))
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("years after the ceasefire (0 = the day it starts)")
    ax.set_ylabel("P(ceasefire still holds)\n(1 = sure to hold, 0 = sure to have broken down)")
    ax.set_title(
        "Will the ceasefire hold? Probability it still holds, by year "
        "(mean over parameter draws, 5-95 % band shaded)",
        loc="left",
        fontsize=11,
    )
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", fontsize=8.5, ncol=1, frameon=False, **_note(note))
    return fig


def plot_survival(
    results: Sequence[tuple[str, DurabilityResult]], path: Path, *, note: str = ""
) -> Path:
    """Survival curves (mean over parameter draws) with 5-95 % bands, one per deal (PNG)."""
    return save_figure(survival_figure(results, note=note), path)


@plain_text
def deterrence_figure(
    results: Sequence[tuple[str, DurabilityResult]],
    params: DurabilityParameters,
    *,
    note: str = "",
) -> Figure:
    """Capacities (top), deterrence balance (middle) and the window of vulnerability (bottom)."""
    n = len(results)
    fig = new_figure(figsize=(10, 9.4 + 0.5 * n), layout="constrained")
    top, mid, low = fig.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.2, 0.18 + 0.12 * n]}
    )
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):  # room for titles and edge ticks
        engine.set(hspace=0.04)
    first = results[0][1]
    t = first.times
    a_lo, a_med, a_hi = np.quantile(first.deterrence.attacker, (0.05, 0.5, 0.95), axis=0)
    top.fill_between(t, a_lo, a_hi, color="#444444", alpha=0.10, linewidth=0)
    top.plot(t, a_med, color="#222222", linewidth=3, alpha=0.6)
    handles: list[Line2D] = [
        Line2D(
            [], [], color="#222222", linewidth=3, alpha=0.6, label="attacker (same for every deal)"
        )
    ]
    labels = [lab for lab, _ in results]
    defender = [np.quantile(r.deterrence.defender, 0.5, axis=0) for _, r in results]
    balance = [r.balance_band()[0] for _, r in results]
    groups = coincident_groups(balance, tol=0.005)
    same = _same_as(labels, groups, balance, 0.005)
    for k, (label, r) in enumerate(results):
        colour, marker, style = _style(k)
        rank, size = groups[k]
        every = _markevery(len(t), rank, size)
        line_kw: dict[str, Any] = {
            "color": colour,
            "linewidth": 2,
            "linestyle": style,
            "marker": marker,
            "markevery": every,
            "ms": 6,
            "mec": "white",
        }
        d_lo, d_hi = np.quantile(r.deterrence.defender, (0.05, 0.95), axis=0)
        top.fill_between(t, d_lo, d_hi, color=colour, alpha=0.07, linewidth=0)
        top.plot(t, defender[k], **line_kw)
        med, lo, hi = r.balance_band()
        mid.fill_between(t, lo, hi, color=colour, alpha=0.07, linewidth=0)
        mid.plot(t, med, **line_kw)
        windows = r.vulnerability_windows()
        span = "; ".join(f"{a:g}-{b:g} y" for a, b in windows) or "none"
        handles.append(
            Line2D(
                [],
                [],
                label=f"{clip(label, 60)}: window of vulnerability {span}{same[k]}",
                **line_kw,
            )
        )
        row = n - 1 - k
        for a, b in windows:
            low.barh(row, b - a, left=a, height=0.6, color=colour, alpha=0.85)
        if not windows:
            low.text(
                0.05,
                row,
                "none: the balance stays at or above parity",
                va="center",
                fontsize=7.5,
                color="0.3",
            )
    low.set_yticks(range(n), [clip(lab, 38) for lab in reversed(labels)], fontsize=7.5)
    low.set_ylim(-0.6, n - 0.4)
    low.set_ylabel("deal", fontsize=8)
    low.set_title(
        "Window of vulnerability: the years the balance is below parity\n(the attacker "
        "relatively stronger than when it agreed to stop)",
        loc="left",
        fontsize=9,
    )
    low.grid(axis="x", alpha=0.3)
    top.set_ylabel("capacity index\n(1 = each side's own forces\nat the ceasefire)", fontsize=9)
    top.set_title(
        "Attacker regeneration vs defender and backers (median, 5-95 % band)\nthe defender's "
        "curve adds its backers and any reassurance force to its own forces,\nso it can start "
        "above 1",
        loc="left",
        fontsize=9.5,
    )
    top.grid(alpha=0.3)
    mid.axhline(1.0, color="#222222", linewidth=1.2)
    handles.append(
        Line2D(
            [],
            [],
            color="#222222",
            linewidth=1.2,
            label="parity (1): the balance of a bare ceasefire",
        )
    )
    floor = params.ending.balance_floor
    mid.axhline(floor, color="#b22222", linewidth=1, linestyle="--")
    handles.append(
        Line2D(
            [],
            [],
            color="#b22222",
            linewidth=1,
            linestyle="--",
            label=f"capitulation floor {floor:g}",
        )
    )
    ddis = (
        ("ddis.local_war_years", "local war"),
        ("ddis.regional_war_years", "regional war"),
        ("ddis.large_war_years", "large war in Europe"),
    )
    marks = [params.value(pid) for pid, _ in ddis]
    for x in marks:
        for ax in (top, mid, low):
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
    low.set_xlim(0, float(t[-1]))
    mid.set_ylim(bottom=0)
    top.set_ylim(bottom=0)
    mid.set_ylabel(
        "deterrence balance\n(defender / attacker;\n1 = parity, 0 = defenceless)", fontsize=9
    )
    low.set_xlabel("years after the ceasefire (0 = the day it starts)")
    mid.set_title(
        "Deterrence balance: defender and backers over attacker (median, 5-95 % band)",
        loc="left",
        fontsize=9.5,
    )
    mid.grid(alpha=0.3)
    _hide_tick_labels(top, mid)
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=1,
        fontsize=8,
        frameon=False,
        **_note(note),
    )
    return fig


def _hide_tick_labels(*axes: Axes) -> None:
    for ax in axes:
        ax.tick_params(labelbottom=False)


def plot_deterrence(
    results: Sequence[tuple[str, DurabilityResult]],
    params: DurabilityParameters,
    path: Path,
    *,
    note: str = "",
) -> Path:
    """Capacities, deterrence balance and window of vulnerability of each deal (PNG)."""
    return save_figure(deterrence_figure(results, params, note=note), path)
