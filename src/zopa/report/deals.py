"""Pictures of the deal space.

- :func:`plot_intervals` (in :mod:`zopa.report.deal_intervals`): what each party accepts,
  issue by issue, with the no-deal limit and why the zone is empty.
- :func:`plot_utility_space`: two actors' utilities for every package (a sample when the
  space is large), the feasible packages, the Pareto frontier of the two, the bargaining
  solutions and the no-agreement point.
- :func:`plot_table_composition`: each actor's utility under the deal each table
  reaches, with its no-agreement utility marked and absent actors hatched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.patches import Patch

from zopa.agreements.frontier import issue_frontier, nondominated
from zopa.report.deal_intervals import plot_intervals
from zopa.report.figures import (
    SERIES_COLOURS,
    clip,
    new_figure,
    plain_text,
    save_figure,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from matplotlib.figure import Figure
    from numpy.typing import NDArray

    from zopa.agreements.analysis import DealAnalysis
    from zopa.agreements.tables import TableComparison

_COLOURS = SERIES_COLOURS  # twenty distinct colours: parties and tables never share one
_SOLUTION_STYLE = {
    "nash": ("*", "#000000", "Nash"),
    "kalai_smorodinsky": ("D", "#ff7f0e", "Kalai–Smorodinsky"),
    "maximin": ("^", "#9467bd", "maximin"),
    "utilitarian": ("s", "#8c564b", "utilitarian"),
}


def _sample_packages(sizes: Sequence[int], n: int, seed: int = 0) -> NDArray[np.intp]:
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, k, size=n) for k in sizes], axis=1)


def plot_utility_space(analysis: DealAnalysis, a: str, b: str, path: Path) -> Path:
    """Two actors' utility space: packages, feasible ones, frontier, solutions, status quo."""
    return save_figure(utility_space_figure(analysis, a, b), path)


@plain_text
def utility_space_figure(analysis: DealAnalysis, a: str, b: str) -> Figure:
    """Two actors' utility space as a figure (see :func:`plot_utility_space`)."""
    name_a = clip(analysis.actor_names.get(a, a), 40)
    name_b = clip(analysis.actor_names.get(b, b), 40)
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
    fig = new_figure(figsize=(10, 6.5), layout="constrained")
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
        fu[order, 0],
        fu[order, 1],
        color="#1f77b4",
        lw=1.5,
        label=f"Pareto frontier of {name_a} and {name_b}",
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
    ax.set_xlabel(f"utility of {name_a} (0 = its worst package, 1 = its ideal)")
    ax.set_ylabel(f"utility of {name_b} (0 = its worst package, 1 = its ideal)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.grid(color="0.92")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    ax.set_title(
        f"What each package gives {name_a} and {name_b}: packages, frontier and solutions "
        f"({analysis.method})",
        loc="left",
        fontsize=11,
    )
    return fig


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
    return save_figure(table_composition_figure(comparison), path)


@plain_text
def table_composition_figure(comparison: TableComparison) -> Figure:
    """Each actor's utility under each table's deal as a figure."""
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
    ax.hlines(
        [comparison.no_deal[a] for a in actors],
        xs - 0.44,
        xs + 0.44,
        color="black",
        linewidth=2,
        zorder=5,
        label="no agreement (each actor's utility without a deal)",
    )
    ax.set_xticks(xs)
    ax.set_xticklabels([f"{a}*" if comparison.veto[a] else a for a in actors])
    ax.set_ylabel("utility under the table's deal (Nash package)\n(0 = worst package, 1 = ideal)")
    ax.set_xlabel("actor (* veto player)")
    ax.set_ylim(0, 1.05)
    ax.grid(axis="y", color="0.92")
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(facecolor="white", edgecolor="0.4", hatch="////"))
    labels.append("hatched: actor not at the table")
    fig.legend(handles, labels, loc="outside lower center", ncol=1, fontsize=8, frameon=False)
    ax.set_title(
        "Who is at the table: each actor's utility under the deal each table reaches",
        loc="left",
        fontsize=11,
    )
    return fig
