"""``zopa serve``: the web app and JSON API on this machine (127.0.0.1:8000 by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.common import console


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (others need the token).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="SQLAlchemy URL of the scenario store (default: SQLite in"
            " ~/.local/share/zopa/zopa.db).",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Token every request must carry (default: generated when the host is not"
            " this machine).",
        ),
    ] = None,
    scenario: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenario",
            help="Scenario file to import (with its deals/ folder) unless the store has one"
            " of that name (repeatable).",
        ),
    ] = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the app in the web browser.")
    ] = False,
) -> None:
    """Serve the web app and its JSON API (OpenAPI at /openapi.json, docs at /docs).

    Move a position and watch the forecast, the deal space and the ceasefire's odds
    change; scenarios are kept with their history in the store.

    \b
    Example:
        zopa serve --scenario scenarios/ukraine-ceasefire-2026.yaml --open
        zopa serve --host 0.0.0.0 --port 8080 --store postgresql://zopa@db/zopa
    """
    import secrets

    import uvicorn

    from zopa.web import Settings, create_app
    from zopa.web.settings import LOCAL_HOSTS, hosts_for

    if token is None and host not in LOCAL_HOSTS:
        token = secrets.token_urlsafe(24)
    settings = Settings(
        host=host,
        port=port,
        store_url=store,
        token=token,
        allowed_hosts=hosts_for(host, port),
        seed_files=tuple(str(s) for s in scenario or ()),
    )
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    console.print(f"zopa: serving on {address}  (Ctrl-C stops)")
    if token:
        console.print(f"zopa: every request needs the token: Authorization: Bearer {token}")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(serve)
