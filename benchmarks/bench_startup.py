"""Whole-process start-up: what a user waits for, from pressing Enter to the prompt.

Times complete ``zopa`` processes (interpreter start, imports, reading, the analysis,
printing) and prints the median of several runs, the machine's load average at the time,
and each figure's ratio to its goal or anchor:

- ``zopa --help``: goal under 0.2 s;
- ``zopa validate`` on the flagship: goal under 0.35 s;
- ``zopa forecast --model smp`` on KTAB's two inputs, against KTAB's ``smpc`` (Release
  build) as a whole process on the same 2-core machine: 0.40 s on the 13 x 2 input and
  1.24 s on the 26 x 1 input (anchors measured in the issue); with ``--smpc PATH`` the
  KTAB binary is timed here too, side by side;
- loading a 160-actor x 80-issue scenario (12,800 stances): goal under 0.6 s, in-process
  and as a whole ``zopa validate`` process.

Usage: .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--smpc PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ZOPA = str(BIN / "zopa")
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
KTAB = ROOT / "tests" / "fixtures" / "ktab"
SMPC_ANCHORS = {"SOE-Pol-Comp.csv": 0.40, "SOE-Policy.csv": 1.24}


def big_scenario(path: Path, actors: int = 160, issues: int = 80, seed: int = 0) -> Path:
    """A valid scenario of ``actors`` x ``issues`` with every stance, written as YAML."""
    import numpy as np

    from zopa.io import save_scenario
    from zopa.scenario import Actor, Issue, Scenario, Source, Stance

    rng = np.random.default_rng(seed)
    position = rng.uniform(0, 100, (actors, issues)).round(1)
    salience = rng.uniform(0.05, 1, (actors, issues)).round(2)
    scenario = Scenario(
        title=f"Synthetic {actors} x {issues}",
        sources=(Source("synthetic", "Generated for benchmarks"),),
        actors=tuple(
            Actor(f"a{k}", f"Actor {k}", round(float(rng.uniform(1, 100)), 1), veto=k < 4)
            for k in range(actors)
        ),
        issues=tuple(Issue(f"i{j}", f"Issue {j}", status_quo=50.0) for j in range(issues)),
        stances=tuple(
            Stance(
                f"a{k}",
                f"i{j}",
                float(position[k, j]),
                float(salience[k, j]),
                sources=("synthetic",),
            )
            for k in range(actors)
            for j in range(issues)
        ),
    )
    save_scenario(scenario, path)
    return path


# As a user runs zopa: Python writes and then reuses the compiled bytecode of zopa's own
# modules (an environment with PYTHONDONTWRITEBYTECODE set would compile them anew on
# every run, about 40 ms, which no installed copy pays).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

CPU: dict[str, float] = {}
"""Median CPU time (user + system) of the last whole-process measurement, by label."""


def whole_process(args: list[str], runs: int) -> float:
    """Median wall time of ``runs`` complete processes (after one warm-up run).

    The median CPU time of the same runs goes to :data:`CPU` (less sensitive than wall
    time to other work on the machine).
    """
    subprocess.run(args, capture_output=True, check=False, env=ENV)
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, check=False, env=ENV)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode not in (0, 2):
            raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr.decode()}")
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times)


def in_process_load(path: Path, runs: int) -> float:
    """Median time of reading and validating ``path`` in this process."""
    from zopa.io.loader import check_file

    check_file(path)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        scenario, _ = check_file(path)
        times.append(time.perf_counter() - started)
        assert scenario is not None
    return statistics.median(times)


def row(label: str, seconds: float, goal: float, word: str = "goal") -> None:
    verdict = "ok" if seconds < goal else "OVER"
    ratio = seconds / goal
    cpu = CPU.pop("last", None)
    cpu_text = "" if cpu is None else f"   (cpu {cpu:.3f} s)"
    print(
        f"{label:<46} {seconds:7.3f} s   {word} {goal:5.2f} s   ratio {ratio:5.2f}  "
        f"{verdict}{cpu_text}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--smpc", type=Path, help="KTAB's smpc binary, to time side by side")
    opts = parser.parse_args()
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"median of {opts.runs} whole processes each (after one warm-up that writes bytecode)\n")
    print("wall time; cpu = user + system time of the process, less sensitive to load\n")
    row("zopa --help", whole_process([ZOPA, "--help"], opts.runs), 0.2)
    row(
        "zopa validate (flagship)",
        whole_process([ZOPA, "validate", str(FLAGSHIP)], opts.runs),
        0.35,
    )
    for name, anchor in SMPC_ANCHORS.items():
        path = KTAB / name
        ours = whole_process([ZOPA, "forecast", str(path), "--model", "smp"], opts.runs)
        row(f"zopa forecast {name} --model smp", ours, anchor, "smpc")
        if opts.smpc is not None:
            theirs = whole_process([str(opts.smpc), "--csv", str(path)], opts.runs)
            row(f"  smpc --csv {name} (measured here)", theirs, anchor, "anchor")
            print(f"  zopa is {theirs / ours:.2f}x faster than smpc here")
    with tempfile.TemporaryDirectory() as tmp:
        big = big_scenario(Path(tmp) / "big.yaml")
        size = big.stat().st_size / 1e6
        row(f"load 160 x 80 in-process ({size:.2f} MB)", in_process_load(big, opts.runs), 0.6)
        row(
            "zopa validate 160 x 80 (whole process)",
            whole_process([ZOPA, "validate", str(big)], opts.runs),
            0.6 + 0.35,
        )
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
