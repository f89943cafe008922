"""``zopa convert IN OUT``: convert a scenario between YAML, JSON and the table formats."""

from __future__ import annotations

import dataclasses
import errno
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.common import EXIT_ANALYSIS_FAILED, EXIT_BAD_INPUT, console, fail, print_problems

if TYPE_CHECKING:
    from zopa.io.errors import Problem

EXAMPLES = """\
\b
Examples:
  zopa convert scenario.yaml stances.csv            # long CSV
  zopa convert scenario.yaml scenario.xlsx          # workbook
  zopa convert smp.csv scenario.yaml                # KTAB or CSV, sniffed
  zopa convert scenario.yaml smp.csv --to ktab      # KTAB SMP input
  zopa convert scenario.yaml out.csv --force        # overwrite out.csv
  zopa convert bdm.csv scenario.yaml --scale 0:10   # BdM file on a 0-10 scale
  zopa convert s.yaml fee.csv --to bdm --issue fee  # one issue, BdM layout

\b
Formats:
  yaml    zopa scenario YAML (lossless)
  json    zopa scenario JSON (lossless)
  csv     long CSV, one row per stance (actor, issue, position, salience, ...)
  xlsx    workbook: actors, issues, stances, sources, anchors, meta
  ktab    KTAB SMP CSV (name,description,nActors,nDims; 0-100 scales)
  bdm     Bueno de Mesquita CSV: Actor,Capability,Position,Salience, one issue
  decide  Decide exchange-model input (#A actors, #P issues, #M points, #D)
"""
"""Examples and formats for ``--help``, written out so that help loads no reader (a test
checks the list against :data:`zopa.io.formats.FORMATS`)."""


def convert(
    source: Annotated[Path, typer.Argument(metavar="IN", help="The scenario file to read.")],
    target: Annotated[Path, typer.Argument(metavar="OUT", help="The file to write.")],
    from_format: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FMT",
            help="Format of IN (default: from its extension; a .csv is sniffed).",
        ),
    ] = None,
    to_format: Annotated[
        str | None,
        typer.Option("--to", metavar="FMT", help="Format of OUT (default: from its extension)."),
    ] = None,
    issue: Annotated[
        list[str] | None,
        typer.Option(
            "--issue",
            metavar="ID",
            help="Keep only this issue (repeatable); one-issue formats need exactly one.",
        ),
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(
            "--scale",
            metavar="LOW:HIGH",
            help="Scale of the issue when IN states none (bdm); default: inferred.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
) -> None:
    """Convert a scenario file to another format (YAML, JSON, CSV, XLSX, KTAB, ...).

    IN is checked as zopa validate checks a scenario; every problem is printed,
    located as FILE:LINE: field: message, and nothing is written (exit code 2).
    OUT is written atomically and never overwritten without --force.
    Afterwards the command says what of the scenario OUT's format could not keep.
    """
    from zopa.io.errors import ScenarioError
    from zopa.io.formats import FormatError, check_any, detect_format

    scale_ends = _parse_scale(scale) if scale is not None else None
    try:
        reader = detect_format(source, from_format, mode="read")
        writer = detect_format(target, to_format, mode="write")
    except FormatError as exc:
        fail(str(exc).replace("name the format explicitly", "name the format with --from/--to"))
    if not source.exists():
        fail(f"{source}: no such file")
    if target.is_dir():
        fail(f"{target} is a folder (expected the path of the file to write)")
    if target.exists() and not force:
        fail(f"{target} exists; pass --force to overwrite it")
    if target.exists() and target.resolve() == source.resolve():
        fail("IN and OUT are the same file")
    try:
        scenario, problems = check_any(source, reader.name, scale=scale_ends)
    except FormatError as exc:
        fail(str(exc))
    print_problems(problems)
    if scenario is None:
        errors = sum(p.is_error for p in problems)
        fail(f"{source}: {errors} error(s); nothing written")
    if issue:
        unknown = [i for i in issue if i not in scenario.issue_ids]
        if unknown:
            fail(
                f"--issue: unknown issue {', '.join(unknown)}"
                f" (expected one of {', '.join(scenario.issue_ids)})"
            )
        scenario = scenario.subset(issue_ids=issue)
    try:
        writer.write(scenario, target)
    except ScenarioError as exc:
        print_problems([_with_flags(p) for p in exc.problems])
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as exc:  # a path the user may not write to is bad input; a full disk is not
        code = EXIT_ANALYSIS_FAILED if exc.errno in _DEVICE_ERRORS else EXIT_BAD_INPUT
        fail(f"cannot write {target}: {exc.strerror or exc}", code)
    console.print(
        f"wrote {target} ({writer.name}): {len(scenario.actors)} actors,"
        f" {len(scenario.issues)} issues, {len(scenario.stances)} stances",
        markup=False,
        soft_wrap=True,
    )
    lost = writer.losses(scenario)
    if lost:
        console.print(f"not kept by {writer.name}: {'; '.join(lost)}", markup=False, soft_wrap=True)


_DEVICE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})
"""Write errors of the machine, not of the path the user named (exit code 1)."""

OPTION_HINTS = {"name the one issue to write": "pick one with --issue ID"}
"""Library hints said with this command's option."""


def _with_flags(problem: Problem) -> Problem:
    """``problem`` with its hint naming the option that does what the hint says."""
    hint = OPTION_HINTS.get(problem.hint or "")
    return problem if hint is None else dataclasses.replace(problem, hint=hint)


def _parse_scale(text: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split(":"))
    except ValueError:
        fail(f"--scale: expected LOW:HIGH, e.g. 0:10 (got {text!r})")
    if not low < high:
        fail(f"--scale: LOW must be below HIGH (got {text!r})")
    return low, high


def register(app: typer.Typer) -> None:
    """Add the ``convert`` command to the ``zopa`` app."""
    app.command("convert", epilog=EXAMPLES)(convert)
