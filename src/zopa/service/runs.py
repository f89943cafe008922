"""The results store of sweeps: one folder per run, Parquet files per chunk of draws.

Layout of a store (any folder; ``runs/`` by default on the command line)::

    STORE/RUN_ID/run.json                       the run's metadata (below)
    STORE/RUN_ID/chunks/p00003-c00001.parquet   point 3, chunk 1 of its draws

``run.json`` holds the run's id, the zopa version, the seed, the draws per point, the
block and chunk sizes, the SHA-256 of every input file, the grid, the stance overrides,
the models, every point (scenario file, model, parameters, overrides) and, per session
that worked on the run, when it started and on which executor. A chunk file has one
row per draw: ``draw`` (its index in the point's run) and one float64 column per issue
(the model's outcome, NaN where it gives none); its schema metadata repeats the run's
key facts (``zopa.run``) and names the point, the chunk and its draws; the first chunk
of a point also carries the point forecast on the stated positions
(``zopa.point_forecast``). Chunk files are written whole through a temporary file and a
rename, so a chunk file that exists is complete: a run stopped part-way keeps every
chunk it finished, and the same run started again computes only the others.

:func:`list_runs` lists the runs of a store; :func:`load_run` reads one back as a
:class:`RunResult` (point forecasts, 5-50-95% ranges over the draws, and each point's
per-draw outcomes), the data a report or a notebook takes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.service.errors import BadInput, argument_problem
from zopa.service.results import Result, jsonable

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import numpy as np
    from numpy.typing import NDArray

    from zopa.uncertainty.outcomes import DrawOutcomes

RUN_FILE = "run.json"
CHUNKS = "chunks"
RUN_ID = re.compile(r"^[0-9a-f]{16}$")


def chunk_name(point: int, chunk: int) -> str:
    """The file name of a point's chunk of draws."""
    return f"p{point:05d}-c{chunk:05d}.parquet"


def run_folder(store: Path | str, run_id: str) -> Path:
    """The folder of a run in a store."""
    return Path(store) / run_id


def read_metadata(folder: Path) -> dict[str, Any]:
    """A run's ``run.json`` (:class:`BadInput` when it is missing or unreadable)."""
    path = folder / RUN_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(
            [argument_problem("run", "no such run in the store", got=folder.name)]
        ) from None
    except (OSError, ValueError) as exc:
        raise BadInput(
            [argument_problem("run", f"unreadable run metadata {path}: {exc}")]
        ) from None
    return data


def stored_chunks(folder: Path) -> set[str]:
    """Names of the chunk files a run has stored."""
    chunks = folder / CHUNKS
    if not chunks.is_dir():
        return set()
    return {p.name for p in chunks.iterdir() if p.suffix == ".parquet"}


def write_chunk(
    folder: Path,
    point: int,
    chunk: int,
    issues: Sequence[str],
    first_draw: int,
    outcomes: NDArray[np.float64],
    metadata: Mapping[str, str],
) -> None:
    """Store one chunk of a point's outcomes as a Parquet file, whole or not at all."""
    import io

    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from zopa.io.atomic import atomic_write

    columns = {"draw": pa.array(np.arange(first_draw, first_draw + outcomes.shape[0]))}
    for k, issue in enumerate(issues):
        columns[issue] = pa.array(np.ascontiguousarray(outcomes[:, k]))
    table = pa.table(columns).replace_schema_metadata(dict(metadata))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    atomic_write(folder / CHUNKS / chunk_name(point, chunk), buffer.getvalue())


