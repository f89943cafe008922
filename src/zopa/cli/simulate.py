"""``zopa simulate``: run a negotiation protocol with rule-based agents, round by round."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.common import (
    FormatOption,
    OutputFormat,
    console,
    fail_all,
    fmt_number,
    load_or_exit,
    print_csv,
    print_result_json,
    service_errors,
    user_text,
)
from zopa.cli.parsing import parse_params

if TYPE_CHECKING:
    from zopa.service.simulate import SimulationResult

FLAGS = {
    "protocol": "--protocol",
    "parties": "--parties",
    "agents": "--agent",
    "params": "--param",
    "quorum": "--quorum",
    "veto": "--veto",
    "deadline": "--deadline",
    "draws": "--draws",
    "grid": "--grid",
    "loss": "--loss",
    "no_deal": "--no-deal",
    "set_aside": "--set-aside",
    "replay": "--replay",
}
"""The option of ``zopa simulate`` behind each argument of the service call."""


def _ids(text: str | None) -> list[str] | None:
    return None if text is None else [p.strip() for p in text.split(",") if p.strip()]


def read_recording(path: Path, bad: list[str]) -> list[dict[str, Any]] | None:
    """The runs recorded by ``--record`` (or ``--format json``); appends to ``bad``."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        bad.append(f"--replay {path}: cannot read the file ({exc.strerror})")
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "encoding"
        bad.append(f"--replay {path}:{where}: not a JSON recording of zopa simulate")
        return None
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, list):
        bad.append(f"--replay {path}: no 'runs' list (expected the JSON of zopa simulate)")
        return None
    return runs


def parse_agents(
    items: list[str], parties: list[str] | None, bad: list[str]
) -> dict[str, list[str]]:
    """``PARTY=NAME,NAME`` items (``*`` for every party at the table); appends to ``bad``."""
    out: dict[str, list[str]] = {}
    for item in items:
        party, sep, names = item.partition("=")
        chosen = [n.strip() for n in names.split(",") if n.strip()]
        if not sep or not party.strip() or not chosen:
            bad.append(f"--agent {item!r}: expected PARTY=AGENT[,AGENT...] (e.g. RU=boulware)")
            continue
        if party.strip() == "*":
            if parties is None:
                bad.append(f"--agent {item!r}: '*' needs --parties")
                continue
            for p in parties:
                out.setdefault(p, chosen)
            continue
        out[party.strip()] = chosen
    return out


