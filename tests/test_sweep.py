"""Sweeps: points, stored chunks, resuming, metadata, the commands and their bad input.

- a sweep point's stored draws and point forecast are those of ``service.forecast`` on
  the same scenario (with the point's overrides) and parameters, bit for bit;
- a sweep stopped part-way keeps its finished chunks; the same sweep started again
  computes only the others (here on a Dask LocalCluster) and ends with the numbers of a
  sweep never stopped;
- the run's metadata holds the seed, the SHA-256 of the input file, the zopa version,
  the parameters and the executor, in ``run.json`` and in each Parquet file;
- bad grids and overrides exit 2 with every problem located at its option; the shipped
  example (every model's grid on the flagship) runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import zopa
from zopa import service
from zopa.cli import app
from zopa.execution import open_executor
from zopa.io import load_scenario
from zopa.uncertainty import monte_carlo

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
GRID = {"smp.victory_power": [0.5, 2.0], "nash.joint": [False, True]}
VARY = {"RU:territory.position": [20, 40]}


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(monte_carlo, "BLOCK_DRAWS", 40)
    return 40


def _sweep(store: Path, **kwargs: object) -> service.SweepResult:
    args: dict[str, object] = {
        "models": ["median", "nash", "smp"],
        "grid": GRID,
        "overrides": VARY,
        "draws": 130,
        "seed": 7,
        "blocks_per_chunk": 2,
        "workers": 1,
    }
    args.update(kwargs)
    return service.sweep(FLAGSHIP, store=store, **args)  # type: ignore[arg-type]


def test_points_are_the_product_of_each_models_grid_and_the_overrides(
    tmp_path: Path, small_blocks: int
) -> None:
    result = _sweep(tmp_path)
    points = result.plan.points
    # two override values x (median once + nash 2 + smp 2)
    assert len(points) == 2 * (1 + 2 + 2)
    assert [(p.model, dict(p.params)) for p in points[:5]] == [
        ("median", {}),
        ("nash", {"joint": False}),
        ("nash", {"joint": True}),
        ("smp", {"victory_power": 0.5}),
        ("smp", {"victory_power": 2.0}),
    ]
    assert {p.overrides["RU:territory.position"] for p in points} == {20, 40}
    # 130 draws in blocks of 40: 4 blocks, 2 per chunk: 2 chunks per point
    assert result.computed == 2 * len(points)
    assert result.reused == 0


def test_a_point_holds_the_numbers_of_a_forecast_with_its_settings(
    tmp_path: Path, small_blocks: int
) -> None:
    run = _sweep(tmp_path).load()
    scenario = load_scenario(FLAGSHIP)
    for point in run.points:
        if (point.model, dict(point.params)) != ("smp", {"victory_power": 2.0}):
            continue
        moved = service.with_overrides(
            scenario,
            stances=[
                {
                    "actor": "RU",
                    "issue": "territory",
                    "position": point.overrides["RU:territory.position"],
                }
            ],
        )
        expected = service.forecast(
            moved, models=["smp"], params={"smp.victory_power": 2.0}, draws=130, seed=7, workers=1
        )
        assert point.outcomes is not None
        np.testing.assert_array_equal(
            point.outcomes.to_array(), expected.draw_outcomes["smp"].to_array()
        )
        assert point.point == pytest.approx(expected.point("smp"), nan_ok=True)
        spread = expected.intervals()["smp"]
        np.testing.assert_array_equal(
            [point.intervals()[i] for i in spread], [spread[i] for i in spread]
        )


def test_a_stopped_sweep_resumes_on_dask_with_the_numbers_of_one_never_stopped(
    tmp_path: Path, small_blocks: int
) -> None:
    whole = _sweep(tmp_path / "whole").load()
    store = tmp_path / "stopped"

    def stop_after_three(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _sweep(store, progress=stop_after_three)
    (folder,) = [p for p in store.iterdir() if p.is_dir()]
    assert len(list((folder / "chunks").glob("*.parquet"))) == 3
    assert not list((folder / "chunks").glob(".*"))  # no half-written file left behind
    partial = service.load_run(store, folder.name[:6])
    assert len(partial.missing) == 20 - 3
    listed = service.list_runs(store).runs
    assert [(r.id, r.stored, r.complete) for r in listed] == [(folder.name, 3, False)]

    seen: list[tuple[int, int]] = []
    with open_executor(dask="local", workers=2, threads=True) as dask:
        resumed = _sweep(store, executor=dask, progress=lambda *a: seen.append(a))
    assert (resumed.run_id, resumed.reused, resumed.computed) == (folder.name, 3, 17)
    assert seen[0] == (3, 20)
    assert seen[-1] == (20, 20)
    again = resumed.load()
    assert again.missing == ()
    for a, b in zip(again.points, whole.points, strict=True):
        assert a.outcomes is not None
        assert b.outcomes is not None
        np.testing.assert_array_equal(a.outcomes.to_array(), b.outcomes.to_array())
        assert a.point == pytest.approx(b.point, nan_ok=True)
    executors = [s["executor"] for s in again.metadata["sessions"]]
    assert executors[0] == "local, 1 process"
    assert "LocalCluster" in executors[1]


def test_the_run_keeps_its_metadata(tmp_path: Path, small_blocks: int) -> None:
    result = _sweep(tmp_path)
    meta = json.loads((result.folder / "run.json").read_text())
    digest = hashlib.sha256(FLAGSHIP.read_bytes()).hexdigest()
    assert meta["inputs"] == {str(FLAGSHIP): digest}
    assert meta["seed"] == 7
    assert meta["draws"] == 130
    assert meta["zopa_version"] == zopa.__version__
    assert meta["grid"] == {"smp.victory_power": [0.5, 2.0], "nash.joint": [False, True]}
    assert meta["sessions"][0]["executor"] == "local, 1 process"
    first = pq.read_table(result.folder / "chunks" / "p00003-c00000.parquet")
    facts = {k.decode(): json.loads(v) for k, v in (first.schema.metadata or {}).items()}
    assert facts["zopa.run"]["inputs"] == {str(FLAGSHIP): digest}
    assert facts["zopa.run"]["seed"] == 7
    assert facts["zopa.point"]["params"] == {"victory_power": 0.5}
    assert facts["zopa.chunk"] == {"chunk": 0, "first_draw": 0, "draws": 80}
    assert set(facts["zopa.point_forecast"]) == set(load_scenario(FLAGSHIP).issue_ids)
    assert first.column("draw").to_pylist() == list(range(80))
    second = pq.read_table(result.folder / "chunks" / "p00003-c00001.parquet")
    assert second.column("draw").to_pylist() == list(range(80, 130))
    # a changed input is another run: the same sweep of another file does not resume it
    assert _sweep(tmp_path, seed=8).run_id != result.run_id


def test_bad_grids_and_overrides_exit_2_with_every_problem_located(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["sweep", str(FLAGSHIP), "-m", "smp", "-m", "median", "--store", str(tmp_path)]
    args += ["--grid", "smp.nope=1,2", "--grid", "nash.joint=true", "--grid", "smp.max_turns=x"]
    args += ["--vary", "XX:territory.position=1", "--vary", "RU:territory.colour=2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    err = result.stderr
    assert "--grid: smp.nope: smp has no parameter 'nope'" in err
    assert "--grid: nash.joint: model nash is not among the sweep's models" in err
    assert "--grid: smp.max_turns=x:" in err
    assert "--vary: RU:territory.colour: a stance override sets one of position" in err
    assert "--vary 'XX on territory'" in err
    assert "no such stance in the scenario" in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing stored
    malformed = runner.invoke(app, ["sweep", str(FLAGSHIP), "--grid", "victory_power"])
    assert malformed.exit_code == 2
    assert "--grid 'victory_power': expected KEY=V1,V2,..." in malformed.stderr
    unknown = runner.invoke(
        app, ["sweep", str(FLAGSHIP), "-m", "median", "--vary", "XX:territory.position=1"]
    )
    assert unknown.exit_code == 2
    assert "--vary" in unknown.stderr
    assert "no such stance" in unknown.stderr


def test_the_commands_store_list_and_show_a_run(tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "runs")
    command = ["sweep", str(FLAGSHIP), "-m", "median", "--draws", "50", "--store", store]
    command += ["--vary", "RU:territory.position=20,40", "--workers", "1", "-f", "json"]
    made = runner.invoke(app, command)
    assert made.exit_code == 0, made.stderr
    run = json.loads(made.stdout)["run"]
    listed = runner.invoke(app, ["runs", "--store", store, "-f", "json"])
    assert [r["run"] for r in json.loads(listed.stdout)["runs"]] == [run]
    shown = runner.invoke(app, ["runs", run[:5], "--store", store, "-f", "csv"])
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[0] == "point,scenario,model,setting,issue,forecast,low,median,high,draws"
    assert len(lines) == 1 + 2 * len(load_scenario(FLAGSHIP).issues)
    missing = runner.invoke(app, ["runs", "ffff", "--store", store])
    assert missing.exit_code == 2
    assert "no such run in the store" in missing.stderr
    again = runner.invoke(app, command)
    assert json.loads(again.stdout)["reused"] == 2
    assert json.loads(again.stdout)["computed"] == 0


def test_the_command_stops_cleanly_on_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(service, "sweep", interrupted)
    result = CliRunner().invoke(app, ["sweep", str(FLAGSHIP), "--store", str(tmp_path)])
    assert result.exit_code == 130
    assert "run the same command again to resume" in result.stderr


def test_the_shipped_example_sweeps_every_models_grid(tmp_path: Path) -> None:
    env = dict(os.environ, DRAWS="10", STORE=str(tmp_path))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        ["sh", str(ROOT / "examples" / "sweep-every-model.sh"), "--workers", "1", "-f", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    models = [p["model"] for p in result["points"]]
    assert {m: models.count(m) for m in set(models)} == {
        "exchange": 9,
        "eum": 4,
        "nash": 4,
        "smp": 6,
        "median": 1,
        "compromise": 1,
    }
