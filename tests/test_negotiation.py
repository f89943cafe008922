"""Protocols and agents on toy cases whose answers are computed by hand or by zopa's own
Nash solution (an independent path: enumeration of every package)."""

from __future__ import annotations

import numpy as np
import pytest

import zopa.negotiation as neg
from zopa.agreements import build_space
from zopa.agreements.solutions import choose
from zopa.negotiation import AGENTS, NO_PACKAGE, PROTOCOLS, Actions, Ending, Move
from zopa.negotiation.protocols.mediator import first_draft, weighted_median
from zopa.negotiation.transcript import ScriptedNegotiator
from zopa.scenario import Actor, Issue, Scenario, Stance


def scenario(stances, *, actors=None, issues=None):
    actors = actors or (Actor("A", "A", 1.0), Actor("B", "B", 1.0))
    return Scenario("toy", tuple(actors), tuple(issues), tuple(Stance(*s) for s in stances))


def one_issue(status_quo=None, a=0.0, b=100.0):
    return scenario(
        [("A", "x", a, 1.0), ("B", "x", b, 1.0)], issues=[Issue("x", "x", status_quo=status_quo)]
    )


def table_of(sc, parties=("A", "B"), grid=11, **kw):
    space = build_space(sc.arrays(), grid=grid)
    return neg.make_table(space, parties=list(parties), **kw)


def run(table, protocol, agents, **kw):
    return neg.negotiate(table, PROTOCOLS.make(protocol), [AGENTS.make(a) for a in agents], **kw)


def value(table, outcome, issue=0):
    return float(table.space.levels[issue][outcome.package[0, issue]])


# --- the monotonic concession protocol with the Zeuthen strategy reaches Nash ----------


def test_zeuthen_one_issue_by_hand():
    # A at 30, B at 100, status quo 0: gains g_A = 0.3 - |x-30|/100, g_B = x/100; the
    # product x(60-x) on x >= 30 falls from x = 30, and x^2 on x <= 30 rises to it: 30
    t = table_of(one_issue(status_quo=0.0, a=30.0), deadline=100)
    out = run(t, "concession", ["zeuthen", "zeuthen"])
    assert out.agreed[0]
    assert value(t, out) == 30.0


def test_zeuthen_logroll_by_hand():
    # A cares 0.8 about x and 0.2 about y, B the reverse, positions opposite and no status
    # quo: the Nash package gives each its own important issue, u = (0.8, 0.8)
    sc = scenario(
        [
            ("A", "x", 0.0, 0.8),
            ("A", "y", 0.0, 0.2),
            ("B", "x", 100.0, 0.2),
            ("B", "y", 100.0, 0.8),
        ],
        issues=[Issue("x", "x"), Issue("y", "y")],
    )
    t = table_of(sc, deadline=200)
    out = run(t, "concession", ["zeuthen", "zeuthen"])
    assert out.agreed[0]
    assert t.package_dict(out.package[0]) == {"x": 0.0, "y": 100.0}


def random_toy(rng, n_issues=3):
    issues = [
        Issue(f"i{k}", f"i{k}", status_quo=float(rng.integers(0, 5)) * 25) for k in range(n_issues)
    ]
    stances = [
        (a, f"i{k}", float(rng.integers(0, 5) * 25), float(rng.integers(1, 5)) / 4)
        for a in "AB"
        for k in range(n_issues)
    ]
    return scenario(stances, issues=issues)


@pytest.mark.parametrize("weights", ["equal", "capability"])
def test_zeuthen_reaches_the_nash_product_on_random_toys(weights):
    checked = 0
    for seed in range(25):
        sc = random_toy(np.random.default_rng(seed))
        if weights == "capability":
            sc = Scenario(
                sc.title, (Actor("A", "A", 1.0), Actor("B", "B", 3.0)), sc.issues, sc.stances
            )
        space = build_space(sc.arrays(), grid=5)
        t = neg.make_table(space, parties=["A", "B"], deadline=200)
        every = t.candidates  # the whole space (5^3 packages): an independent enumeration
        gains = space.utilities(every) - space.sq_utility
        feasible = space.feasible(every)
        w = np.ones(2) if weights == "equal" else space.capability
        nash = choose(gains[feasible], w)["nash"]
        if nash.index is None or not (gains[feasible][nash.index] > 1e-9).all():
            continue  # no package gives both a positive gain: no product to maximise
        best = float((np.log(gains[feasible][nash.index]) * w).sum())
        out = neg.negotiate(
            t, PROTOCOLS.make("concession"), [AGENTS.make("zeuthen", weights=weights)] * 2
        )
        assert out.agreed[0], seed
        got = space.utilities(out.package[:1])[0] - space.sq_utility
        assert float((np.log(got) * w).sum()) == pytest.approx(best, abs=1e-9), seed
        checked += 1
    assert checked >= 15


