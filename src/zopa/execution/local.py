"""The local executor: tasks in this process, or on a pool of processes or threads.

Processes are started with ``spawn``, so that nothing of this process's threads is
inherited, and reused for every map of one executor. Threads share the process: they
run in parallel where the work releases the GIL (the compiled model kernels are built
with ``nogil=True``; numpy releases it in its larger operations), and cost no start-up
and no copies of the shared arguments.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor as PoolExecutor
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Literal

from zopa.execution.base import Executor, R, in_order

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Sequence

Kind = Literal["processes", "threads"]
KINDS: tuple[Kind, ...] = ("processes", "threads")


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LocalExecutor(Executor):
    """Runs tasks on this machine: here with one worker, else on a pool.

    Args:
        workers: Tasks at the same time (``None``: one per core). With 1, or with a
            single task, tasks run in the calling thread.
        kind: ``"processes"`` (default) or ``"threads"``.
    """

    def __init__(self, workers: int | None = None, kind: Kind = "processes") -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        self._workers = cpu_count() if workers is None else workers
        self.kind = kind
        self._pool: PoolExecutor | None = None
        self.description = f"local, {self._workers} {kind if self._workers > 1 else 'process'}"
        if self._workers == 1:
            self.description = "local, 1 process"

    @property
    def workers(self) -> int:
        """Tasks that run at the same time."""
        return self._workers

    def _open_pool(self) -> PoolExecutor:
        if self._pool is None:
            if self.kind == "threads":
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(max_workers=self._workers)
            else:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(
                    max_workers=self._workers, mp_context=multiprocessing.get_context("spawn")
                )
        return self._pool

    def map(
        self, fn: Callable[..., R], tasks: Sequence[Any], shared: tuple[Any, ...] = ()
    ) -> Generator[R, None, None]:
        """``fn(*shared, task)`` for each task, in task order (see :class:`Executor`)."""
        if self._workers == 1 or len(tasks) <= 1:
            for task in tasks:
                yield fn(*shared, task)
            return
        pool = self._open_pool()

        def submit(task: Any) -> Future[R]:
            return pool.submit(fn, *shared, task)

        def cancel(futures: list[Future[R]]) -> None:
            for future in futures:
                future.cancel()

        yield from in_order(submit, Future.result, cancel, tasks, 2 * self._workers)

    def close(self) -> None:
        """Stop the pool; tasks not started are cancelled."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
