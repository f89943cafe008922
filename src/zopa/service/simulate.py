"""Simulated talks: a protocol, an agent per party, tournaments and Monte Carlo draws.

``simulate(scenario, ...)`` sets the table over the scenario's deal space, runs the
chosen protocol once on the stated stances for every combination of the strategies
given for each party (a tournament), keeps the transcript of each, and, with
``draws > 0``, runs every combination again over that many draws of the positions
(within the analysts' ranges), batched. The result says, per combination: agreement or
breakdown, the package, the round, every actor's utility against no deal (parties and
actors outside the table), and the distance from the table's Nash and
Kalai-Smorodinsky packages.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from zopa.service.deals import option_problems
from zopa.service.errors import AnalysisFailed, BadInput, argument_problem
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from zopa.io.errors import Problem
    from zopa.negotiation import Outcome, Settlement, Table
    from zopa.scenario import Scenario

#: Most strategy combinations one call plays.
MAX_COMBINATIONS = 1000
#: Largest number of Monte Carlo draws.
MAX_DRAWS = 100_000
#: The value of ``set_aside`` that sets aside the issues whose red lines collide.
COLLIDING = "colliding"


@dataclass(frozen=True, eq=False)
class SimulatedRun:
    """One combination of agents: the stated run and, with draws, the batch.

    Attributes:
        agents: Party -> strategy name.
        outcome: The run on the stated stances (one draw, with its transcript).
        settlement: What it gives every actor.
        draws: The run over the Monte Carlo draws (``None`` without draws).
        draws_settlement: What each draw gives every actor.
    """

    agents: dict[str, str]
    outcome: Outcome
    settlement: Settlement
    draws: Outcome | None = None
    draws_settlement: Settlement | None = None


@dataclass(frozen=True, eq=False)
class SimulationResult(Result):
    """Every run of a simulation, with the table it ran at."""

    scenario: Scenario
    protocol: str
    table: Table
    runs: tuple[SimulatedRun, ...]
    n_draws: int
    seed: int
    set_aside: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa simulate`` (docs/simulation.md)."""
        from zopa.negotiation.table import describe

        t = self.table
        actors = t.space.actor_ids
        out: dict[str, Any] = {
            "protocol": self.protocol,
            "table": describe(t),
            "absent": [a for a in actors if a not in t.parties],
            "set_aside": list(self.set_aside),
            "draws": self.n_draws,
            "seed": self.seed,
            "parameters": self.parameters,
            "no_deal_utility": {
                a: round(float(v), 9) for a, v in zip(actors, t.no_deal_stated, strict=True)
            },
            "nash": None if t.nash is None else t.package_dict(t.nash),
            "kalai_smorodinsky": (
                None if t.kalai_smorodinsky is None else t.package_dict(t.kalai_smorodinsky)
            ),
            "solution_note": t.solution_note,
            "runs": [self._run_dict(r) for r in self.runs],
        }
        data: dict[str, Any] = jsonable(out)
        return data

    def _run_dict(self, run: SimulatedRun) -> dict[str, Any]:
        from zopa.negotiation import Ending

        t = self.table
        o, s = run.outcome, run.settlement
        actors = t.space.actor_ids
        walked = int(o.walked[0])
        out: dict[str, Any] = {
            "agents": run.agents,
            "agreed": bool(o.agreed[0]),
            "ended": Ending(int(o.ended[0])).name.lower(),
            "round": int(o.round[0]),
            "walked_away": None if walked < 0 else t.parties[walked],
            "package": t.package_dict(o.package[0]) if o.agreed[0] else None,
            "utilities": {a: round(float(v), 9) for a, v in zip(actors, s.utility[0], strict=True)},
            "gains": {a: round(float(v), 9) for a, v in zip(actors, s.gain[0], strict=True)},
            "distance_nash": _num(s.distance_nash[0]),
            "distance_ks": _num(s.distance_ks[0]),
            "transcript": (o.transcript.records(t) if o.transcript is not None else None),
        }
        if run.draws is not None and run.draws_settlement is not None:
            out["monte_carlo"] = _draws_dict(t, run.draws, run.draws_settlement)
        return out

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per run and actor: the agents, how it ended, the actor's utility and gain."""
        t = self.table
        rows = []
        for r in self.runs:
            label = agents_label(r.agents)
            o, s = r.outcome, r.settlement
            mc = None
            if r.draws is not None and r.draws_settlement is not None:
                mc = _draws_dict(t, r.draws, r.draws_settlement)
            for k, a in enumerate(t.space.actor_ids):
                row: dict[str, Any] = {
                    "agents": label,
                    "actor": a,
                    "at_table": a in t.parties,
                    "agreed": bool(o.agreed[0]),
                    "round": int(o.round[0]),
                    "utility": round(float(s.utility[0, k]), 9),
                    "gain": round(float(s.gain[0, k]), 9),
                    "distance_nash": _num(s.distance_nash[0]),
                }
                if mc is not None:
                    row["agreement_rate"] = mc["agreement_rate"]
                    row["mean_gain"] = mc["gain_mean"][a]
                rows.append(row)
        return rows


