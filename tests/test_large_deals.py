"""The deal-space analysis on large scenarios gives the answers it gave before it was fast.

``tests/fixtures/large/recorded.json`` holds what ``zopa deals --format json`` printed,
before the large-scenario work, for the flagship and for synthetic scenarios with veto
players and red lines (``tests/oracles/record_large.py``): empty and non-empty zones, the
exact enumeration and the MILP path. Every case must come out the same, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zopa.io import load_scenario
from zopa.service import deals

ROOT = Path(__file__).resolve().parents[1]
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "large" / "recorded.json").read_text())


@pytest.mark.parametrize("name", sorted(RECORDED["deals"]))
def test_deals_as_recorded(name: str) -> None:
    case: dict[str, Any] = RECORDED["deals"][name]
    result = deals(load_scenario(ROOT / case["path"]), **case["options"])
    assert json.loads(result.to_json()) == case["json"]


# -- the pieces that made it fast, each against an independent computation -------------


def _small_space(seed: int, *, n_actors: int = 5, n_issues: int = 4) -> Any:
    """A random scenario's space small enough to enumerate (4 veto players, red lines)."""
    import numpy as np

    from zopa.agreements.space import build_space
    from zopa.scenario import Actor, Issue, Scenario, Stance

    rng = np.random.default_rng(seed)
    grid = np.linspace(0, 100, 6)
    actors = tuple(
        Actor(f"a{k}", f"a{k}", float(rng.uniform(1, 10)), veto=k < 4) for k in range(n_actors)
    )
    issues = tuple(
        Issue(f"i{k}", f"i{k}", status_quo=float(rng.choice(grid))) for k in range(n_issues)
    )
    stances = []
    for a in range(n_actors):
        for i in range(n_issues):
            pos = float(rng.choice(grid))
            red = None
            if a < 4 and rng.random() < 0.3:
                step = float(rng.choice([40, 60]))
                red = float(np.clip(pos - step if pos >= 50 else pos + step, 0, 100))
            stances.append(Stance(f"a{a}", f"i{i}", pos, float(rng.uniform(0.1, 1)), red_line=red))
    scenario = Scenario("small", actors, issues, tuple(stances))
    return build_space(scenario.arrays(), grid=6)


def test_feasible_on_the_parties_equals_every_actors_test() -> None:
    import numpy as np

    for seed in range(5):
        space = _small_space(seed, n_actors=7)
        every = space.unravel(np.arange(space.size))
        want = space.acceptable(every)[:, space.parties].all(axis=1)
        assert np.array_equal(space.feasible(every), want)


def test_build_space_equals_one_issue_at_a_time() -> None:
    """The terms and red-line masks, built for every issue at once, are the per-issue ones."""
    import numpy as np

    from zopa.agreements.space import build_space, issue_levels, red_line_mask
    from zopa.agreements.utility import issue_terms

    for name in (
        "scenarios/ukraine-ceasefire-2026.yaml",
        "tests/fixtures/large/bench-15x15-seed1.yaml",
    ):
        scenario = load_scenario(ROOT / name)
        view = scenario.arrays()
        for loss in ("linear", "quadratic"):
            space = build_space(view, loss=loss, extra_levels=issue_levels(scenario))
            pos, sal = view.position[0], view.salience[0]
            for i in range(space.n_issues):
                t = issue_terms(
                    space.levels[i][:, None, None],
                    pos,
                    sal,
                    view.scale_min,
                    view.scale_max,
                    loss=loss,
                )
                assert space.terms[i].tobytes() == np.ascontiguousarray(t[:, :, i].T).tobytes()
                width = float(view.scale_max[i] - view.scale_min[i])
                for a in range(space.n_actors):
                    mask = red_line_mask(
                        space.levels[i], float(pos[a, i]), float(view.red_line[a, i]), width
                    )
                    assert np.array_equal(space.allowed[i][a], mask)


def test_red_line_masks_by_hand() -> None:
    import numpy as np

    from zopa.agreements.space import red_line_masks

    levels = np.array([0.0, 25.0, 50.0, 75.0, 100.0])
    got = red_line_masks(
        levels, np.array([10.0, 90.0, 50.0, 30.0]), np.array([50.0, 50.0, 50.0, np.nan]), 100.0
    )
    assert got.tolist() == [
        [True, True, True, False, False],  # wants low: accepts up to 50
        [False, False, True, True, True],  # wants high: accepts from 50
        [False, False, True, False, False],  # red line at its position: that value only
        [True, True, True, True, True],  # no red line
    ]


