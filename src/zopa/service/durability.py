"""Will it hold: a deal's ceasefire survival, deterrence balance and ending; deals compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.service.errors import BadInput, argument_problem
from zopa.service.loading import DealFile, Loader, check_draws
from zopa.service.overrides import Overrides, apply_overrides
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from collections.abc import Callable

    from zopa.durability.assess import DealAssessment
    from zopa.durability.deal import Mechanisms
    from zopa.durability.parameters import DurabilityParameters
    from zopa.durability.simulate import DurabilityResult, Interval
    from zopa.execution import Executor
    from zopa.uncertainty.monte_carlo import DrawBlock

DRAWS_RANGE = (100, 1_000_000)

#: Parameter draws per block: the unit of seeding of the durability draws. Block ``b``
#: draws from ``SeedSequence(seed)`` (b = 0; what ``default_rng(seed)`` uses, so up to
#: 10,000 draws are those of one batch drawn with the seed) or its child ``b``. Blocks
#: run on the executor, grouped :data:`BLOCKS_PER_TASK` to a task; the results are the
#: same whatever the grouping and the number of workers.
BLOCK_DRAWS = 10_000
BLOCKS_PER_TASK = 1

#: Below this many draws in all (deals x draws), the default executor runs the blocks in
#: this process: a durability draw costs about 25 µs, so starting worker processes
#: (about 2 s) would cost more than it saves. Given ``workers`` or ``dask`` are obeyed.
IN_PROCESS_BELOW = 400_000


def mechanism_setting(m: Mechanisms, name: str, *, short: bool = False) -> str:
    """A mechanism's setting in words (``short``: without names of states)."""
    if name == "dmz":
        if m.dmz_width_km is None:
            return "yes, width not stated"
        return f"{m.dmz_width_km:g} km" if m.dmz_width_km else "none"
    if name == "snapback":
        return "yes" if m.snapback else "no"
    if name == "guarantees":
        extra = f" ({', '.join(m.guarantors)})" if m.guarantors and not short else ""
        return m.guarantees + extra + (", conditional" if m.guarantees_conditional else "")
    if name == "monitoring" and m.monitoring_lead and not short:
        return f"{m.monitoring} (lead: {m.monitoring_lead})"
    value: str = getattr(m, name)
    return value


def _interval(i: Interval) -> dict[str, float]:
    return {"mean": i.mean, "median": i.median, "low": i.low, "high": i.high}


def assessment_dict(a: DealAssessment, params: DurabilityParameters) -> dict[str, Any]:
    """The documented JSON of one deal's assessment (see docs/durability.md)."""
    from zopa.durability.parameters import HAZARD_MECHANISMS
    from zopa.durability.simulate import Interval

    r, e, m = a.result, a.ending, a.deal.mechanisms
    mean, _, low, high = r.survival_band()
    b_med, b_low, b_high = r.balance_band()
    caps = m.force_caps
    return {
        "deal": {"id": a.deal.id, "title": a.deal.title, "date": a.deal.date},
        "scenario": a.scenario.title,
        "draws": r.n_draws,
        "seed": r.seed,
        "band": [0.05, 0.95],
        "p_hold": {str(y): _interval(v) for y, v in r.hold().items()},
        "survival": {
            "years": r.times.tolist(),
            "mean": mean.tolist(),
            "low": low.tolist(),
            "high": high.tolist(),
        },
        "mechanisms": {
            name: {
                "setting": mechanism_setting(m, name),
                "hazard_ratio": _interval(Interval.of(r.mechanism_ratios[name])),
                "parameter_status": params[f"hr.{name}"].status.value,
            }
            for name in HAZARD_MECHANISMS
        }
        | {
            "force_caps": {
                "defender_personnel": caps.defender_personnel,
                "weapons_limits": caps.weapons_limits,
            },
            "arms_supply": {"setting": m.arms_supply},
        },
        "hazard_ratio": _interval(Interval.of(r.hazard_ratio)),
        "deterrence": {
            "years": r.times.tolist(),
            "balance_median": b_med.tolist(),
            "balance_low": b_low.tolist(),
            "balance_high": b_high.tolist(),
            "by_year": [
                {
                    "year": y.year,
                    "attacker": _interval(y.attacker),
                    "defender": _interval(y.defender),
                    "balance": _interval(y.balance),
                    "p_below_parity": y.p_below_parity,
                }
                for y in r.balance_by_year()
            ],
            "window_of_vulnerability": [list(w) for w in r.vulnerability_windows()],
        },
        "ending": {
            "ending": e.ending.value,
            "reasons": list(e.reasons),
            "margins": {
                "red_line": e.red_line_margin,
                "balance": e.balance_margin,
                "durability": e.durability_margin,
                "settlement": e.settlement_margin,
            },
            "red_lines": [
                {"issue": x.issue, "value": x.value, "red_line": x.red_line, "margin": x.margin}
                for x in e.red_lines
            ],
            "unsettled_core": list(e.unsettled_core),
            "unchecked": list(e.unchecked),
            "thresholds": {
                "p_hold_5y_durable": params.ending.p_hold_5y_durable,
                "balance_floor": params.ending.balance_floor,
                "max_unsettled_core": params.ending.max_unsettled_core,
                "status": params.ending.status.value,
            },
        },
        "utilities": [
            {"actor": u.actor, "deal": u.deal, "no_deal": u.no_deal, "gain": u.gain}
            for u in a.utilities
        ],
        "drivers": [
            {
                "parameter": pid,
                "rank_correlation": rho,
                "status": params[pid].status.value,
            }
            for pid, rho in r.drivers()
        ],
        "notes": list(r.notes),
    }


