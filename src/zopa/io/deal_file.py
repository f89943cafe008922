"""Deal files: schema, located validation, loading.

A deal file (YAML or JSON) names the scenario it refers to, the value it gives each issue
it addresses and every ceasefire mechanism, each with the sources that report it. Every
problem is reported at once, located as ``FILE:LINE: path.to.field: what is wrong (got X,
expected Y)``. Example::

    zopa_deal: 1
    id: e3-counter-proposal-2025-11
    title: UK-France-Germany counter-proposal
    scenario: ../ukraine-ceasefire-2026.yaml
    sources:
      - {id: reuters-e3, title: "European counter-proposal", date: 2025-11-24}
    terms:
      territory: {value: 50, settlement: interim, text: "...", sources: [reuters-e3]}
    mechanisms:
      monitoring: {level: none, text: "...", sources: [reuters-e3]}
      ...  # every mechanism is required, even where the plan is silent
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zopa.durability.deal import (
    Deal,
    DealTerm,
    ForceCaps,
    Mechanisms,
    Provision,
    Settlement,
)
from zopa.durability.parameters import MECHANISM_LEVELS
from zopa.io.documents import Document, read_document
from zopa.io.errors import Problem, ScenarioError
from zopa.io.files import read_prefix
from zopa.io.pydantic_problems import pydantic_problems
from zopa.io.schema import Id, Number, SourceEntry
from zopa.scenario import Source

if TYPE_CHECKING:
    from zopa.io.documents import PathKey
    from zopa.scenario import Scenario

DEAL_FORMAT_VERSION = 1

ScenarioLoader = Callable[[Path], "tuple[Scenario | None, list[Problem]]"]
"""Reads a scenario file: the scenario (``None`` on errors) and its problems."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cited(_Strict):
    text: str = Field(min_length=1, description="What the document says, paraphrased.")
    sources: list[str] = Field(min_length=1, description="Ids of the sources that report it.")
    confidence: Literal["low", "medium", "high"] | None = Field(
        None, description="The analyst's confidence in the reading."
    )


class TermEntry(_Cited):
    """The value a deal gives one issue."""

    value: Number | None = Field(None, description="Value on the issue's scale.")
    settlement: Literal["final", "interim", "deferred"] = Field(
        description="final: fixed by the deal; interim: applies while the ceasefire holds, "
        "final status left to talks; deferred: left open."
    )


class MonitoringEntry(_Cited):
    """Ceasefire monitoring."""

    level: Literal["none", "bilateral", "international", "international_technical"]
    lead: str | None = Field(None, description="Who leads the monitoring.")


MAX_DMZ_WIDTH_KM = 1000.0
"""Widest demilitarised zone read, in km (the Korean DMZ is 4 km wide, the Sinai zones of
the 1979 treaty some 200 km deep): a wider one is a mistake in the file."""

MAX_PERSONNEL = 10_000_000
"""Largest force cap read (the largest armed forces today have about 2 million active
personnel, with reserves about 5 million): a larger one is a mistake in the file."""


class DmzEntry(_Cited):
    """Demilitarised zone."""

    present: bool = Field(description="Whether the deal provides a demilitarised zone.")
    width_km: Number | None = Field(
        None,
        ge=0,
        le=MAX_DMZ_WIDTH_KM,
        description="Total width in km; leave out when the deal does not state it.",
    )


class ReassuranceEntry(_Cited):
    """Foreign reassurance or peacekeeping force."""

    level: Literal["none", "outside", "rear", "interposed"]
    size: str | None = Field(None, description="Size, as reported.")
    contributors: list[str] = Field(default_factory=list)
    mandate: str | None = None


class GuaranteesEntry(_Cited):
    """Third-party security guarantees."""

    level: Literal["none", "political", "legally_binding", "art5_like"]
    guarantors: list[str] = Field(default_factory=list)
    conditional: bool = Field(False, description="True if escape or void clauses apply.")


class ForceCapsEntry(_Cited):
    """Caps on armed forces."""

    defender_personnel: int | None = Field(None, ge=0, le=MAX_PERSONNEL)
    attacker_personnel: int | None = Field(None, ge=0, le=MAX_PERSONNEL)
    weapons_limits: bool = False


class LevelEntry(_Cited):
    """A mechanism given by a level (levels checked per mechanism)."""

    level: str


class SnapbackEntry(_Cited):
    """Sanctions snapback."""

    present: bool


class MechanismsEntry(_Strict):
    """Every mechanism, stated explicitly (``level: none`` where the plan is silent)."""

    monitoring: MonitoringEntry
    dmz: DmzEntry
    reassurance_force: ReassuranceEntry
    guarantees: GuaranteesEntry
    force_caps: ForceCapsEntry
    arms_supply: LevelEntry
    snapback: SnapbackEntry
    joint_commission: LevelEntry
    sequencing: LevelEntry
    specificity: LevelEntry


