"""``service.simulate`` and ``zopa simulate`` as a user meets them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from zopa import service
from zopa.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def collide(fixtures):
    return fixtures / "deals" / "red-lines-collide.yaml"


def test_nash_seekers_agree_on_the_core_nash_package(collide):
    scenario = service.load_scenario(collide).scenario
    result = service.simulate(
        scenario, agents={"A": ["nash_seeker"], "B": ["nash_seeker"]}, set_aside=["colliding"]
    )
    data = result.to_dict()
    assert data["set_aside"] == ["border"]
    assert data["table"]["parties"] == ["A", "B"]
    assert data["absent"] == ["C"]
    (r,) = data["runs"]
    assert r["agreed"]
    assert r["round"] == 0
    assert r["distance_nash"] == 0.0
    # the same package as the deal space's core (computed by enumeration in `zopa deals`)
    core = service.deals(scenario).analysis.core
    assert core is not None
    expected = core.solutions["nash"].package
    assert r["package"] == expected
    # every actor's utility is reported, the absent observer's too, and gains add up
    assert set(r["utilities"]) == {"A", "B", "C"}
    for a in "ABC":
        assert r["gains"][a] == pytest.approx(r["utilities"][a] - data["no_deal_utility"][a])


def test_red_lines_collide_and_nothing_is_set_aside(collide):
    scenario = service.load_scenario(collide).scenario
    result = service.simulate(scenario, agents={"A": ["conceder"], "B": ["conceder"]}, deadline=10)
    (r,) = result.to_dict()["runs"]
    assert not r["agreed"]
    assert r["ended"] == "deadline"
    assert r["package"] is None
    assert all(v == 0.0 for v in r["gains"].values())


def test_tournament_plays_every_combination_with_draws(collide):
    scenario = service.load_scenario(collide).scenario
    result = service.simulate(
        scenario,
        agents={"A": ["boulware", "conceder", "hard_liner"], "B": ["linear", "tit_for_tat"]},
        set_aside=["colliding"],
        draws=20,
        seed=3,
    )
    runs = result.to_dict()["runs"]
    assert [(r["agents"]["A"], r["agents"]["B"]) for r in runs] == [
        (a, b) for a in ("boulware", "conceder", "hard_liner") for b in ("linear", "tit_for_tat")
    ]
    for r in runs:
        mc = r["monte_carlo"]
        assert mc["draws"] == 20
        assert 0.0 <= mc["agreement_rate"] <= 1.0
    rows = result.to_rows()
    assert len(rows) == 6 * 3
    assert {row["actor"] for row in rows} == {"A", "B", "C"}
    again = service.simulate(
        scenario,
        agents={"A": ["boulware", "conceder", "hard_liner"], "B": ["linear", "tit_for_tat"]},
        set_aside=["colliding"],
        draws=20,
        seed=3,
    )
    assert again.to_json() == result.to_json()


def test_every_bad_argument_at_once(collide):
    scenario = service.load_scenario(collide).scenario
    with pytest.raises(service.BadInput) as err:
        service.simulate(
            scenario,
            protocol="auction",
            parties=["A", "B", "Z"],
            agents={"A": ["bold"], "B": ["linear"]},
            params={"linear": {"beta": "x"}},
            quorum=1.5,
            deadline=0,
            draws=-1,
            no_deal={"A": 2.0},
            set_aside=["aid", "nowhere"],
        )
    where = {p.path for p in err.value.problems}
    assert where >= {
        "protocol",
        "parties",
        "agents",
        "params",
        "quorum",
        "deadline",
        "draws",
        "no_deal",
        "set_aside",
    }
    text = " ".join(p.message for p in err.value.problems)
    assert "has none" in text  # aid has no status quo to leave it at


def test_stated_alternative_replaces_the_status_quo(collide):
    scenario = service.load_scenario(collide).scenario
    base = service.simulate(
        scenario, agents={"A": ["nash_seeker"], "B": ["nash_seeker"]}, set_aside=["colliding"]
    )
    high = service.simulate(
        scenario,
        agents={"A": ["nash_seeker"], "B": ["nash_seeker"]},
        set_aside=["colliding"],
        no_deal={"A": 0.99},
    )
    assert high.to_dict()["no_deal_utility"]["A"] == 0.99
    assert base.to_dict()["runs"][0]["agreed"]
    assert not high.to_dict()["runs"][0]["agreed"]  # nothing is worth 0.99 to A


def test_cli_table_json_csv_and_plot(collide, tmp_path):
    args = [
        "simulate",
        str(collide),
        "--set-aside",
        "colliding",
        "--agent",
        "*=boulware,conceder",
        "--parties",
        "A,B",
    ]
    out = run(*args, "--transcript", "--plot", str(tmp_path / "offers.png"))
    assert out.exit_code == 0, out.output
    assert "A=boulware, B=conceder" in out.stdout
    assert "Transcript" in out.stdout
    assert (tmp_path / "offers.png").read_bytes()[:4] == b"\x89PNG"
    out = run(*args, "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert len(data["runs"]) == 4
    assert data["runs"][0]["transcript"][0]["party"] == "A"
    out = run(*args, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 4 * 3
    assert rows[0]["agents"] == "A=boulware B=boulware"


def test_cli_bad_input_names_the_options(collide):
    out = run("simulate", str(collide), "--agent", "A", "--no-deal", "B=high")
    assert out.exit_code == 2
    assert "--agent 'A': expected PARTY=AGENT" in out.stderr
    assert "--no-deal 'B=high'" in out.stderr
    out = run(
        "simulate", str(collide), "--protocol", "auction", "--agent", "A=bold", "--quorum", "2"
    )
    assert out.exit_code == 2
    assert "--protocol 'auction': unknown protocol" in out.stderr
    assert "--agent 'bold': unknown agent for A" in out.stderr
    assert "--quorum 2.0: out of range" in out.stderr
    assert "Traceback" not in out.output


def test_report_section_lines(collide):
    from zopa.report.simulation import talks_section

    scenario = service.load_scenario(collide).scenario
    result = service.simulate(
        scenario,
        agents={"A": ["nash_seeker", "conceder"], "B": ["nash_seeker"]},
        set_aside=["colliding"],
        draws=10,
    )
    lines = talks_section([("A and B, border set aside", result)])
    assert lines[0] == "## How the talks might go"
    text = "\n".join(lines)
    assert "### A and B, border set aside" in text
    assert "| A: nash_seeker, B: nash_seeker | agreement | 1 |" in text
    assert "2 of 2 pairings agree" in text


def test_the_stated_run_is_the_same_with_or_without_draws(collide):
    scenario = service.load_scenario(collide).scenario
    kw = {"agents": {"A": ["boulware", "tit_for_tat"], "B": ["linear", "zeuthen"]}}
    alone = service.simulate(scenario, set_aside=["colliding"], **kw).to_dict()
    batched = service.simulate(scenario, set_aside=["colliding"], draws=30, **kw).to_dict()
    for a, b in zip(alone["runs"], batched["runs"], strict=True):
        b = {k: v for k, v in b.items() if k != "monte_carlo"}
        assert a == b


FLAGSHIP_RUNS = [
    ("alternating", ["RU", "UA"], ["boulware", "tit_for_tat", "zeuthen"]),
    ("stacked", ["RU", "UA", "US"], ["linear", "nash_seeker"]),
    ("mediator", ["RU", "UA", "US", "UK"], ["conceder", "hard_liner"]),
    ("concession", ["US", "RU"], ["zeuthen", "conceder"]),
]


@pytest.mark.parametrize(("protocol", "parties", "names"), FLAGSHIP_RUNS)
def test_flagship_runs_keep_every_required_party_whole(protocol, parties, names):
    scenario = service.load_scenario(
        Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-ceasefire-2026.yaml"
    ).scenario
    result = service.simulate(
        scenario,
        protocol=protocol,
        parties=parties,
        agents=dict.fromkeys(parties, names),
        same=protocol != "alternating",
        set_aside=["colliding"],
        deadline=30,
    )
    data = result.to_dict()
    required = data["table"]["required"]
    space = result.table.space
    for run in data["runs"]:
        assert run["transcript"], run["agents"]
        assert 0 <= run["round"] < 30
        if not run["agreed"]:
            assert all(g == 0.0 for g in run["gains"].values())
            continue
        # an agreement gives every required party at least its no-deal utility and
        # respects its red lines on the issues being settled
        for p in required:
            assert run["gains"][p] >= -1e-9, (run["agents"], p)
            a = space.actor_ids.index(p)
            for i, issue in enumerate(space.issue_ids):
                level = int(np.argmin(np.abs(space.levels[i] - run["package"][issue])))
                assert space.allowed[i][a, level], (run["agents"], p, issue)
