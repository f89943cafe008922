"""The terminal output fits: 80 columns, no split word, no cut header, a short summary.

Each command of the flagship is printed at 80 columns and whole (``--wide`` at 400
columns). Cells wrap only between words and wide tables turn into parts, so the words
printed at 80 columns are exactly the words printed whole; a split word ("administrat",
"ive") or a cut header ("stat…") would be a word the whole print does not have. The
scenario's own names are checked too: each of their words appears whole.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from zopa import service
from zopa.cli import app

runner = CliRunner()
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DEALS = sorted((ROOT / "scenarios" / "deals").glob("*.yaml"))
COMMANDS = {
    "forecast": ["forecast", FLAGSHIP, "--draws", "1000", "--no-progress"],
    "show": ["show", FLAGSHIP],
    "compare": ["compare", *DEALS, "--draws", "1000"],
    "deals": ["deals", FLAGSHIP],
}
SUMMARY_LINES = 45
"""A summary is "at most about 40 lines"."""


def run(args: list[object], columns: int):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def printed():
    return {name: (run(args, 80), run([*args, "--wide"], 400)) for name, args in COMMANDS.items()}


def _words(text: str) -> set[str]:
    """The words of a print, without the rules under headers and the parts' labels."""
    return {w for w in text.split() if not re.fullmatch(r"─+|\(\d+/\d+\)", w)}


@pytest.mark.parametrize("name", COMMANDS)
def test_fits_80_columns(printed, name):
    narrow, _ = printed[name]
    assert max(len(line) for line in narrow.splitlines()) <= 80


@pytest.mark.parametrize("name", COMMANDS)
def test_no_word_split_and_no_header_cut(printed, name):
    narrow, whole = printed[name]
    assert "…" not in narrow
    assert _words(narrow) == _words(whole)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_summary_by_default(printed, name):
    narrow, _ = printed[name]
    assert len(narrow.splitlines()) <= SUMMARY_LINES


def test_the_flagship_names_print_whole(printed):
    flagship = service.load_scenario(FLAGSHIP).scenario
    show = printed["show"][0].split()
    for text in [
        *(i.name for i in flagship.issues),
        *(i.id for i in flagship.issues),
        *(a.name for a in flagship.actors),
    ]:
        for word in text.split():
            assert word in show, word
    forecast = printed["forecast"][0].split()
    for word in ["compromise", "exchange", "eum", "median", "nash", "smp", "status", "quo"]:
        assert word in forecast
    assert all(i.id in forecast for i in flagship.issues)
    ranges = [w for w in forecast if re.fullmatch(r"\[\d+–\d+\]", w)]
    assert len(ranges) == 6 * len(flagship.issues)  # one 5–95% range per model and issue
    assert not [w for w in forecast if re.match(r"\[\d", w) and w not in ranges]
    compare = printed["compare"][0]
    for deal in DEALS:
        assert re.search(rf"^[A-E]: {re.escape(deal.stem)}$", compare, re.MULTILINE), deal.stem


def test_full_prints_more_and_still_fits():
    narrow = run(COMMANDS["deals"] + ["--full"], 80)
    assert len(narrow.splitlines()) > SUMMARY_LINES
    assert "Kalai–Smorodinsky" in narrow
    assert max(len(line) for line in narrow.splitlines()) <= 80


def test_piped_output_follows_columns(fixtures):
    three = fixtures / "scenarios" / "three-actors.yaml"
    for columns in (50, 70):
        text = run(["show", three, "--full"], columns)
        assert max(len(line) for line in text.splitlines()) <= columns
    # the title is one line of 78 characters at 120 columns (no COLUMNS: the piped width)
    title = "Three actors, one issue (hand-computed oracle)  (as of 2026-01-01)"
    wide = runner.invoke(app, ["show", str(three)], env={"COLUMNS": ""}).stdout
    assert title in wide.splitlines()


def test_control_characters_in_names_are_shown_not_run(three_text, tmp_path):
    path = tmp_path / "escape.yaml"
    path.write_text(
        three_text.replace("name: Actor A", 'name: "Actor \\e[31mA\\a"')
        .replace("title: Three actors", 'title: "Three \\e[2Jactors')
        .replace("(hand-computed oracle)", '(hand-computed oracle)"')
    )
    text = run(["show", path, "--full"], 100)
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "Actor ␛[31mA␇" in text
    assert "Three ␛[2Jactors" in text


def test_repeated_warnings_are_grouped(three_text, tmp_path):
    path = tmp_path / "unsourced.yaml"
    path.write_text(three_text.replace(", sources: [hand]", ""))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 1
    assert f"3 stances cite no source; first at {path}:17" in result.stderr
    full = runner.invoke(app, ["validate", str(path), "--full"])
    assert full.stderr.count("cites no source") == 3


@pytest.fixture
def three_text(fixtures):
    return (fixtures / "scenarios" / "three-actors.yaml").read_text()
