"""Compile every model kernel once: ``python -m zopa.models.kernels``.

numba compiles a kernel on its first call and caches the machine code next to the
module, so the first forecast in a fresh environment pays the compilation. ``make``
runs this right after installing, so that the user's first analysis does not. It runs
every registered model on a small built-in scenario, with one draw and with several
(the kernels take the same argument types either way); a kernel that has to compile
says so first (the ``zopa`` logger, printed here on stderr).
"""

from __future__ import annotations

import logging
import time

import numpy as np

from zopa.models import available_models, make_model
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance


def _scenario() -> Scenario:
    """Three actors on two issues, with a status quo: every model has work to do."""
    actors = tuple(Actor(a, a, c) for a, c in (("a", 1.0), ("b", 2.0), ("c", 1.5)))
    issues = (
        Issue("p", "p", Scale(0, 100), status_quo=50.0),
        Issue("q", "q", Scale(0, 100), status_quo=20.0),
    )
    stances = (
        Stance("a", "p", 10.0, 0.9),
        Stance("b", "p", 80.0, 0.3),
        Stance("c", "p", 60.0, 0.5),
        Stance("a", "q", 70.0, 0.2),
        Stance("b", "q", 0.0, 0.8),
        Stance("c", "q", 40.0, 0.6),
    )
    return Scenario("warm-up", actors, issues, stances)


def main() -> None:
    """Run every model once; print how long the compilation (or cache load) took."""
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    view = _scenario().arrays()
    draws = view.with_draws(position=np.repeat(view.position, 3, axis=0))
    start = time.perf_counter()
    for name in available_models():
        model = make_model(name)
        model.forecast(view, rng=np.random.default_rng(0))
        model.forecast(draws, rng=np.random.default_rng(0))
    print(f"model kernels ready ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