class DealFile(_Strict):
    """A deal file."""

    zopa_deal: Literal[1] = Field(description="Deal format version; currently 1.")
    id: Id
    title: str = Field(min_length=1)
    scenario: str = Field(min_length=1, description="Scenario file, relative to this file.")
    date: dt.date | None = None
    proposer: str | None = None
    description: str | None = None
    sources: list[SourceEntry] = Field(min_length=1)
    terms: dict[str, TermEntry]
    mechanisms: MechanismsEntry


def _provision(entry: _Cited) -> Provision:
    return Provision(text=entry.text, sources=tuple(entry.sources), confidence=entry.confidence)


def _cross_checks(doc: Document, model: DealFile) -> list[Problem]:
    problems: list[Problem] = []
    known = [s.id for s in model.sources]
    seen: dict[str, int] = {}
    for k, s in enumerate(model.sources):
        if s.id in seen:
            problems.append(
                doc.problem(
                    ("sources", k, "id"),
                    "duplicate source id",
                    got=s.id,
                    expected="a unique id",
                    hint=f"first used on line {doc.line(('sources', seen[s.id]))}",
                )
            )
        seen.setdefault(s.id, k)
    cited: list[tuple[PathKey, _Cited]] = [(("terms", i), t) for i, t in model.terms.items()]
    cited += [
        (("mechanisms", name), getattr(model.mechanisms, name))
        for name in MechanismsEntry.model_fields
    ]
    for path, entry in cited:
        for j, src in enumerate(entry.sources):
            if src not in seen:
                close = difflib.get_close_matches(src, known, n=1)
                problems.append(
                    doc.problem(
                        (*path, "sources", j),
                        "unknown source",
                        got=src,
                        expected="a source id listed under `sources:`",
                        hint=f"did you mean {close[0]!r}?" if close else None,
                    )
                )
    for name in ("arms_supply", "joint_commission", "sequencing", "specificity"):
        level = getattr(model.mechanisms, name).level
        allowed = MECHANISM_LEVELS[name]
        if level not in allowed:
            problems.append(
                doc.problem(
                    ("mechanisms", name, "level"),
                    "unknown level",
                    got=level,
                    expected=f"one of {', '.join(allowed)}",
                )
            )
    dmz = model.mechanisms.dmz
    if not dmz.present and dmz.width_km:
        problems.append(
            doc.problem(
                ("mechanisms", "dmz", "width_km"),
                "a width is given but the zone is not present",
                got=dmz.width_km,
                expected="present: true, or no width",
            )
        )
    for issue, term in model.terms.items():
        if term.settlement == "deferred" and term.value is not None:
            problems.append(
                doc.problem(
                    ("terms", issue, "value"),
                    "a deferred issue has no value",
                    got=term.value,
                    expected="no value, or settlement final/interim",
                )
            )
        if term.settlement != "deferred" and term.value is None:
            problems.append(
                doc.problem(
                    ("terms", issue, "value"),
                    "missing required field",
                    expected=f"a value on the issue's scale for a {term.settlement} term",
                )
            )
    return problems


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _raw_cross_checks(doc: Document) -> list[Problem]:
    """The checks of :func:`_cross_checks`, on a document whose fields are not all valid.

    Run on the raw data, over every entry they can read, so that one wrong field does not
    hide the deal's other mistakes (a citation of an unknown source, a level no mechanism
    has, a deferred issue with a value).
    """
    data = _mapping(doc.data)
    problems: list[Problem] = []
    sources = data.get("sources")
    known: list[str] = []
    seen: dict[str, int] = {}
    for k, entry in enumerate(sources if isinstance(sources, list) else []):
        ident = _mapping(entry).get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            problems.append(
                doc.problem(
                    ("sources", k, "id"),
                    "duplicate source id",
                    got=ident,
                    expected="a unique id",
                    hint=f"first used on line {doc.line(('sources', seen[ident]))}",
                )
            )
        seen.setdefault(ident, k)
        known.append(ident)
    if isinstance(sources, list):  # without a list of sources, every citation would be unknown
        cited = [(("terms", str(i)), t) for i, t in _mapping(data.get("terms")).items()]
        cited += [(("mechanisms", str(m)), e) for m, e in _mapping(data.get("mechanisms")).items()]
        for path, entry in cited:
            refs = _mapping(entry).get("sources")
            for j, src in enumerate(refs if isinstance(refs, list) else []):
                if isinstance(src, str) and src not in seen:
                    close = difflib.get_close_matches(src, known, n=1)
                    problems.append(
                        doc.problem(
                            (*path, "sources", j),
                            "unknown source",
                            got=src,
                            expected="a source id listed under `sources:`",
                            hint=f"did you mean {close[0]!r}?" if close else None,
                        )
                    )
    mechanisms = _mapping(data.get("mechanisms"))
    for name in ("arms_supply", "joint_commission", "sequencing", "specificity"):
        level = _mapping(mechanisms.get(name)).get("level")
        if isinstance(level, str) and level not in MECHANISM_LEVELS[name]:
            problems.append(
                doc.problem(
                    ("mechanisms", name, "level"),
                    "unknown level",
                    got=level,
                    expected=f"one of {', '.join(MECHANISM_LEVELS[name])}",
                )
            )
    for issue, entry in _mapping(data.get("terms")).items():
        term = _mapping(entry)
        if term.get("settlement") == "deferred" and term.get("value") is not None:
            problems.append(
                doc.problem(
                    ("terms", str(issue), "value"),
                    "a deferred issue has no value",
                    got=term.get("value"),
                    expected="no value, or settlement final/interim",
                )
            )
    return problems


