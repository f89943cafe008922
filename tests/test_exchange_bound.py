"""The upper bound the exchange kernel starts large rounds with is never below a score.

With the equal-gain rate a large round does not evaluate its candidate exchanges when
it builds them: each starts with ``_score_bound`` and is evaluated only when it comes
among the best. That is exact only if the bound is never below the score the kernel's
own arithmetic gives (``_exchange``), including where the two actors weigh the issues
almost alike and the score is a difference of two nearly equal products.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.models.kernels import exchange as kernel

salience = st.floats(0.001, 1.0)
shift = st.floats(1e-9, 100.0)
weight = st.floats(1e-4, 1.0)


def _bound_and_score(
    su_p: float,
    su_q: float,
    sv_p: float,
    sv_q: float,
    a_max: float,
    b_max: float,
    k_v: float,
    k_u: float,
) -> tuple[float, bool, float]:
    s_p, s_q = su_p + sv_p, su_q + sv_q
    ok, score, _, _ = kernel._exchange(
        a_max, b_max, k_v, k_u, su_p, su_q, sv_p, sv_q, s_p / s_q, False
    )
    # the kernel passes the shares of the pair's first actor, whichever of the two
    # demands: both must bound the score
    bound_u = kernel._score_bound(a_max * s_p, b_max * s_q, su_p / s_p, su_q / s_q)
    bound_v = kernel._score_bound(a_max * s_p, b_max * s_q, sv_p / s_p, sv_q / s_q)
    return min(bound_u, bound_v), ok, score


#: su_p, su_q, sv_p, sv_q, a_max, b_max, k_v, k_u
exchanges = st.tuples(salience, salience, salience, salience, shift, shift, weight, weight)


# no deadline: the first example loads (or compiles) the kernel's functions
@settings(deadline=None)
@given(exchanges)
def test_bound_is_not_below_the_score(args: tuple[float, ...]) -> None:
    bound, ok, score = _bound_and_score(*args)
    if ok:
        assert score <= bound


@settings(deadline=None)
@given(salience, salience, st.floats(-1e-9, 1e-9), shift, shift)
def test_bound_holds_where_the_actors_weigh_the_issues_almost_alike(
    su_p: float, sv_q: float, nudge: float, a_max: float, b_max: float
) -> None:
    # su_p / su_q almost equal to sv_p / sv_q: the score is a difference of two nearly
    # equal products, where rounding is largest against the score itself
    sv_p = su_p * sv_q * (1.0 + nudge)
    su_q = sv_q * (1.0 - nudge)
    bound, ok, score = _bound_and_score(su_p, su_q, sv_p, sv_q, a_max, b_max, 0.5, 0.5)
    if ok:
        assert score <= bound


def test_bound_by_hand() -> None:
    # the worked example of docs/models/exchange.md: u at 100 on p (0.6) and 80 on q
    # (0.3), v at 20 on p (0.4) and 10 on q (0.5); a_max 45.71, b_max 16.15, gain 2.91:
    # u's shares 0.6 and 0.375, min(45.71 * 1.0, 16.15 * 0.8) = 12.92, times 0.225
    a_max, b_max = 0.8 * 80 / 1.4, 0.3 * 70 / 1.3
    bound, ok, score = _bound_and_score(0.6, 0.3, 0.4, 0.5, a_max, b_max, 0.8 / 1.4, 0.3 / 1.3)
    assert ok
    assert abs(score - 0.225 * b_max * 0.8) < 1e-12
    assert score <= bound <= score * (1 + 1e-11) + 1e-12
