"""Saving and loading scenarios: lossless, atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zopa.io import atomic_write, load_scenario, save_scenario


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_save_load_round_trip(tmp_path, fixtures, suffix):
    original = load_scenario(fixtures / "scenarios" / "three-actors.yaml")
    path = tmp_path / f"copy{suffix}"
    save_scenario(original, path)
    assert load_scenario(path) == original


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "keep.txt"
    path.write_text("precious")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, "new content")
    assert path.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_arrays_view_shapes_and_missing_stances(fixtures):
    from dataclasses import replace

    import numpy as np

    scenario = load_scenario(fixtures / "scenarios" / "three-actors.yaml")
    scenario = replace(scenario, stances=scenario.stances[:2])
    view = scenario.arrays()
    assert view.position.shape == (1, 3, 1)
    assert view.has_stance.tolist() == [[True], [True], [False]]
    assert view.salience[0, 2, 0] == 0.0
    assert view.position[0, 2, 0] == 50.0  # scale midpoint stands in for a missing position
    assert np.isnan(view.red_line[0, 0])
    assert view.red_line[1, 0] == 30.0
    assert view.veto.tolist() == [False, False, True]
    assert view.status_quo.tolist() == [20.0]
    with pytest.raises(ValueError, match="read-only"):
        view.position[0, 0, 0] = 1.0


def test_saved_scenarios_read_back_when_values_repeat(tmp_path):
    """Equal dates read from a file are one object; the writer still spells each out."""
    from zopa.io import load_scenario, save_scenario

    root = Path(__file__).resolve().parent.parent
    flagship = load_scenario(root / "scenarios" / "ukraine-ceasefire-2026.yaml")
    target = tmp_path / "again.yaml"
    save_scenario(flagship, target)
    text = target.read_text(encoding="utf-8")
    assert "&id" not in text
    assert "*id" not in text
    assert load_scenario(target) == flagship