def _build(model: DealFile) -> Deal:
    m = model.mechanisms
    provisions = {name: _provision(getattr(m, name)) for name in MechanismsEntry.model_fields}
    mechanisms = Mechanisms(
        monitoring=m.monitoring.level,
        monitoring_lead=m.monitoring.lead,
        dmz_width_km=m.dmz.width_km if m.dmz.present else 0.0,
        reassurance_force=m.reassurance_force.level,
        reassurance_contributors=tuple(m.reassurance_force.contributors),
        guarantees=m.guarantees.level,
        guarantors=tuple(m.guarantees.guarantors),
        guarantees_conditional=m.guarantees.conditional,
        force_caps=ForceCaps(
            defender_personnel=m.force_caps.defender_personnel,
            attacker_personnel=m.force_caps.attacker_personnel,
            weapons_limits=m.force_caps.weapons_limits,
        ),
        arms_supply=m.arms_supply.level,
        snapback=m.snapback.present,
        joint_commission=m.joint_commission.level,
        sequencing=m.sequencing.level,
        specificity=m.specificity.level,
        provisions=MappingProxyType(provisions),
    )
    terms = tuple(
        DealTerm(
            issue=issue,
            value=t.value,
            settlement=Settlement(t.settlement),
            provision=_provision(t),
        )
        for issue, t in model.terms.items()
    )
    return Deal(
        id=model.id,
        title=model.title,
        scenario=model.scenario,
        terms=terms,
        mechanisms=mechanisms,
        sources=tuple(
            Source(id=s.id, title=s.title, url=s.url, date=s.date, publisher=s.publisher)
            for s in model.sources
        ),
        date=model.date,
        proposer=model.proposer,
        description=model.description,
    )


def check_deal_document(doc: Document) -> tuple[Deal | None, list[Problem]]:
    """Validate a parsed deal document; the deal is ``None`` when there are errors."""
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "a deal file must be a mapping", got=type(doc.data).__name__)]
    try:
        model = DealFile.model_validate(doc.data)
    except ValidationError as exc:
        found = pydantic_problems(doc, exc, (), DealFile)
        reported = {p.path for p in found}
        more = [p for p in _raw_cross_checks(doc) if p.path not in reported]
        return None, sorted(found + more, key=lambda p: (p.line is None, p.line or 0))
    problems = _cross_checks(doc, model)
    if any(p.is_error for p in problems):
        return None, problems
    return _build(model), problems


def scenario_path(deal_path: Path | str, deal: Deal) -> Path:
    """The deal's scenario file, resolved relative to the deal file's folder."""
    return (Path(deal_path).parent / deal.scenario).resolve()


def default_scenario_root(deal_path: Path | str) -> Path:
    """The folder tree a deal's scenario must lie in: that of the deal's folder's parent.

    This is the layout zopa ships and writes (``scenario.yaml`` beside a ``deals/``
    folder), and it keeps a deal file from naming a file elsewhere on the machine.
    """
    return Path(deal_path).resolve().parent.parent


_SCENARIO_START = re.compile(r'^\s*(?:\{\s*)?"?zopa"?\s*:', re.MULTILINE)
"""The ``zopa:`` key of a YAML or JSON scenario, at the start of a line."""

_TEXT_FORMATS = (".yaml", ".yml", ".json")


