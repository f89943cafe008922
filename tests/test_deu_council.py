"""Council weights by treaty regime, and the shipped DEU III data read with them."""

from __future__ import annotations

from datetime import date

import pytest

from zopa.io.council import RegimeCapabilities, parse_deu_date, regime_on
from zopa.io.deu import load_capabilities, load_deu


def test_regime_by_date() -> None:
    assert regime_on(date(2004, 10, 31)) == "pre_nice"
    assert regime_on(date(2004, 11, 1)) == "nice"
    assert regime_on(date(2014, 10, 31)) == "nice"
    assert regime_on(date(2014, 11, 1)) == "lisbon"
    assert parse_deu_date("26-01-00") == date(2000, 1, 26)
    assert parse_deu_date("05-03-98") == date(1998, 3, 5)
    assert parse_deu_date("1930-05-01") is None


def test_shipped_table_totals(repo_root) -> None:
    table = load_capabilities(repo_root / "data" / "deu3" / "council-votes.csv")
    assert isinstance(table, RegimeCapabilities)
    eu15 = [
        "at",
        "be",
        "de",
        "dk",
        "el",
        "es",
        "fi",
        "fr",
        "ie",
        "it",
        "lu",
        "nl",
        "pt",
        "se",
        "uk",
    ]
    # Art. 205(2) TEC (EU-15): 87 votes; Nice, EU-25: 321; with BG, RO, HR: 352
    assert sum(table.weights["pre_nice"][a] for a in eu15) == 87
    assert sum(table.weights["nice"].values()) == 352
    assert sum(table.weights["lisbon"].values()) == pytest.approx(508.5)


def test_institution_rules() -> None:
    table = RegimeCapabilities(
        {"nice": {"de": 29, "fr": 29, "lu": 4}, "pre_nice": {"de": 10}}, "co-legislator"
    )
    actors = {"de", "lu", "com", "ep"}
    caps = table.for_proposal(actors, procedure="COD", day=date(2006, 1, 1))
    assert caps == {"de": 29.0, "lu": 4.0, "com": 16.5, "ep": 33.0}
    caps = table.for_proposal(actors, procedure="CNS", day=date(2006, 1, 1))
    assert caps["ep"] == 16.5
    assert (
        table.with_rule("largest-member").for_proposal(
            actors, procedure="COD", day=date(2006, 1, 1)
        )["com"]
        == 29.0
    )
    assert (
        table.with_rule("council-only").for_proposal(actors, procedure="CNS", day=date(2006, 1, 1))[
            "ep"
        ]
        == 0.0
    )
    # before its accession a state takes its first weight as a member
    assert table.member_weight("lu", "pre_nice") == 4.0
    with pytest.raises(ValueError, match="unknown institution rule"):
        RegimeCapabilities({}, "bogus")  # type: ignore[arg-type]


def test_deu3_reads_with_regime_weights(repo_root) -> None:
    data = repo_root / "data" / "deu3"
    table = load_capabilities(data / "council-votes.csv")
    scenarios = load_deu(data / "deu3.csv", capabilities=table)
    assert len(scenarios) == 141  # one scenario per proposal (column prnr)
    by_title = {s.title: s for s in scenarios}
    first = by_title["deu3 d00032"]  # COD, introduced 26-01-00: pre-Nice votes
    assert first.issue_ids == ("d00032i1", "d00032i2", "d00032i3", "d00032i4")
    assert first.actor("de").capability == 10.0
    members = [a.capability for a in first.actors if a.id not in ("com", "ep")]
    assert first.actor("ep").capability == max(members) == 10.0
    assert first.actor("com").capability == 10.0
    assert sum(1 for s in scenarios for i in s.issues if i.outcome is not None) == 353
