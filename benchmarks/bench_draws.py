"""Monte Carlo draws at scale: whole ``zopa forecast`` processes, time and peak memory.

Runs ``zopa forecast FLAGSHIP --model all --draws N --workers W --format json`` under
``/usr/bin/time -v`` for each N and W and prints the wall time, the time per 1,000 draws,
the peak resident memory measured from outside (``time -v``: the largest single
process), the peak of the sum over the process and its workers (sampled from /proc
every 0.2 s), the machine's load average before and after each run, and the goals of
issue 14: under 1 GB peak at 10^5 draws and under 1.5 GB at 10^6, time linear in draws.

Usage: .venv/bin/python benchmarks/bench_draws.py [--draws 1000 10000 100000]
       [--workers 1 2] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZOPA = str(Path(sys.executable).parent / "zopa")
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
GOALS_MB = {100_000: 1000.0, 1_000_000: 1500.0}


def tree_rss_mb(root: int) -> float:
    """Resident memory (MB) of ``root`` and all its descendants, from /proc."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parent[int(entry.name)] = int(fields.get("PPid", "0"))
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parent.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree) / 1024


def measure(draws: int, workers: int, seed: int) -> tuple[float, float, float]:
    """Wall seconds, peak RSS of the largest process and of all together (MB)."""
    command = [ZOPA, "forecast", str(FLAGSHIP), "-m", "all", "--draws", str(draws)]
    command += ["--workers", str(workers), "--seed", str(seed), "--format", "json"]
    command += ["--no-progress"]
    proc = subprocess.Popen(
        ["/usr/bin/time", "-v", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    together = 0.0
    while proc.poll() is None:
        together = max(together, tree_rss_mb(proc.pid))
        time.sleep(0.2)
    report = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"zopa failed:\n{report}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", report)
    if rss is None or wall is None:
        raise RuntimeError(f"could not read /usr/bin/time's report:\n{report}")
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, int(rss.group(1)) / 1024, together


def main() -> None:
    """Measure each number of draws and print one row per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"flagship, every model, {os.cpu_count()} cores; whole processes (/usr/bin/time -v)")
    print(
        f"{'draws':>9} {'workers':>7} {'wall s':>8} {'s/1000':>7} {'peak MB':>8}"
        f" {'all MB':>7} {'goal MB':>8}  load (1 min)"
    )
    for draws in args.draws:
        for workers in args.workers:
            before = os.getloadavg()[0]
            wall, peak, together = measure(draws, workers, args.seed)
            after = os.getloadavg()[0]
            goal = GOALS_MB.get(draws)
            goal_text = f"{goal:8.0f}" if goal else f"{'':>8}"
            print(
                f"{draws:9d} {workers:7d} {wall:8.1f} {1000 * wall / draws:7.3f} {peak:8.0f}"
                f" {together:7.0f} {goal_text}  {before:.2f} -> {after:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
