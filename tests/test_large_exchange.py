"""The exchange model on large scenarios gives the numbers it gave before it was fast.

``tests/fixtures/large/recorded.json`` holds, from before the large-scenario work
(``tests/oracles/record_large.py``), the model's forecasts on the flagship and on
synthetic scenarios, point forecasts and draws, with both exchange rates: every outcome
as exact float text, and for point forecasts the last round's voting positions and the
log of every exchange made. The current model must give the same numbers bit for bit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zopa.io import load_scenario
from zopa.models.exchange import ExchangeModel
from zopa.uncertainty.sampling import sample_positions

ROOT = Path(__file__).resolve().parents[1]
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "large" / "recorded.json").read_text())


def _floats(a: Any) -> Any:
    return json.loads(json.dumps(np.asarray(a, dtype=float).tolist()))


@pytest.mark.parametrize("name", sorted(RECORDED["exchange"]))
def test_exchange_as_recorded(name: str) -> None:
    case: dict[str, Any] = RECORDED["exchange"][name]
    scenario = load_scenario(ROOT / case["path"])
    draws = case["draws"]
    view = (
        scenario.arrays()
        if draws == 0
        else sample_positions(
            scenario.arrays(), draws, np.random.default_rng(RECORDED["draw_seed"])
        )
    )
    f = ExchangeModel(**case["params"]).forecast(view)
    want = case["forecast"]
    assert _floats(f.outcome) == want["outcome"]
    assert np.asarray(f.diagnostics["exchanges_per_round"]).tolist() == want["exchanges_per_round"]
    if draws == 0:
        assert f.trajectory is not None
        assert _floats(f.trajectory[:, -1]) == want["last_round"]
        log = [list(row) for row in f.diagnostics["exchanges"]]
        assert json.loads(json.dumps(log[: len(want["exchanges_head"])])) == want["exchanges_head"]
        assert hashlib.sha256(json.dumps(log).encode()).hexdigest() == want["exchanges_sha256"]
