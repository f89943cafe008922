"""Analyses off the event loop: a bounded pool of threads and a time limit per request.

The models' compiled loops run one thread each and release no shared state, so several
analyses may run at once; the pool bounds how many, and a request whose analysis passes
the time limit gets 503 while the server keeps answering the others.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")

PLOT_LOCK = threading.Lock()
"""matplotlib is not thread-safe: one report renders its plots at a time."""


class TooSlow(Exception):  # noqa: N818
    """An analysis passed the request's time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the analysis took longer than the limit of {seconds:g} s")


class Runner:
    """Runs blocking analyses in a thread pool with a time limit."""

    def __init__(self, workers: int, time_limit: float) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zopa-analysis")
        self.time_limit = time_limit

    async def run(self, work: Callable[[], T], *, limit: float | None = None) -> T:
        """``work()`` in the pool; :class:`TooSlow` after the time limit."""
        seconds = limit or self.time_limit
        future = asyncio.get_running_loop().run_in_executor(self.pool, work)
        try:
            return await asyncio.wait_for(future, seconds)
        except TimeoutError:
            raise TooSlow(seconds) from None

    def close(self) -> None:
        """Stop taking work; running analyses finish in the background."""
        self.pool.shutdown(wait=False, cancel_futures=True)