def take_draws(
    outcome: Outcome, start: int, stop: int | None, *, transcript: bool = True
) -> Outcome:
    """The outcome of draws ``start:stop`` (with the transcript cut to them, if kept)."""
    from dataclasses import replace

    from zopa.negotiation import Actions, Step

    cut = slice(start, stop)
    record = None
    if transcript and outcome.transcript is not None:
        steps = tuple(
            Step(
                round=s.round,
                party=s.party,
                move=s.move[cut],
                offer=s.offer[cut],
                answers=tuple(
                    Actions(a.move[cut], a.offer[cut], a.message[cut] if a.message else ())
                    for a in s.answers
                ),
                refused=s.refused[cut] if s.refused else (),
                message=s.message[cut] if s.message else (),
            )
            for s in outcome.transcript.steps
        )
        record = replace(outcome.transcript, steps=steps)
    return replace(
        outcome,
        agreed=outcome.agreed[cut],
        package=outcome.package[cut],
        round=outcome.round[cut],
        ended=outcome.ended[cut],
        walked=outcome.walked[cut],
        transcript=record,
    )


def take_settlement(s: Settlement, start: int, stop: int | None) -> Settlement:
    """The settlement of draws ``start:stop``."""
    from dataclasses import replace

    cut = slice(start, stop)
    return replace(
        s,
        utility=s.utility[cut],
        gain=s.gain[cut],
        distance_nash=s.distance_nash[cut],
        distance_ks=s.distance_ks[cut],
    )


def agents_label(agents: Mapping[str, str]) -> str:
    """``RU=boulware UA=linear``."""
    return " ".join(f"{p}={a}" for p, a in agents.items())


def _num(v: float) -> float | None:
    import math

    return None if math.isnan(float(v)) else round(float(v), 6)


def _draws_dict(t: Table, o: Outcome, s: Settlement) -> dict[str, Any]:
    import numpy as np

    agreed = o.agreed
    actors = t.space.actor_ids
    dn = s.distance_nash[agreed]
    return {
        "draws": int(agreed.size),
        "agreement_rate": round(float(agreed.mean()), 6),
        "mean_round": round(float(o.round[agreed].mean()), 3) if agreed.any() else None,
        "gain_mean": {
            a: round(float(v), 9) for a, v in zip(actors, s.gain.mean(axis=0), strict=True)
        },
        "gain_p5": {
            a: round(float(v), 9)
            for a, v in zip(actors, np.percentile(s.gain, 5, axis=0), strict=True)
        },
        "gain_p95": {
            a: round(float(v), 9)
            for a, v in zip(actors, np.percentile(s.gain, 95, axis=0), strict=True)
        },
        "distance_nash_mean": round(float(np.nanmean(dn)), 6)
        if dn.size and not np.isnan(dn).all()
        else None,
    }


