"""The acceptable-ranges picture of the deal space: what each party accepts, issue by issue.

:func:`plot_intervals` draws one row per issue, named; every party's acceptable interval
(from its red line) as a coloured bar, faded where even its best terms on every other issue
leave it worse off than no deal (:func:`no_deal_intervals`), its position as a dot, the
status quo as a dashed tick. Grey shading marks where the parties' ranges meet on that
issue alone; red hatching the gap where their red lines collide, grey hatching the gap
the no-deal limit leaves; dark green lines the zone of possible agreement on each issue,
drawn only when the zone is not empty. The title says whether the zone is empty and why
(colliding red lines, or a party that would rather have no deal), so that the picture
and the verdict agree.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from zopa.agreements.space import UTILITY_TOL, acceptable_interval
from zopa.report.figures import (
    SERIES_COLOURS,
    clip,
    new_figure,
    plain_text,
    save_figure,
    scale_ends,
)

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure
    from numpy.typing import NDArray

    from zopa.agreements.analysis import DealAnalysis
    from zopa.agreements.space import DealSpace

_COLOURS = SERIES_COLOURS
_RED = "#c0392b"


def no_deal_intervals(space: DealSpace) -> NDArray[np.float64]:
    """(A, I, 2) per actor and issue, the values it could prefer to no agreement at all.

    A package is only acceptable to an actor whose utility beats no agreement. On one
    issue, a value can pass that test only if the actor's best attainable terms on every
    other issue (within every party's red lines where they overlap) make up for it; the
    values that pass form an interval because each issue's utility term is concave. NaN
    where no value passes. This is the no-deal constraint drawn issue by issue: necessary
    for a value to be in the zone, not sufficient.
    """
    box = space.box()
    best = np.stack(
        [
            np.where(ok[None, :] if ok.any() else True, t, -np.inf).max(axis=1)
            for t, ok in zip(space.terms, box, strict=True)
        ],
        axis=1,
    )  # (A, I) each actor's best term on each issue
    total = best.sum(axis=1)
    out = np.full((space.n_actors, space.n_issues, 2), np.nan)
    for i, (levels, terms) in enumerate(zip(space.levels, space.terms, strict=True)):
        rest = total - best[:, i]
        passes = terms + rest[:, None] >= space.sq_utility[:, None] - UTILITY_TOL
        for a in range(space.n_actors):
            if passes[a].any():
                out[a, i] = (levels[passes[a]].min(), levels[passes[a]].max())
    return out


def _blocking(analysis: DealAnalysis) -> tuple[list[str], list[str], list[str]]:
    """Why the zone is empty, from the conflicts found.

    Returns:
        The issues where red lines alone collide; the parties whose no-deal value is in a
        conflict; the issues whose red lines are in a conflict with a no-deal value.
    """
    collide: list[str] = []
    no_deal: list[str] = []
    with_no_deal: list[str] = []
    for members in analysis.conflict_constraints():
        red = [c.issue for c in members if c.kind == "red_line" and c.issue is not None]
        walk_away = [c.actor for c in members if c.kind == "no_deal"]
        if not walk_away:
            collide += [i for i in red if i not in collide]
        else:
            no_deal += [a for a in walk_away if a not in no_deal]
            with_no_deal += [i for i in red if i not in with_no_deal]
    return list(dict.fromkeys(collide)), no_deal, list(dict.fromkeys(with_no_deal))


@plain_text
def intervals_figure(analysis: DealAnalysis) -> Figure:
    """Per-issue acceptable intervals of every party, the no-deal limit and the overlap."""
    sp = analysis.space
    actor_name = analysis.actor_names or {}
    issue_name = analysis.issue_names or {}
    parties = list(sp.party_index)
    n_i, n_p = sp.n_issues, max(len(parties), 1)
    same_scale = bool(
        np.all(sp.scale_min == sp.scale_min[0]) and np.all(sp.scale_max == sp.scale_max[0])
    )
    lo_all = float(sp.scale_min[0]) if same_scale else 0.0
    hi_all = float(sp.scale_max[0]) if same_scale else 1.0
    span = hi_all - lo_all
    no_deal = no_deal_intervals(sp)
    blocking, walk_away, walk_away_issues = _blocking(analysis)

    def x(v: float, i: int) -> float:
        if same_scale:
            return v
        return (v - float(sp.scale_min[i])) / float(sp.width[i])

    row_h = 0.62 / n_p
    fig = new_figure(figsize=(11, 2.4 + n_i * (0.5 + 0.16 * n_p)), layout="constrained")
    ax = fig.subplots()
    for i in range(n_i):
        y0 = n_i - 1 - i
        meets_lo, meets_hi = float(sp.scale_min[i]), float(sp.scale_max[i])
        if len(sp.levels[i]) == 1:  # no party holds a stance: left at its status quo
            ax.text(
                x(float(sp.levels[i][0]), i),
                y0 + 0.05,
                "  no party holds a stance here: it stays at the status quo",
                va="center",
                fontsize=8,
                color="0.3",
            )
            parties_here: list[int] = []
        else:
            parties_here = parties
        solid: list[tuple[float, float]] = []
        for k, a in enumerate(parties_here):
            lo, hi = acceptable_interval(
                float(sp.position[a, i]),
                float(sp.red_line[a, i]),
                float(sp.scale_min[i]),
                float(sp.scale_max[i]),
            )
            nd_lo, nd_hi = no_deal[a, i]
            yy = y0 + 0.36 - (k + 0.5) * row_h
            colour = _COLOURS[k % len(_COLOURS)]
            # the red-line interval, faded; solid where the no-deal limit lets it pass too
            ax.plot(
                [x(lo, i), x(hi, i)],
                [yy, yy],
                color=colour,
                lw=5,
                alpha=0.3,
                solid_capstyle="butt",
            )
            ok_lo, ok_hi = max(lo, nd_lo), min(hi, nd_hi)
            if np.isfinite(ok_lo) and ok_lo <= ok_hi:
                ax.plot(
                    [x(ok_lo, i), x(ok_hi, i)],
                    [yy, yy],
                    color=colour,
                    lw=5,
                    solid_capstyle="butt",
                )
                meets_lo, meets_hi = max(meets_lo, ok_lo), min(meets_hi, ok_hi)
                solid.append((ok_lo, ok_hi))
            else:
                meets_lo, meets_hi = np.inf, -np.inf
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
        top, bottom = y0 + 0.4, y0 - 0.3
        if meets_lo <= meets_hi and parties_here:
            ax.add_patch(
                Rectangle(
                    (x(meets_lo, i), bottom),
                    max(x(meets_hi, i) - x(meets_lo, i), 0.004 * span),
                    top - bottom,
                    color="0.5",
                    alpha=0.13,
                    lw=0,
                    zorder=0,
                )
            )
        zr = analysis.zopa.ranges.get(sp.issue_ids[i])
        if zr is not None:
            ax.plot(
                [x(zr[0], i), x(zr[1], i)],
                [bottom, bottom],
                color="#145a32",
                lw=3,
                solid_capstyle="butt",
            )
        sq = float(sp.status_quo[i])
        if np.isfinite(sq):
            ax.plot([x(sq, i)] * 2, [bottom, top], color="black", lw=1.2, ls="--")
        g_lo, g_hi = _gap(sp, parties_here, i)
        edge = _RED
        if not np.isfinite(g_lo) and solid and max(v[0] for v in solid) > min(v[1] for v in solid):
            # the red lines meet, but the ranges left by the no-deal limit do not
            g_lo, g_hi = min(v[1] for v in solid), max(v[0] for v in solid)
            edge = "0.45"
        if np.isfinite(g_lo):
            ax.add_patch(
                Rectangle(
                    (x(g_lo, i), bottom),
                    x(g_hi, i) - x(g_lo, i),
                    top - bottom,
                    facecolor="none",
                    edgecolor=edge,
                    hatch="///" if edge == _RED else "\\\\",
                    lw=0,
                    zorder=0,
                )
            )
        ends = scale_ends(
            float(sp.scale_min[i]),
            float(sp.scale_max[i]),
            analysis_anchors(analysis, sp.issue_ids[i]),
            width=200,
        )
        for value, text, align in ((lo_all, ends[0], "left"), (hi_all, ends[1], "right")):
            ax.text(
                value,
                bottom - 0.02,
                clip(text.replace("\n", " "), 58),
                ha=align,
                va="top",
                fontsize=6.5,
                color="0.4",
            )
    labels = [clip(issue_name.get(iid, iid), 32) for iid in reversed(sp.issue_ids)]
    ax.set_yticks(range(n_i), labels, fontsize=8.5)
    for tick, iid in zip(ax.get_yticklabels(), reversed(sp.issue_ids), strict=True):
        if iid in blocking:
            tick.set_color(_RED)
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.62, n_i - 0.5)
    pad = 0.01 * span
    ax.set_xlim(lo_all - pad, hi_all + pad)
    ax.set_xlabel(
        f"position on each issue's scale ({lo_all:g} to {hi_all:g}; what the two ends mean "
        "is printed under each row)"
        if same_scale
        else "position on each issue's scale (0 = its lower end, 1 = its upper end; "
        "printed under each row)"
    )
    ax.set_ylabel("issue (red: its red lines collide)" if blocking else "issue")
    ax.grid(axis="x", color="0.93")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    handles: list[Artist] = [
        Line2D(
            [],
            [],
            color=_COLOURS[k % len(_COLOURS)],
            lw=5,
            label=clip(actor_name.get(sp.actor_ids[a], sp.actor_ids[a]), 30),
        )
        for k, a in enumerate(parties)
    ]
    handles += [
        Line2D(
            [],
            [],
            color="0.5",
            lw=5,
            alpha=0.3,
            label="faded: inside the red line, but worse than no deal",
        ),
        Line2D([], [], marker="o", ls="", mfc="white", mec="0.3", label="position"),
        Line2D([], [], color="black", ls="--", label="status quo (no agreement)"),
        Patch(color="0.5", alpha=0.25, label="the parties' ranges meet on this issue alone"),
        Patch(facecolor="none", edgecolor=_RED, hatch="///", label="red lines collide: no overlap"),
        Patch(
            facecolor="none",
            edgecolor="0.45",
            hatch="\\\\",
            label="no overlap once the no-deal limit is drawn",
        ),
        Line2D([], [], color="#145a32", lw=3, label="zone of possible agreement (every issue)"),
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=min(len(handles), 3),
        fontsize=8,
        frameon=False,
    )
    if analysis.zopa.empty:
        why = []
        if blocking:
            why.append(
                "red lines collide on "
                + ", ".join(clip(issue_name.get(b, b), 60) for b in blocking)
            )
        if walk_away:
            who = ", ".join(clip(actor_name.get(a, a), 30) for a in walk_away)
            within = (
                " within the red lines on "
                + ", ".join(clip(issue_name.get(i, i), 40) for i in walk_away_issues)
                if walk_away_issues
                else ""
            )
            why.append(f"{who} would rather have no deal than any package{within}")
        state = "EMPTY" + (": " + "; ".join(why) if why else "")
    else:
        state = "not empty: the dark green lines show each issue's range of feasible packages"
    fig.suptitle(
        "What each party accepts, issue by issue\n"
        + textwrap.fill("Zone of possible agreement " + state, 125),
        x=0.01,
        ha="left",
        fontsize=11,
    )
    return fig


def _gap(sp: DealSpace, parties: list[int], i: int) -> tuple[float, float]:
    """The stretch of issue ``i`` between the parties' red-line intervals (NaN if they meet)."""
    ints = [
        acceptable_interval(
            float(sp.position[a, i]),
            float(sp.red_line[a, i]),
            float(sp.scale_min[i]),
            float(sp.scale_max[i]),
        )
        for a in parties
    ]
    if not ints:
        return (np.nan, np.nan)
    hi = min(v[1] for v in ints)
    lo = max(v[0] for v in ints)
    return (hi, lo) if hi < lo else (np.nan, np.nan)


def analysis_anchors(analysis: DealAnalysis, issue_id: str) -> dict[float, str]:
    """The anchor texts of an issue, when the analysis carries them (else none)."""
    return dict(analysis.issue_anchors.get(issue_id, {}))


def plot_intervals(analysis: DealAnalysis, path: Path) -> Path:
    """Per-issue acceptable intervals of every party and their overlap (PNG)."""
    return save_figure(intervals_figure(analysis), path)
