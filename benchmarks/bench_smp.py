"""Time zopa's spatial model of politics (SMP) against KTAB's smpc and on larger inputs.

Run from the repository root: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_smp.py``.
Times are in-process model time (``forecast``), the minimum and median of repeated runs.
Anchors (KTAB's ``smpc`` on a 2-core machine of the kind the project runs on): 0.78 s on
SOE-Pol-Comp (13 actors x 2 dimensions, 27 turns) and 3.5 s on SOE-Policy (26 actors x 1
dimension). Goal: at least 100x faster on the same input.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from zopa.io import load_scenario
from zopa.io.formats import ktab
from zopa.models import make_model, spatial_bargain, spatial_core
from zopa.models.spatial import SpatialModel
from zopa.scenario import Actor, Issue, Scenario, ScenarioArrays, Stance
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


def where_the_time_goes(view: ScenarioArrays) -> None:
    """Share of one turn's time per stage, on ``view``."""
    model = SpatialModel()
    scale = view.scale_max - view.scale_min
    pos = (view.position - view.scale_min) / scale
    sal = view.salience / max(1.0, float(view.salience.sum(axis=-1).max()))
    cap = view.capability
    risk, u, own = model._utilities(pos, sal, cap)
    p, gain = spatial_bargain.challenge_gains(
        u, cap, sal.sum(-1), rule="proportional", commit="semi"
    )
    target, has, p_t = spatial_bargain.best_targets(p, gain)
    rows = np.arange(pos.shape[0])[:, None]
    b_i, b_r = spatial_bargain.interpolate_bargains(
        pos, sal, p_t, pos[rows, target], sal[rows, target], "s2p2"
    )
    stages: dict[str, Callable[[], object]] = {
        "distances": lambda: spatial_core.weighted_distance(pos, pos, sal),
        "risk attitudes and utilities": lambda: model._utilities(pos, sal, cap),
        "challenges (third parties)": lambda: spatial_bargain.challenge_gains(
            u, cap, sal.sum(-1), rule="proportional", commit="semi"
        ),
        "best targets and bargains": lambda: (
            spatial_bargain.best_targets(p, gain),
            spatial_bargain.interpolate_bargains(
                pos, sal, p_t, pos[rows, target], sal[rows, target], "s2p2"
            ),
        ),
        "choice among bargains": lambda: spatial_bargain.choose_bargains(
            pos,
            sal,
            cap,
            risk,
            own,
            target,
            has,
            b_i,
            b_r,
            rule="proportional",
            power=1.0,
            rng=None,
        ),
    }
    timings = {name: timed(fn, 20)[2] for name, fn in stages.items()}
    total = sum(v for k, v in timings.items() if k != "distances")
    for name, t in timings.items():
        share = "" if name == "distances" else f"  {100 * t / total:4.0f} %"
        print(f"    {name:<30} {1e3 * t:8.3f} ms{share}")


def main() -> int:
    model = make_model("smp")
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
        f"wall {best:.3f} s (median {med:.3f} s), CPU {cpu:.3f} s (both threads); "
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

    print("\nWhere one turn's time goes (CPU):")
    for label, view in (
        ("SOE-Pol-Comp (13 x 2)", ktab.read(KTAB / "SOE-Pol-Comp.csv").arrays()),
        ("synthetic 100 x 20", big),
    ):
        print(f"  {label}")
        where_the_time_goes(view)
    return 0


if __name__ == "__main__":
    sys.exit(main())
