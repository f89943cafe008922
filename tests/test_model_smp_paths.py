"""The SMP's two implementations give the same forecasts, and the choice between them.

``SpatialModel.forecast`` runs small single-draw problems with numpy
(``zopa.models.spatial_numpy``) and everything else in the compiled kernel
(``zopa.models.kernels.spatial``). The two are written independently; here every output
of a forecast is compared between them, bit for bit, with the path forced each way.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zopa.arrays import ScenarioArrays
from zopa.io import load_scenario
from zopa.io.formats import ktab
from zopa.models import spatial
from zopa.models.spatial import SpatialModel, choose_implementation
from zopa.uncertainty import sample_positions

ROOT = Path(__file__).parents[1]
KTAB = ROOT / "tests" / "fixtures" / "ktab"
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"


def _views() -> dict[str, ScenarioArrays]:
    flagship = load_scenario(FLAGSHIP).arrays()
    draws = sample_positions(flagship, 3, np.random.default_rng(5))
    return {
        "SOE-Pol-Comp": ktab.read(KTAB / "SOE-Pol-Comp.csv").arrays(),
        "SOE-Policy": ktab.read(KTAB / "SOE-Policy.csv").arrays(),
        "flagship": flagship,
        **{f"flagship draw {d}": draws.draw(d) for d in range(3)},
    }


VIEWS = _views()
MODELS = {
    "default": SpatialModel(),
    "stochastic": SpatialModel(stochastic=True),
    "square": SpatialModel(
        victory_power=2.0, voting_rule="prop_cubic", big_r_range="max", big_r_adjust="half"
    ),
    "s1p1 full": SpatialModel(
        bargain_interpolation="s1p1", third_party_commit="full", voting_rule="binary"
    ),
    "s2pmax": SpatialModel(bargain_interpolation="s2pmax", big_r_range="min", max_turns=7),
}


def _forecast(
    model: SpatialModel, view: ScenarioArrays, how: str, monkeypatch: pytest.MonkeyPatch
) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(spatial, "choose_implementation", lambda model, shape: how)
        return model.forecast(view, rng=np.random.default_rng(17))


@pytest.mark.parametrize("model_name", MODELS)
@pytest.mark.parametrize("view_name", VIEWS)
def test_numpy_path_equals_the_compiled_kernel(model_name, view_name, monkeypatch):
    model, view = MODELS[model_name], VIEWS[view_name]
    plain = _forecast(model, view, "numpy", monkeypatch)
    compiled = _forecast(model, view, "compiled", monkeypatch)
    np.testing.assert_array_equal(plain.outcome, compiled.outcome)
    np.testing.assert_array_equal(plain.trajectory, compiled.trajectory)
    assert plain.diagnostics.keys() == compiled.diagnostics.keys()
    for key, value in plain.diagnostics.items():
        assert value.dtype == compiled.diagnostics[key].dtype, key
        np.testing.assert_array_equal(value, compiled.diagnostics[key], err_msg=key)


def test_numpy_path_equals_the_compiled_kernel_on_several_draws():
    view = sample_positions(load_scenario(FLAGSHIP).arrays(), 4, np.random.default_rng(8))
    x = (view.position - view.scale_min) / (view.scale_max - view.scale_min)
    model = SpatialModel(stochastic=True)
    runs = [
        model.run(x, view.salience, view.capability, rng=np.random.default_rng(3),
                  implementation=how)
        for how in ("numpy", "compiled")
    ]  # fmt: skip
    for field in ("trajectory", "turns", "risk", "position_probability", "share"):
        np.testing.assert_array_equal(getattr(runs[0], field), getattr(runs[1], field))


def test_choice_of_implementation(monkeypatch):
    monkeypatch.delitem(sys.modules, "zopa.models.kernels.spatial", raising=False)
    model = SpatialModel()
    assert choose_implementation(model, (1, 13, 2)) == "numpy"
    assert choose_implementation(model, (1, spatial.NUMPY_MAX_ACTORS, 3)) == "numpy"
    assert choose_implementation(model, (1, spatial.NUMPY_MAX_ACTORS + 1, 3)) == "compiled"
    assert choose_implementation(model, (1, 5, spatial.NUMPY_MAX_ISSUES + 1)) == "compiled"
    assert choose_implementation(model, (2, 13, 2)) == "compiled"
    assert choose_implementation(SpatialModel(victory_power=2.0), (1, 13, 2)) == "numpy"
    # c^1.5 may differ in the last bit between numpy and the compiled code
    assert choose_implementation(SpatialModel(victory_power=1.5), (1, 13, 2)) == "compiled"
    # once the kernel is loaded, it is the faster path for every size
    monkeypatch.setitem(sys.modules, "zopa.models.kernels.spatial", sys)
    assert choose_implementation(model, (1, 13, 2)) == "compiled"


def test_small_forecast_does_not_load_numba():
    code = (
        "import sys\n"
        "from zopa.io.formats import ktab\n"
        "from zopa.models import make_model\n"
        f"view = ktab.read({str(KTAB / 'SOE-Pol-Comp.csv')!r}).arrays()\n"
        "make_model('smp').forecast(view)\n"
        "print(sorted(m for m in ('numba', 'llvmlite', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
