"""Pictures of the deal space.

- :func:`plot_intervals`: one row per issue; every party's acceptable interval (from its
  red line) as a coloured bar, its position as a dot, the status quo as a black tick, and
  the overlap shaded green. Where the parties' intervals do not meet, the gap is hatched
  red, so an empty zone of possible agreement shows at a glance.
- :func:`plot_utility_space`: two actors' utilities for every package (a sample when the
  space is large), the feasible packages, the Pareto frontier of the two, the bargaining
  solutions and the no-agreement point.
- :func:`plot_table_composition`: each actor's utility under the deal each table
  reaches, with its no-agreement utility marked and absent actors hatched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from zopa.agreements.frontier import issue_frontier, nondominated
from zopa.agreements.space import acceptable_interval
from zopa.report.figures import new_figure, save_figure

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from numpy.typing import NDArray

    from zopa.agreements.analysis import DealAnalysis
    from zopa.agreements.tables import TableComparison

_COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
)
_SOLUTION_STYLE = {
    "nash": ("*", "#000000", "Nash"),
    "kalai_smorodinsky": ("D", "#ff7f0e", "Kalai–Smorodinsky"),
    "maximin": ("^", "#9467bd", "maximin"),
    "utilitarian": ("s", "#8c564b", "utilitarian"),
}


def plot_intervals(analysis: DealAnalysis, path: Path) -> Path:
    """Per-issue acceptable intervals of every party and their overlap (PNG)."""
    sp = analysis.space
    parties = list(sp.party_index)
    n_i, n_p = sp.n_issues, max(len(parties), 1)
    same_scale = bool(
        np.all(sp.scale_min == sp.scale_min[0]) and np.all(sp.scale_max == sp.scale_max[0])
    )
    lo_all = float(sp.scale_min[0]) if same_scale else 0.0
    hi_all = float(sp.scale_max[0]) if same_scale else 1.0

    def x(v: float, i: int) -> float:
        if same_scale:
            return v
        return (v - float(sp.scale_min[i])) / float(sp.width[i])

    fig = new_figure(figsize=(11, 1.2 + 0.55 * n_i * (0.6 + 0.25 * n_p)), layout="constrained")
    ax = fig.subplots()
    row_h = 0.8 / n_p
    for i in range(n_i):
        y0 = n_i - 1 - i
        ints = []
        for k, a in enumerate(parties):
            lo, hi = acceptable_interval(
                float(sp.position[a, i]),
                float(sp.red_line[a, i]),
                float(sp.scale_min[i]),
                float(sp.scale_max[i]),
            )
            ints.append((lo, hi))
            yy = y0 + 0.4 - (k + 0.5) * row_h
            colour = _COLOURS[k % len(_COLOURS)]
            ax.plot(
                [x(lo, i), x(hi, i)],
                [yy, yy],
                color=colour,
                lw=6 if n_p < 4 else 4,
                solid_capstyle="butt",
                alpha=0.85,
            )
            if sp.salience[a, i] > 0:
                ax.plot(
                    [x(float(sp.position[a, i]), i)],
                    [yy],
                    "o",
                    color="white",
                    mec=colour,
                    mew=1.5,
                    ms=6,
                    zorder=5,
                )
        lo_c = max(v[0] for v in ints) if ints else float(sp.scale_min[i])
        hi_c = min(v[1] for v in ints) if ints else float(sp.scale_max[i])
        if lo_c <= hi_c:
            ax.add_patch(
                Rectangle(
                    (x(lo_c, i), y0 - 0.45),
                    max(x(hi_c, i) - x(lo_c, i), 0.004 * (hi_all - lo_all)),
                    0.9,
                    color="#2ca02c",
                    alpha=0.18,
                    lw=0,
                    zorder=0,
                )
            )
        else:
            ax.add_patch(
                Rectangle(
                    (x(hi_c, i), y0 - 0.45),
                    x(lo_c, i) - x(hi_c, i),
                    0.9,
                    facecolor="none",
                    edgecolor="#c0392b",
                    hatch="///",
                    lw=0,
                    zorder=0,
                )
            )
            ax.text(
                x((lo_c + hi_c) / 2, i),
                y0,
                "no overlap",
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9},
                color="#c0392b",
                fontsize=8,
                fontweight="bold",
            )
        zr = analysis.zopa.ranges.get(sp.issue_ids[i])
        if zr is not None:
            ax.plot(
                [x(zr[0], i), x(zr[1], i)],
                [y0 - 0.47, y0 - 0.47],
                color="#145a32",
                lw=2.5,
                solid_capstyle="butt",
            )
        sq = float(sp.status_quo[i])
        if np.isfinite(sq):
            ax.plot([x(sq, i)] * 2, [y0 - 0.45, y0 + 0.45], color="black", lw=1.2, ls="--")
    ax.set_yticks(range(n_i))
    ax.set_yticklabels(list(reversed(sp.issue_ids)))
    ax.set_ylim(-0.7, n_i - 0.3)
    pad = 0.02 * (hi_all - lo_all)
    ax.set_xlim(lo_all - pad, hi_all + pad)
    ax.set_xlabel(
        "issue scale" if same_scale else "position on the issue's scale (0 = min, 1 = max)"
    )
    ax.grid(axis="x", color="0.9")
    handles: list[Artist] = [
        Patch(color=_COLOURS[k % len(_COLOURS)], label=f"{sp.actor_ids[a]} accepts")
        for k, a in enumerate(parties)
    ]
    handles += [
        Patch(color="#2ca02c", alpha=0.25, label="red lines overlap"),
        Patch(facecolor="none", edgecolor="#c0392b", hatch="///", label="red lines collide"),
        Line2D([], [], color="#145a32", lw=2.5, label="ZOPA range (all constraints)"),
        Line2D([], [], color="black", ls="--", label="status quo"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="0.3", label="position"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08 if n_i > 6 else -0.18),
        ncol=min(len(handles), 4),
        fontsize=8,
        frameon=False,
    )
    state = "EMPTY" if analysis.zopa.empty else "not empty"
    ax.set_title(
        f"Acceptable ranges of the parties — zone of possible agreement {state}",
        loc="left",
        fontsize=11,
    )
    return save_figure(fig, path)


def _sample_packages(sizes: Sequence[int], n: int, seed: int = 0) -> NDArray[np.intp]:
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, k, size=n) for k in sizes], axis=1)


def plot_utility_space(analysis: DealAnalysis, a: str, b: str, path: Path) -> Path:
    """Two actors' utility space: packages, feasible ones, frontier, solutions, status quo."""
    sp = analysis.space
    ia, ib = sp.actor_ids.index(a), sp.actor_ids.index(b)
    if sp.size <= 200_000:
        pk = sp.unravel(np.arange(sp.size))
        label_all = f"all {sp.size:,} packages"
    else:
        pk = _sample_packages(sp.n_levels, 30_000)
        label_all = f"random sample of {len(pk):,} of {sp.size:.2g} packages"
    u = sp.utilities(pk)
    feas = sp.feasible(pk)
    fig = new_figure(figsize=(7.5, 6.5), layout="constrained")
    ax = fig.subplots()
    ax.scatter(
        u[:, ia], u[:, ib], s=4, color="0.6", alpha=0.5, lw=0, label=label_all, rasterized=True
    )
    if feas.any():
        ax.scatter(
            u[feas, ia],
            u[feas, ib],
            s=5,
            color="#2ca02c",
            alpha=0.7,
            lw=0,
            label="feasible (in the ZOPA)",
            rasterized=True,
        )
    _fpk, fu = issue_frontier(sp, np.array([ia, ib]))
    order = np.argsort(fu[:, 0])
    ax.plot(
        fu[order, 0], fu[order, 1], color="#1f77b4", lw=1.5, label=f"Pareto frontier of {a} and {b}"
    )
    _, fb = issue_frontier(sp, np.array([ia, ib]), allowed=sp.box())
    if len(fb):
        order = np.argsort(fb[:, 0])
        ax.plot(
            fb[order, 0],
            fb[order, 1],
            color="#1f77b4",
            lw=1.2,
            ls="--",
            label="... within every party's red lines",
        )
    if analysis.zopa.frontier is not None and len(analysis.zopa.frontier):
        zu = sp.utilities(analysis.zopa.frontier)[:, [ia, ib]]
        keep = nondominated(zu)
        ax.scatter(
            zu[keep, 0],
            zu[keep, 1],
            s=14,
            color="#145a32",
            label="frontier within the ZOPA",
            zorder=4,
        )
    for concept, (marker, colour, label) in _SOLUTION_STYLE.items():
        s = analysis.solutions[concept]
        if s.package is not None:
            ax.scatter(
                [s.utilities[a]],
                [s.utilities[b]],
                marker=marker,
                s=140,
                color=colour,
                edgecolor="white",
                lw=0.8,
                zorder=6,
                label=label,
            )
    core = analysis.core
    if core is not None and core.solutions["nash"].package is not None:
        cs = core.solutions["nash"]
        ax.scatter(
            [cs.utilities[a]],
            [cs.utilities[b]],
            marker="*",
            s=170,
            facecolor="white",
            edgecolor="black",
            lw=1.2,
            zorder=6,
            label=f"Nash with {', '.join(analysis.set_aside)} set aside",
        )
    sqa, sqb = float(sp.sq_utility[ia]), float(sp.sq_utility[ib])
    ax.scatter([sqa], [sqb], marker="X", s=120, color="#c0392b", zorder=6, label="no agreement")
    ax.axvline(sqa, color="#c0392b", lw=0.8, ls=":")
    ax.axhline(sqb, color="#c0392b", lw=0.8, ls=":")
    ax.set_xlabel(f"utility of {a}")
    ax.set_ylabel(f"utility of {b}")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.grid(color="0.92")
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title(f"Utility space: {a} vs {b} ({analysis.method})", loc="left", fontsize=11)
    return save_figure(fig, path)