def assessment_rows(a: DealAssessment) -> list[dict[str, Any]]:
    """Per-year rows of one deal: survival and deterrence balance with their 5–95% bands.

    Columns: ``plan`` (the deal's id), ``year``, ``p_hold`` (mean) with ``low`` and
    ``high``, ``balance`` (median) with ``balance_low`` and ``balance_high``, and
    ``p_below_parity``.
    """
    r = a.result
    mean, _, low, high = r.survival_band()
    rows = []
    for yb in r.balance_by_year():
        k = r.index(yb.year)
        rows.append(
            {
                "plan": a.deal.id,
                "year": yb.year,
                "p_hold": round(float(mean[k]), 6),
                "low": round(float(low[k]), 6),
                "high": round(float(high[k]), 6),
                "balance": round(yb.balance.median, 6),
                "balance_low": round(yb.balance.low, 6),
                "balance_high": round(yb.balance.high, 6),
                "p_below_parity": round(yb.p_below_parity, 6),
            }
        )
    return rows


@dataclass(frozen=True, eq=False)
class DurabilityReport(Result):
    """One or more deals assessed on the same parameter draws.

    Attributes:
        assessments: One per deal, in the order given.
        parameters: The durability parameters the draws came from.
        draws: Monte Carlo draws of the parameters.
        seed: Seed of the draws (the same for every deal).
        compared: Whether the deals are compared side by side (JSON ``{"deals": [...]}``).
    """

    assessments: tuple[DealAssessment, ...]
    parameters: DurabilityParameters
    draws: int
    seed: int
    compared: bool = False

    @property
    def assessment(self) -> DealAssessment:
        """The first (for :func:`durability`, the only) deal's assessment."""
        return self.assessments[0]

    def to_dict(self) -> dict[str, Any]:
        """One deal's documented JSON; for several, ``{"deals": [...]}`` (docs/durability.md)."""
        if not self.compared:
            data: dict[str, Any] = jsonable(assessment_dict(self.assessment, self.parameters))
            return data
        return {"deals": [jsonable(assessment_dict(a, self.parameters)) for a in self.assessments]}

    def to_rows(self) -> list[dict[str, Any]]:
        """Per deal and year: survival and balance with their bands."""
        return [row for a in self.assessments for row in assessment_rows(a)]


