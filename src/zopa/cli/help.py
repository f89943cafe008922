"""Plain ``--help`` texts: arguments by their names, options by what they take.

Typer's defaults print an argument as ``{file}`` and its type as ``<path>``; this command
class prints ``FILE`` (its metavar) in the usage line and in the list of arguments. Each
option names what it takes through its own ``metavar`` (``--model MODEL``).
"""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand, TyperGroup

# Typer carries its own copy of click: its objects are typed loosely here, and an
# argument is told from an option by ``param_type_name``, as Typer itself does.
Context = Any
Formatter = Any


def _argument_name(param: Any) -> str:
    name = param.metavar or (param.name or "").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name


_TYPE = re.compile(r"<([^>]*)>")
"""Typer's type display (``<list[str]>``, ``<int range>``, ``<path>``)."""

_FOLDERS = {"plot", "out"}


def _metavar(param: Any, shown: str) -> str:
    """What an option takes, in words: ``N``, ``FILE``, ``FOLDER``, ``table|json|csv``."""
    name = (param.name or "").upper()
    if "|" in shown:
        return shown.removeprefix("list[").removesuffix("]")
    if shown.startswith("int"):
        return "N"
    if shown.startswith("float"):
        return "NUMBER"
    if shown.removeprefix("list[").removesuffix("]") in ("path", "file", "directory"):
        return "FOLDER" if param.name in _FOLDERS else "FILE"
    return name


def _named(param: Any, shown: str) -> str:
    """An option's help entry with Typer's type display replaced by what it takes."""
    return _TYPE.sub(lambda m: _metavar(param, m.group(1)), shown)


def _is_argument(param: Any) -> bool:
    return bool(param.param_type_name == "argument")


def keep_examples(text: str | None) -> str | None:
    """``text`` with each paragraph of examples marked to be printed as written.

    Click rewraps every paragraph of a help text unless it starts with ``\\b``; a
    paragraph that starts with "Example" would otherwise run its commands together.
    """
    if not text:
        return text
    paragraphs = text.split("\n\n")
    return "\n\n".join(f"\b\n{p}" if p.lstrip().startswith("Example") else p for p in paragraphs)


class Command(TyperCommand):
    """A command whose help names each argument as the user types it.

    Its examples print as written, one command a line, whether or not the docstring
    marks them (see :func:`keep_examples`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["help"] = keep_examples(kwargs.get("help"))
        kwargs["epilog"] = keep_examples(kwargs.get("epilog"))
        super().__init__(*args, **kwargs)

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        """``[OPTIONS] FILE`` (optional arguments in brackets)."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if _is_argument(param):
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Context, formatter: Formatter) -> None:
        """Arguments (name and help), then the options as Typer lists them."""
        arguments = [
            (_argument_name(p), getattr(p, "help", None) or "")
            for p in self.get_params(ctx)
            if _is_argument(p)
        ]
        options = [
            (_named(p, record[0]), record[1])
            for p in self.get_params(ctx)
            if not _is_argument(p) and (record := p.get_help_record(ctx))
        ]
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)


class Group(TyperGroup):
    """The ``zopa`` command: its sub-commands listed with their whole first sentence."""

    def format_commands(self, ctx: Context, formatter: Formatter) -> None:
        """Each sub-command and its summary, wrapped rather than cut."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
