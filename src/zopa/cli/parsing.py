"""Options given as text on the command line, parsed into the service's arguments."""

from __future__ import annotations

from typing import Any

from zopa.cli.common import fail_all


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
