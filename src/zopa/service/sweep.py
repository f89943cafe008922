"""Sweeps: a grid of model parameters, stance overrides or scenarios, each with draws, stored.

A sweep runs every point of a grid with Monte Carlo draws of the positions and stores
each point's per-draw outcomes in a results store (:mod:`zopa.service.runs`):

- **scenarios**: one scenario file, or every ``*.yaml``/``*.yml``/``*.json`` in a folder;
- **models**: the chosen models (default every one); each model runs at every
  combination of *its* grid axes: ``MODEL.PARAM`` axes, and plain ``PARAM`` axes of
  every chosen model that has the parameter (a model with no axis runs once, at its
  defaults), so "every model's parameter grid" is one sweep;
- **overrides**: axes of stance or actor changes (``ACTOR:ISSUE.position``,
  ``ACTOR:ISSUE.salience``, ``ACTOR:ISSUE.red_line``, ``ACTOR.capability``), applied
  to every scenario through :func:`zopa.service.with_overrides` and checked like a file.

Points are the product scenario x override combination x model x the model's grid.
Every point draws with the same seed (common random numbers: points differ by their
settings, not by sampling noise), in the blocks of :mod:`zopa.uncertainty.monte_carlo`,
``blocks_per_chunk`` blocks to a chunk. One chunk is one executor task and one stored
Parquet file, so the numbers are the same whatever the executor and the workers.

A run's id is a hash of everything that sets its numbers (the zopa version, the input
files' SHA-256, the points, the draws, the seed and the chunk size); starting the same
sweep again finds its folder and computes only the chunks not stored yet.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.service.errors import BadInput, argument_problem
from zopa.service.results import Result, jsonable
from zopa.service.runs import (
    CHUNKS,
    RUN_FILE,
    chunk_name,
    read_metadata,
    run_folder,
    stored_chunks,
    write_chunk,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays
    from zopa.execution import Executor
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario
    from zopa.service.runs import RunResult
    from zopa.uncertainty.monte_carlo import DrawBlock

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")
STANCE_OVERRIDES = ("position", "salience", "red_line")
ACTOR_OVERRIDES = ("capability",)

#: Blocks of draws in one chunk (one task, one stored file): 5 x 2,000 = 10,000 draws.
BLOCKS_PER_CHUNK = 5


@dataclass(frozen=True)
class SweepPoint:
    """One point of a sweep.

    Attributes:
        index: Its number in the run.
        scenario: The scenario file, as given.
        variant: Index of its scenario with its overrides applied (in the plan).
        model: The model.
        params: The grid's parameters at this point (checked settings).
        overrides: The overrides at this point, ``{key: value}``.
    """

    index: int
    scenario: str
    variant: int
    model: str
    params: Mapping[str, Any]
    overrides: Mapping[str, Any]


@dataclass(frozen=True)
class SweepPlan:
    """Everything a sweep will run, checked: inputs, scenario variants, points."""

    inputs: Mapping[str, str]
    variants: tuple[Scenario, ...]
    points: tuple[SweepPoint, ...]
    models: tuple[str, ...]
    grid: Mapping[str, tuple[Any, ...]]
    overrides: Mapping[str, tuple[Any, ...]]
    draws: int
    seed: int
    blocks_per_chunk: int
    block_draws: int = field(default=0)

    def run_id(self) -> str:
        """The hash of everything that sets the run's numbers (16 hex digits)."""
        from zopa import __version__

        key = {
            "version": __version__,
            "inputs": dict(self.inputs),
            "points": [_point_entry(p, ()) for p in self.points],
            "draws": self.draws,
            "seed": self.seed,
            "block_draws": self.block_draws,
            "blocks_per_chunk": self.blocks_per_chunk,
        }
        text = json.dumps(jsonable(key), sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def chunks(self) -> list[tuple[DrawBlock, ...]]:
        """The chunks of a point's draws: ``blocks_per_chunk`` blocks each."""
        from zopa.execution import group
        from zopa.uncertainty.monte_carlo import draw_blocks

        return group(draw_blocks(self.draws, self.block_draws), self.blocks_per_chunk)


def _point_entry(p: SweepPoint, issues: Sequence[str]) -> dict[str, Any]:
    entry = {
        "index": p.index,
        "scenario": p.scenario,
        "model": p.model,
        "params": dict(p.params),
        "overrides": dict(p.overrides),
    }
    if issues:
        entry["issues"] = list(issues)
    return entry


def _scenario_files(path: Path) -> tuple[list[Path], list[Problem]]:
    from zopa.io.errors import Problem

    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.suffix.lower() in SCENARIO_SUFFIXES)
        if not files:
            message = "no scenario files (*.yaml, *.yml, *.json) in this folder"
            return [], [Problem(str(path), None, "", message)]
        return files, []
    if not path.exists():
        return [], [Problem(str(path), None, "", "no such file or folder")]
    return [path], []


