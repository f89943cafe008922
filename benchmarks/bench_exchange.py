"""Exchange model timings, against the Decide package on the same input.

Anchor (measured on this 2-core machine, see issue 3): Decide's exchange model takes
24.6 s for 10 rounds on the 15-actor x 13-issue COP21 input. Goal: at least 100x faster.

Usage:
    PYTHONPATH=src python benchmarks/bench_exchange.py [--decide-input FILE] [--skip-decide]
        [--fresh]

``--large`` times whole processes instead (``/usr/bin/time -v``): one point forecast on
the synthetic 40 x 80 and 160 x 80 scenarios of the deal-space figures
(``make_scenario.py A I OUT --veto 4 --red-lines 0.3``; about 10 million candidate
exchanges in the first round of 160 x 80), wall time, CPU time and peak RSS, against
the goal (160 x 80 under 5 s and 1 GB) and the figures before this work (25 s, 2.8 GB).
Each scenario is run twice: as the bare forecast (``python -c``, importing only what it
needs; the row compared over the earlier work) and as the command a user types
(``zopa forecast FILE -m exchange``, printing its table).

``--decide-input`` reads an input file in Decide's format (``#A``/``#P``/``#D`` rows,
tab-separated, values quoted with '), e.g. ``data/input/cop21.csv`` of the Decide
repository; without it a synthetic 15 x 13 input with the same shape and the same
share of missing stances is used. Decide itself is timed when it is installed.

The model's steps run in a compiled kernel (``zopa.models.kernels.exchange``). The first
forecast in a process compiles it, or loads it from numba's cache; that first call is
printed apart, and every timed figure is taken after a warm-up. ``--fresh`` also runs
the first forecast in two new processes sharing an empty cache folder: the first
compiles the kernel, the second loads it from that cache.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_eum import synthetic as synthetic_uniform  # the all-models benchmark's 100 x 20

from zopa.io import load_scenario
from zopa.models.exchange import ExchangeModel
from zopa.scenario import Actor, Issue, Scenario, Stance
from zopa.uncertainty.sampling import sample_positions

ANCHOR_DECIDE_S = 24.6
FLAGSHIP = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine-ceasefire-2026.yaml"
Stances = dict[str, tuple[float, dict[str, tuple[float, float]]]]


def read_decide_input(path: Path) -> tuple[Stances, list[str]]:
    actors: Stances = {}
    issues: list[str] = []
    with path.open(newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quotechar="'"):
            cells = [c.strip() for c in row if c.strip()]
            if not cells:
                continue
            if cells[0] == "#P":
                issues.append(cells[1])
            elif cells[0] == "#D":
                actor, issue, pos, sal, cap = cells[1], cells[2], *map(float, cells[3:6])
                actors.setdefault(actor, (cap, {}))[1][issue] = (pos, sal)
    return actors, issues


def synthetic(
    n_actors: int, n_issues: int, seed: int = 0, missing: float = 0.07
) -> tuple[Stances, list[str]]:
    rng = np.random.default_rng(seed)
    issues = [f"i{k}" for k in range(n_issues)]
    actors: Stances = {}
    for a in range(n_actors):
        cap = float(rng.choice([0.05, 0.25, 0.35, 0.4, 0.5, 0.6, 0.7, 0.75, 1.0]))
        stances = {
            i: (float(rng.integers(0, 21) * 5), float(rng.integers(4, 20) * 0.05))
            for i in issues
            if rng.random() >= missing
        }
        actors[f"a{a}"] = (cap, stances)
    return actors, issues


def scenario(actors: Stances, issues: list[str]) -> Scenario:
    return Scenario(
        title="bench",
        actors=tuple(Actor(a, a, cap) for a, (cap, _) in actors.items()),
        issues=tuple(Issue(i, i) for i in issues),
        stances=tuple(
            Stance(a, i, p, s) for a, (_, st) in actors.items() for i, (p, s) in st.items()
        ),
    )


FIRST_CALL = (
    "import time; t = time.perf_counter(); "
    "from zopa.io import load_scenario; from zopa.models.exchange import ExchangeModel; "
    f"v = load_scenario({str(FLAGSHIP)!r}).arrays(); t = time.perf_counter(); "
    "ExchangeModel().forecast(v); print(time.perf_counter() - t)"
)


def first_call_fresh() -> tuple[float, float]:
    """First forecast in a new process: with an empty kernel cache, then with that cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        times = []
        for _ in range(2):
            out = subprocess.run(
                [sys.executable, "-c", FIRST_CALL], env=env, capture_output=True, text=True
            )
            out.check_returncode()
            times.append(float(out.stdout.strip().splitlines()[-1]))
    return times[0], times[1]


