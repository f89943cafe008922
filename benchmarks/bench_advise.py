"""Time ``zopa advise`` on the flagship: one batched model run against a loop over levers.

Run from the repository root: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_advise.py``.
Prints, for the EU's levers (own moves and persuasion, about 360), the minimum wall time of
scoring every lever with one batched forecast and with one forecast per lever, for each
registered model, and their ratio; then the deal-space part (one package space and MILP
per lever on a party's stance) for EU, UK and UA, alone and sharing one cache of deals.
Quote the machine's load (``uptime``) with the figures.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from zopa.advice import candidate_levers, forecast_effects, with_lever
from zopa.advice.forecast_effect import party_utility
from zopa.io import load_scenario
from zopa.models import available_models, make_model
from zopa.service import advise

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"


def best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    scenario = load_scenario(FLAGSHIP)
    point = scenario.arrays()
    parties = [a.id for a in scenario.actors if a.veto]
    levers = [lv for lv in candidate_levers(point, "EU", parties=parties) if lv.kind != "red_line"]
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
    print(f"EU: {len(levers)} position and salience levers\n")
    print(f"{'model':<12}{'batch s':>10}{'loop s':>10}{'ratio':>8}")
    for name in available_models():
        model = make_model(name)
        model.forecast(point)  # compile or load a kernel first

        def batched(model: object = model) -> None:
            forecast_effects(model, point, "EU", levers)  # type: ignore[arg-type]

        def looped(model: object = model) -> None:
            stated = model.forecast(point).outcome  # type: ignore[attr-defined]
            base = party_utility(point, "EU", stated, loss="linear")[0]
            out = np.empty(len(levers))
            for k, lv in enumerate(levers):
                outcome = model.forecast(with_lever(point, lv)).outcome  # type: ignore[attr-defined]
                out[k] = party_utility(point, "EU", outcome, loss="linear")[0] - base

        repeat = 3 if name in ("compromise", "median", "nash") else 1
        b, lo = best(batched, repeat), best(looped, 1)
        print(f"{name:<12}{b:>10.3f}{lo:>10.3f}{lo / b:>8.0f}x")

    print("\ndeal space (compromise model, grid 11)")
    alone = {}
    for actor in ("EU", "UK", "UA"):
        alone[actor] = best(lambda a=actor: advise(scenario, actor=a), 1)
        print(f"{actor} alone: {alone[actor]:.1f} s")
    cache: dict[tuple[object, ...], object] = {}
    shared = best(
        lambda: [advise(scenario, actor=a, deal_cache=cache) for a in ("EU", "UK", "UA")],  # type: ignore[arg-type]
        1,
    )
    total = sum(alone.values())
    print(f"EU, UK, UA sharing deals: {shared:.1f} s (alone: {total:.1f} s, {total / shared:.1f}x)")
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
