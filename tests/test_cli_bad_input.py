"""Bad and awkward input on every command: a located message, exit code 2, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.io import check_scenario
from zopa.io.deal_file import check_deal
from zopa.models import make_model

runner = CliRunner()

SCENARIO = """\
zopa: 1
title: Two actors
sources:
  - {id: s, title: A source}
actors:
  - {id: A, name: Actor A, capability: 1}
  - {id: B, name: Actor B, capability: 2, veto: true}
issues:
  - id: x
    name: Issue X
    scale: {min: 0, max: 100}
    status_quo: 20
stances:
  - {actor: A, issue: x, position: 10, salience: 1, sources: [s]}
  - {actor: B, issue: x, position: 80, salience: 0.5, sources: [s]}
"""


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def assert_bad_input(result, *fragments: str) -> None:
    """Exit 2, no exception escaped (no traceback), every fragment in the message."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


# --- scientific notation in YAML ------------------------------------------------------------


def test_yaml_scientific_notation_without_a_dot_is_a_number(tmp_path: Path) -> None:
    # YAML 1.1 (PyYAML) reads 1e9 and -1.0e9 as strings; YAML 1.2 and every user read numbers
    text = SCENARIO.replace("{min: 0, max: 100}", "{min: -1e9, max: 1.0E9}")
    text = text.replace("position: 10,", "position: -5e8,").replace(
        "position: 80,", "position: 2.5e+8,"
    )
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    scenario, problems = check_scenario(path)
    assert [p.format() for p in problems if p.is_error] == []
    assert scenario is not None
    assert scenario.issue("x").scale.min == -1e9
    assert scenario.issue("x").scale.max == 1e9
    assert scenario.stance("A", "x").position == -5e8  # type: ignore[union-attr]
    assert scenario.stance("B", "x").position == 2.5e8  # type: ignore[union-attr]


def test_quoted_scientific_notation_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "quoted.yaml"
    path.write_text(SCENARIO.replace("position: 10,", "position: '1e1',"), encoding="utf-8")
    _, problems = check_scenario(path)
    assert any(p.path == "stances[0].position" and p.got == "1e1" for p in problems)


def test_an_invalid_issue_is_not_also_reported_as_no_issues(tmp_path: Path) -> None:
    path = tmp_path / "bad-issue.yaml"
    path.write_text(
        SCENARIO.replace("{min: 0, max: 100}", "{min: low, max: 100}"), encoding="utf-8"
    )
    _, problems = check_scenario(path)
    messages = [p.message for p in problems]
    assert "must be a number" in messages
    assert "the scenario has no issues" not in messages


# --- deal files -----------------------------------------------------------------------------


def test_deal_term_typo_gets_a_did_you_mean_hint(tmp_path: Path, scenario: Path) -> None:
    deal = tmp_path / "deal.yaml"
    deal.write_text(
        "zopa_deal: 1\nid: d\ntitle: A deal\nscenario: s.yaml\nterms:\n  x:\n    valeu: 50\n",
        encoding="utf-8",
    )
    _, _, problems = check_deal(deal)
    typo = [p for p in problems if p.path == "terms.x.valeu"]
    assert len(typo) == 1
    assert typo[0].line == 7
    assert typo[0].hint == "did you mean 'value'?"


# --- model parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "fragments"),
    [
        ("max_rounds=abc", ("max_rounds", "'abc'", "whole number")),
        ("max_rounds=2.5", ("max_rounds", "2.5", "whole number")),
        ("probability=banana", ("probability", "'banana'", "'pairwise'")),
        ("tol=fast", ("tol", "'fast'", "a number")),
    ],
)
def test_eum_parameter_of_the_wrong_type(scenario: Path, param: str, fragments: tuple[str, ...]):
    assert_bad_input(run("forecast", scenario, "-m", "eum", "-p", param), *fragments)


def test_smp_unknown_voting_rule_is_bad_input_not_a_failed_analysis(scenario: Path) -> None:
    assert_bad_input(
        run("forecast", scenario, "-m", "smp", "-p", "voting_rule=x"),
        "voting_rule",
        "'proportional'",
    )


def test_nash_bool_parameter_takes_true_or_false(scenario: Path) -> None:
    assert_bad_input(run("forecast", scenario, "-m", "nash", "-p", "joint=maybe"), "true or false")


def test_every_wrong_parameter_is_reported_at_once() -> None:
    with pytest.raises(ValueError, match="max_rounds") as info:
        make_model("eum", max_rounds="abc", probability="banana")
    assert "probability" in str(info.value)


