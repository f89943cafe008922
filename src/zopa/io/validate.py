"""Validate a parsed scenario document and build the core :class:`~zopa.scenario.Scenario`.

Every problem is collected, none stops the check early: a section is checked in one
call and, when it has an error, entry by entry, so one bad stance does not hide the
problems of the others; the checks that relate fields (references, scales, red lines)
run over every entry that passed its own. Pydantic's errors become located problems in
:mod:`zopa.io.pydantic_problems`.
"""

from __future__ import annotations

import bisect
import difflib
import functools
from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from zopa.io.pydantic_problems import pydantic_problems
from zopa.io.schema import (
    SECTION_MODELS,
    ActorEntry,
    IssueEntry,
    ScenarioFile,
    SourceEntry,
    StanceEntry,
)
from zopa.scenario import Actor, Confidence, Issue, Scale, Scenario, Source, Stance

if TYPE_CHECKING:
    from zopa.io.documents import Document, PathKey
    from zopa.io.errors import Problem

_TOP_FIELDS = set(ScenarioFile.model_fields)


@functools.cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if not info.metadata:
        return TypeAdapter(annotation)
    return TypeAdapter(Annotated[annotation, *info.metadata])


def _partial(model: type[BaseModel], raw: object) -> Any:
    """What of an entry that failed its checks can still be checked against the others.

    Each field is checked on its own: a valid one keeps its value, an invalid one becomes
    ``None`` (the cross-field checks then pass over it), a missing required one is absent.
    Such an entry is never built into a scenario: the file has an error already.
    """
    values: dict[str, Any] = {}
    if isinstance(raw, dict):
        for name in model.model_fields:
            if name in raw:
                try:
                    values[name] = _field_adapter(model, name).validate_python(raw[name])
                except ValidationError:
                    values[name] = None
    return model.model_construct(**values)


@dataclass
class _Entries:
    """Entries that passed their own checks (``partial`` adds those that did not)."""

    sources: list[tuple[int, SourceEntry]]
    actors: list[tuple[int, ActorEntry]]
    issues: list[tuple[int, IssueEntry]]
    stances: list[tuple[int, StanceEntry]]
    partial_issues: list[tuple[int, IssueEntry]]
    partial_stances: list[tuple[int, StanceEntry]]

    @property
    def checkable_issues(self) -> list[tuple[int, IssueEntry]]:
        """Every issue whose fields can be checked against others, in file order."""
        return sorted(self.issues + self.partial_issues, key=lambda pair: pair[0])

    @property
    def checkable_stances(self) -> list[tuple[int, StanceEntry]]:
        """Every stance whose fields can be checked against others, in file order."""
        return sorted(self.stances + self.partial_stances, key=lambda pair: pair[0])


