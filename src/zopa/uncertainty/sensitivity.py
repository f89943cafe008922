"""Global sensitivity analysis of forecasts: which inputs drive the answer.

Wraps SALib (Herman & Usher 2017) around any registered forecasting model:

- **Sobol'** variance decomposition (Saltelli et al. 2010): the first-order index ``S1`` of an
  input is the share of the forecast's variance it explains on its own; the total-order index
  ``ST`` the share it is involved in, alone or through interactions with other inputs.
  ``ST - S1`` measures interactions; for a model linear in its inputs ``S1 = ST``.
- **Morris** elementary effects (Morris 1991, with ``mu*`` of Campolongo et al. 2007): a
  cheaper screening. ``mu*`` is the mean absolute change of the forecast when the input moves
  from one end of its range to the other (in the issue's scale units); ``sigma`` large
  compared with ``mu*`` signals non-linearity or interactions.

Inputs. By default every position with an analyst's ``range`` varies within it. Optionally,
every salience varies by ± an absolute amount (clipped to 0..1) and every capability by ± a
fraction of itself (clipped at 0). Each input's distribution is either ``triangular`` (mode at
the stated value, the same as :func:`zopa.uncertainty.sample_positions` draws for
``forecast --draws``) or ``uniform`` on its range.

How the distributions are handled. The SALib problem has one variable per varying input,
named ``position:ACTOR:ISSUE``, ``salience:ACTOR:ISSUE`` or ``capability:ACTOR``, each on the
unit interval: a variable is the *quantile* of its input, mapped to a value by the inverse
CDF of the input's distribution. Sobol' indices are unchanged by such a one-to-one map of
each input, and Morris' ``mu*`` becomes "per full range of the input". (SALib's own
``triang`` distribution is not used: it rejects ranges ending below zero and modes at the
top of a range, both of which scenarios allow.)

Every sample is evaluated as ONE batch: the sampled values fill the leading draw axis of a
:class:`~zopa.arrays.ScenarioArrays` view, so vectorised models do the whole design in one
call.

References:
    Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S. (2010).
    Variance based sensitivity analysis of model output. Design and estimator for the total
    sensitivity index. *Computer Physics Communications* 181(2), 259-270.
    Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
    *Technometrics* 33(2), 161-174.
    Campolongo, F., Cariboni, J. & Saltelli, A. (2007). An effective screening design for
    sensitivity analysis of large models. *Environmental Modelling & Software* 22(10).
    Herman, J. & Usher, W. (2017). SALib: An open-source Python library for sensitivity
    analysis. *Journal of Open Source Software* 2(9), 97.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from scipy.stats import qmc

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays
    from zopa.models import ForecastModel

Method = Literal["sobol", "morris"]
Distribution = Literal["triangular", "uniform"]
InputKind = Literal["position", "salience", "capability"]

METHODS: tuple[Method, ...] = ("sobol", "morris")
DISTRIBUTIONS: tuple[Distribution, ...] = ("triangular", "uniform")
MORRIS_LEVELS = 4
"""Grid levels of the Morris design (SALib's default; Morris 1991 uses p = 4 as example)."""


@dataclass(frozen=True, slots=True)
class SensitivityInput:
    """One input that varies: which number, and over what range.

    Attributes:
        name: ``position:ACTOR:ISSUE``, ``salience:ACTOR:ISSUE`` or ``capability:ACTOR``.
        kind: What the input is.
        actor: Actor id.
        issue: Issue id, ``None`` for a capability.
        low: Lowest value the input takes.
        mode: The stated value (the triangular distribution's mode).
        high: Highest value the input takes.
    """

    name: str
    kind: InputKind
    actor: str
    issue: str | None
    low: float
    mode: float
    high: float


@dataclass(frozen=True, slots=True)
class SobolIndex:
    """Sobol' indices of one input for one issue, with 95% confidence half-widths.

    Attributes:
        input: The input's name.
        first_order: S1, the share of variance the input explains alone.
        first_order_conf: Half-width of S1's 95% bootstrap confidence interval.
        total_order: ST, the share of variance the input is involved in.
        total_order_conf: Half-width of ST's 95% bootstrap confidence interval.
    """

    input: str
    first_order: float
    first_order_conf: float
    total_order: float
    total_order_conf: float


@dataclass(frozen=True, slots=True)
class MorrisEffect:
    """Morris elementary-effect statistics of one input for one issue.

    Attributes:
        input: The input's name.
        mu_star: Mean absolute elementary effect (scale units per full range of the input).
        mu_star_conf: Half-width of mu*'s 95% bootstrap confidence interval.
        mu: Mean elementary effect (its sign is the direction of the effect).
        sigma: Standard deviation of the elementary effects.
    """

    input: str
    mu_star: float
    mu_star_conf: float
    mu: float
    sigma: float


@dataclass(frozen=True, slots=True)
class IssueSensitivity:
    """How the forecast of one issue depends on the inputs.

    Attributes:
        issue: Issue id.
        mean: Mean forecast over the design.
        std: Standard deviation of the forecast over the design.
        sobol: Sobol' indices per input (input order), empty for Morris.
        morris: Morris statistics per input (input order), empty for Sobol'.
        note: Why there are no indices (``None`` when there are).
    """

    issue: str
    mean: float
    std: float
    sobol: tuple[SobolIndex, ...] = ()
    morris: tuple[MorrisEffect, ...] = ()
    note: str | None = None

    def ranked(self) -> tuple[SobolIndex, ...] | tuple[MorrisEffect, ...]:
        """The indices, most influential input first (by ST, or by mu* for Morris)."""
        return self.ranked_sobol() if self.sobol else self.ranked_morris()

    def ranked_sobol(self) -> tuple[SobolIndex, ...]:
        """Sobol' indices by decreasing total order (ties by name)."""
        return tuple(sorted(self.sobol, key=lambda s: (-_key(s.total_order), s.input)))

    def ranked_morris(self) -> tuple[MorrisEffect, ...]:
        """Morris statistics by decreasing mu* (ties by name)."""
        return tuple(sorted(self.morris, key=lambda m: (-_key(m.mu_star), m.input)))


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """A sensitivity analysis of one model's forecasts.

    Attributes:
        model: Registered name of the model.
        method: ``sobol`` or ``morris``.
        distribution: ``triangular`` or ``uniform``.
        samples: N (Sobol' base samples, or Morris trajectories).
        evaluations: Number of model evaluations (rows of the design).
        seed: Seed of the design and the bootstrap.
        inputs: The inputs that varied.
        issues: Results per analysed issue.
    """

    model: str
    method: Method
    distribution: Distribution
    samples: int
    evaluations: int
    seed: int
    inputs: tuple[SensitivityInput, ...]
    issues: tuple[IssueSensitivity, ...]

    def issue(self, issue_id: str) -> IssueSensitivity:
        """The result for one issue (``KeyError`` if it was not analysed)."""
        for result in self.issues:
            if result.issue == issue_id:
                return result
        raise KeyError(issue_id)


def _key(value: float) -> float:
    return -np.inf if value != value else value


MIN_SHOWN = 0.005
"""Inputs whose total-order index (or mu* relative to the forecast's sd) is below this are
left out of charts and tables of indices (they stay in the JSON and CSV output)."""


def shown_sobol(result: IssueSensitivity, top: int) -> tuple[SobolIndex, ...]:
    """The ``top`` Sobol' indices worth showing (total order at least ``MIN_SHOWN``)."""
    return tuple(s for s in result.ranked_sobol()[:top] if s.total_order >= MIN_SHOWN)


def shown_morris(result: IssueSensitivity, top: int) -> tuple[MorrisEffect, ...]:
    """The ``top`` Morris effects worth showing (mu* at least ``MIN_SHOWN`` x the sd)."""
    return tuple(m for m in result.ranked_morris()[:top] if m.mu_star >= MIN_SHOWN * result.std)


def sensitivity_inputs(
    view: ScenarioArrays,
    *,
    positions: bool = True,
    salience_spread: float = 0.0,
    capability_spread: float = 0.0,
) -> tuple[SensitivityInput, ...]:
    """The inputs that vary, in a fixed order (positions, saliences, capabilities).

    Args:
        view: A point-estimate view (D = 1).
        positions: Vary every position that has a range, within its range.
        salience_spread: Vary every stance's salience by ± this (absolute, clipped to 0..1).
        capability_spread: Vary every capability by ± this fraction of itself (clipped at 0).

    Returns:
        One :class:`SensitivityInput` per varying input; inputs whose range is empty are left
        out.
    """
    if view.n_draws != 1:
        raise ValueError(f"expected a point-estimate view (D = 1), got D = {view.n_draws}")
    if salience_spread < 0 or capability_spread < 0:
        raise ValueError("spreads must be >= 0")
    out: list[SensitivityInput] = []
    has = view.has_stance
    if positions:
        for a, i in zip(*np.nonzero(has & (view.position_high > view.position_low)), strict=True):
            out.append(
                SensitivityInput(
                    name=f"position:{view.actor_ids[a]}:{view.issue_ids[i]}",
                    kind="position",
                    actor=view.actor_ids[a],
                    issue=view.issue_ids[i],
                    low=float(view.position_low[a, i]),
                    mode=float(view.position[0, a, i]),
                    high=float(view.position_high[a, i]),
                )
            )
    if salience_spread > 0:
        sal = view.salience[0]
        low, high = np.clip(sal - salience_spread, 0, 1), np.clip(sal + salience_spread, 0, 1)
        for a, i in zip(*np.nonzero(has & (high > low)), strict=True):
            out.append(
                SensitivityInput(
                    name=f"salience:{view.actor_ids[a]}:{view.issue_ids[i]}",
                    kind="salience",
                    actor=view.actor_ids[a],
                    issue=view.issue_ids[i],
                    low=float(low[a, i]),
                    mode=float(sal[a, i]),
                    high=float(high[a, i]),
                )
            )
    if capability_spread > 0:
        cap = view.capability[0]
        low, high = np.clip(cap * (1 - capability_spread), 0, None), cap * (1 + capability_spread)
        for a in np.nonzero(high > low)[0]:
            out.append(
                SensitivityInput(
                    name=f"capability:{view.actor_ids[a]}",
                    kind="capability",
                    actor=view.actor_ids[a],
                    issue=None,
                    low=float(low[a]),
                    mode=float(cap[a]),
                    high=float(high[a]),
                )
            )
    return tuple(out)


def salib_problem(inputs: Sequence[SensitivityInput]) -> dict[str, Any]:
    """The SALib problem: one unit-interval variable (the input's quantile) per input."""
    return {
        "num_vars": len(inputs),
        "names": [x.name for x in inputs],
        "bounds": [[0.0, 1.0]] * len(inputs),
    }


def input_values(
    inputs: Sequence[SensitivityInput],
    quantiles: NDArray[np.float64],
    distribution: Distribution = "triangular",
) -> NDArray[np.float64]:
    """Map an (n, k) design of quantiles to input values by each input's inverse CDF."""
    low = np.array([x.low for x in inputs])
    high = np.array([x.high for x in inputs])
    width = high - low
    u = np.clip(quantiles, 0.0, 1.0)
    if distribution == "uniform":
        values: NDArray[np.float64] = low + u * width
        return values
    if distribution != "triangular":
        raise ValueError(f"unknown distribution {distribution!r}; use one of {DISTRIBUTIONS}")
    mode = np.array([x.mode for x in inputs])
    c = np.where(width > 0, (mode - low) / np.where(width > 0, width, 1.0), 0.5)
    left = low + np.sqrt(u * c) * width
    right = high - np.sqrt((1 - u) * (1 - c)) * width
    triangular: NDArray[np.float64] = np.where(u < c, left, right)
    return triangular


def design_view(
    view: ScenarioArrays, inputs: Sequence[SensitivityInput], values: NDArray[np.float64]
) -> ScenarioArrays:
    """The view with one draw per row of ``values`` (n, k): every input set to its value.

    Arrays with no varying input stay broadcast views of the point estimate (no copy).
    """
    n = values.shape[0]
    a_index = {a: k for k, a in enumerate(view.actor_ids)}
    i_index = {i: k for k, i in enumerate(view.issue_ids)}
    arrays: dict[str, NDArray[np.float64]] = {}
    for kind in ("position", "salience"):
        cols = [k for k, x in enumerate(inputs) if x.kind == kind]
        current: NDArray[np.float64] = getattr(view, kind)
        if not cols:
            arrays[kind] = np.broadcast_to(current, (n, *current.shape[1:]))
            continue
        batch = np.repeat(current, n, axis=0)
        a = [a_index[inputs[k].actor] for k in cols]
        i = [i_index[str(inputs[k].issue)] for k in cols]
        batch[:, a, i] = values[:, cols]
        arrays[kind] = batch
    cols = [k for k, x in enumerate(inputs) if x.kind == "capability"]
    capability = np.repeat(view.capability, n, axis=0)
    if cols:
        capability[:, [a_index[inputs[k].actor] for k in cols]] = values[:, cols]
    arrays["capability"] = capability
    for arr in arrays.values():
        arr.setflags(write=False)
    return dataclasses.replace(
        view,
        position=arrays["position"],
        salience=arrays["salience"],
        capability=arrays["capability"],
    )


def saltelli_design(n: int, k: int, seed: int) -> NDArray[np.float64]:
    """SALib's Saltelli design for first- and total-order indices, built without loops.

    Row for row the matrix ``SALib.sample.sobol.sample(problem, n, calc_second_order=False,
    seed=seed)`` returns on unit bounds (a test checks they are equal): for each base point,
    A, then A with column j taken from B for every j, then B, where A and B are the two
    halves of a scrambled Sobol' sequence of dimension 2k. SALib builds it in a Python loop
    over n (k + 2) x k cells, which dominates the run time for large designs.
    """
    base = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random(n)
    a, b = base[:, :k], base[:, k:]
    block = np.repeat(a[:, None, :], k + 2, axis=1)
    cols = np.arange(k)
    block[:, 1 + cols, cols] = b
    block[:, -1, :] = b
    design: NDArray[np.float64] = block.reshape(n * (k + 2), k)
    return design


def analyse_sensitivity(
    view: ScenarioArrays,
    model: ForecastModel,
    *,
    inputs: Sequence[SensitivityInput] | None = None,
    method: Method = "sobol",
    samples: int = 512,
    seed: int = 0,
    distribution: Distribution = "triangular",
    issues: Sequence[str] | None = None,
    evaluate: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = None,
) -> SensitivityResult:
    """Sobol' or Morris sensitivity of a model's forecasts to the varying inputs.

    Args:
        view: A point-estimate view (D = 1).
        model: The forecasting model (evaluated once, on the whole design as one batch).
        inputs: The varying inputs; default :func:`sensitivity_inputs` (positions with a range).
        method: ``sobol`` (Saltelli design, N (k + 2) evaluations) or ``morris``
            (N trajectories, N (k + 1) evaluations).
        samples: N. For Sobol' a power of 2 (the Sobol' sequence's balance needs it).
        seed: Seed of the design and of the bootstrap confidence intervals.
        distribution: ``triangular`` (mode at the stated value) or ``uniform`` on each range.
        issues: Issue ids to analyse (default every issue).
        evaluate: Maps the design's (n, k) input values to the model's (n, I) outcomes
            (e.g. in blocks of rows on an executor); default: one call of ``model`` on
            the whole design with ``default_rng(seed)``.

    Returns:
        The indices per issue. An issue whose forecast does not vary over the design, or
        that has no forecast, carries a ``note`` instead of indices.

    Raises:
        ValueError: Nothing varies, an unknown issue or method, or a bad sample size.
    """
    chosen = tuple(sensitivity_inputs(view) if inputs is None else inputs)
    if not chosen:
        raise ValueError("nothing varies: give stances a `range` (or vary saliences/capabilities)")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if samples < 2:
        raise ValueError(f"samples must be at least 2, got {samples}")
    if method == "sobol" and samples & (samples - 1):
        raise ValueError(
            f"Sobol' samples must be a power of 2 (e.g. 256, 512, 1024), got {samples}"
        )
    wanted = tuple(view.issue_ids if issues is None else issues)
    unknown = [i for i in wanted if i not in view.issue_ids]
    if unknown:
        raise ValueError(
            f"unknown issue(s) {', '.join(unknown)}; known: {', '.join(view.issue_ids)}"
        )

    problem = salib_problem(chosen)
    if method == "sobol":
        design = saltelli_design(samples, len(chosen), seed)
    else:
        design = morris_sample.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    design = np.asarray(design, dtype=float)
    values = input_values(chosen, design, distribution)
    if evaluate is not None:
        outcome = evaluate(values)
    else:
        outcome = model.forecast(
            design_view(view, chosen, values), rng=np.random.default_rng(seed)
        ).outcome
    # SALib's bootstrap falls back to the global generator for seed 0: derive a non-zero seed
    boot_seed = int(np.random.default_rng(seed).integers(1, 2**31 - 1))
    results = []
    for issue in wanted:
        y = np.asarray(outcome[:, view.issue_ids.index(issue)], dtype=float)
        results.append(_analyse_issue(issue, problem, design, y, method, boot_seed))
    return SensitivityResult(
        model=str(getattr(model, "name", type(model).__name__)),
        method=method,
        distribution=distribution,
        samples=samples,
        evaluations=int(design.shape[0]),
        seed=seed,
        inputs=chosen,
        issues=tuple(results),
    )


def _sobol_indices(
    names: Sequence[str], y: NDArray[np.float64], seed: int = 0
) -> tuple[SobolIndex, ...]:
    """SALib's first- and total-order indices of the outputs ``y`` of a Saltelli design.

    An input whose every cross-sample AB_j gives the same output as A never changed the
    forecast in the design: both Saltelli (2010) estimators are exactly zero for it, so it
    gets S1 = ST = 0 and is left out of SALib's call. This keeps the analysis of an issue
    proportional to the inputs that can move it (positions on other issues cannot move an
    issue-by-issue model like the median or the compromise).
    """
    k = len(names)
    rows = y.reshape(-1, k + 2)
    moves = (rows[:, 1 : k + 1] != rows[:, :1]).any(axis=0)
    keep = np.flatnonzero(moves) if moves.any() else np.arange(k)
    reduced = rows[:, np.r_[0, 1 + keep, k + 1]].reshape(-1)
    problem = {"num_vars": len(keep), "names": [names[int(j)] for j in keep]}
    problem["bounds"] = [[0.0, 1.0]] * len(keep)
    si = sobol_analyze.analyze(problem, reduced, calc_second_order=False, seed=seed)
    out = {name: SobolIndex(name, 0.0, 0.0, 0.0, 0.0) for name in names}
    for m, j in enumerate(keep):
        out[names[int(j)]] = SobolIndex(
            input=names[int(j)],
            first_order=float(si["S1"][m]),
            first_order_conf=float(si["S1_conf"][m]),
            total_order=float(si["ST"][m]),
            total_order_conf=float(si["ST_conf"][m]),
        )
    return tuple(out[name] for name in names)


def _analyse_issue(
    issue: str,
    problem: dict[str, Any],
    design: NDArray[np.float64],
    y: NDArray[np.float64],
    method: Method,
    seed: int,
) -> IssueSensitivity:
    nan = float("nan")
    if np.isnan(y).all():
        return IssueSensitivity(issue, nan, nan, note="no forecast (no actor holds a stance)")
    if np.isnan(y).any():
        share = float(np.isnan(y).mean())
        return IssueSensitivity(
            issue,
            float(np.nanmean(y)),
            float(np.nanstd(y)),
            note=f"the model gave no forecast in {share:.1%} of the design's draws",
        )
    mean, std = float(y.mean()), float(y.std())
    scale = max(abs(mean), 1.0)
    if std <= 1e-9 * scale:
        return IssueSensitivity(issue, mean, std, note="the forecast does not vary")
    names = problem["names"]
    if method == "sobol":
        return IssueSensitivity(issue, mean, std, sobol=_sobol_indices(names, y, seed))
    si = morris_analyze.analyze(problem, design, y, num_levels=MORRIS_LEVELS, seed=seed)
    morris = tuple(
        MorrisEffect(
            input=name,
            mu_star=float(si["mu_star"][k]),
            mu_star_conf=float(si["mu_star_conf"][k]),
            mu=float(si["mu"][k]),
            sigma=float(si["sigma"][k]),
        )
        for k, name in enumerate(names)
    )
    return IssueSensitivity(issue, mean, std, morris=morris)
