"""The Dask executor: tasks on an existing Dask scheduler's workers, or on a LocalCluster.

``address`` is a scheduler's address (``tcp://HOST:8786``; also ``tls://``, ``ws://``,
``wss://`` or a bare ``HOST:PORT``) or ``"local"``, which starts a
``distributed.LocalCluster`` on this machine for the executor's lifetime. Dask is
imported here only, when such an executor is made, so that nothing else pays its
import time. The shared arguments of a map are scattered to every worker once
(``broadcast=True``); each task is one ``Client.submit`` (``pure=False``: a task is
never taken for another with the same arguments), and its result comes back to this
process, where the results are taken in task order.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from zopa.execution.base import Executor, ExecutorError, R, in_order
from zopa.execution.local import cpu_count

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Sequence

#: A scheduler address: optional protocol, host, port.
ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.\-]+):(\d{1,5})$")

#: Seconds to wait for a remote scheduler to answer.
CONNECT_TIMEOUT = 10

#: Tasks kept in flight per worker (plus 8): enough to hide the round trips through the
#: scheduler, few enough that the results waiting to be taken stay small.
WINDOW_PER_WORKER = 4


def check_address(address: str) -> str | None:
    """Why ``address`` is not a scheduler address or ``"local"`` (``None`` if it is)."""
    if address == "local":
        return None
    match = ADDRESS.match(address)
    if match is None:
        return "expected local or a scheduler address such as tcp://HOST:8786"
    if not 0 < int(match.group(3)) < 65536:
        return "the port must be between 1 and 65535"
    return None


class DaskExecutor(Executor):
    """Runs tasks on Dask workers.

    Args:
        address: ``"local"`` or a scheduler's address.
        workers: For ``"local"``: workers of the LocalCluster (``None``: one per core).
            Ignored for a remote scheduler, whose workers are whatever it has.
        processes: For ``"local"``: workers in processes (default) or in threads of
            this process.

    Raises:
        ExecutorError: A malformed address, Dask not installed, or no scheduler
            answering at the address.
    """

    def __init__(self, address: str, workers: int | None = None, *, processes: bool = True) -> None:
        problem = check_address(address)
        if problem is not None:
            raise ExecutorError(f"{address!r}: {problem}")
        try:
            import distributed as module
        except ImportError as exc:  # pragma: no cover - a dependency of zopa
            raise ExecutorError(f"Dask is not installed ({exc})") from None
        distributed: Any = module  # untyped: called through Any
        self.address = address
        self._cluster: Any = None
        self._last_workers = 1
        self._client: Any
        if address == "local":
            n = cpu_count() if workers is None else workers
            self._cluster = distributed.LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=":0",  # no fixed port: never "port 8787 in use"
                silence_logs=logging.ERROR,
            )
            self._client = distributed.Client(self._cluster, set_as_default=False)
            kind = "processes" if processes else "threads"
            self.description = f"dask LocalCluster, {n} workers ({kind})"
        else:
            try:
                self._client = distributed.Client(
                    address, timeout=CONNECT_TIMEOUT, set_as_default=False
                )
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"no Dask scheduler answered at {address} within {CONNECT_TIMEOUT} s ({exc})"
                ) from None
            self.description = f"dask scheduler {address}, {self.workers} workers"

    @property
    def workers(self) -> int:
        """Workers the scheduler has now (at least 1; once closed, the last count)."""
        if self._client.status in ("running", "connecting"):
            info = self._client.scheduler_info()
            self._last_workers = max(1, len(info.get("workers", {})))
        return self._last_workers

    def map(
        self, fn: Callable[..., R], tasks: Sequence[Any], shared: tuple[Any, ...] = ()
    ) -> Generator[R, None, None]:
        """``fn(*shared, task)`` for each task on the workers, in task order."""
        client = self._client
        # unique keys (hash=False): a later map's data is never taken for this one's
        sent = [client.scatter([value], broadcast=True, hash=False)[0] for value in shared]

        def submit(task: Any) -> Any:
            return client.submit(fn, *sent, task, pure=False)

        def result(future: Any) -> R:
            value: R = future.result()
            future.release()
            return value

        def cancel(futures: list[Any]) -> None:
            client.cancel(futures)

        try:
            yield from in_order(submit, result, cancel, tasks, WINDOW_PER_WORKER * self.workers + 8)
        finally:
            for future in sent:
                future.release()

    def close(self) -> None:
        """Close the client, and the LocalCluster if this executor started it."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
