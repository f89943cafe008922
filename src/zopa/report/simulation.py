"""Simulated talks drawn and written: offers in utility space, "How the talks might go".

The plot puts each offer of a run at its utilities to two parties (one axis each), in
the order made, one line per proposer (and the mediator's texts), with the no-deal
point, the table's Nash and Kalai-Smorodinsky packages and the agreement marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zopa.report.figures import clip, new_figure, plain_text, save_figure
from zopa.report.text import fmt_number

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from matplotlib.figure import Figure

    from zopa.service.simulate import SimulationResult


@plain_text
def offers_figure(
    result: SimulationResult, *, run: int = 0, pair: Sequence[str] | None = None
) -> Figure:
    """Offers of one run in the utility space of two parties (default: the first two)."""
    import numpy as np

    from zopa.negotiation import MEDIATOR, NO_PACKAGE

    table = result.table
    chosen = result.runs[run]
    a, b = tuple(pair) if pair is not None else table.parties[:2]
    actors = table.space.actor_ids
    ia, ib = actors.index(a), actors.index(b)
    fig = new_figure(figsize=(6.4, 5.6), layout="constrained")
    ax = fig.subplots()
    transcript = chosen.outcome.transcript
    if transcript is not None:
        speakers = sorted({s.party for s in transcript.steps})
        for k, who in enumerate(speakers):
            steps = [
                s for s in transcript.steps if s.party == who and int(s.offer[0, 0]) != NO_PACKAGE
            ]
            if not steps:
                continue
            pk = np.stack([s.offer[0] for s in steps])
            u = table.utilities(pk, everyone=True, draw=0)[0]
            name = "mediator" if who == MEDIATOR else table.parties[who]
            ax.plot(
                u[:, ia],
                u[:, ib],
                "-o",
                ms=3,
                lw=1,
                alpha=0.8,
                label=f"offers of {clip(name, 20)}",
                color=f"C{k}",
            )
    nd = table.no_deal[0]
    ax.plot([nd[ia]], [nd[ib]], "kx", ms=9, label="no agreement")
    for pkg, label, marker in (
        (table.nash, "Nash", "*"),
        (table.kalai_smorodinsky, "Kalai–Smorodinsky", "D"),
    ):
        if pkg is not None:
            u = table.utilities(pkg[None], everyone=True, draw=0)[0, 0]
            ax.plot(
                [u[ia]],
                [u[ib]],
                marker,
                color="black",
                ms=10 if marker == "*" else 6,
                mfc="none",
                label=label,
            )
    if chosen.outcome.agreed[0]:
        u = chosen.settlement.utility[0]
        ax.plot(
            [u[ia]],
            [u[ib]],
            "o",
            color="green",
            ms=12,
            mfc="none",
            mew=2,
            label=f"agreement (round {int(chosen.outcome.round[0]) + 1})",
        )
    ax.set_xlabel(f"utility of {clip(a, 30)}")
    ax.set_ylabel(f"utility of {clip(b, 30)}")
    agents = ", ".join(f"{p}: {s}" for p, s in chosen.agents.items())
    ax.set_title(clip(f"{result.protocol}: {agents}", 80), fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    return fig


def plot_offers(
    result: SimulationResult, path: Path, *, run: int = 0, pair: Sequence[str] | None = None
) -> Path:
    """Write :func:`offers_figure` as PNG to ``path``."""
    return save_figure(offers_figure(result, run=run, pair=pair), path)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.0f}%"


def _absent_lines(res: SimulationResult, d: dict[str, Any]) -> list[str]:
    """What the veto players outside the table get from the deals reached without them."""
    space = res.table.space
    out = []
    for k, actor in enumerate(space.actor_ids):
        if actor in res.table.parties or not space.veto[k]:
            continue
        gains = [r["gains"][actor] for r in d["runs"] if r["agreed"]]
        if not gains:
            continue
        low, high = min(gains), max(gains)
        span = (
            fmt_number(low, 3) if low == high else f"{fmt_number(low, 3)} to {fmt_number(high, 3)}"
        )
        verdict = (
            "below its utility of no agreement in every deal: it would reject them"
            if high < -1e-9
            else "at least its utility of no agreement in some deals"
        )
        out.append(f"{actor}, a veto player not at the table, gains {span}: {verdict}.")
    return [*out, ""] if out else []


def talks_section(
    results: Sequence[tuple[str, SimulationResult]],
    charts: Sequence[Path | None] = (),
    *,
    relative_to: Path | None = None,
) -> list[str]:
    """The report's section "How the talks might go": Markdown lines.

    Args:
        results: (label, simulation) pairs, e.g. one per table composition.
        charts: One offers plot per simulation (or ``None``).
        relative_to: Folder the image links are relative to.
    """
    lines = ["## How the talks might go", ""]
    lines.append(
        "Simulated negotiations between rule-based agents over the deal space "
        "(docs/simulation.md): each row is one pairing of strategies, run on the stated "
        "stances and over Monte Carlo draws of the positions. Agents know their own "
        "stance and the others' stated ones; these are strategies, not forecasts of "
        "what the governments will do."
    )
    lines.append("")
    for n, (label, res) in enumerate(results):
        d: dict[str, Any] = res.to_dict()
        table = d["table"]
        lines.append(f"### {label}")
        lines.append("")
        aside = d["set_aside"]
        lines.append(
            f"Protocol **{d['protocol']}**, at the table: {', '.join(table['parties'])} "
            f"(required: {', '.join(table['required'])}); deadline {table['deadline']} rounds"
            + (f"; set aside at the status quo: {', '.join(aside)}" if aside else "")
            + f"; {d['draws']:,} draws."
        )
        lines.append("")
        parties = table["parties"]
        head = [
            "agents",
            "outcome",
            "round",
            *[f"gain {p}" for p in parties],
            "from Nash",
            "agreed in draws",
            *[f"mean gain {p}" for p in parties],
        ]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for r in d["runs"]:
            mc = r.get("monte_carlo") or {}
            agents = ", ".join(f"{p}: {a}" for p, a in r["agents"].items())
            outcome = "agreement" if r["agreed"] else r["ended"].replace("_", " ")
            cells = [
                agents,
                outcome,
                str(r["round"] + 1),
                *[fmt_number(r["gains"][p], 3) for p in parties],
                "—" if r["distance_nash"] is None else f"{r['distance_nash']:.3f}",
                _pct(mc.get("agreement_rate")),
                *["—" if not mc else fmt_number(mc["gain_mean"][p], 3) for p in parties],
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        rates = [r["monte_carlo"]["agreement_rate"] for r in d["runs"] if r.get("monte_carlo")]
        agreed = sum(1 for r in d["runs"] if r["agreed"])
        spread = ""
        if rates:
            low, high = _pct(min(rates)), _pct(max(rates))
            spread = f"; over the draws, agreement in {low if low == high else low + '–' + high}"
            spread += " of the runs" + (" of every pairing" if low == high else "")
        lines.append(
            f"{agreed} of {len(d['runs'])} pairings agree on the stated stances{spread}. "
            'Gains are utility over no agreement (0..1); "from Nash" is the mean share of '
            "each issue's scale between the agreed package and the table's Nash package."
        )
        lines.append("")
        lines += _absent_lines(res, d)
        chart = charts[n] if n < len(charts) else None
        if chart is not None:
            link = chart.relative_to(relative_to) if relative_to is not None else chart
            lines.append(f"![Offers over rounds: {label}]({link.as_posix()})")
            lines.append("")
    return lines
