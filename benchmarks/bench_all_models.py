"""Time every registered forecasting model together, against the issue's combined goals.

Run from the repository root: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_all_models.py``.
Goals (bargaining-models issue): 1,000 Monte Carlo draws of the flagship scenario through
every model in under 2 s in total, and a 100-actor x 20-issue synthetic scenario through
every model in under 5 s. Prints, per model, the minimum wall-clock and CPU time of a few
runs after a first call, then the totals and their ratio to the goals. The first call is
printed apart: in a fresh environment it compiles the model's numba kernel, later it
loads the compiled kernel from the cache (both happen once per process). The per-model
scripts (bench_eum.py, bench_smp.py, bench_exchange.py) say where each model's time goes.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from bench_eum import synthetic  # the same synthetic scenario as the EUM benchmark

from zopa.arrays import ScenarioArrays
from zopa.io import load_scenario
from zopa.models import available_models, make_model
from zopa.uncertainty import sample_positions

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DRAWS_GOAL_S = 2.0
LARGE_GOAL_S = 5.0


def first_call(name: str, view: ScenarioArrays) -> float:
    """Wall seconds of a model's first forecast in this process (compile or cache load)."""
    model = make_model(name)
    start = time.perf_counter()
    model.forecast(view.draw(0), rng=np.random.default_rng(0))
    return time.perf_counter() - start


def best_of(view: ScenarioArrays, name: str, repeat: int) -> tuple[float, float]:
    """Minimum (wall, CPU) seconds of ``repeat`` forecasts."""
    model = make_model(name)
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        model.forecast(view, rng=np.random.default_rng(0))
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def table(title: str, view: ScenarioArrays, goal: float, repeat: int) -> None:
    print(f"\n== {title} ==")
    print(f"{'model':<12}{'wall s':>10}{'CPU s':>10}")
    total_wall = total_cpu = 0.0
    for name in available_models():
        wall, cpu = best_of(view, name, repeat)
        total_wall += wall
        total_cpu += cpu
        print(f"{name:<12}{wall:>10.3f}{cpu:>10.3f}")
    print(f"{'all models':<12}{total_wall:>10.3f}{total_cpu:>10.3f}")
    verdict = "met" if total_wall <= goal else "NOT met"
    print(f"goal {goal:.1f} s: {verdict} (wall total / goal = {total_wall / goal:.2f})")


def growth(sizes: tuple[tuple[int, int], ...]) -> None:
    """All-models time, per model, for synthetic scenarios of growing size (one draw)."""
    names = available_models()
    print("\n== how time grows: one draw, synthetic, wall s (best of 2) ==")
    print(f"{'actors x issues':<17}" + "".join(f"{n:>11}" for n in names) + f"{'all':>9}")
    for n_a, n_i in sizes:
        view = synthetic(n_a, n_i)
        walls = [best_of(view, name, 2)[0] for name in names]
        row = "".join(f"{w:>11.4f}" for w in walls)
        print(f"{f'{n_a} x {n_i}':<17}{row}{sum(walls):>9.3f}")


def main() -> None:
    view = load_scenario(FLAGSHIP).arrays()
    print("== first forecast in this process (one flagship draw; not counted below) ==")
    for name in available_models():
        print(f"{name:<12}{first_call(name, view):>10.3f} s")
    draws = sample_positions(view, 1000, np.random.default_rng(0))
    table("flagship, 1,000 Monte Carlo draws", draws, DRAWS_GOAL_S, repeat=2)
    table("100 actors x 20 issues, synthetic, one draw", synthetic(100, 20), LARGE_GOAL_S, 2)
    growth(((10, 5), (25, 10), (50, 10), (50, 20), (100, 10), (100, 20), (150, 20)))


if __name__ == "__main__":
    main()
