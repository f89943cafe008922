"""Hostile files made from valid ones, and one check that runs each through its reader.

Each reader has a valid seed file (the test fixtures, or a workbook zopa wrote). A
Hypothesis strategy mutates the seed's bytes: it inserts tokens that have broken readers
before or that sit at their limits (numbers wider than a float, NaN, NUL, deep brackets,
aliases and tags, formula cells, bytes that are not UTF-8, counts of 99999999999, cells
over the CSV field limit, DTDs, far cell references), deletes, repeats and swaps lines,
and cuts the file short. For a workbook the same is done to the XML of one sheet, or to
the zip itself.

:func:`check_one` writes a case to a file and reads it the way a user would: scenario
formats through ``zopa validate`` (in process, with typer's runner), deal files through
the service (which reads their scenario too), DEU and capability files through their
readers. A finding is a traceback (an exception other than the exit), an exit code
outside {0, 1, 2}, a case that takes longer than :data:`CASE_SECONDS`, or output that
shows a secret planted beside the deal files.
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parent.parent
FIXTURES = TESTS / "fixtures"
ROOT = TESTS.parent

CASE_SECONDS = 20.0
"""Longest time one case may take before it counts as a hang (generous: the test machine
is shared; a real hang took minutes)."""

SECRET = "s3cr3t-token-never-shown"
"""Planted in a file beside the deal files; no output may contain it."""

TOKENS: tuple[bytes, ...] = (
    b"1" + b"0" * 400,
    b"1e308",
    b"-1e308",
    b"1e400",
    b"nan",
    b".nan",
    b"-.inf",
    b"NaN",
    b"\x00",
    b"[" * 300,
    b"{" * 300,
    b"- " * 200,
    b"&anchor ",
    b"*anchor",
    b"!!python/object/apply:os.system ['true']",
    b"!custom ",
    b"<<: {a: 1}",
    b'"',
    b"'",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b": ",
    b"---\n",
    b"=cmd|' /C calc'!A0",
    b"\xef\xbb\xbf",
    b"\xe9",
    b"\xff\xfe",
    b"99999999999",
    b"-1",
    b"0",
    b"999",
    b"#A\t",
    b"#D\t",
    b"x" * 140_000,
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"../../../../etc/passwd",
    b"/dev/zero",
    b"../secret.yaml",
    b"2026-13-45",
    b"true",
    b"~",
    b"\xe2\x80\xae",
)

XML_TOKENS: tuple[bytes, ...] = (
    b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    b'<c r="XFD1" t="n"><v>1</v></c>',
    b'<dimension ref="A1:XFD1048576" />',
    b'<dimension ref="A1:B2" />',
    b'<c r="C2" t="n"><v>1' + b"0" * 400 + b"</v></c>",
    b'<c r="C2" t="n"><v>1e400</v></c>',
    b'<c r="C2" t="s"><v>99999</v></c>',
    b'<c r="ZZZZZ9" t="n"><v>1</v></c>',
    b'<row r="-3">',
    b'<row r="1e400">',
    b"</sheetData>",
    b"<!DOCTYPE w [<!ENTITY a 'aaaaaaaaaa'>]>",
    b"&a;",
    b"<",
    b"]]>",
)


@dataclass(frozen=True)
class Seed:
    """A valid file for one reader."""

    reader: str
    name: str
    data: bytes


def _workbook() -> bytes:
    from zopa.io import load_scenario
    from zopa.io.formats import xlsx

    return xlsx.dumps(load_scenario(FIXTURES / "scenarios" / "three-actors.yaml"))


def _deal() -> bytes:
    text = (ROOT / "scenarios" / "deals" / "e3-counter-proposal-2025-11.yaml").read_text()
    return text.replace(
        "scenario: ../ukraine-ceasefire-2026.yaml", "scenario: ../scenario.yaml"
    ).encode()


def seeds() -> dict[str, Seed]:
    """The valid file of each reader."""
    import json

    import yaml

    scenario = (FIXTURES / "scenarios" / "three-actors.yaml").read_bytes()
    formats = FIXTURES / "formats"
    return {
        "yaml": Seed("yaml", "s.yaml", scenario),
        "json": Seed(
            "json", "s.json", json.dumps(yaml.safe_load(scenario), indent=1, default=str).encode()
        ),
        "deal": Seed("deal", "deal.yaml", _deal()),
        "deu": Seed("deu", "deu.csv", (FIXTURES / "deu" / "deu-sample.csv").read_bytes()),
        "capabilities": Seed(
            "capabilities", "caps.csv", (FIXTURES / "deu" / "council-votes.csv").read_bytes()
        ),
        "ktab": Seed("ktab", "k.csv", (formats / "trade-ktab.csv").read_bytes()),
        "decide": Seed("decide", "d.txt", (formats / "climate-decide.txt").read_bytes()),
        "bdm": Seed("bdm", "b.csv", (formats / "tariff-bdm.csv").read_bytes()),
        "csv": Seed("csv", "c.csv", (formats / "harbour.csv").read_bytes()),
        "xlsx": Seed("xlsx", "w.xlsx", _workbook()),
    }


@st.composite
def mutated(draw: st.DrawFn, data: bytes, tokens: tuple[bytes, ...] = TOKENS) -> bytes:
    """``data`` after one to four mutations."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "replace", "delete", "repeat", "swap", "cut"]))
        n = len(data)
        at = draw(st.integers(0, n))
        if kind == "insert":
            data = data[:at] + draw(st.sampled_from(tokens)) + data[at:]
        elif kind == "replace":  # a token instead of the next word
            end = at
            while end < n and data[end : end + 1] not in (b",", b";", b"\t", b"\n", b" ", b"<"):
                end += 1
            data = data[:at] + draw(st.sampled_from(tokens)) + data[end:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "repeat":
            lines = data.splitlines(keepends=True)
            if lines:
                k = draw(st.integers(0, len(lines) - 1))
                lines[k:k] = [lines[k]] * draw(st.integers(1, 3))
                data = b"".join(lines)
        elif kind == "swap":
            lines = data.splitlines(keepends=True)
            if len(lines) > 1:
                a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
                data = b"".join(lines)
        else:
            data = data[:at]
    return data


@st.composite
def mutated_workbook(draw: st.DrawFn, data: bytes) -> bytes:
    """A workbook with one sheet's XML mutated, or the zip itself cut or changed."""
    if draw(st.booleans()):
        return draw(mutated(data, TOKENS))  # the archive's bytes
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if n.endswith(".xml")]
    part = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                body = draw(mutated(body, XML_TOKENS + TOKENS))
            archive.writestr(info.filename, body)
    return out.getvalue()