def test_ruled_out_levels_by_hand() -> None:
    """Two parties, two issues: a level is ruled out when a party cannot reach its no deal."""
    import numpy as np

    from zopa.agreements.ranges import possible_levels
    from zopa.agreements.space import build_space
    from zopa.scenario import Actor, Issue, Scenario, Stance

    # both parties weigh the issues equally; a at (0, 0), b at (100, 100); status quo
    # (50, 50) gives each utility 0.5. On a grid of 0, 50, 100 a's utility of x is
    # 1 - (x1 + x2) / 200: with x1 = 100, a reaches at most 0.5 (x2 = 0), which is its
    # no deal, so 100 stays possible; the same for b with 0.
    scenario = Scenario(
        "hand",
        (Actor("a", "a", 1.0, veto=True), Actor("b", "b", 1.0, veto=True)),
        (Issue("i", "i", status_quo=50.0), Issue("j", "j", status_quo=60.0)),
        (
            Stance("a", "i", 0.0, 1.0),
            Stance("a", "j", 0.0, 1.0),
            Stance("b", "i", 100.0, 1.0),
            Stance("b", "j", 100.0, 1.0),
        ),
    )
    space = build_space(scenario.arrays(), grid=3)
    # levels: i {0, 50, 100}; j {0, 50, 60, 100}. No deal: a 1 - (50 + 60) / 200 = 0.45,
    # b 0.55. On i, level 0: b reaches at most 0 + 0.5 = 0.5 < 0.55: ruled out. Level
    # 100: a reaches at most 0 + 0.5 = 0.5 >= 0.45: possible.
    assert [lv.tolist() for lv in space.levels] == [[0.0, 50.0, 100.0], [0.0, 50.0, 60.0, 100.0]]
    possible = possible_levels(space)
    assert possible[0].tolist() == [False, True, True]
    # on j, level 0: b reaches at most 0.5 + 0 < 0.55; 50: 0.5 + 0.25 = 0.75 fine
    assert possible[1].tolist() == [False, True, True, True]
    # the test is necessary, not sufficient: the only feasible package is (50, 60)
    # (a needs x_i + x_j <= 110, b needs >= 110), so 100 on i is possible but unused;
    # the ranges leave such levels to a programme
    every = space.unravel(np.arange(space.size))
    ok = every[space.feasible(every)]
    assert ok.tolist() == [[1, 2]]


def test_zone_ranges_equal_enumeration() -> None:
    """Ranges from witnesses and bounds, with a brute-force solver, equal the count's."""
    import numpy as np

    from zopa.agreements.enumeration import EnumerationBackend
    from zopa.agreements.ranges import zone_ranges

    checked = 0
    for seed in range(12):
        space = _small_space(seed)
        every = space.unravel(np.arange(space.size))
        feasible = every[space.feasible(every)]
        if not len(feasible):
            continue

        def solve(i: int, levels: Any, *, highest: bool, f: Any = feasible) -> Any:
            rows = f[levels[f[:, i]]]
            if not len(rows):
                return None
            return rows[np.argmax(rows[:, i]) if highest else np.argmin(rows[:, i])]

        count = EnumerationBackend(space).zopa()
        want = [(int(np.flatnonzero(s)[0]), int(np.flatnonzero(s)[-1])) for s in count.seen]
        # from one witness (the solver fills in), and from many (fewer calls)
        assert zone_ranges(space, feasible[:1], solve) == want
        assert zone_ranges(space, feasible, solve) == want
        checked += 1
    assert checked >= 5


def test_undominated_levels_keep_the_milp_answers() -> None:
    """The MILP over the parties' undominated levels gives enumeration's solutions."""
    import numpy as np

    from zopa.agreements.enumeration import EnumerationBackend
    from zopa.agreements.milp import MilpBackend

    compared = 0
    for seed in range(5):
        space = _small_space(seed)
        milp = MilpBackend(space)
        if not milp.any_feasible():
            continue
        useful = milp._useful_levels(None)
        # a level outside the undominated set is beaten by one inside for every party
        parties = space.party_index
        for i, keep in enumerate(useful):
            inside = np.flatnonzero(space.box()[i])
            for lv in inside[~keep[inside]]:
                t = space.terms[i][parties]
                beats = (t[:, inside] >= t[:, [lv]]).all(axis=0) & (t[:, inside] > t[:, [lv]]).any(
                    axis=0
                )
                assert beats.any()
        got = milp.solutions()
        want = EnumerationBackend(space).solutions()
        for concept in got:
            g, w = got[concept][0], want[concept][0]
            assert (g is None) == (w is None)
            if g is not None and w is not None:
                # the same gains for every party (a tie may pick another package)
                ug = space.utilities(g[None])[0][parties]
                uw = space.utilities(w[None])[0][parties]
                assert np.allclose(ug, uw, atol=1e-9), concept
        compared += 1
    assert compared >= 2


def test_logrolls_by_group_equal_the_whole_list() -> None:
    """Stopping after the group that fills ``top`` gives the head of the full ranking."""
    from zopa.agreements.logrolls import find_logrolls
    from zopa.agreements.space import build_space

    for name in (
        "tests/fixtures/large/synthetic-10x20-red0.3.yaml",
        "scenarios/ukraine-ceasefire-2026.yaml",
    ):
        space = build_space(load_scenario(ROOT / name).arrays())
        every = find_logrolls(space, top=None)
        for top in (1, 10, 40, len(every) + 5):
            assert find_logrolls(space, top=top) == every[:top]