def simulation_problems(
    scenario: Scenario,
    *,
    protocol: str,
    parties: Sequence[str],
    agents: Mapping[str, Sequence[str]],
    params: Mapping[str, Mapping[str, Any]],
    quorum: float,
    veto: Sequence[str] | None,
    deadline: int,
    draws: int,
    no_deal: Mapping[str, float],
    set_aside: Sequence[str],
    tournament: bool = False,
    same: bool = False,
) -> list[Problem]:
    """Every problem with the arguments of :func:`simulate`, at once."""
    import zopa.llm  # noqa: F401  (registers the language-model agent)
    from zopa.negotiation import AGENTS, PROTOCOLS

    known = scenario.actor_ids
    problems = []
    if protocol not in PROTOCOLS.names():
        problems.append(
            argument_problem(
                "protocol", "unknown protocol", got=protocol, expected=", ".join(PROTOCOLS.names())
            )
        )
    unknown = [p for p in parties if p not in known]
    if unknown:
        problems.append(
            argument_problem(
                "parties", f"unknown actor(s); known: {', '.join(known)}", got=",".join(unknown)
            )
        )
    if len(set(parties)) != len(parties):
        problems.append(
            argument_problem("parties", "an actor is named twice", got=",".join(parties))
        )
    if len(parties) < 2:
        problems.append(
            argument_problem("parties", "a table needs at least two parties", got=",".join(parties))
        )
    if protocol == "alternating" and len(parties) != 2:
        problems.append(
            argument_problem(
                "parties",
                "alternating offers takes exactly two parties (the stacked protocol takes more)",
                got=",".join(parties),
            )
        )
    for party, names in agents.items():
        if party not in parties:
            problems.append(
                argument_problem(
                    "agents", f"{party} is not at the table ({', '.join(parties)})", got=party
                )
            )
        for name in names:
            if name not in AGENTS.names():
                problems.append(
                    argument_problem(
                        "agents",
                        f"unknown agent for {party}",
                        got=name,
                        expected=", ".join(AGENTS.names()),
                    )
                )
        if not names:
            problems.append(argument_problem("agents", f"no agent given for {party}", got=party))
        external = [
            n for n in names if n in AGENTS.names() and getattr(AGENTS.get(n), "external", False)
        ]
        if external and draws > 0:
            problems.append(
                argument_problem(
                    "draws",
                    f"the {external[0]} agent ({party}) plays the stated stances only",
                    got=draws,
                    expected="0",
                )
            )
    for name, values in params.items():
        if name not in AGENTS.names():
            problems.append(
                argument_problem(
                    "params", "unknown agent", got=name, expected=", ".join(AGENTS.names())
                )
            )
            continue
        from zopa.negotiation import RegistryError

        try:
            AGENTS.make(name, **values)
        except RegistryError as exc:
            problems += [argument_problem("params", m, got=name) for m in exc.problems]
    if not 0.0 <= quorum <= 1.0:
        problems.append(argument_problem("quorum", "out of range", got=quorum, expected="0..1"))
    for v in veto or ():
        if v not in parties:
            problems.append(
                argument_problem("veto", "not at the table", got=v, expected=", ".join(parties))
            )
    if not 1 <= deadline <= 10_000:
        problems.append(
            argument_problem("deadline", "out of range", got=deadline, expected="1..10000")
        )
    if not 0 <= draws <= MAX_DRAWS:
        problems.append(
            argument_problem("draws", "out of range", got=draws, expected=f"0..{MAX_DRAWS}")
        )
    for actor, value in no_deal.items():
        if actor not in known:
            problems.append(
                argument_problem("no_deal", "unknown actor", got=actor, expected=", ".join(known))
            )
        if not 0.0 <= value <= 1.0:
            problems.append(
                argument_problem("no_deal", f"{actor}: a utility lies in 0..1", got=value)
            )
    for issue in set_aside:
        if issue != COLLIDING and issue not in scenario.issue_ids:
            problems.append(
                argument_problem(
                    "set_aside",
                    "unknown issue",
                    got=issue,
                    expected=f"{', '.join(scenario.issue_ids)} or {COLLIDING}",
                )
            )
        elif issue != COLLIDING and scenario.issue(issue).status_quo is None:
            problems.append(
                argument_problem(
                    "set_aside",
                    "an issue set aside stays at its status quo, and it has none",
                    got=issue,
                )
            )
    n = 1
    for p in parties:
        n *= max(1, len(agents.get(p, tournament_agents() if tournament else ("x",))))
    if same:
        n = len({a for p in parties for a in agents.get(p, ())}) or 1
    if n > MAX_COMBINATIONS:
        problems.append(
            argument_problem(
                "agents", f"{n} combinations of agents, more than {MAX_COMBINATIONS}", got=n
            )
        )
    return problems


