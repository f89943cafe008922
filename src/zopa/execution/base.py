"""The executor interface: run a function over tasks somewhere, results in task order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Sequence
    from types import TracebackType

R = TypeVar("R")
F = TypeVar("F")


class ExecutorError(Exception):
    """The executor asked for cannot run: a malformed address, no scheduler there, no Dask."""


class Executor(ABC):
    """Runs ``fn(*shared, task)`` for each task and yields the results in task order.

    The order of the results never depends on where or when each task ran, so an
    analysis that combines them in order gives the same numbers on any executor.
    ``shared`` holds the large arguments every task needs (a scenario's arrays, the
    models): an executor sends them to each worker once where it can.
    """

    #: What runs the tasks, in words (kept in the metadata of stored runs).
    description: str

    @property
    @abstractmethod
    def workers(self) -> int:
        """Tasks that run at the same time."""

    @abstractmethod
    def map(
        self, fn: Callable[..., R], tasks: Sequence[Any], shared: tuple[Any, ...] = ()
    ) -> Generator[R, None, None]:
        """``fn(*shared, task)`` for each task, in the order of ``tasks``.

        Tasks are submitted a few at a time ahead of the results taken, so memory holds
        a bounded number of results; closing the iterator early (an error, Ctrl-C)
        cancels the tasks not yet started.
        """

    def close(self) -> None:  # noqa: B027 (executors without resources keep it empty)
        """Release the workers (and a cluster the executor started)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def in_order(
    submit: Callable[[Any], F],
    result: Callable[[F], R],
    cancel: Callable[[list[F]], None],
    tasks: Iterable[Any],
    window: int,
) -> Generator[R, None, None]:
    """Results of submitted tasks in task order, at most ``window`` tasks in flight.

    Args:
        submit: Starts one task, returning its future.
        result: Waits for a future's result (raising the task's error).
        cancel: Cancels futures not taken (called when the caller stops early).
        tasks: The tasks.
        window: Tasks submitted ahead of the result being waited for.
    """
    pending: deque[F] = deque()
    todo = iter(tasks)
    try:
        for task in todo:
            pending.append(submit(task))
            if len(pending) >= window:
                break
        while pending:
            head = pending.popleft()
            for task in todo:
                pending.append(submit(task))
                break
            yield result(head)
    finally:
        if pending:
            cancel(list(pending))
