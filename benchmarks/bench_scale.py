"""Executors at scale: per-task overhead, parallel efficiency, and an estimate for a cluster.

Prints, for the flagship through every model:

1. the overhead per task of each executor: tasks that do nothing but return a block's
   worth of outcomes (6 models x 2,000 draws x 14 issues of float64, 1.3 MB) or nothing,
   run after a warm-up, wall time / tasks: local in this process, local with two
   processes or two threads, a Dask LocalCluster of two workers (processes, threads);
2. Monte Carlo draws (``forecast_draws``, blocks of 2,000, one block a task) on each
   executor: wall time, time per 1,000 draws, speed-up over one process and parallel
   efficiency (T1 / (workers x Tw)), after a warm-up run that loads the kernels in
   every worker;
3. an estimate of 10^8 draws on a 100-worker cluster from the measured per-draw cost and
   per-task overhead (stated with its assumptions).

The machine is shared: the 1-minute load average is printed before and after each
figure. Usage: .venv/bin/python benchmarks/bench_scale.py [--draws 20000] [--tasks 200]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from zopa.execution import Executor, open_executor
from zopa.io import load_scenario
from zopa.models import available_models, make_model
from zopa.uncertainty.monte_carlo import BLOCK_DRAWS, forecast_draws

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def block_sized(models: dict[str, object], view: object, seed: int, task: int) -> object:
    """A task that returns what a block of draws returns, without computing it."""
    return {name: np.zeros((BLOCK_DRAWS, 14)) for name in models}


def empty(models: dict[str, object], view: object, seed: int, task: int) -> int:
    return task


def executors() -> dict[str, tuple[str, dict[str, object]]]:
    return {
        "local, 1 process": ("local", {"workers": 1}),
        "local, 2 processes": ("local", {"workers": 2}),
        "local, 2 threads": ("local", {"workers": 2, "threads": True}),
        "dask LocalCluster, 2 processes": ("dask", {"workers": 2}),
        "dask LocalCluster, 2 threads": ("dask", {"workers": 2, "threads": True}),
    }


def make(kind: str, options: dict[str, object]) -> Executor:
    if kind == "dask":
        return open_executor(dask="local", **options)  # type: ignore[arg-type]
    return open_executor(**options)  # type: ignore[arg-type]


def overheads(n_tasks: int, shared: tuple[object, ...]) -> dict[str, float]:
    print("\n1. Overhead per task (wall / tasks, after a warm-up map)")
    print(f"{'executor':34} {'empty task':>12} {'1.3 MB result':>14} {'start':>8}  load")
    out = {}
    for label, (kind, options) in executors().items():
        before = load()
        t0 = time.perf_counter()
        with make(kind, options) as executor:
            list(executor.map(empty, list(range(4)), shared=shared))
            started = time.perf_counter() - t0
            t0 = time.perf_counter()
            list(executor.map(empty, list(range(n_tasks)), shared=shared))
            per_empty = (time.perf_counter() - t0) / n_tasks
            t0 = time.perf_counter()
            for _ in executor.map(block_sized, list(range(n_tasks)), shared=shared):
                pass
            per_block = (time.perf_counter() - t0) / n_tasks
        out[label] = per_block
        print(
            f"{label:34} {per_empty * 1e3:9.2f} ms {per_block * 1e3:11.2f} ms "
            f"{started:6.1f} s  {before} -> {load()}"
        )
    return out


def draws_on_executors(draws: int, models: dict[str, object], view: object) -> dict[str, float]:
    print(f"\n2. {draws:,} draws of the flagship through every model (blocks of {BLOCK_DRAWS})")
    print(f"{'executor':34} {'wall':>8} {'per 1,000':>10} {'speed-up':>9} {'efficiency':>11}  load")
    walls: dict[str, float] = {}
    reference = None
    for label, (kind, options) in executors().items():
        with make(kind, options) as executor:
            n = executor.workers
            forecast_draws(models, view, 2 * BLOCK_DRAWS, 1, executor=executor)  # type: ignore[arg-type]
            before = load()
            t0 = time.perf_counter()
            got = forecast_draws(models, view, draws, 0, executor=executor)  # type: ignore[arg-type]
            wall = time.perf_counter() - t0
        arrays = {m: o.to_array() for m, o in got.items()}
        if reference is None:
            reference = arrays
        same = all(np.array_equal(arrays[m], reference[m], equal_nan=True) for m in arrays)
        walls[label] = wall
        speedup = walls["local, 1 process"] / wall
        print(
            f"{label:34} {wall:7.1f}s {wall / draws * 1e3:9.3f}s {speedup:8.2f}x "
            f"{speedup / n:10.0%}  {before} -> {load()}{'' if same else '  NUMBERS DIFFER'}"
        )
    return walls


def summary_cost(n: int = 1_000_000) -> float:
    """Seconds to take the 5/50/95 percentiles of one issue's ``n`` draws (best of 3)."""
    column = np.random.default_rng(0).random(n)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        np.nanpercentile(column, [5.0, 50.0, 95.0])
        best = min(best, time.perf_counter() - t0)
    return best


def estimate(per_draw: float, per_task: float, draws: float, workers: int) -> None:
    compute = draws * per_draw / workers
    volume = draws * 6 * 14 * 8 / 1e9
    per_column = summary_cost() * draws / 1e6
    summary = per_column * 6 * 14
    print(f"\n3. Estimate: {draws:.0e} draws on {workers} workers")
    print(f"   compute: {draws:.0e} draws x {per_draw * 1e3:.3f} ms / {workers} = {compute:,.0f} s")
    print(f"   outcomes gathered at the client: {volume:,.0f} GB (6 models x 14 issues x 8 B)")
    print(
        f"   percentiles at the client, issue by issue: 84 columns x {per_column:,.1f} s "
        f"(nanpercentile of 10^6 draws, scaled linearly) = {summary:,.0f} s"
    )
    for blocks in (1, 10):
        tasks = draws / BLOCK_DRAWS / blocks
        overhead = tasks * per_task
        total = max(compute, overhead) + summary
        print(
            f"   {blocks:2d} block(s) a task: {tasks:,.0f} tasks x {per_task * 1e3:.1f} ms "
            f"(the measured throughput of one scheduler and client) = {overhead:,.0f} s; "
            f"=> about {total / 60:,.0f} min"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=20_000)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--skip-draws", action="store_true")
    parser.add_argument(
        "--per-draw-ms", type=float, default=None, help="also estimate with this per-draw cost"
    )
    args = parser.parse_args()
    scenario = load_scenario(FLAGSHIP)
    view = scenario.arrays()
    models = {name: make_model(name) for name in available_models()}
    print(f"cores: {os.cpu_count()}, load average at start: {load()}")
    over = overheads(args.tasks, (models, view, 0))
    if args.skip_draws:
        return
    walls = draws_on_executors(args.draws, models, view)
    per_draw = walls["local, 1 process"] / args.draws
    per_task = over["dask LocalCluster, 2 processes"]
    estimate(per_draw, per_task, 1e8, 100)
    if args.per_draw_ms:
        print(f"\n   with a per-draw cost of {args.per_draw_ms} ms (a quieter machine):")
        estimate(args.per_draw_ms / 1e3, per_task, 1e8, 100)


if __name__ == "__main__":
    main()
