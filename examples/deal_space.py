"""Which deals are possible between the flagship's veto players, and what collides.

Run: .venv/bin/python examples/deal_space.py
"""

from __future__ import annotations

from pathlib import Path

from zopa import service

ROOT = Path(__file__).resolve().parent.parent
flagship = service.load_scenario(ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml").scenario

result = service.deals(flagship, grid=11)
data = result.to_dict()  # the same JSON as `zopa deals --format json`
print("zone of possible agreement:", "empty" if data["zopa"]["empty"] else data["zopa"]["size"])
print("colliding constraint sets:", len(data["zopa"]["conflicts"]))
for item in data["agenda"][:3]:
    print(f"agenda {item['order']}: {' + '.join(item['issues'])} -> {item['action']}")
