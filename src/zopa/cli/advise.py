"""``zopa advise``: where one party's effort pays — its own moves, and whom to work on."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
    load_or_exit,
    print_csv,
    print_result_json,
    service_errors,
)
from zopa.cli.parsing import parse_params
from zopa.cli.progress import progress_bar, wanted

if TYPE_CHECKING:
    from zopa.advice import LeverEffect
    from zopa.service.advise import AdviceResult

FLAGS = {
    "actor": "--actor",
    "model": "--model",
    "params": "--param",
    "position_step": "--step",
    "salience_step": "--salience-step",
    "draws": "--draws",
    "grid": "--grid",
    "loss": "--loss",
    "method": "--method",
    "parties": "--parties",
    "rank_by": "--rank-by",
    "top": "--top",
}
"""The option of ``zopa advise`` behind each argument of the service call."""


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.4f}"


def _change(e: LeverEffect) -> str:
    lv = e.lever
    if lv.dropped:
        return f"drop red line {lv.old:g}"
    if lv.kind == "salience":
        return f"salience {lv.old:.2f}→{lv.new:.2f}"
    return f"{lv.kind.replace('_', ' ')} {lv.old:g}→{lv.new:g}"


def _deal_cell(e: LeverEffect) -> str:
    if e.opens_zone:
        return f"opens {_signed(e.deal_benefit)}"
    return _signed(e.deal_benefit) if e.deal is not None else "—"


def _lever_table(title: str, effects: tuple[LeverEffect, ...], *, who: bool, deal: bool) -> None:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("#", justify="right")
    if who:
        table.add_column("actor")
    table.add_column("issue", overflow="fold")
    table.add_column("change")
    table.add_column("model", justify="right")
    if deal:
        table.add_column("deal", justify="right")
    table.add_column("cost", justify="right")
    for k, e in enumerate(effects, 1):
        cells = [str(k)] + ([e.lever.actor] if who else [])
        cells += [e.lever.issue, _change(e), _signed(e.benefit)]
        cells += [_deal_cell(e)] if deal else []
        cells.append(f"{e.lever.cost:.3f}")
        table.add_row(*cells)
    console.print(table)


def print_advice(result: AdviceResult) -> None:
    """The stated outcome, the caveat, and the two ranked tables (fits 80 columns)."""
    a = result.advice
    console.print(
        f"[bold]Advice for {a.actor}[/] — model {a.model}"
        + (f", mean of {a.draws} draws" if a.draws else "")
        + (f"; deal: Nash package of {', '.join(a.parties)}" if a.deal is not None else "")
    )
    line = f"{a.actor}'s utility (0..1) as stated: forecast {a.expected_utility:.3f}"
    if a.deal is not None:
        if a.deal_utility is None:
            line += "; no deal"
        else:
            line += f"; deal {a.deal_utility:.3f}"
        if not a.deal.zone_open:
            line += " (zone empty"
            line += (
                f", core deal without {', '.join(a.deal.set_aside)})" if a.deal.set_aside else ")"
            )
    console.print(line)
    console.print(f"[yellow]{a.caveat}[/]")
    deal = a.deal is not None
    own = result.own()
    if own:
        _lever_table(f"Own moves ({a.actor}), best first", own, who=False, deal=deal)
    else:
        console.print(f"{a.actor} holds no stance to move.")
    _lever_table(
        "Whom to work on: shifts to ask of others", result.persuasion(), who=True, deal=deal
    )
    if deal:
        best = result.best_for_deal()
        if best:
            _lever_table("Best for the deal (either group)", best, who=True, deal=True)
        else:
            console.print(f"No single lever raises {a.actor}'s utility of the deal.")
        if a.deal is not None and not a.deal.zone_open:
            opening = sum(e.opens_zone for e in a.effects)
            console.print(
                f"{opening} lever(s) open the empty zone of agreement."
                if opening
                else "No single lever opens the empty zone of agreement."
            )
    step = f"{a.position_step:g}% of the scale"
    console.print(
        f"model / deal: change of {a.actor}'s utility (0..1) of the {a.model} forecast / of "
        "the Nash deal; opens: the lever opens the empty zone. cost: utility the mover "
        f"gives up (its stated position or red line, its own saliences). Steps: {step}, "
        f"salience {a.salience_step:g}; {len(a.effects)} levers evaluated."
    )


def advise(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV, XLSX...).")],
    actor: Annotated[str, typer.Option("--actor", "-a", help="The party to advise (actor id).")],
    model: Annotated[
        str,
        typer.Option(
            "--model", "-m", help="Forecasting model (default: compromise, the reference)."
        ),
    ] = "compromise",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Model parameter NAME=VALUE (repeatable)."),
    ] = None,
    step: Annotated[
        float,
        typer.Option("--step", help="Position and red-line step, % of each issue's scale."),
    ] = 10.0,
    salience_step: Annotated[
        float, typer.Option("--salience-step", help="Salience step (saliences are 0..1).")
    ] = 0.1,
    draws: Annotated[
        int,
        typer.Option("--draws", help="Monte Carlo draws of positions; benefit = mean (0: none)."),
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed for draws and random models.")
    ] = 0,
    deals: Annotated[
        bool,
        typer.Option(
            "--deals/--no-deals", help="Also score each lever on a party under the deal space."
        ),
    ] = True,
    grid: Annotated[int, typer.Option("--grid", help="Deal space: levels per issue.")] = 11,
    loss: Annotated[str, typer.Option("--loss", help="Utility loss: linear or quadratic.")] = (
        "linear"
    ),
    method: Annotated[
        str, typer.Option("--method", help="Deal space: auto, enumeration or milp.")
    ] = "auto",
    parties: Annotated[
        str | None,
        typer.Option("--parties", help="Who must accept a deal, ID,ID (default: veto players)."),
    ] = None,
    rank_by: Annotated[
        str, typer.Option("--rank-by", help="Rank by 'forecast' benefit or 'deal' benefit.")
    ] = "forecast",
    top: Annotated[
        int | None, typer.Option("--top", "-n", help="Levers shown per group (default: 10).")
    ] = 10,
    fmt: FormatOption = OutputFormat.table,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Show a progress bar over the deal space on stderr (default: when stderr is "
            "a terminal).",
        ),
    ] = None,
) -> None:
    """Rank a party's own moves and whom to work on by what they do for its outcome.

    Own moves shift the party's position or salience on an issue, or relax or drop one
    of its red lines; persuasion shifts another actor's position or salience (or a
    party's red line) by the step. Each lever's benefit is the change in the party's
    utility of the model's forecast (all levers in one batched model run) and of the
    Nash deal; its cost is the utility the mover gives up. Other parties are held to
    the model's behaviour. The deal space solves one package space per lever on a
    party's stance (about a minute on the flagship); --no-deals skips it. See
    docs/advise.md.

    Example:
        zopa advise scenarios/ukraine-ceasefire-2026.yaml --actor EU --top 5
        zopa advise my.yaml -a UA --model median --no-deals --format json
    """
    from zopa import service

    params = parse_params(param or [])
    party_list = None
    if parties is not None:
        party_list = [p.strip() for p in parties.split(",") if p.strip()]
    source = load_or_exit(file)
    show = wanted(progress) and deals
    with service_errors(FLAGS), progress_bar("deal space per lever", show=show) as on_solved:
        result = service.advise(
            source.scenario,
            actor=actor,
            model=model,
            params=params,
            position_step=step,
            salience_step=salience_step,
            draws=draws,
            seed=seed,
            deal_space=deals,
            grid=grid,
            loss=loss,
            method=method,
            parties=party_list,
            rank_by=rank_by,
            top=top,
            progress=on_solved,
        )
    if fmt is OutputFormat.json:
        print_result_json(result)
    elif fmt is OutputFormat.csv:
        rows = result.to_rows()
        header = list(rows[0]) if rows else ["group", "rank"]
        print_csv(header, [["" if _missing(r[h]) else r[h] for h in header] for r in rows])
    else:
        print_advice(result)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(advise)
