"""Monte Carlo draws at scale: whole ``zopa forecast`` processes, time and peak memory.

Runs ``zopa forecast FLAGSHIP --model all --draws N --format json`` under
``/usr/bin/time -v`` for each N and prints the wall time, the time per 1,000 draws, the
peak resident memory (measured from outside, the whole process), the machine's load
average before and after each run, and the goals of issue 14: under 1 GB peak at 10^5
draws and under 1.5 GB at 10^6, time linear in draws.

Usage: .venv/bin/python benchmarks/bench_draws.py [--draws 1000 10000 100000] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZOPA = str(Path(sys.executable).parent / "zopa")
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
GOALS_MB = {100_000: 1000.0, 1_000_000: 1500.0}


def measure(draws: int, seed: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one whole ``zopa forecast`` process."""
    command = [ZOPA, "forecast", str(FLAGSHIP), "-m", "all", "--draws", str(draws)]
    command += ["--seed", str(seed), "--format", "json", "--no-progress"]
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr)
    if rss is None or wall is None:
        raise RuntimeError(f"could not read /usr/bin/time's report:\n{done.stderr}")
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, int(rss.group(1)) / 1024


def main() -> None:
    """Measure each number of draws and print one row per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"flagship, every model, {os.cpu_count()} cores; whole processes (/usr/bin/time -v)")
    header = f"{'draws':>9} {'wall s':>8} {'s/1000':>7} {'peak MB':>8} {'goal MB':>8}  load"
    print(header)
    for draws in args.draws:
        before = os.getloadavg()[0]
        wall, peak = measure(draws, args.seed)
        after = os.getloadavg()[0]
        goal = GOALS_MB.get(draws)
        goal_text = f"{goal:8.0f}" if goal else f"{'':>8}"
        print(
            f"{draws:9d} {wall:8.1f} {1000 * wall / draws:7.3f} {peak:8.0f} {goal_text}"
            f"  {before:.2f} -> {after:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
