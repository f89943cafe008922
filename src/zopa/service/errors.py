"""The two ways an analysis can fail: bad input, or an analysis that could not finish.

Every edge maps them the same way: the CLI to exit codes 2 and 1, the web app to HTTP
422 and 500. Nothing else leaves the service layer.
"""

from __future__ import annotations

from zopa.io.errors import Problem


class BadInput(Exception):  # noqa: N818  (the issue names it; it reads as what happened)
    """The input cannot be used; ``problems`` lists every reason found, located.

    Problems in files carry the file and line. Problems in the arguments of a call carry
    an empty ``file`` and the argument's name as ``path`` (e.g. ``params``, ``tables``),
    so that an edge can name its own option or form field for it.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error] or self.problems
        first = errors[0].format() if errors else "bad input"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


class AnalysisFailed(Exception):  # noqa: N818
    """An analysis could not finish on valid input; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def argument_problem(
    argument: str,
    message: str,
    *,
    got: object = None,
    expected: str | None = None,
    hint: str | None = None,
) -> Problem:
    """A problem with an argument of a service call (not with a file)."""
    return Problem("", None, argument, message, got=got, expected=expected, hint=hint)


def raise_if_any(problems: list[Problem]) -> None:
    """Raise :class:`BadInput` when ``problems`` holds an error."""
    if any(p.is_error for p in problems):
        raise BadInput(problems)