def test_parameters_of_the_right_type_are_accepted() -> None:
    model = make_model("eum", max_rounds=3.0, tol=1, probability="global")
    assert model.max_rounds == 3  # type: ignore[attr-defined]
    assert isinstance(model.max_rounds, int)  # type: ignore[attr-defined]
    assert model.tol == 1.0  # type: ignore[attr-defined]


def test_backtest_parameter_of_the_wrong_type(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "s.yaml").write_text(
        SCENARIO.replace("status_quo: 20", "status_quo: 20\n    outcome: 50"), encoding="utf-8"
    )
    assert_bad_input(run("backtest", folder, "-m", "eum", "-p", "max_rounds=abc"), "max_rounds")


# --- output folders -------------------------------------------------------------------------


def _not_a_folder(tmp_path: Path) -> Path:
    path = tmp_path / "taken"
    path.write_text("a file the user owns\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("show", "{s}", "--plot", "{out}"),
        ("forecast", "{s}", "-m", "median", "--plot", "{out}"),
        ("deals", "{s}", "--plot", "{out}"),
        ("tables", "{s}", "-t", "t=A,B", "--no-models", "--plot", "{out}"),
        ("report", "{s}", "--draws", "0", "--out", "{out}"),
        ("sensitivity", "{s}", "--salience", "0.5", "-n", "4", "--plot", "{out}"),
    ],
)
def test_output_folder_that_is_a_file(tmp_path: Path, scenario: Path, args: tuple[str, ...]):
    taken = _not_a_folder(tmp_path)
    argv = [a.format(s=scenario, out=taken) for a in args]
    assert_bad_input(run(*argv), str(taken), "not a folder")
    assert taken.read_text(encoding="utf-8") == "a file the user owns\n"


