"""Write the scenario JSON Schema: ``python -m zopa.io.schema_export PATH``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zopa.io.atomic import atomic_write
from zopa.io.schema import scenario_json_schema


def schema_text() -> str:
    """The JSON Schema as the text committed in ``schema/scenario.schema.json``."""
    return json.dumps(scenario_json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    atomic_write(Path(sys.argv[1]), schema_text())
