"""Fuzz every reader with hostile files: no traceback, exit codes in {0, 1, 2}, no hang.

Derandomised and bounded (the same cases every run, a few dozen per reader, some 30 s in
all); `benchmarks/fuzz_readers.py` runs the same generator for longer. Memory is checked
over the whole run: the process's peak may not grow by more than :data:`MEMORY_GROWTH`.
"""

from __future__ import annotations

import resource
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz.inputs import case_strategy, check_one, seeds

EXAMPLES = {"xlsx": 25, "deal": 20}
"""Cases per reader where reading is slower; 40 for the others."""

MEMORY_GROWTH = 1024 * 2**20
"""Most the peak memory of the test process may grow while fuzzing (1 GiB; the KTAB
count bomb used 13 GB)."""

SEEDS = seeds()


def _peak_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


@pytest.fixture(scope="module")
def memory_before():
    before = _peak_bytes()
    yield before
    assert _peak_bytes() - before < MEMORY_GROWTH


@pytest.mark.parametrize("reader", sorted(SEEDS))
def test_a_valid_seed_is_valid(reader: str, tmp_path: Path) -> None:
    """Each seed reads without error: the mutations start from a file the reader accepts."""
    assert check_one(SEEDS[reader], SEEDS[reader].data, tmp_path).exit_code == 0


@pytest.mark.parametrize("reader", sorted(SEEDS))
def test_hostile_files(reader: str, memory_before: int) -> None:
    seed = SEEDS[reader]

    @settings(
        max_examples=EXAMPLES.get(reader, 40),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=case_strategy(seed))
    def run(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            check_one(seed, data, Path(folder))

    run()
