"""Run the command-line interface with ``python -m zopa``."""

from zopa.cli import main

main()
