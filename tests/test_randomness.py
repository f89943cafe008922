"""Randomness always comes from a generator the caller passes (or a seed it gives)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import zopa
from zopa.durability import Mechanisms, analyse_durability
from zopa.io.durability_parameters import load_durability_parameters
from zopa.io.formats import ktab
from zopa.models.spatial import SpatialModel

SRC = Path(zopa.__file__).parent
KTAB = Path(__file__).parent / "fixtures" / "ktab"

# an unseeded generator, or numpy's global random state
UNSEEDED = re.compile(
    r"default_rng\(\s*\)|RandomState\(\s*\)|np\.random\.(seed|rand|randn|random|randint|"
    r"choice|normal|uniform|shuffle|permutation|triangular)\("
)


def test_no_unseeded_randomness_in_the_package():
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSEEDED.search(line)
    ]
    assert found == []


def test_the_pattern_finds_unseeded_generators():
    assert UNSEEDED.search("rng = np.random.default_rng()")
    assert UNSEEDED.search("np.random.seed(3)")
    assert not UNSEEDED.search("rng = np.random.default_rng(seed)")


@pytest.mark.parametrize("draws", [1, 3])
def test_stochastic_smp_without_a_generator_raises(draws):
    view = ktab.read(KTAB / "SOE-Pol-Comp.csv").arrays()
    view = view.with_draws(position=np.repeat(view.position, draws, axis=0))
    with pytest.raises(ValueError, match=r"numpy\.random\.Generator"):
        SpatialModel(stochastic=True).forecast(view)
    # the deterministic transition draws nothing and needs none
    SpatialModel().forecast(view)


def test_durability_draws_without_a_seed_or_generator_raise():
    params = load_durability_parameters()
    with pytest.raises(ValueError, match=r"seed or a numpy\.random\.Generator"):
        analyse_durability("d", Mechanisms(), params, n_draws=10)
    point = analyse_durability("d", Mechanisms(), params, point=True)
    assert point.seed is None