def durability_blocks(
    deals: tuple[tuple[str, Mechanisms], ...],
    parameters: DurabilityParameters,
    seed: int,
    task: tuple[int, tuple[DrawBlock, ...]],
) -> DurabilityResult:
    """One executor task: one deal's durability on consecutive blocks of parameter draws."""
    import numpy as np

    from zopa.durability.simulate import analyse_durability

    index, blocks = task
    deal_id, mechanisms = deals[index]
    parts = [
        analyse_durability(
            deal_id,
            mechanisms,
            parameters,
            n_draws=block.size,
            rng=np.random.default_rng(block.seed_sequence(seed)),
        )
        for block in blocks
    ]
    return join_results(parts, seed)


def join_results(parts: Sequence[DurabilityResult], seed: int) -> DurabilityResult:
    """One result of the draws of several results (blocks of one deal, in order)."""
    import dataclasses

    import numpy as np

    from zopa.durability.deterrence import DeterrenceTrajectory
    from zopa.durability.parameters import ParameterDraws
    from zopa.frozen import FrozenMap

    first = parts[0]
    if len(parts) == 1:
        return dataclasses.replace(first, seed=seed)

    def joined(arrays: Sequence[Any]) -> Any:
        out = np.concatenate(arrays)
        out.setflags(write=False)
        return out

    draws = None
    drawn = [p.draws for p in parts if p.draws is not None]
    if len(drawn) == len(parts):
        draws = ParameterDraws(
            values=FrozenMap({k: joined([d.values[k] for d in drawn]) for k in drawn[0].values})
        )
    return dataclasses.replace(
        first,
        survival=joined([p.survival for p in parts]),
        hazard_ratio=joined([p.hazard_ratio for p in parts]),
        mechanism_ratios=FrozenMap(
            {k: joined([p.mechanism_ratios[k] for p in parts]) for k in first.mechanism_ratios}
        ),
        deterrence=DeterrenceTrajectory(
            times=first.deterrence.times,
            attacker=joined([p.deterrence.attacker for p in parts]),
            defender=joined([p.deterrence.defender for p in parts]),
            balance=joined([p.deterrence.balance for p in parts]),
        ),
        seed=seed,
        draws=draws,
    )


def assess(
    deals: Sequence[DealFile],
    parameters: DurabilityParameters,
    draws: int,
    seed: int,
    *,
    compared: bool,
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    blocks_per_task: int = BLOCKS_PER_TASK,
    overrides: Overrides | None = None,
) -> DurabilityReport:
    """Assess loaded deals on the same parameter draws (``draws`` checked).

    The draws run in blocks of :data:`BLOCK_DRAWS` on the executor (one task per deal
    and group of ``blocks_per_task`` blocks); every deal draws the same parameters
    (common random numbers), so differences between deals come from their terms. With
    ``overrides``, each deal is assessed on its scenario so changed.
    """
    from zopa.durability.assess import DealAssessment
    from zopa.durability.ending import classify_ending
    from zopa.durability.utilities import deal_utilities
    from zopa.execution import group
    from zopa.service.executors import executor_problems, open_for_analysis
    from zopa.uncertainty.monte_carlo import draw_blocks

    problems = executor_problems(workers, dask)
    try:
        check_draws(draws, low=DRAWS_RANGE[0], high=DRAWS_RANGE[1])
    except BadInput as exc:
        problems = exc.problems + problems
    if problems:
        raise BadInput(problems)
    scenarios = [apply_overrides(d.scenario, overrides) for d in deals]
    chunks = group(draw_blocks(draws, BLOCK_DRAWS), blocks_per_task)
    tasks = [(k, chunk) for k in range(len(deals)) for chunk in chunks]
    shared = (tuple((d.deal.id, d.deal.mechanisms) for d in deals), parameters, seed)
    parts: list[list[DurabilityResult]] = [[] for _ in deals]
    total = draws * len(deals)
    if workers is None and not dask and executor is None and total < IN_PROCESS_BELOW:
        workers = 1
    # local workers are threads: no start-up, and scripts calling this need no main guard
    with open_for_analysis(workers=workers, dask=dask, executor=executor, threads=True) as runner:
        results = runner.map(durability_blocks, tasks, shared=shared)
        try:
            done = 0
            for (k, chunk), part in zip(tasks, results, strict=True):
                parts[k].append(part)
                done += chunk[-1].stop - chunk[0].start
                if progress is not None:
                    progress(done, total)
        finally:
            results.close()
    assessments = []
    for d, scenario, pieces in zip(deals, scenarios, parts, strict=True):
        result = join_results(pieces, seed)
        assessments.append(
            DealAssessment(
                deal=d.deal,
                scenario=scenario,
                result=result,
                ending=classify_ending(d.deal, result, parameters.ending, scenario),
                utilities=deal_utilities(d.deal, scenario),
            )
        )
    return DurabilityReport(
        tuple(assessments), parameters, draws, seed, compared, overrides=overrides or Overrides()
    )


