"""The web app and JSON API over :mod:`zopa.service` (``zopa serve``).

``create_app(settings)`` builds the FastAPI application: the JSON API under ``/api``
(OpenAPI at ``/openapi.json``), the pages, and the package's own script and style. Scenarios
and their versions live in a :class:`~zopa.web.store.Store` (SQLite by default).
"""

from zopa.web.app import create_app
from zopa.web.settings import Settings

__all__ = ["Settings", "create_app"]
