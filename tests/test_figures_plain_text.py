"""Names are text, never markup: mathtext in any name must not crash or change a plot.

An actor, issue, anchor, source or deal called like ``$x^{$`` passes validation; every
command that draws must then draw it as typed (matplotlib would otherwise try to parse it
as mathtext and fail with ``ParseSyntaxException``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app

ROOT = Path(__file__).resolve().parent.parent
MECHANISMS = ROOT / "scenarios" / "deals" / "us-28-point-plan-2025-11.yaml"

SCENARIO = r"""zopa: 1
title: "Names that look like markup $x^{$"
as_of: 2026-01-01
sources:
  - id: hand
    title: 'Numbers chosen by hand $\frac{'
actors:
  - {id: UA, name: "$x^{$ Ukraine", capability: 1, veto: true}
  - {id: RU, name: 'Russia $\alpha$ _{ ^', capability: 2, veto: true}
  - {id: US, name: "$$ US $", capability: 2}
issues:
  - id: territory
    name: "Territory $x^{$"
    anchors: {0: "$none^{", 100: "all $"}
    status_quo: 50
  - id: nato
    name: 'NATO $\sqrt{$'
    anchors: {0: "in $", 100: "$out"}
    status_quo: 40
stances:
  - {actor: UA, issue: territory, position: 10, range: [0, 20], salience: 1.0, red_line: 60}
  - {actor: RU, issue: territory, position: 90, salience: 0.8, red_line: 40}
  - {actor: US, issue: territory, position: 60, range: [50, 70], salience: 0.5}
  - {actor: UA, issue: nato, position: 0, salience: 0.6}
  - {actor: RU, issue: nato, position: 100, salience: 0.9}
  - {actor: US, issue: nato, position: 70, salience: 0.4}
"""

DEAL = r"""zopa_deal: 1
id: plan-{key}
title: 'Plan $x^{{$ {key} $\beta$'
date: 2025-11-24
proposer: '$\gamma_{{'
scenario: ../scenario.yaml
sources:
  - {{id: us_28pt_2025_11, title: "Source $x^{{$"}}
terms:
  territory: {{value: 50, settlement: interim, text: "t $", sources: [us_28pt_2025_11]}}
  nato: {{value: 50, settlement: final, text: "n $^", sources: [us_28pt_2025_11]}}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("markup")
    (root / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    # the mechanisms of a shipped deal, whose sources the deal above lists under that id
    text = MECHANISMS.read_text(encoding="utf-8")
    mechanisms = text[text.index("\nmechanisms:") :]
    (root / "deals").mkdir()
    for key in ("a", "b"):
        (root / "deals" / f"{key}.yaml").write_text(
            DEAL.format(key=key) + mechanisms, encoding="utf-8"
        )
    return root


COMMANDS = {
    "show": ["show", "{s}", "--plot", "{o}"],
    "forecast": ["forecast", "{s}", "-m", "eum", "-m", "median", "--trace", "--plot", "{o}"],
    "sensitivity": ["sensitivity", "{s}", "--method", "morris", "--plot", "{o}"],
    "report": ["report", "{s}", "--out", "{o}", "-m", "median", "--table", "pair=UA,RU"],
    "durability": ["durability", "{d}/a.yaml", "--draws", "100", "--plot", "{o}"],
    "compare": ["compare", "{d}/a.yaml", "{d}/b.yaml", "--draws", "100", "--plot", "{o}"],
    "deals": ["deals", "{s}", "--plot", "{o}"],
    "tables": ["tables", "{s}", "--table", "pair=UA,RU", "--plot", "{o}"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_names_with_mathtext_are_drawn_as_text(folder: Path, command: str) -> None:
    out = folder / f"out-{command}"
    args = [
        a.format(s=folder / "scenario.yaml", d=folder / "deals", o=out) for a in COMMANDS[command]
    ]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 0, result.output
    pngs = sorted(out.rglob("*.png"))
    assert pngs, f"{command} wrote no figure"
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_drawn_name_keeps_its_dollar_signs(folder: Path) -> None:
    from zopa.io import load_scenario
    from zopa.report.position_map import position_map_figure

    fig = position_map_figure(load_scenario(folder / "scenario.yaml"), "territory")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "$x^{$ Ukraine (veto)" in labels
    assert all(not t.get_parse_math() for t in fig.axes[0].get_yticklabels())
