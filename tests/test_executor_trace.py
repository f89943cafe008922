"""A forecast with draws and traces keeps the trajectories of the run's first draws only.

The sampled trajectories start from the positions of the run's first draws (drawn
independently here from ``default_rng(seed)``), and a deterministic model's sampled
forecasts end at the outcomes those draws have in the run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zopa import service
from zopa.io import load_scenario
from zopa.scenario import Scenario
from zopa.uncertainty import sample_positions
from zopa.uncertainty.monte_carlo import TRACE_DRAWS

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


def test_the_first_draws_keep_their_trajectories(flagship: Scenario) -> None:
    result = service.forecast(
        flagship, models=["smp", "eum", "median"], draws=30, seed=2, trace=True, workers=1
    )
    assert set(result.draw_traces) == {"smp", "eum"}  # the models with rounds
    positions = sample_positions(flagship.arrays(), 30, np.random.default_rng(2)).position
    for name, sample in result.draw_traces.items():
        assert sample.trajectory is not None
        assert sample.trajectory.shape[0] == TRACE_DRAWS
        np.testing.assert_allclose(
            sample.trajectory[:, 0], positions[:TRACE_DRAWS], err_msg=name, equal_nan=True
        )
        np.testing.assert_array_equal(
            sample.outcome, result.draw_outcomes[name].to_array()[:TRACE_DRAWS], err_msg=name
        )
    data = result.to_dict()
    smp = data["trace"]["smp"]["draws"]
    assert smp["first"] == TRACE_DRAWS
    rounds = result.draw_traces["smp"].trajectory.shape[1]  # type: ignore[union-attr]
    assert np.shape(smp["positions"]) == (TRACE_DRAWS, rounds, *positions.shape[1:])
    assert "draws" not in data["trace"].get("median", {})


def test_fewer_draws_than_the_sample_keep_them_all_and_no_trace_keeps_none(
    flagship: Scenario,
) -> None:
    few = service.forecast(flagship, models=["smp"], draws=4, seed=1, trace=True, workers=1)
    assert few.to_dict()["trace"]["smp"]["draws"]["first"] == 4
    plain = service.forecast(flagship, models=["smp"], draws=40, seed=1, workers=1)
    assert dict(plain.draw_traces) == {}
    assert "trace" not in plain.to_dict()