# --- alternating offers: a hand-traced run ---------------------------------------------


def test_hard_liner_against_conceder_by_hand():
    # A (hard-liner, floor 0.9) offers 0 throughout and accepts x <= 10. B (Conceder,
    # beta = 20) has target 1 - (r/9)^(1/20) over a 10-round deadline: round 1 -> 0.104,
    # it offers 20 (the lowest x worth that to it, best for A); round 2 -> 0.072, it
    # offers 10; in round 3 A accepts 10.
    t = table_of(one_issue(), deadline=10)
    out = run(t, "alternating", ["hard_liner", "conceder"])
    assert out.agreed[0]
    assert out.round[0] == 3
    assert value(t, out) == 10.0
    offers_b = [r["package"]["x"] for r in out.transcript.records(t) if r["party"] == "B"]
    assert offers_b == [100.0, 20.0, 10.0]


def test_time_dependent_targets_follow_faratin():
    # with kappa = 0 the target is best - (t)^(1/beta) (best - reservation)
    t = table_of(one_issue(), deadline=5)
    brief = neg.briefs(t)[1]
    n = AGENTS.make("linear").start(brief, np.random.default_rng(0))
    assert n.target(0.5)[0] == pytest.approx(0.5)
    b = AGENTS.make("boulware").start(brief, np.random.default_rng(0))
    assert b.target(0.5)[0] == pytest.approx(1 - 0.5**10)


def test_red_lines_are_never_crossed():
    sc = scenario(
        [("A", "x", 0.0, 1.0, 40.0), ("B", "x", 100.0, 1.0, 60.0)], issues=[Issue("x", "x")]
    )
    t = table_of(sc, deadline=20)
    for a, b in [("conceder", "conceder"), ("linear", "tit_for_tat"), ("zeuthen", "conceder")]:
        out = run(t, "alternating", [a, b])
        assert not out.agreed[0]  # A accepts <= 40, B >= 60: no deal
        for r in out.transcript.records(t):
            if r["party"] == "A" and r["package"]:
                assert r["package"]["x"] <= 40
            if r["party"] == "B" and r["package"]:
                assert r["package"]["x"] >= 60


def test_alternating_needs_two_parties():
    sc = scenario(
        [("A", "x", 0.0, 1.0), ("B", "x", 50.0, 1.0), ("C", "x", 100.0, 1.0)],
        actors=[Actor(c, c, 1.0) for c in "ABC"],
        issues=[Issue("x", "x")],
    )
    with pytest.raises(ValueError, match="exactly two"):
        run(table_of(sc, parties=("A", "B", "C")), "alternating", ["linear"] * 3)


# --- validation, re-prompt, transcript and replay -------------------------------------


def scripted(*answers):
    return ScriptedNegotiator(
        [Actions(np.array([m], np.int8), np.array([[o]], np.intp)) for m, o in answers]
    )


def test_invalid_answer_is_reprompted_then_counts_as_the_last_offer():
    t = table_of(one_issue(), deadline=3)
    a = scripted((Move.OFFER, 3))
    b = scripted((Move.ACCEPT, 0))
    out = PROTOCOLS.make("alternating").run(t, (a, b))
    assert out.agreed[0]
    assert out.round[0] == 0
    assert out.package[0, 0] == 3
    # A first accepts with nothing on the table, then names level 99 (off the grid)
    a = scripted(
        (Move.ACCEPT, 0), (Move.OFFER, 99), (Move.OFFER, 5), (Move.OFFER, 99), (Move.OFFER, 99)
    )
    b = scripted((Move.OFFER, 8), (Move.OFFER, 7), (Move.OFFER, 6))
    out = PROTOCOLS.make("alternating").run(t, (a, b))
    steps = out.transcript.steps
    first = steps[0]
    assert first.refused[0] == "there is no offer on the table to accept"
    assert len(first.answers) == 2
    assert first.move[0] == Move.PASS  # off the grid again, and no earlier offer
    assert steps[2].move[0] == Move.OFFER
    assert steps[2].offer[0, 0] == 5
    assert steps[4].refused[0].startswith("the offer names a level")
    assert steps[4].move[0] == Move.OFFER
    assert steps[4].offer[0, 0] == 5
    assert not out.agreed[0]
    assert out.ended[0] == Ending.DEADLINE