def best_of(fn, repeat: int) -> float:
    """Best CPU time of ``repeat`` runs (CPU time, so that other load on the machine
    does not count; the model runs on one thread)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def time_decide(actors: Stances, issues: list[str], rounds: int) -> float | None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    try:
        from decide_oracle import run_decide
    except ImportError:
        return None
    try:
        import decide.model.equalgain  # noqa: F401
    except ImportError:
        return None
    t = time.process_time()
    run_decide(actors, issues, rounds)
    return time.process_time() - t


#: (actors, issues): before (wall s, peak GB), goal (wall s, peak GB); None: not stated
LARGE = {
    (40, 80): ((None, None), (None, None)),
    (160, 80): ((25.0, 2.8), (5.0, 1.0)),
}
ONE_FORECAST = (
    "import sys; from zopa.io import load_scenario; from zopa.models.exchange import "
    "ExchangeModel; ExchangeModel().forecast(load_scenario(sys.argv[1]).arrays())"
)


def large() -> None:
    """One exchange forecast per whole process on the large synthetic scenarios."""
    from bench_deals import versus
    from large_runs import load, python, scenario_file, whole_process

    print("== exchange model, one point forecast (10 rounds), whole process")
    # compile or load the kernel once, so that no figure below includes a compilation
    whole_process([python(), "-c", FIRST_CALL])
    zopa = [python(), "-c", "from zopa.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        for (n_a, n_i), ((b_wall, b_gb), (g_wall, g_gb)) in LARGE.items():
            path = scenario_file(Path(tmp), n_a, n_i)
            runs = {
                "python -c forecast": [python(), "-c", ONE_FORECAST, str(path)],
                # the ``zopa`` command of this environment, as a user runs it
                "zopa forecast -m exchange": [*zopa, "forecast", str(path), "-m", "exchange"],
            }
            for how, args in runs.items():
                before = load()
                wall, cpu, rss = whole_process(args)
                print(
                    f"  {n_a:>3} x {n_i:<3} {how:<26}: {wall:6.1f} s wall, {cpu:6.1f} s CPU, "
                    f"{rss:6.0f} MB{versus(wall, rss, b_wall, b_gb, g_wall, g_gb)}  [{before}]",
                    flush=True,
                )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decide-input", type=Path)
    ap.add_argument("--skip-decide", action="store_true")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument(
        "--fresh", action="store_true", help="also time the first call in new processes"
    )
    ap.add_argument("--large", action="store_true", help="only the large scenarios")
    args = ap.parse_args()
    if args.large:
        large()
        return

    flag = load_scenario(FLAGSHIP).arrays()
    t = time.perf_counter()
    ExchangeModel().forecast(flag)
    print(
        f"first forecast in this process (kernel compiled or loaded from the cache): "
        f"{time.perf_counter() - t:.2f} s"
    )
    if args.fresh:
        compile_s, load_s = first_call_fresh()
        print(f"first forecast in a new process: {compile_s:.1f} s compiling the kernel,")
        print(f"  {load_s:.2f} s when the kernel is in the cache")
    print("(every figure below is after a warm-up)\n")

    if args.decide_input:
        actors, issues = read_decide_input(args.decide_input)
        label = args.decide_input.name
    else:
        actors, issues = synthetic(15, 13)
        label = "synthetic 15x13"
    view = scenario(actors, issues).arrays()
    model = ExchangeModel(rounds=args.rounds)
    model.forecast(view)  # warm-up
    t_zopa = best_of(lambda: model.forecast(view), 5)
    f = model.forecast(view)
    n_exchanges = int(f.diagnostics["exchanges_per_round"].sum())
    print(f"input: {label}: {view.n_actors} actors x {view.n_issues} issues, {args.rounds} rounds")
    print(f"zopa exchange:   {t_zopa * 1e3:8.1f} ms CPU ({n_exchanges} exchanges)")
    print(
        f"anchor (Decide, COP21, issue 3): {ANCHOR_DECIDE_S:.1f} s"
        f" -> ratio {ANCHOR_DECIDE_S / t_zopa:6.0f}x"
    )
    if not args.skip_decide:
        t_decide = time_decide(actors, issues, args.rounds)
        if t_decide is None:
            print("Decide not installed: not timed here")
        else:
            print(f"Decide measured: {t_decide:8.2f} s CPU -> ratio {t_decide / t_zopa:6.0f}x")

    print("\nscaling (10 rounds, one draw; ms CPU):")
    print(f"{'actors':>7} {'issues':>7} {'candidates':>11} {'ms':>9}")
    for n_a, n_i in [(10, 5), (15, 13), (30, 13), (60, 13), (15, 26), (100, 20)]:
        a, i = synthetic(n_a, n_i, seed=1)
        v = scenario(a, i).arrays()
        t = best_of(lambda v=v: ExchangeModel().forecast(v), 2)
        k = n_a * (n_a - 1) // 2 * n_i * (n_i - 1) // 2
        print(f"{n_a:>7} {n_i:>7} {k:>11} {t * 1e3:9.1f}")

    print("\ndraws (15x13, 10 rounds):")
    for d in (1, 10, 100):
        rng = np.random.default_rng(2)
        pos = np.clip(view.position + rng.normal(0, 5, (d, *view.position.shape[1:])), 0, 100)
        batch = view.with_draws(position=pos)
        t = best_of(lambda b=batch: ExchangeModel().forecast(b), 2)
        print(f"  D={d:>4}: {t * 1e3:8.1f} ms  ({t / d * 1e3:.2f} ms per draw)")

    print("\nflagship scenario (ukraine-ceasefire-2026, 10 rounds; issue 3: 1,000 draws")
    print("through every model in under 2 s, 100 x 20 through every model in under 5 s):")
    t = best_of(lambda: ExchangeModel().forecast(flag), 5)
    print(f"  one draw:     {t * 1e3:8.1f} ms")
    draws = sample_positions(flag, 1000, np.random.default_rng(0))
    t = best_of(lambda: ExchangeModel().forecast(draws), 3)
    print(f"  1,000 draws:  {t:8.3f} s  (of the 2 s budget for every model)")
    big = synthetic_uniform(100, 20)
    t = best_of(lambda: ExchangeModel().forecast(big), 3)
    print(f"  100 x 20 of the all-models benchmark: {t:.3f} s  (of the 5 s budget)")


if __name__ == "__main__":
    main()
