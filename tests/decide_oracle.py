"""Run the Decide exchange-model package (an independent implementation) as an oracle.

Decide (GPL-3.0) is used only at test time when it is installed; nothing of it ships.
Two of its rules are known to differ from zopa on purpose (see docs/models/exchange.md):
its cap "the outcome may not pass the demanding actor" looks at a partial outcome, and
its cumulative-move check also counts moves that were computed but never made. The
oracle reports how often the first rule fired and can switch the second one off, so
that tests compare the two implementations where they are meant to agree.
"""

from __future__ import annotations

import decimal
import random
from typing import Any


class _Handler:
    """Event handler for Decide's model loop that records executed exchanges."""

    def __init__(self) -> None:
        self.executed: list[tuple[str, str, str, str, float, float, float]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None

    def execute_exchange(self, e: Any) -> None:
        # e.i supplies its demand's partner issue: (demander of p, demander of q, p, q,
        # gain, move on p, move on q)
        self.executed.append(
            (
                str(e.i.actor),
                str(e.j.actor),
                e.i.demand.issue.name,
                e.j.demand.issue.name,
                float(e.gain),
                float(e.j.move),
                float(e.i.move),
            )
        )


def run_decide(
    actors: dict[str, tuple[float, dict[str, tuple[float, float]]]],
    issues: list[str],
    rounds: int,
    *,
    cumulative_move_rule: bool = True,
) -> dict[str, Any]:
    """Decide's equal-gain model on positions in 0..100.

    ``actors`` maps an actor id to (capability, {issue: (position, salience)}). Returns
    per-issue outcomes after each round, the executed exchanges, the number of times
    the outcome cap was applied, and the number of exact ties met.
    """
    from decide.model import base, equalgain
    from decide.model.utils import ModelLoop

    original_valid = base.AbstractExchangeActor.is_move_valid
    original_check = base.AbstractExchangeActor.check_nbs
    caps = [0]

    def is_move_valid(self: Any, move: Any) -> bool:
        if abs(move) > 100 or abs(move) <= 1e-10:
            return False
        if not 0 <= self.supply.position + move <= 100:
            return False
        lo, hi = min(self.moves), max(self.moves)
        return bool((lo < 0 and hi < 0) or (lo > 0 and hi > 0))

    def check_nbs(self: Any) -> None:
        original_check(self)
        if self.is_adjusted_by_nbs:
            caps[0] += 1

    random.seed(0)
    if not cumulative_move_rule:
        base.AbstractExchangeActor.is_move_valid = is_move_valid  # type: ignore[method-assign]
    base.AbstractExchangeActor.check_nbs = check_nbs  # type: ignore[method-assign]
    try:
        model = equalgain.EqualGainModel()
        model.VERBOSE = False
        for a in actors:
            model.add_actor(actor_name=a, actor_id=a)
        for i in issues:
            issue = model.add_issue(i, i)
            issue.lower, issue.upper = 0, 100
            issue.calculate_delta()
            issue.calculate_step_size()
        for a, (cap, stances) in actors.items():
            for i, (pos, sal) in stances.items():
                model.add_actor_issue(
                    actor=a,
                    issue=i,
                    position=decimal.Decimal(repr(pos)),
                    salience=decimal.Decimal(repr(sal)),
                    power=decimal.Decimal(repr(cap)),
                )
        handler = _Handler()
        loop = ModelLoop(model, handler, 0)
        outcomes: list[list[float]] = []
        for _ in range(rounds):
            model.exchanges = []
            loop.loop()
            outcomes.append([float(model.nbs[model.issues[i]]) for i in issues])
    finally:
        base.AbstractExchangeActor.is_move_valid = original_valid  # type: ignore[method-assign]
        base.AbstractExchangeActor.check_nbs = original_check  # type: ignore[method-assign]
    return {
        "outcomes": outcomes,
        "executed": handler.executed,
        "caps": caps[0],
        "ties": model.tie_count,
    }


def decide_reads(path: str) -> dict[str, Any]:
    """What Decide's own input reader reads from a file, as plain JSON-ready values.

    Lists come in the order Decide holds them; numbers Decide keeps as decimals
    (positions, saliences, powers of ``#D`` lines) are given as their exact text.
    """
    from decide.data import reader

    data = reader.InputDataFile.open(path)

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "errors": {str(row): str(error) for row, error in sorted(data.errors.items())},
        "actors": [{"id": a.id, "fullname": a.fullname, "comment": a.comment} for a in data.actors],
        "issues": [
            {
                "name": i.name,
                "description": i.description,
                "lower": float(i.lower),
                "upper": float(i.upper),
            }
            for i in data.issues
        ],
        "issue_positions": [
            {"issue": m.issue, "position": float(m.position), "description": m.description}
            for m in data.issue_positions
        ],
        "actor_issues": [
            {
                "actor": d.actor,
                "issue": d.issue,
                "position": text(d.position),
                "salience": text(d.salience),
                "power": text(d.power),
                "comment": d.comment,
            }
            for d in data.actor_issues
        ],
    }


Case = tuple[dict[str, tuple[float, dict[str, tuple[float, float]]]], list[str]]


def load_exchange_cases(path: str) -> tuple[int, list[Case]]:
    """The rounds and the (actors, issues) cases of an exchange-cases JSON input file."""
    import json
    from pathlib import Path

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    cases: list[Case] = [
        (
            {
                a: (
                    float(v["capability"]),
                    {i: (float(p), float(s)) for i, (p, s) in v["stances"].items()},
                )
                for a, v in case["actors"].items()
            },
            list(case["issues"]),
        )
        for case in data["cases"]
    ]
    return int(data["rounds"]), cases


def as_json(value: Any) -> Any:
    """A run_decide result as it reads back from JSON (tuples become lists)."""
    import json

    return json.loads(json.dumps(value))
