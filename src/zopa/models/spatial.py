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

Implementation: two independent implementations of the same arithmetic, in the same
order, give the same numbers bit for bit (the tests compare every output of a forecast
on both KTAB inputs, the flagship and its draws, the stochastic transition and random
scenarios with every option):

- a compiled kernel (:mod:`zopa.models.kernels.spatial`, numba, one thread) runs the
  turns of every draw, each to its own stopping turn, and the final state's election;
- numpy (:mod:`zopa.models.spatial_numpy` on :mod:`zopa.models.spatial_votes`), whose
  time goes to the overhead of about 150 small array operations a turn, runs the draws
  a turn at a time. Importing it does not load numba.

:func:`choose_implementation` takes numpy for one draw of at most 40 actors and 100
issues, and the kernel for everything else: several draws, larger problems, a victory
exponent other than 1 or 2 (``c^γ`` may differ in the last bit between numpy and the C
library), or whenever the kernel is already loaded in the process. The rule weighs the
cost of loading the kernel in a new process (importing numba, which imports scipy, and
loading the cached machine code: about 0.5 s; 20 s when it has to compile) against
numpy's time. Measured on the 2-core machine (``benchmarks/bench_smp.py``; the kernel
took 0.50 s to load in the same session), one draw run for the full 100 turns takes
numpy about 40 ms at 20 actors, 80 ms at 30 and 180 ms at 40 (10 issues; 100 issues
add a third), and 0.8 s or more from 50 actors on, against 2-20 ms in the loaded
kernel; a typical run stops after 15-40 turns. docs/models/smp.md has the table. The
final state's forecast is numpy on either path.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from zopa.models.base import Forecast, register
from zopa.models.kernels.cache import load_kernel

if TYPE_CHECKING:
    from types import ModuleType

    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays

Implementation = Literal["auto", "numpy", "compiled"]
VotingRule = Literal["binary", "prop_bin", "proportional", "prop_cubic", "cubic"]
BigRRange = Literal["min", "mid", "max"]
BigRAdjust = Literal["none", "one_third", "half", "two_thirds", "full"]
ThirdPartyCommit = Literal["none", "semi", "full"]
BargainInterpolation = Literal["s1p1", "s2p2", "s2pmax"]


#: The numpy path's limits: one draw of at most this many actors and issues (the module
#: docstring gives the measurements behind them).
NUMPY_MAX_ACTORS = 40
NUMPY_MAX_ISSUES = 100
_KERNEL = "zopa.models.kernels.spatial"
#: Memory of the turns of one slice of draws run with ``trace=False`` (about 64 rows of
#: positions a draw, the store's reserve and growth included).
SLICE_BYTES = 32 * 2**20