def case_strategy(seed: Seed) -> st.SearchStrategy[bytes]:
    """The mutated files of one reader."""
    if seed.reader == "xlsx":
        return mutated_workbook(seed.data)
    return mutated(seed.data)


@dataclass(frozen=True)
class Outcome:
    """What reading one case gave."""

    exit_code: int
    seconds: float
    output: str


def _project(folder: Path) -> Path:
    """The shipped layout for deal files, with a secret beside it."""
    project = folder / "project"
    (project / "deals").mkdir(parents=True, exist_ok=True)
    scenario = (ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml").read_bytes()
    (project / "scenario.yaml").write_bytes(scenario)
    (project / "secret.yaml").write_text(f"token: {SECRET}\n")
    (folder / "secret.yaml").write_text(f"token: {SECRET}\n")
    return project


def check_one(seed: Seed, data: bytes, folder: Path) -> Outcome:
    """Read one case as a user would; raise ``AssertionError`` on a finding.

    Returns:
        The exit code (0 valid, 1 analysis failed, 2 bad input), the time taken and the
        text shown to the user.
    """
    from typer.testing import CliRunner

    from zopa.cli import app

    path = _project(folder) / "deals" / seed.name if seed.reader == "deal" else folder / seed.name
    path.write_bytes(data)
    started = time.perf_counter()
    if seed.reader in {"deal", "deu", "capabilities"}:
        code, output = _library(seed.reader, path)
    else:
        result = CliRunner().invoke(app, ["validate", "--format", "json", str(path)])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{seed.reader}: traceback") from result.exception
        code, output = result.exit_code, result.output
    seconds = time.perf_counter() - started
    assert code in (0, 1, 2), f"{seed.reader}: exit code {code}"
    assert seconds < CASE_SECONDS, f"{seed.reader}: {seconds:.1f} s for one case"
    assert SECRET not in output, f"{seed.reader}: a secret was shown"
    return Outcome(code, seconds, output)


def _library(reader: str, path: Path) -> tuple[int, str]:
    """Read a deal, DEU or capability file through the library: (exit code, text shown)."""
    from zopa.io.deu import check_capabilities, check_deu
    from zopa.service import BadInput, Loader

    if reader == "deal":
        try:
            Loader().deals([path])
        except BadInput as exc:
            return 2, "\n".join(p.format() for p in exc.problems)
        return 0, ""
    if reader == "deu":
        _, problems = check_deu(path)
    else:
        _, problems = check_capabilities(path)
    return (2 if any(p.is_error for p in problems) else 0), "\n".join(p.format() for p in problems)