def _override_change(key: str) -> tuple[dict[str, Any], str] | str:
    """``({"actor": .., "issue": ..}, field)`` of an override key, or why it is malformed."""
    target, dot, name = key.rpartition(".")
    if not dot or not target or not name:
        return "expected ACTOR:ISSUE.FIELD or ACTOR.FIELD"
    actor, colon, issue = target.partition(":")
    if colon:
        if not actor or not issue:
            return "expected ACTOR:ISSUE.FIELD"
        if name not in STANCE_OVERRIDES:
            return f"a stance override sets one of {', '.join(STANCE_OVERRIDES)}"
        return {"actor": actor, "issue": issue}, name
    if name not in ACTOR_OVERRIDES:
        return f"an actor override sets one of {', '.join(ACTOR_OVERRIDES)}"
    return {"actor": actor}, name


def _model_axes(
    grid: Mapping[str, Sequence[Any]], models: Sequence[str]
) -> tuple[dict[str, list[tuple[str, str]]], list[Problem]]:
    """Per model, its axes as (grid key, parameter); problems of keys no model takes."""
    from zopa.models import available_models, model_parameters

    axes: dict[str, list[tuple[str, str]]] = {m: [] for m in models}
    problems = []
    for key, values in grid.items():
        if not values:
            problems.append(argument_problem("grid", f"{key}: no values", expected="V1,V2,..."))
            continue
        model, dot, name = key.rpartition(".")
        if dot:
            if model not in available_models():
                problems.append(
                    argument_problem(
                        "grid",
                        f"{key}: unknown model {model!r}",
                        expected=f"one of {', '.join(available_models())}",
                    )
                )
            elif model not in models:
                problems.append(
                    argument_problem(
                        "grid",
                        f"{key}: model {model} is not among the sweep's models",
                        expected=", ".join(models),
                    )
                )
            elif name not in model_parameters(model):
                problems.append(
                    argument_problem(
                        "grid",
                        f"{key}: {model} has no parameter {name!r}",
                        expected=", ".join(model_parameters(model)) or "none",
                    )
                )
            else:
                axes[model].append((key, name))
            continue
        takers = [m for m in models if key in model_parameters(m)]
        if not takers:
            problems.append(
                argument_problem("grid", f"{key}: no model of the sweep has this parameter")
            )
        for m in takers:
            axes[m].append((key, key))
    return axes, problems