def _confine(doc: Document, deal: Deal, target: Path, root: Path | None) -> Problem | None:
    """Why the deal's scenario may not be read (outside the tree, not a scenario), if so."""
    where = ("scenario",)
    if Path(deal.scenario).is_absolute() or deal.scenario.startswith("~"):
        return doc.problem(
            where,
            "the scenario must be named relative to the deal file",
            got=deal.scenario,
            expected="a relative path such as ../scenario.yaml",
        )
    if root is not None and not target.is_relative_to(root.resolve()):
        return doc.problem(
            where,
            "the scenario lies outside the deal's folder tree",
            got=deal.scenario,
            expected=f"a file under {root}",
            hint="keep the scenario beside the folder of its deal files (scenario.yaml, deals/)",
        )
    if not target.is_file():
        return doc.problem(
            where,
            "scenario file not found",
            got=deal.scenario,
            expected="a path relative to the deal file",
        )
    if target.suffix.lower() in _TEXT_FORMATS:
        head = read_prefix(target).decode("utf-8", errors="replace")
        if not _SCENARIO_START.search(head):  # its content is not shown: it may be anything
            return doc.problem(
                where,
                "the file named is not a zopa scenario",
                got=deal.scenario,
                expected="a scenario file starting with `zopa: 1`",
            )
    return None


def check_deal_against_scenario(doc: Document, deal: Deal, scenario: Scenario) -> list[Problem]:
    """Terms must name the scenario's issues and lie on their scales."""
    problems: list[Problem] = []
    issues = {i.id: i for i in scenario.issues}
    for term in deal.terms:
        path: PathKey = ("terms", term.issue)
        issue = issues.get(term.issue)
        if issue is None:
            close = difflib.get_close_matches(term.issue, sorted(issues), n=1)
            problems.append(
                doc.problem(
                    path,
                    "unknown issue",
                    got=term.issue,
                    expected=f"an issue of {deal.scenario}",
                    hint=f"did you mean {close[0]!r}?"
                    if close
                    else f"issues: {', '.join(sorted(issues))}",
                )
            )
            continue
        if term.value is not None and not issue.scale.contains(term.value):
            problems.append(
                doc.problem(
                    (*path, "value"),
                    "outside the issue's scale",
                    got=term.value,
                    expected=f"a value in [{issue.scale.min:g}, {issue.scale.max:g}]",
                )
            )
    return problems


def check_deal(
    path: Path | str,
    *,
    with_scenario: bool = True,
    scenario_loader: ScenarioLoader | None = None,
    scenario_root: Path | None = None,
    allow_outside: bool = False,
) -> tuple[Deal | None, Scenario | None, list[Problem]]:
    """Read and validate a deal file and (by default) the scenario it names.

    Args:
        path: The deal file.
        with_scenario: Whether to read the scenario and check the terms against it.
        scenario_loader: How to get the scenario: called with the scenario file's
            resolved path, it returns the scenario (``None`` on errors) and its problems,
            like :func:`~zopa.io.scenario_file.check_scenario` (the default). A caller
            checking several deals may pass a memoised loader, so that a scenario that
            several deals name is read and validated once; it must not change the
            problem lists it returns.
        scenario_root: The folder tree the scenario must lie in (default: that of the
            deal file's folder's parent, see :func:`default_scenario_root`).
        allow_outside: Read the scenario wherever the deal file names it.

    The scenario is always named relative to the deal file's folder; an absolute path,
    a path leaving the tree, or a YAML/JSON file that is no zopa scenario is refused
    with a problem at ``scenario`` that does not show the file's content.

    Returns:
        The deal (``None`` on errors), its scenario (``None`` on errors or when not
        checked), and every problem found.
    """
    from zopa.io.scenario_file import check_scenario

    load = check_scenario if scenario_loader is None else scenario_loader
    doc, problems = read_document(Path(path), display=str(path))
    if doc.data is None:
        return None, None, problems
    deal, more = check_deal_document(doc)  # checked despite a duplicate key or a custom tag
    left_out = {p.path for p in problems if p.message != "duplicate key"}
    problems += [p for p in more if not (p.path and p.path in left_out)]
    if any(p.is_error for p in problems):
        deal = None
    if deal is None or not with_scenario:
        return deal, None, problems
    target = scenario_path(path, deal)
    root = None if allow_outside else (scenario_root or default_scenario_root(path))
    refused = _confine(doc, deal, target, root)
    if refused is not None:
        problems.append(refused)
        return None, None, problems
    scenario, scen_problems = load(target)
    problems += scen_problems
    if scenario is None:
        problems.append(
            doc.problem(("scenario",), "the scenario file is not valid", got=deal.scenario)
        )
        return None, None, problems
    cross = check_deal_against_scenario(doc, deal, scenario)
    problems += cross
    if any(p.is_error for p in cross):
        return None, None, problems
    return deal, scenario, problems


def load_deal(
    path: Path | str, *, scenario_loader: ScenarioLoader | None = None
) -> tuple[Deal, Scenario]:
    """A valid deal and its scenario, or :class:`ScenarioError` listing every problem.

    ``scenario_loader`` is as in :func:`check_deal`.
    """
    deal, scenario, problems = check_deal(path, scenario_loader=scenario_loader)
    if deal is None or scenario is None:
        raise ScenarioError(problems)
    return deal, scenario
