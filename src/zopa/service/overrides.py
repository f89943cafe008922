"""What if a position moved? A scenario with some of its inputs changed, validated again.

The web app's sliders and notebooks call :func:`with_overrides` to try a change without
saving it: the changed scenario goes through the same checks as a file (scales, red lines,
ranges), and every problem comes back located at the override that caused it
(``stances[0].position``), as :class:`~zopa.service.errors.BadInput`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zopa.service.errors import BadInput, argument_problem

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from zopa.io.errors import Problem
    from zopa.scenario import Scenario

STANCE_FIELDS = ("position", "salience", "red_line")
"""The fields of a stance an override may change (``red_line``: ``None`` removes it)."""

ACTOR_FIELDS = ("capability", "veto")
"""The fields of an actor an override may change."""


def with_overrides(
    scenario: Scenario,
    *,
    stances: Sequence[Mapping[str, Any]] = (),
    actors: Sequence[Mapping[str, Any]] = (),
) -> Scenario:
    """``scenario`` with some stances and actors changed, checked like a file.

    A moved position keeps its analyst's range around it: the range shifts with the
    position (clipped to the issue's scale), so the Monte Carlo draws stay as wide as the
    file says.

    Args:
        scenario: The scenario to start from (left unchanged).
        stances: Changes to stances, each ``{"actor": id, "issue": id}`` with any of
            ``position``, ``salience``, ``red_line``.
        actors: Changes to actors, each ``{"actor": id}`` with ``capability`` or ``veto``.

    Raises:
        BadInput: An override names an unknown stance, actor or field, or the changed
            scenario fails a check (located at the override, e.g. ``stances[0].position``).
    """
    from zopa.io import check_data, scenario_to_data

    data = scenario_to_data(scenario)
    problems: list[Problem] = []
    where: dict[tuple[str, int], str] = {}
    index = {(s["actor"], s["issue"]): k for k, s in enumerate(data["stances"])}
    scales = {i.id: (i.scale.min, i.scale.max) for i in scenario.issues}
    for n, change in enumerate(stances):
        key = (change.get("actor"), change.get("issue"))
        unknown = sorted(set(change) - {"actor", "issue", *STANCE_FIELDS})
        if unknown:
            problems.append(
                argument_problem(
                    f"stances[{n}]",
                    f"unknown field(s) {', '.join(unknown)}",
                    expected=", ".join(STANCE_FIELDS),
                )
            )
        if key not in index:
            problems.append(
                argument_problem(
                    f"stances[{n}]",
                    "no such stance in the scenario",
                    got=f"{key[0]} on {key[1]}",
                    expected="an actor id and an issue id of a stance the scenario holds",
                )
            )
            continue
        entry = data["stances"][index[key]]
        where[("stances", index[key])] = f"stances[{n}]"
        for name in STANCE_FIELDS:
            if name not in change:
                continue
            value = change[name]
            if name == "red_line" and value is None:
                entry.pop("red_line", None)
                continue
            scale = scales[str(key[1])]
            if name == "position" and "range" in entry and _on(value, scale):
                entry["range"] = _shifted(entry, float(value), scale)
            entry[name] = value
    actor_index = {a["id"]: k for k, a in enumerate(data["actors"])}
    for n, change in enumerate(actors):
        unknown = sorted(set(change) - {"actor", *ACTOR_FIELDS})
        if unknown or change.get("actor") not in actor_index:
            problems.append(
                argument_problem(
                    f"actors[{n}]",
                    f"unknown field(s) {', '.join(unknown)}" if unknown else "no such actor",
                    got=None if unknown else change.get("actor"),
                    expected=", ".join(ACTOR_FIELDS) if unknown else "an actor id",
                )
            )
            continue
        k = actor_index[change["actor"]]
        where[("actors", k)] = f"actors[{n}]"
        for name in ACTOR_FIELDS:
            if name in change:
                data["actors"][k][name] = change[name]
    if problems:
        raise BadInput(problems)
    changed, found = check_data(data, "")
    if changed is None:
        raise BadInput([_located(p, where) for p in found if p.is_error])
    return changed


def _on(value: object, scale: tuple[float, float]) -> bool:
    """Whether ``value`` is a number on the scale (else the checks report it)."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return number and scale[0] <= float(value) <= scale[1]  # type: ignore[arg-type]


def _shifted(entry: Mapping[str, Any], position: float, scale: tuple[float, float]) -> list[float]:
    """The stance's range moved with its position, clipped to the scale."""
    low, high = (float(x) for x in entry["range"])
    delta = position - float(entry["position"])
    return [max(scale[0], min(low + delta, position)), min(scale[1], max(high + delta, position))]


def _located(problem: Problem, where: Mapping[tuple[str, int], str]) -> Problem:
    """A problem of the changed data, named after the override that caused it."""
    from dataclasses import replace

    head, _, rest = problem.path.partition("]")
    section, _, number = head.partition("[")
    name = where.get((section, int(number))) if number.isdigit() else None
    path = f"{name}{rest}" if name is not None else problem.path
    return replace(problem, file="", line=None, path=path)
