"""Deal-space performance against the anchors of the deal-space issue.

Anchors (measured on this 2-core machine with NegMAS 0.16, which is AGPL and never a
dependency of zopa):
  - Pareto frontier of 3 actors over 10^6 packages (6 issues x 10 levels, linear-additive
    utilities) plus NegMAS's Nash and Kalai-Smorodinsky points: 11.3 s.
Goals:
  - frontier + Nash + Kalai-Smorodinsky over the same space: <= 0.11 s (>= 100x);
  - the whole ``zopa deals`` analysis of 15 actors x 15 issues x 11 levels
    (4 x 10^15 packages): < 5 s.

Run:  PYTHONPATH=src python benchmarks/bench_deals.py
Prints best-of-N wall times (the machine is shared; the minimum is the least disturbed).

Large scenarios (``--large``, or ``--large-only`` for those alone): ``zopa deals FILE
--format json`` as a whole process on synthetic scenarios of 10 x 20 to 160 x 80 with 4
veto players and red lines (``make_scenario.py A I OUT --veto 4 --red-lines 0.3``), wall
time, CPU time and peak RSS (``/usr/bin/time -v``), against the goals (40 x 80 under 5 s;
160 x 80 under 30 s and 2 GB) and the figures measured before this work (4.4 s at
10 x 20, 30 s at 40 x 80, 222 s and 6.3 GB at 160 x 80), and at 40 x 80 and 160 x 80
the figures before the deal-space programmes were solved by the exact search
(``zopa.agreements.lagrange``) and on threads.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from zopa.agreements import analyse_deals, build_space, issue_frontier, nondominated
from zopa.agreements.solutions import choose
from zopa.io import save_scenario
from zopa.scenario import Actor, Issue, Scenario, Stance

NEGMAS_FRONTIER_NASH_KS = 11.3
GOAL_FRONTIER = 0.11
GOAL_DEALS = 5.0


def best_of(fn, repeat=5):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def three_actor_space(kind: str, seed: int = 0) -> Scenario:
    """3 actors, 6 issues; ``kind`` sets the positions."""
    rng = np.random.default_rng(seed)
    n_a, n_i = 3, 6
    if kind == "opposed":  # two actors at opposite ends of every issue, one in between
        pos = np.vstack([np.zeros(n_i), np.full(n_i, 100.0), rng.uniform(0, 100, n_i)])
    else:  # anywhere
        pos = rng.uniform(0, 100, (n_a, n_i))
    sal = rng.uniform(0.1, 1.0, (n_a, n_i))
    actors = tuple(Actor(f"a{k}", f"a{k}", 1.0, veto=True) for k in range(n_a))
    issues = tuple(Issue(f"i{k}", f"i{k}") for k in range(n_i))  # no status quo: 10 levels
    stances = tuple(
        Stance(f"a{a}", f"i{i}", float(pos[a, i]), float(sal[a, i]))
        for a in range(n_a)
        for i in range(n_i)
    )
    return Scenario(f"3x6x10 {kind}", actors, issues, stances)


def random_linear_additive(space, seed: int = 0):
    """The same space with NegMAS-style random linear-additive utilities.

    Every level of every issue gets an independent random value in 0..1 for each actor,
    and issues random weights summing to 1 (NegMAS's ``LinearAdditiveUtilityFunction.random``
    draws them the same way); terms are quantised as zopa's utility terms are.
    """
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.ones(space.n_issues), size=space.n_actors)  # (A, I)
    terms = tuple(
        np.round(w[:, i : i + 1] * rng.uniform(0, 1, (space.n_actors, n)) * 2.0**40) / 2.0**40
        for i, n in enumerate(space.n_levels)
    )
    return replace(space, terms=terms, sq_utility=np.zeros(space.n_actors))


def frontier_nash_ks(scen: Scenario, *, random_terms: bool = False):
    space = build_space(scen.arrays(), grid=10)
    if random_terms:
        space = random_linear_additive(space)
    packages, utils = issue_frontier(space, space.party_index)
    gains = utils - space.sq_utility[space.party_index]
    picks = choose(gains, space.capability[space.party_index])
    return space, packages, utils, picks


def check_against_brute_force(space, packages) -> bool:
    every = np.array(list(itertools.product(*(range(n) for n in space.n_levels))))
    u = space.utilities(every)
    keep = nondominated(u)
    return {tuple(p) for p in every[keep]} == {tuple(p) for p in packages}


def big_scenario(seed: int, *, empty: bool) -> Scenario:
    """15 actors x 15 issues on 11-level grids; 4 veto players; red lines on the grid."""
    rng = np.random.default_rng(seed)
    n_a, n_i = 15, 15
    grid = np.linspace(0, 100, 11)
    actors = tuple(
        Actor(f"A{k:02d}", f"Actor {k}", float(rng.uniform(10, 100)), veto=k < 4)
        for k in range(n_a)
    )
    issues = tuple(
        Issue(f"I{k:02d}", f"Issue {k}", status_quo=float(rng.choice(grid))) for k in range(n_i)
    )
    stances = []
    for a in range(n_a):
        for i in range(n_i):
            pos = float(rng.choice(grid))
            red = None
            if a < 4 and rng.random() < 0.3:
                step = 60 if (empty and i == 0) else float(rng.choice([30, 40, 50]))
                red = float(np.clip(pos - step if pos >= 50 else pos + step, 0, 100))
            stances.append(
                Stance(f"A{a:02d}", f"I{i:02d}", pos, float(rng.uniform(0.05, 1)), red_line=red)
            )
    if empty:  # two veto players whose red lines on the first issue cannot meet
        stances = [s for s in stances if not (s.issue == "I00" and s.actor in ("A00", "A01"))]
        stances += [
            Stance("A00", "I00", 0.0, 0.9, red_line=30.0),
            Stance("A01", "I00", 100.0, 0.9, red_line=70.0),
        ]
    return Scenario(f"15x15x11 seed {seed}", actors, issues, tuple(stances))


#: (actors, issues): before (wall s, peak GB), goal (wall s, peak GB); None: not stated
Figures = tuple[float | None, float | None]
LARGE: dict[tuple[int, int], tuple[Figures, Figures]] = {
    (10, 20): ((4.4, None), (None, None)),
    (40, 20): ((None, None), (None, None)),  # before: "faster than 10 x 20"
    (40, 80): ((30.0, None), (5.0, None)),
    (160, 80): ((222.0, 6.3), (30.0, 2.0)),
}
#: (actors, issues): (wall s, CPU s, peak MB) before the programmes were solved by the
#: search under a Lagrangian bound and on threads (commit 7148054, measured at load 1.0-1.6)
BEFORE_SEARCH: dict[tuple[int, int], tuple[float, float, float]] = {
    (40, 80): (10.2, 10.1, 178.0),
    (160, 80): (15.3, 15.2, 268.0),
}


def large(sizes: list[tuple[int, int]]) -> None:
    """``zopa deals`` on the synthetic large scenarios, whole processes."""
    from large_runs import load, python, scenario_file, whole_process

    print("== `zopa deals FILE --format json`, whole process, 4 veto players with red lines")
    with tempfile.TemporaryDirectory() as tmp:
        for n_a, n_i in sizes:
            path = scenario_file(Path(tmp), n_a, n_i)
            before = load()
            wall, cpu, rss = whole_process(
                [python(), "-m", "zopa", "deals", str(path), "--format", "json"]
            )
            (b_wall, b_gb), (g_wall, g_gb) = LARGE.get((n_a, n_i), ((None, None), (None, None)))
            print(
                f"  {n_a:>3} x {n_i:<3}: {wall:6.1f} s wall, {cpu:6.1f} s CPU, {rss:6.0f} MB"
                f"{versus(wall, rss, b_wall, b_gb, g_wall, g_gb)}  [{before}]",
                flush=True,
            )
            if (n_a, n_i) in BEFORE_SEARCH:
                s_wall, s_cpu, s_mb = BEFORE_SEARCH[n_a, n_i]
                print(
                    f"             before the search (commit 7148054): {s_wall:g} s wall, "
                    f"{s_cpu:g} s CPU, {s_mb:g} MB: {s_wall / wall:.1f}x faster wall, "
                    f"{s_cpu / cpu:.1f}x less CPU",
                    flush=True,
                )


def versus(
    wall: float,
    rss_mb: float,
    b_wall: float | None,
    b_gb: float | None,
    g_wall: float | None,
    g_gb: float | None,
) -> str:
    """The ratios to the figures before and to the goals, where they are stated."""
    parts = []
    if b_wall is not None:
        parts.append(f"before {b_wall:g} s: {b_wall / wall:.1f}x faster")
    if b_gb is not None:
        parts.append(f"before {b_gb:g} GB: {b_gb * 1024 / rss_mb:.1f}x less")
    if g_wall is not None:
        verdict = "met" if wall < g_wall else "MISSED"
        parts.append(f"goal < {g_wall:g} s: {verdict} ({wall / g_wall:.2f} of it)")
    if g_gb is not None:
        verdict = "met" if rss_mb < g_gb * 1024 else "MISSED"
        parts.append(f"goal < {g_gb:g} GB: {verdict} ({rss_mb / (g_gb * 1024):.2f} of it)")
    return "  (" + "; ".join(parts) + ")" if parts else ""


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--large", action="store_true", help="also the large scenarios")
    ap.add_argument("--large-only", action="store_true", help="only the large scenarios")
    ap.add_argument(
        "--sizes", default="10x20,40x20,40x80,160x80", help="large sizes, e.g. 40x80,160x80"
    )
    args = ap.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    if args.large_only:
        large(sizes)  # type: ignore[arg-type]
        return
    small()
    if args.large:
        large(sizes)  # type: ignore[arg-type]


def small() -> None:
    print("== Pareto frontier + Nash + Kalai-Smorodinsky, 3 actors, 6 issues x 10 levels (10^6)")
    # anywhere: single-peaked utilities, positions uniform; opposed: two actors at the two
    # ends of every issue; random: random linear-additive utilities as NegMAS generates
    for kind in ("anywhere", "opposed", "random"):
        scen = three_actor_space("anywhere" if kind == "random" else kind)
        secs, (space, packages, _, picks) = best_of(
            lambda s=scen, k=kind: frontier_nash_ks(s, random_terms=k == "random"), 7
        )
        ok = check_against_brute_force(space, packages)
        ratio = NEGMAS_FRONTIER_NASH_KS / secs
        verdict = "met" if secs <= GOAL_FRONTIER else "MISSED"
        print(
            f"  positions {kind:8s}: {space.size:,} packages, "
            f"frontier {len(packages):,} packages, {secs * 1000:.1f} ms "
            f"(NegMAS {NEGMAS_FRONTIER_NASH_KS} s: {ratio:,.0f}x; "
            f"goal <= {GOAL_FRONTIER * 1000:.0f} ms: {verdict}); "
            f"equals brute force: {ok}; Nash found: {picks['nash'].index is not None}"
        )
    print("== whole `zopa deals` analysis, 15 actors x 15 issues x 11 levels")
    for seed, empty in ((1, False), (2, False), (3, True)):
        scen = big_scenario(seed, empty=empty)
        secs, result = best_of(lambda s=scen: analyse_deals(s), 3)
        z = result.zopa
        state = "empty" if z.empty else f"~{z.size:.3g} feasible"
        print(
            f"  seed {seed}: {result.space.size:.2e} packages, method {result.method}, "
            f"ZOPA {state}, "
            f"{len(result.conflicts)} conflicts: {secs:.2f} s in-process "
            f"(goal < {GOAL_DEALS:.0f} s: {'met' if secs < GOAL_DEALS else 'MISSED'})"
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        save_scenario(big_scenario(1, empty=False), path)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "zopa", "deals", str(path), "--format", "json"],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - t)
        print(f"  CLI `zopa deals big.yaml -f json` wall time (with start-up): {min(times):.2f} s")


if __name__ == "__main__":
    main()
