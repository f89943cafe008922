"""Forecasts that should move continuously with the positions do (no knife-edges).

Continuous in the positions by construction, and checked here:

- ``compromise`` (a weighted mean: moving one position by d moves the forecast by at
  most d);
- ``median`` (an order statistic of the positions with fixed weights: at most d; it jumps
  only when *weights* change, e.g. a salience set to 0);
- ``nash`` per issue (the maximiser of a strictly concave function whose terms move
  smoothly with the positions; no actor holds a veto, docs/models/nash.md).

Discontinuous by design, and not checked: ``eum`` (an actor accepts an offer or not,
by the sign of expected utilities: a small move can flip a choice), ``smp`` (discrete
turns and a stochastic or deterministic choice of bargains) and ``exchange`` (the best
exchange is picked among discrete candidates, then positions jump to it), and ``nash``
with ``joint=true`` (the players are those who gain at the per-issue solution, a
threshold).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.models import make_model
from zopa.scenario import Actor, Issue, Scale, Scenario

CONTINUOUS = ("compromise", "median", "nash")
STEP = 0.01
#: Largest change of the forecast allowed for a STEP move of one position, per model.
BOUND = {"compromise": STEP, "median": STEP, "nash": 3 * STEP}

positions = st.lists(
    st.sampled_from([0.0, 10.0, 25.0, 40.0, 50.0, 60.0, 75.0, 90.0, 100.0]) | st.floats(0.0, 100.0),
    min_size=2,
    max_size=6,
)


def _view(xs: list[float], sq: float) -> object:
    from zopa.scenario import Stance

    actors = tuple(Actor(f"a{k}", f"a{k}", 1.0 + (k % 3)) for k in range(len(xs)))
    issue = Issue("i", "i", Scale(0, 100), status_quo=sq)
    stances = tuple(
        Stance(a.id, "i", x, 0.3 + 0.1 * (k % 5))
        for k, (a, x) in enumerate(zip(actors, xs, strict=True))
    )
    return Scenario("continuity", actors, (issue,), stances).arrays()


@pytest.mark.parametrize("model", CONTINUOUS)
@settings(deadline=None)  # the first nash call loads its compiled loop
@given(xs=positions, sq=st.sampled_from([0.0, 40.0, 50.0, 75.0]), who=st.integers(0, 5))
def test_a_small_move_gives_a_small_change(
    model: str, xs: list[float], sq: float, who: int
) -> None:
    view = _view(xs, sq)
    k = who % len(xs)
    m = make_model(model)
    base = float(m.forecast(view).outcome[0, 0])  # type: ignore[arg-type]
    for step in (STEP, -STEP):
        moved = view.position.copy()  # type: ignore[attr-defined]
        moved[0, k, 0] = np.clip(moved[0, k, 0] + step, 0.0, 100.0)
        other = dataclasses.replace(view, position=moved)  # type: ignore[type-var]
        value = float(m.forecast(other).outcome[0, 0])
        assert abs(value - base) <= BOUND[model] + 1e-9


def test_actors_at_the_status_quo_do_not_pin_nash() -> None:
    # the knife-edge of issue 11: three actors on one side, one exactly at the status quo
    view = _view([50.0, 80.0, 90.0, 100.0], 50.0)
    m = make_model("nash")
    at = float(m.forecast(view).outcome[0, 0])  # type: ignore[arg-type]
    moved = view.position.copy()  # type: ignore[attr-defined]
    moved[0, 0, 0] = 50.01
    near = float(m.forecast(dataclasses.replace(view, position=moved)).outcome[0, 0])  # type: ignore[type-var]
    assert at > 60.0
    assert abs(near - at) < 0.02
