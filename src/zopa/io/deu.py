"""Read the DEU III dataset layout (Arregui & Perarnaud 2021) into scenarios for backtests.

The layout: a ``;``-separated file with a header line and one row per controversial
issue; ``isnr`` is the issue number, ``rp`` the reference point (the status quo), ``out``
the outcome, and ``p<actor>`` / ``s<actor>`` the position (0-100) and salience (0-100) of
each actor: ``com`` (the Commission), ``ep`` (the Parliament) and the member states by
their two-letter codes. A blank cell or 999 means "missing".

An actor is any code for which both a ``p<code>`` and an ``s<code>`` column exist, so
files with more or fewer member states read alike. Issues are grouped into one scenario
per legislative proposal when a grouping column is present (``group_by``, or the first
of :data:`GROUP_COLUMNS` found in the header); otherwise each issue is its own scenario.

Capabilities are not part of the layout: pass them in, either one number per actor
(read with :func:`load_capabilities` from a CSV ``actor,capability``) or Council weights
by treaty regime (:class:`zopa.io.council.RegimeCapabilities`, read from a CSV
``actor;pre_nice;nice;lisbon``), which weighs each proposal by the regime in force at its
date (column ``intro``) and its procedure (column ``proc``); without them every actor has
capability 1.

References:
    Arregui, J. & Perarnaud, C. (2021). The Decision-Making in the European Union
    (DEU III) dataset (1999-2019). Thomson, R. et al. (2012). DEU II dataset codebook.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from zopa.io.council import (
    RegimeCapabilities,
    is_regime_header,
    parse_deu_date,
    parse_regime_table,
)
from zopa.io.errors import Problem, ScenarioError
from zopa.io.files import FileReadError, read_bytes
from zopa.io.formats._common import CUT_SHORT, csv_error, cut_short
from zopa.io.schema import MAX_MAGNITUDE
from zopa.scenario import Actor, Issue, Scale, Scenario, Source, Stance

MISSING = 999.0
"""The DEU code for a missing value (blank cells are missing too)."""

DEFAULT_SALIENCE = 50.0
"""Salience used where a position is given but its salience is missing (scale midpoint)."""

GROUP_COLUMNS: tuple[str, ...] = ("proposal", "procnr", "pronr", "prnr", "procedure", "propnr")
"""Columns that name the legislative proposal an issue belongs to, tried in order."""

ACTOR_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "com": "European Commission",
        "ep": "European Parliament",
        "at": "Austria",
        "be": "Belgium",
        "bg": "Bulgaria",
        "bu": "Bulgaria",
        "cy": "Cyprus",
        "cz": "Czechia",
        "de": "Germany",
        "ge": "Germany",
        "dk": "Denmark",
        "ee": "Estonia",
        "el": "Greece",
        "gr": "Greece",
        "es": "Spain",
        "sp": "Spain",
        "fi": "Finland",
        "fr": "France",
        "hr": "Croatia",
        "cr": "Croatia",
        "hu": "Hungary",
        "ie": "Ireland",
        "ir": "Ireland",
        "it": "Italy",
        "lt": "Lithuania",
        "lu": "Luxembourg",
        "lv": "Latvia",
        "mt": "Malta",
        "nl": "Netherlands",
        "pl": "Poland",
        "pt": "Portugal",
        "po": "Portugal",
        "ro": "Romania",
        "se": "Sweden",
        "sw": "Sweden",
        "si": "Slovenia",
        "sk": "Slovakia",
        "uk": "United Kingdom",
        "gb": "United Kingdom",
    }
)
"""Display names of the DEU actor codes (variants used across DEU waves included)."""


def _number(text: str) -> float | None:
    """A cell as a number; None when blank or the missing code; NaN as written.

    Raises:
        ValueError: The cell is not a number.
    """
    t = text.strip().replace(",", ".")
    if not t:
        return None
    value = float(t)
    if value == MISSING:
        return None
    return value


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    name = str(path)
    try:
        raw = read_bytes(path, name)
    except FileReadError as exc:
        problems.append(exc.problem)
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.append(Problem(name, None, "", "not a text file", expected="UTF-8 or cp1252"))
    return None


Capabilities = Mapping[str, float] | RegimeCapabilities
"""One capability per actor, or Council weights by treaty regime."""


def check_deu(
    path: Path | str,
    *,
    capabilities: Capabilities | None = None,
    group_by: str | None = None,
) -> tuple[list[Scenario], list[Problem]]:
    """Read a DEU-layout CSV; return scenarios and every problem found (never raises).

    The scenario list is empty when any problem is an error.
    """
    p = Path(path)
    name = str(path)
    problems: list[Problem] = []
    text = _read_text(p, problems)
    if text is None:
        return [], problems
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [Problem(name, 1, "", "empty file", expected="a header line")]
    except csv.Error as exc:
        return [], [Problem(name, reader.line_num, "", csv_error(exc))]
    for required in ("isnr", "out"):
        if required not in header:
            problems.append(
                Problem(
                    name,
                    1,
                    required,
                    "missing column",
                    expected=f"a ';'-separated header with {required!r}",
                    hint="DEU files are separated by ';' and have isnr, rp, out, p<actor>, "
                    "s<actor> columns",
                )
            )
    col = {h: k for k, h in enumerate(header)}
    codes = [h[1:] for h in header if h.startswith("p") and len(h) > 1 and "s" + h[1:] in col]
    if not codes:
        problems.append(
            Problem(name, 1, "", "no actor columns", expected="pairs of p<actor>, s<actor>")
        )
    if group_by is not None and group_by.lower() not in col:
        problems.append(Problem(name, 1, group_by, "grouping column not in the header"))
    group_col = (
        group_by.lower()
        if group_by is not None
        else next((g for g in GROUP_COLUMNS if g in col), None)
    )
    if capabilities is not None:
        known = (
            capabilities.known()
            if isinstance(capabilities, RegimeCapabilities)
            else set(capabilities)
        )
        missing = [c for c in codes if c not in known]
        if missing:
            problems.append(
                Problem(
                    name,
                    1,
                    "",
                    "actors without a capability",
                    got=", ".join(missing),
                    hint="add them to the capability file (actor,capability)",
                )
            )
    if any(p.is_error for p in problems):
        return [], problems

    groups: dict[str, list[tuple[Issue, list[Stance]]]] = {}
    group_meta: dict[str, tuple[str | None, str | None]] = {}
    seen_issues: set[str] = set()
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, "", csv_error(exc)))
        return [], problems
    if rows and cut_short(text, len(rows[-1][1]), len(header)):
        problems.append(
            Problem(
                name,
                rows[-1][0],
                "",
                CUT_SHORT,
                got=f"{len(rows[-1][1])} cell(s)",
                expected=f"{len(header)} cells, as in the header, and a line break",
                hint="the file may have been cut short; export it again",
            )
        )
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        bad: set[str] = set()

        def cell(
            column: str, row_cells: list[str] = cells, at: int = line, bad: set[str] = bad
        ) -> float | None:
            try:
                value = _number(row_cells[col[column]])
            except ValueError:
                problems.append(
                    Problem(
                        name,
                        at,
                        column,
                        "not a number",
                        got=row_cells[col[column]],
                        expected="a number, blank or 999",
                    )
                )
                bad.add(column)
                return None
            if value is not None and math.isnan(value):
                problems.append(
                    Problem(
                        name,
                        at,
                        column,
                        "NaN read as missing",
                        severity="warning",
                        got=row_cells[col[column]].strip(),
                        expected="a number, blank or 999",
                    )
                )
                return None
            return value

        issue_id = cells[col["isnr"]].strip()
        if not issue_id:
            problems.append(Problem(name, line, "isnr", "missing issue number"))
            continue
        if issue_id in seen_issues:
            problems.append(Problem(name, line, "isnr", "duplicate issue number", got=issue_id))
            continue
        seen_issues.add(issue_id)
        values = {"rp": cell("rp") if "rp" in col else None, "out": cell("out")}
        for key, v in values.items():
            if v is not None and not 0 <= v <= 100:
                problems.append(
                    Problem(name, line, key, "outside the 0-100 scale", got=v, expected="0..100")
                )
        stances: list[Stance] = []
        no_salience: list[str] = []
        for code in codes:
            pos, sal = cell("p" + code), cell("s" + code)
            if pos is None or "s" + code in bad:
                continue  # no stance, or one whose cell is reported already
            if not 0 <= pos <= 100:
                problems.append(Problem(name, line, "p" + code, "outside the 0-100 scale", got=pos))
                continue
            if sal is None:
                no_salience.append("s" + code)
                sal = DEFAULT_SALIENCE
            elif not 0 <= sal <= 100:
                problems.append(Problem(name, line, "s" + code, "outside the 0-100 scale", got=sal))
                continue
            stances.append(Stance(code, issue_id, pos, sal / 100.0))
        if no_salience:  # one warning per row, naming every column
            problems.append(
                Problem(
                    name,
                    line,
                    ", ".join(no_salience),
                    f"salience missing, {DEFAULT_SALIENCE:g} used",
                    severity="warning",
                )
            )
        out, rp = values["out"], values["rp"]
        issue = Issue(
            issue_id,
            f"DEU issue {issue_id}",
            Scale(0.0, 100.0),
            status_quo=rp if rp is not None and 0 <= rp <= 100 else None,
            outcome=out if out is not None and 0 <= out <= 100 else None,
        )
        group = (cells[col[group_col]].strip() if group_col else issue_id) or issue_id
        groups.setdefault(group, []).append((issue, stances))
        group_meta.setdefault(
            group,
            (
                cells[col["proc"]].strip() if "proc" in col else None,
                cells[col["intro"]].strip() if "intro" in col else None,
            ),
        )

    if any(p.is_error for p in problems):
        return [], problems
    source = Source("deu", f"DEU-layout dataset {p.name}", publisher="Arregui & Perarnaud (2021)")
    scenarios = []
    for group, members in groups.items():
        present = {s.actor for _, st in members for s in st}
        procedure, intro = group_meta[group]
        caps: Mapping[str, float]
        if isinstance(capabilities, RegimeCapabilities):
            day = parse_deu_date(intro) if intro else None
            caps = capabilities.for_proposal(present, procedure=procedure, day=day)
        else:
            caps = capabilities if capabilities is not None else {}
        actors = tuple(
            Actor(c, ACTOR_NAMES.get(c, c), float(caps.get(c, 1.0))) for c in codes if c in present
        )
        scenarios.append(
            Scenario(
                title=f"{p.stem} {group}" if group_col else f"{p.stem} issue {group}",
                actors=actors,
                issues=tuple(i for i, _ in members),
                stances=tuple(s for _, st in members for s in st),
                sources=(source,),
            )
        )
    return scenarios, problems


def load_deu(
    path: Path | str,
    *,
    capabilities: Capabilities | None = None,
    group_by: str | None = None,
) -> list[Scenario]:
    """Read a DEU-layout CSV into scenarios; raise :class:`ScenarioError` on errors."""
    scenarios, problems = check_deu(path, capabilities=capabilities, group_by=group_by)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ScenarioError(errors)
    return scenarios


def check_capabilities(
    path: Path | str,
) -> tuple[dict[str, float] | RegimeCapabilities, list[Problem]]:
    """Read a CSV ``actor,capability`` (header optional; ``,`` or ``;`` separated).

    A file whose header is ``actor`` then regime names (``pre_nice``, ``nice``,
    ``lisbon``) is read as Council weights by regime (:mod:`zopa.io.council`).
    """
    p = Path(path)
    name = str(path)
    problems: list[Problem] = []
    text = _read_text(p, problems)
    if text is None:
        return {}, problems
    delimiter = ";" if text.count(";") > text.count(",") else ","
    first = next((ln for ln in text.splitlines() if ln.strip() and ln[0] != "#"), "")
    if is_regime_header(first.split(delimiter)):
        table, found = parse_regime_table(text, name)
        return (table if table is not None else {}), found
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out: dict[str, float] = {}
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        return {}, [Problem(name, reader.line_num, "", csv_error(exc))]
    for line, row in rows:
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) < 2:
            problems.append(
                Problem(
                    name, line, "", "expected two columns", got=row, expected="actor,capability"
                )
            )
            continue
        actor, raw = cells[0].lower(), cells[1]
        try:
            value = float(raw)
        except ValueError:
            if line == 1:  # a header line
                continue
            problems.append(Problem(name, line, actor, "not a number", got=raw))
            continue
        if not 0 <= value <= MAX_MAGNITUDE:
            problems.append(
                Problem(
                    name,
                    line,
                    actor,
                    "capability out of range",
                    got=raw,
                    expected=f"a number from 0 to {MAX_MAGNITUDE:.0e}".replace("e+", "e"),
                )
            )
            continue
        if actor in out:
            problems.append(Problem(name, line, actor, "actor listed twice"))
            continue
        out[actor] = value
    if not out and not problems:
        problems.append(
            Problem(name, None, "", "no capabilities found", expected="actor,capability")
        )
    return out, problems


def load_capabilities(path: Path | str) -> dict[str, float] | RegimeCapabilities:
    """Read a capability CSV; raise :class:`ScenarioError` on errors."""
    caps, problems = check_capabilities(path)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ScenarioError(errors)
    return caps


def read_deu_columns(path: Path | str, columns: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``{issue id: {column: text}}`` for the named columns of a DEU-layout file.

    Columns absent from the header give empty text. Raises :class:`ScenarioError` when
    the file cannot be read or has no ``isnr`` column.
    """
    problems: list[Problem] = []
    text = _read_text(Path(path), problems)
    if text is None:
        raise ScenarioError(problems)
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        rows = list(reader)
    except csv.Error as exc:
        raise ScenarioError([Problem(str(path), reader.line_num, "", csv_error(exc))]) from None
    if "isnr" not in header:
        raise ScenarioError([Problem(str(path), 1, "isnr", "missing column")])
    col = {h: k for k, h in enumerate(header)}
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        out[cells[col["isnr"]].strip()] = {
            c: cells[col[c]].strip() if c in col else "" for c in columns
        }
    return out
