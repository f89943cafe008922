"""The report's advice section, and advice for several actors sharing the deal space."""

from __future__ import annotations

import json

import pytest

from zopa import service
from zopa.report.document import write_report

from helpers import make_scenario


def test_report_advises_the_chosen_actors(tmp_path, fixtures):
    """three-actors.yaml: A at 0, B at 60 (weight 2 x 0.5), C at 90 (weight 3 x 0.5, veto).

    The compromise forecast is (0 + 60 + 1.5 * 90) / 3.5 = 55.71; moving C, the heaviest,
    by 10 points moves it by 1.5 * 10 / 3.5 = 4.29, worth +0.0429 to A (scale 0-100). C
    is the only veto player, so the deal is C's ideal, 90; C stating 80 moves the deal to
    80, worth +0.1 to A; C gives up 10 points of its only issue, a cost of 0.1.
    """
    result = service.report(
        fixtures / "scenarios" / "three-actors.yaml", models=["compromise"], draws=0, advise=["A"]
    )
    (advice,) = result.advice
    assert advice.advice.actor == "A"
    assert result.to_dict()["advice"][0]["actor"] == "A"
    files = write_report(result, tmp_path).files
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    section = text[text.index("## Where does effort pay? Advice for A") :]
    assert "held to the compromise model's behaviour" in section
    assert "| 1 | C: position on x 90 → 80 | +0.0429 | +0.1000 | 0.100 |" in section
    assert tmp_path / "advice.json" in files
    assert json.loads((tmp_path / "advice.json").read_text())[0]["persuasion"][0]["benefit"] == (
        pytest.approx(1.5 * 10 / 3.5 / 100)
    )


def test_report_rejects_an_unknown_actor_to_advise(fixtures):
    with pytest.raises(service.BadInput) as caught:
        service.report(fixtures / "scenarios" / "three-actors.yaml", draws=0, advise=["Q"])
    (problem,) = caught.value.problems
    assert problem.path == "advise"
    assert problem.got == "Q"


def test_a_shared_deal_cache_changes_no_number():
    """Advising two actors with one cache gives what advising each alone gives."""
    scenario = make_scenario(
        [[10.0, 80.0], [90.0, 20.0], [50.0, 50.0]],
        [[1.0, 0.3], [0.4, 1.0], [0.5, 0.5]],
        [2.0, 1.0, 1.0],
        status_quo=[50.0, 50.0],
        veto=[True, True, False],
    )
    cache: dict[tuple[object, ...], object] = {}
    for actor in ("a2", "a0"):
        shared = service.advise(scenario, actor=actor, deal_cache=cache)  # type: ignore[arg-type]
        alone = service.advise(scenario, actor=actor)
        assert shared.to_dict() == alone.to_dict()
    assert cache  # the second actor found the first one's deals there


def test_progress_counts_the_package_spaces_solved():
    """Two parties, one issue: each party's position and salience levers need a solve."""
    calls: list[tuple[int, int]] = []
    scenario = make_scenario([[20.0], [70.0], [50.0]], veto=[True, True, False])
    service.advise(scenario, actor="a2", progress=lambda done, total: calls.append((done, total)))
    # a0 at 20: 10 and 30; a1 at 70: 60 and 80; saliences 1 -> 0.9 only: 6 levers
    assert calls == [(k, 6) for k in range(1, 7)]
