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
    src = str(Path(__file__).resolve().parent.parent / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    if script.name == "build_a_scenario.py":
        assert "'share': 61.81818181818" in proc.stdout
        assert (tmp_path / "budget.yaml").exists()
    if script.name == "forecast_with_uncertainty.py":
        assert "compromise: territory" in proc.stdout
