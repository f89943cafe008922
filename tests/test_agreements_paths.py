"""The exact enumeration path and the MILP path agree wherever both can run."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zopa.agreements import analyse_deals, build_space
from zopa.agreements.analysis import analyse_space
from zopa.scenario import Actor, Issue, Scenario, Stance


@st.composite
def scenarios(draw):
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n_a = int(rng.integers(2, 5))
    n_i = int(rng.integers(1, 5))
    actors = tuple(
        Actor(f"a{k}", f"a{k}", float(rng.uniform(0.5, 3)), veto=bool(k < 2 or rng.random() < 0.5))
        for k in range(n_a)
    )
    issues = tuple(
        Issue(
            f"i{k}", f"i{k}", status_quo=None if rng.random() < 0.3 else float(rng.uniform(0, 100))
        )
        for k in range(n_i)
    )
    stances = []
    for a in range(n_a):
        for i in range(n_i):
            if rng.random() < 0.9:
                pos = float(rng.uniform(0, 100))
                red = None
                if rng.random() < 0.35:
                    red = float(np.clip(pos + rng.choice([-1, 1]) * rng.uniform(10, 70), 0, 100))
                stances.append(
                    Stance(f"a{a}", f"i{i}", pos, float(rng.uniform(0.05, 1)), red_line=red)
                )
    return Scenario("random", actors, issues, tuple(stances))


def brute_ideal(space):
    every = np.array(list(itertools.product(*(range(n) for n in space.n_levels))))
    feasible = every[space.feasible(every)]
    gains = space.utilities(feasible)[:, space.party_index] - space.sq_utility[space.party_index]
    return gains.max(axis=0)


def nash_value(space, sol, parties):
    gains = np.array([sol.gains[a] for a in parties])
    w = np.array([space.capability[space.actor_ids.index(a)] for a in parties])
    keep = gains > 1e-9
    return float(np.sum(w[keep] * np.log(gains[keep])))


@given(scenarios(), st.sampled_from(["linear", "quadratic"]))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_enumeration_and_milp_agree(scen, loss):
    space = build_space(scen.arrays(), grid=6, loss=loss)
    exact = analyse_space(space, method="enumeration")
    opt = analyse_space(space, method="milp")
    assert exact.method == "enumeration"
    assert opt.method == "milp"
    assert exact.zopa.empty == opt.zopa.empty
    assert exact.zopa.ranges == opt.zopa.ranges
    if not exact.zopa.empty:
        # these spaces are small: the MILP path counts the zone exactly (no sampling)
        assert opt.zopa.size_exact
        assert opt.zopa.size == exact.zopa.size
    parties = exact.parties
    for concept in ("nash", "kalai_smorodinsky", "maximin", "utilitarian"):
        e, m = exact.solutions[concept], opt.solutions[concept]
        assert (e.package is None) == (m.package is None), concept
        if e.package is None:
            continue
        ge = np.array([e.gains[a] for a in parties])
        gm = np.array([m.gains[a] for a in parties])
        if concept == "utilitarian":
            assert ge.sum() == pytest.approx(gm.sum(), abs=1e-9)
        elif concept == "maximin":
            assert ge.min() == pytest.approx(gm.min(), abs=1e-9)
            assert ge.sum() == pytest.approx(gm.sum(), abs=1e-7)
        elif concept == "nash":
            assert nash_value(space, e, parties) == pytest.approx(
                nash_value(space, m, parties), abs=1e-7
            )
        else:
            ideal = brute_ideal(space)
            active = ideal > 1e-9
            re, rm = ge[active] / ideal[active], gm[active] / ideal[active]
            assert re.min() == pytest.approx(rm.min(), abs=1e-9)
            assert re.sum() == pytest.approx(rm.sum(), abs=1e-7)
    assert set(exact.conflicts) == set(opt.conflicts)
    e_cost = {r.scope: r.cost for r in exact.relaxations}
    m_cost = {r.scope: r.cost for r in opt.relaxations}
    assert e_cost.keys() == m_cost.keys()
    for k in e_cost:
        assert e_cost[k] == pytest.approx(m_cost[k], abs=1e-7)


def test_kalai_smorodinsky_agrees_on_a_fixed_case():
    scen = Scenario(
        "ks",
        (
            Actor("A", "A", 1.0, veto=True),
            Actor("B", "B", 2.0, veto=True),
            Actor("C", "C", 1.0, veto=True),
        ),
        (Issue("x", "x", status_quo=50.0), Issue("y", "y", status_quo=20.0), Issue("z", "z")),
        (
            Stance("A", "x", 0.0, 0.6),
            Stance("A", "y", 90.0, 0.3),
            Stance("A", "z", 10.0, 0.1),
            Stance("B", "x", 100.0, 0.2),
            Stance("B", "y", 10.0, 0.7),
            Stance("B", "z", 80.0, 0.4),
            Stance("C", "x", 40.0, 0.5),
            Stance("C", "y", 60.0, 0.5),
            Stance("C", "z", 50.0, 0.9),
        ),
    )
    exact = analyse_deals(scen, grid=11, method="enumeration")
    opt = analyse_deals(scen, grid=11, method="milp")
    for concept in ("nash", "kalai_smorodinsky", "maximin", "utilitarian"):
        assert exact.solutions[concept].package == opt.solutions[concept].package, concept


def test_the_path_is_chosen_by_size_and_a_refusal_names_no_command_line_option(monkeypatch):
    from zopa.agreements import backend

    scenario = Scenario(
        "two issues",
        (Actor("a", "A", 1.0), Actor("b", "B", 1.0)),
        (Issue("x", "X"), Issue("y", "Y")),
        (Stance("a", "x", 0.0, 1.0), Stance("b", "x", 100.0, 1.0), Stance("a", "y", 50.0, 1.0)),
    )
    space = build_space(scenario.arrays(), grid=11)
    assert space.size == 121
    assert backend.make_backend(space).method == "enumeration"
    monkeypatch.setattr(backend, "MAX_ENUMERATION", 100)
    assert backend.make_backend(space).method == "milp"
    with pytest.raises(ValueError, match="enumeration") as refused:
        backend.make_backend(space, "enumeration")
    assert str(refused.value) == (
        "the package space has 121 packages, more than the 1e+02 that exact enumeration "
        "visits; use the MILP method"
    )
