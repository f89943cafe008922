"""What-if overrides: a changed scenario, checked like a file, problems located."""

from __future__ import annotations

import pytest

from conftest import ROOT
from zopa import service

FLAGSHIP = "scenarios/ukraine-ceasefire-2026.yaml"


@pytest.fixture(scope="module")
def flagship():
    return service.load_scenario(ROOT / FLAGSHIP).scenario


def _stance(scenario, actor, issue):
    return next(s for s in scenario.stances if (s.actor, s.issue) == (actor, issue))


def test_a_moved_position_moves_and_nothing_else(flagship):
    before = _stance(flagship, "US", "territory")
    changed = service.with_overrides(
        flagship, stances=[{"actor": "US", "issue": "territory", "position": 60}]
    )
    after = _stance(changed, "US", "territory")
    assert after.position == 60
    assert after.salience == before.salience
    assert _stance(flagship, "US", "territory") == before  # the original is untouched
    others = [s for s in changed.stances if (s.actor, s.issue) != ("US", "territory")]
    assert others == [s for s in flagship.stances if (s.actor, s.issue) != ("US", "territory")]


def test_the_range_moves_with_the_position(flagship):
    before = _stance(flagship, "US", "territory")
    assert before.range is not None
    changed = service.with_overrides(
        flagship, stances=[{"actor": "US", "issue": "territory", "position": before.position + 5}]
    )
    low, high = _stance(changed, "US", "territory").range
    assert low <= before.position + 5 <= high


def test_capability_and_salience(flagship):
    changed = service.with_overrides(
        flagship,
        stances=[{"actor": "US", "issue": "territory", "salience": 0.2}],
        actors=[{"actor": "US", "capability": 1}],
    )
    assert _stance(changed, "US", "territory").salience == 0.2
    assert next(a for a in changed.actors if a.id == "US").capability == 1


def test_bad_overrides_are_located(flagship):
    with pytest.raises(service.BadInput) as caught:
        service.with_overrides(
            flagship,
            stances=[
                {"actor": "US", "issue": "territory", "position": 500},
                {"actor": "XX", "issue": "territory", "position": 5},
                {"actor": "US", "issue": "territory", "colour": "red"},
            ],
        )
    paths = {p.path for p in caught.value.problems}
    assert "stances[1]" in paths
    assert "stances[2]" in paths
    with pytest.raises(service.BadInput) as caught:
        service.with_overrides(
            flagship, stances=[{"actor": "US", "issue": "territory", "position": 500}]
        )
    problems = caught.value.problems
    assert problems[0].path == "stances[0].position"
    assert all(p.path.startswith("stances[0].") and p.file == "" for p in problems)


def test_unknown_actor(flagship):
    with pytest.raises(service.BadInput) as caught:
        service.with_overrides(flagship, actors=[{"actor": "ZZ", "capability": 3}])
    assert caught.value.problems[0].path == "actors[0]"
