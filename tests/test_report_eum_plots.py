"""Trajectory and who-moved-whom charts: the numbers they draw and the files they write."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from zopa.models import make_model
from zopa.models.expected_utility import ExpectedUtilityModel
from zopa.report.trajectory import plot_trajectories, plot_trajectory
from zopa.report.who_moved_whom import movement_matrix, plot_who_moved_whom_all
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

if TYPE_CHECKING:
    from pathlib import Path


def _three() -> Scenario:
    # the hand-computed game of tests/test_model_eum.py, plus a second issue
    actors = (Actor("A", "Alpha", 2.0), Actor("B", "Beta", 1.0), Actor("C", "Gamma", 1.0))
    issues = (
        Issue("i", "first", Scale(0, 100), anchors={0.0: "none", 100.0: "all"}),
        Issue("j", "second", Scale(0, 10), status_quo=2.0),
    )
    stances = (
        Stance("A", "i", 0.0, 0.5),
        Stance("B", "i", 50.0, 1.0),
        Stance("C", "i", 100.0, 0.5),
        Stance("A", "j", 1.0, 0.5),
        Stance("C", "j", 9.0, 0.5),
    )
    return Scenario("three", actors, issues, stances)


def test_movement_matrix_of_first_round() -> None:
    # round 1 (hand-computed): A compromises 10.325 towards B, C compromises 25.135 towards B
    fc = ExpectedUtilityModel(max_rounds=1).forecast(_three().arrays())
    by_proposer, by_kind = movement_matrix(fc, "i")
    expected = np.zeros((3, 3))
    expected[0, 1] = 10.325002316057992
    expected[2, 1] = 100 - 74.86468916117143
    np.testing.assert_allclose(by_proposer, expected, atol=1e-9)
    np.testing.assert_allclose(by_kind[:, 1], expected.sum(axis=1), atol=1e-9)  # compromises
    assert by_kind[:, [0, 2]].sum() == 0


def test_plots_are_written(tmp_path: Path) -> None:
    sc = _three()
    fc = ExpectedUtilityModel().forecast(sc.arrays())
    paths = plot_trajectories(sc, fc, tmp_path) + plot_who_moved_whom_all(sc, fc, tmp_path)
    assert [p.name for p in paths] == [
        "eum-trajectory-i.png",
        "eum-trajectory-j.png",
        "eum-who-moved-whom-i.png",
        "eum-who-moved-whom-j.png",
    ]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_models_without_rounds_are_refused(tmp_path: Path) -> None:
    sc = _three()
    fc = make_model("median").forecast(sc.arrays())
    with pytest.raises(ValueError, match="no trajectory"):
        plot_trajectory(sc, fc, "i", tmp_path / "x.png")
    with pytest.raises(ValueError, match="no offers"):
        movement_matrix(fc, "i")
