"""Write a JSON Schema: ``python -m zopa.io.schema_export PATH``.

A file named ``deal.schema.json`` gets the deal file's schema, any other the scenario's
(``schema/scenario.schema.json``); tests keep both committed files current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zopa.io.atomic import atomic_write
from zopa.io.schema import scenario_json_schema


def schema_text() -> str:
    """The JSON Schema as the text committed in ``schema/scenario.schema.json``."""
    return json.dumps(scenario_json_schema(), indent=2, sort_keys=True) + "\n"


def deal_schema_text() -> str:
    """The deal file's JSON Schema as committed in ``schema/deal.schema.json``."""
    from zopa.io.deal_file import DealFile

    schema = DealFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "zopa deal file"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1])
    atomic_write(target, deal_schema_text() if target.name == "deal.schema.json" else schema_text())
