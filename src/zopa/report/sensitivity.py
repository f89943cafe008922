"""Sensitivity charts and wording: which inputs drive each issue's forecast.

One horizontal bar chart per issue: for the most influential inputs, the first-order Sobol'
index (the share of the forecast's variance an input explains alone) and the total-order
index (alone or with others) side by side, with 95% confidence whiskers. For Morris, one
bar per input: mu*, the mean absolute change of the forecast over the input's range, with
its confidence whisker, and sigma as a dot.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import PercentFormatter

from zopa.report.figures import clip, new_figure, plain_text, save_figure
from zopa.uncertainty.sensitivity import shown_morris, shown_sobol

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import NDArray

    from zopa.scenario import Scenario
    from zopa.uncertainty.sensitivity import IssueSensitivity, SensitivityResult


def plot_issue_sensitivity(
    scenario: Scenario,
    result: SensitivityResult,
    issue_id: str,
    path: Path,
    *,
    labels: Mapping[str, str],
    top: int = 10,
) -> Path | None:
    """Draw one issue's indices for its ``top`` inputs; ``None`` when it has none.

    ``labels`` maps input names to the words shown (e.g. "Russia's position on Territory").
    """
    fig = sensitivity_figure(scenario, result, issue_id, labels=labels, top=top)
    return None if fig is None else save_figure(fig, path)


@plain_text
def sensitivity_figure(
    scenario: Scenario,
    result: SensitivityResult,
    issue_id: str,
    *,
    labels: Mapping[str, str],
    top: int = 10,
) -> Figure | None:
    """One issue's indices for its ``top`` inputs as a figure; ``None`` when it has none."""
    issue_result = result.issue(issue_id)
    ranked = (
        shown_sobol(issue_result, top) if issue_result.sobol else shown_morris(issue_result, top)
    )
    if not ranked:
        return None
    wrapped = [
        "\n".join(textwrap.wrap(clip(labels.get(r.input, r.input), 110), 38)) for r in ranked
    ]
    n = len(ranked)
    y = np.arange(n)[::-1].astype(float)
    fig = new_figure(figsize=(9.5, 1.7 + 0.55 * n), layout="constrained")
    ax = fig.subplots()
    issue_name = clip(scenario.issue(issue_id).name, 90)
    if issue_result.sobol:
        _sobol_bars(ax, issue_result, y)
        ax.set_xlabel("share of the forecast's variance (0 % = no influence, 100 % = all of it)")
        what = "Sobol' indices"
    else:
        _morris_bars(ax, issue_result, y)
        ax.set_xlabel("change of the forecast over the input's range (scale points; 0 = no effect)")
        what = "Morris screening"
    ax.set_yticks(y, wrapped)
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylabel("input (varied over its range)")
    fig.legend(loc="outside lower center", ncol=2, frameon=False, fontsize=9)
    ax.set_title(
        f"What drives the {result.model} forecast of {issue_name}\n"
        f"{what}, {result.evaluations:,} runs, {result.distribution} ranges — "
        f"forecast {issue_result.mean:.1f} ± {issue_result.std:.1f} (sd)",
        loc="left",
        fontsize=11,
    )
    return fig


def _sobol_bars(ax: Axes, result: IssueSensitivity, y: NDArray[np.float64]) -> None:
    ranked = shown_sobol(result, len(y))
    s1 = np.array([r.first_order for r in ranked])
    s1c = np.array([r.first_order_conf for r in ranked])
    st = np.array([r.total_order for r in ranked])
    stc = np.array([r.total_order_conf for r in ranked])
    h = 0.38
    err = {"ecolor": "0.25", "capsize": 3, "lw": 1}
    total = "total order (alone + with others)"
    ax.barh(y + h / 2, st, h, xerr=stc, color="#1f77b4", label=total, error_kw=err)
    ax.barh(y - h / 2, s1, h, xerr=s1c, color="#9ecae1", label="first order (alone)", error_kw=err)
    right = float(np.nanmax(np.r_[st + stc, s1 + s1c, 0.1]))
    ax.set_xlim(min(0.0, float(np.nanmin(np.r_[s1 - s1c, 0.0]))), min(max(right * 1.08, 0.1), 1.15))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    for yy, value, conf in zip(y, st, stc, strict=True):
        ax.annotate(
            f"{value:.0%}",
            (max(value + conf, 0.0), yy + h / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="#1f4e79",
        )


def _morris_bars(ax: Axes, result: IssueSensitivity, y: NDArray[np.float64]) -> None:
    ranked = shown_morris(result, len(y))
    mu_star = np.array([r.mu_star for r in ranked])
    conf = np.array([r.mu_star_conf for r in ranked])
    sigma = np.array([r.sigma for r in ranked])
    ax.barh(
        y,
        mu_star,
        0.6,
        xerr=conf,
        color="#1f77b4",
        ecolor="0.25",
        capsize=3,
        label="mu* (mean absolute effect)",
    )
    ax.scatter(sigma, y, color="#d62728", zorder=5, s=22, label="sigma (spread of effects)")
    ax.set_xlim(0, float(np.nanmax(np.r_[mu_star + conf, sigma, 1.0])) * 1.08)


def plot_sensitivity(
    scenario: Scenario,
    result: SensitivityResult,
    folder: Path,
    *,
    labels: Mapping[str, str],
    top: int = 10,
) -> list[Path]:
    """One chart per analysed issue with indices: ``sensitivity-<model>-<method>-<issue>.png``."""
    written = []
    for issue in result.issues:
        path = folder / f"sensitivity-{result.model}-{result.method}-{issue.issue}.png"
        out = plot_issue_sensitivity(scenario, result, issue.issue, path, labels=labels, top=top)
        if out is not None:
            written.append(out)
    return written
