"""The curated flagship scenario: valid, complete, sourced."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.io import check_scenario

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"


@pytest.fixture(scope="module")
def flagship():
    scenario, problems = check_scenario(FLAGSHIP)
    assert scenario is not None, [p.format() for p in problems]
    return scenario, problems


def test_validates_without_errors_or_warnings(flagship):
    _, problems = flagship
    assert [p.format() for p in problems] == []


def test_required_actors_and_veto_players(flagship):
    scenario, _ = flagship
    assert len(scenario.actors) >= 12
    names = " ".join(a.name for a in scenario.actors)
    for who in (
        "Russia",
        "Ukraine",
        "United States",
        "United Kingdom",
        "France",
        "Germany",
        "Italy",
        "Poland",
        "Hungary",
        "Slovakia",
        "EU",
        "China",
        "Turkey",
    ):
        assert who in names, who
    vetoes = {a.name for a in scenario.actors if a.veto}
    assert vetoes == {"Russia", "Ukraine"}


def test_issues_have_anchors_at_both_ends_and_a_status_quo(flagship):
    scenario, _ = flagship
    assert len(scenario.issues) >= 10
    for issue in scenario.issues:
        assert issue.scale.min in issue.anchors, issue.id
        assert issue.scale.max in issue.anchors, issue.id
        assert issue.status_quo is not None, issue.id


def test_every_stance_cites_a_known_source(flagship):
    scenario, _ = flagship
    known = {s.id for s in scenario.sources}
    for stance in scenario.stances:
        assert stance.sources, (stance.actor, stance.issue)
        assert set(stance.sources) <= known
