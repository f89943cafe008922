"""Monte Carlo draws of positions within the analyst's ranges."""

from __future__ import annotations

import numpy as np
import pytest

from zopa.io import load_scenario
from zopa.uncertainty import sample_positions


def test_draws_stay_in_range_and_center_on_triangular_mean(fixtures, tmp_path):
    text = (fixtures / "scenarios" / "three-actors.yaml").read_text()
    text = text.replace(
        "position: 60, salience: 0.5,", "position: 60, salience: 0.5, range: [40, 70],"
    )
    path = tmp_path / "ranged.yaml"
    path.write_text(text)
    view = load_scenario(path).arrays()
    batch = sample_positions(view, 200_000, np.random.default_rng(1))
    b = batch.position[:, 1, 0]
    assert batch.position.shape == (200_000, 3, 1)
    assert b.min() >= 40
    assert b.max() <= 70
    # triangular(40, 60, 70): mean (40 + 60 + 70) / 3 = 56.67, P(X <= 60) = (60-40)/(70-40) = 2/3
    assert b.mean() == pytest.approx(170 / 3, abs=0.05)
    assert (b <= 60).mean() == pytest.approx(2 / 3, abs=0.005)
    # actors without a range keep their position
    assert np.all(batch.position[:, 0, 0] == 0.0)


def test_reproducible_under_a_seed(fixtures):
    view = load_scenario(fixtures / "scenarios" / "three-actors.yaml").arrays()
    a = sample_positions(view, 10, np.random.default_rng(3)).position
    b = sample_positions(view, 10, np.random.default_rng(3)).position
    np.testing.assert_array_equal(a, b)
