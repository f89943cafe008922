"""The ``zopa`` command: one Typer app, one module per sub-command, loaded on demand.

``COMMANDS`` maps each sub-command to the module that defines it; every such module has
``register(app)``, which adds its command(s) to a Typer app. The top-level group imports
a command's module only when that command runs (or when ``--help`` lists them all), so
``zopa forecast`` does not pay for importing and building the other commands. A test
checks that the table and the modules' ``register`` agree.
"""

from __future__ import annotations

import gc
import importlib
import os
from typing import Any

import typer
import typer.core
import typer.main

from zopa.cli.help import Group

# sub-command -> module of zopa.cli that registers it, in the order `--help` lists them
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "show": "show",
    "forecast": "forecast",
    "models": "forecast",
    "convert": "convert",
    "report": "report",
    "backtest": "backtest",
    "deals": "deals",
    "durability": "durability",
    "compare": "compare",
    "tables": "tables",
    "sensitivity": "sensitivity",
    "advise": "advise",
    "simulate": "simulate",
    "sweep": "sweep",
    "runs": "runs",
    "serve": "serve",
}
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(COMMANDS.values()))

_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}


def module_commands(module_name: str) -> dict[str, Any]:
    """The click commands that ``zopa.cli.<module_name>`` registers, by name."""
    from zopa.cli.help import Command

    module = importlib.import_module(f"zopa.cli.{module_name}")
    holder = typer.Typer(**_SETTINGS)
    module.register(holder)
    for info in holder.registered_commands:
        info.cls = Command  # plain help: arguments and options named by what they take
    return dict(typer.main.get_group(holder).commands)


class _LazyCommands(Group):
    """The top-level group: knows the commands by name, builds each on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands.update(module_commands(COMMANDS[cmd_name]))
        return self.commands.get(cmd_name)


app = typer.Typer(
    name="zopa",
    help="Analyse hard multi-party negotiations: forecasts, deal space, agenda, durability.",
    no_args_is_help=True,
    cls=_LazyCommands,
    **_SETTINGS,
)


@app.callback()
def _top_level() -> None:
    """Analyse hard multi-party negotiations: forecasts, deal space, agenda, durability."""


def command_names() -> list[str]:
    """The sub-commands, in the order ``--help`` lists them."""
    return list(COMMANDS)


def _notices_to_stderr() -> None:
    """Show the library's notices (logger ``zopa``, e.g. a kernel compiling once) on stderr."""
    import logging

    logger = logging.getLogger("zopa")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("notice: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def main() -> None:
    """Entry point of the ``zopa`` console script."""
    # pydantic looks for plugins among every installed package's entry points the first
    # time it builds a validator (~20 ms); the command uses none. A user's own setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _notices_to_stderr()
    try:
        app()
    finally:
        _quick_exit()


def _quick_exit() -> None:
    """Spare the interpreter's shutdown from going over every object again and again.

    When the interpreter ends it clears module after module, and the cyclic garbage
    collector looks at every object still alive each time: after a forecast that loaded
    numba, hundreds of thousands (the scenario, numba's typing tables), 0.2-0.3 s. The
    garbage present now is collected (so its finalizers run), and what is left alive is
    frozen, out of the collector's sight; it is freed as the modules are cleared, as
    before. Python does not promise to finalize objects alive at exit either way.
    """
    gc.collect()
    gc.freeze()