def test_replay_reproduces_a_run_from_its_transcript():
    sc = random_toy(np.random.default_rng(3))
    t = table_of(sc, grid=5, deadline=30)
    for protocol in PROTOCOLS.names():
        agents = ["zeuthen", "zeuthen"] if protocol == "concession" else ["boulware", "tit_for_tat"]
        out = run(t, protocol, agents)
        again = neg.replay(PROTOCOLS.make(protocol), t, out.transcript)
        assert again.agreed[0] == out.agreed[0]
        assert again.round[0] == out.round[0]
        np.testing.assert_array_equal(again.package, out.package)
        records = out.transcript.records(t)
        assert again.transcript.records(t) == records
        loaded = neg.transcript_from_records(records, t)
        third = neg.replay(PROTOCOLS.make(protocol), t, loaded)
        np.testing.assert_array_equal(third.package, out.package)


def test_concession_refuses_a_step_back():
    t = table_of(one_issue(), deadline=3)
    a = scripted((Move.OFFER, 2), (Move.OFFER, 1), (Move.OFFER, 1), (Move.OFFER, 2))
    b = scripted((Move.OFFER, 9), (Move.OFFER, 8), (Move.OFFER, 7))
    out = PROTOCOLS.make("concession").run(t, (a, b))
    step = out.transcript.steps[2]  # A's round-1 answer moves away from B
    assert "at least as much to every other party" in step.refused[0]
    assert step.offer[0, 0] == 2  # counted as standing still
    # B conceded in rounds 1 and 2 (9 -> 8 -> 7), A stood still: the deadline ends it
    assert out.ended[0] == Ending.DEADLINE
    assert not out.agreed[0]
    # a round in which nobody concedes ends the talks
    a = scripted((Move.OFFER, 2), (Move.OFFER, 2))
    b = scripted((Move.OFFER, 9), (Move.OFFER, 9))
    out = PROTOCOLS.make("concession").run(t, (a, b))
    assert out.ended[0] == Ending.NO_CONCESSION
    assert out.round[0] == 1


def test_stacked_quorum_and_veto():
    sc = scenario(
        [("A", "x", 0.0, 1.0), ("B", "x", 50.0, 1.0), ("C", "x", 100.0, 1.0)],
        actors=[Actor("A", "A", 1.0, veto=True), Actor("B", "B", 1.0), Actor("C", "C", 1.0)],
        issues=[Issue("x", "x")],
    )
    space = build_space(sc.arrays(), grid=11)
    # A required, half of {B, C}: A's offer accepted by B is enough, C never agrees
    t = neg.make_table(space, parties=["A", "B", "C"], quorum=0.5, deadline=3)
    a = scripted((Move.OFFER, 4))
    b = scripted((Move.ACCEPT, 0))
    c = scripted()
    out = PROTOCOLS.make("stacked").run(t, (a, b, c))
    assert out.agreed[0]
    assert out.package[0, 0] == 4
    assert out.round[0] == 0
    # with quorum 1, C's walking away (not a veto player) leaves B and C short: no deal
    t = neg.make_table(space, parties=["A", "B", "C"], quorum=1.0, deadline=3)
    a = scripted((Move.OFFER, 4))
    b = scripted((Move.ACCEPT, 0))
    c = scripted((Move.WALK_AWAY, 0))
    out = PROTOCOLS.make("stacked").run(t, (a, b, c))
    assert not out.agreed[0]
    assert out.ended[0] == Ending.WALK_AWAY


def test_mediator_first_draft_and_weighted_median():
    assert weighted_median(np.array([[0, 6, 9]]), np.array([[1.0, 1.0, 1.5]]))[0] == 6
    assert weighted_median(np.array([[0, 6, 9]]), np.array([[1.0, 1.0, 2.5]]))[0] == 9
    sc = scenario(
        [("A", "x", 0.0, 1.0), ("B", "x", 60.0, 1.0), ("C", "x", 90.0, 1.0)],
        actors=[Actor("A", "A", 1.0), Actor("B", "B", 1.0), Actor("C", "C", 1.5)],
        issues=[Issue("x", "x")],
    )
    t = table_of(sc, parties=("A", "B", "C"))
    assert t.space.levels[0][first_draft(t)[0]] == 60.0


