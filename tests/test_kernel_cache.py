"""The notice before a kernel compiles: numba's cache is checked, one line is logged."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest

from zopa.models.kernels import cache

MACHINE = ("x86_64-unknown-linux-gnu", "cpu", "+features")


def fake_dispatcher(index: dict[Any, str], *, signatures: tuple[Any, ...] = ()) -> Any:
    """What ``is_cached`` reads of a numba dispatcher, with a given cache index."""
    return SimpleNamespace(
        signatures=list(signatures),
        _cache=SimpleNamespace(_cache_file=SimpleNamespace(_load_index=lambda: index)),
        targetctx=SimpleNamespace(codegen=lambda: SimpleNamespace(magic_tuple=lambda: MACHINE)),
    )


def test_is_cached_reads_the_index_for_this_processor():
    assert cache.is_cached(fake_dispatcher({})) is False  # missing, stale or another numba
    other = ("x86_64-unknown-linux-gnu", "other cpu", "")
    assert cache.is_cached(fake_dispatcher({("sig", other, ("h", "h")): "f.nbc"})) is False
    assert cache.is_cached(fake_dispatcher({("sig", MACHINE, ("h", "h")): "f.nbc"})) is True
    # compiled in this process already
    assert cache.is_cached(fake_dispatcher({}, signatures=("sig",))) is True
    # no cache to read: cannot tell
    assert cache.is_cached(SimpleNamespace(signatures=[])) is None


@pytest.mark.parametrize(("cached", "lines"), [(False, 1), (True, 0), (None, 0)])
def test_load_kernel_logs_one_line_when_compiling(cached, lines, monkeypatch, caplog):
    monkeypatch.setattr(cache, "is_cached", lambda dispatcher: cached)
    with caplog.at_level(logging.WARNING, logger="zopa"):
        kernel = cache.load_kernel("spatial", "smp", ("run_draws", "elections", "trajectory"))
    assert kernel.__name__ == "zopa.models.kernels.spatial"
    records = [r for r in caplog.records if r.name == "zopa"]
    assert len(records) == lines
    if lines:
        assert records[0].levelno == logging.WARNING
        assert records[0].getMessage() == (
            "compiling the smp kernel once (about 20 s; cached afterwards)"
        )


CHECK = """
import sys
from zopa.models.kernels import nash
from zopa.models.kernels.cache import is_cached
print(is_cached(nash.nash_bisect))
if sys.argv[1] == "compile":
    from zopa.io.formats import ktab
    from zopa.models import make_model
    make_model("nash").forecast(ktab.read(sys.argv[2]).arrays())
"""


def test_is_cached_against_numbas_own_cache(tmp_path):
    # a fresh cache folder: nothing cached; after one run (nash compiles in about a
    # second), a new process finds the cached code
    soe = os.path.join(os.path.dirname(__file__), "fixtures", "ktab", "SOE-Pol-Comp.csv")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}

    def check(step: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", CHECK, step, soe],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return out.stdout.split()[0]

    assert check("compile") == "False"
    assert check("look") == "True"
