"""docs/deal-format.md and schema/deal.schema.json stay current with the deal validator."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from zopa.io.schema_export import deal_schema_text
from zopa.service import load_deal

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "deal-format.md"
SCHEMA = ROOT / "schema" / "deal.schema.json"


def test_the_committed_schema_is_current():
    assert SCHEMA.read_text() == deal_schema_text(), (
        "regenerate: .venv/bin/python -m zopa.io.schema_export schema/deal.schema.json"
    )


def _fields(schema: dict) -> set[str]:
    names = set(schema.get("properties", {}))
    for sub in schema.get("$defs", {}).values():
        names |= set(sub.get("properties", {}))
    return names


def test_the_page_names_every_field_of_the_schema():
    text = DOC.read_text()
    documented = set(re.findall(r"`([a-z_0-9]+)`", text))
    missing = _fields(json.loads(SCHEMA.read_text())) - documented
    assert not missing, f"docs/deal-format.md does not describe {sorted(missing)}"


def test_the_example_on_the_page_is_a_valid_deal(tmp_path):
    example = re.search(r"```yaml\n(zopa_deal: 1\n.*?)```", DOC.read_text(), flags=re.S)
    assert example
    shutil.copy(ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml", tmp_path)
    (tmp_path / "deals").mkdir()
    path = tmp_path / "deals" / "example.yaml"
    path.write_text(example.group(1))
    deal = load_deal(path).deal
    assert deal.id == "e3-counter-proposal-2025-11"
    assert {t.issue for t in deal.terms} == {"territory", "nato"}
