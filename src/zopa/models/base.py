"""The forecasting-model protocol, the forecast result, and the model registry.

Every forecasting model is a class with keyword-only hyperparameters (so that generic
tooling, the CLI's ``--param name=value`` and the web app can list and set them) and one
method, ``forecast(view, *, rng=None, trace=True) -> Forecast``. Models are registered by
name with :func:`register`; built-in models use the same door as third-party ones.

``trace=False`` asks for the outcome only: a model with rounds may then leave out what it
records round by round (``trajectory`` is ``None`` and the per-round diagnostics are
absent), which batched Monte Carlo runs do not need and whose memory grows with draws x
rounds x actors x issues. The outcome and the per-draw diagnostics stay the same numbers.
"""

from __future__ import annotations

import dataclasses
import inspect
import numbers
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast, runtime_checkable

from zopa.frozen import FrozenMap, freeze

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from zopa.arrays import ScenarioArrays


@dataclass(frozen=True, eq=False)
class Forecast:
    """What a model predicts for each issue, per draw.

    Attributes:
        model: Registered name of the model that made the forecast.
        issue_ids: Issue ids, length I.
        outcome: (D, I) the predicted outcome of each issue, per draw.
        trajectory: Optional (D, R, A, I) actor positions by round (round 0 = input);
            ``None`` also when the model ran with ``trace=False``.
        diagnostics: Model-specific extra results (read-only; any mapping given is
            copied into a :class:`~zopa.frozen.FrozenMap`).
    """

    model: str
    issue_ids: tuple[str, ...]
    outcome: NDArray[np.float64]
    trajectory: NDArray[np.float64] | None = None
    diagnostics: Mapping[str, Any] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        object.__setattr__(self, "diagnostics", freeze(self.diagnostics))

    def point(self) -> dict[str, float]:
        """The first draw's outcome as ``{issue id: value}``."""
        return {i: float(v) for i, v in zip(self.issue_ids, self.outcome[0], strict=True)}


@runtime_checkable
class ForecastModel(Protocol):
    """A model that forecasts where a negotiation lands on each issue."""

    name: ClassVar[str]
    citation: ClassVar[str]

    def forecast(
        self,
        view: ScenarioArrays,
        *,
        rng: np.random.Generator | None = None,
        trace: bool = True,
    ) -> Forecast:
        """Forecast every issue for every draw of ``view``.

        Args:
            view: The scenario's arrays, D draws.
            rng: Generator of random models (the caller owns the seed).
            trace: Keep what happens round by round (the trajectory and the per-round
                diagnostics); ``False`` keeps the outcome and the per-draw diagnostics
                only, the same numbers.
        """
        ...


M = TypeVar("M", bound=type)

_REGISTRY: dict[str, type] = {}


def register(cls: M) -> M:
    """Class decorator adding a model to the registry under ``cls.name``."""
    name = cls.name  # type: ignore[attr-defined]
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise ValueError(f"a model named {name!r} is already registered")
    _REGISTRY[name] = cls
    return cls


def available_models() -> tuple[str, ...]:
    """Names of all registered models, in registration order."""
    return tuple(_REGISTRY)


def model_class(name: str) -> type[ForecastModel]:
    """The registered class for ``name``; ``KeyError`` lists the known names."""
    try:
        return cast("type[ForecastModel]", _REGISTRY[name])
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise KeyError(f"unknown model {name!r}; known models: {known}") from None


def model_parameters(name: str) -> dict[str, tuple[Any, str]]:
    """``{parameter: (default, type name)}`` of a registered model's hyperparameters."""
    cls = model_class(name)
    if dataclasses.is_dataclass(cls):
        return {f.name: (f.default, str(f.type)) for f in dataclasses.fields(cls) if f.init}
    sig = inspect.signature(cls)
    return {
        p.name: (p.default, str(p.annotation))
        for p in sig.parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def make_model(name: str, **params: Any) -> ForecastModel:
    """Instantiate a registered model with keyword hyperparameters."""
    cls: Callable[..., ForecastModel] = model_class(name)
    known = model_parameters(name)
    unknown = set(params) - set(known)
    if unknown:
        raise TypeError(
            f"model {name!r} has no parameter(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(known) or 'none'}"
        )
    return cls(**check_parameters(name, params))


class ParameterError(ValueError):
    """Model parameters of the wrong type or outside their choices; lists every one."""

    def __init__(self, model: str, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problems))


def check_parameters(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` checked against the model's annotations, numbers made int or float.

    A parameter annotated ``int`` takes a whole number (``3.0`` becomes ``3``), ``float``
    any real number, ``bool`` only ``True``/``False``, ``Literal[...]`` one of its choices.
    Raises :class:`ParameterError` naming every wrong value, its type and what was expected.
    """
    cls = model_class(name)
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # annotations that cannot be resolved are not checked
        hints = {}
    checked, problems = {}, []
    for key, value in params.items():
        hint = hints.get(key)
        try:
            checked[key] = value if hint is None else _coerce(value, hint)
        except _MismatchError as exc:
            problems.append(f"{key}: got {value!r}, expected {exc.expected}")
    if problems:
        raise ParameterError(name, problems)
    return checked


class _MismatchError(Exception):
    def __init__(self, expected: str) -> None:
        self.expected = expected


def _coerce(value: Any, hint: Any) -> Any:
    """``value`` as the type ``hint`` asks for, or :class:`_MismatchError` saying what it asks."""
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        choices = typing.get_args(hint)
        if any(value == c and type(value) is type(c) for c in choices):
            return value
        raise _MismatchError("one of " + ", ".join(repr(c) for c in choices))
    if origin in (typing.Union, types.UnionType):
        expected = []
        for arm in typing.get_args(hint):
            if arm is type(None):
                if value is None:
                    return None
                expected.append("none")
                continue
            try:
                return _coerce(value, arm)
            except _MismatchError as exc:
                expected.append(exc.expected)
        raise _MismatchError(" or ".join(expected))
    numeric = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise _MismatchError("true or false")
    if hint is int:
        if numeric and float(value).is_integer():
            return int(value)
        raise _MismatchError("a whole number")
    if hint is float:
        if numeric:
            return float(value)
        raise _MismatchError("a number")
    if hint is str:
        if isinstance(value, str):
            return value
        raise _MismatchError("text")
    return value
