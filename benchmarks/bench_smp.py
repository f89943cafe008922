"""Time zopa's spatial model of politics (SMP) against KTAB's smpc and on larger inputs.

Run from the repository root: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_smp.py``.
Times are in-process model time (``forecast``), the minimum and median of repeated runs
after a warm-up call (steady state: the compiled kernel loaded). The first call in a
fresh process is timed apart, in two child processes sharing an empty kernel cache: the
first compiles the kernel, the second loads it from the cache. The last table compares
the numpy path with the kernel on one draw run for the full 100 turns, against that
cost of loading the kernel: the measurement behind ``choose_implementation``'s limits.
Then ``zopa forecast`` on SOE-Pol-Comp is timed as a whole process.
Anchors (KTAB's ``smpc`` on a 2-core machine of the kind the project runs on): 0.78 s on
SOE-Pol-Comp (13 actors x 2 dimensions, 27 turns) and 3.5 s on SOE-Policy (26 actors x 1
dimension). Goal: at least 100x faster on the same input.
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
from zopa.io.formats import ktab
from zopa.models import make_model
from zopa.models.spatial import SpatialModel
from zopa.scenario import Actor, Issue, Scenario, Stance
from zopa.uncertainty.sampling import sample_positions

ROOT = Path(__file__).resolve().parents[1]
KTAB = ROOT / "tests" / "fixtures" / "ktab"
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
KTAB_SECONDS = {"SOE-Pol-Comp.csv": 0.78, "SOE-Policy.csv": 3.5}


def synthetic(n_actors: int, n_issues: int, seed: int = 0) -> ScenarioArrays:
    """Random positions on 0..100, saliences 0.05..1, capabilities 1..100."""
    rng = np.random.default_rng(seed)
    issues = tuple(Issue(f"i{k}", f"issue {k}") for k in range(n_issues))
    actors = tuple(
        Actor(f"a{i}", f"actor {i}", float(rng.uniform(1, 100))) for i in range(n_actors)
    )
    stances = tuple(
        Stance(a.id, i.id, float(rng.uniform(0, 100)), float(rng.uniform(0.05, 1.0)))
        for a in actors
        for i in issues
    )
    return Scenario("synthetic", actors, issues, stances).arrays()


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(minimum wall, median wall, minimum CPU) seconds of ``repeat`` calls after a warm-up.

    CPU time (this process, all its threads) is reported because it is far less disturbed
    than wall time when other programs share the machine.
    """
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), statistics.median(walls), min(cpus)


FIRST_CALL = """
import time
from zopa.io.formats import ktab
from zopa.models.spatial import SpatialModel
view = ktab.read({path!r}).arrays()
x = (view.position - view.scale_min) / (view.scale_max - view.scale_min)
t0 = time.perf_counter()
SpatialModel().run(x, view.salience, view.capability, implementation="compiled")
print(time.perf_counter() - t0)
"""


def first_calls() -> tuple[float, float]:
    """Seconds of the first forecast in a fresh process: compiling, then loading the cache."""
    code = FIRST_CALL.format(path=str(KTAB / "SOE-Pol-Comp.csv"))
    times = []
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for _ in range(2):
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
            )
            times.append(float(out.stdout.split()[-1]))
    return times[0], times[1]


