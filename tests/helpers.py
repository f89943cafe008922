"""Builders for small scenarios in tests."""

from __future__ import annotations

from collections.abc import Sequence

from zopa.scenario import Actor, Issue, Scale, Scenario, Stance


def make_scenario(
    positions: Sequence[Sequence[float]],
    saliences: Sequence[Sequence[float]] | None = None,
    capabilities: Sequence[float] | None = None,
    *,
    status_quo: Sequence[float | None] | None = None,
    scale: tuple[float, float] = (0.0, 100.0),
    veto: Sequence[bool] | None = None,
) -> Scenario:
    """A scenario from an actors x issues matrix of positions (every stance present)."""
    n_a, n_i = len(positions), len(positions[0])
    sal = saliences or [[1.0] * n_i for _ in range(n_a)]
    cap = capabilities or [1.0] * n_a
    sq = status_quo or [None] * n_i
    vetoes = veto or [False] * n_a
    return Scenario(
        title="test",
        actors=tuple(
            Actor(f"a{k}", f"Actor {k}", float(cap[k]), bool(vetoes[k])) for k in range(n_a)
        ),
        issues=tuple(
            Issue(f"i{j}", f"Issue {j}", Scale(*scale), status_quo=sq[j]) for j in range(n_i)
        ),
        stances=tuple(
            Stance(f"a{k}", f"i{j}", float(positions[k][j]), float(sal[k][j]))
            for k in range(n_a)
            for j in range(n_i)
        ),
    )
