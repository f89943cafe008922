"""Write a large, valid scenario file for timing the loader.

Run from the repository root:

    PYTHONPATH=src python benchmarks/make_scenario.py 160 80 big.yaml

writes a scenario of 160 actors and 80 issues in which every actor holds a stance on every
issue (12,800 stances, about 1 MB of YAML), laid out like the shipped scenario (block
mappings, short lists in flow style). The numbers come from a fixed seed, so the same
arguments always give the same file. A ``.json`` name writes JSON instead.

The deal-space benchmarks use ``--veto 4 --red-lines 0.3``: four veto players, each with
a red line on about 30% of the issues, 30, 40 or 50 points from its position towards the
far side of the scale (as in ``bench_deals.py``'s 15 x 15 scenarios).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import yaml

SEED = 20261206
N_SOURCES = 12


def scenario_data(
    n_actors: int,
    n_issues: int,
    seed: int = SEED,
    *,
    veto: int = 3,
    red_lines: float = 0.0,
) -> dict[str, Any]:
    """The scenario as plain data; every actor holds a stance on every issue.

    Args:
        n_actors: Actors.
        n_issues: Issues.
        seed: The random seed.
        veto: The first ``veto`` actors are veto players.
        red_lines: Share of its issues on which each veto player has a red line (drawn
            from a second generator, so that the rest of the file does not change).
    """
    rng = random.Random(seed)
    red_rng = random.Random(seed + 1)
    sources = [
        {
            "id": f"src{k:02d}",
            "title": f"Source document {k}",
            "date": dt.date(2025, k % 12 + 1, 15),
        }
        for k in range(N_SOURCES)
    ]
    actors = [
        {
            "id": f"A{a:03d}",
            "name": f"Actor {a}",
            "capability": round(rng.uniform(1, 100), 1),
            **({"veto": True} if a < veto else {}),
        }
        for a in range(n_actors)
    ]
    issues = [{"id": f"I{i:02d}", "name": f"Issue {i}", "status_quo": 50} for i in range(n_issues)]
    stances = []
    for i in range(n_issues):
        for a in range(n_actors):
            stance: dict[str, Any] = {
                "actor": f"A{a:03d}",
                "issue": f"I{i:02d}",
                "position": round(rng.uniform(0, 100), 1),
                "salience": round(rng.uniform(0.05, 1), 2),
                "sources": [f"src{rng.randrange(N_SOURCES):02d}"],
            }
            if rng.random() < 0.25:
                low = round(rng.uniform(0, stance["position"]), 1)
                high = round(rng.uniform(stance["position"], 100), 1)
                stance["range"] = [low, high]
            if a < veto and red_rng.random() < red_lines:
                pos = stance["position"]
                step = red_rng.choice([30, 40, 50])
                stance["red_line"] = min(max(pos - step if pos >= 50 else pos + step, 0), 100)
            stances.append(stance)
    return {
        "zopa": 1,
        "title": f"Synthetic scenario, {n_actors} actors x {n_issues} issues",
        "as_of": dt.date(2026, 2, 24),
        "sources": sources,
        "actors": actors,
        "issues": issues,
        "stances": stances,
    }


def write_scenario(
    n_actors: int, n_issues: int, out: Path, *, veto: int = 3, red_lines: float = 0.0
) -> int:
    """Write the scenario to ``out`` (JSON for ``.json``, YAML otherwise); the size in bytes."""
    data = scenario_data(n_actors, n_issues, veto=veto, red_lines=red_lines)
    if out.suffix.lower() == ".json":
        text = json.dumps(data, indent=2, default=str) + "\n"
    else:
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(data, Dumper=dumper, sort_keys=False, default_flow_style=None, width=100)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("actors", type=int)
    parser.add_argument("issues", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--veto", type=int, default=3, help="veto players (the first actors)")
    parser.add_argument(
        "--red-lines", type=float, default=0.0, help="share of issues with a veto red line"
    )
    args = parser.parse_args()
    size = write_scenario(
        args.actors, args.issues, args.out, veto=args.veto, red_lines=args.red_lines
    )
    print(f"{args.out}: {args.actors} actors x {args.issues} issues, {size:,} bytes")


if __name__ == "__main__":
    main()
