"""The deal-space package is pure analysis: no edges imported, a curated public surface."""

from __future__ import annotations

import subprocess
import sys

import zopa.agreements

HEAVY = ["typer", "rich", "matplotlib", "yaml", "pydantic", "fastapi", "sqlalchemy"]


def test_agreements_do_not_import_the_edges():
    code = (
        "import sys, zopa.agreements, zopa.agreements.milp, zopa.agreements.tables\n"
        f"heavy = {HEAVY!r}\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_exists():
    for name in zopa.agreements.__all__:
        assert hasattr(zopa.agreements, name), name
