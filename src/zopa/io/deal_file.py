"""Deal files and the durability parameter file: schema, located validation, loading.

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
from importlib import resources
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
from zopa.durability.parameters import (
    MECHANISM_LEVELS,
    REQUIRED_PARAMETERS,
    Distribution,
    DurabilityParameters,
    EndingThresholds,
    Parameter,
    ParameterStatus,
)
from zopa.io.documents import Document, read_document
from zopa.io.errors import Problem, ScenarioError
from zopa.io.schema import Id, Number, SourceEntry
from zopa.io.validate import pydantic_problems
from zopa.scenario import Source

if TYPE_CHECKING:
    from collections.abc import Callable

    from zopa.io.documents import PathKey
    from zopa.scenario import Scenario

DEAL_FORMAT_VERSION = 1


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


class DmzEntry(_Cited):
    """Demilitarised zone."""

    present: bool = Field(description="Whether the deal provides a demilitarised zone.")
    width_km: Number | None = Field(
        None, ge=0, description="Total width in km; leave out when the deal does not state it."
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

    defender_personnel: int | None = Field(None, ge=0)
    attacker_personnel: int | None = Field(None, ge=0)
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
        return None, pydantic_problems(doc, exc, (), DealFile)
    problems = _cross_checks(doc, model)
    if any(p.is_error for p in problems):
        return None, problems
    return _build(model), problems


def scenario_path(deal_path: Path | str, deal: Deal) -> Path:
    """The deal's scenario file, resolved relative to the deal file's folder."""
    return (Path(deal_path).parent / deal.scenario).resolve()


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
    scenario_loader: Callable[[Path], tuple[Scenario | None, list[Problem]]] | None = None,
) -> tuple[Deal | None, Scenario | None, list[Problem]]:
    """Read and validate a deal file and (by default) the scenario it names.

    ``scenario_loader`` reads the scenario (default: :func:`check_scenario`); a caller
    that checks several deals about one scenario passes a memoised one.

    Returns:
        The deal (``None`` on errors), its scenario (``None`` on errors or when not
        checked), and every problem found.
    """
    from zopa.io.scenario_file import check_scenario

    doc, problems = read_document(Path(path), display=str(path))
    if any(p.is_error for p in problems) or doc.data is None:
        return None, None, problems
    deal, more = check_deal_document(doc)
    problems += more
    if deal is None or not with_scenario:
        return deal, None, problems
    target = scenario_path(path, deal)
    if not target.is_file():
        problems.append(
            doc.problem(
                ("scenario",),
                "scenario file not found",
                got=deal.scenario,
                expected="a path relative to the deal file",
            )
        )
        return None, None, problems
    scenario, scen_problems = (scenario_loader or check_scenario)(target)
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


def load_deal(path: Path | str) -> tuple[Deal, Scenario]:
    """A valid deal and its scenario, or :class:`ScenarioError` listing every problem."""
    deal, scenario, problems = check_deal(path)
    if deal is None or scenario is None:
        raise ScenarioError(problems)
    return deal, scenario


# ------------------------------------------------------------------ parameter file


class ParameterEntry(_Strict):
    """One durability parameter."""

    value: Number
    range: tuple[Number, Number]
    distribution: Literal["uniform", "loguniform"] = "uniform"
    status: Literal["sourced", "transferred", "assumption"]
    unit: str = ""
    description: str = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str = ""


class LevelsEntry(_Strict):
    """Strengths of each categorical mechanism's levels."""

    status: Literal["sourced", "transferred", "assumption"]
    source: str = Field(min_length=1)
    monitoring: dict[str, Number]
    reassurance_force: dict[str, Number]
    guarantees: dict[str, Number]
    joint_commission: dict[str, Number]
    sequencing: dict[str, Number]
    specificity: dict[str, Number]


class EndingEntry(_Strict):
    """Ending thresholds."""

    status: Literal["sourced", "transferred", "assumption"]
    source: str = Field(min_length=1)
    defender: str
    attacker: str
    capitulation_issues: list[str]
    core_issues: list[str]
    p_hold_5y_durable: Number = Field(ge=0, le=1)
    balance_floor: Number = Field(gt=0)
    max_unsettled_core: int = Field(ge=0)


class ParameterFile(_Strict):
    """The durability parameter file."""

    version: Literal[1]
    horizon_years: Number = Field(gt=0, le=50)
    step_years: Number = Field(gt=0, le=1)
    parameters: dict[str, ParameterEntry]
    levels: LevelsEntry
    ending: EndingEntry


def default_parameters_path() -> Path:
    """The parameter file shipped with zopa."""
    return Path(str(resources.files("zopa.durability").joinpath("parameters.yaml")))


