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
from rich.console import Console, ConsoleDimensions, ConsoleOptions
from rich.errors import MarkupError
from rich.markup import escape
from rich.segment import Segment
from rich.text import Text

from zopa.report.text import fmt_number as fmt_number  # re-exported for the commands

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from zopa.io.errors import Problem
    from zopa.service.loading import Loader, ScenarioFile
    from zopa.service.overrides import Overrides

EXIT_OK = 0
EXIT_ANALYSIS_FAILED = 1
EXIT_BAD_INPUT = 2


PIPED_WIDTH = 120
"""Width of output going to neither a terminal nor a width given by ``COLUMNS``."""


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _Console(Console):
    """A console that shows a user's text as written.

    Table cells given as strings are plain text, never markup: a name such as
    ``Kherson [occupied]`` keeps its brackets. Markup the commands write themselves
    (``[bold]...[/]`` in ``print``) still works; where it cannot be parsed, because a
    user's text inside it holds brackets, the line is printed plainly instead of failing.
    """

    least_width = 0
    """Print at least this wide, whatever the terminal (``--wide`` tables)."""

    set_width: int | None = None
    """A width the code set (``console.width = 80``), below ``COLUMNS``."""

    def render(self, renderable: Any, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if isinstance(renderable, str):
            renderable = Text(visible(renderable))
        elif isinstance(renderable, Text):
            renderable = visible_text(renderable)
        return super().render(renderable, options)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        text = visible(text)
        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            return super().render_str(text, **{**kwargs, "markup": False})

    @property
    def size(self) -> ConsoleDimensions:
        """The width to print at, read at each print.

        ``COLUMNS`` when set, so piped output fits the width the user asks for
        (``COLUMNS=80 zopa ... | less``); else a width the code set; else the terminal's,
        when stdout or stderr is one; else (a file, a CI log) a fixed, generous
        :data:`PIPED_WIDTH`.
        """
        dims = super().size
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            dims = ConsoleDimensions(int(columns), dims.height)
        elif self.set_width is not None:
            dims = ConsoleDimensions(self.set_width, dims.height)
        elif not self.is_terminal and not _is_terminal(sys.stderr):
            dims = ConsoleDimensions(PIPED_WIDTH, dims.height)
        return ConsoleDimensions(max(dims.width, self.least_width), dims.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self.set_width, self._height = new_size

    @property
    def width(self) -> int:
        """The width to print at (see :attr:`size`)."""
        return self.size.width

    @width.setter
    def width(self, width: int) -> None:
        """Print at this width unless ``COLUMNS`` says otherwise."""
        self.set_width = width


console = _Console(highlight=False, soft_wrap=False)
err_console = _Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    """How a command prints its results."""

    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output as a table, JSON or CSV.")
]


# Control characters (C0 but tab and newline, DEL, C1) shown as one visible character each,
# so that a name cannot move the cursor, recolour the terminal or clear the screen, and a
# styled text keeps its spans: C0 as its control picture (ESC as U+241B), the rest as U+FFFD.
_VISIBLE = {
    **{c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)},
    0x7F: 0x2421,
    **dict.fromkeys(range(128, 160), 65533),
}


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline made visible."""
    return text.translate(_VISIBLE)


def visible_text(text: Text) -> Text:
    """A rich ``Text`` with its control characters made visible (styles kept)."""
    plain = text.plain
    shown = visible(plain)
    if shown == plain:
        return text
    copy = text.copy()
    copy.plain = shown
    return copy


def one_line(text: str) -> str:
    """A user's name on one line: newlines and tabs shown as spaces, controls made visible."""
    return visible(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def user_text(text: str) -> str:
    """A user's text escaped for a line the command styles with markup (controls visible)."""
    return escape(visible(text))


@contextmanager
def wide_console(width: int) -> Iterator[None]:
    """Print at least ``width`` columns wide inside the block (a ``--wide`` table)."""
    before = console.least_width
    console.least_width = width
    try:
        yield
    finally:
        console.least_width = before


WideOption = Annotated[
    bool, typer.Option("--wide", help="Print tables whole at their natural width.")
]
FullOption = Annotated[
    bool,
    typer.Option("--full", help="Print every table and note (default: a summary of ~40 lines)."),
]

GROUPED_AT = 3
"""Warnings of one kind in one file from this many on are printed as one line."""

_KINDS = {"stances[].sources": "stances cite no source"}
"""Plain words for the groups of warnings the scenario checks give most often."""


def print_problems(problems: list[Problem], *, full: bool = False) -> None:
    """Print located problems to stderr; repeated warnings of one kind as one line.

    Errors are always printed one by one. Warnings of the same kind (the same field of
    entries in one file, with the same hint) are counted on one line naming the first
    (``26 stances cite no source; first at soe.yaml:88``) unless ``full``.
    """
    groups: dict[tuple[str, str, str | None], list[Problem]] = {}
    for p in problems:
        if p.is_error or full:
            continue
        groups.setdefault((p.file, _kind(p.path), p.hint), []).append(p)
    folded = {id(g[0]): g for g in groups.values() if len(g) >= GROUPED_AT}
    skip = {id(p) for g in folded.values() for p in g[1:]}
    for p in problems:
        if id(p) in skip:
            continue
        group = folded.get(id(p))
        if group is None:
            err_console.print(p.format(), style="red" if p.is_error else "yellow", markup=False)
            continue
        kind = _kind(p.path)
        what = _KINDS.get(kind, f"warnings on {kind}")
        first = f"{p.file}:{p.line}" if p.line is not None else p.file
        err_console.print(
            f"{p.file}: warning: {len(group)} {what}; first at {first} ({p.message})"
            + (f"; {p.hint}" if p.hint else "")
            + "; --full lists each",
            style="yellow",
            markup=False,
        )


def _kind(path: str) -> str:
    """A field's path with the entry numbers taken out: ``stances[].sources``."""
    import re

    return re.sub(r"\[\d+\]", "[]", path)


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
        head, _, field_name = p.path.partition("].")
        item = flags.get(head + "]") if field_name else None
        if item is not None:  # an option's item with a field, e.g. --set UA.territory=400
            text = f"{item}: {field_name}"
            text += f" {_shown(p.got)}: {p.message}" if p.got is not None else f": {p.message}"
        elif " " in flags.get(p.path, ""):  # the option's whole item, e.g. --drop XX
            text = f"{flags[p.path]}: {p.message}"
            if p.got is not None and _shown(p.got) not in flags[p.path]:
                text += f": {_shown(p.got)}"
        else:
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


def _shown(value: object) -> str:
    """A bad value as the user would write it (``400``, not ``400.0``)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def load_or_exit(
    path: Path,
    *,
    strict: bool = False,
    quiet_warnings: bool = False,
    loader: Loader | None = None,
    full: bool = False,
) -> ScenarioFile:
    """Load a scenario in any known format; exit 2 printing every problem on errors.

    Unless ``quiet_warnings``, the warnings of a valid file are printed too (repeated
    ones grouped unless ``full``). With ``strict``, warnings count as errors.
    """
    from zopa.service.loading import Loader

    with service_errors():
        loaded = (loader or Loader()).scenario(path, strict=strict)
    if not quiet_warnings:
        print_problems(list(loaded.warnings), full=full)
    return loaded


def print_overrides(overrides: Overrides | None) -> None:
    """One line saying which what-if changes an analysis ran with (nothing when none)."""
    if overrides:
        console.print(
            "what if: " + ", ".join(visible(t) for t in overrides.texts()) + " (not in the file)",
            style="bold",
            markup=False,
        )


def print_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on stdout (NaN becomes null)."""
    from zopa.service.results import json_text, jsonable

    sys.stdout.write(json_text(jsonable(obj)))


def print_result_json(result: Any) -> None:
    """Print a service result's documented JSON on stdout."""
    sys.stdout.write(result.to_json())


def print_csv(header: list[str], rows: list[list[Any]]) -> None:
    """Print rows as CSV on stdout.

    On a terminal, control characters are made visible; piped, the data stays as it is.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    sys.stdout.write(visible(text) if _is_terminal(sys.stdout) else text)
