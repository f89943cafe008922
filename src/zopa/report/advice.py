"""The report's advice section: where each advised party's effort pays.

Renders the documented JSON of ``zopa advise`` (one per advised actor), so the report
says what the command says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

#: Levers of each group (own moves, persuasion) shown per actor.
SHOWN = 3


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.4f}"


def _deal(lever: Mapping[str, Any]) -> str:
    deal = lever["deal"]
    if deal is None:
        return "—"
    text = _signed(deal["benefit"])
    return f"opens the zone ({text})" if deal["opens_zone"] else text


def _rows(levers: Sequence[Mapping[str, Any]], deal: bool) -> list[str]:
    header = ["#", "lever", "model", *(["deal"] if deal else []), "cost"]
    out = ["| " + " | ".join(header) + " |", "|---:|---|" + "---:|" * (len(header) - 2)]
    for lv in levers[:SHOWN]:
        cells = [str(lv["rank"]), lv["text"].replace("|", "/"), _signed(lv["benefit"])]
        cells += [_deal(lv)] if deal else []
        cells.append(f"{lv['cost']:.3f}")
        out.append("| " + " | ".join(cells) + " |")
    return out


def _actor_lines(advice: Mapping[str, Any]) -> list[str]:
    actor = advice["actor"]
    stated = advice["stated"]
    deal = stated["deal"]
    line = f"**{actor}** — utility of the {advice['model']} forecast as stated: "
    line += f"{stated['expected_utility']:.3f}"
    if deal is not None:
        line += "; of the deal: " + (
            "none" if deal["utility"] is None else f"{deal['utility']:.3f}"
        )
        if not deal["zone_open"] and deal["set_aside"]:
            line += f" (the core deal, {', '.join(deal['set_aside'])} set aside)"
    lines = [f"### {actor}", "", line + ".", ""]
    with_deal = deal is not None
    if advice["own"]:
        lines += [f"Own moves of {actor}:", "", *_rows(advice["own"], with_deal), ""]
    lines += ["Whom to work on:", "", *_rows(advice["persuasion"], with_deal), ""]
    if with_deal:
        best = advice["best_for_deal"]
        if best:
            lines += ["Best for the deal (either group):", "", *_rows(best, with_deal), ""]
        else:
            lines += [f"No single lever raises {actor}'s utility of the deal.", ""]
        if not deal["zone_open"]:
            opening = advice["levers_opening_the_zone"]
            lines += [
                f"{opening} of {advice['levers_evaluated']} levers open the empty zone "
                "of agreement."
                if opening
                else "No single lever opens the empty zone of agreement.",
                "",
            ]
    return lines


def advice_section(advices: Sequence[Mapping[str, Any]]) -> list[str]:
    """``## Where does effort pay?``: the top levers of each advised actor."""
    if not advices:
        return []
    first = advices[0]
    lines = [
        "## Where does effort pay? Advice for " + ", ".join(a["actor"] for a in advices),
        "",
        f"Each party's best own moves and the shifts most worth asking of others (top "
        f"{SHOWN} of each): a position or red line moved by {first['position_step']:g}% "
        f"of the issue's scale, a salience by {first['salience_step']:g}. *model*: the "
        f"change in the party's utility (0..1) of the {first['model']} forecast; *deal*: "
        "the change in its utility of the Nash deal between the parties "
        f"({', '.join(first['parties'])}); *cost*: the utility the mover gives up (its "
        "stated position or red line, with its own saliences). Benefit and cost are "
        "separate: a move can pay in the forecast and cost more than it brings.",
        "",
        f"**Caveat.** {first['caveat']}",
        "",
    ]
    for advice in advices:
        lines += _actor_lines(advice)
    lines += ["The full ranking: `zopa advise SCENARIO --actor ID` (docs/advise.md).", ""]
    return lines
