"""The deal-space analysis on large scenarios gives the answers it gave before it was fast.

``tests/fixtures/large/recorded.json`` holds what ``zopa deals --format json`` printed,
before the large-scenario work, for the flagship and for synthetic scenarios with veto
players and red lines (``tests/oracles/record_large.py``): empty and non-empty zones, the
exact enumeration and the MILP path. Every case must come out the same, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zopa.io import load_scenario
from zopa.service import deals

ROOT = Path(__file__).resolve().parents[1]
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "large" / "recorded.json").read_text())


@pytest.mark.parametrize("name", sorted(RECORDED["deals"]))
def test_deals_as_recorded(name: str) -> None:
    case: dict[str, Any] = RECORDED["deals"][name]
    result = deals(load_scenario(ROOT / case["path"]), **case["options"])
    assert json.loads(result.to_json()) == case["json"]
