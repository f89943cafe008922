"""The durability parameter file: schema, located validation, loading.

The parameters of the durability model (hazard ratios, the strengths of each mechanism's
levels, the ending thresholds) live as data, each with its source or the label
"assumption", in a YAML file; zopa ships one (:func:`default_parameters_path`) and a user
may pass their own. Every problem is reported at once, located as ``FILE:LINE:
path.to.field: what is wrong (got X, expected Y)``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
from zopa.io.pydantic_problems import pydantic_problems
from zopa.io.schema import Number


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
