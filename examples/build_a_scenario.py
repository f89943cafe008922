"""Build a scenario in code, save it as YAML, and read it back with validation.

Run: .venv/bin/python examples/build_a_scenario.py [OUT.yaml]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from zopa import Actor, Issue, Scenario, Source, Stance
from zopa.io import load_scenario, save_scenario
from zopa.models import make_model

scenario = Scenario(
    title="Budget split",
    sources=(Source("minutes", "Meeting minutes, 3 March"),),
    actors=(
        Actor("north", "North", capability=2.0),
        Actor("south", "South", capability=1.0, veto=True),
    ),
    issues=(Issue("share", "Share of the budget for the North", status_quo=50.0),),
    stances=(
        Stance("north", "share", position=70.0, salience=0.8, sources=("minutes",)),
        Stance("south", "share", position=40.0, salience=0.6, red_line=55.0, sources=("minutes",)),
    ),
)

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "budget.yaml"
save_scenario(scenario, out)  # atomic: written to a temporary file, then renamed
again = load_scenario(out)  # validated on the way in
assert again == scenario
# weights: North 2 x 0.8 = 1.6, South 1 x 0.6 = 0.6 -> mean (1.6*70 + 0.6*40) / 2.2 = 61.8
print(
    f"saved {out}; compromise forecast: {make_model('compromise').forecast(again.arrays()).point()}"
)