@dataclass(frozen=True)
class RunSummary:
    """One stored run, as :func:`list_runs` shows it."""

    id: str
    created: str
    scenarios: tuple[str, ...]
    models: tuple[str, ...]
    points: int
    draws: int
    seed: int
    chunks: int
    stored: int
    executors: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether every chunk is stored."""
        return self.stored >= self.chunks


@dataclass(frozen=True, eq=False)
class RunList(Result):
    """The runs of a store, oldest first."""

    store: Path
    runs: tuple[RunSummary, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"store": ..., "runs": [...]}``."""
        return {"store": str(self.store), "runs": self.to_rows()}

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per run."""
        return [
            {
                "run": r.id,
                "created": r.created,
                "scenarios": ", ".join(r.scenarios),
                "models": ", ".join(r.models),
                "points": r.points,
                "draws": r.draws,
                "seed": r.seed,
                "chunks": r.chunks,
                "stored": r.stored,
                "complete": r.complete,
                "executors": "; ".join(r.executors),
            }
            for r in self.runs
        ]


def _summary(folder: Path, meta: Mapping[str, Any]) -> RunSummary:
    return RunSummary(
        id=str(meta["id"]),
        created=str(meta["created"]),
        scenarios=tuple(meta["inputs"]),
        models=tuple(meta["models"]),
        points=len(meta["points"]),
        draws=int(meta["draws"]),
        seed=int(meta["seed"]),
        chunks=int(meta["chunks"]),
        stored=len(stored_chunks(folder)),
        executors=tuple(dict.fromkeys(s["executor"] for s in meta.get("sessions", []))),
    )


def list_runs(store: Path | str) -> RunList:
    """Every run stored in ``store``, oldest first.

    Raises:
        BadInput: ``store`` is not a folder.
    """
    root = Path(store)
    if not root.is_dir():
        raise BadInput(
            [argument_problem("store", "no such folder", got=str(root), expected="a run store")]
        )
    runs = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and RUN_ID.match(p.name)):
        if (folder / RUN_FILE).is_file():
            runs.append(_summary(folder, read_metadata(folder)))
    return RunList(root, tuple(sorted(runs, key=lambda r: (r.created, r.id))))


@dataclass(frozen=True)
class PointResult:
    """One point of a sweep: where it ran, and the model's forecasts there.

    Attributes:
        index: The point's number in the run.
        scenario: The scenario file.
        model: The model.
        params: The model parameters set at this point (the others at their defaults).
        overrides: The stance and actor overrides at this point.
        point: ``{issue: forecast}`` on the stated positions.
        outcomes: The (D, I) per-draw outcomes (empty until every chunk is stored).
    """

    index: int
    scenario: str
    model: str
    params: Mapping[str, Any]
    overrides: Mapping[str, Any]
    point: Mapping[str, float]
    outcomes: DrawOutcomes | None

    def intervals(self) -> dict[str, tuple[float, float, float]]:
        """``{issue: (5%, median, 95%)}`` over the draws (empty without draws)."""
        if self.outcomes is None:
            return {}
        from zopa.uncertainty import INTERVAL_LEVELS

        values = self.outcomes.percentiles(INTERVAL_LEVELS)
        return {
            issue: (float(values[0, k]), float(values[1, k]), float(values[2, k]))
            for k, issue in enumerate(self.point)
        }


@dataclass(frozen=True, eq=False)
class RunResult(Result):
    """A stored run read back: its metadata and every point's forecasts.

    Attributes:
        folder: The run's folder.
        metadata: ``run.json`` as stored.
        points: The points, in order.
        missing: Chunk files not stored yet (a run stopped part-way); points with a
            missing chunk have no ``outcomes``.
    """

    folder: Path
    metadata: Mapping[str, Any]
    points: tuple[PointResult, ...]
    missing: tuple[str, ...]

    @property
    def id(self) -> str:
        """The run's id."""
        return str(self.metadata["id"])

    def to_dict(self) -> dict[str, Any]:
        """The run's metadata and, per point, the forecast and its range per issue."""
        from zopa.uncertainty import INTERVAL_LEVELS

        data: dict[str, Any] = jsonable(
            {
                "run": dict(self.metadata),
                "missing_chunks": list(self.missing),
                "levels": list(INTERVAL_LEVELS),
                "points": [
                    {
                        "point": p.index,
                        "scenario": p.scenario,
                        "model": p.model,
                        "params": dict(p.params),
                        "overrides": dict(p.overrides),
                        "draws": 0 if p.outcomes is None else p.outcomes.n_draws,
                        "issues": {
                            issue: {
                                "forecast": p.point[issue],
                                **dict(
                                    zip(
                                        ("low", "median", "high"),
                                        p.intervals().get(issue, (None, None, None)),
                                        strict=True,
                                    )
                                ),
                            }
                            for issue in p.point
                        },
                    }
                    for p in self.points
                ],
            }
        )
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per point and issue: the settings, the forecast and its 5-95% range."""
        rows = []
        for p in self.points:
            spread = p.intervals()
            setting = "; ".join(f"{k}={v}" for k, v in {**p.params, **p.overrides}.items())
            for issue, value in p.point.items():
                low, median, high = spread.get(issue, (float("nan"),) * 3)
                rows.append(
                    {
                        "point": p.index,
                        "scenario": p.scenario,
                        "model": p.model,
                        "setting": setting or "defaults",
                        "issue": issue,
                        "forecast": value,
                        "low": low,
                        "median": median,
                        "high": high,
                        "draws": 0 if p.outcomes is None else p.outcomes.n_draws,
                    }
                )
        return rows


def load_run(store: Path | str, run_id: str) -> RunResult:
    """A stored run read back: the point forecasts and the per-draw outcomes per point.

    ``run_id`` may be the run's id or a unique prefix of it.

    Raises:
        BadInput: No such run (or a prefix matching several), or a damaged store.
    """
    import numpy as np
    import pyarrow.parquet as pq

    from zopa.uncertainty.outcomes import DrawOutcomes

    root = Path(store)
    matches = (
        sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.startswith(run_id))
        if root.is_dir() and run_id
        else []
    )
    if len(matches) != 1:
        message = "no such run in the store" if not matches else "several runs match"
        raise BadInput(
            [
                argument_problem(
                    "run",
                    message,
                    got=run_id,
                    expected=", ".join(matches) if matches else f"a run listed in {root}",
                )
            ]
        )
    folder = root / matches[0]
    meta = read_metadata(folder)
    have = stored_chunks(folder)
    missing: list[str] = []
    points = []
    per_point = int(meta["chunks_per_point"])
    for entry in meta["points"]:
        k = int(entry["index"])
        names = [chunk_name(k, c) for c in range(per_point)]
        absent = [n for n in names if n not in have]
        missing += absent
        issues = [str(i) for i in entry["issues"]]
        point = dict.fromkeys(issues, float("nan"))
        outcomes = None
        if names[0] in have:
            first = pq.read_schema(folder / CHUNKS / names[0]).metadata or {}
            forecast = json.loads(first[b"zopa.point_forecast"])
            point = {i: (np.nan if forecast[i] is None else float(forecast[i])) for i in issues}
        if not absent:
            parts = []
            for name in names:
                table = pq.read_table(folder / CHUNKS / name)
                parts.append(np.column_stack([table[i].to_numpy() for i in issues]))
            outcomes = DrawOutcomes.from_array(np.concatenate(parts))
        points.append(
            PointResult(
                index=k,
                scenario=str(entry["scenario"]),
                model=str(entry["model"]),
                params=dict(entry["params"]),
                overrides=dict(entry["overrides"]),
                point=point,
                outcomes=outcomes,
            )
        )
    return RunResult(folder, meta, tuple(points), tuple(missing))