def plot_deals(
    analysis: DealAnalysis, folder: Path, *, pair: Sequence[str] | None = None
) -> list[Path]:
    """Write the interval plot and a utility-space plot into ``folder``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = [plot_intervals(analysis, folder / "deals-intervals.png")]
    sp = analysis.space
    if pair is None:
        ids = list(analysis.parties) + [a for a in sp.actor_ids if a not in analysis.parties]
        pair = ids[:2]
    if len(pair) == 2:
        a, b = pair
        out.append(plot_utility_space(analysis, a, b, folder / f"deals-utility-{a}-{b}.png"))
    return out


def plot_table_composition(comparison: TableComparison, path: Path) -> Path:
    """Each actor's utility under each table's deal, no-deal utility marked (PNG)."""
    names = list(comparison.tables)
    actors = list(comparison.actor_ids)
    n_t = max(len(names), 1)
    fig = new_figure(figsize=(max(9.0, 0.32 * len(actors) * n_t + 3), 5.8), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / n_t
    xs = np.arange(len(actors))
    for k, name in enumerate(names):
        t = comparison.tables[name]
        colour = _COLOURS[k % len(_COLOURS)]
        vals = np.array([np.nan if t.deal is None else t.deal.utilities[a] for a in actors])
        label = f"{name} ({', '.join(t.members)})"
        if t.deal is None:
            label += ": no deal"
        elif t.set_aside:
            label += f"; set aside: {', '.join(t.set_aside)}"
        bars = ax.bar(
            xs - 0.4 + (k + 0.5) * width, np.nan_to_num(vals), width, color=colour, label=label
        )
        for j, a in enumerate(actors):
            if a not in t.members:
                bars[j].set_facecolor("white")
                bars[j].set_edgecolor(colour)
                bars[j].set_hatch("////")
    ax.scatter(
        xs,
        [comparison.no_deal[a] for a in actors],
        marker="_",
        s=260,
        linewidths=2.5,
        color="black",
        zorder=5,
        label="no agreement",
    )
    ax.set_xticks(xs)
    ax.set_xticklabels([f"{a}*" if comparison.veto[a] else a for a in actors])
    ax.set_ylabel("utility under the table's deal (Nash package)")
    ax.set_ylim(0, 1.05)
    ax.grid(axis="y", color="0.92")
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(facecolor="white", edgecolor="0.4", hatch="////"))
    labels.append("hatched: actor not at the table")
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=1,
        fontsize=8,
        frameon=False,
    )
    ax.set_title(
        "Who is at the table: each actor's utility under each table's deal (* veto player)",
        loc="left",
        fontsize=11,
    )
    return save_figure(fig, path)
