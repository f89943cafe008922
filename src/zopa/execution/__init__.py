"""Where batched analyses run: one executor interface, local or on a Dask cluster.

Every batched analysis (Monte Carlo forecasts, durability draws, sensitivity designs,
backtests, sweeps) cuts its work into tasks whose numbers depend on the task alone
(each block of draws seeded from its own ``SeedSequence``), hands them to an
:class:`Executor` and combines the results in task order. The numbers are therefore
the same whatever executor runs them, with however many workers, and however blocks
are grouped into tasks.

- :class:`LocalExecutor` (default): this process, or a pool of processes (``spawn``) or
  threads, one worker per core by default.
- :class:`~zopa.execution.cluster.DaskExecutor`: an existing Dask scheduler
  (``tcp://HOST:8786``) or a ``LocalCluster`` it starts (``"local"``). Dask is imported
  only when one is made.

This package imports nothing of zopa and no numeric library, so it sits under every
analysis layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from zopa.execution.base import Executor, ExecutorError
from zopa.execution.local import KINDS, LocalExecutor, cpu_count

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "KINDS",
    "Executor",
    "ExecutorError",
    "LocalExecutor",
    "cpu_count",
    "group",
    "open_executor",
]

T = TypeVar("T")


def open_executor(
    *, workers: int | None = None, dask: str | None = None, threads: bool = False
) -> Executor:
    """The executor asked for: Dask when ``dask`` is given, else the local one.

    Args:
        workers: Local workers, or the workers of a Dask LocalCluster (``None``: one
            per core).
        dask: ``"local"`` (start a LocalCluster) or a scheduler address.
        threads: Local workers as threads rather than processes.

    Raises:
        ExecutorError: The Dask executor cannot run (see
            :class:`~zopa.execution.cluster.DaskExecutor`).
        ValueError: ``workers`` below 1.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if dask:
        from zopa.execution.cluster import DaskExecutor

        return DaskExecutor(dask, workers, processes=not threads)
    return LocalExecutor(workers, "threads" if threads else "processes")


def group(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    """``items`` cut into consecutive tasks of ``size`` (the last one shorter)."""
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    return [tuple(items[k : k + size]) for k in range(0, len(items), size)]
