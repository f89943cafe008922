"""The web app: one FastAPI application serving the JSON API and the pages.

``create_app(settings)`` builds it; ``zopa serve`` runs it with uvicorn. Errors of the
service map to HTTP the same way everywhere: :class:`~zopa.service.BadInput` -> 422 with
every located problem, :class:`~zopa.service.AnalysisFailed` -> 500 with the reason.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from zopa import service
from zopa.web.files import ScenarioCache
from zopa.web.runner import Runner, TooSlow
from zopa.web.security import BodyTooLarge, Guard
from zopa.web.settings import Settings
from zopa.web.store import Conflict, NotFound, Store, default_store_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

logger = logging.getLogger("zopa")


class Context:
    """What the routes share: settings, store, runner and parsed-scenario cache."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.runner = Runner(settings.workers, settings.time_limit)
        self.cache = ScenarioCache()


def context(request: Request) -> Context:
    """The app's shared context (a FastAPI dependency)."""
    ctx: Context = request.app.state.zopa
    return ctx


def problems_response(problems: list[Any]) -> JSONResponse:
    """422 with every located problem."""
    return JSONResponse(status_code=422, content={"problems": [p.to_dict() for p in problems]})


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """The web app over a store (default: the one ``settings.store_url`` names)."""
    settings = settings or Settings()
    store = store or Store(settings.store_url or default_store_url())
    ctx = Context(settings, store)
    seed_store(store, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.runner.close()

    app = FastAPI(
        title="zopa",
        summary="Analyse hard multi-party negotiations: forecasts, deal space, durability.",
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # its Swagger UI loads from a CDN: /docs is the app's own page
        redoc_url=None,
    )
    app.state.zopa = ctx
    _add_error_handlers(app)

    from zopa.web.api_analyses import router as analyses
    from zopa.web.api_scenarios import router as scenarios
    from zopa.web.pages import mount_pages

    app.include_router(scenarios)
    app.include_router(analyses)
    mount_pages(app)
    app.add_middleware(Guard, settings=settings)
    return app


def _version() -> str:
    import zopa

    return str(getattr(zopa, "__version__", "0"))


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(service.BadInput)
    async def bad_input(_request: Request, exc: service.BadInput) -> JSONResponse:
        return problems_response(exc.problems)

    @app.exception_handler(service.AnalysisFailed)
    async def failed(_request: Request, exc: service.AnalysisFailed) -> JSONResponse:
        return JSONResponse(status_code=500, content={"reason": exc.reason})

    @app.exception_handler(TooSlow)
    async def too_slow(_request: Request, exc: TooSlow) -> JSONResponse:
        return JSONResponse(status_code=503, content={"reason": str(exc)})

    @app.exception_handler(NotFound)
    async def not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"reason": str(exc)})

    @app.exception_handler(Conflict)
    async def conflict(_request: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"reason": str(exc)})

    @app.exception_handler(BodyTooLarge)
    async def too_large(_request: Request, exc: BodyTooLarge) -> JSONResponse:
        return JSONResponse(status_code=413, content={"reason": str(exc)})

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        from zopa.io.errors import Problem

        problems = []
        for e in exc.errors():
            loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path")]
            path = ".".join(loc).replace(".[", "[")
            got = e.get("input")
            shown = got if isinstance(got, (int, float, str, bool)) or got is None else None
            problems.append(Problem("", None, path, str(e.get("msg", "invalid")), got=shown))
        return problems_response(problems)


def seed_store(store: Store, settings: Settings) -> None:
    """Import each seed scenario (and its ``deals/``) unless the store has one of its name."""
    from zopa.io.files import FileReadError, read_bytes
    from zopa.web.files import canonical_text

    for name in settings.seed_files:
        path = Path(name)
        if store.find(path.stem) is not None:
            continue
        try:
            loaded = service.load_scenario(path)
        except service.BadInput as exc:
            logger.warning("not imported: %s (%s)", path, exc)
            continue
        created = store.create(
            path.stem,
            canonical_text(loaded.scenario),
            author=settings.author,
            message=f"imported from {path.name}",
        )
        for deal in sorted((path.parent / "deals").glob("*.yaml")):
            try:  # a regular file of sensible size only (never a FIFO or a device)
                text = read_bytes(deal).decode("utf-8")
            except (FileReadError, UnicodeDecodeError) as exc:
                logger.warning("deal not imported: %s (%s)", deal, exc)
                continue
            if path.name in text:  # a deal about this scenario
                store.add_deal(created.id, deal.name, text)
