"""The executor of a batched analysis, from the arguments every such analysis takes.

Each batched analysis (``forecast`` with draws, ``durability``, ``sensitivity``,
``backtest``, ``sweep``) takes ``workers`` (local workers, ``None``: one per core),
``dask`` (``"local"`` or a scheduler address) and ``executor`` (one already open, e.g.
a sweep's, which the analysis leaves open). Bad arguments are :class:`BadInput` located
at the argument; an executor that cannot start (no scheduler answering) is
:class:`AnalysisFailed`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from zopa.service.errors import AnalysisFailed, BadInput, argument_problem

if TYPE_CHECKING:
    from collections.abc import Iterator

    from zopa.execution import Executor
    from zopa.io.errors import Problem


def executor_problems(workers: int | None, dask: str | None) -> list[Problem]:
    """Problems of the executor arguments (empty when they are fine)."""
    from zopa.execution.cluster import check_address

    problems = []
    if workers is not None and workers < 1:
        problems.append(
            argument_problem("workers", "out of range", got=workers, expected="1 or more")
        )
    if dask:
        why = check_address(dask)
        if why is not None:
            problems.append(
                argument_problem(
                    "dask",
                    "not a Dask scheduler",
                    got=dask,
                    expected="local, or a scheduler address such as tcp://HOST:8786",
                )
            )
    return problems


@contextmanager
def open_for_analysis(
    *,
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    threads: bool = False,
) -> Iterator[Executor]:
    """The given executor (left open), or a new one closed when the block ends.

    ``threads`` makes a local executor's workers threads rather than processes (a Dask
    LocalCluster keeps its worker processes): threads need no start-up and no
    ``if __name__ == "__main__"`` guard in a calling script, which a pool of spawned
    processes does.

    Raises:
        BadInput: ``workers`` below 1 or a malformed ``dask`` address.
        AnalysisFailed: The Dask executor cannot start.
    """
    if executor is not None:
        yield executor
        return
    from zopa.execution import ExecutorError, open_executor

    problems = executor_problems(workers, dask)
    if problems:
        raise BadInput(problems)
    try:
        opened = open_executor(workers=workers, dask=dask, threads=threads and not dask)
    except ExecutorError as exc:
        raise AnalysisFailed(f"the Dask executor could not start: {exc}") from None
    try:
        yield opened
    finally:
        opened.close()
