"""Question files: located problems, and answers or a plain "cannot answer"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa import service
from zopa.cli import app
from zopa.report.answers import answer_questions

ROOT = Path(__file__).resolve().parent.parent
COLLIDE = ROOT / "tests" / "fixtures" / "deals" / "red-lines-collide.yaml"

QUESTIONS = """\
zopa_questions: 1
questions:
  - ask: Should the border move?
    answer_with: issue
    issue: border
  - ask: What does it cost B to be left out?
    answer_with: tables
    narrow: a
    wide: all
    actors: [B, C]
  - ask: What would A never accept?
    answer_with: red_lines
    actor: A
  - ask: Does it deter?
    answer_with: deterrence
  - ask: How does it end?
    answer_with: ending
"""


def _answers(tmp_path: Path, text: str = QUESTIONS, **kw):
    scenario = tmp_path / "s.yaml"
    shutil.copy(COLLIDE, scenario)
    questions = tmp_path / "s.questions.yaml"  # found beside the scenario by its name
    questions.write_text(text)
    result = service.report(scenario, models=["compromise", "median"], draws=0, **kw)
    assert result.questions_file == questions
    return {a.question: a for a in answer_questions(result)}


def _text(answer) -> str:
    return " ".join(s.text for s in answer.sentences)


def test_answers_from_the_results(tmp_path):
    answers = _answers(tmp_path, tables={"a": ["A"], "all": ["A", "B", "C"]})
    issue = answers["Should the border move?"]
    assert "cannot say whether this should happen" in _text(issue)
    assert "the 2 actors with a stance are split: B at 100; A at 0" in _text(issue)
    assert issue.rows == (("B", "Actor B", "100", "1.00"), ("A", "Actor A", "0", "1.00"))
    cost = _text(answers["What does it cost B to be left out?"])
    # alone at the table A takes its ideal point: B gets 0, against 0.68 with everyone
    assert "costs 2 of the 2 actors asked about against the all table: B 0.00 instead of" in cost
    assert "B would reject the a table's deal" in cost
    red = answers["What would A never accept?"]
    assert "terms are fatal when they set border above 40" in _text(red)
    assert red.rows[0][:3] == ("border", "40", "0..40")
    assert "states no red line on trade and aid" in _text(red)


def test_without_tables_or_plans_the_scenario_cannot_answer(tmp_path):
    answers = _answers(tmp_path)
    assert _text(answers["What does it cost B to be left out?"]) == (
        "The scenario cannot answer this because no table compositions were compared."
    )
    deters = _text(answers["Does it deter?"])
    assert deters.startswith("The scenario cannot answer this because no deal files about it")
    assert str(tmp_path / "deals") in deters
    assert _text(answers["How does it end?"]).startswith("The scenario cannot answer this")


def test_a_table_not_compared_is_named(tmp_path):
    answers = _answers(tmp_path, tables={"ab": ["A", "B"]})
    assert "no table named a and all was compared (the tables compared: ab)" in _text(
        answers["What does it cost B to be left out?"]
    )


def test_bad_question_files_are_located(tmp_path):
    scenario = tmp_path / "s.yaml"
    shutil.copy(COLLIDE, scenario)
    bad = tmp_path / "q.yaml"
    bad.write_text(
        "zopa_questions: 1\n"
        "questions:\n"
        "  - ask: Who?\n"
        "    answer_with: tables\n"
        "    narrow: a\n"
        "  - ask: What?\n"
        "    answer_with: vibes\n"
        "  - ask: Which?\n"
        "    answer_with: red_lines\n"
        "    actor: Z\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(scenario), "-o", str(out), "--draws", "0", "--questions", str(bad)]
    )
    assert result.exit_code == 2
    # every problem at once, each at its line
    assert f"{bad}:3: questions[0].wide: missing required field" in result.output
    assert (
        f"{bad}:7: questions[1].answer_with: unknown kind of answer (got 'vibes'" in result.output
    )
    assert f"{bad}:10: questions[2].actor: unknown actor (got 'Z'" in result.output
    assert not out.exists()  # nothing written on bad input
    # a scenario given as a question file: one message naming the kinds
    with pytest.raises(service.BadInput) as caught:
        service.report(scenario, draws=0, questions=scenario)
    assert "this is a scenario file" in caught.value.problems[0].message


def test_an_unknown_actor_is_located(tmp_path):
    scenario = tmp_path / "s.yaml"
    shutil.copy(COLLIDE, scenario)
    bad = tmp_path / "q.yaml"
    bad.write_text(
        "zopa_questions: 1\nquestions:\n  - {ask: X?, answer_with: red_lines, actor: Z}\n"
    )
    with pytest.raises(service.BadInput) as caught:
        service.report(scenario, draws=0, questions=bad)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path, problem.message, problem.got) == (
        3,
        "questions[0].actor",
        "unknown actor",
        "Z",
    )
