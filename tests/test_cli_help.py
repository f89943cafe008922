"""Every ``--help`` is clean at 80 columns: whole examples, options named by what they take."""

from __future__ import annotations

import inspect
import re

import pytest
from typer.testing import CliRunner

from zopa.cli import COMMANDS, app, module_commands

runner = CliRunner()

# What Typer prints by default and a reader should not see: `{file}`, `<list[str]>`,
# `<int range>`, `<path>`, `--help <bool>`.
LEAKS = re.compile(r"\{[a-z_]+\}|<(list\[|int|float|path|bool|str|table\|)[^>]*>")


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "80"}, prog_name="zopa")
    assert result.exit_code == 0, result.output
    return result.stdout


def _examples(name: str) -> list[str]:
    """The example lines of a command's docstring (or epilog), as written."""
    command = module_commands(COMMANDS[name])[name]
    doc = inspect.cleandoc(command.help or "") + "\n\n" + (command.epilog or "")
    _, found, rest = doc.partition("Example")
    if not found:
        return []
    block = rest.split("\n\n")[0].splitlines()[1:]
    return [line.strip() for line in block if line.strip()]


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_fits_and_names_what_options_take(name):
    text = _help(*([name] if name else []))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert not LEAKS.findall(text)
    assert "Usage: zopa" in text


@pytest.mark.parametrize("name", COMMANDS)
def test_examples_are_printed_whole(name):
    lines = [line.strip() for line in _help(name).splitlines()]
    examples = _examples(name)
    for example in examples:
        assert example in lines, example
    if name != "serve":
        assert any(e.startswith(f"zopa {name}") for e in examples), f"{name}: no example"


def test_the_what_if_options_are_on_every_analysis_command():
    for name in ("forecast", "deals", "tables", "durability", "compare", "sensitivity", "show"):
        text = _help(name)
        assert "--set ACTOR.ISSUE=POSITION" in text, name
        assert "--drop ACTOR" in text, name
        assert "--wide" in text, name
