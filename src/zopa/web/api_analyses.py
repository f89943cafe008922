"""The API's analyses: every service analysis of a stored version, what-if, and more.

Backtests run on an uploaded file; the full report comes as a zip.

Each answer is the service result's ``to_json()``: the same bytes ``zopa ... --format
json`` prints.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile

from zopa import service
from zopa.service.errors import argument_problem
from zopa.web.api_scenarios import (
    ScenarioId,
    VersionQuery,
    read_limited,
    scenario_of,
)
from zopa.web.app import Context, context
from zopa.web.files import canonical_text, deal_folder, safe_name
from zopa.web.runner import PLOT_LOCK
from zopa.web.schemas import (
    ERROR_RESPONSES,
    AdviseOptions,
    DealsOptions,
    DurabilityOptions,
    ForecastOptions,
    SensitivityOptions,
    TablesOptions,
    WhatIf,
)

if TYPE_CHECKING:
    from zopa.scenario import Scenario

router = APIRouter(prefix="/api", tags=["analyses"], responses=ERROR_RESPONSES)
Ctx = Annotated[Context, Depends(context)]


def _json(result: service.ForecastResult | Any, started: float) -> Response:
    elapsed = (time.perf_counter() - started) * 1000
    return Response(
        result.to_json(),
        media_type="application/json",
        headers={"Server-Timing": f"analysis;dur={elapsed:.1f}"},
    )


def _check_draws(ctx: Context, draws: int) -> None:
    if draws > ctx.settings.max_draws:
        raise service.BadInput(
            [
                argument_problem(
                    "draws",
                    "more draws than this server allows",
                    got=draws,
                    expected=f"0..{ctx.settings.max_draws}",
                )
            ]
        )


def run_forecast(scenario: Scenario, o: ForecastOptions) -> service.ForecastResult:
    """The service's forecast with the options of a request."""
    return service.forecast(
        scenario,
        models=o.models,
        params=o.params,
        rounds=o.rounds,
        draws=o.draws,
        seed=o.seed,
        trace=o.trace,
        calibrated=o.calibrated,
        workers=1,  # requests already run side by side in the server's threads
        threads=2,  # the round-based models of a request run side by side (same numbers)
    )


def run_deals(scenario: Scenario, o: DealsOptions) -> service.DealsResult:
    """The service's deal space analysis with the options of a request."""
    return service.deals(scenario, grid=o.grid, loss=o.loss, method=o.method, parties=o.parties)


def run_tables(scenario: Scenario, o: TablesOptions) -> service.TablesResult:
    """The service's table comparison with the options of a request."""
    return service.tables(
        scenario, o.tables, grid=o.grid, loss=o.loss, method=o.method, forecasts=o.forecasts
    )


def run_advise(scenario: Scenario, o: AdviseOptions) -> service.AdviceResult:
    """The service's advice for one actor with the options of a request."""
    return service.advise(
        scenario,
        actor=o.actor,
        model=o.model,
        rank_by=o.rank_by,
        top=o.top,
        deal_space=o.deal_space,
        grid=o.grid,
        position_step=o.position_step,
        salience_step=o.salience_step,
    )


def run_sensitivity(scenario: Scenario, o: SensitivityOptions) -> service.SensitivityReport:
    """The service's sensitivity analysis with the options of a request."""
    return service.sensitivity(
        scenario,
        model=o.model,
        params=o.params,
        issues=o.issues,
        method=o.method,
        samples=o.samples,
        distribution=o.distribution,
        salience=o.salience,
        capability=o.capability,
        seed=o.seed,
    )


@router.post("/scenarios/{scenario_id}/forecast")
async def forecast(
    ctx: Ctx, scenario_id: ScenarioId, body: ForecastOptions, version: VersionQuery = None
) -> Response:
    """Every chosen model's forecast per issue, with Monte Carlo ranges when ``draws``."""
    _check_draws(ctx, body.draws)
    started = time.perf_counter()
    _, scenario = scenario_of(ctx, scenario_id, version)
    return _json(await ctx.runner.run(lambda: run_forecast(scenario, body)), started)