def parse_agent_params(items: list[str], bad: list[str]) -> dict[str, dict[str, Any]]:
    """``AGENT.NAME=VALUE`` items as ``{agent: {name: value}}``; appends to ``bad``."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        agent, dot, name = key.partition(".")
        if not sep or not dot or not agent or not name:
            bad.append(f"--param {item!r}: expected AGENT.NAME=VALUE (e.g. boulware.beta=0.2)")
            continue
        out.setdefault(agent, {}).update(parse_params([f"{name}={raw}"]))
    return out


def parse_no_deal(items: list[str], bad: list[str]) -> dict[str, float]:
    """``ACTOR=UTILITY`` items; appends to ``bad``."""
    out: dict[str, float] = {}
    for item in items:
        actor, sep, raw = item.partition("=")
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not sep or not actor.strip() or value != value:
            bad.append(f"--no-deal {item!r}: expected ACTOR=UTILITY (e.g. UA=0.45)")
            continue
        out[actor.strip()] = value
    return out


def print_runs(result: SimulationResult) -> None:
    """One row per pairing of agents: outcome, round, gains, distance to Nash, draws."""
    from rich.table import Table

    d = result.to_dict()
    parties = d["table"]["parties"]
    console.print(
        f"protocol [bold]{d['protocol']}[/]; at the table: {', '.join(parties)} (required: "
        f"{', '.join(d['table']['required'])}); absent: {', '.join(d['absent']) or 'none'}; "
        f"{d['table']['candidates']:,} candidate packages"
        + (f"; set aside: {', '.join(d['set_aside'])}" if d["set_aside"] else "")
    )
    table = Table(title="Runs (gain = utility over no agreement)", title_justify="left")
    table.add_column("agents")
    table.add_column("outcome")
    table.add_column("round", justify="right")
    for p in parties:
        table.add_column(f"gain {p}", justify="right")
    table.add_column("from Nash", justify="right")
    if d["draws"]:
        table.add_column("agreed in draws", justify="right")
        for p in parties:
            table.add_column(f"mean gain {p}", justify="right")
    for r in d["runs"]:
        agents = ", ".join(f"{p}={a}" for p, a in r["agents"].items())
        outcome = "agreement" if r["agreed"] else r["ended"].replace("_", " ")
        if r["walked_away"]:
            outcome += f" ({r['walked_away']})"
        cells = [
            agents,
            outcome,
            str(r["round"] + 1),
            *[fmt_number(r["gains"][p], 3) for p in parties],
            fmt_number(r["distance_nash"], 3),
        ]
        mc = r.get("monte_carlo")
        if mc:
            cells.append(f"{100 * mc['agreement_rate']:.0f}%")
            cells += [fmt_number(mc["gain_mean"][p], 3) for p in parties]
        table.add_row(*cells)
    console.print(table)
    if d["nash"] is not None:
        console.print(
            f"Nash package of the table ({d['solution_note']}): "
            + ", ".join(f"{k}={v:g}" for k, v in d["nash"].items())
        )


def print_transcript(result: SimulationResult, run: int = 0) -> None:
    """The first run's steps: who did what, the package, the parties' utilities."""
    from rich.table import Table

    r = result.to_dict()["runs"][run]
    if r["transcript"] is None:
        return
    parties = result.table.parties
    table = Table(
        title=f"Transcript: {', '.join(f'{p}={a}' for p, a in r['agents'].items())}",
        title_justify="left",
    )
    table.add_column("round", justify="right")
    table.add_column("who")
    table.add_column("move")
    for p in parties:
        table.add_column(f"u {p}", justify="right")
    table.add_column("package")
    for step in r["transcript"]:
        u = step["utilities"] or {}
        pkg = step["package"]
        table.add_row(
            str(step["round"] + 1),
            step["party"],
            step["move"] + (" (refused: " + step["refused"] + ")" if step["refused"] else ""),
            *[fmt_number(u.get(p), 3) for p in parties],
            "" if pkg is None else ", ".join(f"{k}={v:g}" for k, v in pkg.items()),
        )
    console.print(table)


def simulate_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    protocol: Annotated[
        str,
        typer.Option(
            "--protocol", "-p", help="alternating (two parties), stacked, mediator or concession."
        ),
    ] = "alternating",
    parties: Annotated[
        str | None,
        typer.Option(
            "--parties",
            help="Comma-separated actor ids at the table, in speaking order "
            "(default: the veto players).",
        ),
    ] = None,
    agent: Annotated[
        list[str] | None,
        typer.Option(
            "--agent",
            "-a",
            help="PARTY=AGENT[,AGENT...]; '*' for every party. Several agents play a tournament.",
        ),
    ] = None,
    tournament: Annotated[
        bool,
        typer.Option(
            "--tournament", help="Every registered agent for every party without --agent."
        ),
    ] = False,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="AGENT.NAME=VALUE, e.g. boulware.beta=0.2.")
    ] = None,
    quorum: Annotated[
        float,
        typer.Option(
            "--quorum",
            help="Share of the parties that are not veto players whose acceptance is needed.",
        ),
    ] = 1.0,
    veto: Annotated[
        str | None,
        typer.Option(
            "--veto",
            help="Comma-separated parties whose acceptance is required "
            "(default: veto players at the table).",
        ),
    ] = None,
    deadline: Annotated[
        int, typer.Option("--deadline", help="Rounds before the talks end without agreement.")
    ] = 50,
    draws: Annotated[
        int,
        typer.Option(
            "--draws", help="Monte Carlo draws of the positions (0: stated stances only)."
        ),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws.")] = 0,
    grid: Annotated[
        int, typer.Option("--grid", min=2, max=201, help="Evenly spaced levels per issue.")
    ] = 11,
    loss: Annotated[
        str, typer.Option("--loss", help="Utility loss: linear or quadratic.")
    ] = "linear",
    no_deal: Annotated[
        list[str] | None,
        typer.Option("--no-deal", help="ACTOR=UTILITY: a stated alternative to agreement."),
    ] = None,
    set_aside: Annotated[
        list[str] | None,
        typer.Option(
            "--set-aside",
            help="An issue kept at its status quo; 'colliding' for those where red lines collide.",
        ),
    ] = None,
    transcript: Annotated[
        bool, typer.Option("--transcript", help="Print the first run's transcript.")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write the first run's offers in utility space to this PNG."),
    ] = None,
    record: Annotated[
        Path | None,
        typer.Option(
            "--record", help="Write every run with its transcript to this JSON file (for --replay)."
        ),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            help="Play the runs recorded in this JSON file again from their answers, calling no"
            " agent (same table options as the recording).",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Simulate the talks round by round with negotiating agents.

    Runs a protocol (bilateral alternating offers, stacked alternating offers, a
    mediator's single negotiating text, or monotonic concession) with a rule-based agent
    per party (Boulware, linear, Conceder, tit-for-tat, Nash seeker, hard-liner, Zeuthen);
    several agents per party play every combination. Reports agreement or breakdown, the
    round, each actor's gain over no deal, the distance from the Nash package and, with
    --draws, the same over Monte Carlo draws of the positions.

    Example:
        zopa simulate scenarios/ukraine-ceasefire-2026.yaml --parties RU,UA
        --set-aside colliding --agent '*=boulware,conceder' --draws 1000
    """
    from zopa import service

    party_ids = _ids(parties)
    bad: list[str] = []
    agents = parse_agents(agent or [], party_ids, bad)
    params = parse_agent_params(param or [], bad)
    alternatives = parse_no_deal(no_deal or [], bad)
    if plot is not None and plot.suffix.lower() != ".png":
        bad.append(f"--plot {plot}: expected a file name ending in .png")
    recorded = None if replay is None else read_recording(replay, bad)
    fail_all(bad)
    scenario = load_or_exit(file, quiet_warnings=True).scenario
    with service_errors(FLAGS):
        result = service.simulate(
            scenario,
            protocol=protocol,
            parties=party_ids,
            agents=agents,
            params=params,
            quorum=quorum,
            veto=_ids(veto),
            deadline=deadline,
            draws=draws,
            seed=seed,
            grid=grid,
            loss=loss,
            no_deal=alternatives,
            set_aside=set_aside or (),
            tournament=tournament,
            replay=recorded,
        )
    if record is not None:
        from zopa.io.atomic import atomic_write

        atomic_write(record, result.to_json())
        if output is OutputFormat.table:
            console.print(f"recorded {len(result.runs)} run(s) in {record}")
    if output is OutputFormat.json:
        print_result_json(result)
    elif output is OutputFormat.csv:
        rows = result.to_rows()
        header = list(rows[0]) if rows else []
        print_csv(header, [[row.get(k) for k in header] for row in rows])
    else:
        console.print(f"[bold]{user_text(scenario.title)}[/] — simulated talks")
        print_runs(result)
        if transcript:
            print_transcript(result)
    if plot is not None:
        from zopa.report.simulation import plot_offers

        written = plot_offers(result, plot)
        if output is OutputFormat.table:
            console.print(f"wrote {written}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("simulate")(simulate_command)
