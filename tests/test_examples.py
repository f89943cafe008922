"""Every example script runs and prints what its comments promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script, tmp_path):
    args = [sys.executable, str(script)]
    if script.name == "build_a_scenario.py":
        args.append(str(tmp_path / "budget.yaml"))
    if script.name == "full_report.py":
        args.append(str(tmp_path / "report"))
    src = str(Path(__file__).resolve().parent.parent / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    if script.name == "build_a_scenario.py":
        assert "'share': 61.81818181818" in proc.stdout
        assert (tmp_path / "budget.yaml").exists()
    expected = {
        "forecast_with_uncertainty.py": ["compromise: territory", "median: territory"],
        # the flagship's veto players' red lines collide (docs/flagship.md)
        "deal_space.py": ["zone of possible agreement: empty", "agenda 1:"],
        "who_is_at_the_table.py": ["bilateral: Ukraine's gain", "with-ukraine: Ukraine's gain"],
        "will_it_hold.py": ["P(holds 5 years)", "russia-memorandum-2025-06"],
        "what_drives_the_forecast.py": ["territory:", "of the variance"],
        "backtest.py": ["compromise   MAE", "status_quo   MAE"],
        "full_report.py": ["wrote", "report.md"],
    }
    for words in expected.get(script.name, []):
        assert words in proc.stdout, (words, proc.stdout)
    if script.name == "full_report.py":
        assert (tmp_path / "report" / "report.md").is_file()
        assert (tmp_path / "report" / "forecasts.json").is_file()