@pytest.mark.parametrize(
    "args",
    [
        ("show", "{s}", "--plot", "{out}"),
        ("forecast", "{s}", "-m", "median", "--plot", "{out}"),
        ("deals", "{s}", "--plot", "{out}"),
        ("tables", "{s}", "-t", "t=A,B", "--no-models", "--plot", "{out}"),
        ("report", "{s}", "--draws", "0", "--out", "{out}"),
        ("sensitivity", "{s}", "--salience", "0.5", "-n", "4", "--plot", "{out}"),
    ],
)
def test_output_folder_under_a_file(tmp_path: Path, scenario: Path, args: tuple[str, ...]):
    out = _not_a_folder(tmp_path) / "plots"
    argv = [a.format(s=scenario, out=out) for a in args]
    assert_bad_input(run(*argv), str(out), "cannot create")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_folder_read_only(tmp_path: Path, scenario: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert_bad_input(run("show", scenario, "--plot", locked / "maps"), str(locked))
    finally:
        locked.chmod(0o700)


# --- deals ----------------------------------------------------------------------------------


def test_deals_empty_parties(scenario: Path) -> None:
    assert_bad_input(run("deals", scenario, "--parties", ""), "--parties", "at least one")


def test_deals_bad_loss_and_method_reported_together(scenario: Path) -> None:
    assert_bad_input(run("deals", scenario, "--loss", "x", "--method", "y"), "--loss", "--method")


def test_tables_actor_twice_at_one_table(scenario: Path) -> None:
    assert_bad_input(run("tables", scenario, "-t", "t=A,A"), "A", "twice")


# --- degenerate scenarios -------------------------------------------------------------------


def _zero(tmp_path: Path, what: str) -> Path:
    text = SCENARIO
    if what == "capability":
        text = text.replace("capability: 1", "capability: 0").replace(
            "capability: 2", "capability: 0"
        )
    else:
        text = text.replace("salience: 1,", "salience: 0,").replace(
            "salience: 0.5,", "salience: 0,"
        )
    path = tmp_path / f"zero-{what}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_warns_when_every_capability_is_zero(tmp_path: Path) -> None:
    _, problems = check_scenario(_zero(tmp_path, "capability"))
    warnings = [p for p in problems if p.severity == "warning"]
    assert [(p.path, p.line) for p in warnings] == [("actors", 6)]  # the line of the first actor
    assert "capability 0" in warnings[0].message


def test_validate_warns_when_every_salience_on_an_issue_is_zero(tmp_path: Path) -> None:
    _, problems = check_scenario(_zero(tmp_path, "salience"))
    warnings = [p for p in problems if p.severity == "warning"]
    assert [(p.path, p.line) for p in warnings] == [("issues[0]", 9)]
    assert "salience 0" in warnings[0].message


@pytest.mark.parametrize("what", ["capability", "salience"])
def test_forecast_says_why_an_issue_has_no_forecast(tmp_path: Path, what: str) -> None:
    # warnings are errors in the test run: an all-NaN percentile must not warn either
    result = run("forecast", _zero(tmp_path, what), "-m", "median", "--draws", "5")
    assert result.exit_code == 0, result.output
    assert "no actor holds a stance" not in result.output
    assert "zero weight" in result.output


# --- awkward values -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deeply_nested_file_is_a_located_problem_not_a_crash(tmp_path: Path, suffix: str):
    path = tmp_path / f"deep{suffix}"
    depth = 100_000 if suffix == ".json" else 5_000
    path.write_text("[" * depth + "]" * depth if suffix == ".json" else "- " * depth + "x\n")
    assert_bad_input(run("validate", path), str(path), "nested too deeply")


@pytest.mark.parametrize(
    "args",
    [
        ("forecast", "{s}", "-m", "median", "--seed", "-1"),
        ("report", "{s}", "-o", "{out}", "--draws", "0", "--seed", "-1"),
        ("sensitivity", "{s}", "--salience", "0.5", "-n", "4", "--seed", "-1"),
        ("backtest", "{out}", "--seed", "-1"),
        ("durability", "{s}", "--seed", "-1"),
        ("compare", "{s}", "{s}", "--seed", "-1"),
    ],
)
def test_negative_seed_is_refused(tmp_path: Path, scenario: Path, args: tuple[str, ...]):
    argv = [a.format(s=scenario, out=tmp_path / "out") for a in args]
    assert_bad_input(run(*argv), "--seed")


def test_scenario_saved_as_txt_is_read_as_the_yaml_it_is(tmp_path: Path) -> None:
    # .txt is Decide's extension, but a file that opens with `zopa: 1` is a zopa scenario
    path = tmp_path / "scenario.txt"
    path.write_text(SCENARIO, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 0, result.output


def test_decide_txt_is_still_read_as_decide(tmp_path: Path) -> None:
    path = tmp_path / "decide.txt"
    path.write_text("zopa is not here\n#A;1;US\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 2
    assert "#A, #P, #M, #D" in result.output


# --- deals compared -------------------------------------------------------------------------

DEALS = Path(__file__).resolve().parent.parent / "scenarios" / "deals"
E3 = DEALS / "e3-counter-proposal-2025-11.yaml"
US28 = DEALS / "us-28-point-plan-2025-11.yaml"


def test_compare_needs_two_deals() -> None:
    assert_bad_input(run("compare", E3, "--draws", "100"), "two or more")


def test_compare_reports_every_bad_deal_at_once(tmp_path: Path) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text("zopa_deal: 1\nid: a\n", encoding="utf-8")
    second.write_text("", encoding="utf-8")
    result = run("compare", first, second, E3, "--draws", "100")
    assert_bad_input(result, f"{first}:", f"{second}:1: the file is empty")


def test_compare_names_the_deal_given_twice() -> None:
    result = run("compare", E3, US28, E3, "--draws", "100")
    assert_bad_input(result, "e3-counter-proposal-2025-11")
    assert "us-28" not in result.output


@pytest.mark.parametrize("command", ["durability", "compare"])
def test_plot_folder_checked_before_the_analysis(tmp_path: Path, command: str) -> None:
    taken = _not_a_folder(tmp_path)
    deals = [E3] if command == "durability" else [E3, US28]
    result = run(command, *deals, "--draws", "100", "--plot", taken)
    assert_bad_input(result, str(taken), "not a folder")
    assert "survival" not in result.stdout.lower()


# --- convert --------------------------------------------------------------------------------


def test_convert_onto_a_folder_even_with_force(tmp_path: Path, scenario: Path) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    assert_bad_input(run("convert", scenario, folder, "--force"), str(folder), "a folder")


def test_convert_into_a_folder_that_cannot_exist(tmp_path: Path, scenario: Path) -> None:
    out = _not_a_folder(tmp_path) / "out.json"
    result = run("convert", scenario, out)
    assert_bad_input(result, f"cannot write {out}")
    assert ".tmp" not in result.output  # the temporary file is an implementation detail


# --- names that look like console markup ----------------------------------------------------

BRACKETS = (
    SCENARIO.replace("title: Two actors", 'title: "Talks [/] [draft]"')
    .replace("name: Actor A", 'name: "Kherson [occupied]"')
    .replace("name: Issue X", 'name: "Issue [/red] x"')
)


@pytest.mark.parametrize(
    "args",
    [
        ("show",),
        ("show", "--long"),
        ("forecast", "-m", "median"),
        ("deals",),
        ("tables", "-t", "t=A,B", "--no-models"),
    ],
)
def test_names_with_brackets_are_shown_as_written(tmp_path: Path, args: tuple[str, ...]):
    path = tmp_path / "brackets.yaml"
    path.write_text(BRACKETS, encoding="utf-8")
    result = run(args[0], path, *args[1:])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "Talks [/] [draft]" in result.output
    if args[0] == "show":  # table cells may wrap at a space
        assert "[occupi" in result.output
        assert "[/red]" in result.output


@pytest.mark.parametrize("valid", [True, False])
def test_validate_names_a_file_with_brackets_as_written(tmp_path: Path, valid: bool) -> None:
    path = tmp_path / "[draft] talks [b].yaml"
    path.write_text(SCENARIO if valid else "", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == (0 if valid else 2)
    assert f"{'ok' if valid else 'invalid'} {path}:" in result.output.replace("\n", "")


def test_plots_of_names_outside_the_font_do_not_warn(tmp_path: Path) -> None:
    # warnings are errors in the test run; matplotlib warns once per missing glyph
    path = tmp_path / "cjk.yaml"
    path.write_text(SCENARIO.replace("name: Issue X", "name: 議題 🕊"), encoding="utf-8")
    result = run("show", path, "--plot", tmp_path / "maps")
    assert result.exit_code == 0, result.exception
    assert (tmp_path / "maps").is_dir()
    assert list((tmp_path / "maps").glob("*.png"))


def test_position_map_of_a_very_long_name(tmp_path: Path) -> None:
    # warnings are errors in the test run: a collapsed layout would fail here
    long_name = "Ж" * 3000
    path = tmp_path / "long.yaml"
    text = SCENARIO.replace("name: Actor A", f"name: {long_name}")
    path.write_text(text.replace("name: Issue X", f"name: {long_name}"), encoding="utf-8")
    result = run("show", path, "--plot", tmp_path / "maps")
    assert result.exit_code == 0, result.exception
    assert (tmp_path / "maps" / "position-x.png").is_file()


# --- report ---------------------------------------------------------------------------------


def test_report_refuses_a_deal_about_another_scenario(tmp_path: Path, scenario: Path) -> None:
    out = tmp_path / "report"
    result = run("report", scenario, "-o", out, "--draws", "0", "--deal", E3)
    assert_bad_input(result, str(E3), "ukraine-ceasefire-2026.yaml")
    assert not out.exists()  # checked before anything is written


def test_report_checks_every_deal_before_writing(tmp_path: Path, scenario: Path) -> None:
    bad = tmp_path / "bad-deal.yaml"
    bad.write_text("zopa_deal: 1\nid: d\ntitle: A deal\nscenario: s.yaml\ntermz: {}\n")
    out = tmp_path / "report"
    result = run("report", scenario, "-o", out, "--draws", "0", "--deal", bad, "--deal", E3)
    assert_bad_input(result, f"{bad}:5: termz", str(E3))
    assert not out.exists()


# --- values of the wrong shape --------------------------------------------------------------


def test_impossible_date_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "date.yaml"
    path.write_text(SCENARIO.replace("title: Two actors", "title: T\nas_of: 2026-13-45"))
    result = run("validate", path)
    assert_bad_input(result, f"{path}:3: as_of", "2026-13-45", "month value is outside")


@pytest.mark.parametrize("value", ["[1, 2]", "{a: 1}"])
def test_stance_actor_or_issue_that_is_a_list_or_mapping(tmp_path: Path, value: str) -> None:
    path = tmp_path / "shape.yaml"
    text = SCENARIO.replace("{actor: A, issue: x,", f"{{actor: {value}, issue: {value},")
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert_bad_input(result, f"{path}:14: stances[0].actor", f"{path}:14: stances[0].issue")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("title: !!bool maybe", ":2: title: not a valid bool (got 'maybe'"),
        ("title: !!timestamp abc", ":2: title: not a valid timestamp (got 'abc'"),
        ("2026-13-45: x", ":2: 2026-13-45: unknown field"),
    ],
)
def test_a_value_its_tag_cannot_read_is_a_located_problem(
    tmp_path: Path, line: str, expected: str
) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(f"zopa: 1\n{line}\nactors: []\nissues: []\nstances: []\n")
    result = run("validate", path)
    assert_bad_input(result, f"{path}{expected}")
