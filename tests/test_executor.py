"""The executors: results in task order, bit for bit the same local, on threads and on Dask.

- the in-order map keeps at most ``window`` tasks in flight and cancels the rest when
  the caller stops early;
- Monte Carlo forecasts give the same numbers whatever the executor (one process, two
  processes, two threads, a real two-worker Dask LocalCluster), the number of workers
  and the grouping of blocks into tasks;
- bad executor arguments are located BadInput, a scheduler that does not answer is
  AnalysisFailed, and none of this imports Dask unless asked.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from zopa import service
from zopa.execution import Executor, LocalExecutor, group, open_executor
from zopa.execution.base import in_order
from zopa.execution.cluster import check_address
from zopa.io import load_scenario
from zopa.models import available_models, make_model
from zopa.scenario import Scenario
from zopa.uncertainty import monte_carlo
from zopa.uncertainty.monte_carlo import forecast_draws

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"
MODELS = available_models()


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Executor]:
    """A real Dask LocalCluster of two workers (threads of this process: quick to start)."""
    with open_executor(dask="local", workers=2, threads=True) as executor:
        yield executor


def _square_plus(offset: int, x: int) -> int:
    return x * x + offset


def test_in_order_keeps_the_window_and_cancels_what_is_left() -> None:
    submitted: list[int] = []
    cancelled: list[int] = []
    results = in_order(
        lambda t: submitted.append(t) or t,
        lambda f: 10 * f,
        cancelled.extend,
        range(10),
        window=3,
    )
    assert next(results) == 0
    assert submitted == [0, 1, 2, 3]  # three ahead of the result waited for, then one more
    assert next(results) == 10
    results.close()
    assert cancelled == [2, 3, 4]
    assert submitted == [0, 1, 2, 3, 4]


def test_group_cuts_tasks_of_a_size() -> None:
    assert group([1, 2, 3, 4, 5], 2) == [(1, 2), (3, 4), (5,)]
    assert group([], 3) == []
    with pytest.raises(ValueError, match="at least 1"):
        group([1], 0)


@pytest.mark.parametrize("kind", ["processes", "threads"])
def test_local_pools_map_in_task_order(kind: str) -> None:
    with LocalExecutor(2, kind) as executor:  # type: ignore[arg-type]
        assert list(executor.map(_square_plus, list(range(7)), shared=(1,))) == [
            1,
            2,
            5,
            10,
            17,
            26,
            37,
        ]


def test_dask_maps_in_task_order(dask_cluster: Executor) -> None:
    assert dask_cluster.workers == 2
    assert "LocalCluster" in dask_cluster.description
    assert list(dask_cluster.map(_square_plus, list(range(9)), shared=(3,))) == [
        x * x + 3 for x in range(9)
    ]


def test_draws_are_bit_identical_on_every_executor_and_grouping(
    flagship: Scenario, dask_cluster: Executor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of 60 draws, 7 blocks: one process, grouped 1 or 3 a task, threads, Dask."""
    monkeypatch.setattr(monte_carlo, "BLOCK_DRAWS", 60)
    models = {name: make_model(name) for name in MODELS}
    view = flagship.arrays()
    draws = 6 * 60 + 17
    here = forecast_draws(models, view, draws, seed=11, workers=1)
    runs = {
        "grouped by 3": forecast_draws(models, view, draws, seed=11, blocks_per_task=3),
        "dask": forecast_draws(models, view, draws, seed=11, executor=dask_cluster),
        "dask, grouped by 2": forecast_draws(
            models, view, draws, seed=11, executor=dask_cluster, blocks_per_task=2
        ),
    }
    with LocalExecutor(2, "threads") as threads:
        runs["threads"] = forecast_draws(models, view, draws, seed=11, executor=threads)
    for label, run in runs.items():
        for name in MODELS:
            np.testing.assert_array_equal(
                run[name].to_array(), here[name].to_array(), err_msg=f"{label}: {name}"
            )
    # blocks beyond the first really are seeded apart: not a repeat of block 0
    first = here["median"].to_array()
    assert not np.array_equal(first[:60], first[60:120])


def test_the_service_runs_draws_on_dask(flagship: Scenario, dask_cluster: Executor) -> None:
    here = service.forecast(flagship, models=["median", "nash"], draws=300, seed=3, workers=1)
    there = service.forecast(
        flagship, models=["median", "nash"], draws=300, seed=3, executor=dask_cluster
    )
    assert there.to_json() == here.to_json()


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("local", True),
        ("tcp://10.0.0.5:8786", True),
        ("scheduler.example:8786", True),
        ("tls://[::1]:8786", True),
        ("tcp://host", False),
        ("http://host:8786", False),
        ("tcp://host:99999", False),
        ("", False),
    ],
)
def test_scheduler_addresses_are_checked(address: str, ok: bool) -> None:
    assert (check_address(address) is None) is ok


def test_bad_executor_arguments_are_located(flagship: Scenario) -> None:
    with pytest.raises(service.BadInput) as caught:
        service.forecast(flagship, models=["median"], draws=5, workers=0, dask="tcp://nowhere")
    paths = [p.path for p in caught.value.problems]
    assert paths == ["workers", "dask"]


def test_a_scheduler_that_does_not_answer_fails_the_analysis(
    flagship: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zopa.execution import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    with pytest.raises(service.AnalysisFailed, match="no Dask scheduler answered"):
        service.forecast(flagship, models=["median"], draws=5, dask="tcp://127.0.0.1:9")


def test_the_local_executor_loads_no_dask() -> None:
    code = (
        "import sys\n"
        "from zopa.execution import open_executor\n"
        "with open_executor(workers=1) as e:\n"
        "    print(list(e.map(abs, [-1, 2])))\n"
        "print([m for m in ('dask', 'distributed') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[1, 2]", "[]"]


def test_draws_go_to_a_running_scheduler_by_its_address(flagship: Scenario) -> None:
    """A scheduler listening on TCP (started here, as a cluster's would be) takes the blocks."""
    import logging

    import distributed

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        dashboard_address=":0",  # no fixed port: never "port 8787 in use"
        silence_logs=logging.ERROR,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        there = service.forecast(
            flagship, models=["median", "smp"], draws=250, seed=8, dask=address
        )
    here = service.forecast(flagship, models=["median", "smp"], draws=250, seed=8, workers=1)
    assert there.to_json() == here.to_json()


def test_a_closed_dask_executor_still_says_how_many_workers_it_had() -> None:
    executor = open_executor(dask="local", workers=2, threads=True)
    assert executor.workers == 2
    executor.close()
    assert executor.workers == 2
