"""The pages: one HTML shell per page, filled in by the package's own script and style."""

from __future__ import annotations

import html
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

PAGES = {
    "scenario": "Scenario",
    "forecast": "Forecast",
    "deals": "Deal space",
    "tables": "Who is at the table",
    "durability": "After the agreement",
    "advise": "Advice",
    "sensitivity": "Sensitivity",
    "backtest": "Backtest",
    "versions": "Versions",
}
"""Page name -> title, in the order of the navigation."""


def _shell(page: str, scenario_id: int | None, csrf: str) -> str:
    template = resources.files("zopa.web").joinpath("templates/page.html").read_text("utf-8")
    title = {"apidocs": "API", "home": "Scenarios"}.get(page) or PAGES.get(page, "zopa")
    return (
        template.replace("{{title}}", html.escape(title))
        .replace("{{page}}", html.escape(page))
        .replace("{{scenario}}", "" if scenario_id is None else str(scenario_id))
        .replace("{{csrf}}", html.escape(csrf))
    )


def mount_pages(app: FastAPI) -> None:
    """Add the pages and the static files to ``app``."""
    static = resources.files("zopa.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    def _page(request: Request, page: str, scenario_id: int | None) -> HTMLResponse:
        ctx = request.app.state.zopa
        response = HTMLResponse(_shell(page, scenario_id, ctx.settings.csrf))
        token = request.query_params.get("token")
        if token and ctx.settings.token == token:
            response.set_cookie("zopa_token", token, httponly=True, samesite="strict")
        return response

    @app.get("/", include_in_schema=False, response_model=None)
    def home(request: Request) -> HTMLResponse | RedirectResponse:
        return _page(request, "home", None)

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        return _page(request, "apidocs", None)

    @app.get("/scenarios/{scenario_id}/{page}", include_in_schema=False)
    def page(request: Request, scenario_id: int, page: str) -> HTMLResponse:
        if page not in PAGES:
            return HTMLResponse("no such page", status_code=404)
        return _page(request, page, scenario_id)
