"""The scenario file format (version 1) as pydantic models.

These models check each field on its own (types, required and unknown fields, simple
bounds). Checks that relate fields to each other live in :mod:`zopa.io.validate`. The
JSON Schema published in ``schema/scenario.schema.json`` is generated from
:class:`ScenarioFile`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

FORMAT_VERSION = 1

MAX_MAGNITUDE = 1e12
"""Largest magnitude of any number in a scenario or deal file.

Far above any capability, scale or position an analyst writes, and far enough below the
largest float that no model's products and sums of such numbers overflow.
"""


NUMBER_TOO_LARGE = "number too large"
"""The message of a number beyond :data:`MAX_MAGNITUDE`."""


def _number(value: Any) -> Any:
    """Accept ints and floats only: no booleans, no numeric strings, no NaN/inf, no giants."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number")
    try:
        out = float(value)  # an integer literal wider than a float raises here
    except OverflowError:
        out = math.inf
    if math.isnan(out):
        raise ValueError("must be a finite number")
    if not abs(out) <= MAX_MAGNITUDE:
        raise ValueError(NUMBER_TOO_LARGE)
    return out


def _anchor_value(value: Any) -> Any:
    """An anchor's value: a number, or its text (JSON keys are always text)."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ValueError("must be a number") from None
    return _number(value)


def _no_nul(value: Any) -> Any:
    """Text (or a list of texts) without NUL characters, which no file format can carry."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(t, str) and "\x00" in t for t in texts):
        raise ValueError("must not contain a NUL character (\\x00)")
    return value


Number = Annotated[float, BeforeValidator(_number)]
AnchorValue = Annotated[float, BeforeValidator(_anchor_value)]
Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        max_length=64,
        description="Letters, digits, '_', '-' or '.', starting with a letter or digit.",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    _text_without_nul = field_validator("*", mode="after")(_no_nul)


class SourceEntry(_Strict):
    """A document that numbers in the scenario rest on."""

    id: Id = Field(description="Unique id, cited from stances as `sources: [id]`.")
    title: str = Field(min_length=1, description="Title of the document.")
    url: str | None = Field(None, description="Where to find it.")
    date: dt.date | None = Field(None, description="Publication date (YYYY-MM-DD).")
    publisher: str | None = Field(None, description="Publisher or outlet.")


class ActorEntry(_Strict):
    """A party to the negotiation."""

    id: Id = Field(description="Unique id, used in stances.")
    name: str = Field(min_length=1, description="Human-readable name.")
    capability: Number = Field(ge=0, description="Relative power or influence, >= 0.")
    veto: bool = Field(False, description="True if no agreement is possible without this actor.")
    groups: list[str] = Field(default_factory=list, description="Labels such as EU, E3, NATO.")
    notes: str | None = Field(None, description="Free text: how the numbers were set.")


class ScaleEntry(_Strict):
    """The interval of possible outcomes of an issue."""

    min: Number = Field(0.0, description="Lower end of the scale.")
    max: Number = Field(100.0, description="Upper end of the scale.")


class IssueEntry(_Strict):
    """One dimension of the negotiation."""

    id: Id = Field(description="Unique id, used in stances.")
    name: str = Field(min_length=1, description="Human-readable name.")
    description: str | None = Field(None, description="Free text.")
    scale: ScaleEntry = Field(
        default_factory=ScaleEntry, description="Scale of the issue (default 0..100)."
    )
    anchors: dict[AnchorValue, str] = Field(
        default_factory=dict, description="What points on the scale mean, keyed by value."
    )
    status_quo: Number | None = Field(
        None, description="The no-agreement point (for a war: where continued fighting leaves it)."
    )
    outcome: Number | None = Field(
        None, description="The observed outcome where known (used by backtests)."
    )


class StanceEntry(_Strict):
    """An actor's stance on an issue."""

    actor: str = Field(description="Actor id.")
    issue: str = Field(description="Issue id.")
    position: Number = Field(description="Preferred value on the issue's scale.")
    salience: Number = Field(ge=0, le=1, description="How much the issue matters, 0..1.")
    red_line: Number | None = Field(
        None, description="Worst acceptable value, on the far side from the position."
    )
    range: tuple[Number, Number] | None = Field(
        None, description="The analyst's uncertainty on the position: [low, high]."
    )
    sources: list[str] = Field(default_factory=list, description="Ids of the sources cited.")
    confidence: Literal["low", "medium", "high"] | None = Field(
        None, description="The analyst's confidence in this stance."
    )
    notes: str | None = Field(None, description="Free text: what is inferred, and how.")


class ScenarioFile(_Strict):
    """A scenario file: who negotiates about what, wanting what, on whose word."""

    zopa: Literal[1] = Field(description="Format version; currently 1.")
    title: str = Field(min_length=1, description="Title of the scenario.")
    as_of: dt.date | None = Field(None, description="Date the scenario describes (YYYY-MM-DD).")
    description: str | None = Field(None, description="Free text.")
    sources: list[SourceEntry] = Field(default_factory=list, description="Cited documents.")
    actors: list[ActorEntry] = Field(description="The parties.")
    issues: list[IssueEntry] = Field(description="The issues.")
    stances: list[StanceEntry] = Field(description="Each actor's stance on each issue.")


SECTION_MODELS: dict[str, type[_Strict]] = {
    "sources": SourceEntry,
    "actors": ActorEntry,
    "issues": IssueEntry,
    "stances": StanceEntry,
}


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format, generated from the models."""
    schema = ScenarioFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://zopa.invalid/schema/scenario-1.json"
    return schema
