"""The PDF: printed by headless Chromium when there is one, one notice line when not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa import service
from zopa.cli import app
from zopa.report.document import write_report

ROOT = Path(__file__).resolve().parent.parent
COLLIDE = ROOT / "tests" / "fixtures" / "deals" / "red-lines-collide.yaml"


def test_the_report_prints_to_pdf(tmp_path):
    result = service.report(COLLIDE, models=["compromise"], draws=0)
    out = tmp_path / "out"
    report = write_report(result, out, pdf=True)
    if report.pdf_skipped is not None:
        pytest.skip(f"no PDF engine here: {report.pdf_skipped}")
    assert report.pdf == out / "report.pdf"
    data = report.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/Type /Page" in data
    # the figures are in it: a PDF with embedded images is far larger than its text
    assert len(data) > 50_000


def test_without_an_engine_the_pdf_is_skipped_with_one_notice(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # as if not installed
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(COLLIDE), "-o", str(out), "--draws", "0"])
    assert result.exit_code == 0, result.output
    notices = [line for line in result.output.splitlines() if "no PDF" in line]
    assert notices == ["note: no PDF: Playwright is not installed (pip install 'zopa[pdf]')"]
    assert (out / "report.html").is_file()
    assert not (out / "report.pdf").exists()
