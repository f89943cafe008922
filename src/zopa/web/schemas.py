"""The JSON bodies the API takes (pydantic; FastAPI publishes them in /openapi.json)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Model = str


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StanceChange(_Body):
    """A change to one stance (the fields left out stay as they are)."""

    actor: str = Field(max_length=200)
    issue: str = Field(max_length=200)
    position: float | None = None
    salience: float | None = None
    red_line: float | None = None
    remove_red_line: bool = False


class ActorChange(_Body):
    """A change to one actor."""

    actor: str = Field(max_length=200)
    capability: float | None = None
    veto: bool | None = None


class Overrides(_Body):
    """Changes to try (what-if) or to save as a new version."""

    stances: list[StanceChange] = Field(default_factory=list, max_length=5000)
    actors: list[ActorChange] = Field(default_factory=list, max_length=500)

    def for_service(self) -> dict[str, list[dict[str, Any]]]:
        """The arguments of :func:`zopa.service.with_overrides`."""
        stances = []
        for s in self.stances:
            entry: dict[str, Any] = s.model_dump(exclude_none=True, exclude={"remove_red_line"})
            if s.remove_red_line:
                entry["red_line"] = None
            stances.append(entry)
        actors = [a.model_dump(exclude_none=True) for a in self.actors]
        return {"stances": stances, "actors": actors}


class NewScenario(_Body):
    """A scenario to create from the text of a scenario file."""

    name: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=10 * 1024 * 1024)
    format: Literal["yaml", "json"] = "yaml"
    author: str | None = Field(default=None, max_length=200)
    message: str | None = Field(default=None, max_length=2000)


class NewVersion(_Body):
    """A new version: the whole text of the scenario, or changes to a version."""

    text: str | None = Field(default=None, max_length=10 * 1024 * 1024)
    format: Literal["yaml", "json"] = "yaml"
    overrides: Overrides | None = None
    base: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="version the overrides apply to"
    )
    author: str | None = Field(default=None, max_length=200)
    message: str | None = Field(default=None, max_length=2000)


class Restore(_Body):
    """Restore an old version as the newest one."""

    author: str | None = Field(default=None, max_length=200)
    message: str | None = Field(default=None, max_length=2000)


class NewDeal(_Body):
    """A deal file (YAML text) to keep with a scenario."""

    name: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=10 * 1024 * 1024)


class ForecastOptions(_Body):
    """Options of a forecast (as ``zopa forecast``)."""

    models: list[Model] | None = Field(default=None, max_length=50)
    params: dict[str, float | int | str | bool] | None = None
    rounds: int | None = Field(default=None, ge=1, le=10_000)
    draws: int = Field(default=0, ge=0)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    trace: bool = False
    calibrated: bool = False


class DealsOptions(_Body):
    """Options of the deal space analysis (as ``zopa deals``)."""

    grid: int = Field(default=11, ge=2, le=201)
    loss: Literal["linear", "quadratic"] = "linear"
    method: Literal["auto", "enumeration", "milp"] = "auto"
    parties: list[str] | None = Field(default=None, max_length=500)


class TablesOptions(_Body):
    """Tables to compare, name -> actor ids (as ``zopa tables``)."""

    tables: dict[str, list[str]] = Field(min_length=1, max_length=20)
    grid: int = Field(default=11, ge=2, le=201)
    loss: Literal["linear", "quadratic"] = "linear"
    method: Literal["auto", "enumeration", "milp"] = "auto"
    forecasts: bool = True


class SensitivityOptions(_Body):
    """Options of the sensitivity analysis (as ``zopa sensitivity``)."""

    model: Model = "median"
    params: dict[str, float | int | str | bool] | None = None
    issues: list[str] | None = Field(default=None, max_length=500)
    method: Literal["sobol", "morris"] = "sobol"
    samples: int | None = Field(default=None, ge=1, le=4096)
    distribution: Literal["triangular", "uniform"] = "triangular"
    salience: float = Field(default=0.0, ge=0.0, le=1.0)
    capability: float = Field(default=0.0, ge=0.0, le=1.0)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


class DurabilityOptions(_Body):
    """Deal files kept with the scenario to assess (two or more: compared)."""

    deals: list[str] | None = Field(default=None, max_length=50, description="default: all")
    draws: int = Field(default=10_000, ge=100, le=100_000)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    overrides: Overrides = Field(
        default_factory=Overrides,
        description="unsaved changes applied to the scenario the deals are assessed against",
    )


class AdviseOptions(_Body):
    """Options of the advice for one actor (as ``zopa advise``)."""

    actor: str = Field(min_length=1, max_length=200)
    model: Model = "compromise"
    rank_by: Literal["forecast", "deal"] = "forecast"
    top: int = Field(default=5, ge=1, le=50)
    deal_space: bool = True
    grid: int = Field(default=11, ge=2, le=41)
    position_step: float = Field(default=10.0, gt=0, le=100)
    salience_step: float = Field(default=0.1, gt=0, le=1)


class WhatIf(_Body):
    """Changes to try on a version, and the analyses to run on the changed scenario."""

    overrides: Overrides = Field(default_factory=Overrides)
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    forecast: ForecastOptions | None = Field(default_factory=ForecastOptions)
    deals: DealsOptions | None = None
    tables: TablesOptions | None = None
    sensitivity: SensitivityOptions | None = None
    advise: AdviseOptions | None = None


class ProblemOut(BaseModel):
    """One located problem (as ``zopa validate`` prints it)."""

    file: str
    line: int | None
    path: str
    message: str
    severity: Literal["error", "warning"]
    got: Any = None
    expected: str | None = None
    hint: str | None = None


class ProblemsOut(BaseModel):
    """Bad input: every located problem at once (HTTP 422)."""

    problems: list[ProblemOut]


class ReasonOut(BaseModel):
    """Why a request could not be answered, in one line."""

    reason: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ReasonOut, "description": "Host header not accepted"},
    401: {"model": ReasonOut, "description": "Token missing or wrong"},
    403: {"model": ReasonOut, "description": "POST without JSON body or CSRF token"},
    404: {"model": ReasonOut, "description": "No such scenario, version or deal file"},
    409: {"model": ReasonOut, "description": "Name already taken"},
    413: {"model": ReasonOut, "description": "Request body over the cap"},
    422: {"model": ProblemsOut, "description": "Bad input: every problem, located"},
    500: {"model": ReasonOut, "description": "The analysis failed"},
    503: {"model": ReasonOut, "description": "The analysis passed the time limit"},
}
"""The error answers every API route may give (published in /openapi.json)."""
