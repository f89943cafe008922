"""Generate the command-line reference (docs/cli.md) from every command's ``--help``.

Run ``python -m zopa.cli.reference docs/cli.md``; a test fails when the committed file
differs from what this module generates, so no command or option goes undocumented.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from zopa.cli import app, command_names
from zopa.io.atomic import atomic_write

_ENV = {"TERMINAL_WIDTH": "100", "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env=_ENV, prog_name="zopa")
    lines = [line.rstrip() for line in result.output.splitlines()]
    return "\n".join(lines).strip("\n")


def reference_text() -> str:
    """The whole reference as Markdown."""
    parts = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `python -m zopa.cli.reference docs/cli.md` "
        "(`make docs`); a test keeps it current.",
        "",
        "```text",
        _help([]),
        "```",
    ]
    for name in command_names():
        parts += ["", f"## zopa {name}", "", "```text", _help([name]), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    atomic_write(Path(sys.argv[1]), reference_text())