def choose_implementation(
    model: SpatialModel, shape: tuple[int, ...]
) -> Literal["numpy", "compiled"]:
    """The path a run of ``shape`` (D, A, K) takes: numpy for small single-draw runs.

    numpy when the batch has one draw of at most :data:`NUMPY_MAX_ACTORS` actors and
    :data:`NUMPY_MAX_ISSUES` issues, the victory exponent is 1 or 2 (``c^γ`` for other
    exponents may differ in the last bit between numpy and the compiled code) and the
    compiled kernel is not loaded in this process yet; the compiled kernel otherwise.
    Both give the same numbers.
    """
    d, a, k = shape
    small = d == 1 and a <= NUMPY_MAX_ACTORS and k <= NUMPY_MAX_ISSUES
    exact = model.victory_power in (1.0, 2.0)
    return "numpy" if small and exact and _KERNEL not in sys.modules else "compiled"


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

    def forecast(
        self,
        view: ScenarioArrays,
        *,
        rng: np.random.Generator | None = None,
        trace: bool = True,
    ) -> Forecast:
        """Run the SMP on every draw and forecast each issue's expected outcome.

        With ``trace=False`` the forecast holds no trajectory (the turns' positions are
        not written out on the issues' scales) and the deterministic model runs its
        draws a slice at a time (each draw's turns are its own), so that the turns kept
        for the final election stay within :data:`SLICE_BYTES`; the per-draw
        diagnostics stay.

        Raises:
            ValueError: When ``stochastic`` is set and no ``rng`` is given.
        """
        lo = view.scale_min
        width = view.scale_max - view.scale_min
        pos = (view.position - lo) / width
        d, a, n_i = pos.shape
        # the stochastic transition draws for every running draw at once: never sliced
        per_draw = 64 * 8 * max(a * n_i, 1)  # bytes of about 64 rows of positions
        step = max(d, 1) if trace or self.stochastic else max(1, SLICE_BYTES // per_draw)
        runs = [
            self._simulate(
                pos[s : s + step],
                view.salience[s : s + step],
                view.capability[s : s + step],
                rng,
                (lo, width),
                "auto",
                trace=trace,
            )
            for s in range(0, max(d, 1), step)  # one empty slice for no draws
        ]
        if len(runs) == 1:
            trajectory, final, turns, (risk, probability, share) = runs[0]
        else:
            trajectory = None
            final = np.concatenate([r[1] for r in runs])
            turns = np.concatenate([r[2] for r in runs])
            risk, probability, share = (np.concatenate([r[3][k] for r in runs]) for k in range(3))
        # per issue, only the positions of actors who hold a stance on it count (the
        # others sit at the scale's midpoint with no salience there)
        has = view.has_stance[None, :, :]
        weight = share[:, :, None] * has
        total = weight.sum(axis=1)
        # an issue on which nobody holds a stance has no forecast (NaN), as in every model
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = np.where(total > 0, (weight * final).sum(axis=1) / total, np.nan)
        # nor does an issue no actor gives any weight (capability x salience all zero)
        cares = (view.weight * view.has_stance[None]).sum(axis=1) > 0  # (D, I)
        expected = np.where(cares, expected, np.nan)
        best = np.argmax(np.where(has, probability[:, :, None], -1.0), axis=1)
        likely = np.take_along_axis(final, best[:, None, :], axis=1)[:, 0]
        return Forecast(
            model=self.name,
            issue_ids=view.issue_ids,
            outcome=lo + expected * width,
            trajectory=trajectory,
            diagnostics=MappingProxyType(
                {
                    "turns": turns,
                    "risk_attitude": risk,
                    "position_probability": probability,
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
        implementation: Implementation = "auto",
    ) -> SpatialRun:
        """Run the model on KTAB's internal scale.

        Args:
            position: (D, A, K) positions in 0..1.
            salience: (D, A, K) saliences in 0..1 (all divided by the largest actor's
                total when that exceeds 1).
            capability: (D, A) capabilities.
            rng: Generator for the stochastic transition.
            implementation: ``"numpy"`` or ``"compiled"`` to take that path whatever
                the size; ``"auto"`` chooses as :func:`choose_implementation` does.

        Returns:
            The trajectory, turn counts and final-state election.

        Raises:
            ValueError: When ``stochastic`` is set and no ``rng`` is given.
        """
        k = position.shape[-1]
        trajectory, _, turns, (risk, prob, share) = self._simulate(
            position, salience, capability, rng, (np.zeros(k), np.ones(k)), implementation
        )
        assert trajectory is not None  # traced
        return SpatialRun(
            trajectory=trajectory,
            turns=turns,
            risk=risk,
            position_probability=prob,
            share=share,
        )

    def _simulate(
        self,
        position: NDArray[np.float64],
        salience: NDArray[np.float64],
        capability: NDArray[np.float64],
        rng: np.random.Generator | None,
        scale: tuple[NDArray[np.float64], NDArray[np.float64]],
        implementation: Implementation,
        *,
        trace: bool = True,
    ) -> tuple[
        NDArray[np.float64] | None,
        NDArray[np.float64],
        NDArray[np.int64],
        tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
    ]:
        """Every draw's turns and final election, in numpy or the compiled kernel.

        Returns:
            The (D, T + 1, A, K) trajectory mapped to ``lo + x * width`` with ``scale``
            = (lo, width) (draws that stopped earlier repeat their last positions), the
            (D, A, K) final positions on 0..1, the (D,) turn counts, and the final
            election's (D, A) risk attitudes, position probabilities and shares. The
            trajectory is ``None`` with ``trace=False``.
        """
        if self.stochastic and rng is None:
            raise ValueError(
                "the stochastic SMP needs a numpy.random.Generator: pass rng=np.random."
                "default_rng(seed)"
            )
        # only the stochastic transition draws random numbers
        rng = rng if self.stochastic else None
        if implementation == "auto":
            implementation = choose_implementation(self, position.shape)
        if implementation == "numpy":
            return self._simulate_numpy(position, salience, capability, rng, scale, trace)
        return self._simulate_compiled(position, salience, capability, rng, scale, trace)

    def _simulate_numpy(
        self,
        position: NDArray[np.float64],
        salience: NDArray[np.float64],
        capability: NDArray[np.float64],
        rng: np.random.Generator | None,
        scale: tuple[NDArray[np.float64], NDArray[np.float64]],
        trace: bool,
    ) -> tuple[
        NDArray[np.float64] | None,
        NDArray[np.float64],
        NDArray[np.int64],
        tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
    ]:
        """:meth:`_simulate` with numpy (:mod:`zopa.models.spatial_numpy`; no numba)."""
        from zopa.models.spatial_numpy import final_election, run_turns

        lo, width = scale
        pos = np.asarray(position, dtype=np.float64)
        sal = np.asarray(salience, dtype=np.float64)
        cap = np.asarray(capability, dtype=np.float64)
        steps, turns = run_turns(self, pos, sal, cap, rng)
        final = np.ascontiguousarray(steps[:, -1])  # stopped draws repeat their last row
        election = final_election(self, final, sal, cap)
        trajectory = lo + steps * width if trace else None
        return trajectory, final, turns, election

    def _simulate_compiled(
        self,
        position: NDArray[np.float64],
        salience: NDArray[np.float64],
        capability: NDArray[np.float64],
        rng: np.random.Generator | None,
        scale: tuple[NDArray[np.float64], NDArray[np.float64]],
        trace: bool,
    ) -> tuple[
        NDArray[np.float64] | None,
        NDArray[np.float64],
        NDArray[np.int64],
        tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
    ]:
        """:meth:`_simulate` in the compiled kernel (:mod:`zopa.models.kernels.spatial`)."""
        turns_entry = "run_draws" if rng is None else "step_draws"
        # loads numba on first use; a notice when the kernel has to be compiled
        kernel = load_kernel("spatial", self.name, (turns_entry, "elections", "trajectory"))
        lo, width = scale
        pos = np.ascontiguousarray(position, dtype=np.float64)
        d, a, k = pos.shape
        # one factor per draw: the largest total salience becomes at most 1
        largest = salience.sum(axis=-1).max(axis=-1)[:, None, None]
        sal = np.ascontiguousarray(salience / np.maximum(largest, 1.0), dtype=np.float64)
        s2 = sal * sal
        s2_sum = s2.sum(axis=-1)
        statics = (
            sal,
            s2,
            np.where(s2_sum > 0, s2_sum, 1.0),
            sal.sum(axis=-1),
            np.ascontiguousarray(capability, dtype=np.float64),
        )
        settings = np.array(
            [
                kernel.VOTING_RULES.index(self.voting_rule),
                kernel.THIRD_PARTY_COMMIT.index(self.third_party_commit),
                kernel.BARGAIN_INTERPOLATION.index(self.bargain_interpolation),
                kernel.BIG_R_RANGE.index(self.big_r_range),
                kernel.BIG_R_ADJUST.index(self.big_r_adjust),
                self.min_turns,
                self.max_turns,
            ],
            dtype=np.int64,
        )
        params = np.array(
            [self.victory_power, self.min_delta_ratio, self.min_significant_delta],
            dtype=np.float64,
        )
        if rng is not None:
            store, start, turns = self._stochastic_turns(
                kernel, pos, (statics, settings, params), rng
            )
        else:
            store, start, turns = kernel.run_draws(pos, statics, settings, params)
        final = store[start + turns]
        election = kernel.elections(final, statics, settings, params)
        if not trace:
            return None, final, turns, election
        # the trajectory (as long as the longest draw) is written once, on the scales
        trajectory = kernel.trajectory(
            store.reshape(store.shape[0], a * k),
            start,
            turns,
            np.ascontiguousarray(np.broadcast_to(lo, (a, k)), dtype=np.float64).reshape(-1),
            np.ascontiguousarray(np.broadcast_to(width, (a, k)), dtype=np.float64).reshape(-1),
        )
        return trajectory.reshape(d, trajectory.shape[1], a, k), final, turns, election

    def _stochastic_turns(
        self,
        kernel: ModuleType,
        pos: NDArray[np.float64],
        fixed: tuple[tuple[NDArray[np.float64], ...], NDArray[np.int64], NDArray[np.float64]],
        rng: np.random.Generator,
    ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
        """Turns with the stochastic transition, every draw still running a turn at a time.

        Each turn draws one uniform number per actor of every draw still running, in
        the order of the draws. Returns (store, start, turns) as the deterministic
        kernel does (here ``max_turns + 1`` rows per draw).
        """
        statics, settings, params = fixed
        d, a, k = pos.shape
        rows = self.max_turns + 1
        store = np.empty((d * rows, a, k))
        start = np.arange(d, dtype=np.int64) * rows
        store[start] = pos
        turns = np.zeros(d, dtype=np.int64)
        first_step = np.zeros(d)
        active = np.arange(d, dtype=np.int64)
        for turn in range(1, self.max_turns + 1):
            if active.size == 0:
                break
            uniform = rng.random((active.size, a, 1)).reshape(active.size, a)
            stop = kernel.step_draws(
                store, start, active, turn, first_step, statics, settings, params, uniform
            )
            turns[active] = turn
            active = active[~stop]
        return store, start, turns
