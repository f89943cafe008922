"""Score the models on issues with known outcomes (a sample in the DEU III layout).

Run: .venv/bin/python examples/backtest.py
"""

from __future__ import annotations

from pathlib import Path

from zopa import service

DEU = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "deu"

cases = service.load_cases(DEU / "deu-sample.csv", capability=DEU / "council-votes.csv")
result = service.backtest(cases, models=["compromise", "median"], bootstrap=500, seed=0)
for row in sorted(result.to_rows(), key=lambda r: r["mae"]):
    print(f"{row['model']:<12} MAE {row['mae']:.1f} over {row['n']} issues")
