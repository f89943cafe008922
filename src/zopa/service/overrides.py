"""What if a position moved? A scenario with some of its inputs changed, validated again.

The web app's sliders and notebooks call :func:`with_overrides` to try a change without
saving it: the changed scenario goes through the same checks as a file (scales, red lines,
ranges), and every problem comes back located at the override that caused it
(``stances[0].position``), as :class:`~zopa.service.errors.BadInput`.

Every analysis function takes ``overrides=`` (an :class:`Overrides`: positions,
saliences, capabilities set, actors dropped), applies it to its scenario through
:func:`with_overrides` before running, and its result says which changes it ran with.
Problems are then located at the change, ``overrides[n]``, in the order given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

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
    return _changed(scenario, stances, actors, ())


def _changed(
    scenario: Scenario,
    stances: Sequence[Mapping[str, Any]],
    actors: Sequence[Mapping[str, Any]],
    drop: Sequence[str],
) -> Scenario:
    """:func:`with_overrides`, and ``drop``: actors left out with their stances."""
    from zopa.io import check_data, scenario_to_data

    data = scenario_to_data(scenario)
    problems: list[Problem] = []
    known = {a["id"] for a in data["actors"]}
    for n, actor in enumerate(drop):
        if actor not in known:
            problems.append(
                argument_problem(
                    f"drop[{n}]", "no such actor", got=actor, expected=_one_of(sorted(known))
                )
            )
    gone = set(drop)
    data["actors"] = [a for a in data["actors"] if a["id"] not in gone]
    data["stances"] = [s for s in data["stances"] if s["actor"] not in gone]
    where: dict[tuple[Any, ...], str] = {}
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
            where[("stances", index[key], name)] = f"stances[{n}]"
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
                where[("actors", k, name)] = f"actors[{n}]"
                data["actors"][k][name] = change[name]
    if problems:
        raise BadInput(problems)
    changed, found = check_data(data, "")
    if changed is None:
        raise BadInput([_located(p, where, data) for p in found if p.is_error])
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


def _located(
    problem: Problem, where: Mapping[tuple[Any, ...], str], data: Mapping[str, Any]
) -> Problem:
    """A problem of the changed data, named after the override that caused it.

    A problem of an entry no override changed (it follows from the changes together, such
    as a red line that dropping an actor puts on the wrong side) is located at
    ``overrides``, its message naming the entry. A problem with a field names the
    override that changed that field, else the last
    override of its entry.
    """
    from dataclasses import replace

    head, _, rest = problem.path.partition("]")
    section, _, number = head.partition("[")
    name = None
    if number.isdigit():
        field_name = rest.lstrip(".").split(".")[0].split("[")[0]
        name = where.get((section, int(number), field_name), where.get((section, int(number))))
    if name is None and number.isdigit() and section in ("stances", "actors"):
        entry = data[section][int(number)]
        what = (
            f"{entry['actor']}'s stance on {entry['issue']}"
            if section == "stances"
            else f"actor {entry['id']}"
        )
        field_name = rest.lstrip(".")
        message = f"{what}{', ' + field_name if field_name else ''}: {problem.message}"
        return replace(problem, file="", line=None, path="overrides", message=message)
    path = f"{name}{rest}" if name is not None else problem.path
    return replace(problem, file="", line=None, path=path)


def _one_of(ids: Sequence[str]) -> str:
    return "one of " + ", ".join(ids)


Field = Literal["position", "salience", "capability", "drop"]


@dataclass(frozen=True)
class Override:
    """One what-if change: a position, a salience or a capability set, or an actor dropped.

    Attributes:
        actor: The actor's id.
        field: ``position`` or ``salience`` (of the actor's stance on ``issue``),
            ``capability``, or ``drop`` (the actor leaves the negotiation).
        issue: The issue's id (position and salience only).
        value: The new value (``None`` for ``drop``).
    """

    actor: str
    field: Field
    issue: str | None = None
    value: float | None = None

    def text(self) -> str:
        """The change as written (``UA.territory=40``, ``RU.capability=60``, ``EU dropped``)."""
        if self.field == "drop":
            return f"{self.actor} dropped"
        value = f"{self.value:g}" if self.value is not None else ""
        if self.field == "position":
            return f"{self.actor}.{self.issue}={value}"
        if self.field == "salience":
            return f"{self.actor}.{self.issue}.salience={value}"
        return f"{self.actor}.capability={value}"

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON data, with its text."""
        return {
            "actor": self.actor,
            "field": self.field,
            "issue": self.issue,
            "value": self.value,
            "text": self.text(),
        }


@dataclass(frozen=True)
class Overrides:
    """What-if changes an analysis runs with, in the order given (``overrides[n]``)."""

    changes: tuple[Override, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes)

    def texts(self) -> list[str]:
        """Each change as written (``UA.territory=40``)."""
        return [c.text() for c in self.changes]

    def to_list(self) -> list[dict[str, Any]]:
        """The changes as JSON data (the ``overrides`` field of a result's JSON)."""
        return [c.to_dict() for c in self.changes]

    def apply(self, scenario: Scenario) -> Scenario:
        """``scenario`` with the changes, checked like a file (see :func:`apply_overrides`)."""
        return apply_overrides(scenario, self)


def apply_overrides(scenario: Scenario, overrides: Overrides | None) -> Scenario:
    """``scenario`` with ``overrides`` applied, checked like a file; itself when none.

    Raises:
        BadInput: Every problem, located at the change that caused it (``overrides[n]``,
            ``overrides[n].position``): an unknown actor or issue, a stance the actor
            does not hold, a value off its scale, or a check the changed scenario fails.
    """
    if not overrides:
        return scenario
    problems: list[Problem] = []
    actors = scenario.actor_ids
    stances: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    drop: list[str] = []
    origin: dict[str, str] = {}
    for n, c in enumerate(overrides.changes):
        here = f"overrides[{n}]"
        found = _check(scenario, c, here)
        if found:
            problems += found
            continue
        if c.field == "drop":
            origin[f"drop[{len(drop)}]"] = here
            drop.append(c.actor)
        elif c.field == "capability":
            origin[f"actors[{len(changed)}]"] = here
            changed.append({"actor": c.actor, "capability": c.value})
        else:
            origin[f"stances[{len(stances)}]"] = here
            stances.append({"actor": c.actor, "issue": c.issue, c.field: c.value})
    dropped = {c.actor for c in overrides.changes if c.field == "drop"}
    for n, c in enumerate(overrides.changes):
        if c.field != "drop" and c.actor in dropped and c.actor in actors:
            problems.append(
                argument_problem(
                    f"overrides[{n}]",
                    f"{c.actor} is dropped, so nothing of it can be set",
                    got=c.text(),
                    expected="a change to an actor that stays",
                )
            )
    if dropped >= set(actors):
        last = max(n for n, c in enumerate(overrides.changes) if c.field == "drop")
        problems.append(
            argument_problem(
                f"overrides[{last}]",
                "every actor would be dropped",
                expected="at least one actor left in the negotiation",
            )
        )
    if problems:
        raise BadInput(problems)
    try:
        return _changed(scenario, stances, changed, drop)
    except BadInput as exc:
        raise BadInput([_renamed(p, origin) for p in exc.problems]) from None


def _check(scenario: Scenario, c: Override, here: str) -> list[Problem]:
    """The problems of one change that need no changed scenario to see."""
    actors, issues = scenario.actor_ids, scenario.issue_ids
    found: list[Problem] = []
    if c.actor not in actors:
        found.append(argument_problem(here, "no such actor", got=c.actor, expected=_one_of(actors)))
    if c.field in ("position", "salience") and c.issue not in issues:
        found.append(argument_problem(here, "no such issue", got=c.issue, expected=_one_of(issues)))
    if found or c.field == "drop":
        return found
    value = c.value
    if value is None or not math.isfinite(value):
        return [
            argument_problem(f"{here}.{c.field}", "not a number", got=value, expected="a number")
        ]
    if c.field == "capability":
        if value < 0:
            found.append(
                argument_problem(f"{here}.capability", "out of range", got=value, expected=">= 0")
            )
        return found
    assert c.issue is not None
    if scenario.stance(c.actor, c.issue) is None:
        holders = [s.actor for s in scenario.stances if s.issue == c.issue]
        return [
            argument_problem(
                here,
                f"{c.actor} holds no stance on {c.issue}",
                got=c.text(),
                expected=f"an actor with a stance on {c.issue}: {', '.join(holders)}",
            )
        ]
    if c.field == "salience" and not 0 <= value <= 1:
        found.append(
            argument_problem(f"{here}.salience", "out of range", got=value, expected="0..1")
        )
    if c.field == "position":
        scale = scenario.issue(c.issue).scale
        if not scale.min <= value <= scale.max:
            found.append(
                argument_problem(
                    f"{here}.position",
                    "off the issue's scale",
                    got=value,
                    expected=f"{scale.min:g}..{scale.max:g}, the scale of {c.issue}",
                )
            )
    return found


def _renamed(problem: Problem, origin: Mapping[str, str]) -> Problem:
    """A problem at ``stances[k]``/``actors[k]``/``drop[k]`` named after its change."""
    from dataclasses import replace

    head, sep, rest = problem.path.partition("]")
    name = origin.get(head + sep) if sep else None
    return problem if name is None else replace(problem, path=f"{name}{rest}")
