"""Exchange model: actors trade voting positions across issues they weigh differently.

Implements the exchange model of Stokman & Van Oosten (1994) with the equal-gain exchange
rate of Dijkstra, van Assen & Stokman (2008), as also implemented in the Decide
exchange-model package (Draaijer, ``decide-exchange-model``).

The model, for every round:

1. The expected outcome of every issue is the compromise-model mean
   ``O_d = sum_a c_a s_ad x_ad / sum_a c_a s_ad`` of the current positions.
2. Two actors ``u`` and ``v`` can exchange on issues ``p`` and ``q`` when they sit on
   opposite sides of the expected outcome on both issues and weigh the issues
   differently: the actor with the larger relative salience ``s_p / s_q`` (``u``)
   *demands* ``p`` and *supplies* ``q``. ``v`` moves its voting position on ``p``
   towards ``u``'s position, ``u`` moves on ``q`` towards ``v``'s. Moving by ``dx``
   shifts the outcome by ``dO = c s dx / W`` with ``W = sum c s`` of that issue.
3. The exchange rate ``r = dO_q / dO_p`` fixes how the two shifts relate. Equal gain
   (Dijkstra et al. 2008): ``u`` gains ``s_up dO_p - s_uq dO_q`` and ``v`` gains
   ``s_vq dO_q - s_vp dO_p``; setting them equal gives
   ``r = (s_up + s_vp) / (s_uq + s_vq)``. The exchange is made as large as it can be:
   one of the two moves all the way to its partner's position, and neither shift may
   carry the outcome past the demanding actor's own position.
4. All feasible exchanges are ranked by gain; the best is carried out, the exchanges
   that it affects are recomputed on the new voting positions, exchanges that became
   infeasible drop out, and so on until none is left.
5. The round's outcome is the compromise mean of the voting positions. Actors who
   exchanged start the next round part of the way towards their voting position:
   ``x' = x + (fixed_weight + salience_weight (1 - s)) (y - x)``.

The forecast is the round's outcome after the last round. Trajectories hold the voting
positions after each round (round 0 = the input positions).

References:
    Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an
    object-oriented model of policy networks. In B. Bueno de Mesquita & F. N. Stokman
    (eds.), *European Community Decision Making: Models, Applications, and
    Comparisons*, pp. 105-127. Yale University Press.
    Dijkstra, J., van Assen, M. A. L. M. & Stokman, F. N. (2008). Outcomes of
    collective decisions with externalities predicted. *Journal of Theoretical
    Politics* 20(4), 415-441.
    van Assen, M. A. L. M., Stokman, F. N. & van Oosten, R. (2003). Conflict measures
    in cooperative exchange models of collective decision-making. *Rationality and
    Society* 15(1), 85-112.
    Draaijer, J. (2022). decide-exchange-model 2022.1.28 (Python package, GPL-3.0).

Deviations (each also in docs/models/exchange.md):
    - Within a round the best exchange of every draw is carried out at each step and
      every still-feasible exchange on an issue that changed is recomputed on the
      current voting positions (vectorised over draws and over actor pairs x issue
      pairs; exchanges on other issues cannot have changed, and of those on a changed
      issue only the ones whose own movers' reach changed are computed again, which
      gives the same values). The model's
      sequential rule "best exchange first, then recompute" makes the steps within a
      round a second loop beside the rounds; there is no loop over actors or draws.
    - The cap "the outcome may not pass the demanding actor's position" uses the
      outcome of *all* voting positions so far in the round. Decide uses the round's
      starting outcome plus only those moves made earlier in favour of the same actor
      on the same issue, so it can cap too early or too late.
    - An exchange whose demanding actor no longer lies beyond the current outcome is
      infeasible; Decide lets it go ahead when the outcome already sits at (or past)
      that actor's position, counting as a gain what is a loss.
    - An actor may move several times on an issue in a round, always in the same
      direction; Decide also rejects a move when the sum of its moves, counting moves
      that were computed for an exchange but never made, exceeds 100.
    - Exact ties in gain (within a relative 1e-9) are broken by actor and issue ids
      rather than at random, so the model is deterministic and independent of input
      order; ``rng`` is accepted for the common interface and not used.
    - ``rate="rks"`` is the Raiffa-Kalai-Smorodinsky rate (each actor's gain in
      proportion to the most it could gain in that exchange), the rate under which van
      Assen et al. (2003) analyse the exchange model; exchanges are then ranked by the
      sum of both gains. The 1994 chapter's own rate could not be checked against its
      text here.
    - Actors without a stance, or with zero salience or capability, on an issue take
      no part in exchanges on it (Decide drops actors without a stance; zero salience
      makes its rate undefined).
    - Positions are normalised to 0-100 on each issue's scale inside the model, as in
      Decide, so that gains on issues with different scales are comparable.
    - The update between rounds (step 5) and its weights 0.1 and 0.4 are Decide's
      (``FIXED_WEIGHT``, ``SALIENCE_WEIGHT``); they are parameters here. With
      ``fixed_weight=1`` actors start each round at their voting positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from zopa.models.base import Forecast, register
from zopa.models.weighted import weighted_mean

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.scenario import ScenarioArrays

_EPS = 1e-10  # Decide's threshold for a move or gain that counts as none
_TIE = 1e-9  # relative tolerance under which two gains are a tie


@dataclass(frozen=True)
class _Candidates:
    """Static description of every (actor pair, issue pair) exchange, K of them."""

    a1: NDArray[np.intp]
    a2: NDArray[np.intp]
    p: NDArray[np.intp]
    q: NDArray[np.intp]
    rank: NDArray[np.intp]  # order of the candidate by (actor ids, issue ids), for ties
    pair: NDArray[np.intp]  # index of the actor pair (a1, a2) in ``pair_a1``/``pair_a2``
    pair_a1: NDArray[np.intp]
    pair_a2: NDArray[np.intp]


def _candidates(actor_ids: tuple[str, ...], issue_ids: tuple[str, ...]) -> _Candidates:
    n_a, n_i = len(actor_ids), len(issue_ids)
    ai, aj = np.triu_indices(n_a, k=1)
    ip, iq = np.triu_indices(n_i, k=1)
    a1 = np.repeat(ai, ip.size)
    a2 = np.repeat(aj, ip.size)
    p = np.tile(ip, ai.size)
    q = np.tile(iq, ai.size)
    # order-independent identity of each candidate: its two actors and two issues by
    # their place in the sorted ids, so ties break the same whatever the input order
    a_place = np.argsort(np.argsort(np.array(actor_ids)))
    i_place = np.argsort(np.argsort(np.array(issue_ids)))
    lo_a = np.minimum(a_place[a1], a_place[a2])
    hi_a = np.maximum(a_place[a1], a_place[a2])
    lo_i = np.minimum(i_place[p], i_place[q])
    hi_i = np.maximum(i_place[p], i_place[q])
    key = ((lo_a * n_a + hi_a) * n_i + lo_i) * n_i + hi_i
    rank = np.empty(key.size, dtype=np.intp)
    rank[np.argsort(key)] = np.arange(key.size)
    pair = np.repeat(np.arange(ai.size), ip.size)
    return _Candidates(a1, a2, p, q, rank, pair, ai, aj)


@register
@dataclass(frozen=True, kw_only=True)
class ExchangeModel:
    """Exchange of voting positions (Stokman & Van Oosten 1994; Dijkstra et al. 2008).

    Attributes:
        rounds: Maximum number of rounds (Decide's default run is 10 rounds). The model
            stops earlier when no exchange is feasible in a round for any draw.
        rate: ``"equal_gain"`` (Dijkstra, van Assen & Stokman 2008; Decide) or
            ``"rks"`` (Raiffa-Kalai-Smorodinsky, van Assen et al. 2003).
        fixed_weight: Share of its move an actor keeps into the next round
            (Decide's ``FIXED_WEIGHT`` = 0.1).
        salience_weight: Extra share kept in proportion to ``1 - salience``
            (Decide's ``SALIENCE_WEIGHT`` = 0.4).
    """

    name: ClassVar[str] = "exchange"
    citation: ClassVar[str] = (
        "Stokman & Van Oosten (1994), in European Community Decision Making, Yale UP; "
        "Dijkstra, van Assen & Stokman (2008), JTP 20(4)"
    )

    rounds: int = 10
    rate: Literal["equal_gain", "rks"] = "equal_gain"
    fixed_weight: float = 0.1
    salience_weight: float = 0.4

    def __post_init__(self) -> None:
        if self.rounds < 0:
            raise ValueError(f"rounds must be >= 0 (got {self.rounds})")
        if self.rate not in ("equal_gain", "rks"):
            raise ValueError(f"rate must be 'equal_gain' or 'rks' (got {self.rate!r})")
        if not (0 <= self.fixed_weight <= 1 and 0 <= self.salience_weight <= 1):
            raise ValueError("fixed_weight and salience_weight must lie in [0, 1]")
        if self.fixed_weight + self.salience_weight > 1:
            raise ValueError("fixed_weight + salience_weight must be <= 1")

    def forecast(self, view: ScenarioArrays, *, rng: np.random.Generator | None = None) -> Forecast:
        """Run the exchange rounds for every draw and forecast each issue."""
        lo, width = view.scale_min, view.scale_max - view.scale_min
        safe_width = np.where(width > 0, width, 1.0)
        x = (view.position - lo) / safe_width * 100.0
        s = np.where(view.has_stance[None], view.salience, 0.0)
        c = np.broadcast_to(view.capability[:, :, None], s.shape)
        w = c * s  # (D, A, I), fixed across rounds
        total = w.sum(axis=1)  # W per issue, (D, I)
        cand = _candidates(view.actor_ids, view.issue_ids)
        takes_part = w > 0
        a1, a2, p, q = cand.a1, cand.a2, cand.p, cand.q
        # (D, K): both actors take part in both issues of the candidate
        part = takes_part[:, a1, p] & takes_part[:, a1, q] & takes_part[:, a2, p]
        part &= takes_part[:, a2, q]

        trajectory = [x.copy()]
        executed: list[NDArray[np.int_]] = []
        log: list[tuple[int, str, str, str, str, float, float, float]] = []
        for r in range(self.rounds):
            with np.errstate(invalid="ignore", divide="ignore"):
                y, n_exec, steps = _run_round(x, s, w, total, cand, part, self.rate)
            executed.append(n_exec)
            if view.n_draws:
                for k, gain, move_v, move_u in steps:
                    log.append(
                        (
                            r + 1,
                            view.actor_ids[k[0]],
                            view.actor_ids[k[1]],
                            view.issue_ids[k[2]],
                            view.issue_ids[k[3]],
                            gain,
                            move_v * width[k[2]] / 100.0,
                            move_u * width[k[3]] / 100.0,
                        )
                    )
            trajectory.append(y)
            keep = self.fixed_weight + self.salience_weight * (1.0 - s)
            x = x + keep * (y - x)
            if not n_exec.any():
                break

        traj = np.stack(trajectory, axis=1)  # (D, R+1, A, I) on 0-100
        outcome = weighted_mean(traj[:, -1], w)
        scale = (width / 100.0)[None, None, None, :]
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=outcome * (width / 100.0) + lo,
            trajectory=traj * scale + lo,
            diagnostics=MappingProxyType(
                {
                    "rate": self.rate,
                    "rounds_run": len(executed),
                    "exchanges_per_round": (
                        np.stack(executed, axis=1)
                        if executed
                        else np.zeros((view.n_draws, 0), dtype=int)
                    ),
                    # draw 0: (round, demander of p, demander of q, p, q, gain,
                    #          move on p, move on q) in issue units
                    "exchanges": tuple(log),
                }
            ),
        )


def _ranges(starts: NDArray[np.intp], ends: NDArray[np.intp]) -> NDArray[np.intp]:
    """The concatenation of ``arange(s, e)`` for every pair of ``starts`` and ``ends``."""
    lens = ends - starts
    n = int(lens.sum())
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    offsets = np.cumsum(lens) - lens
    return np.repeat(starts - offsets, lens) + np.arange(n)


def _run_round(
    x: NDArray[np.float64],
    s: NDArray[np.float64],
    w: NDArray[np.float64],
    total: NDArray[np.float64],
    cand: _Candidates,
    part: NDArray[np.bool_],
    rate: str,
) -> tuple[
    NDArray[np.float64],
    NDArray[np.int_],
    list[tuple[tuple[int, int, int, int], float, float, float]],
]:
    """One round of exchanges for every draw; returns voting positions and a log.

    Every exchange has two *legs*: the supplier of ``p`` moving towards the demander on
    ``p``, and the other way round on ``q``. How far a leg can shift the outcome
    depends only on that mover's position, the outcome and the move directions on that
    one issue, so it is computed once per leg and shared by every exchange that uses
    it. After a step only the legs on the two issues that moved are recomputed, and only
    the exchanges with a leg whose value changed are evaluated again; the others would
    evaluate to exactly what they hold. The feasible exchanges are held as one flat
    list, grouped by draw, so that the work of a step shrinks as the round goes on.
    """
    n_d, n_a, n_i = x.shape
    with np.errstate(invalid="ignore", divide="ignore"):
        outcome = np.where(total > 0, (w * x).sum(axis=1) / total, np.nan)  # (D, I)
    y = x.copy()
    n_exec = np.zeros(n_d, dtype=int)
    steps: list[tuple[tuple[int, int, int, int], float, float, float]] = []

    side = x > outcome[:, None, :]  # right of the outcome (Decide: left is x <= O)
    # (D, pairs, I): the two actors of a pair sit on opposite sides of the outcome
    opposite = side[:, cand.pair_a1, :] != side[:, cand.pair_a2, :]
    a1, a2, p, q = cand.a1, cand.a2, cand.p, cand.q
    eligible = opposite[:, cand.pair, p] & opposite[:, cand.pair, q] & part
    d, k = np.divmod(np.flatnonzero(eligible), eligible.shape[1])  # grouped by draw
    if d.size == 0:
        return y, n_exec, steps
    a1, a2, p, q = a1[k], a2[k], p[k], q[k]
    # which of the two actors demands p: the one with the larger s_p / s_q
    first_demands_p = s[d, a1, p] * s[d, a2, q] >= s[d, a2, p] * s[d, a1, q]
    u = np.where(first_demands_p, a1, a2)  # demands p, supplies q
    v = np.where(first_demands_p, a2, a1)  # demands q, supplies p
    su_p, su_q, sv_p, sv_q = s[d, u, p], s[d, u, q], s[d, v, p], s[d, v, q]
    # both gain per unit of outcome shift on p at the equal-gain rate; an exchange
    # whose actors weigh the two issues alike can never gain
    keep = np.flatnonzero((su_p * sv_q - su_q * sv_p) > 0)
    n = keep.size
    if n == 0:
        return y, n_exec, steps
    d, u, v, p, q, k = d[keep], u[keep], v[keep], p[keep], q[keep], k[keep]
    su_p, su_q, sv_p, sv_q = su_p[keep], su_q[keep], sv_p[keep], sv_q[keep]

    # legs (draw, issue, mover, target), sorted by (draw, issue): v moves on p towards
    # u, u moves on q towards v
    n_da = n_d * n_i
    leg_key = np.concatenate(
        [((d * n_i + p) * n_a + v) * n_a + u, ((d * n_i + q) * n_a + u) * n_a + v]
    )
    leg_ids, leg_of = _unique_inverse(leg_key, n_da * n_a * n_a)
    leg_o, mover_target = np.divmod(leg_ids, n_a * n_a)  # leg_o: flat (draw, issue)
    leg_m, leg_t = np.divmod(mover_target, n_a)
    leg_dd, leg_i = np.divmod(leg_o, n_i)
    leg_mi = (leg_dd * n_a + leg_m) * n_i + leg_i  # flat index of the mover into y
    leg_target = x[leg_dd, leg_t, leg_i]  # the partner's position: where the mover goes
    leg_k = w[leg_dd, leg_m, leg_i] / total[leg_dd, leg_i]  # outcome shift per unit move
    leg_start = np.searchsorted(leg_o, np.arange(n_da + 1))  # legs of each (draw, issue)
    n_legs = leg_ids.size
    leg_amax = np.zeros(n_legs)
    leg_dir = np.zeros(n_legs)
    leg_ok = np.ones(n_legs, dtype=bool)  # no move against an earlier one this round

    c: dict[str, NDArray[Any]] = {
        "d": d,
        "rank": cand.rank[k],
        "lp": leg_of[:n],
        "lq": leg_of[n:],
        "su_p": su_p,
        "su_q": su_q,
        "sv_p": sv_p,
        "sv_q": sv_q,
        "score": np.zeros(n),
        "a": np.zeros(n),
        "b": np.zeros(n),
        "alive": np.ones(n, dtype=bool),
    }

    o = outcome.copy()
    direction = np.zeros(x.shape, dtype=np.int8)  # sign of the moves made this round
    y_flat, o_flat, dir_flat = y.reshape(-1), o.reshape(-1), direction.reshape(-1)
    leg_changed = np.zeros(n_legs, dtype=bool)
    legs = np.arange(n_legs)  # legs to recompute: all of them at the start
    live_legs = legs
    first_time = True
    compact = False
    n_alive = n
    starts = seg = np.zeros(0, dtype=np.intp)
    while True:
        if compact:
            # keep the live exchanges, and the legs they use, only
            c = {name: arr[c["alive"]] for name, arr in c.items()}
            used = np.zeros(n_legs, dtype=bool)
            used[c["lp"]] = True
            used[c["lq"]] = True
            live_legs = np.flatnonzero(used)
            leg_start = np.searchsorted(leg_o[live_legs], np.arange(n_da + 1))
        if compact or not starts.size:
            if c["d"].size == 0:
                break
            new_group = np.r_[True, c["d"][1:] != c["d"][:-1]]
            starts = np.flatnonzero(new_group)
            seg = np.cumsum(new_group) - 1
        alive = c["alive"]
        if legs.size:
            changed = _evaluate_legs(
                legs,
                leg_mi,
                leg_o,
                leg_target,
                leg_k,
                y_flat,
                o_flat,
                dir_flat,
                leg_amax,
                leg_dir,
                leg_ok,
            )
            if first_time:
                stale = np.flatnonzero(alive)
                first_time = False
            else:
                leg_changed[legs] = changed
                lp, lq = c["lp"], c["lq"]
                stale = np.flatnonzero(alive & (leg_changed[lp] | leg_changed[lq]))
                leg_changed[legs] = False
            if stale.size:
                n_alive -= _evaluate(c, stale, leg_amax, leg_dir, leg_ok, leg_k, rate)
        # per draw: the best live exchange; ties broken by the candidate's rank
        score = c["score"]  # -inf where no longer feasible
        top = np.maximum.reduceat(score, starts)
        live_draw = top > -np.inf
        if not live_draw.any():
            break
        # draws with nothing left tie nothing (their threshold is +inf)
        threshold = np.where(live_draw, top - _TIE * np.abs(top), np.inf)
        tied = score >= (threshold[0] if starts.size == 1 else threshold[seg])
        ch = np.flatnonzero(tied)
        if ch.size > 1:
            draw = c["d"][ch]
            if (draw[1:] == draw[:-1]).any():
                # a tie within a draw: its lowest rank goes first
                order = np.lexsort((c["rank"][ch], draw))
                ch, draw = ch[order], draw[order]
                ch = np.sort(ch[np.r_[True, draw[1:] != draw[:-1]]])  # one per draw
        lp, lq = c["lp"][ch], c["lq"][ch]
        dv, du = leg_dir[lp], leg_dir[lq]
        vp, uq = leg_mi[lp], leg_mi[lq]
        op, oq = leg_o[lp], leg_o[lq]
        move_v = c["a"][ch] / leg_k[lp]
        move_u = c["b"][ch] / leg_k[lq]
        y_flat[vp] += dv * move_v
        y_flat[uq] += du * move_u
        o_flat[op] += dv * c["a"][ch]
        o_flat[oq] += du * c["b"][ch]
        dir_flat[vp] = dv
        dir_flat[uq] = du
        alive[ch] = False
        n_exec[c["d"][ch]] += 1
        touched = np.concatenate([op, oq])
        legs = live_legs[_ranges(leg_start[touched], leg_start[touched + 1])]
        if ch.size and c["d"][ch[0]] == 0:
            k0 = int(ch[0])
            steps.append(
                (
                    (int(leg_t[lp[0]]), int(leg_m[lp[0]]), int(leg_i[lp[0]]), int(leg_i[lq[0]])),
                    float(score[k0]),
                    float(dv[0] * move_v[0]),
                    float(du[0] * move_u[0]),
                )
            )
        score[ch] = -np.inf
        n_alive -= ch.size
        compact = 4 * n_alive < 3 * alive.size
    return y, n_exec, steps


def _unique_inverse(
    keys: NDArray[np.intp], n_keys: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Sorted distinct ``keys`` (all in ``[0, n_keys)``) and where each key sits in them."""
    if n_keys <= 8 * keys.size:
        # a table over all possible keys is cheaper than sorting
        present = np.zeros(n_keys, dtype=bool)
        present[keys] = True
        distinct = np.flatnonzero(present)
        place = np.cumsum(present) - 1
        return distinct, place[keys]
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct, inverse.reshape(-1)


def _evaluate_legs(
    legs: NDArray[np.intp],
    leg_mi: NDArray[np.intp],
    leg_o: NDArray[np.intp],
    leg_target: NDArray[np.float64],
    leg_k: NDArray[np.float64],
    y_flat: NDArray[np.float64],
    o_flat: NDArray[np.float64],
    dir_flat: NDArray[np.int8],
    leg_amax: NDArray[np.float64],
    leg_dir: NDArray[np.float64],
    leg_ok: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Recompute the legs ``legs`` in place; returns which of them changed."""
    target = leg_target[legs]
    to = target - y_flat.take(leg_mi[legs])
    new_dir = np.sign(to)
    # largest outcome shift: the mover reaches its partner, and the outcome may not
    # pass the demanding actor's position
    room = np.maximum((target - o_flat.take(leg_o[legs])) * new_dir, 0.0)
    amax = np.minimum(leg_k[legs] * np.abs(to), room)
    ok = dir_flat.take(leg_mi[legs]) * new_dir >= 0
    changed: NDArray[np.bool_] = (
        (amax != leg_amax[legs]) | (new_dir != leg_dir[legs]) | (ok != leg_ok[legs])
    )
    leg_amax[legs] = amax
    leg_dir[legs] = new_dir
    leg_ok[legs] = ok
    return changed


def _evaluate(
    c: dict[str, NDArray[Any]],
    idx: NDArray[np.intp],
    leg_amax: NDArray[np.float64],
    leg_dir: NDArray[np.float64],
    leg_ok: NDArray[np.bool_],
    leg_k: NDArray[np.float64],
    rate: str,
) -> int:
    """Recompute the exchanges ``idx`` from their legs, in place; returns how many died."""
    lp, lq = c["lp"][idx], c["lq"][idx]
    a_max, b_max = leg_amax[lp], leg_amax[lq]
    k_v, k_u = leg_k[lp], leg_k[lq]
    su_p, su_q, sv_p, sv_q = c["su_p"][idx], c["su_q"][idx], c["sv_p"][idx], c["sv_q"][idx]
    # divisions by zero (RKS) give non-finite scores, which are infeasible; the caller
    # silences numpy's warnings for the whole round
    if rate == "equal_gain":
        r = (su_p + sv_p) / (su_q + sv_q)
    else:
        # RKS: gains in proportion to each actor's ideal gain in this exchange
        gu_max = np.minimum(a_max, b_max * sv_q / sv_p) * (su_p - su_q * sv_p / sv_q)
        gv_max = np.minimum(b_max, a_max * su_p / su_q) * (sv_q - sv_p * su_q / su_p)
        r = (su_p / gu_max + sv_p / gv_max) / (su_q / gu_max + sv_q / gv_max)
    a = np.minimum(a_max, b_max / r)
    b = r * a
    gain_u = su_p * a - su_q * b
    gain_v = sv_q * b - sv_p * a
    move_v = a / k_v
    move_u = b / k_u
    score = gain_u + gain_v if rate == "rks" else gain_u
    ok = (
        np.isfinite(score)
        & (gain_u > _EPS)
        & (gain_v > _EPS)
        & (move_v > _EPS)
        & (move_u > _EPS)
        & leg_ok[lp]
        & leg_ok[lq]
    )
    c["alive"][idx] = ok
    c["score"][idx] = np.where(ok, score, -np.inf)
    c["a"][idx] = a
    c["b"][idx] = b
    return idx.size - int(np.count_nonzero(ok))
