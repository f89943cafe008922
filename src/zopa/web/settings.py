"""How the web app runs: where it listens, who may call it, how much work a request may ask."""

from __future__ import annotations

import getpass
import secrets
from dataclasses import dataclass, field

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Hosts that only this machine can reach: no token needed."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""The largest request body accepted (10 MiB)."""


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local user"


@dataclass(frozen=True)
class Settings:
    """The app's settings.

    Attributes:
        host: The address the server is bound to.
        port: The port.
        store_url: The SQLAlchemy URL of the store (default: SQLite in the data folder).
        token: Required on every request when set (``Authorization: Bearer``, the
            ``zopa_token`` cookie, or ``?token=`` once in a page's address).
        allowed_hosts: Host header values accepted (empty: any; the token protects).
        csrf: The token a state-changing request without a JSON body must carry in the
            ``X-CSRF-Token`` header (a page carries it; ``GET /api/session`` returns it).
        time_limit: Seconds an analysis may take before the request gets 503.
        workers: Analyses running at once (more wait their turn).
        max_draws: The most Monte Carlo draws a forecast may ask for.
        max_upload: The largest request body accepted, in bytes.
        author: Who saves a version when the request does not say.
        seed_files: Scenario files (with a ``deals/`` folder beside them) to import on an
            empty store, e.g. the flagship.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    store_url: str | None = None
    token: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    time_limit: float = 60.0
    workers: int = 4
    max_draws: int = 10_000
    max_upload: int = MAX_UPLOAD_BYTES
    author: str = field(default_factory=_user)
    seed_files: tuple[str, ...] = ()


def hosts_for(host: str, port: int) -> tuple[str, ...]:
    """The Host header values a server bound to ``host`` answers (empty: any)."""
    if host in ("0.0.0.0", "::", ""):
        return ()
    names = {host, *LOCAL_HOSTS} if host in LOCAL_HOSTS else {host}
    out = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out |= {shown, f"{shown}:{port}"}
    return tuple(sorted(out))