def tournament_agents() -> list[str]:
    """The registered agents a tournament plays: those that call out to no server."""
    import zopa.llm  # noqa: F401  (registers the language-model agent)
    from zopa.negotiation import AGENTS

    return [n for n in AGENTS.names() if not getattr(AGENTS.get(n), "external", False)]


def default_parties(scenario: Scenario) -> list[str]:
    """The veto players when there are at least two, else every actor."""
    veto = [a.id for a in scenario.actors if a.veto]
    return veto if len(veto) >= 2 else list(scenario.actor_ids)


def default_agent(scenario: Scenario, party: str) -> str:
    """``boulware`` for a party with a red line (it holds firm), else ``linear``."""
    has_red = any(s.actor == party and s.red_line is not None for s in scenario.stances)
    return "boulware" if has_red else "linear"


def simulate(
    scenario: Scenario,
    *,
    protocol: str = "alternating",
    parties: Sequence[str] | None = None,
    agents: Mapping[str, Sequence[str]] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    quorum: float = 1.0,
    veto: Sequence[str] | None = None,
    deadline: int = 50,
    draws: int = 0,
    seed: int = 0,
    grid: int = 11,
    loss: str = "linear",
    no_deal: Mapping[str, float] | None = None,
    set_aside: Sequence[str] = (),
    transcripts: bool = True,
    tournament: bool = False,
    same: bool = False,
    replay: Sequence[Mapping[str, Any]] | None = None,
) -> SimulationResult:
    """Simulate the talks.

    Args:
        scenario: The negotiation.
        protocol: A registered protocol (``alternating``, ``stacked``, ``mediator``,
            ``concession``).
        parties: Actor ids at the table, in speaking order (default: the veto players
            when there are two or more, else everyone).
        agents: Party -> strategy names; every combination is played (a tournament).
            A party not given plays ``boulware`` if it has a red line, else ``linear``.
        params: Strategy name -> its parameters (e.g. ``{"boulware": {"beta": 0.2}}``).
        quorum: Share of the parties that are not required whose acceptance is needed.
        veto: Parties whose acceptance is required (default: the veto players at the
            table, or every party when none is one).
        deadline: Rounds before the talks end without agreement.
        draws: Monte Carlo draws of the positions (0: the stated stances only).
        seed: Seed of the draws and of the agents.
        grid: Evenly spaced levels per issue.
        loss: ``"linear"`` or ``"quadratic"``.
        no_deal: Stated alternatives: actor -> utility of no agreement (default: the
            status quo's utility).
        set_aside: Issues kept off the table at their status quo; ``"colliding"`` sets
            aside those on which the parties' red lines collide (as ``tables`` does).
        transcripts: Keep each stated run's transcript.
        tournament: Every registered agent for each party not given in ``agents``.
        same: Every party plays the same strategy: one run per strategy named in
            ``agents`` (in order) instead of every combination.
        replay: Runs recorded by an earlier simulation (the ``runs`` of its JSON, each
            with ``agents`` and ``transcript``): each is played again through the same
            protocol from its recorded answers, calling no agent (a run with language
            models is reproducible from its record). Only with ``draws=0``.

    Raises:
        BadInput: Every problem with the arguments at once.
        AnalysisFailed: The talks could not be set up.
    """
    import numpy as np

    from zopa.agreements import build_space
    from zopa.agreements.space import issue_levels
    from zopa.negotiation import AGENTS, PROTOCOLS, briefs, make_table, negotiate, settle
    from zopa.negotiation.table import colliding_issues
    from zopa.uncertainty import sample_positions

    table_parties = list(parties) if parties is not None else default_parties(scenario)
    chosen = {p: list(v) for p, v in (agents or {}).items()}
    params = {k: dict(v) for k, v in (params or {}).items()}
    alternatives = dict(no_deal or {})
    problems = option_problems(grid=grid, loss=loss, method="auto")
    problems += simulation_problems(
        scenario,
        protocol=protocol,
        parties=table_parties,
        agents=chosen,
        params=params,
        quorum=quorum,
        veto=veto,
        deadline=deadline,
        draws=draws,
        no_deal=alternatives,
        set_aside=set_aside,
        tournament=tournament,
        same=same,
    )
    if replay is not None:
        problems += replay_problems(replay, table_parties, draws)
    if problems:
        raise BadInput(problems)
    for p in table_parties:
        chosen.setdefault(p, tournament_agents() if tournament else [default_agent(scenario, p)])
    view = scenario.arrays()
    try:
        space = build_space(
            view, grid=grid, loss=cast("Any", loss), extra_levels=issue_levels(scenario)
        )
        aside = [i for i in set_aside if i != COLLIDING]
        if COLLIDING in set_aside:
            aside += [i for i in colliding_issues(space, table_parties) if i not in aside]
        if aside:
            space = space.set_aside([scenario.issue_ids.index(i) for i in aside])
        rules = {
            "parties": table_parties,
            "veto": veto,
            "quorum": quorum,
            "deadline": deadline,
            "no_deal": alternatives,
        }
        joint = None
        if draws > 0:
            # the stated stances ride along as draw 0 of the batch: one run gives both
            sampled = sample_positions(view, draws, np.random.default_rng(seed))
            joint = view.with_draws(
                position=np.concatenate([view.position, sampled.position]),
                salience=np.concatenate([view.salience, sampled.salience]),
                capability=np.concatenate([view.capability, sampled.capability]),
            )
        table = make_table(space, draws=joint, **rules)  # type: ignore[arg-type]
    except (ValueError, KeyError) as exc:
        raise AnalysisFailed(str(exc)) from exc
    rule = PROTOCOLS.make(protocol)
    if replay is not None:
        return _replayed(scenario, protocol, table, replay, seed, tuple(aside), params)
    party_briefs = briefs(table, scenario)
    runs = []
    if same:
        names = list(dict.fromkeys(n for p in table_parties for n in chosen[p]))
        combos: list[tuple[str, ...]] = [(n,) * len(table_parties) for n in names]
    else:
        combos = list(itertools.product(*[chosen[p] for p in table_parties]))
    for combo in combos:
        made = [AGENTS.make(name, **params.get(name, {})) for name in combo]
        from zopa.llm import LanguageModelError

        try:
            out = negotiate(
                table, rule, made, seed=seed, record=transcripts, party_briefs=party_briefs
            )
        except LanguageModelError as exc:
            raise AnalysisFailed(str(exc)) from exc
        settled = settle(table, out)
        agents_of = dict(zip(table_parties, combo, strict=True))
        run = SimulatedRun(agents_of, take_draws(out, 0, 1), take_settlement(settled, 0, 1))
        if draws > 0:
            run = SimulatedRun(
                agents_of,
                run.outcome,
                run.settlement,
                take_draws(out, 1, None, transcript=False),
                take_settlement(settled, 1, None),
            )
        runs.append(run)
    return SimulationResult(
        scenario=scenario,
        protocol=protocol,
        table=table,
        runs=tuple(runs),
        n_draws=draws,
        seed=seed,
        set_aside=tuple(aside),
        parameters={name: dict(p) for name, p in params.items()},
    )


