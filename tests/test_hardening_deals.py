"""Deal files: the scenario they name stays in their folder tree; implausible terms refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.io.deal_file import MAX_DMZ_WIDTH_KM, MAX_PERSONNEL, check_deal

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
DEAL = ROOT / "scenarios" / "deals" / "e3-counter-proposal-2025-11.yaml"
SECRET = "hunter2-do-not-show"

runner = CliRunner()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The layout zopa ships: project/scenario.yaml and project/deals/deal.yaml."""
    project = tmp_path / "project"
    (project / "deals").mkdir(parents=True)
    shutil.copy(SCENARIO, project / "scenario.yaml")
    (tmp_path / "secret.yaml").write_text(f"api_key: {SECRET}\n")
    (project / "notes.yaml").write_text(f"password: {SECRET}\nother: [1, 2]\n")
    return project


def _deal(tree: Path, scenario: str, **replace: str) -> Path:
    text = DEAL.read_text(encoding="utf-8").replace(
        "scenario: ../ukraine-ceasefire-2026.yaml", f"scenario: {scenario}"
    )
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tree / "deals" / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _scenario_problems(path: Path) -> list[str]:
    deal, scenario, problems = check_deal(path)
    assert deal is None
    assert scenario is None
    return [p.format() for p in problems if p.path == "scenario"]


def test_the_shipped_layout_reads(tree: Path) -> None:
    deal, scenario, problems = check_deal(_deal(tree, "../scenario.yaml"))
    assert deal is not None
    assert scenario is not None
    assert not [p for p in problems if p.is_error]


def test_an_absolute_path_is_refused(tree: Path) -> None:
    path = _deal(tree, str(tree / "scenario.yaml"))
    (message,) = _scenario_problems(path)
    assert "the scenario must be named relative to the deal file" in message


def test_a_path_leaving_the_tree_is_refused_without_reading_it(tree: Path) -> None:
    path = _deal(tree, "../../secret.yaml")
    (message,) = _scenario_problems(path)
    assert "the scenario lies outside the deal's folder tree" in message
    assert f"expected a file under {tree}" in message
    assert SECRET not in message


def test_many_dots_cannot_reach_the_root(tree: Path) -> None:
    path = _deal(tree, "../../../../../../../../etc/passwd")
    (message,) = _scenario_problems(path)
    assert "outside the deal's folder tree" in message


def test_a_link_out_of_the_tree_is_followed_and_refused(tree: Path) -> None:
    (tree / "link.yaml").symlink_to(tree.parent / "secret.yaml")
    (message,) = _scenario_problems(_deal(tree, "../link.yaml"))
    assert "outside the deal's folder tree" in message


def test_a_file_that_is_no_scenario_is_never_shown(tree: Path) -> None:
    path = _deal(tree, "../notes.yaml")
    result = runner.invoke(app, ["durability", str(path)])
    assert result.exit_code == 2, result.output
    assert "the file named is not a zopa scenario" in result.output
    assert SECRET not in result.output
    assert "password" not in result.output


def test_the_library_may_widen_the_tree(tree: Path) -> None:
    outside = tree.parent / "elsewhere"
    outside.mkdir()
    shutil.copy(SCENARIO, outside / "s.yaml")
    path = _deal(tree, "../../elsewhere/s.yaml")
    assert "outside the deal's folder tree" in _scenario_problems(path)[0]
    deal, scenario, _ = check_deal(path, scenario_root=tree.parent)
    assert deal is not None
    assert scenario is not None
    deal, scenario, _ = check_deal(path, allow_outside=True)
    assert deal is not None
    assert scenario is not None


def test_implausible_mechanisms_are_errors(tree: Path) -> None:
    text = DEAL.read_text(encoding="utf-8")
    assert "dmz:" in text
    assert "force_caps:" in text
    path = _deal(tree, "../scenario.yaml")
    head, mechanisms = path.read_text(encoding="utf-8").split("\nmechanisms:\n")
    mechanisms = mechanisms.replace("  dmz:\n", "  dmz:\n    width_km: 5000\n", 1)
    mechanisms = mechanisms.replace("defender_personnel: 800000", "defender_personnel: 1e39")
    path.write_text(head + "\nmechanisms:\n" + mechanisms, encoding="utf-8")
    deal, _, problems = check_deal(path)
    assert deal is None
    found = {(p.path, p.message, p.expected) for p in problems if p.is_error}
    assert ("mechanisms.dmz.width_km", "value out of range", f"<= {MAX_DMZ_WIDTH_KM:g}") in found
    assert any(path == "mechanisms.force_caps.defender_personnel" for path, _, _ in found)
    assert MAX_PERSONNEL == 10_000_000


def test_a_giant_term_value_is_a_located_problem(tree: Path) -> None:
    path = _deal(tree, "../scenario.yaml")
    body = path.read_text(encoding="utf-8")
    first_value = body.index("value: ")
    end = body.index("\n", first_value)
    body = body[:first_value] + "value: 1" + "0" * 400 + body[end:]
    path.write_text(body, encoding="utf-8")
    result = runner.invoke(app, ["durability", str(path)])
    assert result.exit_code == 2, result.output
    assert "number too large" in result.output
    assert "Traceback" not in result.output
