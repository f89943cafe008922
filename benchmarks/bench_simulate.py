"""Simulated talks: speed against the anchors of the simulation issue.

Anchors (measured on this 2-core machine):
  - NegMAS 0.16 (AGPL, never a dependency of zopa): its stacked alternating offers
    mechanism (SAO) between two time-based Boulware negotiators for 100 steps over
    10^6 outcomes (6 issues x 10 values, linear-additive utilities): 7.9 s.
Goals:
  - the same protocol, 100 rounds between two Boulware agents over 10^6 packages
    (2 actors, 6 issues x 10 levels), set-up included: < 79 ms (>= 100x);
  - a tournament of every pair of the registered rule-based agents on the flagship
    (RU and UA at the table, the issues where their red lines collide set aside) with
    1,000 Monte Carlo draws of the positions: < 10 s.

When ``/tmp/negmas-venv`` holds NegMAS (``python3 -m venv /tmp/negmas-venv &&
/tmp/negmas-venv/bin/pip install negmas``, a throwaway environment outside the
project), the NegMAS run is measured too, side by side, and its ratio printed.

Run:  PYTHONPATH=src python benchmarks/bench_simulate.py
Prints best-of-N wall times (the machine is shared; the minimum is the least disturbed)
and the load average.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from zopa import service
from zopa.agreements import build_space
from zopa.negotiation import AGENTS, PROTOCOLS, briefs, make_table, negotiate
from zopa.scenario import Actor, Issue, Scenario, Stance

NEGMAS_SAO = 7.9
GOAL_SAO = NEGMAS_SAO / 100
GOAL_TOURNAMENT = 10.0
NEGMAS_PYTHON = Path("/tmp/negmas-venv/bin/python")
FLAGSHIP = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine-ceasefire-2026.yaml"

NEGMAS_SCRIPT = """
import json, time
import numpy as np
from negmas import SAOMechanism, make_issue, BoulwareTBNegotiator
from negmas.outcomes import make_os
from negmas.preferences import LinearAdditiveUtilityFunction

def ufun(seed, space):
    r = np.random.default_rng(seed)
    w = r.random(6)
    values = [{v: float(x) for v, x in zip(range(10), r.random(10))} for _ in range(6)]
    weights = list(w / w.sum())
    return LinearAdditiveUtilityFunction(values=values, weights=weights, outcome_space=space)

t0 = time.perf_counter()
c0 = time.process_time()
space = make_os([make_issue(10, f"i{k}") for k in range(6)])
m = SAOMechanism(outcome_space=space, n_steps=100)
m.add(BoulwareTBNegotiator(name="a"), preferences=ufun(1, space))
m.add(BoulwareTBNegotiator(name="b"), preferences=ufun(2, space))
state = m.run()
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "steps": state.step,
                  "agreement": state.agreement is not None, "outcomes": space.cardinality}))