def _model_grid(
    model: str,
    axes: Sequence[tuple[str, str]],
    grid: Mapping[str, Sequence[Any]],
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Every combination of a model's axes, each checked against the model's parameters."""
    from zopa.service.models import model_settings

    problems = []
    for key, name in axes:
        for value in grid[key]:
            try:
                model_settings({f"{model}.{name}": value}, [model])
            except BadInput as exc:
                problems += [
                    argument_problem("grid", f"{key}={value}: {p.message}", expected=p.expected)
                    for p in exc.problems
                ]
    if problems:
        return [], problems
    combos = itertools.product(*(grid[key] for key, _ in axes))
    return [{name: value for (_, name), value in zip(axes, c, strict=True)} for c in combos], []


def plan_sweep(
    path: Path | str,
    *,
    models: Sequence[str] | None = None,
    grid: Mapping[str, Sequence[Any]] | None = None,
    overrides: Mapping[str, Sequence[Any]] | None = None,
    draws: int = 1000,
    seed: int = 0,
    blocks_per_chunk: int = BLOCKS_PER_CHUNK,
) -> SweepPlan:
    """Check a sweep's arguments and list its points (see the module's description).

    Raises:
        BadInput: Every problem at once: files, unknown models, grid keys or values,
            overrides, draws below 1, a chunk size below 1.
    """
    from zopa.service.loading import Loader
    from zopa.service.models import resolve_models
    from zopa.service.overrides import with_overrides
    from zopa.uncertainty import monte_carlo

    axes_given = {k: tuple(v) for k, v in (grid or {}).items()}
    changes_given = {k: tuple(v) for k, v in (overrides or {}).items()}
    problems: list[Problem] = []
    if draws < 1:
        problems.append(argument_problem("draws", "out of range", got=draws, expected="1 or more"))
    if blocks_per_chunk < 1:
        problems.append(
            argument_problem(
                "blocks_per_chunk", "out of range", got=blocks_per_chunk, expected="1 or more"
            )
        )
    try:
        names = resolve_models(models)
    except BadInput as exc:
        problems += exc.problems
        names = []
    axes, found = _model_axes(axes_given, names)
    problems += found
    settings: dict[str, list[dict[str, Any]]] = {}
    for m in names:
        settings[m], found = _model_grid(m, axes[m], axes_given)
        problems += found
    changes: list[tuple[str, dict[str, Any], str]] = []
    for key, values in changes_given.items():
        parsed = _override_change(key)
        if isinstance(parsed, str):
            problems.append(argument_problem("overrides", f"{key}: {parsed}"))
        elif not values:
            problems.append(
                argument_problem("overrides", f"{key}: no values", expected="V1,V2,...")
            )
        else:
            changes.append((key, *parsed))
    files, found = _scenario_files(Path(path))
    problems += found
    loader = Loader()
    scenarios: list[tuple[Path, Scenario]] = []
    for f in files:
        scenario, found = loader.check(f)
        problems += [p for p in found if p.is_error]
        if scenario is not None:
            scenarios.append((f, scenario))
    # overrides are checked on every scenario read, even with other problems found
    combos = [
        dict(zip([k for k, _, _ in changes], c, strict=True))
        for c in itertools.product(*(changes_given[k] for k, _, _ in changes))
    ]
    variants: list[Scenario] = []
    points: list[SweepPoint] = []
    for f, scenario in scenarios:
        for combo in combos:
            stance_changes: list[dict[str, Any]] = []
            actor_changes: list[dict[str, Any]] = []
            for key, target, name in changes:
                change = {**target, name: combo[key]}
                (stance_changes if "issue" in target else actor_changes).append(change)
            try:
                variant = with_overrides(scenario, stances=stance_changes, actors=actor_changes)
            except BadInput as exc:
                setting = ", ".join(f"{k}={v}" for k, v in combo.items())
                problems += [
                    argument_problem(
                        "overrides", f"{f}: {setting}: {p.message}", got=p.got, expected=p.expected
                    )
                    for p in exc.problems
                ]
                continue
            variants.append(variant)
            for m in names:
                for params in settings[m]:
                    points.append(
                        SweepPoint(len(points), str(f), len(variants) - 1, m, params, combo)
                    )
    if problems:
        raise BadInput(problems)
    inputs = {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f, _ in scenarios}
    return SweepPlan(
        inputs=inputs,
        variants=tuple(variants),
        points=tuple(points),
        models=tuple(names),
        grid=axes_given,
        overrides=changes_given,
        draws=draws,
        seed=seed,
        blocks_per_chunk=blocks_per_chunk,
        block_draws=monte_carlo.BLOCK_DRAWS,
    )


ChunkTask = tuple[int, str, Mapping[str, Any], tuple["DrawBlock", ...], bool]
"""(scenario variant, model, parameters, blocks, with the point forecast)."""


def sweep_chunk(
    views: tuple[ScenarioArrays, ...], seed: int, task: ChunkTask
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    """One executor task: a point's outcomes on one chunk of draws (and its point forecast).

    Returns:
        ``((draws in the chunk, I) outcomes, (I,) point forecast or None)``.
    """
    import numpy as np

    from zopa.models import make_model
    from zopa.uncertainty.monte_carlo import forecast_blocks

    variant, name, params, blocks, with_point = task
    model = make_model(name, **params)
    view = views[variant]
    outcomes = forecast_blocks({name: model}, view, seed, blocks)[name]
    point = None
    if with_point:
        point = model.forecast(view, rng=np.random.default_rng(seed), trace=False).outcome[0]
    return outcomes, point


@dataclass(frozen=True, eq=False)
class SweepResult(Result):
    """A sweep run (or resumed) into a store.

    Attributes:
        folder: The run's folder in the store.
        run_id: The run's id.
        plan: What ran.
        computed: Chunks computed by this call.
        reused: Chunks found already stored (a resumed run).
        executor: What ran the chunks, in words.
    """

    folder: Path
    run_id: str
    plan: SweepPlan
    computed: int
    reused: int
    executor: str

    def load(self) -> RunResult:
        """The stored run, read back (:func:`zopa.service.runs.load_run`)."""
        from zopa.service.runs import load_run

        return load_run(self.folder.parent, self.run_id)

    def to_dict(self) -> dict[str, Any]:
        """The run's id, folder, chunk counts and points."""
        data: dict[str, Any] = jsonable(
            {
                "run": self.run_id,
                "folder": str(self.folder),
                "draws": self.plan.draws,
                "seed": self.plan.seed,
                "chunks": len(self.plan.points) * len(self.plan.chunks()),
                "computed": self.computed,
                "reused": self.reused,
                "executor": self.executor,
                "points": self.to_rows(),
            }
        )
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per point: scenario, model, parameters and overrides."""
        return [
            {
                "point": p.index,
                "scenario": p.scenario,
                "model": p.model,
                "setting": "; ".join(f"{k}={v}" for k, v in {**p.params, **p.overrides}.items())
                or "defaults",
            }
            for p in self.plan.points
        ]


def _metadata(plan: SweepPlan, run_id: str, old: Mapping[str, Any] | None) -> dict[str, Any]:
    from zopa import __version__

    chunks = len(plan.chunks())
    return {
        "id": run_id,
        "created": old["created"] if old else datetime.now(UTC).isoformat(timespec="seconds"),
        "zopa_version": __version__,
        "seed": plan.seed,
        "draws": plan.draws,
        "block_draws": plan.block_draws,
        "blocks_per_chunk": plan.blocks_per_chunk,
        "chunks_per_point": chunks,
        "chunks": chunks * len(plan.points),
        "inputs": dict(plan.inputs),
        "models": list(plan.models),
        "grid": {k: list(v) for k, v in plan.grid.items()},
        "overrides": {k: list(v) for k, v in plan.overrides.items()},
        "points": [_point_entry(p, plan.variants[p.variant].issue_ids) for p in plan.points],
        "sessions": list(old.get("sessions", [])) if old else [],
    }


def sweep(
    path: Path | str,
    *,
    store: Path | str,
    models: Sequence[str] | None = None,
    grid: Mapping[str, Sequence[Any]] | None = None,
    overrides: Mapping[str, Sequence[Any]] | None = None,
    draws: int = 1000,
    seed: int = 0,
    blocks_per_chunk: int = BLOCKS_PER_CHUNK,
    workers: int | None = None,
    dask: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Run a sweep into ``store``, or resume it: only chunks not stored yet are computed.

    Args:
        path: A scenario file, or a folder of them.
        store: The results store (a folder; created if needed).
        models: Registered model names (default: every model).
        grid: Axes of model parameters, ``{"MODEL.PARAM" or "PARAM": [values]}``.
        overrides: Axes of overrides, ``{"ACTOR:ISSUE.position": [values], ...}``.
        draws: Monte Carlo draws of the positions at every point (1 or more).
        seed: Seed of the draws (the same at every point).
        blocks_per_chunk: Blocks of draws per chunk (task and stored file).
        workers: Local worker processes (``None``: one per core), or the workers of a
            Dask LocalCluster.
        dask: ``"local"`` or a Dask scheduler's address: run the chunks there.
        executor: An executor already open (it stays open).
        progress: Called after each chunk with (chunks done, chunks in all), stored
            chunks of an earlier session counted as done.

    Raises:
        BadInput: Bad arguments or files (every problem at once), or a store that is
            not a folder.
        AnalysisFailed: A model failed, or the Dask executor could not start.
        KeyboardInterrupt: Passed on after the chunks finished so far are stored.
    """
    from zopa.io.atomic import atomic_write
    from zopa.service.errors import AnalysisFailed
    from zopa.service.executors import executor_problems, open_for_analysis

    plan = plan_sweep(
        path,
        models=models,
        grid=grid,
        overrides=overrides,
        draws=draws,
        seed=seed,
        blocks_per_chunk=blocks_per_chunk,
    )
    problems = executor_problems(workers, dask)
    root = Path(store)
    if root.exists() and not root.is_dir():
        problems.append(
            argument_problem("store", "not a folder", got=str(root), expected="a folder")
        )
    if problems:
        raise BadInput(problems)
    run_id = plan.run_id()
    folder = run_folder(root, run_id)
    old = read_metadata(folder) if (folder / RUN_FILE).is_file() else None
    meta = _metadata(plan, run_id, old)
    (folder / CHUNKS).mkdir(parents=True, exist_ok=True)
    have = stored_chunks(folder)
    chunks = plan.chunks()
    tasks: list[ChunkTask] = []
    places: list[tuple[SweepPoint, int]] = []
    for p in plan.points:
        for c, blocks in enumerate(chunks):
            if chunk_name(p.index, c) not in have:
                tasks.append((p.variant, p.model, p.params, blocks, c == 0))
                places.append((p, c))
    total = len(plan.points) * len(chunks)
    reused = total - len(tasks)
    views = tuple(v.arrays() for v in plan.variants)
    with open_for_analysis(workers=workers, dask=dask, executor=executor) as runner:
        meta["sessions"].append(
            {
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "executor": runner.description,
                "chunks": len(tasks),
            }
        )
        atomic_write(folder / RUN_FILE, json.dumps(jsonable(meta), indent=2) + "\n")
        if progress is not None:
            progress(reused, total)
        results = runner.map(sweep_chunk, tasks, shared=(views, plan.seed))
        done = 0
        try:
            for (p, c), (outcomes, point) in zip(places, results, strict=True):
                issues = plan.variants[p.variant].issue_ids
                facts = {
                    "zopa.run": json.dumps(
                        {
                            "id": run_id,
                            "seed": plan.seed,
                            "zopa_version": meta["zopa_version"],
                            "inputs": meta["inputs"],
                            "executor": runner.description,
                        }
                    ),
                    "zopa.point": json.dumps(jsonable(_point_entry(p, ()))),
                    "zopa.chunk": json.dumps(
                        {"chunk": c, "first_draw": chunks[c][0].start, "draws": len(outcomes)}
                    ),
                }
                if point is not None:
                    forecast = jsonable(dict(zip(issues, (float(v) for v in point), strict=True)))
                    facts["zopa.point_forecast"] = json.dumps(forecast)
                write_chunk(folder, p.index, c, issues, chunks[c][0].start, outcomes, facts)
                done += 1
                if progress is not None:
                    progress(reused + done, total)
        except (ValueError, ArithmeticError) as exc:
            raise AnalysisFailed(f"a point of the sweep failed: {exc}") from exc
        finally:
            results.close()
    return SweepResult(folder, run_id, plan, done, reused, meta["sessions"][-1]["executor"])
