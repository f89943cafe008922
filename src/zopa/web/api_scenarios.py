"""The API's scenario routes: create, import, read, versions, diff, restore, export."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from zopa import service
from zopa.web.app import Context, context
from zopa.web.files import (
    EXPORT_FORMATS,
    canonical_text,
    deal_problems,
    export,
    read_text,
    read_upload,
    safe_name,
)
from zopa.web.schemas import ERROR_RESPONSES, NewDeal, NewScenario, NewVersion, Restore
from zopa.web.store import StoredScenario, Version

router = APIRouter(prefix="/api", tags=["scenarios"], responses=ERROR_RESPONSES)
Ctx = Annotated[Context, Depends(context)]
ID_MAX = 2**31 - 1
"""The largest id or version number (a 32-bit database integer)."""
ScenarioId = Annotated[int, PathParam(ge=1, le=ID_MAX)]
VersionNumber = Annotated[int, PathParam(ge=1, le=ID_MAX)]
VersionQuery = Annotated[int | None, Query(ge=1, le=ID_MAX, description="default: the latest")]
Upload = Annotated[UploadFile, File(description="a scenario file in any format zopa reads")]


def _created(stored: StoredScenario, warnings: list[Any]) -> JSONResponse:
    content = {**stored.to_dict(), "warnings": [w.to_dict() for w in warnings]}
    return JSONResponse(status_code=201, content=content)


def scenario_of(ctx: Context, scenario_id: int, number: int | None) -> tuple[Version, Any]:
    """A stored version and its parsed scenario (parsed once per version)."""
    version = ctx.store.version(scenario_id, number)
    return version, ctx.cache.get((scenario_id, version.number), version.text)


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """An uploaded file's bytes; :class:`~zopa.service.BadInput` past ``limit``."""
    data = await upload.read(limit + 1)
    if len(data) > limit:
        from zopa.service.errors import argument_problem

        raise service.BadInput(
            [argument_problem("file", f"larger than {limit} bytes", got=upload.filename)]
        )
    return data


@router.get("/session")
def session(ctx: Ctx) -> dict[str, str]:
    """The CSRF token for uploads (multipart requests send it as ``X-CSRF-Token``)."""
    return {"csrf": ctx.settings.csrf, "author": ctx.settings.author}


@router.get("/scenarios")
def list_scenarios(ctx: Ctx) -> list[dict[str, object]]:
    """Every scenario in the store with its latest version number."""
    return [s.to_dict() for s in ctx.store.scenarios()]


@router.post("/scenarios", status_code=201)
def create_scenario(body: NewScenario, ctx: Ctx) -> JSONResponse:
    """Create a scenario from the text of a scenario file (YAML or JSON): version 1."""
    scenario, warnings = read_text(body.text, json_format=body.format == "json")
    stored = ctx.store.create(
        body.name,
        canonical_text(scenario),
        author=body.author or ctx.settings.author,
        message=body.message or "created",
    )
    return _created(stored, warnings)


@router.post("/scenarios/import", status_code=201)
async def import_scenario(
    ctx: Ctx,
    file: Upload,
    name: Annotated[str | None, Form(max_length=200)] = None,
    author: Annotated[str | None, Form(max_length=200)] = None,
    message: Annotated[str | None, Form(max_length=2000)] = None,
) -> JSONResponse:
    """Import a scenario file in any format zopa reads (YAML, JSON, CSV, XLSX, KTAB, ...)."""
    data = await read_limited(file, ctx.settings.max_upload)
    filename = safe_name(file.filename or "scenario.yaml")
    scenario, warnings = await ctx.runner.run(lambda: read_upload(filename, data))
    stored = ctx.store.create(
        name or Path(filename).stem,
        canonical_text(scenario),
        author=author or ctx.settings.author,
        message=message or f"imported from {filename}",
    )
    return _created(stored, warnings)


@router.post("/validate")
async def validate_file(ctx: Ctx, file: Upload) -> Response:
    """Check a file in any format: the service's ``ValidationResult`` (problems located)."""
    import tempfile

    data = await read_limited(file, ctx.settings.max_upload)
    filename = safe_name(file.filename or "scenario.yaml")

    def check() -> str:
        with tempfile.TemporaryDirectory(prefix="zopa-validate-") as folder:
            path = Path(folder) / filename
            path.write_bytes(data)
            return service.validate([path]).to_json().replace(str(path), filename)

    return Response(await ctx.runner.run(check), media_type="application/json")


@router.get("/scenarios/{scenario_id}")
def get_scenario(ctx: Ctx, scenario_id: ScenarioId, version: VersionQuery = None) -> dict[str, Any]:
    """A scenario: its latest (or chosen) version's data, in the file format."""
    stored = ctx.store.scenario(scenario_id)
    v, scenario = scenario_of(ctx, scenario_id, version)
    data = service.ScenarioFile(Path(stored.name), scenario).to_dict()
    return {**stored.to_dict(), "version": v.summary(), "data": data}


@router.delete("/scenarios/{scenario_id}", status_code=204)
def delete_scenario(ctx: Ctx, scenario_id: ScenarioId) -> Response:
    """Remove a scenario with every version and deal file."""
    ctx.store.delete(scenario_id)
    return Response(status_code=204)


