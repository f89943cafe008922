"""The pages in a real Chromium (Playwright with Debian's chromium package).

Skipped, with the reason, where /usr/bin/chromium is missing. Set ZOPA_SCREENSHOTS to a
folder to keep a screenshot of every page there (docs/images/ holds the ones in
docs/web.md).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from web_helpers import ROOT, make_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = [
    "scenario",
    "forecast",
    "deals",
    "tables",
    "durability",
    "advise",
    "sensitivity",
    "backtest",
    "versions",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no /usr/bin/chromium (install Debian's chromium package: apt-get install chromium)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    port = _free_port()
    app = make_app(tmp_path_factory.mktemp("store"))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, errors


def _shot(page, name):
    folder = os.environ.get("ZOPA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"web-{name}.png"), full_page=True)


def _ready(page):
    page.wait_for_function("document.body.dataset.ready !== undefined", timeout=60_000)
    assert page.evaluate("document.body.dataset.ready") == "true", page.inner_text("main")


def test_every_page_opens(server, page):
    page.goto(server + "/")
    _ready(page)
    assert "ukraine-ceasefire-2026" in page.inner_text("#scenario-list")
    _shot(page, "home")
    for name in PAGES:
        page.goto(f"{server}/scenarios/1/{name}")
        _ready(page)
        assert page.locator("h1").count() >= 1
        assert page.locator(".problems").count() == 0, page.inner_text("main")
        _shot(page, name)
    page.goto(f"{server}/docs")
    _ready(page)
    assert "/what-if" in page.inner_text("#endpoints")
    page.goto(f"{server}/scenarios/1/deals")
    _ready(page)
    assert "empty" in page.inner_text("#zopa-verdict")
    assert page.locator("#conflicts li").count() >= 1
    assert page.locator("#agenda li").count() >= 1


def test_moving_a_slider_changes_the_forecast(server, page):
    page.goto(f"{server}/scenarios/1/forecast")
    _ready(page)
    page.select_option("#draws", "0")
    page.wait_for_function("document.body.dataset.updates >= 2")
    before = page.inner_text("#forecast-table")
    slider = page.locator('input.position-slider[data-actor="US"]')
    timings = []
    for value in ("20", "5"):
        updates = int(page.evaluate("document.body.dataset.updates"))
        slider.fill(value)
        page.wait_for_function(f"document.body.dataset.updates > {updates}")
        timings.append(page.evaluate("window.zopaLastUpdateMs"))
    after = page.inner_text("#forecast-table")
    assert after != before
    assert "unsaved change" in page.inner_text("#pending")
    print(
        f"\nslider move to new numbers in the browser: {', '.join(f'{t:.0f} ms' for t in timings)}"
    )
    _shot(page, "forecast-moved")
    page.click("#pending button.secondary")  # discard: back to the saved version


def test_a_bad_file_shows_located_errors(server, page, tmp_path):
    page.goto(server + "/")
    _ready(page)
    bad = ROOT / "tests" / "fixtures" / "scenarios" / "ten-mistakes.yaml"
    page.set_input_files("#upload", str(bad))
    page.click("#import-form button")
    page.wait_for_selector(".problems li")
    text = page.inner_text(".problems")
    assert re.search(r"ten-mistakes\.yaml:\d+", text), text
    _shot(page, "bad-upload")


def test_save_a_version_and_restore_it(server, page):
    page.goto(f"{server}/scenarios/1/scenario")
    _ready(page)
    page.select_option("#issue", "territory")
    page.locator('input.position-slider[data-actor="UA"]').fill("10")
    page.fill("#save-message", "Ukraine concedes less territory")
    page.click("#save-version")
    page.wait_for_function("document.getElementById('status').textContent.includes('saved')")
    page.goto(f"{server}/scenarios/1/versions")
    _ready(page)
    rows = page.inner_text("#versions")
    assert "Ukraine concedes less territory" in rows
    assert "+  position: 10" in page.inner_text("#diff")
    _shot(page, "versions")
    count = page.locator("#versions tbody tr").count()
    page.locator('button.restore[data-version="1"]').click()
    page.wait_for_function(f"document.querySelectorAll('#versions tbody tr').length > {count}")
    assert "restored version 1" in page.inner_text("#versions")


def test_forecast_shows_flags_and_calibrated_intervals(server, page):
    page.goto(f"{server}/scenarios/1/forecast")
    _ready(page)
    page.wait_for_function("document.body.dataset.updates >= 1")
    assert page.locator("#flags li").count() >= 1  # the flagship has points outside their range
    assert "outside its own" in page.inner_text("#flags") or "lies" in page.inner_text("#flags")
    updates = int(page.evaluate("document.body.dataset.updates"))
    page.check("#calibrated")
    page.wait_for_function(f"document.body.dataset.updates > {updates}")
    assert "calibrated on EU legislation" in page.inner_text("#forecast")
    assert re.search(r"\[\d+–\d+\]", page.inner_text("#forecast-table"))
    _shot(page, "forecast-calibrated")


def test_a_red_line_can_be_dragged_and_removed(server, page):
    page.goto(f"{server}/scenarios/1/scenario")
    _ready(page)
    page.select_option("#issue", "territory")
    slider = page.locator("input.redline-slider").first
    label = slider.get_attribute("aria-label")
    slider.fill("40")
    assert "1 unsaved change" in page.inner_text("#pending")
    stored = page.evaluate("localStorage.getItem('zopa-overrides-1')")
    assert '"red_line":40' in stored, stored
    actor = label.split()[0]
    page.click(f'button[aria-label="remove {actor} red line on territory"]')
    stored = page.evaluate("localStorage.getItem('zopa-overrides-1')")
    assert '"remove_red_line":true' in stored, stored
    assert page.locator(f'button[aria-label="add {actor} red line on territory"]').count() == 1
    page.click("#pending button.secondary")  # discard


def test_a_deal_file_can_be_added_and_assessed(server, page, tmp_path):
    page.goto(f"{server}/scenarios/1/durability")
    _ready(page)
    before = page.locator("#deal-picker label").count()
    deal = ROOT / "scenarios" / "deals" / "e3-counter-proposal-2025-11.yaml"
    copy = tmp_path / "e3-again.yaml"
    copy.write_text(deal.read_text())
    page.set_input_files("#deal-upload", str(copy))
    page.click("#deal-form button")
    page.wait_for_function(
        f"document.querySelectorAll('#deal-picker label').length > {before}", timeout=60_000
    )
    assert "e3-again.yaml" in page.inner_text("#deal-picker")
    bad = tmp_path / "bad-deal.yaml"
    bad.write_text(deal.read_text().replace("territory:", "territorry:", 1))
    page.set_input_files("#deal-upload", str(bad))
    page.click("#deal-form button")
    page.wait_for_selector("#deal-upload-result .problems li", timeout=60_000)
    assert "territorry" in page.inner_text("#deal-upload-result")


def test_backtest_page_scores_an_uploaded_file(server, page):
    page.goto(f"{server}/scenarios/1/backtest")
    _ready(page)
    page.set_input_files(
        "#cases-upload", str(ROOT / "tests" / "fixtures" / "deu" / "deu-sample.csv")
    )
    page.click("#backtest-form button")
    page.wait_for_selector("#scores tbody tr", timeout=120_000)
    text = page.inner_text("#scores")
    assert "compromise" in text
    _shot(page, "backtest")


def test_advice_page_lists_levers_for_the_chosen_actor(server, page):
    page.goto(f"{server}/scenarios/1/advise")
    _ready(page)
    page.wait_for_selector("#own-levers tbody tr", timeout=120_000)
    page.select_option("#actor", "UA")
    page.wait_for_function(
        "document.querySelector('#advice-stated')"
        " && document.querySelector('#advice-stated').textContent.startsWith('UA\\'s utility')",
        timeout=120_000,
    )
    page.wait_for_selector("#persuasion-levers tbody tr", timeout=120_000)
    assert "territory" in page.inner_text("#own-levers")
    assert "position 50 → 40" in page.inner_text("#own-levers")
    assert "No single lever opens the empty zone" in page.inner_text("#advice-opening")
    _shot(page, "advise")
