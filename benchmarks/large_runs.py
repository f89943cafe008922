"""Whole-process runs for the large-scenario benchmarks: wall time and peak memory.

Shared by ``bench_deals.py --large`` and ``bench_exchange.py --large``. Each run is a new
Python process timed from outside by ``/usr/bin/time -v`` (its "Maximum resident set
size" is the peak RSS of the whole process, imports and start-up included). The machine
is shared: every figure is printed with the load average at the time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_scenario import write_scenario

TIME = "/usr/bin/time"


def load() -> str:
    """The 1-, 5- and 15-minute load averages."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def scenario_file(folder: Path, n_actors: int, n_issues: int) -> Path:
    """The synthetic scenario of the deal-space figures: 4 veto players with red lines."""
    path = folder / f"synthetic-{n_actors}x{n_issues}.yaml"
    if not path.exists():
        write_scenario(n_actors, n_issues, path, veto=4, red_lines=0.3)
    return path


def whole_process(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as log:
        t = time.perf_counter()
        subprocess.run(
            [TIME, "-v", "-o", log.name, *args],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
        )
        wall = time.perf_counter() - t
        text = Path(log.name).read_text()
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))  # type: ignore[union-attr]
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))  # type: ignore[union-attr]
    rss_kb = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))  # type: ignore[union-attr]
    return wall, user + system, rss_kb / 1024


def python() -> str:
    """The interpreter running the benchmark (the project's environment)."""
    return sys.executable