def main() -> int:
    model = make_model("smp")
    # compile or load the kernel: from then on every forecast takes it (see
    # zopa.models.spatial.choose_implementation)
    soe = ktab.read(KTAB / "SOE-Pol-Comp.csv").arrays()
    SpatialModel().run(soe.position / 100, soe.salience, soe.capability, implementation="compiled")
    print("SMP against KTAB's smpc (same input, in-process model time):")
    for name, ktab_s in KTAB_SECONDS.items():
        view = ktab.read(KTAB / name).arrays()
        best, med, cpu = timed(lambda view=view: model.forecast(view), 30)
        turns = int(model.forecast(view).diagnostics["turns"][0])
        print(
            f"  {name:<18} {view.n_actors:3d} actors x {view.n_issues} dims, {turns:2d} turns: "
            f"wall {1e3 * best:6.2f} ms (median {1e3 * med:.2f}), CPU {1e3 * cpu:6.2f} ms; "
            f"KTAB {ktab_s:.2f} s: {ktab_s / best:4.0f}x faster by wall, "
            f"{ktab_s / cpu:4.0f}x by CPU"
        )

    flagship = load_scenario(FLAGSHIP).arrays()
    draws = sample_positions(flagship, 1000, np.random.default_rng(0))
    best, med, cpu = timed(lambda: model.forecast(draws), 3)
    turns = model.forecast(draws).diagnostics["turns"]
    print(
        f"\nFlagship ({flagship.n_actors} actors x {flagship.n_issues} issues), 1,000 draws: "
        f"wall {best:.3f} s (median {med:.3f} s), CPU {cpu:.3f} s; "
        f"turns per draw: median {int(np.median(turns))}, mean {turns.mean():.1f}, "
        f"max {int(turns.max())}"
    )
    best1, _, cpu1 = timed(lambda: model.forecast(flagship), 10)
    print(f"Flagship, one point forecast: wall {1e3 * best1:.1f} ms, CPU {1e3 * cpu1:.1f} ms")

    big = synthetic(100, 20)
    best, med, cpu = timed(lambda: model.forecast(big), 2)
    turns = int(model.forecast(big).diagnostics["turns"][0])
    print(
        f"Synthetic 100 actors x 20 issues: wall {best:.3f} s (median {med:.3f} s), "
        f"CPU {cpu:.3f} s, {turns} turns"
    )

    print("\nScaling (synthetic, one draw, fixed 10 turns; CPU ms per turn):")
    ten = SpatialModel(min_turns=10, max_turns=10)
    issues = (1, 5, 20)
    print("  actors " + "".join(f"{k:>10d} iss" for k in issues))
    for n in (10, 20, 40, 80, 160):
        cells = []
        for k in issues:
            v = synthetic(n, k, seed=n + k)
            t = timed(lambda v=v: ten.forecast(v), 3 if n < 100 else 1)[2]
            cells.append(f"{1e3 * t / 10:14.2f}")
        print(f"  {n:6d} " + "".join(cells))

    compile_s, cached_s = first_calls()
    print(
        f"\nFirst compiled run in a fresh process (SOE-Pol-Comp): {compile_s:.2f} s compiling "
        f"the kernel, {1e3 * cached_s:.0f} ms loading it from the cache"
    )
    numpy_against_kernel()
    whole_process()
    return 0


def numpy_against_kernel() -> None:
    """One draw for the full 100 turns: numpy path and kernel, wall ms (best of 3)."""
    full = SpatialModel(min_delta_ratio=0.0)
    print("\nOne draw, 100 turns: numpy path / compiled kernel, wall ms")
    issues = (2, 10, 100)
    print("  actors " + "".join(f"{k:>16d} iss" for k in issues))
    for n in (10, 20, 30, 40, 50, 60):
        cells = []
        for k in issues:
            v = synthetic(n, k, seed=n + k)
            x = (v.position - v.scale_min) / (v.scale_max - v.scale_min)
            ms = [
                1e3 * timed(lambda x=x, v=v, how=how: full.run(x, v.salience, v.capability,
                                                               implementation=how), 3)[0]
                for how in ("numpy", "compiled")
            ]  # fmt: skip
            cells.append(f"{ms[0]:11.1f} / {ms[1]:6.1f}")
        print(f"  {n:6d} " + "".join(cells))


def whole_process(repeat: int = 10) -> None:
    """``zopa forecast SOE-Pol-Comp.csv --model smp`` as a whole process (wall s)."""
    zopa = Path(sys.executable).with_name("zopa")
    cmd = [str(zopa), "forecast", str(KTAB / "SOE-Pol-Comp.csv"), "--model", "smp"]
    walls = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
    print(
        f"\nzopa forecast SOE-Pol-Comp.csv --model smp, whole process: "
        f"min {min(walls):.2f} s, median {statistics.median(walls):.2f} s ({repeat} runs)"
    )


if __name__ == "__main__":
    sys.exit(main())