def replay_problems(
    replay: Sequence[Mapping[str, Any]], parties: Sequence[str], draws: int
) -> list[Problem]:
    """Every problem with recorded runs to replay at a table of ``parties``."""
    problems = []
    if draws > 0:
        problems.append(
            argument_problem(
                "draws", "a replay plays the recorded runs only", got=draws, expected="0"
            )
        )
    if not replay:
        problems.append(argument_problem("replay", "no recorded runs"))
    for k, run in enumerate(replay):
        agents = run.get("agents") if isinstance(run, Mapping) else None
        record = run.get("transcript") if isinstance(run, Mapping) else None
        if not isinstance(agents, Mapping) or list(agents) != list(parties):
            problems.append(
                argument_problem(
                    "replay",
                    f"run {k + 1}: its parties differ from the table's",
                    got=",".join(agents) if isinstance(agents, Mapping) else agents,
                    expected=",".join(parties),
                )
            )
        if not isinstance(record, list):
            problems.append(
                argument_problem("replay", f"run {k + 1}: no transcript was recorded", got=k + 1)
            )
    return problems


def _replayed(
    scenario: Scenario,
    protocol: str,
    table: Table,
    replay: Sequence[Mapping[str, Any]],
    seed: int,
    aside: tuple[str, ...],
    params: Mapping[str, Mapping[str, Any]],
) -> SimulationResult:
    """The recorded runs played again through ``protocol`` from their transcripts."""
    from zopa.negotiation import PROTOCOLS, settle, transcript_from_records
    from zopa.negotiation import replay as replay_run

    runs = []
    for k, recorded in enumerate(replay):
        try:
            transcript = transcript_from_records(recorded["transcript"], table)
            out = replay_run(PROTOCOLS.make(protocol), table, transcript)
        except (KeyError, ValueError, IndexError, TypeError) as exc:
            raise BadInput(
                [argument_problem("replay", f"run {k + 1}: the record cannot be read ({exc})")]
            ) from None
        runs.append(SimulatedRun(dict(recorded["agents"]), out, settle(table, out)))
    return SimulationResult(
        scenario=scenario,
        protocol=protocol,
        table=table,
        runs=tuple(runs),
        n_draws=0,
        seed=seed,
        set_aside=aside,
        parameters={name: dict(p) for name, p in params.items()},
    )


