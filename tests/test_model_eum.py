"""Known answers for the expected-utility model (Scholz, Calbert & Smith 2011).

Three kinds of evidence:
- a one-round, three-actor game computed by hand (votes, probabilities, risk exponents,
  expected utilities, offers) in the comments of ``test_hand_computed_round``;
- an independent, deliberately naive implementation (plain Python loops over voters and
  pairs, written straight from the formulas) compared with the vectorised one on random
  games, for every documented variant;
- the worked example of Scholz et al. (2011): ten EC member states and the date of
  emission standards for medium-sized cars (Bueno de Mesquita 1994, Table 1).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.arrays import ScenarioArrays
from zopa.models.expected_utility import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    NONE,
    ExpectedUtilityModel,
    contest_probabilities,
    eum_round,
)
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

# ---------------------------------------------------------------------------------------
# hand-computed round
# ---------------------------------------------------------------------------------------


def _three_actor_game() -> dict[str, np.ndarray]:
    # A at 0 (c=2, s=0.5), B at 50 (c=1, s=1), C at 100 (c=1, s=0.5), scale 0..100.
    return {
        "position": np.array([[0.0, 50.0, 100.0]]),
        "salience": np.array([[0.5, 1.0, 0.5]]),
        "capability": np.array([[2.0, 1.0, 1.0]]),
        "active": np.ones((1, 3), dtype=bool),
        "low": np.array([0.0]),
        "width": np.array([100.0]),
        "distance_range": np.array([100.0]),
    }


def test_hand_computed_round() -> None:
    # Vote weights w = c*s: A 1, B 1, C 0.5. Normalised distances d_AB = d_BC = 0.5, d_AC = 1.
    # Votes v_k = 2 w_k (|x_k - x_j| - |x_k - x_i|) / 100; the factor 2/100 cancels in P.
    #   A vs B: voter A +50*1 for A; voter B 50*1 for B; voter C 50*0.5 for B
    #           -> P_AB = 50 / 125 = 0.4, P_BA = 0.6
    #   A vs C: voter A 100*1 for A; voter B indifferent; voter C 100*0.5 for C
    #           -> P_AC = 100 / 150 = 2/3, P_CA = 1/3
    #   B vs C: voter A 50*1 for B; voter B 50*1 for B; voter C 50*0.5 for C
    #           -> P_BC = 100 / 125 = 0.8, P_CB = 0.2
    p_ab, p_ac, p_bc = 0.4, 2 / 3, 0.8
    # Risk, all r = 1: U_s = 2d, U_f = -2d, U_sq = 0, so E(U_jk) = 2 d_jk [1 - 2 s_k (1 - P_jk)].
    #   exposure S_A = E_BA + E_CA = 1*(1 - 2*.5*.4) + 2*(1 - 2*.5*(1/3)) = 0.6 + 2/3 = 19/15
    #   S_B = E_AB + E_CB = 1*(1 - 2*1*.6) + 1*(1 - 2*1*.8) = -0.2 - 0.6 = -12/15
    #   S_C = E_AC + E_BC = 2*(1 - 2*.5*(1/3)) + 1*(1 - 2*.5*.2) = 4/3 + 0.8 = 32/15
    #   R_A = (38 - 32 + 12) / 44 = 9/22, R_B = -1, R_C = 1
    #   r = (1 - R/3) / (1 + R/3): r_A = 19/25, r_B = 2, r_C = 1/2
    r_a, r_b, r_c = 19 / 25, 2.0, 0.5
    res = eum_round(**_three_actor_game())

    expected_p = np.array([[0.0, p_ab, p_ac], [1 - p_ab, 0.0, p_bc], [1 - p_ac, 1 - p_bc, 0.0]])
    np.testing.assert_allclose(res.probability[0], expected_p, atol=1e-12)
    np.testing.assert_allclose(res.risk_exponent[0], [r_a, r_b, r_c], atol=1e-12)

    def us(d: float, r: float) -> float:
        return 2 - 4 * (0.5 - 0.5 * d) ** r

    def uf(d: float, r: float) -> float:
        return 2 - 4 * (0.5 + 0.5 * d) ** r

    def usq(r: float) -> float:
        return 2 - 4 * 0.5**r

    # E^i(U_ij) = s_j [P_ij U_s + (1 - P_ij) U_f] + (1 - s_j) U_s - U_sq, all with r_i.
    # B (r = 2): U_s(.5) = 1.75, U_f(.5) = -0.25, U_sq = 1
    #   E^B(U_BA) = .5(.6*1.75 - .4*.25) + .5*1.75 - 1 = 0.35
    #   E^B(U_AB) = .4*1.75 - .6*.25 - 1 = -0.45
    #   E^B(U_BC) = .5(.8*1.75 - .2*.25) + .5*1.75 - 1 = 0.55
    #   E^B(U_CB) = .2*1.75 - .8*.25 - 1 = -0.85
    #   -> nobody expects to gain by challenging B: B receives no offer and stays at 50.
    eu_ba, eu_ab_by_b = 0.35, -0.45
    eu_bc, eu_cb_by_b = 0.55, -0.85
    # A (r = 0.76): .5^.76 = .590496, .25^.76 = .348686, .75^.76 = .803612, so
    #   U_s(.5) = 2 - 4*.348686 = .605256, U_f(.5) = 2 - 4*.803612 = -1.214449,
    #   U_sq = 2 - 4*.590496 = -.361985.
    #   versus B (d = .5):
    #   E^A(U_AB) = 1*(.4*.605256 - .6*1.214449) + .361985 = -0.124582 (A would lose)
    #   E^A(U_BA) = .5(.6*.605256 - .4*1.214449) + .5*.605256 + .361985 = 0.603301
    #   a < 0 < b and |a| < b: compromise, A moves to 0 + 50 * .124582 / .603301 = 10.325
    #   versus C (d = 1, U_s = 2, U_f = -2):
    #   E^A(U_AC) = .5(4/3 - 2/3) + 1 + .361985 = 1.695319 > E^A(U_CA) = 1.028652 > 0
    #   A expects to win: no offer from C.
    eu_ab = 1.0 * (p_ab * us(0.5, r_a) + (1 - p_ab) * uf(0.5, r_a)) - usq(r_a)
    eu_ba_by_a = (
        0.5 * ((1 - p_ab) * us(0.5, r_a) + p_ab * uf(0.5, r_a)) + 0.5 * us(0.5, r_a) - usq(r_a)
    )
    eu_ac = 0.5 * (p_ac * 2 + (1 - p_ac) * -2) + 0.5 * 2 - usq(r_a)
    eu_ca_by_a = 0.5 * ((1 - p_ac) * 2 + p_ac * -2) + 0.5 * 2 - usq(r_a)
    assert eu_ab == pytest.approx(-0.124582, abs=1e-5)
    assert eu_ba_by_a == pytest.approx(0.603301, abs=1e-5)
    # C (r = 0.5): U_s(.5) = 0, U_f(.5) = 2 - 4 sqrt(.75) = -1.464102,
    #   U_sq = 2 - 4 sqrt(.5) = -.828427
    #   versus B: E^C(U_CB) = 1*(.8*-1.464102) + .828427 = -0.342854
    #             E^C(U_BC) = .5(.2*-1.464102) + .5*0 + .828427 = 0.682017
    #             -> compromise: C moves to 100 - 50 * .342854 / .682017 = 74.865
    #   versus A (d = 1): E^C(U_CA) = .5(2/3 - 4/3) + 1 + .828427 = 1.495094
    #             E^C(U_AC) = .5(4/3 - 2/3) + 1 + .828427 = 2.161760 > 1.495094 > 0
    #             -> confrontation C expects to lose: C would move to 0
    #   nearest offer: the compromise with B (25.1 away, against 100).
    eu_cb = 1.0 * ((1 - p_bc) * us(0.5, r_c) + p_bc * uf(0.5, r_c)) - usq(r_c)
    eu_bc_by_c = (
        0.5 * (p_bc * us(0.5, r_c) + (1 - p_bc) * uf(0.5, r_c)) + 0.5 * us(0.5, r_c) - usq(r_c)
    )
    eu_ca = 0.5 * ((1 - p_ac) * 2 + p_ac * -2) + 0.5 * 2 - usq(r_c)
    eu_ac_by_c = 0.5 * (p_ac * 2 + (1 - p_ac) * -2) + 0.5 * 2 - usq(r_c)
    assert eu_cb == pytest.approx(-0.342854, abs=1e-5)
    assert eu_bc_by_c == pytest.approx(0.682017, abs=1e-5)

    own = res.eu_own[0]
    perceived = res.eu_perceived[0]
    a_, b_, c_ = 0, 1, 2
    assert own[b_, a_] == pytest.approx(eu_ba)
    assert perceived[b_, a_] == pytest.approx(eu_ab_by_b)
    assert own[b_, c_] == pytest.approx(eu_bc)
    assert perceived[b_, c_] == pytest.approx(eu_cb_by_b)
    assert own[a_, b_] == pytest.approx(eu_ab)
    assert perceived[a_, b_] == pytest.approx(eu_ba_by_a)
    assert own[a_, c_] == pytest.approx(eu_ac)
    assert perceived[a_, c_] == pytest.approx(eu_ca_by_a)
    assert own[c_, b_] == pytest.approx(eu_cb)
    assert perceived[c_, b_] == pytest.approx(eu_bc_by_c)
    assert own[c_, a_] == pytest.approx(eu_ca)
    assert perceived[c_, a_] == pytest.approx(eu_ac_by_c)

    kinds = res.offer_kind[0]
    assert kinds[a_, b_] == COMPROMISE
    assert kinds[a_, c_] == NONE
    assert kinds[b_, a_] == NONE
    assert kinds[b_, c_] == NONE
    assert kinds[c_, b_] == COMPROMISE
    assert kinds[c_, a_] == CONFRONTATION

    new_a = 50 * abs(eu_ab) / eu_ba_by_a
    new_c = 100 - 50 * abs(eu_cb) / eu_bc_by_c
    np.testing.assert_allclose(res.new_position[0], [new_a, 50.0, new_c], rtol=1e-12)
    assert res.new_position[0, 0] == pytest.approx(10.325, abs=1e-3)
    assert res.new_position[0, 2] == pytest.approx(74.865, abs=1e-3)
    assert list(res.kind[0]) == [COMPROMISE, NONE, COMPROMISE]
    assert list(res.proposer[0]) == [b_, -1, b_]

    # Preferring confrontations (the order of the port of the authors' code) sends C to A.
    typed = eum_round(**_three_actor_game(), offer_choice="type")
    np.testing.assert_allclose(typed.new_position[0], [new_a, 50.0, 0.0], rtol=1e-12)
    assert list(typed.proposer[0]) == [b_, -1, a_]


def test_model_round_matches_hand_computation() -> None:
    actors = (Actor("A", "A", 2.0), Actor("B", "B", 1.0), Actor("C", "C", 1.0))
    issue = Issue("i", "i", Scale(0, 100))
    stances = (
        Stance("A", "i", 0.0, 0.5),
        Stance("B", "i", 50.0, 1.0),
        Stance("C", "i", 100.0, 0.5),
    )
    view = Scenario("three", actors, (issue,), stances).arrays()
    fc = ExpectedUtilityModel(max_rounds=1).forecast(view)
    hand = eum_round(**_three_actor_game())
    assert fc.trajectory is not None
    assert fc.trajectory.shape == (1, 2, 3, 1)
    np.testing.assert_allclose(fc.trajectory[0, 1, :, 0], hand.new_position[0])
    assert list(fc.diagnostics["proposer"][0, 0, :, 0]) == [1, -1, 1]
    assert list(fc.diagnostics["kind"][0, 0, :, 0]) == [COMPROMISE, NONE, COMPROMISE]
    np.testing.assert_allclose(
        fc.diagnostics["move"][0, 0, :, 0], hand.new_position[0] - [0.0, 50.0, 100.0]
    )
    # forecast: weighted median of (10.325 w 1, 50 w 1, 74.865 w .5) -> 50
    assert fc.outcome[0, 0] == pytest.approx(50.0)


# ---------------------------------------------------------------------------------------
# independent naive implementation
# ---------------------------------------------------------------------------------------


def _naive_round(
    x: list[float],
    s: list[float],
    c: list[float],
    rng_: float,
    *,
    probability: str,
    risk: str,
    offer_choice: str,
    q: float,
    t: float,
    chosen: list[tuple[int, int]] | None = None,
    width: float | None = None,
) -> tuple[list[list[float]], list[float], list[float]]:
    """Probabilities, risk exponents and new positions; ``chosen`` gets (kind, proposer).

    Actors less than 1e-12 of the scale ``width`` (default ``rng_``) apart do not
    contest each other, and offers that close count as equally near.
    """
    n = len(x)
    width = rng_ if width is None else width

    def same(i: int, j: int) -> bool:
        return abs(x[i] - x[j]) <= 1e-12 * width

    def u(k: int, pos: float) -> float:
        return 1 - 2 * abs(x[k] - pos) / rng_

    def votes(i: int, j: int) -> list[float]:
        return [c[k] * s[k] * (u(k, x[i]) - u(k, x[j])) for k in range(n)]

    total_all = sum(abs(v) for i in range(n) for j in range(n) for v in votes(i, j))

    def prob(i: int, j: int) -> float:
        if x[i] == x[j]:
            return 0.0
        vs = votes(i, j)
        den = sum(abs(v) for v in vs) if probability == "pairwise" else total_all
        return sum(v for v in vs if v > 0) / den if den > 0 else 0.0

    w = sorted(range(n), key=lambda k: x[k])
    cum = 0.0
    total = sum(c[k] * s[k] for k in range(n))
    mu = x[w[-1]]
    for k in w:
        cum += c[k] * s[k]
        if cum >= total / 2 - 1e-12 * max(total, 1):
            mu = x[k]
            if abs(cum - total / 2) <= 1e-12 * max(total, 1):
                nxt = [m for m in w if x[m] > x[k] and c[m] * s[m] > 0]
                if nxt:
                    mu = (x[k] + x[nxt[0]]) / 2
            break

    def util(base: float, r: float) -> float:
        return 2 - 4 * min(max(base, 0.0), 1.0) ** r

    def eu(i: int, j: int, r: float) -> float:
        """E(U_ij) evaluated with exponent r."""
        if same(i, j):
            return 0.0
        d = min(abs(x[i] - x[j]) / rng_, 1.0)
        p = prob(i, j)
        us, uf = util(0.5 - 0.5 * d, r), util(0.5 + 0.5 * d, r)
        val = s[j] * (p * us + (1 - p) * uf) + (1 - s[j]) * us - q * util(0.5, r)
        if q < 1:
            e = min(abs(x[i] - mu) / rng_, 1.0) + d
            val -= (1 - q) * (t * util(0.5 - 0.25 * e, r) + (1 - t) * util(0.5 + 0.25 * e, r))
        return val

    if risk == "scholz":
        expo = [sum(eu(j, k, 1.0) for j in range(n) if j != k) for k in range(n)]
        hi, lo = max(expo), min(expo)
        rs = []
        for k in range(n):
            big = (2 * expo[k] - hi - lo) / (hi - lo) if hi > lo else 0.0
            rs.append((1 - big / 3) / (1 + big / 3))
    else:
        rs = [1.0] * n

    probs = [[prob(i, j) for j in range(n)] for i in range(n)]
    new = list(x)
    for i in range(n):
        offers = []  # (kind, b, position, proposer)
        for j in range(n):
            if same(i, j):
                continue
            a, b = eu(i, j, rs[i]), eu(j, i, rs[i])
            if a > 0 and b > a:
                offers.append((CONFRONTATION, b, x[j], j))
            elif a < 0 < b and b > -a:
                offers.append((COMPROMISE, b, x[i] + (x[j] - x[i]) * abs(a) / b, j))
            elif a < 0 < b:
                offers.append((CAPITULATION, b, x[j], j))
        if not offers:
            if chosen is not None:
                chosen.append((NONE, -1))
            continue
        if offer_choice == "type":
            best = min(o[0] for o in offers)
            offers = [o for o in offers if o[0] == best]
        elif offer_choice == "strongest":
            top = max(o[1] for o in offers)
            offers = [o for o in offers if o[1] >= top]
        least = min(abs(o[2] - x[i]) for o in offers)
        offers = [o for o in offers if abs(o[2] - x[i]) <= least + 1e-12 * width]
        top = max(o[1] for o in offers)
        offers = [o for o in offers if o[1] >= top]
        # the lowest position; among proposers there, the lowest, then the first listed
        kind, _, new[i], proposer = min(offers, key=lambda o: (o[2], x[o[3]], o[3]))
        if chosen is not None:
            chosen.append((kind, proposer))
    return probs, rs, new


@pytest.mark.parametrize("probability", ["pairwise", "global"])
@pytest.mark.parametrize("risk", ["scholz", "neutral"])
@pytest.mark.parametrize("offer_choice", ["nearest", "type", "strongest"])
@pytest.mark.parametrize("q", [1.0, 0.5])
def test_matches_naive_implementation(
    probability: str, risk: str, offer_choice: str, q: float
) -> None:
    rng = np.random.default_rng(7)
    n_games, n_act = 12, 6
    x = rng.choice(np.linspace(0, 100, 11), size=(n_games, n_act))  # ties on purpose
    x[:4] = rng.uniform(0, 100, size=(4, n_act))
    s = rng.uniform(0.05, 1, size=(n_games, n_act))
    c = rng.uniform(0.1, 3, size=(n_games, n_act))
    rng_ = np.full(n_games, 100.0)
    res = eum_round(
        x,
        s,
        c,
        np.ones_like(x, dtype=bool),
        np.zeros(n_games),
        rng_,
        rng_,
        probability=probability,  # type: ignore[arg-type]
        risk=risk,  # type: ignore[arg-type]
        offer_choice=offer_choice,  # type: ignore[arg-type]
        q=q,
        t=0.7,
    )
    for g in range(n_games):
        probs, rs, new = _naive_round(
            list(x[g]),
            list(s[g]),
            list(c[g]),
            100.0,
            probability=probability,
            risk=risk,
            offer_choice=offer_choice,
            q=q,
            t=0.7,
        )
        np.testing.assert_allclose(res.probability[g], probs, atol=1e-12)
        np.testing.assert_allclose(res.risk_exponent[g], rs, atol=1e-9)
        np.testing.assert_allclose(res.new_position[g], new, atol=1e-9)


def _direct_probabilities(x: np.ndarray, w: np.ndarray, rule: str) -> np.ndarray:
    """The textbook O(A^3) sum over voters k of ``w_k (|x_k - x_j| - |x_k - x_i|)``."""
    dist = np.abs(x[:, :, None] - x[:, None, :])  # (n, k, i)
    delta = dist[:, :, None, :] - dist[:, :, :, None]  # (n, k, i, j): d_kj - d_ki
    wk = w[:, :, None, None]
    support = (wk * np.maximum(delta, 0.0)).sum(axis=1)
    votes = (wk * np.abs(delta)).sum(axis=1)
    if rule == "global":
        votes = np.broadcast_to(votes.sum(axis=(-2, -1), keepdims=True), votes.shape)
    contested = (x[:, :, None] != x[:, None, :]) & (votes > 0)
    return np.divide(support, votes, out=np.zeros_like(support), where=contested)


@pytest.mark.parametrize("rule", ["pairwise", "global"])
def test_sorted_and_direct_probabilities_agree(rule: str) -> None:
    rng = np.random.default_rng(5)
    x = rng.choice(np.linspace(0, 10, 6), size=(40, 8))  # many ties and midpoints
    x[:10] = rng.uniform(0, 10, size=(10, 8))
    w = rng.uniform(0, 2, size=(40, 8))
    w[:, 0] = 0.0
    direct = _direct_probabilities(x / 10.0, w, rule)
    fast = contest_probabilities(x, w, np.zeros(40), np.full(40, 10.0), rule)  # type: ignore[arg-type]
    np.testing.assert_allclose(fast, direct, atol=1e-12)


def test_probability_is_complementary_and_order_free() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, size=(5, 9))
    w = rng.uniform(0, 2, size=(5, 9))
    p = contest_probabilities(x, w, np.zeros(5), np.full(5, 10.0))
    np.testing.assert_allclose(
        p + np.swapaxes(p, -1, -2), np.broadcast_to(1 - np.eye(9), p.shape), atol=1e-12
    )
    perm = rng.permutation(9)
    p2 = contest_probabilities(x[:, perm], w[:, perm], np.zeros(5), np.full(5, 10.0))
    np.testing.assert_allclose(p2, p[:, perm][:, :, perm], atol=1e-12)


# ---------------------------------------------------------------------------------------
# Scholz et al. (2011) worked example: BDM (1994) Table 1
# ---------------------------------------------------------------------------------------

# Date (years) by which emission standards for medium-sized cars should apply, as
# reprinted in Scholz, Calbert & Smith (2011, Table 1) from Bueno de Mesquita (1994,
# p. 78): (actor, capability, position, salience); salience given there on 0-100.
EC_TABLE_1 = (
    ("Netherlands", 0.08, 4, 80),
    ("Belgium", 0.08, 7, 40),
    ("Luxembourg", 0.03, 4, 20),
    ("Germany", 0.16, 4, 80),
    ("France", 0.16, 10, 60),
    ("Italy", 0.16, 10, 60),
    ("UK", 0.16, 10, 90),
    ("Ireland", 0.05, 7, 10),
    ("Denmark", 0.05, 4, 100),
    ("Greece", 0.08, 7, 70),
)


def _ec_scenario() -> Scenario:
    actors = tuple(Actor(a, a, c) for a, c, _, _ in EC_TABLE_1)
    issue = Issue("date", "emission standards date", Scale(4, 10))
    stances = tuple(Stance(a, "date", float(x), s / 100) for a, _, x, s in EC_TABLE_1)
    return Scenario("EC emission standards", actors, (issue,), stances)


def test_ec_example_initial_mean_and_median() -> None:
    # Sum c s = .064+.032+.006+.128+.096+.096+.144+.005+.05+.056 = .677
    # Sum c s x = .256+.224+.024+.512+.96+.96+1.44+.035+.2+.392 = 5.003 -> mean 7.38996
    # Cumulative weight sorted by position: 4 -> .248 (< .3385), 7 -> .341 (>= .3385)
    # -> weighted median 7. Both figures are those printed at round 0 by the public port.
    view = _ec_scenario().arrays()
    fc = ExpectedUtilityModel(max_rounds=0).forecast(view)
    assert fc.diagnostics["mean"][0, 0] == pytest.approx(5.003 / 0.677)
    assert fc.diagnostics["mean"][0, 0] == pytest.approx(7.389955686853767, abs=1e-12)
    assert fc.outcome[0, 0] == 7.0


def test_ec_example_runs_match_naive_rounds() -> None:
    # Scholz et al. report the dynamics in figures whose values are not tabulated, so the
    # round-by-round path is checked against the independent implementation instead.
    view = _ec_scenario().arrays()
    fc = ExpectedUtilityModel(max_rounds=6).forecast(view)
    assert fc.trajectory is not None
    x = [float(v) for v in view.position[0, :, 0]]
    s = [float(v) for v in view.salience[0, :, 0]]
    c = [float(v) for v in view.capability[0]]
    for r in range(fc.trajectory.shape[1] - 1):
        np.testing.assert_allclose(fc.trajectory[0, r, :, 0], x, atol=1e-9)
        _, _, x = _naive_round(
            x,
            s,
            c,
            6.0,
            probability="pairwise",
            risk="scholz",
            offer_choice="nearest",
            q=1.0,
            t=1.0,
        )
    np.testing.assert_allclose(fc.trajectory[0, -1, :, 0], x, atol=1e-9)
    assert 4.0 <= fc.outcome[0, 0] <= 10.0
    assert math.isfinite(float(fc.diagnostics["mean"][0, 0]))


def test_no_stance_actor_takes_no_part() -> None:
    sc = _ec_scenario()
    extra = Actor("Observer", "Observer", 5.0)
    sc2 = Scenario(sc.title, (*sc.actors, extra), sc.issues, sc.stances)
    f1 = ExpectedUtilityModel().forecast(sc.arrays())
    f2 = ExpectedUtilityModel().forecast(sc2.arrays())
    assert f1.trajectory is not None
    assert f2.trajectory is not None
    np.testing.assert_allclose(f2.trajectory[:, :, :-1], f1.trajectory)
    np.testing.assert_allclose(f2.outcome, f1.outcome)
    assert (f2.diagnostics["proposer"] != 10).all()


def test_invalid_parameters_rejected() -> None:
    with pytest.raises(ValueError, match="probabilities"):
        ExpectedUtilityModel(q=1.5)
    with pytest.raises(ValueError, match="normalise"):
        ExpectedUtilityModel(normalise="width")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="risk"):
        ExpectedUtilityModel(risk="other")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="offer_choice"):
        ExpectedUtilityModel(offer_choice="best")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="probability"):
        ExpectedUtilityModel(probability="local")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------------


@given(
    positions=st.lists(st.integers(0, 20), min_size=2, max_size=7),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=40, deadline=None)
def test_positions_stay_within_the_initial_span(positions: list[int], seed: int) -> None:
    # every offer moves an actor to, or towards, another actor's position: nobody leaves
    # the span of the initial positions, and the forecast lies inside it
    rng = np.random.default_rng(seed)
    n = len(positions)
    x = np.array(positions, dtype=float)[None] * 5.0
    res_x = x.copy()
    for _ in range(5):
        res = eum_round(
            res_x,
            rng.uniform(0.05, 1, size=(1, n)),
            rng.uniform(0.1, 3, size=(1, n)),
            np.ones((1, n), dtype=bool),
            np.zeros(1),
            np.full(1, 100.0),
            np.full(1, 100.0),
        )
        res_x = res.new_position
        assert res_x.min() >= x.min() - 1e-9
        assert res_x.max() <= x.max() + 1e-9
        moved = res.proposer[0] >= 0
        assert np.all(res.kind[0][moved] > 0)
        assert np.all(res.kind[0][~moved] == 0)


def test_probabilities_do_not_depend_on_the_place_in_the_batch() -> None:
    # positions 1e-13 apart on 0..1 must stay distinct in every row of a large batch
    row = np.array([0.2, 0.3, 0.3 + 1e-13, 0.7, 0.9])
    x = np.tile(row, (5000, 1))
    w = np.tile([1.0, 2.0, 0.5, 1.5, 1.0], (5000, 1))
    p = contest_probabilities(x, w, np.zeros(5000), np.ones(5000))
    assert (p == p[:1]).all()


def test_batch_with_non_participants_matches_each_draw_alone() -> None:
    # an observer first (so every other actor's index shifts) and issues with different
    # sets of participants: each draw of the batch (large enough to be run in blocks,
    # over the participants only) equals the same draw run alone (run whole)
    rng = np.random.default_rng(11)
    sc = _ec_scenario()
    issues = (*sc.issues, Issue("b", "b", Scale(0, 10)), Issue("c", "c", Scale(0, 1)))
    stances = list(sc.stances)
    for k, (name, *_rest) in enumerate(EC_TABLE_1):
        if k % 3:
            stances.append(Stance(name, "b", float(rng.uniform(0, 10)), 0.5))
        if k % 2:
            stances.append(Stance(name, "c", float(rng.uniform(0, 1)), float(rng.uniform())))
    actors = (Actor("Observer", "Observer", 5.0), *sc.actors)
    view = Scenario(sc.title, actors, issues, tuple(stances)).arrays()
    pos = view.position + rng.uniform(-0.5, 0.5, (300, *view.position.shape[1:])) * [1, 1, 0.1]
    batch = view.with_draws(position=np.where(view.has_stance, pos, view.position))
    model = ExpectedUtilityModel()
    fc = model.forecast(batch)
    assert fc.trajectory is not None
    assert (fc.diagnostics["proposer"] != 0).all()  # the observer never proposes
    assert (fc.diagnostics["rounds"] > 1).any()
    for k in range(0, batch.n_draws, 10):
        one = model.forecast(view.with_draws(position=batch.position[k : k + 1]))
        assert one.trajectory is not None
        rounds = one.trajectory.shape[1]
        assert (one.trajectory[0] == fc.trajectory[k, :rounds]).all()
        assert (fc.trajectory[k, rounds:] == one.trajectory[0, -1:]).all()
        assert (one.outcome[0] == fc.outcome[k]).all()
        for key in ("proposer", "kind", "risk_exponent"):
            assert (one.diagnostics[key][0] == fc.diagnostics[key][k, : rounds - 1]).all()


def _random_view(seed: int, *, missing: bool) -> ScenarioArrays:
    """Draws of a small scenario: positions on a grid (ties) or not, saliences up to 1."""
    rng = np.random.default_rng(seed)
    actors = tuple(Actor(f"a{k}", f"a{k}", float(rng.uniform(0.2, 3))) for k in range(7))
    issues = tuple(Issue(f"i{k}", f"i{k}", Scale(0, 10 * (k + 1))) for k in range(3))
    stances = tuple(
        Stance(a.id, i.id, 0.0, float(rng.choice([0.0, 0.3, 0.8, 1.0])))
        for a in actors
        for k, i in enumerate(issues)
        if not missing or (rng.random() > 0.3 and a.id != "a0") or k == 0
    )
    view = Scenario("random", actors, issues, stances).arrays()
    width = view.scale_max - view.scale_min
    grid = rng.integers(0, 5, size=(6, *view.position.shape[1:])) / 4 * width
    smooth = rng.uniform(0, 1, size=grid.shape) * width
    position = np.where(np.arange(6)[:, None, None] % 2 == 0, grid, smooth)
    position[0, :, 2] = position[0, 0, 2]  # nobody to contest: stops in round 1
    return view.with_draws(position=position)


@pytest.mark.parametrize(
    ("params", "missing"),
    [
        ({}, True),
        ({"offer_choice": "type", "tol": 1e-2}, True),
        ({"offer_choice": "strongest", "normalise": "scale", "tol": 1e-2}, True),
        ({"probability": "global", "risk": "neutral"}, False),
        ({"q": 0.5, "t": 0.7, "tol": 1e-3}, False),
    ],
)
def test_forecast_rounds_match_naive_rounds(params: dict[str, Any], missing: bool) -> None:
    # The compiled game loop (who plays, when a game stops, how rounds, convergence and
    # accepted offers are recorded, and how stopped games are padded) against the naive
    # round applied to each game's own previous positions. A few rounds only: games
    # that creep on for long reach offers worth 1e-16 (an actor that has been moved to
    # where it is all but indifferent), which rounding decides either way.
    model = ExpectedUtilityModel(max_rounds=5, **params)
    n_stopped = 0
    for seed in range(3):
        view = _random_view(seed, missing=missing)
        fc = model.forecast(view)
        traj = fc.trajectory
        assert traj is not None
        n_rounds = traj.shape[1] - 1
        assert fc.diagnostics["proposer"].shape == (view.n_draws, n_rounds, 7, 3)
        moved_any = np.zeros(n_rounds, dtype=bool)
        for d in range(view.n_draws):
            for i in range(3):
                players = np.flatnonzero(view.has_stance[:, i])
                x0 = view.position[d, players, i]
                width = float(view.scale_max[i] - view.scale_min[i])
                spread = float(x0.max() - x0.min())
                rng_ = width if params.get("normalise") == "scale" or spread == 0 else spread
                played, moved, stopped = 0, 0, False
                while played < model.max_rounds and not stopped:
                    x = traj[d, played, players, i]
                    chosen: list[tuple[int, int]] = []
                    _, rs, new = _naive_round(
                        list(x),
                        list(view.salience[d, players, i]),
                        list(view.capability[d, players]),
                        rng_,
                        probability=model.probability,
                        risk=model.risk,
                        offer_choice=model.offer_choice,
                        q=model.q,
                        t=model.t,
                        chosen=chosen,
                        width=width,
                    )
                    step = played
                    played += 1
                    np.testing.assert_allclose(traj[d, played, players, i], new, atol=1e-9)
                    diag = fc.diagnostics
                    np.testing.assert_allclose(diag["risk_exponent"][d, step, players, i], rs)
                    kinds = [k for k, _ in chosen]
                    proposers = [players[p] if p >= 0 else -1 for _, p in chosen]
                    assert list(diag["kind"][d, step, players, i]) == kinds
                    assert list(diag["proposer"][d, step, players, i]) == proposers
                    shift = np.abs(np.asarray(new) - x)
                    moved_any[step] |= bool(shift.max(initial=0.0) > 0)
                    if shift.max(initial=0.0) > model.tol * width:
                        moved += 1
                    else:
                        stopped = True
                assert fc.diagnostics["rounds"][d, i] == moved
                assert fc.diagnostics["converged"][d, i] == stopped
                n_stopped += stopped
                # after its last round a game repeats its positions and records no offer
                assert (traj[d, played:, :, i] == traj[d, played, :, i]).all()
                assert (fc.diagnostics["proposer"][d, played:, :, i] == -1).all()
                assert (fc.diagnostics["move"][d, played:, :, i] == 0).all()
                others = np.flatnonzero(~view.has_stance[:, i])
                assert (traj[d, :, others, i] == view.position[d, others, i][:, None]).all()
        # rounds are kept up to the last one in which any game moved at all
        assert n_rounds == (np.flatnonzero(moved_any)[-1] + 1 if moved_any.any() else 0)
    assert n_stopped >= 3  # at least the games without a contest


def test_round_skipping_hopeless_challenges_changes_nothing() -> None:
    # Without details, the round skips the expected utilities of challenges that cannot
    # move their target (s_j (1 - P_ij) <= s_i (1 - P_ji) with Q = 1); with details it
    # computes every pair. Both must take the same offers, to the last bit.
    rng = np.random.default_rng(17)
    n, a = 400, 7
    x = rng.choice(np.linspace(0, 1, 5), size=(n, a))  # ties
    x[100:200] = rng.uniform(0, 1, size=(100, a))
    x[200:300] = 0.5 + rng.uniform(0, 1e-7, size=(100, a))  # pairs closer than 1e-6
    x[300:] = rng.uniform(0, 1, size=(100, a))
    s = rng.choice([0.0, 0.2, 0.5, 1.0], size=(n, a))
    c = rng.uniform(0.1, 3, size=(n, a))
    args = (x, s, c, rng.random((n, a)) > 0.1, np.zeros(n), np.ones(n), np.ones(n))
    for choice in ("nearest", "type", "strongest"):
        full = eum_round(*args, offer_choice=choice)  # type: ignore[arg-type]
        fast = eum_round(*args, offer_choice=choice, details=False)  # type: ignore[arg-type]
        assert (fast.new_position == full.new_position).all()
        assert (fast.kind == full.kind).all()
        assert (fast.proposer == full.proposer).all()
        assert (fast.risk_exponent == full.risk_exponent).all()
        assert (full.kind > 0).sum() > n  # offers are taken


def test_untraced_slices_give_the_same_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    """Played a few draws at a time (``trace=False``), the games keep their numbers."""
    from pathlib import Path

    from zopa.io import load_scenario
    from zopa.models import expected_utility

    flagship = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"
    rng = np.random.default_rng(4)
    view = load_scenario(flagship).arrays()
    pos = view.position + rng.uniform(-5, 5, size=(9, *view.position.shape[1:]))
    batch = view.with_draws(position=np.clip(pos, view.scale_min, view.scale_max))
    model = ExpectedUtilityModel()
    whole = model.forecast(batch)
    monkeypatch.setattr(expected_utility, "_SLICE_BYTES", 1)  # one draw a slice
    sliced = model.forecast(batch, trace=False)
    np.testing.assert_array_equal(sliced.outcome, whole.outcome)
    np.testing.assert_array_equal(sliced.diagnostics["rounds"], whole.diagnostics["rounds"])
    np.testing.assert_array_equal(sliced.diagnostics["mean"], whole.diagnostics["mean"])
