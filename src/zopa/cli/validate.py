"""``zopa validate``: check scenario files and report every problem, located."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import (
    EXIT_BAD_INPUT,
    FormatOption,
    FullOption,
    OutputFormat,
    console,
    print_csv,
    print_json,
    print_problems,
    user_text,
)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Scenario files (YAML, JSON, CSV, XLSX...).", metavar="FILE..."),
    ],
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 2).")
    ] = False,
    full: FullOption = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Check scenario files and list every problem as FILE:LINE: field: what is wrong.

    Reads YAML and JSON scenarios and the table formats of `zopa convert` (CSV, XLSX,
    KTAB, Decide, BdM), chosen by extension.

    Repeated warnings of one kind are counted on one line naming the first; --full
    lists each.

    Exit code 0 when every file is valid, 2 when any has an error (or, with --strict,
    a warning).

    \b
    Example:
        zopa validate scenarios/ukraine-ceasefire-2026.yaml
    """
    from zopa import service

    result = service.validate(files, strict=strict)
    if output is OutputFormat.json:
        print_json(result.to_dict())
    elif output is OutputFormat.csv:
        rows = result.to_rows()
        print_csv(
            ["file", "line", "path", "severity", "message", "got", "expected", "hint"],
            [list(r.values()) for r in rows],
        )
    else:
        for f in result.files:
            path, scenario = f.path, f.scenario
            print_problems(list(f.problems), full=full)
            n_err, n_warn = f.errors, f.warnings
            if scenario is not None and f.valid:
                console.print(
                    f"[green]ok[/green] {user_text(str(path))}: "
                    f"{_count(len(scenario.actors), 'actor')}, "
                    f"{_count(len(scenario.issues), 'issue')}, "
                    f"{_count(len(scenario.stances), 'stance')}"
                    + (f", {n_warn} warning(s)" if n_warn else "")
                )
            else:
                console.print(
                    f"[red]invalid[/red] {user_text(str(path))}: "
                    f"{n_err} error(s), {n_warn} warning(s)"
                )
    if not result.valid:
        raise typer.Exit(EXIT_BAD_INPUT)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(validate)