@router.post("/scenarios/{scenario_id}/deals")
async def deals(
    ctx: Ctx, scenario_id: ScenarioId, body: DealsOptions, version: VersionQuery = None
) -> Response:
    """The deal space: ZOPA, colliding red lines, relaxations, solutions, logrolls, agenda."""
    started = time.perf_counter()
    _, scenario = scenario_of(ctx, scenario_id, version)
    return _json(await ctx.runner.run(lambda: run_deals(scenario, body)), started)


@router.post("/scenarios/{scenario_id}/tables")
async def tables(
    ctx: Ctx, scenario_id: ScenarioId, body: TablesOptions, version: VersionQuery = None
) -> Response:
    """The deal each table reaches, and what every actor gets from it."""
    started = time.perf_counter()
    _, scenario = scenario_of(ctx, scenario_id, version)
    return _json(await ctx.runner.run(lambda: run_tables(scenario, body)), started)


@router.post("/scenarios/{scenario_id}/sensitivity")
async def sensitivity(
    ctx: Ctx, scenario_id: ScenarioId, body: SensitivityOptions, version: VersionQuery = None
) -> Response:
    """Which inputs drive each issue's forecast."""
    started = time.perf_counter()
    _, scenario = scenario_of(ctx, scenario_id, version)
    return _json(await ctx.runner.run(lambda: run_sensitivity(scenario, body)), started)


@router.post("/scenarios/{scenario_id}/advise")
async def advise(
    ctx: Ctx, scenario_id: ScenarioId, body: AdviseOptions, version: VersionQuery = None
) -> Response:
    """Levers for one actor: its own stances to change, and whom to persuade of what."""
    started = time.perf_counter()
    _, scenario = scenario_of(ctx, scenario_id, version)
    return _json(await ctx.runner.run(lambda: run_advise(scenario, body)), started)


@router.post("/scenarios/{scenario_id}/durability")
async def durability(
    ctx: Ctx, scenario_id: ScenarioId, body: DurabilityOptions, version: VersionQuery = None
) -> Response:
    """Will the deals' ceasefires hold: one deal assessed, or several compared."""
    started = time.perf_counter()
    v, base = scenario_of(ctx, scenario_id, version)
    kept = ctx.store.deals(scenario_id)
    names = body.deals if body.deals is not None else list(kept)
    unknown = sorted(set(names) - set(kept))
    if unknown or not names:
        raise service.BadInput(
            [
                argument_problem(
                    "deals",
                    f"no deal file named {', '.join(unknown)}" if unknown else "no deal files",
                    expected=", ".join(kept) or "a deal file kept with the scenario",
                )
            ]
        )

    def work() -> service.DurabilityReport:
        changes = body.overrides.for_service()
        text = v.text
        if changes["stances"] or changes["actors"]:
            text = canonical_text(service.with_overrides(base, **changes))
        with deal_folder(text, {n: kept[n] for n in names}) as (_, paths):
            try:
                if len(paths) == 1:
                    return service.durability(paths[0], draws=body.draws, seed=body.seed)
                return service.compare(paths, draws=body.draws, seed=body.seed)
            except service.BadInput as exc:
                folder = str(paths[0].parent)
                from dataclasses import replace

                raise service.BadInput(
                    [replace(p, file=p.file.replace(folder, "deals")) for p in exc.problems]
                ) from None

    return _json(await ctx.runner.run(work), started)


