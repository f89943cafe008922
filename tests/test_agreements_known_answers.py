"""Deal space: answers computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from zopa.agreements import analyse_deals, build_space, find_logrolls, package_utility
from zopa.agreements.utility import status_quo_utility
from zopa.scenario import Actor, Issue, Scenario, Stance


def scenario(actors, issues, stances):
    return Scenario("t", tuple(actors), tuple(issues), tuple(stances))


def two_symmetric():
    return scenario(
        [Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0, veto=True)],
        [Issue("x", "x"), Issue("y", "y")],
        [
            Stance("A", "x", 0.0, 0.5),
            Stance("B", "x", 100.0, 0.5),
            Stance("A", "y", 0.0, 0.5),
            Stance("B", "y", 100.0, 0.5),
        ],
    )


def disjoint_red_lines():
    return scenario(
        [Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0, veto=True)],
        [Issue("x", "x", status_quo=50.0), Issue("y", "y", status_quo=50.0)],
        [
            Stance("A", "x", 0.0, 1.0, red_line=40.0),
            Stance("B", "x", 100.0, 1.0, red_line=60.0),
            Stance("A", "y", 100.0, 0.5),
            Stance("B", "y", 0.0, 0.5),
        ],
    )


def test_utility_by_hand():
    pos = np.array([[0.0, 0.0]])
    sal = np.array([[0.5, 0.5]])
    pk = np.array([[50.0, 100.0]])
    lin = package_utility(pk, pos, sal, [0, 0], [100, 100], loss="linear")
    quad = package_utility(pk, pos, sal, [0, 0], [100, 100], loss="quadratic")
    assert lin.shape == (1, 1, 1)
    assert lin[0, 0, 0] == pytest.approx(0.5 * 0.5 + 0.5 * 0.0)
    assert quad[0, 0, 0] == pytest.approx(0.5 * (1 - 0.25) + 0.5 * 0.0)


def test_utility_is_batched_over_draws_and_packages():
    pos = np.array([[[0.0, 100.0]], [[100.0, 100.0]]])  # (D=2, A=1, I=2)
    sal = np.ones_like(pos)
    pk = np.array([[0.0, 100.0], [100.0, 0.0]])
    u = package_utility(pk, pos, sal, [0, 0], [100, 100])
    assert u.shape == (2, 2, 1)
    np.testing.assert_allclose(u[:, :, 0], [[1.0, 0.0], [0.5, 0.5]])


def test_missing_status_quo_counts_as_nothing_settled():
    s = two_symmetric()
    sq = status_quo_utility(s.arrays())
    np.testing.assert_array_equal(sq, [[0.0, 0.0]])


@pytest.mark.parametrize("loss", ["linear", "quadratic"])
def test_two_symmetric_actors_one_issue_nash_at_the_midpoint(loss):
    s = two_symmetric().subset(issue_ids=["x"])
    result = analyse_deals(s, loss=loss)
    for concept in ("nash", "kalai_smorodinsky", "maximin", "utilitarian"):
        if loss == "linear" and concept == "utilitarian":
            continue  # every package has the same total under linear loss
        assert result.solutions[concept].package == {"x": 50.0}


def test_two_symmetric_actors_nash_at_the_midpoint():
    # strictly concave (quadratic) utilities make the symmetric midpoint the unique answer;
    # with linear loss every package with x + y = 100 ties
    result = analyse_deals(two_symmetric(), loss="quadratic")
    assert result.method == "enumeration"
    assert not result.zopa.empty
    for concept in ("nash", "kalai_smorodinsky", "maximin"):
        sol = result.solutions[concept]
        assert sol.package == {"x": 50.0, "y": 50.0}
        assert sol.utilities["A"] == pytest.approx(0.75)
        assert sol.utilities["B"] == pytest.approx(0.75)
    linear = analyse_deals(two_symmetric(), loss="linear").solutions["nash"]
    assert linear.utilities["A"] == pytest.approx(0.5)
    assert linear.utilities["B"] == pytest.approx(0.5)


def test_disjoint_red_lines_empty_zopa_names_them_and_the_relaxation():
    result = analyse_deals(disjoint_red_lines())
    assert result.zopa.empty
    assert result.zopa.size == 0
    conflicts = result.conflict_constraints()
    assert len(conflicts) == 1
    got = {(c.kind, c.actor, c.issue, c.value) for c in conflicts[0]}
    assert got == {("red_line", "A", "x", 40.0), ("red_line", "B", "x", 60.0)}
    assert result.conflicts_complete
    by_scope = {r.scope: r for r in result.relaxations}
    (move_a,) = by_scope["A"].moves
    assert (move_a.actor, move_a.issue, move_a.old, move_a.new) == ("A", "x", 40.0, 60.0)
    (move_b,) = by_scope["B"].moves
    assert (move_b.actor, move_b.issue, move_b.old, move_b.new) == ("B", "x", 60.0, 40.0)
    assert by_scope["any"].cost == pytest.approx(0.2)
    # the relaxed red line really opens the zone
    s = disjoint_red_lines()
    opened = scenario(
        s.actors,
        s.issues,
        [Stance("A", "x", 0.0, 1.0, red_line=60.0), *s.stances[1:]],
    )
    assert not analyse_deals(opened).zopa.empty
    advice = {a.issue: a.category for a in result.issues}
    assert advice["x"] == "separate track"
    assert result.solutions["nash"].package is None


def test_no_deal_alternative_collides_with_a_red_line():
    # B prefers the status quo (50) to anything A's red line (<= 40) allows
    s = scenario(
        [Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0, veto=True)],
        [Issue("x", "x", status_quo=50.0)],
        [Stance("A", "x", 0.0, 1.0, red_line=40.0), Stance("B", "x", 100.0, 1.0)],
    )
    result = analyse_deals(s)
    assert result.zopa.empty
    (conflict,) = result.conflict_constraints()
    assert {(c.kind, c.actor) for c in conflict} == {("red_line", "A"), ("no_deal", "B")}
    only_b = next(r for r in result.relaxations if r.scope == "B")
    (move,) = only_b.moves
    assert move.kind == "no_deal"
    assert move.old == pytest.approx(0.5)
    assert move.new == pytest.approx(0.4)


def test_zopa_size_and_ranges_by_hand():
    # one issue, 11 levels; A accepts <= 70, B accepts >= 30; no status quo
    s = scenario(
        [Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0, veto=True)],
        [Issue("x", "x")],
        [Stance("A", "x", 0.0, 1.0, red_line=70.0), Stance("B", "x", 100.0, 1.0, red_line=30.0)],
    )
    result = analyse_deals(s)
    assert result.zopa.size == 5  # 30, 40, 50, 60, 70
    assert result.zopa.ranges == {"x": (30.0, 70.0)}
    assert result.solutions["nash"].package == {"x": 50.0}


def test_hand_computed_logroll():
    # A cares about i1 (0.9), B about i2 (0.9); expected outcome i1 = 90, i2 = 10.
    # Moving i1 to 100 (A's position) and i2 to 0 (B's) gains each
    # 0.9 * 0.1 - 0.1 * 0.1 = 0.08.
    s = scenario(
        [Actor("A", "A", 1.0), Actor("B", "B", 1.0)],
        [Issue("i1", "i1"), Issue("i2", "i2")],
        [
            Stance("A", "i1", 100.0, 0.9),
            Stance("A", "i2", 100.0, 0.1),
            Stance("B", "i1", 0.0, 0.1),
            Stance("B", "i2", 0.0, 0.9),
        ],
    )
    (lr,) = find_logrolls(build_space(s.arrays()))
    assert (lr.actor_a, lr.actor_b, lr.issue_a, lr.issue_b) == ("A", "B", "i1", "i2")
    assert lr.start == pytest.approx((90.0, 10.0))
    assert lr.end == (100.0, 0.0)
    assert lr.gain_a == pytest.approx(0.08)
    assert lr.gain_b == pytest.approx(0.08)


def test_no_logroll_between_identical_priorities():
    s = scenario(
        [Actor("A", "A", 1.0), Actor("B", "B", 1.0)],
        [Issue("i1", "i1"), Issue("i2", "i2")],
        [
            Stance("A", "i1", 100.0, 0.5),
            Stance("A", "i2", 100.0, 0.5),
            Stance("B", "i1", 0.0, 0.5),
            Stance("B", "i2", 0.0, 0.5),
        ],
    )
    assert find_logrolls(build_space(s.arrays())) == ()


def test_red_lines_and_status_quo_join_the_grid():
    s = disjoint_red_lines()
    space = build_space(s.arrays(), grid=3)
    np.testing.assert_array_equal(space.levels[0], [0.0, 40.0, 50.0, 60.0, 100.0])


def test_anchor_points_join_the_grid():
    s = disjoint_red_lines()
    issues = (
        Issue("x", "x", status_quo=50.0, anchors={65.0: "freeze plus a zone"}),
        s.issues[1],
    )
    result = analyse_deals(Scenario("t", s.actors, issues, s.stances), grid=3)
    np.testing.assert_array_equal(result.space.levels[0], [0.0, 40.0, 50.0, 60.0, 65.0, 100.0])


def test_no_veto_player_means_unanimity():
    s = scenario(
        [Actor("A", "A", 1.0), Actor("B", "B", 2.0)],
        [Issue("x", "x")],
        [Stance("A", "x", 0.0, 1.0), Stance("B", "x", 100.0, 1.0)],
    )
    result = analyse_deals(s)
    assert result.parties == ("A", "B")
    # capability-weighted Nash: maximise (1 - x/100)^1 (x/100)^2 -> x = 200/3 -> grid 70
    assert result.solutions["nash"].package == {"x": 70.0}


def test_deal_breaker_issue_found_by_removing_it():
    # A's red line keeps y <= 20; B cares about y (0.9) and gets at most
    # 0.9 * 0.2 + 0.1 * 1 = 0.28 < 0.45, its no-deal utility: empty with y.
    # Without y both get 1 at x = 100 (x alone carries all of their salience).
    s = scenario(
        [Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0, veto=True)],
        [Issue("x", "x", status_quo=0.0), Issue("y", "y", status_quo=50.0)],
        [
            Stance("A", "x", 100.0, 0.5),
            Stance("A", "y", 0.0, 0.5, red_line=20.0),
            Stance("B", "x", 100.0, 0.1),
            Stance("B", "y", 100.0, 0.9),
        ],
    )
    result = analyse_deals(s)
    assert result.zopa.empty
    (conflict,) = result.conflict_constraints()
    assert {(c.kind, c.actor, c.issue) for c in conflict} == {
        ("red_line", "A", "y"),
        ("no_deal", "B", None),
    }
    advice = {a.issue: a.category for a in result.issues}
    assert advice["y"] == "deal-breaker"
    assert result.agenda[-1].issues == ("y",)
    assert result.agenda[-1].action == "negotiate last or defer"


def test_flagship_conflicts_are_the_ones_documented():
    # docs/deals.md reports what the tool finds on the flagship scenario; if the scenario
    # changes which red lines collide, the page must be regenerated
    from pathlib import Path

    from zopa.io import load_scenario

    root = Path(__file__).resolve().parent.parent
    scen = load_scenario(root / "scenarios" / "ukraine-ceasefire-2026.yaml")
    result = analyse_deals(scen)
    found = {c.issue for cs in result.conflict_constraints() for c in cs}
    doc = (root / "docs" / "deals.md").read_text()
    section = doc.split("## What it finds on the flagship scenario")[1].split("## Performance")[0]
    assert result.zopa.empty == ("**The zone of possible agreement is empty.**" in section)
    assert set(result.set_aside) == found
    for issue in found:
        assert issue.replace("_", " ") in section.lower() or issue in section, issue
