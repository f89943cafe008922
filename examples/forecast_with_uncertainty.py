"""Forecast the flagship scenario with every model, with Monte Carlo intervals.

Run: .venv/bin/python examples/forecast_with_uncertainty.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from zopa.io import load_scenario
from zopa.models import available_models, make_model
from zopa.uncertainty import forecast_intervals, sample_positions

ROOT = Path(__file__).resolve().parent.parent
scenario = load_scenario(ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml")
view = scenario.arrays()  # point estimate: arrays with a batch axis of 1
draws = sample_positions(view, 200, np.random.default_rng(2026))  # 200 draws in one batch

for name in ("compromise", "median"):
    assert name in available_models()
    model = make_model(name)
    point = model.forecast(view).point()
    spread = forecast_intervals(model.forecast(draws).outcome, scenario.issue_ids)
    low, _, high = spread["territory"]
    print(f"{name:>10}: territory {point['territory']:.1f} (5-95%: {low:.1f}-{high:.1f})")
