"""Capabilities for EU legislative backtests: Council weights by treaty regime.

A *regime table* is a ``;``- or ``,``-separated file ``actor;pre_nice;nice;lisbon`` (``#``
comment lines allowed) holding each member state's weight in Council voting under each
treaty regime; data/deu3/council-votes.csv is the one shipped, with its sources. A
proposal is dated by its introduction and takes the column of the regime then in force:

* ``pre_nice`` before 1 November 2004 (Art. 205(2) TEC, EU-15; the 2003 Act of
  Accession's transitional votes for the states that joined on 1 May 2004),
* ``nice`` from 1 November 2004 (Treaty of Nice, Protocol on enlargement, Art. 3),
* ``lisbon`` from 1 November 2014 (Art. 16(4) TEU: the population criterion).

The Commission and the Parliament have no Council weight; :data:`INSTITUTION_RULES`
names the rules offered for them, applied per proposal to the member states taking part:

* ``"largest-member"`` (default): both weigh as much as the largest member state
  taking part, as a big player of the Council would: the Commission as the drafter of
  the proposal, the Parliament as an actor the Council must reckon with.
* ``"co-legislator"``: under co-decision (``COD``; Art. 251 TEC, Art. 294
  TFEU) the Parliament is the Council's equal as co-legislator and weighs as much as
  the member states together; under consultation (``CNS``) it only gives an opinion
  and weighs as much as the average member state. The Commission, which drafts the
  proposal and can withdraw it, weighs as much as the average member state.
* ``"mean-member"``: both weigh as much as the average member state.
* ``"council-only"``: both weigh nothing (only the Council's weights count).

The default was chosen on the training proposals of data/deu3/split.csv only: the
compromise model's MAE there is 23.9 with ``largest-member``, 24.4 with ``mean-member``,
25.5 with ``council-only`` and 25.8 with ``co-legislator`` (24.5 with every capability
1); docs/validity.md has the table.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal, get_args

from zopa.io.errors import Problem

_MAX_WEIGHT = 1e12
"""Largest weight read (the bound of every number in a scenario, zopa.io.schema)."""

InstitutionRule = Literal["co-legislator", "mean-member", "largest-member", "council-only"]
INSTITUTION_RULES: tuple[str, ...] = get_args(InstitutionRule)

REGIMES: tuple[str, ...] = ("pre_nice", "nice", "lisbon")
REGIME_START: Mapping[str, date] = MappingProxyType(
    {"pre_nice": date.min, "nice": date(2004, 11, 1), "lisbon": date(2014, 11, 1)}
)
"""First day of each regime's Council weighting (Nice: 2003 Act of Accession, Art. 12;
Lisbon: Art. 16(4) TEU with Protocol No 36, Art. 3(1))."""

INSTITUTIONS: tuple[str, ...] = ("com", "ep")


def regime_on(day: date | None) -> str:
    """The regime in force on ``day`` (the latest one when the date is unknown)."""
    if day is None:
        return REGIMES[-1]
    return max((r for r in REGIMES if REGIME_START[r] <= day), key=lambda r: REGIME_START[r])


def parse_deu_date(text: str) -> date | None:
    """A DEU date ``DD-MM-YY`` (years 50-99 are 19xx) as a date; None if it does not parse."""
    parts = text.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    day, month, year = (int(p) for p in parts)
    if len(parts[2]) == 2:
        year += 1900 if year >= 50 else 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class RegimeCapabilities:
    """Member states' Council weights by regime, and the rule for the EU institutions.

    Attributes:
        weights: ``{regime: {actor: weight}}``; a state absent from a regime was not a
            member then.
        institutions: How the Commission and the Parliament are weighted.
    """

    weights: Mapping[str, Mapping[str, float]]
    institutions: InstitutionRule = "largest-member"

    def __post_init__(self) -> None:
        if self.institutions not in INSTITUTION_RULES:
            raise ValueError(
                f"unknown institution rule {self.institutions!r}; "
                f"use one of {', '.join(INSTITUTION_RULES)}"
            )

    def known(self) -> frozenset[str]:
        """Every actor code that gets a capability (member states and institutions)."""
        return frozenset(a for w in self.weights.values() for a in w) | frozenset(INSTITUTIONS)

    def member_weight(self, actor: str, regime: str) -> float:
        """A state's weight under ``regime``; before its accession, that of its first regime."""
        if actor in self.weights.get(regime, {}):
            return float(self.weights[regime][actor])
        for later in REGIMES[REGIMES.index(regime) + 1 :]:
            if actor in self.weights.get(later, {}):
                return float(self.weights[later][actor])
        raise KeyError(f"no Council weight for {actor!r}")

    def for_proposal(
        self, actors: Collection[str], *, procedure: str | None, day: date | None
    ) -> dict[str, float]:
        """Capability of each of ``actors`` in a proposal of ``procedure`` dated ``day``."""
        regime = regime_on(day)
        members = {a: self.member_weight(a, regime) for a in actors if a not in INSTITUTIONS}
        values = list(members.values())
        mean = sum(values) / len(values) if values else 1.0
        total = sum(values) if values else 1.0
        largest = max(values) if values else 1.0
        rule = self.institutions
        if rule == "co-legislator":
            com = mean
            ep = total if (procedure or "").upper() == "COD" else mean
        elif rule == "mean-member":
            com = ep = mean
        elif rule == "largest-member":
            com = ep = largest
        else:
            com = ep = 0.0
        out = dict(members)
        for code, value in (("com", com), ("ep", ep)):
            if code in actors:
                out[code] = value
        return out

    def with_rule(self, institutions: InstitutionRule) -> RegimeCapabilities:
        """The same table with another rule for the institutions."""
        return RegimeCapabilities(self.weights, institutions)


def is_regime_header(cells: list[str]) -> bool:
    """Whether a header line names the regime columns (``actor`` then regime names)."""
    names = [c.strip().lower() for c in cells]
    return len(names) > 1 and names[0] == "actor" and set(names[1:]) <= set(REGIMES)


def parse_regime_table(text: str, name: str) -> tuple[RegimeCapabilities | None, list[Problem]]:
    """Read a regime table (see the module docstring); problems are located by line."""
    lines = text.splitlines()
    body = [(k + 1, line) for k, line in enumerate(lines) if line.strip() and line[0] != "#"]
    if not body:
        return None, [Problem(name, None, "", "no data", expected="actor;pre_nice;nice;lisbon")]
    delimiter = ";" if body[0][1].count(";") >= body[0][1].count(",") else ","
    header_line = body[0][0]
    try:
        records = [
            (line_no, [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [""])])
            for line_no, line in body
        ]
    except csv.Error:
        limit = csv.field_size_limit()
        return None, [Problem(name, None, "", f"a cell is longer than {limit:,} characters")]
    header = [c.lower() for c in records[0][1]]
    problems: list[Problem] = []
    weights: dict[str, dict[str, float]] = {r: {} for r in header[1:]}
    for line_no, cells in records[1:]:
        actor = cells[0].lower()
        for regime, raw in zip(header[1:], cells[1:], strict=False):
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                problems.append(Problem(name, line_no, regime, "not a number", got=raw))
                continue
            if not 0 <= value <= _MAX_WEIGHT:
                problems.append(Problem(name, line_no, regime, "weight must be >= 0", got=value))
                continue
            weights[regime][actor] = value
    if header_line and not any(weights.values()):
        problems.append(Problem(name, header_line, "", "no weights found"))
    if any(p.is_error for p in problems):
        return None, problems
    frozen = {r: MappingProxyType(w) for r, w in weights.items()}
    return RegimeCapabilities(MappingProxyType(frozen)), problems
