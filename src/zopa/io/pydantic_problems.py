"""Located problems from pydantic's validation errors, for any file read at the boundary."""

from __future__ import annotations

import difflib
import typing
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from zopa.io.documents import Document, PathKey
    from zopa.io.errors import Problem


def _expected_from(error: Any) -> str | None:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "greater_than_equal":
        return f">= {ctx['ge']:g}"
    if kind == "less_than_equal":
        return f"<= {ctx['le']:g}"
    if kind == "literal_error":
        return f"one of {ctx['expected']}"
    if kind == "string_pattern_mismatch":
        return "letters, digits, '_', '-' or '.', starting with a letter or digit"
    if kind.startswith("string_"):
        return "text"
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return "a date YYYY-MM-DD"
    if kind.startswith("bool"):
        return "true or false"
    if kind.startswith(("list", "tuple")):
        return "a list"
    if kind in {"model_type", "dict_type"}:
        return "a mapping of fields"
    if kind == "value_error" and "too large" in error["msg"]:
        return "a number between -1e12 and 1e12"
    if kind == "value_error" and "number" in error["msg"]:
        return "a number"
    if kind.startswith("int_"):
        return "a whole number"
    if kind == "too_short" and "min_length" in ctx:
        return f"at least {ctx['min_length']} item(s)"
    if kind == "too_long" and "max_length" in ctx:
        return f"at most {ctx['max_length']} item(s)"
    return None


def pydantic_problems(
    doc: Document, exc: ValidationError, prefix: PathKey, model: type[BaseModel]
) -> list[Problem]:
    """Located problems from a pydantic error, for any file format read at the boundary."""
    problems = []
    for error in exc.errors():
        path: PathKey = (*prefix, *error["loc"])
        kind = error["type"]
        if kind == "missing":
            problems.append(doc.problem(path, "missing required field"))
            continue
        if kind == "extra_forbidden":
            name = str(error["loc"][-1])
            allowed = _allowed_fields(model, error["loc"][:-1])
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
            problems.append(doc.problem(path, "unknown field", got=name, hint=hint))
            continue
        message = error["msg"].removeprefix("Value error, ")
        if kind in {"greater_than_equal", "less_than_equal"}:
            message = "value out of range"
        problems.append(
            doc.problem(path, message, got=error.get("input"), expected=_expected_from(error))
        )
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return problems


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    keyed = False  # the next part is the key of a ``dict[str, Model]`` field
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        field = getattr(current, "model_fields", {}).get(part)
        annotation = getattr(field, "annotation", None)
        keyed = typing.get_origin(annotation) is dict
        current = _model_in(typing.get_args(annotation)[-1] if keyed else annotation)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The pydantic model in ``Model``, ``list[Model]`` or ``Model | None``; else None."""
    if isinstance(annotation, type):
        return annotation
    for arg in typing.get_args(annotation):
        inner = _model_in(arg)
        if inner is not None and hasattr(inner, "model_fields"):
            return inner
    return None
