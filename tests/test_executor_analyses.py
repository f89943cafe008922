"""Durability draws, sensitivity designs and backtests in blocks: the same on every executor.

Each analysis cuts its batched work into fixed blocks, each seeded on its own; the
tests shrink the blocks so that small runs span several, then compare one process, a
different grouping of blocks into tasks on threads, and a real two-worker Dask
LocalCluster, bit for bit (the JSON of each result). Up to one block, the numbers are
those of one batch drawn from ``default_rng(seed)`` (the rule before blocks).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from zopa import service
from zopa.execution import Executor, LocalExecutor, open_executor
from zopa.io import load_scenario
from zopa.scenario import Scenario

# the service package exports functions under the modules' names: take the modules
backtest_service = importlib.import_module("zopa.service.backtest")
durability_service = importlib.import_module("zopa.service.durability")
sensitivity_service = importlib.import_module("zopa.service.sensitivity")

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DEAL = ROOT / "scenarios" / "deals" / "e3-counter-proposal-2025-11.yaml"
OTHER_DEAL = ROOT / "scenarios" / "deals" / "us-28-point-plan-2025-11.yaml"
DEU = ROOT / "tests" / "fixtures" / "deu" / "deu-sample.csv"


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Executor]:
    with open_executor(dask="local", workers=2, threads=True) as executor:
        yield executor


@pytest.fixture(scope="module")
def threads() -> Iterator[Executor]:
    with LocalExecutor(2, "threads") as executor:
        yield executor


def _without_seconds(text: str) -> dict[str, object]:
    data = json.loads(text)
    data.pop("seconds", None)
    return data


def test_durability_draws_are_the_same_on_every_executor(
    dask_cluster: Executor, threads: Executor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(durability_service, "BLOCK_DRAWS", 150)
    here = service.compare([DEAL, OTHER_DEAL], draws=640, seed=5, workers=1)
    seen: list[tuple[int, int]] = []
    grouped = durability_service.compare(
        [DEAL, OTHER_DEAL],
        draws=640,
        seed=5,
        executor=threads,
        progress=lambda *a: seen.append(a),
    )
    on_dask = service.compare([DEAL, OTHER_DEAL], draws=640, seed=5, executor=dask_cluster)
    assert grouped.to_json() == here.to_json()
    assert on_dask.to_json() == here.to_json()
    assert seen[-1] == (1280, 1280)  # two deals of 640 draws, block by block
    assert len(seen) == 10
    survival = here.assessment.result.survival
    assert survival.shape[0] == 640
    assert not np.array_equal(survival[:150], survival[150:300])  # blocks seeded apart


def test_durability_up_to_one_block_is_one_batch_from_the_seed() -> None:
    from zopa.durability.simulate import analyse_durability

    report = service.durability(DEAL, draws=500, seed=9, workers=1)
    deal = report.assessment.deal
    batch = analyse_durability(deal.id, deal.mechanisms, report.parameters, n_draws=500, seed=9)
    np.testing.assert_array_equal(report.assessment.result.survival, batch.survival)
    assert report.assessment.result.seed == 9


def test_durability_grouping_of_blocks_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(durability_service, "BLOCK_DRAWS", 100)
    loaded, params = durability_service._load([DEAL], None, service.Loader())
    one = durability_service.assess(loaded, params, 730, 2, compared=False, workers=1)
    three = durability_service.assess(
        loaded, params, 730, 2, compared=False, workers=1, blocks_per_task=3
    )
    assert one.to_json() == three.to_json()


@pytest.mark.parametrize(
    ("model", "params"), [("median", {}), ("smp", {"smp.stochastic": True, "smp.max_turns": 5})]
)
def test_sensitivity_designs_are_the_same_on_every_executor(
    flagship: Scenario,
    dask_cluster: Executor,
    threads: Executor,
    monkeypatch: pytest.MonkeyPatch,
    model: str,
    params: dict[str, object],
) -> None:
    monkeypatch.setattr(sensitivity_service, "BLOCK_ROWS", 40)
    args = {"model": model, "params": params, "method": "morris", "samples": 4, "seed": 3}
    here = service.sensitivity(flagship, workers=1, **args)  # type: ignore[arg-type]
    rows = here.result.evaluations
    assert rows > 3 * 40  # several blocks
    grouped = sensitivity_service.sensitivity(
        flagship,
        executor=threads,
        blocks_per_task=2,
        **args,  # type: ignore[arg-type]
    )
    on_dask = service.sensitivity(flagship, executor=dask_cluster, **args)  # type: ignore[arg-type]
    assert _without_seconds(grouped.to_json()) == _without_seconds(here.to_json())
    assert _without_seconds(on_dask.to_json()) == _without_seconds(here.to_json())


def test_a_deterministic_model_in_blocks_gives_the_one_call_numbers(
    flagship: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zopa.models import make_model
    from zopa.uncertainty.sensitivity import analyse_sensitivity

    monkeypatch.setattr(sensitivity_service, "BLOCK_ROWS", 50)
    blocks = service.sensitivity(flagship, model="median", method="morris", samples=4, workers=1)
    whole = analyse_sensitivity(
        flagship.arrays(), make_model("median"), method="morris", samples=4, seed=0
    )
    assert blocks.result == whole


def test_backtests_are_the_same_on_every_executor(
    dask_cluster: Executor, threads: Executor
) -> None:
    cases = service.load_cases(DEU)
    assert len(cases) > 3
    args = {"models": ["median", "compromise", "eum"], "bootstrap": 200, "seed": 4}
    here = service.backtest(cases, workers=1, **args)  # type: ignore[arg-type]
    seen: list[tuple[int, int]] = []
    grouped = backtest_service.backtest(
        cases,
        executor=threads,
        scenarios_per_task=2,
        progress=lambda *a: seen.append(a),
        **args,  # type: ignore[arg-type]
    )
    on_dask = service.backtest(cases, executor=dask_cluster, **args)  # type: ignore[arg-type]
    assert grouped.to_json() == here.to_json()
    assert on_dask.to_json() == here.to_json()
    assert seen[-1] == (len(cases), len(cases))
