"""Spatial model of politics (SMP) as implemented in KTAB (KAPSARC Toolkit for Behavioral Analysis).

Actors hold positions in a space of several issues at once (a vector per actor, not one
issue at a time). Each turn:

1. *Utilities.* Actor ``i`` values actor ``j``'s position by the salience-weighted
   distance ``d_ij = sqrt(sum_k (s_ik (x_ik - x_jk))^2 / sum_k s_ik^2)`` curved by its
   risk attitude ``R``: ``u = (1 - d)(1 + d R)``.
2. *Risk attitudes (Big R).* A risk-neutral probabilistic Condorcet election over the
   actors' positions (proportional votes weighted by capability, coalition strengths,
   victory probabilities ``c_ab^γ / (c_ab^γ + c_ba^γ)``, conditional PCE) gives each
   position's probability; the most likely is most risk averse (``R = 1``), the least
   likely most risk seeking (``R = -1/2``; KTAB's BigRRange *Mid*). Actor ``h``
   perceives ``i``'s attitude as ``(2 r_h + r_i) / 3`` (BigRAdjust *OneThird*).
3. *Challenges.* From its own perspective each actor estimates, for every rival, the
   probability of winning a contest (the two principals' votes weighted by salience x
   capability, third parties joining the side they prefer, with semi-commitment), and
   the expected gain of challenging over the status quo; it targets the rival with the
   largest gain above 1e-5.
4. *Bargains.* Initiator and target both move to the mean of their positions weighted
   by ``(salience x probability)^2`` per issue (InterVecBrgn *S2P2*), from the
   initiator's perspective (SMPBargnModel *InitOnlyInterp*), rounded to 0.01 on 0..100.
5. *State transition.* Every actor ``k`` takes, among the status quo and the bargains it
   is party to, the one a probabilistic Condorcet election by all actors favours —
   deterministically the most probable (StateTransition *Deterministic*).
6. *Stopping rule.* Stop after turn ``t >= 2`` when the total movement of the turn
   (sum over actors of the Euclidean distance moved, 0..1 scale) is below 2 % of the
   first turn's (plus 1e-4), or after 100 turns.

The forecast of each issue is the expected outcome under the final state's
probabilistic Condorcet election over the distinct positions (KTAB reports those
probabilities per turn), counting on each issue only the actors who hold a stance on it
(each position's probability split equally among the actors holding it). The
diagnostics give the number of turns per draw, the final risk attitudes, each actor's
position probability and the most likely outcome.

Defaults are KTAB's (smp.h / kmodel.h; the settings recorded with the reference run):
VictoryProbModel Linear (γ = 1), ProbCondorcetElection Conditional, StateTransition
Deterministic, VotingRule Proportional, BigRAdjust OneThird, BigRRange Mid,
ThirdPartyCommit SemiCommit, InterVecBrgn S2P2, BargnModel InitOnlyInterp, stopping
after at least 2 and at most 100 turns at a 2 % relative change.
With these defaults, KTAB's model is deterministic: no random number is drawn, so no
pseudo-random stream has to be matched.

References:
    Wise, B. P., Lester, L., et al. KTAB: the KAPSARC Toolkit for Behavioral Analysis,
    open-source C++ (MIT licence, (c) 2015 KAPSARC), https://github.com/KAPSARC/KTAB —
    examples/smp/libsrc/smp.cpp, smpbcn.cpp, KTAB/kmodel/libsrc/kmodel.cpp, and the
    reference log examples/smp/doc/20170530_ref-SOE-Pol-Comp.txt.
    KAPSARC discussion papers *An Introduction to the KAPSARC Toolkit for Behavioral
    Analysis (KTAB)* and *Multidimensional Bargaining using KTAB*, cited by:
    KAPSARC (2019). *KTAB: Spatial Model of Politics (SMP) user guide*, version 1.4
    (KTAB web/tutorial/SMPTutorial).
    *Modeling collective decision-making processes with the KAPSARC Toolkit for
    Behavioral Analysis* (2017), Association for Computing Machinery.

Deviations from KTAB:
    - Positions are mapped to 0..1 per issue from the issue's scale (KTAB divides its
      0..100 input by 100: identical for a 0..100 scale).
    - Saliences are zopa's per-issue 0..1 values. When some actor's saliences sum to
      more than 1 (KTAB rejects such input), all saliences of the draw are divided by
      the largest actor's total, which keeps the actors' relative attention; inputs
      read from KTAB (sums at most 1) are used unchanged.
    - KTAB needs every actor on every dimension. An actor without a stance on an issue
      sits at the scale's midpoint with salience 0 there (zopa's array view), so it
      never cares about that issue and is pulled along by its bargains; the forecast of
      an issue counts only the stance holders.
    - An actor with no salience at all is at distance 0 from every position, and an
      actor of capability 0 casts zero votes (KTAB refuses both).
    - When every position has the same probability (e.g. all actors agree), the risk
      attitudes are 0 (KTAB divides by zero).
    - Unique positions for the final election are found as in KTAB (within 1e-3 on the
      0..1 scale, first actor first); the forecast itself (expected outcome) is zopa's
      summary, KTAB reports the whole distribution.
    - Not offered: the Markov PCE variants, the asymmetric prospect-theory voting rule,
      the InitRcvrInterp and PWCompInterp bargain models, and ideal points that lag
      positions (KTAB's accommodation matrix; its CSV input always uses the identity,
      so ideals equal positions, as here). The victory exponent γ may be any positive
      number (KTAB: 1, 2, 4, 8, or a threshold rule).
    - Stochastic state transition draws from zopa's ``numpy`` generator, not KTAB's
      PRNG, so stochastic runs are not reproduced draw for draw.
    - Arithmetic is rearranged in places for speed (``s^2 d^2`` for ``(s d)^2`` in the
      distance, the terms common to both sides of a third party's choice cancelled,
      the unmoved actors' utilities summed once, the Condorcet products over the
      bargains taken in one order for all actors), which changes results only at the
      level of the last bit (ties among bargains still go to the first in KTAB's
      order); coalition strengths still add the voters in KTAB's order. On the
      reference input every position at every turn equals KTAB's.
    - Draws are computed in blocks, on up to two threads; this changes no number.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from zopa.models.base import Forecast, register
from zopa.models.spatial_bargain import (
    BargainInterpolation,
    ThirdPartyCommit,
    best_targets,
    challenge_gains,
    choose_bargains,
    interpolate_bargains,
)
from zopa.models.spatial_core import (
    BigRAdjust,
    BigRRange,
    SalienceWeights,
    VotingRule,
    coalition_strength,
    condorcet_probability,
    perceived_risk,
    risk_attitudes,
    salience_weights,
    utility,
    victory_probability,
    weighted_distance,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from zopa.scenario import ScenarioArrays

POSITION_TOLERANCE = 1e-3  # KTAB SMPModel::posTol, on the 0..1 scale
BLOCK_ELEMENTS = 1 << 16  # size of the per-turn (draws, A, A, A) arrays worked on at once
MAX_THREADS = 2  # blocks of draws computed at once


@dataclass(frozen=True, eq=False)
class SpatialRun:
    """The full result of an SMP run on KTAB's internal 0..1 scale.

    Attributes:
        trajectory: (D, T + 1, A, K) positions at every turn (turn 0 = input); draws
            that stopped earlier repeat their final positions.
        turns: (D,) the number of turns each draw ran.
        risk: (D, A) risk attitudes in the final state.
        position_probability: (D, A) probability of each actor's final position.
        share: (D, A) that probability split equally among the actors holding the
            position (sums to 1 over the actors).
    """

    trajectory: NDArray[np.float64]
    turns: NDArray[np.int64]
    risk: NDArray[np.float64]
    position_probability: NDArray[np.float64]
    share: NDArray[np.float64]


@register
@dataclass(frozen=True, kw_only=True)
class SpatialModel:
    """KTAB's spatial model of politics (Wise, Lester et al., KAPSARC)."""

    name: ClassVar[str] = "smp"
    citation: ClassVar[str] = (
        "Wise, Lester et al., KTAB spatial model of politics (KAPSARC, 2015-2017)"
    )

    voting_rule: VotingRule = "proportional"
    victory_power: float = 1.0
    big_r_range: BigRRange = "mid"
    big_r_adjust: BigRAdjust = "one_third"
    third_party_commit: ThirdPartyCommit = "semi"
    bargain_interpolation: BargainInterpolation = "s2p2"
    stochastic: bool = False
    min_turns: int = 2
    max_turns: int = 100
    min_delta_ratio: float = 0.02
    min_significant_delta: float = 1e-4

    def __post_init__(self) -> None:
        if self.victory_power <= 0:
            raise ValueError(f"victory_power must be positive (got {self.victory_power})")
        if not 1 <= self.min_turns <= self.max_turns:
            raise ValueError("need 1 <= min_turns <= max_turns")

    def forecast(self, view: ScenarioArrays, *, rng: np.random.Generator | None = None) -> Forecast:
        """Run the SMP on every draw and forecast each issue's expected outcome."""
        lo = view.scale_min
        width = view.scale_max - view.scale_min
        pos = (view.position - lo) / width
        run = self.run(pos, view.salience, view.capability, rng=rng)
        final = run.trajectory[:, -1].copy()
        # per issue, only the positions of actors who hold a stance on it count (the
        # others sit at the scale's midpoint with no salience there)
        has = view.has_stance[None, :, :]
        weight = run.share[:, :, None] * has
        total = weight.sum(axis=1)
        # an issue on which nobody holds a stance has no forecast (NaN), as in every model
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = np.where(total > 0, (weight * final).sum(axis=1) / total, np.nan)
        # nor does an issue no actor gives any weight (capability x salience all zero)
        cares = (view.weight * view.has_stance[None]).sum(axis=1) > 0  # (D, I)
        expected = np.where(cares, expected, np.nan)
        best = np.argmax(np.where(has, run.position_probability[:, :, None], -1.0), axis=1)
        likely = np.take_along_axis(final, best[:, None, :], axis=1)[:, 0]
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=lo + expected * width,
            trajectory=_to_scale(run.trajectory, lo, width),
            diagnostics=MappingProxyType(
                {
                    "turns": run.turns,
                    "risk_attitude": run.risk,
                    "position_probability": run.position_probability,
                    "most_likely_outcome": lo + likely * width,
                }
            ),
        )

    def run(
        self,
        position: NDArray[np.float64],
        salience: NDArray[np.float64],
        capability: NDArray[np.float64],
        *,
        rng: np.random.Generator | None = None,
    ) -> SpatialRun:
        """Run the model on KTAB's internal scale.

        Args:
            position: (D, A, K) positions in 0..1.
            salience: (D, A, K) saliences in 0..1 (all divided by the largest actor's
                total when that exceeds 1).
            capability: (D, A) capabilities.
            rng: Generator for the stochastic transition (a fresh default generator when
                ``stochastic`` is set and none is given).

        Returns:
            The trajectory, turn counts and final-state election.
        """
        pos = np.array(position, dtype=float)
        # one factor per draw: the largest total salience becomes at most 1
        largest = salience.sum(axis=-1).max(axis=-1)[:, None, None]
        sal = salience / np.maximum(largest, 1.0)
        cap = np.asarray(capability, dtype=float)
        d, a = pos.shape[:2]
        block = max(1, BLOCK_ELEMENTS // (a * a * (a + 1)))
        workers = min(MAX_THREADS, os.cpu_count() or 1)
        if self.stochastic:
            draw_rng = rng if rng is not None else np.random.default_rng()
            trajectory, turns = self._turns(pos, sal, cap, block, None, draw_rng)
        elif workers > 1 and d > block:
            # blocks of draws run on several cores (numpy releases the GIL); each
            # block's result is independent of the others, so this changes no number
            with ThreadPoolExecutor(workers) as pool:
                trajectory, turns = self._turns(pos, sal, cap, block, pool, None)
        else:
            trajectory, turns = self._turns(pos, sal, cap, block, None, None)
        risk, prob, share = self._final_election(trajectory[:, -1], sal, cap)
        return SpatialRun(
            trajectory=trajectory,
            turns=turns,
            risk=risk,
            position_probability=prob,
            share=share,
        )

    def _turns(
        self,
        pos: NDArray[np.float64],
        sal: NDArray[np.float64],
        cap: NDArray[np.float64],
        block: int,
        pool: ThreadPoolExecutor | None,
        rng: np.random.Generator | None,
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Turns until every draw has stopped: the (D, T + 1, A, K) positions, the counts."""
        d = pos.shape[0]
        weights = salience_weights(sal)
        total_sal = sal.sum(axis=-1)
        # each turn's new positions of the draws still running; the trajectory is
        # assembled once at the end
        changes: list[tuple[NDArray[np.intp] | None, NDArray[np.float64]]] = []
        turns = np.zeros(d, dtype=np.int64)
        active = np.arange(d)
        first_step = np.zeros(d)
        current = pos.copy()
        for turn in range(1, self.max_turns + 1):
            if active.size == 0:
                break
            everyone = active.size == d
            before = current if everyone else current[active]
            if everyone and d <= block:  # one block of every draw: no bookkeeping
                new = self._step(before, sal, weights, total_sal, cap, rng)
            else:
                new = np.empty_like(before)
                blocks = [
                    (here, here if everyone else active[here])
                    for here in (slice(k, k + block) for k in range(0, active.size, block))
                ]
                run_block = functools.partial(
                    self._step_block,
                    before=before,
                    new=new,
                    statics=(sal, weights, total_sal, cap),
                    rng=rng,
                )
                # draws in blocks small enough for the (A, A, A) arrays to stay in cache
                if pool is not None and len(blocks) > 1:
                    list(pool.map(run_block, blocks))
                else:
                    for b in blocks:
                        run_block(b)
            step = new - before
            moved = np.add.reduce(np.sqrt(np.add.reduce(step * step, axis=-1)), axis=-1)
            if turn == 1:
                first_step[active] = moved + self.min_significant_delta
            if everyone:
                current = new.copy()  # ``new`` is kept for the trajectory
                changes.append((None, new))
            else:
                current[active] = new
                changes.append((active, new))
            turns[active] = turn
            quiet = moved / first_step[active] < self.min_delta_ratio
            done = (turn >= self.max_turns) | ((turn >= self.min_turns) & quiet)
            active = active[~done]
        trajectory = np.empty((d, len(changes) + 1, *pos.shape[1:]))
        trajectory[:, 0] = pos
        for t, (rows, new) in enumerate(changes, start=1):
            trajectory[slice(None) if rows is None else rows, t] = new
        # a draw that stopped keeps its last positions
        for last in np.unique(turns[turns < len(changes)]):
            rows = np.flatnonzero(turns == last)
            trajectory[rows, last + 1 :] = trajectory[rows, last, None]
        return trajectory, turns

    def _step_block(
        self,
        where: tuple[slice, slice | NDArray[np.intp]],
        *,
        before: NDArray[np.float64],
        new: NDArray[np.float64],
        statics: tuple[
            NDArray[np.float64], SalienceWeights, NDArray[np.float64], NDArray[np.float64]
        ],
        rng: np.random.Generator | None,
    ) -> None:
        """One turn for one block of draws: ``where`` = (rows of ``new``, draws)."""
        here, part = where
        sal, weights, total_sal, cap = statics
        new[here] = self._step(
            before[here],
            sal[part],
            SalienceWeights(weights.squared[part], weights.total[part]),
            total_sal[part],
            cap[part],
            rng,
        )

    def _utilities(
        self,
        pos: NDArray[np.float64],
        weights: SalienceWeights,
        cap: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Risk attitudes (D, A), utilities by perspective (D, H, A, A) and own (D, A, A)."""
        dist = weighted_distance(pos, pos, weights)
        risk, _ = risk_attitudes(
            dist, cap, rule=self.voting_rule, power=self.victory_power, rng=self.big_r_range
        )
        r_hi = perceived_risk(risk, self.big_r_adjust)  # (D, H, A)
        u = utility(dist[:, None, :, :], r_hi[:, :, :, None])  # (D, H, A, A)
        ar = np.arange(pos.shape[1])
        own = u[:, ar, ar, :]  # u[n, n, m]: n's own view of n's utility for m
        return risk, u, own

    def _step(
        self,
        pos: NDArray[np.float64],
        sal: NDArray[np.float64],
        weights: SalienceWeights,
        total_sal: NDArray[np.float64],
        cap: NDArray[np.float64],
        rng: np.random.Generator | None,
    ) -> NDArray[np.float64]:
        """One turn of challenges, bargains and the state transition."""
        risk, u, own = self._utilities(pos, weights, cap)
        p, gain = challenge_gains(
            u, cap, total_sal, rule=self.voting_rule, commit=self.third_party_commit
        )
        target, has_target, p_target = best_targets(p, gain)
        rows = np.arange(pos.shape[0])[:, None]
        pos_t = pos[rows, target]
        sal_t = sal[rows, target]
        b_init, b_rcvr = interpolate_bargains(
            pos, sal, p_target, pos_t, sal_t, self.bargain_interpolation
        )
        return choose_bargains(
            pos,
            weights,
            cap,
            risk,
            own,
            target,
            has_target,
            b_init,
            b_rcvr,
            rule=self.voting_rule,
            power=self.victory_power,
            rng=rng,
        )

    def _final_election(
        self, pos: NDArray[np.float64], sal: NDArray[np.float64], cap: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Risk attitudes, each actor's position probability, and its share of it.

        KTAB ``SMPState::pDist(-1)``: every actor values the distinct positions by its
        own risk-aware utility and they vote (weight = capability, proportional rule)
        in a probabilistic Condorcet election.
        """
        risk, _, own = self._utilities(pos, salience_weights(sal), cap)
        d, a, _ = pos.shape
        gap = np.linalg.norm(pos[:, :, None, :] - pos[:, None, :, :], axis=-1)
        same = gap < POSITION_TOLERANCE
        unique = np.zeros((d, a), dtype=bool)
        rep = np.zeros((d, a), dtype=np.intp)
        unique[:, 0] = True
        for i in range(1, a):  # greedy, first actor first, as KTAB's ueIndices
            earlier = same[:, i, :i] & unique[:, :i]
            has_earlier = earlier.any(axis=1)
            unique[:, i] = ~has_earlier
            rep[:, i] = np.where(has_earlier, np.argmax(earlier, axis=1), i)
        c = coalition_strength("proportional", cap, own)
        prob_opt = condorcet_probability(victory_probability(c, self.victory_power), unique)
        prob = np.take_along_axis(prob_opt, rep, axis=1)
        holders = (rep[:, :, None] == rep[:, None, :]).sum(axis=2)
        return risk, prob, prob / holders


def _to_scale(
    trajectory: NDArray[np.float64], lo: NDArray[np.float64], width: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``lo + trajectory * width``, computed in place (the trajectory can be large)."""
    trajectory *= width
    trajectory += lo
    return trajectory
