"""Choosing models and their parameters, checked against the registry, every problem at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zopa.service.errors import BadInput, argument_problem

ROUND_PARAMETERS = ("rounds", "max_rounds", "max_turns")
"""Names under which models with rounds take their round limit (the first one found)."""


def resolve_models(names: Sequence[str] | None) -> list[str]:
    """The models to run: every registered one for ``None``, ``[]`` or ``"all"``.

    Raises:
        BadInput: A name is not registered (every unknown name is listed).
    """
    from zopa.models import available_models, model_class

    if not names or "all" in names:
        return list(available_models())
    problems = []
    for name in names:
        try:
            model_class(name)
        except KeyError:
            problems.append(
                argument_problem(
                    "models",
                    f"unknown model {name!r}",
                    expected=f"one of {', '.join(available_models())}",
                )
            )
    if problems:
        raise BadInput(problems)
    return list(dict.fromkeys(names))


def model_settings(
    params: Mapping[str, Any] | None, models: Sequence[str], *, rounds: int | None = None
) -> dict[str, dict[str, Any]]:
    """Per-model keyword parameters from ``{"name": v}`` / ``{"model.name": v}`` entries.

    A plain ``name`` applies to every model in ``models`` that has such a parameter;
    ``model.name`` to that model only; a model's name with a mapping gives several at
    once (``{"eum": {"max_rounds": 3}}``). ``rounds`` sets the round limit of every model
    with rounds (unless given explicitly). Values are checked against each model's
    annotations.

    Raises:
        BadInput: Every unknown parameter, model, wrong value, and a ``rounds`` that no
            model takes, at once.
    """
    from zopa.models import model_parameters
    from zopa.models.base import ParameterError, check_parameters

    per_model: dict[str, dict[str, Any]] = {m: {} for m in models}
    problems = []
    flat: list[tuple[str, Any]] = []
    for key, value in (params or {}).items():
        if key in per_model and isinstance(value, Mapping):
            flat += [(f"{key}.{k}", v) for k, v in value.items()]
        else:
            flat.append((key, value))
    for key, value in flat:
        target, dot, name = key.rpartition(".")
        if dot and target not in per_model:
            problems.append(
                argument_problem(
                    "params",
                    f"model {target!r} is not among those run ({', '.join(models)})",
                    got=f"{key}={value}",
                )
            )
            continue
        targets = [target] if dot else list(models)
        applied = False
        for model in targets:
            if name in model_parameters(model):
                per_model[model][name] = value
                applied = True
        if not applied:
            known = {m: ", ".join(model_parameters(m)) or "none" for m in targets}
            listing = "; ".join(f"{m}: {k}" for m, k in known.items())
            problems.append(
                argument_problem(
                    "params",
                    f"no such parameter (parameters: {listing})",
                    got=f"{key}={value}",
                )
            )
    for model, given in per_model.items():
        try:
            per_model[model] = check_parameters(model, given)
        except ParameterError as exc:
            problems += [argument_problem("params", f"{model}.{p}") for p in exc.problems]
    if rounds is not None:
        problems += _apply_rounds(rounds, per_model)
    if problems:
        raise BadInput(problems)
    return per_model


def _apply_rounds(rounds: int, per_model: dict[str, dict[str, Any]]) -> list[Any]:
    from zopa.models import model_parameters

    applied = False
    for name, given in per_model.items():
        known = model_parameters(name)
        for parameter in ROUND_PARAMETERS:
            if parameter in known:
                given.setdefault(parameter, rounds)
                applied = True
                break
    if applied:
        return []
    return [
        argument_problem(
            "rounds", f"none of the models run ({', '.join(per_model)}) has rounds", got=rounds
        )
    ]
