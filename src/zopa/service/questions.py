"""The questions a user asks of a scenario, each tied to the analysis that answers it.

A question file (YAML or JSON) lists questions in the user's words, each with the kind
of answer zopa can give (docs/questions.md)::

    zopa_questions: 1
    questions:
      - ask: Should European governments resume dialogue with Russia?
        answer_with: issue
        issue: europe_dialogue
      - ask: What does it cost Europe that the US and Russia negotiate alone?
        answer_with: tables
        narrow: bilateral
        wide: with-europe

The report gives each question a section: the sentences that answer it from the results,
or a plain "the scenario cannot answer this because ...". By default the report reads
``<scenario name>.questions.yaml`` beside the scenario when it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zopa.frozen import FrozenMap
from zopa.service.errors import BadInput

if TYPE_CHECKING:
    from collections.abc import Mapping

    from zopa.io.documents import Document
    from zopa.io.errors import Problem
    from zopa.scenario import Scenario

QUESTIONS_FORMAT_VERSION = 1

KINDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = FrozenMap(
    {
        # kind: (required fields, optional fields)
        "issue": (("issue",), ("actors",)),
        "deal": ((), ()),
        "agenda": ((), ()),
        "tables": (("narrow", "wide"), ("actors",)),
        "red_lines": (("actor",), ("issues",)),
        "deterrence": ((), ()),
        "ending": ((), ()),
    }
)
"""Each kind of answer, with the fields it needs and those it may have."""

_LIST_FIELDS = ("actors", "issues")


@dataclass(frozen=True)
class Question:
    """One question and how to answer it.

    Attributes:
        ask: The question in the user's words.
        answer_with: The kind of answer (one of :data:`KINDS`).
        options: The kind's fields (``issue``, ``actors``, ``narrow``, ...).
    """

    ask: str
    answer_with: str
    options: Mapping[str, Any]

    def text(self, name: str) -> str | None:
        """A text field (``None`` when absent)."""
        value = self.options.get(name)
        return None if value is None else str(value)

    def ids(self, name: str) -> tuple[str, ...]:
        """A list-of-ids field (empty when absent)."""
        return tuple(self.options.get(name) or ())


def default_questions(scenario_path: Path | str) -> Path | None:
    """``<scenario stem>.questions.yaml`` beside the scenario, if it exists."""
    path = Path(scenario_path)
    candidate = path.with_name(f"{path.stem}.questions.yaml")
    return candidate if candidate.is_file() else None


def _check(doc: Document) -> tuple[list[tuple[int, Question]], list[Problem]]:
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return [], [doc.problem((), "a question file must be a mapping", got=type(data).__name__)]
    if "zopa_questions" not in data:
        kind = (
            "a scenario file"
            if "zopa" in data
            else "a deal file"
            if "zopa_deal" in data
            else "not a question file"
        )
        problems.append(
            doc.problem(
                ("zopa_questions",),
                f"missing required field: this is {kind}",
                expected="a question file starting with "
                f"zopa_questions: {QUESTIONS_FORMAT_VERSION}",
            )
        )
        return [], problems
    if data["zopa_questions"] != QUESTIONS_FORMAT_VERSION:
        problems.append(
            doc.problem(
                ("zopa_questions",),
                "unknown format version",
                got=data["zopa_questions"],
                expected=str(QUESTIONS_FORMAT_VERSION),
            )
        )
    for key in data:
        if key not in ("zopa_questions", "questions"):
            problems.append(
                doc.problem((key,), "unknown field", got=key, expected="zopa_questions, questions")
            )
    entries = data.get("questions")
    if not isinstance(entries, list) or not entries:
        problems.append(doc.problem(("questions",), "expected a list of questions", got=entries))
        return [], problems
    questions = []
    for k, entry in enumerate(entries):
        found = _check_entry(doc, k, entry)
        problems += found[1]
        if found[0] is not None:
            questions.append((k, found[0]))
    return questions, problems


def _check_entry(doc: Document, k: int, entry: Any) -> tuple[Question | None, list[Problem]]:
    where = ("questions", k)
    if not isinstance(entry, dict):
        return None, [doc.problem(where, "expected a mapping with ask and answer_with")]
    problems = []
    ask = entry.get("ask")
    if not isinstance(ask, str) or not ask.strip():
        problems.append(
            doc.problem((*where, "ask"), "missing required field", expected="the question as text")
        )
    kind = entry.get("answer_with")
    if not isinstance(kind, str) or kind not in KINDS:
        problems.append(
            doc.problem(
                (*where, "answer_with"),
                "unknown kind of answer" if kind is not None else "missing required field",
                got=kind,
                expected="one of " + ", ".join(KINDS),
            )
        )
        return None, problems
    required, optional = KINDS[kind]
    for name in required:
        if name not in entry:
            problems.append(
                doc.problem((*where, name), "missing required field", expected=f"{name} for {kind}")
            )
    for name, value in entry.items():
        if name in ("ask", "answer_with"):
            continue
        if name not in required + optional:
            allowed = ", ".join(("ask", "answer_with", *required, *optional))
            problems.append(
                doc.problem((*where, name), "unknown field", got=name, expected=allowed)
            )
        elif name in _LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(doc.problem((*where, name), "expected a list of ids", got=value))
        elif not isinstance(value, str):
            problems.append(doc.problem((*where, name), "expected an id", got=value))
    if problems:
        return None, problems
    options = {
        n: tuple(v) if isinstance(v, list) else v
        for n, v in entry.items()
        if n not in ("ask", "answer_with")
    }
    return Question(str(ask).strip(), kind, FrozenMap(options)), []


def _id_problems(
    doc: Document, questions: list[tuple[int, Question]], scenario: Scenario
) -> list[Problem]:
    """Actors and issues the questions name must be the scenario's."""
    known = {"actor": scenario.actor_ids, "issue": scenario.issue_ids}
    problems = []
    for k, q in questions:
        for name, value in q.options.items():
            kind = "actor" if name in ("actor", "actors") else "issue"
            if name not in ("actor", "actors", "issue", "issues"):
                continue
            values = value if isinstance(value, tuple) else (value,)
            for j, v in enumerate(values):
                if v not in known[kind]:
                    path = (
                        ("questions", k, name, j)
                        if isinstance(value, tuple)
                        else ("questions", k, name)
                    )
                    problems.append(
                        doc.problem(
                            path,
                            f"unknown {kind}",
                            got=v,
                            expected=f"an {kind} id of the scenario ({', '.join(known[kind])})",
                        )
                    )
    return problems


def load_questions(path: Path | str, scenario: Scenario | None = None) -> tuple[Question, ...]:
    """Read a question file; :class:`BadInput` with every located problem.

    With ``scenario``, the actors and issues the questions name are checked against it.
    """
    from zopa.io.documents import read_document

    doc, problems = read_document(Path(path), display=str(path))
    if any(p.is_error for p in problems) or doc.data is None:
        raise BadInput(problems)
    questions, found = _check(doc)
    if scenario is not None:
        found += _id_problems(doc, questions, scenario)
    if found:
        raise BadInput(found)
    return tuple(q for _, q in questions)