def _parameter_problems(doc: Document, model: ParameterFile) -> list[Problem]:
    problems: list[Problem] = []
    for pid in REQUIRED_PARAMETERS:
        if pid not in model.parameters:
            problems.append(doc.problem(("parameters",), "missing parameter", expected=pid))
    for pid, p in model.parameters.items():
        lo, hi = p.range
        if not lo <= p.value <= hi:
            problems.append(
                doc.problem(
                    ("parameters", pid, "value"),
                    "central value outside its range",
                    got=p.value,
                    expected=f"a value in [{lo:g}, {hi:g}]",
                )
            )
        if p.distribution == "loguniform" and lo <= 0:
            problems.append(
                doc.problem(
                    ("parameters", pid, "range"),
                    "a log-uniform range must be positive",
                    got=[lo, hi],
                    expected="0 < low <= high",
                )
            )
        if pid.startswith("hr.") and not 0 < lo <= hi <= 1:
            problems.append(
                doc.problem(
                    ("parameters", pid, "range"),
                    "a mechanism's hazard ratio must lie in (0, 1]",
                    got=[lo, hi],
                    expected="0 < low <= high <= 1",
                )
            )
    for mech, names in MECHANISM_LEVELS.items():
        if mech == "arms_supply":
            continue
        given: dict[str, float] = getattr(model.levels, mech)
        if set(given) != set(names):
            problems.append(
                doc.problem(
                    ("levels", mech),
                    "levels do not match the mechanism's levels",
                    got=", ".join(given),
                    expected=", ".join(names),
                )
            )
        for name, v in given.items():
            if not 0 <= v <= 1:
                problems.append(
                    doc.problem(
                        ("levels", mech, name), "strength out of range", got=v, expected="0..1"
                    )
                )
    n = model.horizon_years / model.step_years
    five = 5.0 / model.step_years
    if abs(n - round(n)) > 1e-9 or abs(five - round(five)) > 1e-9 or model.horizon_years < 5:
        problems.append(
            doc.problem(
                ("step_years",),
                "the horizon and five years must be whole multiples of the step",
                got=model.step_years,
                expected="e.g. 0.25 with a horizon of at least 5 years",
            )
        )
    return problems


def check_durability_parameters(
    path: Path | str | None = None,
) -> tuple[DurabilityParameters | None, list[Problem]]:
    """Read and validate a durability parameter file (default: the shipped one)."""
    target = default_parameters_path() if path is None else Path(path)
    doc, problems = read_document(target, display=str(path) if path else "parameters.yaml")
    if any(p.is_error for p in problems) or doc.data is None:
        return None, problems
    try:
        model = ParameterFile.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + pydantic_problems(doc, exc, (), ParameterFile)
    problems += _parameter_problems(doc, model)
    if any(p.is_error for p in problems):
        return None, problems
    params = {
        pid: Parameter(
            id=pid,
            value=p.value,
            low=p.range[0],
            high=p.range[1],
            distribution=Distribution(p.distribution),
            status=ParameterStatus(p.status),
            unit=p.unit,
            description=p.description,
            source=p.source,
            note=p.note,
        )
        for pid, p in model.parameters.items()
    }
    lv = model.levels
    levels = {
        mech: MappingProxyType(dict(getattr(lv, mech)))
        for mech in MECHANISM_LEVELS
        if mech != "arms_supply"
    }
    e = model.ending
    ending = EndingThresholds(
        defender=e.defender,
        attacker=e.attacker,
        capitulation_issues=tuple(e.capitulation_issues),
        core_issues=tuple(e.core_issues),
        p_hold_5y_durable=e.p_hold_5y_durable,
        balance_floor=e.balance_floor,
        max_unsettled_core=e.max_unsettled_core,
        source=e.source,
        status=ParameterStatus(e.status),
    )
    return (
        DurabilityParameters(
            parameters=MappingProxyType(params),
            levels=MappingProxyType(levels),
            ending=ending,
            levels_status=ParameterStatus(lv.status),
            levels_source=lv.source,
            horizon_years=model.horizon_years,
            step_years=model.step_years,
        ),
        problems,
    )


def load_durability_parameters(path: Path | str | None = None) -> DurabilityParameters:
    """A valid parameter set, or :class:`ScenarioError` listing every problem."""
    params, problems = check_durability_parameters(path)
    if params is None:
        raise ScenarioError(problems)
    return params


def parameters_to_data(params: DurabilityParameters) -> dict[str, Any]:
    """The parameters as plain data (for JSON output)."""
    return {
        pid: {
            "value": p.value,
            "range": [p.low, p.high],
            "distribution": p.distribution.value,
            "status": p.status.value,
            "unit": p.unit,
            "source": p.source,
        }
        for pid, p in params.parameters.items()
    }
