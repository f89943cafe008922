"""Record the deal-space and exchange-model answers that the large-scenario tests keep.

The deal-space analysis and the exchange model were made faster on large scenarios
(docs/performance.md, "Large scenarios"). Their answers on smaller cases must stay what
they were: this script recorded them, from the code as it was before that work (commit
f7682b5), and tests/test_large_deals.py and tests/test_large_exchange.py compare the
current code against the recordings. Run from the repository root::

    PYTHONPATH=src python tests/oracles/record_large.py

It writes tests/fixtures/large/recorded.json: for every deal case (a scenario file under
tests/fixtures/large/ or the flagship, and the options), the JSON ``zopa deals`` prints;
for every exchange case, the outcome (every draw, as exact float text), and for point
forecasts the trajectory's last round and the exchange log. The scenario files
``synthetic-*.yaml`` were written by ``benchmarks/make_scenario.py A I OUT --veto 4
--red-lines R``, ``bench-15x15-*.yaml`` by ``bench_deals.big_scenario``.

The file is named so that pytest does not collect it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures" / "large"
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"

#: (name, scenario path relative to the repository, options of ``service.deals``)
DEAL_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("flagship", "scenarios/ukraine-ceasefire-2026.yaml", {}),
    ("flagship-milp", "scenarios/ukraine-ceasefire-2026.yaml", {"method": "milp"}),
    ("flagship-quadratic", "scenarios/ukraine-ceasefire-2026.yaml", {"loss": "quadratic"}),
    ("syn-6x8", "tests/fixtures/large/synthetic-6x8-red0.3.yaml", {}),
    ("syn-6x8-milp", "tests/fixtures/large/synthetic-6x8-red0.3.yaml", {"method": "milp"}),
    ("syn-6x8-empty", "tests/fixtures/large/synthetic-6x8-red0.9.yaml", {}),
    ("syn-6x8-empty-milp", "tests/fixtures/large/synthetic-6x8-red0.9.yaml", {"method": "milp"}),
    ("syn-6x8-grid3", "tests/fixtures/large/synthetic-6x8-red0.3.yaml", {"grid": 3}),
    ("syn-6x8-empty-grid3", "tests/fixtures/large/synthetic-6x8-red0.9.yaml", {"grid": 3}),
    ("flagship-grid3", "scenarios/ukraine-ceasefire-2026.yaml", {"grid": 3}),
    ("syn-8x12", "tests/fixtures/large/synthetic-8x12-red0.3.yaml", {}),
    ("syn-10x20", "tests/fixtures/large/synthetic-10x20-red0.3.yaml", {}),
    ("syn-12x10-empty", "tests/fixtures/large/synthetic-12x10-red0.9.yaml", {}),
    ("bench-seed1", "tests/fixtures/large/bench-15x15-seed1.yaml", {}),
    ("bench-seed3-empty", "tests/fixtures/large/bench-15x15-seed3-empty.yaml", {}),
]

#: (name, scenario path, draws (0: the point forecast), model parameters)
EXCHANGE_CASES: list[tuple[str, str, int, dict[str, Any]]] = [
    ("flagship", "scenarios/ukraine-ceasefire-2026.yaml", 0, {}),
    ("flagship-rks", "scenarios/ukraine-ceasefire-2026.yaml", 0, {"rate": "rks"}),
    ("flagship-draws", "scenarios/ukraine-ceasefire-2026.yaml", 300, {}),
    ("flagship-draws-rks", "scenarios/ukraine-ceasefire-2026.yaml", 100, {"rate": "rks"}),
    ("syn-10x20", "tests/fixtures/large/synthetic-10x20-red0.3.yaml", 0, {}),
    ("syn-10x20-draws", "tests/fixtures/large/synthetic-10x20-red0.3.yaml", 50, {}),
    ("bench-seed1", "tests/fixtures/large/bench-15x15-seed1.yaml", 0, {"rounds": 30}),
    # added later, recorded from the same commit's src (the RKS rate on inputs large
    # enough for the kernel's max-tree)
    ("syn-10x20-rks", "tests/fixtures/large/synthetic-10x20-red0.3.yaml", 0, {"rate": "rks"}),
    (
        "bench-seed1-rks",
        "tests/fixtures/large/bench-15x15-seed1.yaml",
        0,
        {"rate": "rks", "rounds": 30},
    ),
    (
        "syn-10x20-draws-rks",
        "tests/fixtures/large/synthetic-10x20-red0.3.yaml",
        30,
        {"rate": "rks"},
    ),
]
#: Seed of the position draws of the exchange cases.
DRAW_SEED = 7
#: Rows of a point forecast's exchange log kept as they are (the rest by their hash).
LOG_HEAD = 40


def log_hash(log: list[list[Any]]) -> str:
    """SHA-256 of an exchange log's JSON text (floats as ``repr``, which round-trips)."""
    return hashlib.sha256(json.dumps(log).encode()).hexdigest()


def floats(a: Any) -> Any:
    """Exact text of every float (``repr`` round-trips), nested like the array."""
    return json.loads(json.dumps(np.asarray(a, dtype=float).tolist()))


def deal_answer(path: str, options: dict[str, Any]) -> dict[str, Any]:
    """What ``zopa deals --format json`` prints for the case."""
    from zopa.io import load_scenario
    from zopa.service import deals

    out: dict[str, Any] = json.loads(deals(load_scenario(ROOT / path), **options).to_json())
    return out


def exchange_answer(path: str, draws: int, params: dict[str, Any]) -> dict[str, Any]:
    """The exchange model's forecast for the case."""
    from zopa.io import load_scenario
    from zopa.models.exchange import ExchangeModel
    from zopa.uncertainty.sampling import sample_positions

    scenario = load_scenario(ROOT / path)
    view = (
        scenario.arrays()
        if draws == 0
        else sample_positions(scenario.arrays(), draws, np.random.default_rng(DRAW_SEED))
    )
    f = ExchangeModel(**params).forecast(view)
    out: dict[str, Any] = {
        "outcome": floats(f.outcome),
        "exchanges_per_round": np.asarray(f.diagnostics["exchanges_per_round"]).tolist(),
    }
    if draws == 0:
        assert f.trajectory is not None
        out["last_round"] = floats(f.trajectory[:, -1])
        # the whole log by its hash (exact float text), the first rows as they are
        log = [list(row) for row in f.diagnostics["exchanges"]]
        out["exchanges_sha256"] = log_hash(log)
        out["exchanges_head"] = log[:LOG_HEAD]
    return out


def main() -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    deals_out: dict[str, Any] = {}
    for name, path, options in DEAL_CASES:
        t = time.perf_counter()
        deals_out[name] = {"path": path, "options": options, "json": deal_answer(path, options)}
        print(f"deals {name}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    exchange_out: dict[str, Any] = {}
    for name, path, draws, params in EXCHANGE_CASES:
        t = time.perf_counter()
        exchange_out[name] = {
            "path": path,
            "draws": draws,
            "params": params,
            "forecast": exchange_answer(path, draws, params),
        }
        print(f"exchange {name}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    data = {
        "what": "zopa deals JSON and exchange-model forecasts before the large-scenario work",
        "recorded_from_commit": commit,
        "recorded_on": dt.datetime.now(dt.UTC).date().isoformat(),
        "command": "PYTHONPATH=src python tests/oracles/record_large.py",
        "draw_seed": DRAW_SEED,
        "deals": deals_out,
        "exchange": exchange_out,
    }
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    (FIXTURES / "recorded.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
