"""A report folder: written whole under a lock, names escaped, the wrong kind of file."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa import service
from zopa.cli import app
from zopa.report import document
from zopa.report.document import write_report
from zopa.report.folder import FolderBusy, FolderNotReport, folder_lock

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
COLLIDE = FIXTURES / "deals" / "red-lines-collide.yaml"
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"

HOSTILE = """\
zopa: 1
title: "Hostile <script>alert(1)</script> title"
sources:
  - {id: hand, title: "[a link](javascript:alert(1))"}
actors:
  - {id: A, name: "<script>alert('A')</script>", capability: 1, veto: true}
  - {id: B, name: "Bee\\n## Injected heading\\n| a | b |", capability: 1, veto: true}
issues:
  - id: x
    name: "<img src=x onerror=alert(1)> **bold** `code`"
    anchors: {0: "<b>none</b>", 100: "all\\r\\n# also injected"}
    status_quo: 50
stances:
  - {actor: A, issue: x, position: 0, salience: 1.0, sources: [hand]}
  - {actor: B, issue: x, position: 100, salience: 1.0, sources: [hand]}
"""


def _report(path: Path = COLLIDE, **kw) -> service.ReportResult:
    return service.report(path, models=["compromise", "median"], draws=0, **kw)


def test_names_are_text_in_markdown_and_html(tmp_path):
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(HOSTILE)
    out = tmp_path / "out"
    write_report(_report(scenario, tables={"a": ["A"]}), out)
    md = (out / "report.md").read_text()
    html = (out / "report.html").read_text()
    assert "<script" not in md
    assert "<img" not in md
    assert "<b>" not in md
    assert "&lt;script&gt;alert" in md
    assert not re.search(r"^#+ *(Injected|also injected)", md, flags=re.M)
    assert "](javascript:" not in md
    assert "<script" not in html.lower()
    assert "<img src=x" not in html
    assert "<b>" not in html
    assert not re.search(r"<h\d[^>]*>\s*Injected", html)
    assert "javascript:" not in re.sub(r"\[a link\]\(javascript:alert\(1\)\)", "", html)
    # the names are still shown, as text
    assert "&lt;script&gt;alert('A')&lt;/script&gt;" in html


def test_rerun_leaves_no_stale_file_and_keeps_nothing_half_written(tmp_path):
    out = tmp_path / "out"
    write_report(_report(tables={"ab": ["A", "B"]}), out)
    assert (out / "tables.json").is_file()
    assert (out / "tables.csv").is_file()
    write_report(_report(), out)
    assert not (out / "tables.json").exists()
    assert not (out / "tables.csv").exists()
    assert (out / "report.md").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.new-")]


def test_a_failed_run_leaves_the_previous_report(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_report(_report(), out)
    before = (out / "report.md").read_text()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(document, "_write", broken)
    with pytest.raises(RuntimeError):
        write_report(_report(), out)
    assert (out / "report.md").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging, no lock file


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(FolderNotReport):
        write_report(_report(), out)
    assert (out / "thesis.tex").read_text() == "years of work"
    result = CliRunner().invoke(app, ["report", str(COLLIDE), "--out", str(out), "--draws", "0"])
    assert result.exit_code == 2
    assert "is not a zopa report" in result.output
    assert (out / "thesis.tex").is_file()


def test_a_second_run_on_the_same_folder_fails_clearly(tmp_path):
    out = tmp_path / "out"
    with folder_lock(out):
        with pytest.raises(FolderBusy):
            write_report(_report(), out)
        result = CliRunner().invoke(
            app, ["report", str(COLLIDE), "--out", str(out), "--draws", "0", "--no-pdf"]
        )
    assert result.exit_code == 2, result.output
    assert "another report is being written into this folder" in result.output
    # the lock is free again: the next run writes its report
    write_report(_report(), out)
    assert (out / "report.md").is_file()


def test_the_lock_holds_across_threads(tmp_path):
    out = tmp_path / "out"
    held, release, errors = threading.Event(), threading.Event(), []

    def hold() -> None:
        with folder_lock(out):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    try:
        with folder_lock(out):
            errors.append("second lock granted")
    except FolderBusy:
        pass
    release.set()
    thread.join()
    assert not errors


def test_no_deal_files_says_where_they_were_looked_for(tmp_path):
    scenario = tmp_path / "s.yaml"
    shutil.copy(COLLIDE, scenario)
    out = tmp_path / "out"
    result = _report(scenario)
    assert result.durability is None
    assert result.deal_search == tmp_path / "deals"
    write_report(result, out)
    hold = (out / "report.md").read_text().split("## Will it hold?")[1]
    assert "No deal files about this scenario were found in" in hold
    assert (tmp_path / "deals").as_posix() in hold.replace("\\", "")


def test_wrong_kind_of_file_gets_one_message():
    runner = CliRunner()
    result = runner.invoke(app, ["durability", str(FLAGSHIP)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if "error(s)" not in line]
    assert errors == [
        f"{FLAGSHIP}: this is a scenario file, not a deal file (expected a deal file starting "
        "with `zopa_deal: 1`; see docs/deal-format.md)"
    ]
    deal = ROOT / "scenarios" / "deals" / "e3-counter-proposal-2025-11.yaml"
    result = runner.invoke(app, ["forecast", str(deal)])
    assert result.exit_code == 2
    assert "this is a deal file, not a scenario file" in result.output
    assert "missing required field" not in result.output


def test_repeated_validation_warnings_are_counted_once():
    from zopa.io.errors import Problem
    from zopa.report.document import grouped_warnings

    problems = [
        Problem("s.yaml", line, f"stances[{k}].sources", "cites no source", severity="warning")
        for k, line in enumerate((88, 95, 102))
    ] + [Problem("s.yaml", 7, "actors[0].name", "name repeated", severity="warning")]
    assert grouped_warnings(problems) == [
        "3 times: cites no source; first at s.yaml:88 (stances[0].sources)",
        problems[-1].format(),
    ]
