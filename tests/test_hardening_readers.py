"""Hostile and extreme input to every reader: located problems, never a crash or a hang."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.io import check_scenario
from zopa.io.deu import check_capabilities, check_deu
from zopa.io.formats import check_any, ktab, long_csv

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SCENARIO = """\
zopa: 1
title: Two actors
sources:
  - {id: s, title: A source}
actors:
  - {id: A, name: Actor A, capability: CAP}
  - {id: B, name: Actor B, capability: 2}
issues:
  - {id: x, name: Issue X}
stances:
  - {actor: A, issue: x, position: 10, salience: 1, sources: [s]}
  - {actor: B, issue: x, position: 80, salience: 0.5, sources: [s]}
"""


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def assert_bad_input(result, *fragments: str) -> None:
    """Exit 2, no exception escaped (no traceback), every fragment in the output."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def _scenario(tmp_path: Path, capability: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(SCENARIO.replace("CAP", capability), encoding="utf-8")
    return path


# --- numbers wider than a float ------------------------------------------------------------


def test_an_integer_literal_wider_than_a_float_is_a_located_problem(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "1" + "0" * 400)
    result = run("validate", path)
    assert_bad_input(
        result,
        f"{path}:6: actors[0].capability: number too large",
        "expected a number between -1e12 and 1e12",
    )


