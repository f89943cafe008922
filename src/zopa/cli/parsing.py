"""Options given as text on the command line, parsed into the service's arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.common import fail_all

if TYPE_CHECKING:
    from zopa.service.overrides import Overrides


def _parse_value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_params(items: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` / ``MODEL.NAME=VALUE`` items as ``{key: value}`` (exit 2 if malformed).

    Values read as booleans, whole numbers or numbers where they can; the service checks
    them against each model's parameters.
    """
    params: dict[str, Any] = {}
    bad = []
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            bad.append(f"--param {item!r}: expected NAME=VALUE or MODEL.NAME=VALUE")
            continue
        params[key] = _parse_value(raw)
    fail_all(bad)
    return params


def parse_tables(items: list[str]) -> dict[str, list[str]]:
    """``NAME=ID,ID,...`` items into ``{name: [ids]}`` (exit 2 naming every malformed item).

    Which ids are actors of the scenario is the service's check.
    """
    out: dict[str, list[str]] = {}
    problems = []
    for item in items:
        name, sep, ids = item.partition("=")
        members = [m.strip() for m in ids.split(",") if m.strip()]
        if not sep or not name.strip() or not members:
            problems.append(f"--table {item!r}: expected NAME=ID,ID,... (e.g. bilateral=US,RU)")
            continue
        if name.strip() in out:
            problems.append(f"--table {item!r}: table {name.strip()!r} given twice")
        out[name.strip()] = members
    fail_all(problems)
    return out


SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="ACTOR.ISSUE=POSITION",
        help="What if: set a position (ACTOR.ISSUE=POSITION), a salience "
        "(ACTOR.ISSUE.salience=S) or a capability (ACTOR.capability=C); repeatable.",
        show_default=False,
    ),
]
DropOption = Annotated[
    list[str] | None,
    typer.Option(
        "--drop",
        metavar="ACTOR",
        help="What if: leave this actor out, with its stances; repeatable.",
        show_default=False,
    ),
]


def parse_overrides(
    sets: list[str] | None, drops: list[str] | None
) -> tuple[Overrides | None, dict[str, str]]:
    """``--set``/``--drop`` items as the service's overrides, and the option behind each.

    Exits 2 naming every malformed item. Whether the actors, issues and values exist and
    lie on their scales is the service's check, located at ``overrides[n]``; the returned
    mapping names the option for each (``{"overrides[0]": "--set UA.territory=40"}``).
    """
    from zopa.service.overrides import Override, Overrides

    changes: list[Override] = []
    flags: dict[str, str] = {}
    bad = []
    for item in sets or []:
        key, sep, raw = item.partition("=")
        parts = key.strip().split(".")
        value = _number(raw)
        if not sep or not all(parts) or len(parts) not in (2, 3):
            bad.append(
                f"--set {item!r}: expected ACTOR.ISSUE=POSITION, ACTOR.ISSUE.salience=S or "
                "ACTOR.capability=C (e.g. UA.territory=40)"
            )
            continue
        if len(parts) == 3 and parts[2] != "salience":
            bad.append(
                f"--set {item!r}: unknown field {parts[2]!r} (expected salience, as in "
                "UA.territory.salience=0.8)"
            )
            continue
        if value is None:
            bad.append(f"--set {item!r}: {raw!r} is not a number (expected e.g. {key}=40)")
            continue
        if len(parts) == 3:
            change = Override(parts[0], "salience", parts[1], value)
        elif parts[1] == "capability":
            change = Override(parts[0], "capability", None, value)
        else:
            change = Override(parts[0], "position", parts[1], value)
        flags[f"overrides[{len(changes)}]"] = f"--set {item}"
        changes.append(change)
    for actor in drops or []:
        if not actor.strip():
            bad.append("--drop '': expected an actor id (e.g. --drop EU)")
            continue
        flags[f"overrides[{len(changes)}]"] = f"--drop {actor}"
        changes.append(Override(actor.strip(), "drop"))
    fail_all(bad)
    if changes:
        flags["overrides"] = "with " + " ".join(
            f"--drop {c.actor}" if c.field == "drop" else f"--set {item}"
            for c, item in zip(changes, [*(sets or []), *(drops or [])], strict=False)
        )
    return (Overrides(tuple(changes)) if changes else None), flags


def _number(text: str) -> float | None:
    """A finite number, or ``None``."""
    import math

    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
