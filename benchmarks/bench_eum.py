"""Time the expected-utility model (EUM) and the Nash bargaining solution.

Run from the repository root: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_eum.py``.
Times are in-process model time (``forecast``) after one warm-up call: the minimum and the
median of repeated runs, in wall-clock and in CPU time of this process (CPU time is less
disturbed by other programs on a shared machine). The EUM's rounds are compiled (numba):
the first forecast in a fresh process is timed apart, once compiling the kernel (empty
cache) and once loading it from the cache. Goals from the issue: EUM on the flagship scenario under
10 ms; 1,000 Monte Carlo draws of the flagship through every model in under 2 s in total
(this script covers EUM and Nash); a 100-actor x 20-issue synthetic scenario through every
model in under 5 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from zopa.arrays import ScenarioArrays
from zopa.io import load_scenario
from zopa.models import make_model
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance
from zopa.uncertainty.sampling import sample_positions

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
EUM_FLAGSHIP_GOAL_S = 0.010
DRAWS_GOAL_S = 2.0
LARGE_GOAL_S = 5.0


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(min wall, median wall, min CPU) seconds over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), statistics.median(walls), min(cpus)


def synthetic(n_actors: int, n_issues: int, seed: int = 0) -> ScenarioArrays:
    """A random scenario: positions on 0-100, saliences 0.1-1, capabilities 0.1-3, a status quo."""
    rng = np.random.default_rng(seed)
    actors = tuple(Actor(f"a{k}", f"a{k}", float(rng.uniform(0.1, 3))) for k in range(n_actors))
    issues = tuple(
        Issue(f"i{k}", f"i{k}", Scale(0, 100), status_quo=float(rng.uniform(0, 100)))
        for k in range(n_issues)
    )
    stances = tuple(
        Stance(a.id, i.id, float(rng.uniform(0, 100)), float(rng.uniform(0.1, 1)))
        for a in actors
        for i in issues
    )
    return Scenario("synthetic", actors, issues, stances).arrays()


FIRST_CALL = """
import time
t0 = time.perf_counter()
from zopa.io import load_scenario
from zopa.models import make_model
view = load_scenario({path!r}).arrays()
t1 = time.perf_counter()
make_model("eum").forecast(view)
t2 = time.perf_counter()
print(t2 - t1, t1 - t0)
"""


def first_call(cache_dir: str | None) -> float:
    """Seconds of the first EUM forecast of the flagship in a fresh Python process."""
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    out = subprocess.run(
        [sys.executable, "-c", FIRST_CALL.format(path=str(FLAGSHIP))],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.split()[0])


def fmt(seconds: float) -> str:
    """Seconds in ms with 3 significant digits."""
    return f"{seconds * 1e3:8.2f} ms"


def main() -> None:
    """Print every figure the issue asks for."""
    eum = make_model("eum")
    nash = make_model("nash")
    nash_joint = make_model("nash", joint=True)

    print("== First EUM forecast in a fresh process (flagship) ==")
    if FLAGSHIP.exists():
        with tempfile.TemporaryDirectory() as empty_cache:
            compiling = first_call(empty_cache)
        first_call(None)  # make sure the regular cache is filled
        cached = first_call(None)
        print(f"  compiling the kernel {fmt(compiling)}  loading it from the cache {fmt(cached)}")

    print("\n== EUM and Nash on the flagship scenario (point estimate) ==")
    if FLAGSHIP.exists():
        view = load_scenario(FLAGSHIP).arrays()
        label = f"flagship {view.n_actors} actors x {view.n_issues} issues"
    else:
        view = synthetic(15, 14)
        label = "synthetic 15 x 14 (flagship file not found)"
    fc = eum.forecast(view)  # warm-up (compiles or loads the kernel)
    rounds = fc.diagnostics["rounds"]
    print(f"{label}; EUM rounds per issue: {rounds.tolist()[0]}")
    for name, model in (("eum", eum), ("nash", nash), ("nash joint", nash_joint)):
        best, med, cpu = timed(lambda m=model: m.forecast(view), 30 if name != "nash joint" else 5)
        line = f"  {name:11s} min {fmt(best)}  median {fmt(med)}  cpu {fmt(cpu)}"
        if name == "eum":
            ratio = best / EUM_FLAGSHIP_GOAL_S
            line += f"   goal {fmt(EUM_FLAGSHIP_GOAL_S)}  -> {ratio:.2f} of goal"
        print(line)

    print("\n== 1,000 Monte Carlo draws of the flagship (positions within their ranges) ==")
    draws = sample_positions(view, 1000, np.random.default_rng(0))
    converged = eum.forecast(draws).diagnostics["converged"]
    print(
        f"  games (draw x issue) converged within max_rounds: {int(converged.sum())} "
        f"of {converged.size}; the others run every round"
    )
    total = 0.0
    for name, model in (("eum", eum), ("nash", nash)):
        best, med, cpu = timed(lambda m=model: m.forecast(draws), 3)
        total += best
        print(f"  {name:11s} min {fmt(best)}  median {fmt(med)}  cpu {fmt(cpu)}")
    print(f"  EUM + Nash {fmt(total)}  (goal for every model together: {DRAWS_GOAL_S:.1f} s)")
    best, _, cpu = timed(lambda: nash_joint.forecast(draws), 1)
    print(f"  nash joint  {fmt(best)}  cpu {fmt(cpu)}  (not the default)")

    print("\n== 100 actors x 20 issues, synthetic ==")
    big = synthetic(100, 20)
    for name, model in (("eum", eum), ("nash", nash), ("nash joint", nash_joint)):
        best, med, cpu = timed(lambda m=model: m.forecast(big), 3)
        print(f"  {name:11s} min {fmt(best)}  median {fmt(med)}  cpu {fmt(cpu)}")
    print(f"  goal for every model together: {LARGE_GOAL_S:.1f} s")

    print("\n== EUM time vs actors and issues (min of 3, one draw, max_rounds=20) ==")
    actor_counts = (5, 10, 20, 50, 100)
    issue_counts = (1, 5, 20)
    print("  actors \\ issues " + "".join(f"{i:>12d}" for i in issue_counts))
    for a in actor_counts:
        cells = []
        for i in issue_counts:
            v = synthetic(a, i, seed=a + i)
            best, _, _ = timed(lambda v=v: eum.forecast(v), 3)
            cells.append(fmt(best))
        print(f"  {a:>15d} " + "".join(f"{c:>12s}" for c in cells))
    print("\n== Nash (per issue) time vs actors and issues ==")
    print("  actors \\ issues " + "".join(f"{i:>12d}" for i in issue_counts))
    for a in actor_counts:
        cells = []
        for i in issue_counts:
            v = synthetic(a, i, seed=a + i)
            best, _, _ = timed(lambda v=v: nash.forecast(v), 3)
            cells.append(fmt(best))
        print(f"  {a:>15d} " + "".join(f"{c:>12s}" for c in cells))

    print("\n== Where EUM time goes (flagship x 1,000 draws) ==")
    from zopa.models.kernels import expected_utility as kernel

    whole, _, _ = timed(lambda: eum.forecast(draws), 3)
    d, a, n_i = draws.position.shape
    rounds_cap = 20
    outputs = (
        np.empty((d, rounds_cap + 1, a, n_i)),
        np.empty((d, rounds_cap, a, n_i)),
        np.empty((d, rounds_cap, a, n_i), dtype=np.int8),
        np.empty((d, rounds_cap, a, n_i), dtype=np.int64),
        np.empty((d, rounds_cap, a, n_i)),
        np.zeros((d, n_i), dtype=np.int64),
        np.zeros((d, n_i), dtype=bool),
    )
    inputs = (
        np.ascontiguousarray(draws.position),
        np.ascontiguousarray(draws.salience),
        np.ascontiguousarray(draws.capability),
        np.ascontiguousarray(draws.has_stance),
        np.ascontiguousarray(draws.scale_min, dtype=float),
        np.ascontiguousarray(draws.scale_max, dtype=float),
        np.array([0, 0, 0, 0, 1]),
        np.array([1.0, 1.0, 1e-6, 0.5]),
    )
    rounds_only, _, _ = timed(lambda: kernel.play(*inputs, *outputs), 3)
    print(
        f"  whole forecast {fmt(whole)}; compiled rounds {fmt(rounds_only)} "
        f"({rounds_only / whole:.0%}); the rest (output arrays, weighted median and mean) "
        f"{fmt(whole - rounds_only)}"
    )


if __name__ == "__main__":
    main()
