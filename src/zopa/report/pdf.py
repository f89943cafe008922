"""The HTML report printed to PDF by headless Chromium (through Playwright).

Chromium's print-to-PDF is a real layout engine: the page uses the report's print style
sheet (A4, figures and table rows kept whole). Playwright is optional (the ``pdf`` extra,
or the development tools); the browser is the one Playwright installed, or the system's
Chromium named by ``ZOPA_CHROMIUM`` or found on the ``PATH``. When neither is there,
:func:`pdf_engine` says why and the report is written without its PDF. The page is loaded
from a string with JavaScript off, and every network request is refused.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, Any

from zopa.io.atomic import atomic_write

if TYPE_CHECKING:
    from pathlib import Path

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
"""System browsers tried, in order, when Playwright has none of its own."""


class PdfUnavailable(Exception):  # noqa: N818
    """No engine can print the PDF here; the message says why, in one line."""


def _executable() -> str | None:
    """A system Chromium: ``ZOPA_CHROMIUM``, else the first of :data:`BROWSER_NAMES`."""
    given = os.environ.get("ZOPA_CHROMIUM")
    if given:
        return given
    return next((p for n in BROWSER_NAMES if (p := shutil.which(n))), None)


def _launch(playwright: Any) -> Any:
    """Playwright's own Chromium if installed, else the system's."""
    from playwright.sync_api import Error

    args = ["--no-sandbox"]
    try:
        return playwright.chromium.launch(args=args)
    except Error:
        executable = _executable()
        if executable is None:
            raise PdfUnavailable(
                "no Chromium found (install one, or run `playwright install chromium`)"
            ) from None
        try:
            return playwright.chromium.launch(executable_path=executable, args=args)
        except Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "failed"
            raise PdfUnavailable(f"Chromium at {executable} did not start: {first}") from None


def write_pdf(html: str, path: Path) -> Path:
    """Print ``html`` to ``path`` as A4 PDF; :class:`PdfUnavailable` if no engine runs."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PdfUnavailable("Playwright is not installed (pip install 'zopa[pdf]')") from None
    try:
        with sync_playwright() as p:
            browser = _launch(p)
            try:
                context = browser.new_context(java_script_enabled=False, offline=True)
                page = context.new_page()
                page.route("**/*", lambda route: route.abort())
                page.set_content(html, wait_until="load")
                pdf = page.pdf(
                    format="A4",
                    print_background=True,
                    prefer_css_page_size=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=(
                        '<div style="font-size:7pt;width:100%;text-align:center;color:#666">'
                        '<span class="pageNumber"></span> / <span class="totalPages"></span>'
                        "</div>"
                    ),
                )
            finally:
                browser.close()
    except Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "failed"
        raise PdfUnavailable(f"Chromium could not print the report: {first}") from None
    atomic_write(path, pdf)
    return path
