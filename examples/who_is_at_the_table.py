"""What a US–Russia table reaches, and what everyone gets, in the room or not.

Run: .venv/bin/python examples/who_is_at_the_table.py
"""

from __future__ import annotations

from pathlib import Path

from zopa import service

ROOT = Path(__file__).resolve().parent.parent
flagship = service.load_scenario(ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml").scenario

result = service.tables(
    flagship, {"bilateral": ["US", "RU"], "with-ukraine": ["US", "RU", "UA"]}, forecasts=False
)
rows = result.to_frame()  # one row per table and actor
ukraine = rows[rows["actor"] == "UA"].set_index("table")
for table in ("bilateral", "with-ukraine"):
    gain = ukraine.loc[table, "gain"]
    print(f"{table}: Ukraine's gain over no deal {gain:+.3f}")