def _check_top(doc: Document) -> tuple[dict[str, Any], _Entries | None, list[Problem]]:
    problems: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict):
        got = type(data).__name__
        return {}, None, [doc.problem((), "a scenario must be a mapping", got=got)]
    for key in data:
        if key not in _TOP_FIELDS:
            close = difflib.get_close_matches(str(key), sorted(_TOP_FIELDS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(_TOP_FIELDS)}"
            problems.append(doc.problem((str(key),), "unknown field", got=str(key), hint=hint))
    head = {k: v for k, v in data.items() if k in {"zopa", "title", "as_of", "description"}}
    head.update({"actors": [], "issues": [], "stances": []})
    try:
        checked = ScenarioFile.model_validate(head)
        head.update(as_of=checked.as_of, title=checked.title, description=checked.description)
    except ValidationError as exc:
        problems += pydantic_problems(doc, exc, (), ScenarioFile)
    if "zopa" not in data:
        problems[:] = [p for p in problems if p.path != "zopa"]
        problems.append(
            doc.problem(("zopa",), "missing required field", hint="start the file with `zopa: 1`")
        )
    entries: dict[str, list[tuple[int, Any]]] = {"partial_issues": [], "partial_stances": []}
    for section, model in SECTION_MODELS.items():
        entries[section] = []
        raw = data.get(section)
        if raw is None:
            if section != "sources":
                problems.append(doc.problem((section,), "missing required field"))
            continue
        if not isinstance(raw, list):
            problems.append(
                doc.problem((section,), "must be a list", got=type(raw).__name__, expected="a list")
            )
            continue
        try:  # one call for the whole list; each entry on its own only when one is wrong
            entries[section] = list(enumerate(_list_adapter(model).validate_python(raw)))
            continue
        except ValidationError:
            pass
        for k, item in enumerate(raw):
            try:
                entries[section].append((k, model.model_validate(item)))
            except ValidationError as exc:
                problems += pydantic_problems(doc, exc, (section, k), model)
                if section in ("issues", "stances"):
                    entries[f"partial_{section}"].append((k, _partial(model, item)))
    return head, _Entries(**entries), problems


def _raw_items(doc: Document, section: str) -> list[tuple[int, dict[str, Any]]]:
    raw = doc.data.get(section) if isinstance(doc.data, dict) else None
    if not isinstance(raw, list):
        return []
    return [(k, item) for k, item in enumerate(raw) if isinstance(item, dict)]


def _raw_ids(doc: Document, section: str) -> list[tuple[int, str]]:
    return [
        (k, item["id"]) for k, item in _raw_items(doc, section) if isinstance(item.get("id"), str)
    ]


def _duplicates(doc: Document, section: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for k, ident in _raw_ids(doc, section):
        if ident in seen:
            first = doc.line((section, seen[ident]))
            problems.append(
                doc.problem(
                    (section, k, "id"),
                    f"duplicate {section[:-1]} id",
                    got=ident,
                    expected="a unique id",
                    hint=f"first used on line {first}",
                )
            )
        else:
            seen[ident] = k
    return problems


def _unknown(doc: Document, path: PathKey, kind: str, value: str, known: set[str]) -> Problem:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"define it under `{kind}s:` first"
    article = "an" if kind[0] in "aeiou" else "a"
    return doc.problem(
        path, f"unknown {kind}", got=value, expected=f"{article} {kind} id", hint=hint
    )


def _check_issues(doc: Document, issues: list[tuple[int, IssueEntry]]) -> list[Problem]:
    problems = []
    for k, issue in issues:
        if getattr(issue, "scale", None) is None:
            continue  # reported with the issue's own problems
        lo, hi = issue.scale.min, issue.scale.max
        if lo >= hi:
            problems.append(
                doc.problem(
                    ("issues", k, "scale"),
                    "scale min must be below max",
                    got=f"min {lo:g}, max {hi:g}",
                    expected="min < max",
                )
            )
            continue
        expect = f"a value in [{lo:g}, {hi:g}]"
        for field in ("status_quo", "outcome"):
            value = getattr(issue, field, None)
            if value is not None and not lo <= value <= hi:
                problems.append(
                    doc.problem(
                        ("issues", k, field),
                        "outside the issue's scale",
                        got=value,
                        expected=expect,
                    )
                )
        for value in getattr(issue, "anchors", None) or {}:
            if not lo <= value <= hi:
                problems.append(
                    doc.problem(
                        ("issues", k, "anchors", str(value)),
                        "anchor outside the issue's scale",
                        got=value,
                        expected=expect,
                    )
                )
    return problems


def _check_references(doc: Document) -> list[Problem]:
    """Stances must name known actors, issues and sources (checked on the raw entries)."""
    problems: list[Problem] = []
    known = {sec: {i for _, i in _raw_ids(doc, sec)} for sec in ("actors", "issues", "sources")}
    for k, raw in _raw_items(doc, "stances"):
        for field, section in (("actor", "actors"), ("issue", "issues")):
            value = raw.get(field)
            if isinstance(value, str) and value not in known[section]:
                problems.append(_unknown(doc, ("stances", k, field), field, value, known[section]))
        cited = raw.get("sources")
        if isinstance(cited, list):
            for j, src in enumerate(cited):
                if isinstance(src, str) and src not in known["sources"]:
                    problems.append(
                        _unknown(doc, ("stances", k, "sources", j), "source", src, known["sources"])
                    )
    return problems


class _Positions:
    """Every stance's position on each issue, sorted, to tell where the others stand."""

    def __init__(self, stances: list[tuple[int, StanceEntry]]) -> None:
        by_issue: dict[str, list[float]] = defaultdict(list)
        self._own: dict[tuple[str, str], list[float]] = defaultdict(list)
        for _, s in stances:
            if not _has(s, "actor", "issue", "position"):
                continue
            by_issue[s.issue].append(s.position)
            self._own[s.issue, s.actor].append(s.position)
        self._sorted = {issue: sorted(positions) for issue, positions in by_issue.items()}

    def side_of_others(self, issue: str, actor: str, position: float) -> str | None:
        """Where the other actors' positions on ``issue`` lie, seen from ``position``.

        Returns:
            ``"above"`` when every position of another actor that differs from
            ``position`` lies above it, ``"below"`` when every one lies below, ``None``
            when they lie on both sides or there is none.
        """
        ordered = self._sorted.get(issue, [])
        below = bisect.bisect_left(ordered, position)
        above = len(ordered) - bisect.bisect_right(ordered, position)
        for own in self._own[issue, actor]:  # the actor's own stances are not the others'
            if own < position:
                below -= 1
            elif own > position:
                above -= 1
        if above and not below:
            return "above"
        if below and not above:
            return "below"
        return None


def _has(entry: Any, *fields: str) -> bool:
    """Whether ``entry`` has a checked value for each field (a partial entry may not)."""
    return all(getattr(entry, f, None) is not None for f in fields)


def _duplicate_stances(doc: Document) -> list[Problem]:
    """A second stance of one actor on one issue (checked on the raw entries)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for k, raw in _raw_items(doc, "stances"):
        actor, issue = raw.get("actor"), raw.get("issue")
        if not (isinstance(actor, str) and isinstance(issue, str)):
            continue
        if (actor, issue) in seen:
            problems.append(
                doc.problem(
                    ("stances", k),
                    f"second stance of {actor} on {issue}",
                    expected="one stance per actor and issue",
                    hint=f"the first is on line {doc.line(('stances', seen[actor, issue]))}",
                )
            )
        else:
            seen[actor, issue] = k
    return problems


def _check_stances(doc: Document, e: _Entries) -> list[Problem]:
    problems: list[Problem] = _duplicate_stances(doc)
    issues = {i.id: i for _, i in e.checkable_issues if _has(i, "id")}
    stances = e.checkable_stances
    positions = _Positions(stances)
    for k, s in stances:
        path: PathKey = ("stances", k)
        if getattr(s, "sources", None) == [] and _has(s, "actor", "issue"):
            problems.append(
                doc.problem(
                    (*path, "sources"),
                    f"stance of {s.actor} on {s.issue} cites no source",
                    severity="warning",
                    hint="add `sources: [id]` naming where the position comes from",
                )
            )
        issue = issues.get(getattr(s, "issue", None) or "")
        if issue is None or getattr(issue, "scale", None) is None:
            continue
        if issue.scale.min >= issue.scale.max:
            continue
        problems += _check_stance_values(doc, path, s, issue, positions)
    return problems


def _check_stance_values(
    doc: Document,
    path: PathKey,
    s: StanceEntry,
    issue: IssueEntry,
    positions: _Positions,
) -> list[Problem]:
    problems = []
    lo, hi = issue.scale.min, issue.scale.max
    position = getattr(s, "position", None)
    for field, value in (("position", position), ("red_line", getattr(s, "red_line", None))):
        if value is not None and not lo <= value <= hi:
            problems.append(
                doc.problem(
                    (*path, field),
                    "outside the issue's scale",
                    got=value,
                    expected=f"a value in [{lo:g}, {hi:g}] (scale of {issue.id})",
                )
            )
    span: tuple[float, float] | None = getattr(s, "range", None)
    if span is not None:
        low, high = span
        if not (lo <= low <= hi and lo <= high <= hi):
            problems.append(
                doc.problem(
                    (*path, "range"),
                    "outside the issue's scale",
                    got=list(span),
                    expected=f"a value in [{lo:g}, {hi:g}] (scale of {issue.id})",
                )
            )
        elif low > high:
            problems.append(
                doc.problem(
                    (*path, "range"),
                    "range is reversed",
                    got=list(span),
                    expected="[low, high] with low <= high",
                )
            )
        elif position is not None and not low <= position <= high:
            problems.append(
                doc.problem(
                    (*path, "range"),
                    "range does not contain the position",
                    got=list(span),
                    expected=f"low <= {s.position:g} <= high",
                )
            )
    r = getattr(s, "red_line", None)
    if r is not None and position is not None and _has(s, "actor") and r != position:
        side = positions.side_of_others(s.issue, s.actor, s.position)
        if (side == "above" and r < s.position) or (side == "below" and r > s.position):
            problems.append(
                doc.problem(
                    (*path, "red_line"),
                    "red line on the wrong side of the position",
                    got=r,
                    expected=f"a value {side} the position {s.position:g}",
                    hint=(
                        "a red line is the worst value the actor accepts: it lies between its "
                        f"position and the other actors' positions, all {side} {s.position:g}"
                    ),
                )
            )
    return problems


def _check_coverage(doc: Document, e: _Entries) -> list[Problem]:
    problems = []
    for section in ("actors", "issues"):
        # entries that failed their own checks are reported there, not as "no issues" too
        raw = doc.data.get(section) if isinstance(doc.data, dict) else None
        if not raw:
            problems.append(
                doc.problem(
                    (section,),
                    f"the scenario has no {section}",
                    expected=f"at least one entry under `{section}:`",
                )
            )
    if not e.stances and e.actors and e.issues:
        problems.append(
            doc.problem(("stances",), "the scenario has no stances", expected="at least one")
        )
    raw_stances = [raw for _, raw in _raw_items(doc, "stances")]
    with_actor = {raw.get("actor") for raw in raw_stances if isinstance(raw.get("actor"), str)}
    with_issue = {raw.get("issue") for raw in raw_stances if isinstance(raw.get("issue"), str)}
    for k, a in e.actors:
        if a.id not in with_actor and e.stances:
            problems.append(
                doc.problem(
                    ("actors", k),
                    f"actor {a.id} holds no stance on any issue",
                    severity="warning",
                    hint="it will have no influence on any forecast",
                )
            )
    for k, i in e.issues:
        if i.id not in with_issue and e.stances:
            problems.append(
                doc.problem(
                    ("issues", k),
                    f"issue {i.id} has no stances",
                    severity="warning",
                    hint="no model can forecast it",
                )
            )
    if e.actors and all(a.capability == 0 for _, a in e.actors):
        problems.append(
            doc.problem(
                ("actors",),
                "every actor has capability 0",
                severity="warning",
                hint="positions are weighed by capability: no weighted model can forecast",
            )
        )
    saliences = defaultdict(list)
    for _, st in e.stances:
        saliences[st.issue].append(st.salience)
    for k, i in e.issues:
        if saliences[i.id] and not any(saliences[i.id]):
            problems.append(
                doc.problem(
                    ("issues", k),
                    f"every stance on issue {i.id} has salience 0",
                    severity="warning",
                    hint="positions are weighed by salience: no weighted model can forecast it",
                )
            )
    return problems


def _build(head: dict[str, Any], e: _Entries) -> Scenario:
    return Scenario(
        title=head["title"],
        as_of=head.get("as_of"),
        description=head.get("description"),
        sources=tuple(Source(s.id, s.title, s.url, s.date, s.publisher) for _, s in e.sources),
        actors=tuple(
            Actor(a.id, a.name, a.capability, a.veto, tuple(a.groups), a.notes) for _, a in e.actors
        ),
        issues=tuple(
            Issue(
                i.id,
                i.name,
                Scale(i.scale.min, i.scale.max),
                MappingProxyType(dict(sorted(i.anchors.items()))),
                i.status_quo,
                i.outcome,
                i.description,
            )
            for _, i in e.issues
        ),
        stances=tuple(
            Stance(
                s.actor,
                s.issue,
                s.position,
                s.salience,
                s.red_line,
                s.range,
                tuple(s.sources),
                Confidence(s.confidence) if s.confidence else None,
                s.notes,
            )
            for _, s in e.stances
        ),
    )


def validate_document(doc: Document) -> tuple[Scenario | None, list[Problem]]:
    """Check a parsed document; the scenario is returned only when there is no error."""
    head, entries, problems = _check_top(doc)
    if entries is None:
        return None, problems
    for section in ("sources", "actors", "issues"):
        problems += _duplicates(doc, section)
    problems += _check_references(doc)
    problems += _check_issues(doc, entries.checkable_issues)
    problems += _check_stances(doc, entries)
    problems += _check_coverage(doc, entries)
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    if any(p.is_error for p in problems):
        return None, problems
    return _build(head, entries), problems
