"""The boundaries the design relies on, checked."""

from __future__ import annotations

import json
import subprocess
import sys

import zopa
from zopa.io.schema_export import schema_text

HEAVY = [
    "typer",
    "rich",
    "matplotlib",
    "yaml",
    "pydantic",
    "fastapi",
    "sqlalchemy",
    "openpyxl",
    "numba",  # compiled kernels load on a model's first forecast, not on import
]


def test_core_and_models_do_not_import_the_edges():
    code = (
        "import sys, zopa, zopa.models, zopa.scenario\n"
        f"heavy = {HEAVY!r}\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api():
    assert sorted(zopa.__all__) == sorted(
        [
            "Actor",
            "Confidence",
            "Issue",
            "Scale",
            "Scenario",
            "ScenarioArrays",
            "Source",
            "Stance",
            "__version__",
        ]
    )
    for name in zopa.__all__:
        assert hasattr(zopa, name)


def test_published_schema_is_current(repo_root):
    committed = (repo_root / "schema" / "scenario.schema.json").read_text()
    assert committed == schema_text(), "run `make schema` and commit the result"
    schema = json.loads(committed)
    assert set(schema["required"]) == {"zopa", "title", "actors", "issues", "stances"}


def test_every_schema_field_is_documented(repo_root):
    from zopa.io.schema import SECTION_MODELS, ScenarioFile

    doc = (repo_root / "docs" / "scenario-format.md").read_text()
    fields = set(ScenarioFile.model_fields)
    for model in SECTION_MODELS.values():
        fields |= set(model.model_fields)
    missing = sorted(f for f in fields if f"`{f}`" not in doc)
    assert not missing, f"undocumented fields in docs/scenario-format.md: {missing}"


def test_cli_reference_is_current(repo_root):
    from zopa.cli.reference import reference_text

    committed = (repo_root / "docs" / "cli.md").read_text()
    assert committed == reference_text(), "run `make docs` and commit docs/cli.md"


def test_every_command_and_option_is_in_the_reference(repo_root):
    from zopa.cli import app

    text = (repo_root / "docs" / "cli.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"## zopa {name}" in text
