"""Time the durability Monte Carlo: 10^5 parameter draws per deal (target: well under 1 s).

Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_durability.py

Prints, for each shipped deal, the first (cold) and the best of five warm timings of one
`analyse_durability` call with 100,000 draws, and the ratio to the one-second anchor.
"""

from __future__ import annotations

import time
from pathlib import Path

from zopa.durability import analyse_durability
from zopa.io.deal_file import load_deal
from zopa.io.durability_parameters import load_durability_parameters

ROOT = Path(__file__).resolve().parent.parent
DRAWS = 100_000
ANCHOR_SECONDS = 1.0


def main() -> None:
    params = load_durability_parameters()
    print(f"durability Monte Carlo, {DRAWS:,} draws, grid step {params.step_years} y")
    print(f"{'deal':40s} {'cold s':>8s} {'warm s':>8s} {'warm / 1 s':>10s}")
    worst = 0.0
    for path in sorted((ROOT / "scenarios" / "deals").glob("*.yaml")):
        deal, _ = load_deal(path)
        start = time.perf_counter()
        analyse_durability(deal.id, deal.mechanisms, params, n_draws=DRAWS, seed=0)
        cold = time.perf_counter() - start
        warm = []
        for seed in range(5):
            start = time.perf_counter()
            analyse_durability(deal.id, deal.mechanisms, params, n_draws=DRAWS, seed=seed)
            warm.append(time.perf_counter() - start)
        best = min(warm)
        worst = max(worst, best)
        print(f"{deal.id:40s} {cold:8.3f} {best:8.3f} {best / ANCHOR_SECONDS:10.2f}")
    print(f"slowest warm run: {worst:.3f} s ({worst / ANCHOR_SECONDS:.2f} of the 1 s anchor)")


if __name__ == "__main__":
    main()