def test_the_same_in_json(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    data = json.dumps({"zopa": 1, "title": "t", "actors": [], "issues": [], "stances": []})
    path.write_text(
        data.replace(
            '"actors": []', '"actors": [{"id": "A", "name": "A", "capability": 1' + "0" * 400 + "}]"
        )
    )
    _, problems = check_scenario(path)
    assert any(
        p.path == "actors[0].capability" and p.message == "number too large" for p in problems
    )


def test_capability_1e308_is_refused_before_any_model_runs(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "1e308")
    result = run("forecast", path, "--format", "json")
    assert_bad_input(result, f"{path}:6: actors[0].capability: number too large")


def test_numbers_at_the_bound_give_valid_json(tmp_path: Path) -> None:
    """Every model's forecast of the largest numbers allowed is finite, valid JSON."""
    path = tmp_path / "extreme.yaml"
    path.write_text(
        "zopa: 1\ntitle: Extremes\n"
        "actors:\n"
        "  - {id: A, name: A, capability: 1000000000000}\n"
        "  - {id: B, name: B, capability: 0.000001}\n"
        "  - {id: C, name: C, capability: 1e12}\n"
        "issues:\n"
        "  - {id: x, name: X, scale: {min: -1e12, max: 1e12}}\n"
        "stances:\n"
        "  - {actor: A, issue: x, position: -1e12, salience: 1}\n"
        "  - {actor: B, issue: x, position: 1e12, salience: 1}\n"
        "  - {actor: C, issue: x, position: 999999999999, salience: 0.000001}\n",
        encoding="utf-8",
    )
    result = run("forecast", path, "--format", "json")
    assert result.exit_code == 0, result.output
    text = result.stdout

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON output")

    data = json.loads(text, parse_constant=refuse)
    assert data  # parsed: no Infinity or NaN anywhere


# --- nesting and files that are not regular -------------------------------------------------


def test_ten_thousand_levels_are_refused_before_parsing(tmp_path: Path, monkeypatch) -> None:
    import zopa.io.documents as documents

    def parser_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML parser ran on text refused by the nesting check")

    monkeypatch.setattr(documents, "read_yaml", parser_called)
    path = tmp_path / "deep.yaml"
    path.write_text("a:\n  b: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    _, problems = check_scenario(path)
    assert [p.format() for p in problems] == [
        f"{path}:2: nested too deeply to read (expected plain data a few levels deep"
        " (a scenario needs four))"
    ]


@pytest.mark.parametrize("name", ["zero.yaml", "zero.csv", "zero.json", "zero.xlsx"])
def test_a_link_to_dev_zero_is_not_read(tmp_path: Path, name: str) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    result = run("validate", link)
    assert_bad_input(result, f"{link}", "not a regular file", "a character device")


def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = run("validate", fifo)  # opening a FIFO would wait for a writer forever
    assert_bad_input(result, "not a regular file", "a FIFO")


def test_a_folder_named_like_a_scenario(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert_bad_input(run("validate", folder), "not a regular file", "a folder")


# --- CSV readers: the cell limit, truncation, NUL -------------------------------------------


def test_a_deu_cell_over_the_csv_limit_is_located(tmp_path: Path) -> None:
    path = tmp_path / "deu.csv"
    path.write_text("isnr;rp;out;pa;sa\n1;0;50;40;50\n2;0;50;" + "4" * 200_000 + ";50\n")
    scenarios, problems = check_deu(path)
    assert scenarios == []
    assert [p.format() for p in problems] == [f"{path}:3: a cell is longer than 131,072 characters"]


def test_a_capability_cell_over_the_csv_limit_is_located(tmp_path: Path) -> None:
    path = tmp_path / "caps.csv"
    path.write_text("actor,capability\nde," + "1" * 200_000 + "\n")
    caps, problems = check_capabilities(path)
    assert caps == {}
    assert [(p.line, p.message) for p in problems] == [
        (2, "a cell is longer than 131,072 characters")
    ]


def test_a_capability_of_1e308_in_a_capability_file(tmp_path: Path) -> None:
    path = tmp_path / "caps.csv"
    path.write_text("actor,capability\nde,1e308\nfr,2\n")
    _, problems = check_capabilities(path)
    assert [(p.line, p.path, p.message) for p in problems] == [(2, "de", "capability out of range")]


def test_a_long_csv_cell_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "actor,issue,position,salience,capability,notes\nA,x,1,1,1," + "n" * 200_000 + "\n"
    )
    _, problems = long_csv.check(path)
    assert [(p.line, p.message) for p in problems] == [
        (2, "a cell is longer than 131,072 characters")
    ]


def test_a_long_csv_cut_in_the_middle_of_a_row(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    # cut after the capability of B: its red line and the line break are missing
    path.write_text(
        "actor,issue,position,salience,capability,red_line\nA,x,10,1,1,20\nB,x,80,0.5,2"
    )
    scenario, problems = long_csv.check(path)
    assert scenario is None
    assert [(p.line, p.message) for p in problems if p.is_error] == [
        (3, "the file ends in the middle of a row")
    ]


def test_a_whole_last_row_without_a_line_break_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "whole.csv"
    path.write_text("actor,issue,position,salience,capability\nA,x,10,1,1\nB,x,80,0.5,2")
    scenario, _ = long_csv.check(path)
    assert scenario is not None


def test_a_deu_file_cut_in_the_middle_of_a_row(tmp_path: Path) -> None:
    path = tmp_path / "deu.csv"
    path.write_text("isnr;rp;out;pa;sa\n1;0;50;40;50\n2;0;5")
    scenarios, problems = check_deu(path)
    assert scenarios == []
    assert [(p.line, p.message) for p in problems if p.is_error] == [
        (3, "the file ends in the middle of a row")
    ]


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_nul_in_a_name_is_refused(tmp_path: Path, suffix: str) -> None:
    if suffix == ".csv":
        path = tmp_path / "nul.csv"
        path.write_text(
            "actor,issue,position,salience,capability,actor_name\nA,x,10,1,1,Al\x00pha\n"
        )
    else:
        path = tmp_path / "nul.json"
        path.write_text(
            json.dumps(
                {
                    "zopa": 1,
                    "title": "t",
                    "actors": [{"id": "A", "name": "Al\x00pha", "capability": 1}],
                    "issues": [{"id": "x", "name": "X"}],
                    "stances": [{"actor": "A", "issue": "x", "position": 1, "salience": 1}],
                }
            )
        )
    scenario, problems = check_any(path)
    assert scenario is None
    assert any(
        p.path == "actors[0].name" and "NUL" in p.message and p.line == 2 - (suffix == ".json")
        for p in problems
    ), [p.format() for p in problems]


# --- KTAB counts ----------------------------------------------------------------------------


def test_ktab_counts_of_99999999999_are_reported_and_never_built(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(
        "n,d,99999999999,99999999999,\n"
        "Actor,Description,Influence,a Position,a Salience,\n"
        "x,X,1,50,50,\n"
    )
    tracemalloc.start()
    try:
        scenario, problems = ktab.check(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert scenario is None
    assert [(p.line, p.path, p.message) for p in problems if p.is_error] == [
        (1, "nActors", "does not match the number of actor lines"),
        (2, "(header)", "wrong number of columns for nDims"),
    ]
    assert peak < 20 * 2**20  # the declared counts built nothing


# --- DEU: NaN and bad cells -----------------------------------------------------------------


def test_nan_in_a_deu_outcome_is_warned(tmp_path: Path) -> None:
    path = tmp_path / "deu.csv"
    path.write_text("isnr;rp;out;pa;sa;pb;sb\n1;nan;NaN;40;50;60;50\n")
    scenarios, problems = check_deu(path)
    assert [(p.line, p.path, p.message, p.severity) for p in problems] == [
        (2, "rp", "NaN read as missing", "warning"),
        (2, "out", "NaN read as missing", "warning"),
    ]
    assert scenarios[0].issues[0].outcome is None


def test_a_text_salience_gets_one_message(tmp_path: Path) -> None:
    path = tmp_path / "deu.csv"
    path.write_text("isnr;rp;out;pa;sa;pb;sb\n1;0;50;40;high;60;50\n")
    _, problems = check_deu(path)
    assert [p.format() for p in problems] == [
        f"{path}:2: sa: not a number (got 'high', expected a number, blank or 999)"
    ]


# --- not UTF-8 ------------------------------------------------------------------------------


def test_not_utf8_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(SCENARIO.replace("CAP", "1").replace("Actor B", "B\xe9").encode("latin-1"))
    _, problems = check_scenario(path)
    # line 7 is "  - {id: B, name: B\xe9, ...": 19 characters, then the byte
    assert [p.format() for p in problems] == [
        f"{path}:7: not UTF-8 text: byte 0xe9 at column 20 (expected a UTF-8 file)"
        "\n    hint: save the file as UTF-8"
    ]


def test_brackets_in_quoted_text_are_text(tmp_path: Path) -> None:
    name = "[" * 150
    path = tmp_path / "quoted.yaml"
    path.write_text(SCENARIO.replace("CAP", "1").replace("Actor A", f'"{name}"'))
    scenario, _ = check_scenario(path)
    assert scenario is not None
    assert scenario.actors[0].name == name
    json_path = tmp_path / "quoted.json"
    json_path.write_text(
        json.dumps(
            {
                "zopa": 1,
                "title": "[" * 150,
                "actors": [{"id": "A", "name": "A", "capability": 1}],
                "issues": [{"id": "x", "name": "X"}],
                "stances": [{"actor": "A", "issue": "x", "position": 1, "salience": 1}],
            }
        )
    )
    scenario, _ = check_scenario(json_path)
    assert scenario is not None


def test_deep_json_is_located(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"zopa": 1,\n"title": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _, problems = check_scenario(path)
    assert [(p.line, p.message) for p in problems] == [(2, "nested too deeply to read")]
