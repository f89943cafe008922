"""One test per class of validation problem: each names the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.io import MAX_FILE_BYTES, check_scenario, load_scenario
from zopa.io.errors import ScenarioError

BASE = """\
zopa: 1
title: Base scenario
sources:
  - {id: s1, title: A source}
actors:
  - {id: A, name: Actor A, capability: 1}
  - {id: B, name: Actor B, capability: 2, veto: true}
issues:
  - {id: x, name: Issue X, status_quo: 50}
  - {id: y, name: Issue Y, scale: {min: -10, max: 10}}
stances:
  - {actor: A, issue: x, position: 20, salience: 0.5, red_line: 40, sources: [s1]}
  - {actor: B, issue: x, position: 80, salience: 0.5, range: [70, 90], sources: [s1]}
  - {actor: A, issue: y, position: -5, salience: 1, sources: [s1]}
  - {actor: B, issue: y, position: 5, salience: 1, sources: [s1]}
"""


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def replace_line(line_no: int, new: str) -> str:
    lines = BASE.splitlines()
    lines[line_no - 1] = new
    return "\n".join(lines) + "\n"


def only_error(path: Path):
    scenario, problems = check_scenario(path)
    errors = [p for p in problems if p.is_error]
    assert scenario is None
    assert len(errors) == 1, [p.format() for p in problems]
    return errors[0]


def test_base_is_valid(tmp_path):
    scenario, problems = check_scenario(write(tmp_path, BASE))
    assert problems == []
    assert scenario is not None
    assert scenario.actor("B").veto
    assert scenario.issue("y").scale.min == -10


CASES = [
    # (line to replace, new text, expected line, expected path, words in the message)
    (
        12,
        "  - {actor: A, issue: x, position: 20, salience: 1.5, sources: [s1]}",
        12,
        "stances[0].salience",
        "out of range",
    ),
    (6, "  - {id: A, name: Actor A, capability: -2}", 6, "actors[0].capability", "out of range"),
    (
        12,
        "  - {actor: A, issue: x, position: 120, salience: 0.5, sources: [s1]}",
        12,
        "stances[0].position",
        "outside the issue's scale",
    ),
    (
        14,
        "  - {actor: A, issue: y, position: -5, salience: 1, red_line: 30, sources: [s1]}",
        14,
        "stances[2].red_line",
        "outside the issue's scale",
    ),
    (
        13,
        "  - {actor: B, issue: x, position: 80, salience: 0.5, range: [70, 101], sources: [s1]}",
        13,
        "stances[1].range",
        "outside the issue's scale",
    ),
    (
        9,
        "  - {id: x, name: Issue X, status_quo: 150}",
        9,
        "issues[0].status_quo",
        "outside the issue's scale",
    ),
    (
        13,
        "  - {actor: B, issue: x, position: 80, salience: 0.5, range: [85, 90], sources: [s1]}",
        13,
        "stances[1].range",
        "does not contain the position",
    ),
    (
        12,
        "  - {actor: A, issue: x, position: 20, salience: 0.5, red_line: 10, sources: [s1]}",
        12,
        "stances[0].red_line",
        "wrong side",
    ),
    (
        4,
        "  - {id: s1, title: A source}\n  - {id: s1, title: Again}",
        5,
        "sources[1].id",
        "duplicate source id",
    ),
    (
        12,
        "  - {actor: Q, issue: x, position: 20, salience: 0.5, sources: [s1]}",
        12,
        "stances[0].actor",
        "unknown actor",
    ),
    (
        12,
        "  - {actor: A, issue: q, position: 20, salience: 0.5, sources: [s1]}",
        12,
        "stances[0].issue",
        "unknown issue",
    ),
    (
        12,
        "  - {actor: A, issue: x, position: 20, salience: 0.5, sources: [s9]}",
        12,
        "stances[0].sources[0]",
        "unknown source",
    ),
    (
        12,
        "  - {actor: A, issue: x, position: 20, salience: 0.5, sorces: [s1]}",
        12,
        "stances[0].sorces",
        "unknown field",
    ),
    (
        12,
        "  - {actor: A, issue: x, salience: 0.5, sources: [s1]}",
        12,
        "stances[0].position",
        "missing required field",
    ),
    (
        12,
        "  - {actor: A, issue: x, position: twenty, salience: 0.5, sources: [s1]}",
        12,
        "stances[0].position",
        "must be a number",
    ),
    (
        7,
        "  - {id: B, name: Actor B, capability: 2, veto: maybe}",
        7,
        "actors[1].veto",
        "valid boolean",
    ),
    (
        12,
        "  - {actor: A, issue: x, position: 20, salience: 0.5, confidence: sure, sources: [s1]}",
        12,
        "stances[0].confidence",
        "Input should be",
    ),
    (1, "zopa: 2", 1, "zopa", "Input should be 1"),
    (
        10,
        "  - {id: y, name: Issue Y, scale: {min: 10, max: -10}}",
        10,
        "issues[1].scale",
        "min must be below max",
    ),
]


@pytest.mark.parametrize(("line_no", "new", "want_line", "want_path", "words"), CASES)
def test_each_problem_is_located(tmp_path, line_no, new, want_line, want_path, words):
    path = write(tmp_path, replace_line(line_no, new))
    problem = only_error(path)
    assert problem.file == str(path)
    assert problem.line == want_line
    assert problem.path == want_path
    assert words in problem.message
    text = problem.format()
    assert text.startswith(f"{path}:{want_line}: {want_path}: ")


def test_reports_every_problem_at_once(fixtures):
    scenario, problems = check_scenario(fixtures / "scenarios" / "ten-mistakes.yaml")
    assert scenario is None
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 10
    assert all(p.line is not None for p in errors)
    assert len({(p.line, p.path) for p in errors}) == 10


def test_yaml_syntax_error_has_line(tmp_path):
    path = write(tmp_path, replace_line(12, "  - {actor: A, issue: x, position: 20, salience"))
    problem = only_error(path)
    assert "YAML syntax error" in problem.message
    assert problem.line in (12, 13)


def test_json_syntax_error_has_line(tmp_path):
    path = write(tmp_path, '{\n  "zopa": 1,\n  "title": "t",\n  "actors": [,]\n}\n', "s.json")
    problem = only_error(path)
    assert "JSON syntax error" in problem.message
    assert problem.line == 4


def test_json_and_yaml_give_the_same_scenario(tmp_path):
    import json

    import yaml

    data = yaml.safe_load(BASE)
    json_path = write(tmp_path, json.dumps(data, indent=2), "s.json")
    assert load_scenario(json_path) == load_scenario(write(tmp_path, BASE))


def test_json_problem_has_line(tmp_path):
    import json

    import yaml

    data = yaml.safe_load(BASE)
    data["stances"][1]["salience"] = 2
    text = json.dumps(data, indent=2)
    path = write(tmp_path, text, "s.json")
    problem = only_error(path)
    assert problem.path == "stances[1].salience"
    assert text.splitlines()[problem.line - 1].strip().startswith('"salience": 2')


def test_alias_bomb_rejected(tmp_path):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    bomb += "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    _, problems = check_scenario(write(tmp_path, bomb))
    assert problems
    assert all("anchors and aliases are not allowed" in p.message for p in problems)
    assert problems[0].line == 1


def test_custom_tag_rejected(tmp_path):
    text = BASE.replace("title: Base scenario", "title: !!python/object:os.system ls")
    problem = only_error(write(tmp_path, text))
    assert "custom YAML tags" in problem.message or "YAML syntax error" in problem.message
    assert problem.line == 2


def test_local_tag_rejected(tmp_path):
    text = BASE.replace("title: Base scenario", "title: !secret Base")
    problem = only_error(write(tmp_path, text))
    assert "custom YAML tags" in problem.message
    assert (problem.line, problem.path) == (2, "title")


def test_duplicate_key_rejected(tmp_path):
    text = BASE.replace("title: Base scenario", "title: Base scenario\ntitle: Again")
    problem = only_error(write(tmp_path, text))
    assert "duplicate key" in problem.message
    assert (problem.line, problem.path) == (3, "title")


def test_empty_file(tmp_path):
    problem = only_error(write(tmp_path, "# nothing here\n"))
    assert "empty" in problem.message


def test_empty_scenario(tmp_path):
    text = "zopa: 1\ntitle: Empty\nactors: []\nissues: []\nstances: []\n"
    scenario, problems = check_scenario(write(tmp_path, text))
    assert scenario is None
    messages = {p.path: p.message for p in problems}
    assert messages["actors"] == "the scenario has no actors"
    assert messages["issues"] == "the scenario has no issues"


def test_file_too_large(tmp_path):
    path = write(tmp_path, BASE + "#" * (MAX_FILE_BYTES + 1))
    problem = only_error(path)
    assert "too large" in problem.message


def test_actor_and_issue_without_stance_are_warnings(tmp_path):
    text = BASE.replace(
        "  - {id: B, name: Actor B, capability: 2, veto: true}",
        "  - {id: B, name: Actor B, capability: 2, veto: true}\n  - {id: C, name: Idle, capability: 1}",
    ).replace("issues:\n", "issues:\n  - {id: z, name: Nobody cares}\n")
    scenario, problems = check_scenario(write(tmp_path, text))
    assert scenario is not None
    assert sorted((p.severity, p.line, p.path) for p in problems) == [
        ("warning", 8, "actors[2]"),
        ("warning", 10, "issues[0]"),
    ]


def test_load_scenario_raises_with_all_problems(fixtures):
    with pytest.raises(ScenarioError) as info:
        load_scenario(fixtures / "scenarios" / "ten-mistakes.yaml")
    assert len([p for p in info.value.problems if p.is_error]) == 10


def test_missing_file(tmp_path):
    problem = only_error(tmp_path / "nope.yaml")
    assert "cannot read file" in problem.message
