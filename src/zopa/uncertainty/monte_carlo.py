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

The local executor runs the blocks in this process (``workers=1``) or in a pool of
worker processes (started with ``spawn``, so that nothing of this process's threads is
inherited); the outcomes are taken in the order of the blocks, so the numbers are the
same whatever the number of workers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

from zopa.uncertainty.outcomes import MEMORY_BUDGET, DrawOutcomes, OutcomeCollector
from zopa.uncertainty.sampling import sample_positions

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays
    from zopa.models import ForecastModel

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


def draw_blocks(draws: int) -> tuple[DrawBlock, ...]:
    """The blocks of a run of ``draws`` draws."""
    return tuple(
        DrawBlock(b, start, min(start + BLOCK_DRAWS, draws))
        for b, start in enumerate(range(0, draws, BLOCK_DRAWS))
    )


def forecast_block(
    models: Mapping[str, ForecastModel], view: ScenarioArrays, block: DrawBlock, seed: int
) -> dict[str, NDArray[np.float64]]:
    """Every model's (n, I) outcomes on one block of draws of the positions.

    Args:
        models: The models, by name.
        view: The point-estimate view (D = 1).
        block: The block to run.
        seed: The run's seed.

    Returns:
        ``{model: (block.size, I) outcomes}``.
    """
    seeds = block.seed_sequence(seed)
    batch = sample_positions(view, block.size, np.random.default_rng(seeds))
    return {
        name: model.forecast(batch, rng=np.random.default_rng(seeds), trace=False).outcome
        for name, model in models.items()
    }


def forecast_draws(
    models: Mapping[str, ForecastModel],
    view: ScenarioArrays,
    draws: int,
    seed: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    memory_budget: int | None = None,
    workers: int | None = 1,
) -> dict[str, DrawOutcomes]:
    """Every model's outcomes on ``draws`` Monte Carlo draws of the positions, by blocks.

    Args:
        models: The models, by name.
        view: The point-estimate view (D = 1).
        draws: Number of draws (at least 1).
        seed: Seed of the draws and of the random models.
        progress: Called after each block with (draws done, draws in all).
        memory_budget: Bytes the per-draw outcomes of all models may take in memory;
            beyond it they are spooled to a temporary file (default
            :data:`~zopa.uncertainty.outcomes.MEMORY_BUDGET`).
        workers: Processes running blocks (``None``: one per core); 1 runs them here.

    Returns:
        ``{model: outcomes}``, (D, I) each.
    """
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    budget = MEMORY_BUDGET if memory_budget is None else memory_budget
    share = budget // max(len(models), 1)
    collectors = {name: OutcomeCollector(draws, view.n_issues, share) for name in models}
    blocks = draw_blocks(draws)
    for block, outcomes in zip(
        blocks, run_blocks(models, view, blocks, seed, workers), strict=True
    ):
        for name, outcome in outcomes.items():
            collectors[name].add(outcome)
        if progress is not None:
            progress(block.stop, draws)
    return {name: c.finish() for name, c in collectors.items()}


def worker_count(workers: int | None, blocks: int) -> int:
    """Processes for ``blocks`` blocks: as asked (``None``: every core), at most one a block."""
    wanted = (os.cpu_count() or 1) if workers is None else workers
    return max(1, min(wanted, blocks))


def run_blocks(
    models: Mapping[str, ForecastModel],
    view: ScenarioArrays,
    blocks: tuple[DrawBlock, ...],
    seed: int,
    workers: int | None,
) -> Iterator[dict[str, NDArray[np.float64]]]:
    """Each block's outcomes (:func:`forecast_block`), in the order of the blocks.

    With more than one worker the blocks run in a pool of processes; stopping early
    (an error, Ctrl-C) cancels the blocks not started.
    """
    n = worker_count(workers, len(blocks))
    if n == 1:
        for block in blocks:
            yield forecast_block(models, view, block, seed)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield from pool.map(forecast_block, repeat(models), repeat(view), blocks, repeat(seed))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
