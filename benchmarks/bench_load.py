"""Time reading and validating scenario files (zopa.io.check_scenario).

Goal: the whole load and validation of a 160-actor x 80-issue scenario (12,800 stances,
about 1 MB of YAML) in under 0.6 s, in-process. Before the one-pass reader it took
4.3-4.5 s.

Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_load.py [--repeat N]

Prints, for the flagship scenario and for the 160 x 80 scenario written by
make_scenario.py (as YAML and as JSON), the median wall and CPU time of one
check_scenario call in this process (start-up and imports not included), and the median
wall time of a whole process that imports zopa.io and checks the file, next to one that
only imports it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from make_scenario import write_scenario

from zopa.io import check_scenario

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
GOAL_SECONDS = 0.6


def in_process(path: Path, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of one ``check_scenario(path)`` call."""
    scenario, problems = check_scenario(path)  # warm: imports and caches
    if scenario is None:
        raise SystemExit(f"{path} is not valid: {problems[0].format()}")
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        check_scenario(path)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


def whole_process(code: str, repeat: int) -> float:
    """Median wall seconds of ``python -c code``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure")
    args = parser.parse_args()
    print(f"libyaml: {'yes' if yaml.__with_libyaml__ else 'no (PyYAML parser)'}")
    importing = whole_process("from zopa.io import check_scenario", args.repeat)
    print(f"process that only imports zopa.io: {importing:.3f} s")
    header = f"{'file':34s} {'size':>9s} {'wall s':>7s} {'cpu s':>7s} {'process s':>9s}"
    print(header)
    with tempfile.TemporaryDirectory() as folder:
        files = [("flagship", FLAGSHIP)]
        for suffix in (".yaml", ".json"):
            path = Path(folder) / f"actors160-issues80{suffix}"
            write_scenario(160, 80, path)
            files.append((f"160 x 80 {suffix[1:].upper()}", path))
        for name, path in files:
            wall, cpu = in_process(path, args.repeat)
            code = f"from zopa.io import check_scenario; check_scenario({str(path)!r})"
            process = whole_process(code, args.repeat)
            size = f"{path.stat().st_size / 1e6:.2f} MB"
            print(f"{name:34s} {size:>9s} {wall:7.3f} {cpu:7.3f} {process:9.3f}")
            if name == "160 x 80 YAML":
                verdict = "met" if wall < GOAL_SECONDS else "missed"
                print(f"{'':34s} goal < {GOAL_SECONDS} s in-process: {verdict}")


if __name__ == "__main__":
    main()
