"""The ``zopa`` command: one Typer app, one module per sub-command.

Each module listed in ``COMMAND_MODULES`` defines ``register(app)``, which adds its
command(s) to the app. Built-in commands use the same door as any extension would.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: tuple[str, ...] = (
    "validate",
    "show",
    "forecast",
    "convert",
    "report",
    "backtest",
    "deals",
    "durability",
    "compare",
    "tables",
    "sensitivity",
    "serve",
)

app = typer.Typer(
    name="zopa",
    help="Analyse hard multi-party negotiations: forecasts, deal space, agenda, durability.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"zopa.cli.{name}")
        module.register(app)


_register_all()


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
    _notices_to_stderr()
    app()