def test_mediator_agrees_when_everyone_accepts_the_text():
    sc = one_issue()
    t = table_of(sc, deadline=30)
    out = run(t, "mediator", ["linear", "linear"])
    # the draft meets in the middle (50) and objections 0 and 100 keep it there; a
    # linear agent's target 1 - r/29 reaches u(50) = 0.5 in round 15 (r = 14 gives 0.517)
    assert out.agreed[0]
    assert out.round[0] == 15
    assert value(t, out) == 50.0


def test_batch_of_draws_equals_each_draw_alone():
    from zopa.uncertainty import sample_positions

    rng = np.random.default_rng(5)
    sc = random_toy(rng)
    sc = Scenario(
        sc.title,
        sc.actors,
        sc.issues,
        tuple(
            Stance(
                s.actor,
                s.issue,
                s.position,
                s.salience,
                range=(max(0, s.position - 20), min(100, s.position + 20)),
            )
            for s in sc.stances
        ),
    )
    space = build_space(sc.arrays(), grid=5)
    draws = sample_positions(sc.arrays(), 4, np.random.default_rng(1))
    for protocol, agents in [
        ("alternating", ["boulware", "tit_for_tat"]),
        ("concession", ["zeuthen", "zeuthen"]),
        ("mediator", ["conceder", "nash_seeker"]),
        ("stacked", ["linear", "hard_liner"]),
    ]:
        t = neg.make_table(space, parties=["A", "B"], draws=draws, deadline=20)
        out = run(t, protocol, agents)
        for d in range(4):
            one = neg.make_table(space, parties=["A", "B"], draws=draws.draw(d), deadline=20)
            single = run(one, protocol, agents)
            assert single.agreed[0] == out.agreed[d]
            assert single.round[0] == out.round[d]
            np.testing.assert_array_equal(single.package[0], out.package[d])


def test_registry_checks_parameters():
    with pytest.raises(neg.RegistryError, match="no parameter 'speed'"):
        AGENTS.make("boulware", speed=1)
    with pytest.raises(neg.RegistryError, match="expected a number"):
        AGENTS.make("boulware", beta="fast")
    with pytest.raises(neg.RegistryError, match="beta must be positive"):
        AGENTS.make("boulware", beta=0)
    assert AGENTS.parameters("conceder")["beta"] == (20.0, "float")
    assert NO_PACKAGE == -1


class Learner:
    """Offers off the grid first, then reads the refusal and offers a valid package."""

    def __init__(self):
        self.feedback = []

    def act(self, turn):
        self.feedback.append(turn.feedback)
        level = 99 if turn.feedback is None else 2
        return Actions(np.array([Move.OFFER], np.int8), np.array([[level]], np.intp), ("hello",))


def test_a_corrected_answer_counts_after_the_reprompt():
    t = table_of(one_issue(), deadline=1)
    learner = Learner()
    out = PROTOCOLS.make("alternating").run(t, (learner, scripted((Move.ACCEPT, 0))))
    assert learner.feedback[0] is None
    assert learner.feedback[1] == ("the offer names a level that does not exist on some issue",)
    step = out.transcript.steps[0]
    assert step.move[0] == Move.OFFER
    assert step.offer[0, 0] == 2
    assert len(step.answers) == 2
    assert out.agreed[0]
    assert out.package[0, 0] == 2
    (record, _) = out.transcript.records(t)
    assert record["message"] == "hello"
    assert record["refused"].startswith("the offer names a level")
    assert record["answers"][0]["offer"] == [99]


def test_mediator_with_a_quorum_and_an_outsider():
    # B and C are not required; A is. With quorum 1/2, A and one of B, C suffice.
    sc = scenario(
        [
            ("A", "x", 50.0, 1.0),
            ("B", "x", 40.0, 1.0),
            ("C", "x", 100.0, 1.0),
            ("D", "x", 0.0, 1.0),
        ],
        actors=[Actor("A", "A", 1.0, veto=True), *(Actor(c, c, 1.0) for c in "BCD")],
        issues=[Issue("x", "x")],
    )
    space = build_space(sc.arrays(), grid=11)
    t = neg.make_table(space, parties=["A", "B", "C"], quorum=0.5, deadline=10)
    out = run(t, "mediator", ["nash_seeker", "nash_seeker", "hard_liner"])
    assert out.agreed[0]
    settled = neg.settle(t, out)
    # D is not at the table, but its utility of the agreed text is reported
    assert settled.utility.shape == (1, 4)
    assert settled.utility[0, 3] == pytest.approx(1 - value(t, out) / 100)
