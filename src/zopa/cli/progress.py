"""Long analyses: a progress bar on stderr over their chunks, and where they run.

The options every batched analysis shares (``--workers``, ``--dask``, ``--progress``)
are defined here once, so that each command reads them alike.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from zopa.cli.common import err_console

EXECUTOR_FLAGS = {"workers": "--workers", "dask": "--dask"}
"""The option behind each executor argument of a service call."""

WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Local workers (default: one per core; processes for forecast draws and "
        "sweeps, threads for the other analyses), or the workers of --dask local; the "
        "numbers are the same whatever the number.",
        show_default=False,
    ),
]
DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        envvar="ZOPA_DASK",
        help="Run the chunks on Dask: 'local' starts a LocalCluster, or the address of a "
        "running scheduler (tcp://HOST:8786). Default: $ZOPA_DASK, else this machine.",
        show_default=False,
    ),
]
ProgressOption = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        help="Show a progress bar with the time left on stderr (default: when stderr is "
        "a terminal).",
        show_default=False,
    ),
]


def wanted(option: bool | None) -> bool:
    """Whether to show progress: as the option says, else when stderr is a terminal."""
    return sys.stderr.isatty() if option is None else option


@contextmanager
def progress_bar(label: str, *, show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A callback ``(done, total)`` drawing a bar on stderr, or ``None`` when not shown.

    The bar shows the share done, the count and an estimate of the time remaining (from
    the speed of the chunks computed, not of those found already stored); on a
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
        started = False

        def update(done: int, total: int) -> None:
            nonlocal started
            if not started:
                # work found done (a resumed sweep) is no speed sample for the estimate
                bar.reset(task, total=total, completed=done)
                started = True
                return
            bar.update(task, completed=done, total=total)

        yield update