#: The strategies the report plays against each other.
REPORT_AGENTS = ("boulware", "linear", "conceder", "nash_seeker")
#: Most tables the report simulates (the default one first).
REPORT_TABLES = 3


def report_talks(
    scenario: Scenario,
    tables: Mapping[str, Sequence[str]],
    *,
    draws: int,
    seed: int,
    grid: int = 11,
) -> tuple[tuple[str, SimulationResult], ...]:
    """The simulations behind the report's section "How the talks might go".

    The default table (the veto players, or everyone) and each table given (up to
    :data:`REPORT_TABLES` in all), the issues where red lines collide set aside. Two
    parties play alternating offers, every pairing of :data:`REPORT_AGENTS`; more play
    stacked alternating offers, every party with the same strategy, one run per strategy.
    """
    plan: list[tuple[str, list[str]]] = []
    default = default_parties(scenario)
    plan.append((f"{', '.join(default)} at the table", default))
    for name, members in tables.items():
        ordered = [a for a in scenario.actor_ids if a in set(members)]
        if len(ordered) >= 2 and ordered != default and len(plan) < REPORT_TABLES:
            plan.append((f"{name}: {', '.join(ordered)} at the table", ordered))
    out: list[tuple[str, SimulationResult]] = []
    for label, parties in plan:
        common: dict[str, Any] = {
            "parties": parties,
            "set_aside": [COLLIDING],
            "draws": draws,
            "seed": seed,
            "grid": grid,
            "transcripts": True,
        }
        if len(parties) == 2:
            res = simulate(
                scenario,
                protocol="alternating",
                agents={p: list(REPORT_AGENTS) for p in parties},
                **common,
            )
        else:
            res = simulate(
                scenario,
                protocol="stacked",
                agents={p: list(REPORT_AGENTS) for p in parties},
                same=True,
                **common,
            )
        out.append((label, res))
    return tuple(out)
