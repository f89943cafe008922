"""Will a ceasefire hold? One plan assessed, then every plan compared on the same draws.

Run: .venv/bin/python examples/will_it_hold.py
"""

from __future__ import annotations

from pathlib import Path

from zopa import service

DEALS = sorted((Path(__file__).resolve().parent.parent / "scenarios" / "deals").glob("*.yaml"))

one = service.durability(DEALS[0], draws=2000, seed=1)
hold = one.assessment.result.hold()
print(f"{one.assessment.deal.id}: P(holds 5 years) = {hold[5].mean:.2f}")

every = service.compare(DEALS, draws=2000, seed=1)  # same parameter draws for every plan
for a in every.assessments:
    print(f"{a.deal.id:<40} {a.ending.ending.value}")
