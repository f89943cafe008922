"""The long fuzz run over every reader: many hostile files, counted findings.

The same generator as tests/test_hardening_fuzz.py (tests/fuzz/inputs.py), random rather
than derandomised and far longer. Every case is read as a user would (``zopa validate``
in process, or the service for deal files, or the DEU readers); a finding is a traceback,
an exit code outside {0, 1, 2}, a case slower than the per-case limit, or a planted secret
shown. Findings are printed with their reader and kind, and the slowest case and the
process's peak memory with the counts.

    .venv/bin/python benchmarks/fuzz_readers.py              # 300 cases per reader
    .venv/bin/python benchmarks/fuzz_readers.py 2000 --seed 7
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hypothesis import HealthCheck, given, seed, settings

from fuzz.inputs import Seed, case_strategy, check_one, seeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=int, default=300, help="cases per reader")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the run")
    parser.add_argument("--reader", action="append", help="only this reader (repeatable)")
    args = parser.parse_args()

    findings: list[tuple[str, str, str]] = []
    slowest: list[tuple[float, str]] = [(0.0, "")]
    total = 0
    started = time.perf_counter()
    for name, file_seed in sorted(seeds().items()):
        if args.reader and name not in args.reader:
            continue
        t = time.perf_counter()
        counts = _fuzz(name, file_seed, args.cases, args.seed, findings, slowest)
        total += sum(counts.values()) + sum(1 for f in findings if f[0] == name)
        print(
            f"{name:13s} {sum(counts.values()):6d} cases read, exit codes"
            f" {dict(sorted(counts.items()))}, {time.perf_counter() - t:6.1f} s",
            flush=True,
        )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / 1024 if sys.platform != "darwin" else peak / 2**20
    print(
        f"\n{total} cases in {time.perf_counter() - started:.0f} s (seed {args.seed});"
        f" slowest case {slowest[0][0]:.2f} s ({slowest[0][1]}); peak memory {peak_mb:.0f} MB;"
        f" load {os.getloadavg()[0]:.1f}"
    )
    print(f"findings: {len(findings)}")
    for reader, kind, detail in findings:
        print(f"  {reader}: {kind}\n    {detail}")
    sys.exit(1 if findings else 0)


def _fuzz(
    name: str,
    file_seed: Seed,
    cases: int,
    run_seed: int,
    findings: list[tuple[str, str, str]],
    slowest: list[tuple[float, str]],
) -> collections.Counter[int]:
    """Read ``cases`` hostile files of one reader; findings are appended, not raised."""
    counts: collections.Counter[int] = collections.Counter()

    @seed(run_seed)
    @settings(
        max_examples=cases, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=case_strategy(file_seed))
    def run(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            try:
                outcome = check_one(file_seed, data, Path(folder))
            except AssertionError as exc:
                detail = "".join(traceback.format_exception_only(exc.__cause__ or exc)).strip()
                findings.append((name, str(exc), detail[-300:]))
                return
        counts[outcome.exit_code] += 1
        slowest[0] = max(slowest[0], (outcome.seconds, name))

    run()
    return counts


if __name__ == "__main__":
    main()
