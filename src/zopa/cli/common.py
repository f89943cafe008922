"""What every sub-command shares: loading with located errors, output formats, exit codes."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console, ConsoleOptions
from rich.errors import MarkupError
from rich.markup import escape
from rich.segment import Segment
from rich.text import Text

from zopa.report.text import fmt_number as fmt_number  # re-exported for the commands

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from zopa.io.errors import Problem
    from zopa.service.loading import Loader, ScenarioFile

EXIT_OK = 0
EXIT_ANALYSIS_FAILED = 1
EXIT_BAD_INPUT = 2


class _Console(Console):
    """A console that shows a user's text as written.

    Table cells given as strings are plain text, never markup: a name such as
    ``Kherson [occupied]`` keeps its brackets. Markup the commands write themselves
    (``[bold]...[/]`` in ``print``) still works; where it cannot be parsed, because a
    user's text inside it holds brackets, the line is printed plainly instead of failing.
    """

    def render(self, renderable: Any, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if isinstance(renderable, str):
            renderable = Text(renderable)
        return super().render(renderable, options)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            return super().render_str(text, **{**kwargs, "markup": False})


# Piped output (files, CI logs) gets a fixed, generous width instead of rich's 80 columns.
console = _Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 120)
err_console = _Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    """How a command prints its results."""

    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output as a table, JSON or CSV.")
]


def user_text(text: str) -> str:
    """A user's text escaped for a line the command styles with markup."""
    return escape(text)


def print_problems(problems: list[Problem]) -> None:
    """Print located problems to stderr, errors and warnings alike."""
    for p in problems:
        style = "red" if p.is_error else "yellow"
        err_console.print(p.format(), style=style, markup=False)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print a one-line error to stderr and exit with ``code``."""
    err_console.print(f"error: {message}", style="red", markup=False)
    raise typer.Exit(code)


def fail_all(messages: list[str], code: int = EXIT_BAD_INPUT) -> None:
    """Print every message as an error line on stderr and exit with ``code``; return if none."""
    for message in messages[:-1]:
        err_console.print(f"error: {message}", style="red", markup=False)
    if messages:
        fail(messages[-1], code)


def output_folder_or_exit(folder: Path, option: str) -> Path:
    """Create the folder a command writes into, before any analysis runs; exit 2 if it cannot.

    A file in the way, a parent that is a file, or a folder the user may not write into
    is bad input, said in one line that names ``option`` and the folder.
    """
    if folder.exists() and not folder.is_dir():
        fail(f"{option} {folder}: not a folder (a file of that name exists; expected a folder)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{option} {folder}: cannot create the folder ({exc.strerror or exc})")
    if not os.access(folder, os.W_OK | os.X_OK):
        fail(f"{option} {folder}: the folder is not writable")
    return folder


@contextmanager
def service_errors(flags: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn the service's two exceptions into printed problems and exit codes 2 and 1.

    ``flags`` names the command's option for each argument of the service call
    (``{"params": "--param"}``), so that a problem with an argument names the option.
    """
    from zopa.service.errors import AnalysisFailed, BadInput

    try:
        yield
    except BadInput as exc:
        print_bad_input(exc.problems, flags or {})
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except AnalysisFailed as exc:
        fail(exc.reason, EXIT_ANALYSIS_FAILED)


def print_bad_input(problems: list[Problem], flags: Mapping[str, str]) -> None:
    """Every problem on stderr, then one count per file with errors."""
    counts: dict[str, list[int]] = {}
    for p in problems:
        if p.file:
            print_problems([p])
            tally = counts.setdefault(p.file, [0, 0])
            tally[0 if p.is_error else 1] += 1
            continue
        flag = flags.get(p.path, p.path)
        text = f"{flag} {p.got!r}" if p.got is not None else flag
        text = f"{text}: {p.message}" if text else p.message
        if p.expected:
            text += f" (expected {p.expected})"
        if p.hint:
            text += f"; {p.hint}"
        err_console.print(f"error: {text}", style="red", markup=False)
    for file, (n_err, n_warn) in counts.items():
        if n_err:
            err_console.print(
                f"{file}: {n_err} error(s), {n_warn} warning(s)", style="red", markup=False
            )


def load_or_exit(
    path: Path, *, strict: bool = False, quiet_warnings: bool = False, loader: Loader | None = None
) -> ScenarioFile:
    """Load a scenario in any known format; exit 2 printing every problem on errors.

    Unless ``quiet_warnings``, the warnings of a valid file are printed too. With
    ``strict``, warnings count as errors.
    """
    from zopa.service.loading import Loader

    with service_errors():
        loaded = (loader or Loader()).scenario(path, strict=strict)
    if not quiet_warnings:
        print_problems(list(loaded.warnings))
    return loaded


def print_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on stdout (NaN becomes null)."""
    from zopa.service.results import json_text, jsonable

    sys.stdout.write(json_text(jsonable(obj)))


def print_result_json(result: Any) -> None:
    """Print a service result's documented JSON on stdout."""
    sys.stdout.write(result.to_json())


def print_csv(header: list[str], rows: list[list[Any]]) -> None:
    """Print rows as CSV on stdout."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    sys.stdout.write(buffer.getvalue())
