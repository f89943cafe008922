"""Which inputs drive the compromise forecast on territory (Sobol' indices, SALib).

Run: .venv/bin/python examples/what_drives_the_forecast.py
"""

from __future__ import annotations

from pathlib import Path

from zopa import service

ROOT = Path(__file__).resolve().parent.parent
flagship = service.load_scenario(ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml").scenario

report = service.sensitivity(flagship, model="compromise", issues=["territory"], samples=128)
top = report.to_frame().sort_values("ST", ascending=False).iloc[0]
print(f"territory: {top['label']} drives {top['ST']:.0%} of the variance")
