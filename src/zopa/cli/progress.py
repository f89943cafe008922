"""A progress bar on stderr over the blocks of a long analysis (Monte Carlo draws)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from zopa.cli.common import err_console


def wanted(option: bool | None) -> bool:
    """Whether to show progress: as the option says, else when stderr is a terminal."""
    return sys.stderr.isatty() if option is None else option


@contextmanager
def progress_bar(label: str, *, show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A callback ``(done, total)`` drawing a bar on stderr, or ``None`` when not shown.

    The bar shows the share done, the count and an estimate of the time remaining; on a
    terminal it disappears when the analysis ends, elsewhere (a log) its last state is
    written once at the end.
    """
    if not show:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=err_console.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
