"""What zopa writes: no formula a spreadsheet would run, the user's umask, exit codes."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli import app
from zopa.io import atomic_write
from zopa.io.formats import bdm, decide, ktab, long_csv
from zopa.io.formats._common import FORMULA_START, neutralise, restore
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

runner = CliRunner()

NAMES = ("=cmd|' /C calc'!A0", "+SUM(1+1)", "@HYPERLINK(http://x)", "-2+3")


def _hostile() -> Scenario:
    ids = ("A", "B", "C", "D")
    return Scenario(
        title='=HYPERLINK("http://x","click")',
        description="@SUM(1)",
        actors=tuple(
            Actor(i, name, 1.0 + k) for k, (i, name) in enumerate(zip(ids, NAMES, strict=False))
        ),
        issues=(Issue("x", "+1 issue", Scale(-100.0, 100.0)),),
        stances=tuple(Stance(i, "x", -50.0 + 10 * k, 0.5, notes="=1+1") for k, i in enumerate(ids)),
    )


def _cells(text: str, module) -> list[str]:
    if module is decide:
        rows = csv.reader(io.StringIO(text), delimiter="\t", quotechar="'")
    else:
        rows = csv.reader(io.StringIO(text))
    return [cell for row in rows for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("module", [long_csv, ktab, decide, bdm])
def test_no_cell_starts_a_formula(module) -> None:
    text = module.dumps(_hostile())
    risky = [c for c in _cells(text, module) if c[:1] in FORMULA_START and not _is_number(c)]
    assert risky == []
    assert "'=cmd|' /C calc'!A0" in text or "'''=cmd" in text or module is bdm


@pytest.mark.parametrize(
    ("module", "name"), [(long_csv, "s.csv"), (ktab, "s.csv"), (decide, "s.txt")]
)
def test_the_names_read_back_as_written(tmp_path: Path, module, name: str) -> None:
    path = tmp_path / name
    module.write(_hostile(), path)
    back = module.read(path)
    assert tuple(a.name for a in back.actors) == NAMES


def test_bdm_ids_read_back(tmp_path: Path) -> None:
    scenario = _hostile()
    path = tmp_path / "x.csv"
    bdm.write(scenario, path)
    assert bdm.read(path).actor_ids == scenario.actor_ids


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),  # a number stays a number
        ("'=x", "''=x"),  # one more quote, so that reading gives back exactly the text
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_neutralise_and_restore(text: str, written: str) -> None:
    assert neutralise(text) == written
    assert restore(written) == text


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_honours_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        atomic_write(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "kept.txt"
    path.write_text("old")
    path.chmod(0o640)
    atomic_write(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text() == "new"


@pytest.mark.parametrize(
    ("code", "exit_code"),
    [(errno.EACCES, 2), (errno.EROFS, 2), (errno.EPERM, 2), (errno.ENOSPC, 1), (errno.EIO, 1)],
)
def test_convert_exit_codes_when_out_cannot_be_written(
    tmp_path: Path, monkeypatch, code: int, exit_code: int
) -> None:
    """A folder the user may not write to is bad input (2); a full disk is a failure (1)."""
    import zopa.io.formats.long_csv as module

    source = Path(__file__).resolve().parent / "fixtures" / "scenarios" / "three-actors.yaml"

    def refuse(path: object, content: object) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(module, "atomic_write", refuse)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["convert", str(source), str(out)])
    assert result.exit_code == exit_code, result.output
    assert f"cannot write {out}: {os.strerror(code)}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_docs_say_the_same_exit_codes() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text()
    text = " ".join(docs.split())
    assert "OUT in a folder the user may not write to" in text
    assert "1 OUT could not be written for another reason (a full disk, an I/O error)" in text
