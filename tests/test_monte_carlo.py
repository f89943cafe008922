"""Monte Carlo draws in blocks: seeding per block, spooled outcomes, the same numbers.

- a block's numbers depend on the seed and the block's number only: blocks run alone, in
  another order or all together give the same outcomes, and D draws are the first D of
  any longer run;
- up to one block of draws, the numbers are those of one batch of all draws drawn from
  ``default_rng(seed)`` (the rule before blocks);
- outcomes spooled to a temporary file give the same outcomes and percentiles as those
  kept in memory, and percentiles one issue at a time equal ``nanpercentile(axis=0)``;
- the progress callback sees every block, and the result pickles.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from zopa import service
from zopa.io import load_scenario
from zopa.models import available_models, make_model
from zopa.scenario import Scenario
from zopa.uncertainty import monte_carlo, sample_positions
from zopa.uncertainty.monte_carlo import draw_blocks, forecast_block, forecast_draws
from zopa.uncertainty.outcomes import DrawOutcomes, OutcomeCollector

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"
MODELS = available_models()


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Blocks of 7 draws, so that a few dozen draws span several blocks."""
    monkeypatch.setattr(monte_carlo, "BLOCK_DRAWS", 7)
    return 7


def _models() -> dict[str, object]:
    return {name: make_model(name) for name in MODELS}


def test_blocks_cover_the_draws_in_order(small_blocks: int) -> None:
    blocks = draw_blocks(23)
    assert [(b.index, b.start, b.stop) for b in blocks] == [
        (0, 0, 7),
        (1, 7, 14),
        (2, 14, 21),
        (3, 21, 23),
    ]
    assert draw_blocks(0) == ()


def test_block_zero_is_seeded_as_default_rng_and_the_others_by_their_child() -> None:
    first, second = draw_blocks(2 * monte_carlo.BLOCK_DRAWS)
    a = np.random.default_rng(first.seed_sequence(9)).random(5)
    np.testing.assert_array_equal(a, np.random.default_rng(9).random(5))
    child = np.random.SeedSequence(9).spawn(2)[1]
    b = np.random.default_rng(second.seed_sequence(9)).random(5)
    np.testing.assert_array_equal(b, np.random.default_rng(child).random(5))


def test_blocks_give_the_same_numbers_however_they_are_grouped(
    flagship: Scenario, small_blocks: int
) -> None:
    models = _models()
    view = flagship.arrays()
    together = forecast_draws(models, view, 23, seed=4)  # type: ignore[arg-type]
    blocks = draw_blocks(23)
    alone = {b.index: forecast_block(models, view, b, 4) for b in reversed(blocks)}  # type: ignore[arg-type]
    for name in MODELS:
        stacked = np.concatenate([alone[b.index][name] for b in blocks])
        np.testing.assert_array_equal(together[name].to_array(), stacked)


def test_fewer_draws_are_the_first_draws_of_more(flagship: Scenario, small_blocks: int) -> None:
    models = _models()
    view = flagship.arrays()
    short = forecast_draws(models, view, 10, seed=2)  # type: ignore[arg-type]
    long = forecast_draws(models, view, 30, seed=2)  # type: ignore[arg-type]
    for name in MODELS:
        np.testing.assert_array_equal(long[name].to_array()[:10], short[name].to_array())


def test_one_block_gives_the_numbers_of_one_batch(flagship: Scenario) -> None:
    """Up to BLOCK_DRAWS draws: one batch from default_rng(seed), every model as before."""
    view = flagship.arrays()
    result = service.forecast(flagship, models=["all"], draws=60, seed=5)
    batch = sample_positions(view, 60, np.random.default_rng(5))
    for name in MODELS:
        whole = make_model(name).forecast(batch, rng=np.random.default_rng(5))
        np.testing.assert_array_equal(result.draw_outcomes[name].to_array(), whole.outcome)


def test_spooled_outcomes_equal_outcomes_in_memory(flagship: Scenario, small_blocks: int) -> None:
    models = _models()
    view = flagship.arrays()
    kept = forecast_draws(models, view, 40, seed=1)  # type: ignore[arg-type]
    spooled = forecast_draws(models, view, 40, seed=1, memory_budget=0)  # type: ignore[arg-type]
    levels = (5.0, 50.0, 95.0)
    for name in MODELS:
        assert not kept[name].spooled
        assert spooled[name].spooled
        assert spooled[name].n_draws == 40
        np.testing.assert_array_equal(spooled[name].to_array(), kept[name].to_array())
        np.testing.assert_array_equal(
            spooled[name].percentiles(levels), kept[name].percentiles(levels)
        )