"""


def best_of(fn, repeat=5):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def million_packages(seed: int = 0) -> Scenario:
    """2 actors, 6 issues, positions and saliences drawn; 10 levels per issue (10^6)."""
    rng = np.random.default_rng(seed)
    actors = (Actor("a", "a", 1.0), Actor("b", "b", 1.0))
    issues = tuple(Issue(f"i{k}", f"i{k}") for k in range(6))
    stances = tuple(
        Stance(a.id, i.id, float(rng.uniform(0, 100)), float(rng.uniform(0.1, 1.0)))
        for a in actors
        for i in issues
    )
    return Scenario("bench", actors, issues, stances)


def sao_run(scenario: Scenario, agent: str) -> tuple[int, bool]:
    """Build the space and the table, start the agents, run 100 rounds; (rounds, agreed)."""
    space = build_space(scenario.arrays(), grid=10)
    assert space.size == 10**6, space.size
    table = make_table(space, parties=["a", "b"], deadline=100, solutions=False)
    out = negotiate(table, PROTOCOLS.make("alternating"), [AGENTS.make(agent)] * 2)
    return int(out.round[0]) + 1, bool(out.agreed[0])


def negmas_side() -> dict[str, float] | None:
    if not NEGMAS_PYTHON.exists():
        return None
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "negmas_sao.py"
        script.write_text(NEGMAS_SCRIPT)
        done = subprocess.run(
            [str(NEGMAS_PYTHON), str(script)], capture_output=True, text=True, timeout=900
        )
    if done.returncode != 0:
        print("NegMAS run failed:", done.stderr.strip().splitlines()[-1:])
        return None
    data: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


#: The rule-based strategies of the issue's item 2 (Zeuthen is item 1's concession strategy).
RULE_BASED = ("boulware", "linear", "conceder", "tit_for_tat", "nash_seeker", "hard_liner")


def tournament(
    scenario: Scenario, draws: int, agents: tuple[str, ...] | None = None
) -> service.SimulationResult:
    return service.simulate(
        scenario,
        parties=["RU", "UA"],
        set_aside=["colliding"],
        agents=None if agents is None else {"RU": list(agents), "UA": list(agents)},
        tournament=agents is None,
        draws=draws,
        seed=0,
        transcripts=False,
    )


def main() -> None:
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    scenario = million_packages()
    sao_run(scenario, "boulware")  # warm the imports
    for agent in ("boulware", "hard_liner"):
        t, (rounds, agreed) = best_of(lambda a=agent: sao_run(scenario, a))
        print(
            f"SAO over 10^6 packages, {agent} vs {agent}: {1000 * t:.1f} ms "
            f"({rounds} rounds, {'agreement' if agreed else 'no agreement'}; set-up included); "
            f"anchor NegMAS 0.16 {NEGMAS_SAO} s: {NEGMAS_SAO / t:.0f}x (goal >= 100x, "
            f"< {1000 * GOAL_SAO:.0f} ms)"
        )
    space = build_space(scenario.arrays(), grid=10)
    table = make_table(space, parties=["a", "b"], deadline=100, solutions=False)
    t, _ = best_of(lambda: make_table(space, parties=["a", "b"], deadline=100, solutions=False))
    print(
        f"  of which: the table (exact Pareto frontiers by folding the issues): {1000 * t:.1f} ms, "
        f"{table.candidates.shape[0]} candidate packages"
    )
    bs = briefs(table)
    t, _ = best_of(
        lambda: negotiate(
            table, PROTOCOLS.make("alternating"), [AGENTS.make("hard_liner")] * 2, party_briefs=bs
        )
    )
    print(f"  of which: 100 rounds of the protocol, transcript kept: {1000 * t:.1f} ms")
    c0 = time.process_time()
    for _ in range(10):
        sao_run(scenario, "hard_liner")
    cpu = (time.process_time() - c0) / 10
    print(
        f"  CPU time of the whole 100-round run (mean of 10; one free core): {1000 * cpu:.1f} ms, "
        f"{NEGMAS_SAO / cpu:.0f}x the anchor"
    )
    negmas = negmas_side()
    if negmas is not None:
        t_ours, _ = best_of(lambda: sao_run(scenario, "boulware"))
        c0 = time.process_time()
        for _ in range(10):
            sao_run(scenario, "boulware")
        cpu_ours = (time.process_time() - c0) / 10
        print(
            f"NegMAS 0.16 measured now: {negmas['seconds']:.2f} s wall, {negmas['cpu']:.2f} s CPU "
            f"({negmas['steps']:.0f} steps, "
            f"{'agreement' if negmas['agreement'] else 'no agreement'}, "
            f"{negmas['outcomes']:.0f} outcomes); zopa {1000 * t_ours:.1f} ms wall, "
            f"{1000 * cpu_ours:.1f} ms CPU: {negmas['seconds'] / t_ours:.0f}x wall, "
            f"{negmas['cpu'] / cpu_ours:.0f}x CPU"
        )
    else:
        print("NegMAS not measured (no /tmp/negmas-venv); ratio against the anchor only")
    flagship = service.load_scenario(FLAGSHIP).scenario
    t0 = time.perf_counter()
    tournament(flagship, 1000)
    cold = time.perf_counter() - t0
    print(f"first tournament call in the process (imports, compiled paths): {cold:.2f} s")
    for label, agents in (("the six rule-based agents", RULE_BASED), ("all registered", None)):
        c0 = time.process_time()
        t, result = best_of(lambda a=agents: tournament(flagship, 1000, a), repeat=3)
        cpu = (time.process_time() - c0) / 3
        rates = [r.draws.agreed.mean() for r in result.runs if r.draws is not None]
        n = round(len(result.runs) ** 0.5)
        print(
            f"tournament on the flagship, {label} (RU, UA; {n}x{n} = {len(result.runs)} "
            f"pairs, 1,000 draws): {t:.2f} s wall, {cpu:.2f} s CPU (mean of 3; what one free "
            f"core takes); goal < {GOAL_TOURNAMENT:.0f} s: {GOAL_TOURNAMENT / t:.1f}x wall, "
            f"{GOAL_TOURNAMENT / cpu:.1f}x CPU; agreement in "
            f"{100 * min(rates):.0f}-{100 * max(rates):.0f}% of draws per pair"
        )
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