def durability(
    deal: DealFile | Path | str,
    *,
    parameters: DurabilityParameters | Path | str | None = None,
    draws: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    overrides: Overrides | None = None,
) -> DurabilityReport:
    """Will a deal's ceasefire hold, does it deter renewed attack, and which ending follows.

    Args:
        deal: A loaded deal file, or the path of one.
        parameters: Durability parameters, or the path of a parameter file (default:
            those shipped with zopa).
        draws: Monte Carlo draws of the parameters (100..1,000,000), in blocks of
            :data:`BLOCK_DRAWS` each seeded on its own from ``seed``.
        seed: Seed of the draws.
        workers: Local worker threads (``None``: one per core, or this process below
            :data:`IN_PROCESS_BELOW` draws in all), or the workers of a Dask
            LocalCluster.
        dask: ``"local"`` or a Dask scheduler's address: run the blocks there.
        executor: An executor already open (it stays open).
        progress: Called after each task with (draws done, draws in all).
        overrides: What-if changes to the scenario each deal is about (positions,
            saliences, capabilities, actors dropped), checked like a file.

    Raises:
        BadInput: A file with problems, draws out of range, bad executor arguments.
        AnalysisFailed: The Dask executor could not start.
    """
    (loaded,), params = _load([deal], parameters, Loader())
    return assess(
        [loaded],
        params,
        draws,
        seed,
        compared=False,
        workers=workers,
        dask=dask,
        executor=executor,
        progress=progress,
        overrides=overrides,
    )


def compare(
    deals: Sequence[DealFile | Path | str],
    *,
    parameters: DurabilityParameters | Path | str | None = None,
    draws: int = 10_000,
    seed: int = 0,
    loader: Loader | None = None,
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    overrides: Overrides | None = None,
) -> DurabilityReport:
    """Several deals side by side, on the same parameter draws (same seed).

    The draws run as in :func:`durability`, on the executor the arguments name;
    ``overrides`` (what-if changes) apply to the scenario each deal is about.

    Raises:
        BadInput: Fewer than two deals, the same deal twice, files with problems.
        AnalysisFailed: The Dask executor could not start.
    """
    if len(deals) < 2:
        raise BadInput([argument_problem("deals", "give two or more deal files to compare")])
    loaded, params = _load(deals, parameters, loader or Loader())
    ids = [d.deal.id for d in loaded]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise BadInput(
            [argument_problem("deals", f"the same deal is given twice: {', '.join(twice)}")]
        )
    return assess(
        loaded,
        params,
        draws,
        seed,
        compared=True,
        workers=workers,
        dask=dask,
        executor=executor,
        progress=progress,
        overrides=overrides,
    )


def _load(
    deals: Sequence[DealFile | Path | str],
    parameters: DurabilityParameters | Path | str | None,
    loader: Loader,
) -> tuple[list[DealFile], DurabilityParameters]:
    """Deals and parameters read with one loader; every file's problems at once."""
    problems = []
    params = None
    if parameters is None or isinstance(parameters, (Path, str)):
        try:
            params = loader.parameters(parameters)
        except BadInput as exc:
            problems += exc.problems
    else:
        params = parameters
    paths = [d for d in deals if not isinstance(d, DealFile)]
    read: list[DealFile] = []
    try:
        read = loader.deals(paths) if paths else []
    except BadInput as exc:
        problems += exc.problems
    if problems or params is None:
        raise BadInput(problems)
    given = iter(read)
    return [d if isinstance(d, DealFile) else next(given) for d in deals], params