@router.post("/scenarios/{scenario_id}/what-if")
async def what_if(
    ctx: Ctx, scenario_id: ScenarioId, body: WhatIf, version: VersionQuery = None
) -> Response:
    """Try changes without saving: the changed scenario's analyses, each the service's JSON.

    Answers ``{"forecast": ..., "deals": ..., "tables": ..., "sensitivity": ...,
    "advise": ...}`` for the analyses asked for (the others ``null``), and
    ``elapsed_ms``, the server's time.
    """
    if body.forecast is not None:
        _check_draws(ctx, body.forecast.draws)
    started = time.perf_counter()
    _, base = scenario_of(ctx, scenario_id, body.version or version)

    def work() -> str:
        scenario = service.with_overrides(base, **body.overrides.for_service())
        parts = {
            "forecast": run_forecast(scenario, body.forecast) if body.forecast else None,
            "deals": run_deals(scenario, body.deals) if body.deals else None,
            "tables": run_tables(scenario, body.tables) if body.tables else None,
            "sensitivity": run_sensitivity(scenario, body.sensitivity)
            if body.sensitivity
            else None,
            "advise": run_advise(scenario, body.advise) if body.advise else None,
        }
        text = ",\n".join(
            f'"{k}": {"null" if r is None else r.to_json().rstrip()}' for k, r in parts.items()
        )
        elapsed = (time.perf_counter() - started) * 1000
        return f'{{{text},\n"elapsed_ms": {elapsed:.1f}}}\n'

    return Response(await ctx.runner.run(work), media_type="application/json")


@router.post("/backtest")
async def backtest(
    ctx: Ctx,
    file: Annotated[UploadFile, File(description="a DEU-layout CSV, or a scenario file")],
    capability: Annotated[UploadFile | None, File(description="actor,capability CSV")] = None,
    models: Annotated[str | None, Form(description="comma-separated model names")] = None,
    bootstrap: Annotated[int, Form(ge=0, le=5000)] = 500,
    seed: Annotated[int, Form(ge=0, le=2**32 - 1)] = 0,
) -> Response:
    """Score the models against the known outcomes of an uploaded file."""
    import tempfile
    from pathlib import Path

    data = await read_limited(file, ctx.settings.max_upload)
    caps = None if capability is None else await read_limited(capability, ctx.settings.max_upload)
    name = safe_name(file.filename or "cases.csv")
    started = time.perf_counter()

    def work() -> service.BacktestReport:
        with tempfile.TemporaryDirectory(prefix="zopa-backtest-") as folder:
            root = Path(folder)
            is_table = Path(name).suffix.lower() in (".csv", ".txt")
            target = root / name if is_table else root / "cases"
            if not is_table:
                target.mkdir()
            (target if is_table else target / name).write_bytes(data)
            cap_path = None
            if caps is not None:
                cap_path = root / "capability.csv"
                cap_path.write_bytes(caps)
            try:
                cases = service.load_cases(target, capability=cap_path)
            except service.BadInput as exc:
                from dataclasses import replace

                raise service.BadInput(
                    [replace(p, file=p.file.replace(folder, "upload")) for p in exc.problems]
                ) from None
            chosen = [m.strip() for m in models.split(",") if m.strip()] if models else None
            return service.backtest(cases, models=chosen, bootstrap=bootstrap, seed=seed)

    return _json(await ctx.runner.run(work), started)


@router.get("/scenarios/{scenario_id}/report")
async def report(
    ctx: Ctx,
    scenario_id: ScenarioId,
    version: VersionQuery = None,
    draws: Annotated[int, Query(ge=0, le=5000)] = 1000,
) -> Response:
    """The full report of a version (Markdown, JSON, CSV and plots) as a zip file."""
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    stored = ctx.store.scenario(scenario_id)
    v, _ = scenario_of(ctx, scenario_id, version)
    kept = ctx.store.deals(scenario_id)

    def work() -> bytes:
        from zopa.report.document import write_report

        with (
            deal_folder(v.text, kept) as (scenario_path, paths),
            tempfile.TemporaryDirectory(prefix="zopa-report-") as out,
        ):
            result = service.report(scenario_path, draws=draws, deal_files=paths)
            with PLOT_LOCK:
                write_report(result, Path(out))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for f in sorted(Path(out).rglob("*")):
                    if f.is_file():
                        archive.write(f, f.relative_to(out))
            return buffer.getvalue()

    body = await ctx.runner.run(work, limit=max(ctx.settings.time_limit, 300.0))
    shown = f"{safe_name(stored.name)}-v{v.number}-report.zip"
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{shown}"'},
    )