def test_percentiles_per_issue_equal_nanpercentile_over_the_draws() -> None:
    rng = np.random.default_rng(0)
    outcomes = rng.normal(size=(1001, 4))
    outcomes[::3, 1] = np.nan
    outcomes[:, 2] = np.nan  # an issue no draw forecast
    collector = OutcomeCollector(1001, 4, budget=0)
    for start in range(0, 1001, 300):
        collector.add(outcomes[start : start + 300])
    spooled = collector.finish()
    levels = [5.0, 50.0, 95.0]
    with pytest.warns(RuntimeWarning):
        want = np.nanpercentile(outcomes, levels, axis=0)
    np.testing.assert_array_equal(spooled.percentiles(levels), want)
    np.testing.assert_array_equal(DrawOutcomes.from_array(outcomes).percentiles(levels), want)


def test_progress_sees_every_block(flagship: Scenario, small_blocks: int) -> None:
    seen: list[tuple[int, int]] = []
    service.forecast(flagship, models=["median"], draws=16, progress=lambda *a: seen.append(a))
    assert seen == [(7, 16), (14, 16), (16, 16)]


def test_a_result_with_spooled_draws_pickles_as_arrays(
    flagship: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(monte_carlo, "MEMORY_BUDGET", 0)
    result = service.forecast(flagship, models=["median", "nash"], draws=30, seed=3)
    assert result.draw_outcomes["nash"].spooled
    back = pickle.loads(pickle.dumps(result))
    assert not back.draw_outcomes["nash"].spooled
    np.testing.assert_array_equal(
        back.draw_outcomes["nash"].to_array(), result.draw_outcomes["nash"].to_array()
    )
    assert back.to_json() == result.to_json()


def test_the_command_shows_progress_on_stderr_only_when_asked() -> None:
    from typer.testing import CliRunner

    from zopa.cli import app

    runner = CliRunner()
    args = ["forecast", str(FLAGSHIP), "-m", "median", "--draws", "50", "-f", "json"]
    quiet = runner.invoke(app, args)  # stderr is no terminal here
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    shown = runner.invoke(app, [*args, "--progress"])
    assert shown.exit_code == 0
    assert "draws" in shown.stderr
    assert shown.stdout == quiet.stdout


def test_two_worker_processes_give_the_same_numbers(flagship: Scenario) -> None:
    """Three blocks on two spawned processes: bit for bit the numbers of one process."""
    models = _models()
    view = flagship.arrays()
    draws = 2 * monte_carlo.BLOCK_DRAWS + 3
    here = forecast_draws(models, view, draws, seed=6, workers=1)  # type: ignore[arg-type]
    seen: list[tuple[int, int]] = []
    pool = forecast_draws(
        models, view, draws, seed=6, workers=2, progress=lambda *a: seen.append(a)
    )  # type: ignore[arg-type]
    for name in MODELS:
        np.testing.assert_array_equal(pool[name].to_array(), here[name].to_array())
    assert [done for done, _ in seen] == [2000, 4000, draws]


def test_workers_below_one_are_bad_input(flagship: Scenario) -> None:
    with pytest.raises(service.BadInput) as caught:
        service.forecast(flagship, models=["median"], draws=5, workers=0)
    assert caught.value.problems[0].path == "workers"


def test_the_command_prints_the_same_json_on_one_or_two_workers() -> None:
    from typer.testing import CliRunner

    from zopa.cli import app

    runner = CliRunner()
    args = ["forecast", str(FLAGSHIP), "-m", "median", "-m", "nash", "--draws", "4001"]
    one = runner.invoke(app, [*args, "--workers", "1", "-f", "json"])
    two = runner.invoke(app, [*args, "--workers", "2", "-f", "json"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert '"draws": 4001' in one.stdout


def test_models_side_by_side_on_threads_give_the_same_numbers():
    """`threads=2` runs a block's models concurrently; each has its own generator."""
    scenario = service.load_scenario(FLAGSHIP).scenario
    one = service.forecast(scenario, models=["all"], draws=150, seed=7, workers=1)
    two = service.forecast(scenario, models=["all"], draws=150, seed=7, workers=1, threads=2)
    assert one.to_json() == two.to_json()
    with pytest.raises(service.BadInput) as bad:
        service.forecast(scenario, draws=10, threads=0)
    assert bad.value.problems[0].path == "threads"
