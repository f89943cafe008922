"""Running a protocol with chosen agents, and what every actor gets from the result.

:func:`briefs` writes each party's private brief; :func:`negotiate` starts one
negotiator per party and runs the protocol; :func:`settle` turns an outcome into every
actor's utility and gain (parties and outsiders), and the agreed package's distance
from the table's Nash and Kalai-Smorodinsky packages. The numbers are per draw; a
tournament is a loop over assignments of agents to parties (each run batched over draws).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.negotiation.interface import NO_PACKAGE, Brief, Outcome

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from zopa.negotiation.interface import Agent, NegotiationProtocol
    from zopa.negotiation.table import Table
    from zopa.scenario import Actor, Scenario, Source, Stance


def briefs(table: Table, scenario: Scenario | None = None) -> tuple[Brief, ...]:
    """Each party's private brief (with its stances and sources when ``scenario`` is given)."""
    u = table.utilities(table.candidates)  # (D, N, P)
    nd = table.no_deal_of_parties()
    out = []
    for p, party in enumerate(table.parties):
        a = int(table.party_index[p])
        actor: Actor | None = None
        stances: tuple[Stance, ...] = ()
        sources: tuple[Source, ...] = ()
        if scenario is not None:
            actor = scenario.actor(party)
            stances = tuple(s for s in scenario.stances if s.actor == party)
            cited = {c for st in stances for c in st.sources}
            sources = tuple(src for src in scenario.sources if src.id in cited)
        out.append(
            Brief(
                party=party,
                index=p,
                table=table,
                utility=np.ascontiguousarray(u[:, :, p]),
                no_deal=nd[:, p].copy(),
                allowed=tuple(np.asarray(al[a]) for al in table.space.allowed),
                actor=actor,
                stances=stances,
                sources=sources,
            )
        )
    return tuple(out)


def negotiate(
    table: Table,
    protocol: NegotiationProtocol,
    agents: Sequence[Agent],
    *,
    seed: int = 0,
    record: bool = True,
    party_briefs: Sequence[Brief] | None = None,
) -> Outcome:
    """Run ``protocol`` at ``table`` with one agent per party (in the table's order)."""
    if len(agents) != len(table.parties):
        raise ValueError(f"{len(agents)} agents for {len(table.parties)} parties")
    bs = briefs(table) if party_briefs is None else party_briefs
    seeds = np.random.SeedSequence(seed).spawn(len(agents))
    negotiators = tuple(
        agent.start(b, np.random.default_rng(s))
        for agent, b, s in zip(agents, bs, seeds, strict=True)
    )
    return protocol.run(table, negotiators, record=record)


@dataclass(frozen=True, eq=False)
class Settlement:
    """What an outcome gives every actor, per draw.

    Attributes:
        utility: (D, A) every actor's utility (the agreed package, or no agreement).
        gain: (D, A) utility minus the actor's utility of no agreement.
        distance_nash: (D,) mean share of each issue's scale between the agreed package
            and the table's Nash package (NaN without agreement or Nash package).
        distance_ks: (D,) the same for the Kalai-Smorodinsky package.
    """

    utility: NDArray[np.float64]
    gain: NDArray[np.float64]
    distance_nash: NDArray[np.float64]
    distance_ks: NDArray[np.float64]


def settle(table: Table, outcome: Outcome) -> Settlement:
    """Every actor's utility and gain, and the distances to the Nash and KS packages."""
    pkg = np.where(outcome.agreed[:, None], outcome.package, 0)
    u = table.utilities(pkg[:, None, :], everyone=True)[:, 0]  # (D, A)
    u = np.where(outcome.agreed[:, None], u, table.no_deal)
    return Settlement(
        utility=u,
        gain=u - table.no_deal,
        distance_nash=_distance(table, outcome, table.nash),
        distance_ks=_distance(table, outcome, table.kalai_smorodinsky),
    )


def _distance(table: Table, outcome: Outcome, ref: NDArray[np.intp] | None) -> NDArray[np.float64]:
    d = outcome.agreed.shape[0]
    if ref is None:
        return np.full(d, np.nan)
    sp = table.space
    out = np.zeros(d)
    for i, lv in enumerate(sp.levels):
        x = lv[np.clip(outcome.package[:, i], 0, lv.size - 1)]
        out += np.abs(x - lv[ref[i]]) / sp.width[i]
    out /= sp.n_issues
    return np.where(outcome.agreed & (outcome.package[:, 0] != NO_PACKAGE), out, np.nan)
