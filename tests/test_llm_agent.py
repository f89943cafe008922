"""The ``llm`` agent against fake OpenAI-compatible servers on loopback (scripted answers).

No real model is ever called: each party talks to its own scripted server, so the
answers, the re-prompts and what the model was shown can be checked exactly.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("openai")

import zopa.llm  # noqa: F401  (registers the llm agent)
import zopa.negotiation as neg
from fake_openai import FakeChatServer
from zopa.agreements import build_space
from zopa.llm import LanguageModelError
from zopa.llm.agent import parse_answer
from zopa.negotiation import AGENTS, PROTOCOLS, Ending, Move
from zopa.negotiation.transcript import replay, transcript_from_records
from zopa.scenario import Actor, Issue, Scenario, Stance


def toy_scenario():
    """A at 0, B at 100 on one issue x (status quo 50, B's red line at 30)."""
    return Scenario(
        "toy",
        (Actor("A", "Party A", 1.0), Actor("B", "Party B", 1.0)),
        (Issue("x", "x", status_quo=50.0),),
        (Stance("A", "x", 0.0, 1.0), Stance("B", "x", 100.0, 0.8, red_line=30.0)),
    )


def toy_table(deadline=6):
    """The toy scenario's table on a grid of 11 levels."""
    space = build_space(toy_scenario().arrays(), grid=11)
    return neg.make_table(space, parties=["A", "B"], deadline=deadline)


def offer(x, message="my offer"):
    return json.dumps({"move": "offer", "package": {"x": x}, "message": message})


def accept(message="agreed"):
    return json.dumps({"move": "accept", "message": message})


def llm(server):
    return AGENTS.make("llm", url=server.url, model="fake-model", timeout=5.0)


def talk(table, a_replies, b_replies, protocol="alternating", **server_options):
    with (
        FakeChatServer(a_replies, **server_options) as a,
        FakeChatServer(b_replies, **server_options) as b,
    ):
        briefs = neg.briefs(table, toy_scenario())
        agents = [llm(a), llm(b)]
        outcome = neg.negotiate(
            table, PROTOCOLS.make(protocol), agents, seed=3, party_briefs=briefs
        )
    return outcome, a, b


def value(table, outcome):
    return float(table.space.levels[0][outcome.package[0, 0]])


def test_an_offer_accepted_is_the_agreement():
    t = toy_table()
    out, a, b = talk(t, [offer(40)], [accept()])
    assert out.agreed[0]
    assert out.ended[0] == Ending.AGREEMENT
    assert value(t, out) == 40.0
    assert (len(a.requests), len(b.requests)) == (1, 1)
    # what A was shown: its private brief, the rules of answering, the schema
    shown = a.prompt(0)
    assert "You negotiate for Party A (id A)" in shown
    assert "you want 0" in shown
    assert "status quo 50" in shown
    assert a.requests[0]["response_format"]["type"] == "json_schema"
    assert a.requests[0]["model"] == "fake-model"
    assert a.requests[0]["temperature"] == 0.0
    # B saw A's offer on the table and its own red line, not A's brief
    shown_b = b.prompt(0)
    assert 'On the table (from A): {"x": 40.0}' in shown_b
    assert "red line 30" in shown_b
    assert "you want 100" in shown_b
    assert "you want 0" not in shown_b
    steps = out.transcript.records(t)
    assert [(s["party"], s["move"]) for s in steps] == [("A", "offer"), ("B", "accept")]
    assert steps[0]["message"] == "my offer"


def test_a_malformed_answer_gets_one_reprompt_with_the_reason():
    t = toy_table()
    out, a, _b = talk(t, ["I think we should meet halfway.", offer(40)], [accept()])
    assert value(t, out) == 40.0
    assert len(a.requests) == 2
    reprompt = a.requests[1]["messages"]
    assert reprompt[-2] == {"role": "assistant", "content": "I think we should meet halfway."}
    assert "That answer cannot be used: not a JSON object" in reprompt[-1]["content"]
    first = out.transcript.records(t)[0]
    assert first["refused"]  # the protocol's reason is recorded
    assert "[unusable answer: not a JSON object" in first["answers"][0]["message"]
    assert first["move"] == "offer"
    assert first["package"] == {"x": 40.0}


def test_two_bad_answers_count_as_repeating_the_last_offer():
    t = toy_table(deadline=4)
    # A: offers 40, then twice off the scale (counted as 40 again); B: offers 80, then accepts
    a_script = [offer(40), offer(140), json.dumps({"move": "offer", "package": {"y": 1}})]
    out, a, _ = talk(t, a_script, [offer(80), accept()])
    steps = out.transcript.records(t)
    assert [(s["party"], s["move"]) for s in steps] == [
        ("A", "offer"),
        ("B", "offer"),
        ("A", "offer"),
        ("B", "accept"),
    ]
    third = steps[2]
    assert third["package"] == {"x": 40.0}  # repeated
    assert "off the scale 0..100" in a.prompt(2)  # the re-prompt said why
    assert "x: a number on 0..100 is needed" in third["answers"][1]["message"]
    assert value(t, out) == 40.0


def test_a_first_answer_that_stays_bad_passes_the_turn():
    t = toy_table(deadline=3)
    shout = '{"move": "shout"}'
    out, _, _ = talk(t, [shout, shout, offer(50)], [offer(90), accept()])
    steps = out.transcript.records(t)
    assert steps[0]["move"] == "pass"  # no earlier offer to repeat
    assert "move must be one of offer, accept, walk_away" in steps[0]["answers"][0]["message"]


def test_walking_away_ends_the_talks():
    t = toy_table()
    walk = json.dumps({"move": "walk_away", "message": "no"})
    out, _, b = talk(t, [offer(0)], [walk])
    assert not out.agreed[0]
    assert out.ended[0] == Ending.WALK_AWAY
    assert out.walked[0] == 1
    assert len(b.requests) == 1


def test_accepting_with_nothing_on_the_table_is_refused():
    t = toy_table()
    out, a, _ = talk(t, [accept(), offer(60)], [accept()])
    assert "That answer cannot be used:" in a.prompt(1)
    assert out.transcript.records(t)[0]["refused"]
    assert value(t, out) == 60.0


def test_a_run_replays_from_its_recorded_transcript_without_the_model():
    t = toy_table()
    out, _, _ = talk(t, ["nonsense", offer(40)], [accept()])
    records = json.loads(json.dumps(out.transcript.records(t)))  # as stored on disk
    again = replay(PROTOCOLS.make("alternating"), t, transcript_from_records(records, t))
    assert again.agreed[0] == out.agreed[0]
    np.testing.assert_array_equal(again.package, out.package)
    np.testing.assert_array_equal(again.round, out.round)
    assert again.transcript.records(t) == out.transcript.records(t)


def test_a_server_without_json_schema_answers_is_asked_in_words():
    t = toy_table()
    out, a, _ = talk(t, [offer(40)], [accept()], refuse_schema=True)
    assert value(t, out) == 40.0
    assert "response_format" in a.requests[0]
    assert "response_format" not in a.requests[1]


def test_an_unreachable_model_is_a_clear_error():
    t = toy_table()
    with FakeChatServer([]) as dead:
        url = dead.url
    agent = AGENTS.make("llm", url=url, timeout=2.0)
    with pytest.raises(LanguageModelError, match="did not answer"):
        neg.negotiate(t, PROTOCOLS.make("alternating"), [agent, AGENTS.make("boulware")])


def test_the_llm_agent_plays_one_draw_only():
    from dataclasses import replace

    many = replace(neg.briefs(toy_table())[0], no_deal=np.zeros(5))
    with FakeChatServer([]) as server, pytest.raises(LanguageModelError, match="one draw"):
        llm(server).start(many, np.random.default_rng(0))


def test_a_language_model_against_a_rule_based_agent():
    t = toy_table(deadline=4)
    with FakeChatServer([offer(20), offer(30), offer(40), offer(50)]) as a:
        out = neg.negotiate(
            t, PROTOCOLS.make("alternating"), [llm(a), AGENTS.make("hard_liner")], seed=1
        )
    steps = out.transcript.records(t)
    assert steps[0]["party"] == "A"
    assert steps[0]["package"] == {"x": 20.0}
    assert all(s["party"] in ("A", "B") for s in steps)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"move": "offer"}', "an offer needs a package"),
        ('{"move": "offer", "package": {"x": "lots"}}', "x: a number on 0..100 is needed"),
        ('{"move": "offer", "package": {"x": 10, "z": 1}}', "unknown issue(s) z"),
        ('{"move": "offer", "package": {"x": NaN}}', "off the scale"),
        ("[1, 2]", "not a JSON object"),
        ("x" * 20_001, "longer than 20000 characters"),
        ('```json\n{"move": "offer", "package": {"x": 33}}\n```', ""),
    ],
)
def test_every_kind_of_bad_answer_is_named(text, error):
    t = toy_table()
    move, levels, _, got = parse_answer(text, t, frozenset({Move.OFFER, Move.ACCEPT}))
    if error:
        assert error in got
        assert move == Move.PASS
        assert levels is None
    else:
        assert got == ""
        assert move == Move.OFFER
        assert t.package_dict(levels) == {"x": 30.0}  # 33 -> the nearest level


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="url must start with http"):
        AGENTS.make("llm", url="ftp://x")
    with pytest.raises(ValueError, match="temperature"):
        AGENTS.make("llm", temperature=5.0)