@router.get("/scenarios/{scenario_id}/versions")
def list_versions(ctx: Ctx, scenario_id: ScenarioId) -> list[dict[str, object]]:
    """Every version, oldest first: number, author, message, time."""
    return [v.summary() for v in ctx.store.versions(scenario_id)]


@router.get("/scenarios/{scenario_id}/versions/{number}")
def get_version(ctx: Ctx, scenario_id: ScenarioId, number: VersionNumber) -> dict[str, object]:
    """One version with its text (YAML, as zopa writes it)."""
    v = ctx.store.version(scenario_id, number)
    return {**v.summary(), "text": v.text}


@router.post("/scenarios/{scenario_id}/versions", status_code=201)
def save_version(ctx: Ctx, scenario_id: ScenarioId, body: NewVersion) -> JSONResponse:
    """Save a new version: the whole text, or changes to a version (default: the latest)."""
    from zopa.service.errors import argument_problem

    if (body.text is None) == (body.overrides is None):
        raise service.BadInput([argument_problem("text", "give either text or overrides")])
    warnings: list[Any] = []
    if body.text is not None:
        scenario, warnings = read_text(body.text, json_format=body.format == "json")
        summary = "edited"
    else:
        assert body.overrides is not None
        base, start = scenario_of(ctx, scenario_id, body.base)
        scenario = service.with_overrides(start, **body.overrides.for_service())
        summary = _describe(body.overrides.for_service(), base.number)
    v = ctx.store.add_version(
        scenario_id,
        canonical_text(scenario),
        author=body.author or ctx.settings.author,
        message=body.message or summary,
    )
    return JSONResponse(
        status_code=201,
        content={**v.summary(), "warnings": [w.to_dict() for w in warnings]},
    )


def _describe(overrides: dict[str, list[dict[str, Any]]], base: int) -> str:
    parts = []
    for s in overrides["stances"]:
        changed = ", ".join(f"{k} {v}" for k, v in s.items() if k not in ("actor", "issue"))
        parts.append(f"{s['actor']} on {s['issue']}: {changed}")
    for a in overrides["actors"]:
        changed = ", ".join(f"{k} {v}" for k, v in a.items() if k != "actor")
        parts.append(f"{a['actor']}: {changed}")
    return f"from version {base}: " + ("; ".join(parts) or "no change")


@router.post("/scenarios/{scenario_id}/versions/{number}/restore", status_code=201)
def restore_version(
    ctx: Ctx, scenario_id: ScenarioId, number: VersionNumber, body: Restore
) -> JSONResponse:
    """Save an old version again as the newest (nothing is overwritten)."""
    old = ctx.store.version(scenario_id, number)
    v = ctx.store.add_version(
        scenario_id,
        old.text,
        author=body.author or ctx.settings.author,
        message=body.message or f"restored version {number}",
    )
    return JSONResponse(status_code=201, content=v.summary())


@router.get("/scenarios/{scenario_id}/diff")
def diff_versions(
    ctx: Ctx,
    scenario_id: ScenarioId,
    old: Annotated[int, Query(alias="from", ge=1, le=ID_MAX)],
    new: Annotated[int | None, Query(alias="to", ge=1, le=ID_MAX, description="latest")] = None,
) -> dict[str, object]:
    """What changed between two versions: a unified diff of their texts."""
    a = ctx.store.version(scenario_id, old)
    b = ctx.store.version(scenario_id, new)
    lines = list(
        difflib.unified_diff(
            a.text.splitlines(keepends=True),
            b.text.splitlines(keepends=True),
            f"version {a.number}",
            f"version {b.number}",
        )
    )
    added = sum(1 for x in lines if x.startswith("+") and not x.startswith("+++"))
    removed = sum(1 for x in lines if x.startswith("-") and not x.startswith("---"))
    return {
        "from": a.number,
        "to": b.number,
        "added": added,
        "removed": removed,
        "diff": "".join(lines),
    }


@router.get("/scenarios/{scenario_id}/export")
def export_scenario(
    ctx: Ctx,
    scenario_id: ScenarioId,
    fmt: Annotated[str, Query(alias="format", pattern="^(yaml|xlsx)$")] = "yaml",
    version: VersionQuery = None,
) -> Response:
    """The scenario as a YAML or XLSX file."""
    stored = ctx.store.scenario(scenario_id)
    v, scenario = scenario_of(ctx, scenario_id, version)
    filename, media = EXPORT_FORMATS[fmt]
    body = v.text.encode() if fmt == "yaml" else export(scenario, fmt)
    shown = f"{safe_name(stored.name)}-v{v.number}{Path(filename).suffix}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{shown}"'}
    )


@router.get("/scenarios/{scenario_id}/deal-files")
def list_deals(ctx: Ctx, scenario_id: ScenarioId) -> list[str]:
    """The names of the deal files kept with the scenario."""
    return list(ctx.store.deals(scenario_id))


@router.post("/scenarios/{scenario_id}/deal-files", status_code=201)
def add_deal(ctx: Ctx, scenario_id: ScenarioId, body: NewDeal) -> JSONResponse:
    """Keep a deal file with the scenario, once it checks against the latest version."""
    latest = ctx.store.version(scenario_id)
    name = safe_name(body.name, "deal.yaml")
    problems = deal_problems(name, body.text, latest.text)
    if any(p.is_error for p in problems):
        raise service.BadInput(problems)
    ctx.store.add_deal(scenario_id, name, body.text)
    return JSONResponse(status_code=201, content={"name": name})
