"""Monte Carlo forecasts in fixed blocks of draws, each block seeded on its own.

The draws of a run are cut into blocks of :data:`BLOCK_DRAWS` (the last one shorter).
Block ``b`` takes every random number it needs (its positions, then each random model's
numbers) from generators on its own ``numpy.random.SeedSequence``: block 0 the
sequence of the seed itself (``SeedSequence(seed)``, what ``numpy.random.default_rng(seed)``
uses, so a run of up to :data:`BLOCK_DRAWS` draws gives the numbers that one batch of
all draws gave before blocks), block ``b >= 1`` child ``b`` of it (spawn key ``(b,)``).
A block's numbers therefore depend on the seed and the block's number only: not on how
many blocks run together, in which order or on which worker, and a run of D draws is
the first D draws of any longer run with the same seed.

Each block runs every model once on its batch of draws with ``trace=False`` and hands
the (n, I) outcomes on; the memory a run needs is one block's working memory plus the
per-draw outcomes (see :mod:`zopa.uncertainty.outcomes`).

The blocks run on an executor (:mod:`zopa.execution`): in this process, on local
worker processes or threads, or on Dask workers, grouped ``blocks_per_task`` blocks to a
task. The outcomes are taken in the order of the blocks, so the numbers are the same
whatever the executor, the number of workers and the grouping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.uncertainty.outcomes import MEMORY_BUDGET, DrawOutcomes, OutcomeCollector
from zopa.uncertainty.sampling import sample_positions

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays
    from zopa.execution import Executor
    from zopa.models import Forecast, ForecastModel

#: Draws per block: the unit of seeding (fixed, so that results never depend on how
#: blocks are grouped) and of the working memory of a run.
BLOCK_DRAWS = 2000


@dataclass(frozen=True)
class DrawBlock:
    """One block of a run's draws.

    Attributes:
        index: The block's number b (0 first).
        start: Index of its first draw in the run.
        stop: One past its last draw.
    """

    index: int
    start: int
    stop: int

    @property
    def size(self) -> int:
        """Draws in the block."""
        return self.stop - self.start

    def seed_sequence(self, seed: int) -> np.random.SeedSequence:
        """The block's seed sequence: the seed's own for block 0, its child b after."""
        if self.index == 0:
            return np.random.SeedSequence(seed)
        return np.random.SeedSequence(seed, spawn_key=(self.index,))


def draw_blocks(draws: int, size: int | None = None) -> tuple[DrawBlock, ...]:
    """The blocks of a run of ``draws`` draws, ``size`` each (default :data:`BLOCK_DRAWS`)."""
    step = BLOCK_DRAWS if size is None else size
    return tuple(
        DrawBlock(b, start, min(start + step, draws))
        for b, start in enumerate(range(0, draws, step))
    )


def forecast_block(
    models: Mapping[str, ForecastModel],
    view: ScenarioArrays,
    block: DrawBlock,
    seed: int,
    *,
    threads: int = 1,
) -> dict[str, NDArray[np.float64]]:
    """Every model's (n, I) outcomes on one block of draws of the positions.

    Args:
        models: The models, by name.
        view: The point-estimate view (D = 1).
        block: The block to run.
        seed: The run's seed.
        threads: Models run side by side on this many threads (the compiled kernels
            release the GIL). Each model draws from its own generator seeded by the
            block, so the numbers are the same whatever the number.

    Returns:
        ``{model: (block.size, I) outcomes}``.
    """
    seeds = block.seed_sequence(seed)
    batch = sample_positions(view, block.size, np.random.default_rng(seeds))

    def run(model: ForecastModel) -> NDArray[np.float64]:
        return model.forecast(batch, rng=np.random.default_rng(seeds), trace=False).outcome

    if threads <= 1 or len(models) < 2:
        return {name: run(model) for name, model in models.items()}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(threads, len(models))) as pool:
        futures = {name: pool.submit(run, model) for name, model in models.items()}
        return {name: f.result() for name, f in futures.items()}


def forecast_blocks(
    models: Mapping[str, ForecastModel],
    view: ScenarioArrays,
    seed: int,
    blocks: tuple[DrawBlock, ...],
    *,
    threads: int = 1,
) -> dict[str, NDArray[np.float64]]:
    """Every model's outcomes on consecutive blocks of draws (one executor task).

    ``threads``: models of a block run side by side on this many threads (same numbers).

    Returns:
        ``{model: (draws in the blocks, I) outcomes}``, the blocks in order.
    """
    parts = [forecast_block(models, view, block, seed, threads=threads) for block in blocks]
    if len(parts) == 1:
        return parts[0]
    return {name: np.concatenate([p[name] for p in parts]) for name in models}


def forecast_draws(
    models: Mapping[str, ForecastModel],
    view: ScenarioArrays,
    draws: int,
    seed: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    memory_budget: int | None = None,
    workers: int | None = 1,
    executor: Executor | None = None,
    blocks_per_task: int = 1,
    threads: int = 1,
) -> dict[str, DrawOutcomes]:
    """Every model's outcomes on ``draws`` Monte Carlo draws of the positions, by blocks.

    Args:
        models: The models, by name.
        view: The point-estimate view (D = 1).
        draws: Number of draws (at least 1).
        seed: Seed of the draws and of the random models.
        progress: Called after each task with (draws done, draws in all).
        memory_budget: Bytes the per-draw outcomes of all models may take in memory;
            beyond it they are spooled to a temporary file (default
            :data:`~zopa.uncertainty.outcomes.MEMORY_BUDGET`).
        workers: Without ``executor``: local worker processes (``None``: one per
            core); 1 runs the blocks here.
        executor: Where the blocks run (default: a local executor with ``workers``,
            closed at the end; a given executor stays open).
        blocks_per_task: Blocks of draws in one task.
        threads: Within a task, the models run side by side on this many threads (the
            numbers do not change).

    Returns:
        ``{model: outcomes}``, (D, I) each.
    """
    from functools import partial

    from zopa.execution import LocalExecutor, group

    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    budget = MEMORY_BUDGET if memory_budget is None else memory_budget
    share = budget // max(len(models), 1)
    collectors = {name: OutcomeCollector(draws, view.n_issues, share) for name in models}
    tasks = group(draw_blocks(draws), blocks_per_task)
    runner = executor if executor is not None else LocalExecutor(workers)
    work = forecast_blocks if threads <= 1 else partial(forecast_blocks, threads=threads)
    results = runner.map(work, tasks, shared=(models, view, seed))
    try:
        for task, outcomes in zip(tasks, results, strict=True):
            for name, outcome in outcomes.items():
                collectors[name].add(outcome)
            if progress is not None:
                progress(task[-1].stop, draws)
    finally:
        results.close()  # cancels the tasks not started when the run stops early
        if executor is None:
            runner.close()
    return {name: c.finish() for name, c in collectors.items()}


#: Draws whose whole trajectories a run with draws keeps when traces are asked for: the
#: first ones of the run (block 0), never all (a trajectory is rounds x actors x issues).
TRACE_DRAWS = 10


def trace_sample(
    models: Mapping[str, ForecastModel],
    view: ScenarioArrays,
    draws: int,
    seed: int,
    size: int = TRACE_DRAWS,
) -> dict[str, Forecast]:
    """Every model's forecast with its trajectory on the first ``size`` draws of a run.

    The positions are the run's first ``min(size, draws)`` draws: block 0's generator
    fills draws in order, so a shorter batch from the same seed holds the same first
    draws. A deterministic model's trajectories therefore end at the outcomes of those
    draws in the run; a model with random elements (the stochastic SMP) runs them with
    block 0's seed too, but its random numbers are consumed by a batch of this size, so
    its sampled trajectories illustrate the draws rather than reproduce them one by one.
    """
    block = DrawBlock(0, 0, min(size, draws))
    seeds = block.seed_sequence(seed)
    batch = sample_positions(view, block.size, np.random.default_rng(seeds))
    return {
        name: model.forecast(batch, rng=np.random.default_rng(seeds), trace=True)
        for name, model in models.items()
    }
