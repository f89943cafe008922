"""Forecast the flagship scenario with every model, with Monte Carlo intervals.

Run: .venv/bin/python examples/forecast_with_uncertainty.py
"""

from __future__ import annotations

from pathlib import Path

from zopa import service

ROOT = Path(__file__).resolve().parent.parent
flagship = service.load_scenario(ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml").scenario

# 200 draws of the positions within their stated ranges, in one batch per model
result = service.forecast(flagship, models=["compromise", "median"], draws=200, seed=2026)
for name in result.models:
    low, _, high = result.intervals()[name]["territory"]
    point = result.point(name)["territory"]
    print(f"{name:>10}: territory {point:.1f} (5-95%: {low:.1f}-{high:.1f})")

# the same numbers as a tidy table (one row per model and issue)
frame = result.to_frame()
print(frame[frame["issue"] == "territory"][["model", "point", "low", "high"]])
