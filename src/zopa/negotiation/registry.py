"""Registries of negotiating agents and protocols, built like the forecasting models'.

An agent type or protocol is a frozen, keyword-only dataclass with ``name`` and
``citation`` class variables; :meth:`Registry.register` adds it under its name, and the
service, the command line and the tournaments list and build them only through the
registry. Built-in agents use the same door as any other (a language-model agent
registers itself the same way).
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=type)


class RegistryError(ValueError):
    """An unknown name, or parameters of the wrong name or type (lists every problem)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problems))


class Registry(Generic[T]):
    """Named classes of one kind (``"agent"`` or ``"protocol"``), in registration order."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._classes: dict[str, type] = {}

    def register(self, cls: T) -> T:
        """Class decorator adding ``cls`` under ``cls.name``."""
        name = cls.name  # type: ignore[attr-defined]
        if name in self._classes and self._classes[name] is not cls:
            raise ValueError(f"an {self.kind} named {name!r} is already registered")
        self._classes[name] = cls
        return cls

    def names(self) -> tuple[str, ...]:
        """Registered names, in registration order."""
        return tuple(self._classes)

    def get(self, name: str) -> type:
        """The class registered as ``name``."""
        try:
            return self._classes[name]
        except KeyError:
            known = ", ".join(self._classes)
            raise RegistryError([f"unknown {self.kind} {name!r}; known: {known}"]) from None

    def parameters(self, name: str) -> dict[str, tuple[Any, str]]:
        """``{parameter: (default, type)}`` of a registered class."""
        cls = self.get(name)
        hints = typing.get_type_hints(cls)
        return {
            f.name: (f.default, _type_name(hints.get(f.name, f.type)))
            for f in dataclasses.fields(cls)
            if f.init
        }

    def make(self, name: str, **params: Any) -> Any:
        """An instance of ``name`` with keyword parameters checked against their types."""
        cls = self.get(name)
        hints = typing.get_type_hints(cls)
        known = {f.name for f in dataclasses.fields(cls) if f.init}
        problems: list[str] = []
        checked: dict[str, Any] = {}
        for key, value in params.items():
            if key not in known:
                problems.append(
                    f"{self.kind} {name!r} has no parameter {key!r}; "
                    f"known: {', '.join(sorted(known)) or 'none'}"
                )
                continue
            try:
                checked[key] = _coerce(value, hints.get(key))
            except TypeError as exc:
                problems.append(f"{name}.{key}: got {value!r}, expected {exc}")
        if problems:
            raise RegistryError(problems)
        try:
            return cls(**checked)
        except ValueError as exc:
            raise RegistryError([f"{name}: {exc}"]) from None


def _type_name(hint: Any) -> str:
    if typing.get_origin(hint) is typing.Literal:
        return " | ".join(repr(c) for c in typing.get_args(hint))
    return getattr(hint, "__name__", str(hint))


def _coerce(value: Any, hint: Any) -> Any:
    """``value`` as ``hint`` asks (int, float, bool, str or a Literal); TypeError says what."""
    if hint is None:
        return value
    if typing.get_origin(hint) is typing.Literal:
        choices = typing.get_args(hint)
        if value in choices:
            return value
        raise TypeError("one of " + ", ".join(repr(c) for c in choices))
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise TypeError("true or false")
    if hint is int:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
            return int(value)
        raise TypeError("a whole number")
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise TypeError("a number")
    if hint is str:
        if isinstance(value, str):
            return value
        raise TypeError("text")
    return value