# --- through the command line: record, replay, limits --------------------------------


def _cli(*args):
    from typer.testing import CliRunner

    from zopa.cli import app

    return CliRunner().invoke(app, ["simulate", *map(str, args)])


@pytest.fixture
def toy_file(tmp_path):
    from zopa.io import save_scenario
    from zopa.scenario import Source

    sc = toy_scenario()
    sc = Scenario(sc.title, sc.actors, sc.issues, sc.stances, sources=(Source("s", "toy"),))
    path = tmp_path / "toy.yaml"
    save_scenario(sc, path)
    return path


def test_a_recorded_run_replays_on_the_command_line(toy_file, tmp_path):
    record = tmp_path / "talks.json"
    with FakeChatServer(["not json"] + [offer(40)] * 10) as a:
        out = _cli(
            toy_file,
            "--parties",
            "A,B",
            "--agent",
            "A=llm",
            "--agent",
            "B=conceder",
            "--param",
            f"llm.url={a.url}",
            "--deadline",
            "4",
            "--record",
            record,
            "--format",
            "json",
        )
        asked = len(a.requests)
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout)
    assert json.loads(record.read_text()) == first
    steps = first["runs"][0]["transcript"]
    assert "[unusable answer: not a JSON object" in steps[0]["answers"][0]["message"]
    assert asked >= 2
    again = _cli(
        toy_file, "--parties", "A,B", "--deadline", "4", "--replay", record, "--format", "json"
    )
    assert again.exit_code == 0, again.output
    replayed = json.loads(again.stdout)
    assert replayed["runs"][0]["transcript"] == steps
    assert replayed["runs"][0]["package"] == first["runs"][0]["package"]


def test_llm_limits_on_the_command_line(toy_file, tmp_path):
    out = _cli(toy_file, "--parties", "A,B", "--agent", "A=llm", "--draws", "10")
    assert out.exit_code == 2
    assert "--draws" in out.output
    assert "stated stances only" in out.output
    out = _cli(toy_file, "--parties", "A,B", "--tournament", "--format", "json")
    assert out.exit_code == 0, out.output
    assert all("llm" not in run["agents"].values() for run in json.loads(out.stdout)["runs"])
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    out = _cli(toy_file, "--parties", "A,B", "--replay", bad)
    assert out.exit_code == 2
    assert "not a JSON recording" in out.output
    with FakeChatServer([]) as dead:
        url = dead.url
    out = _cli(toy_file, "--parties", "A,B", "--agent", "A=llm", "--param", f"llm.url={url}")
    assert out.exit_code == 1
    assert "did not answer" in out.output
