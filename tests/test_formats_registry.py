"""The format registry: choosing a format by name, extension or first line."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.io.formats import FORMATS, FormatError, check_any, detect_format, read_any, write_any
from zopa.scenario import Actor, Issue, Scale, Scenario, Stance

HERE = Path(__file__).resolve().parent
FORMATS_DIR = HERE / "fixtures" / "formats"


def _scenario() -> Scenario:
    return Scenario(
        title="small",
        actors=(Actor("a", "A", 2.0), Actor("b", "B", 1.0)),
        issues=(Issue("x", "X", Scale(0.0, 100.0)),),
        stances=(Stance("a", "x", 20.0, 0.5), Stance("b", "x", 80.0, 0.25)),
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("s.yaml", "yaml"), ("s.YML", "yaml"), ("s.json", "json"), ("s.xlsx", "xlsx"),
     ("s.csv", "csv")],
)  # fmt: skip
def test_format_by_extension_when_writing(name, fmt):
    assert detect_format(Path(name), mode="write").name == fmt


def test_csv_files_are_sniffed_when_reading():
    assert detect_format(FORMATS_DIR / "trade-ktab.csv", mode="read").name == "ktab"
    assert detect_format(FORMATS_DIR / "harbour.csv", mode="read").name == "csv"
    assert detect_format(FORMATS_DIR / "tariff-bdm.csv", mode="read").name == "bdm"
    assert detect_format(FORMATS_DIR / "climate-decide.txt", mode="read").name == "decide"


def test_a_named_format_wins_over_the_extension():
    assert detect_format(Path("x.csv"), "KTAB", mode="write").name == "ktab"


def test_unknown_names_and_extensions_are_refused():
    with pytest.raises(FormatError, match=r"unknown format 'sav' \(expected one of yaml"):
        detect_format(Path("x.csv"), "sav", mode="read")
    with pytest.raises(FormatError, match=r"from its extension '\.sav'"):
        detect_format(Path("x.sav"), mode="write")


def test_every_format_is_registered():
    assert set(FORMATS) == {"yaml", "json", "csv", "xlsx", "ktab", "bdm", "decide"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_round_trips_a_small_scenario(tmp_path, fmt):
    suffix = {"yaml": ".yaml", "json": ".json", "xlsx": ".xlsx", "decide": ".txt"}.get(fmt, ".csv")
    path = tmp_path / f"x{suffix}"  # BdM takes the issue id from the file name
    write_any(_scenario(), path, fmt)
    back = read_any(path, fmt)
    assert [(a.id, a.capability) for a in back.actors] == [("a", 2.0), ("b", 1.0)]
    if "actor names" in FORMATS[fmt].carries:
        assert back.actors == _scenario().actors
    assert back.stances == _scenario().stances
    assert back.issue_ids == ("x",)


def test_registry_lists_what_each_format_loses():
    lossless = {name for name, spec in FORMATS.items() if not spec.losses(_scenario())}
    assert {"yaml", "json", "xlsx"} <= lossless
    # KTAB labels dimensions by issue id
    assert FORMATS["ktab"].losses(_scenario()) == ["issue names"]
    # the long CSV has no title: it is taken from the file name on reading
    assert FORMATS["csv"].losses(_scenario()) == ["the title"]
    rich = Scenario(
        title="r",
        actors=(Actor("a", "A", 1.0, veto=True),),
        issues=(Issue("x", "X", Scale(0.0, 10.0), status_quo=5.0),),
        stances=(Stance("a", "x", 2.0, 0.5, red_line=3.0),),
    )
    assert FORMATS["csv"].losses(rich) == ["the title"]
    assert FORMATS["ktab"].losses(rich) == [
        "veto players",
        "issue names",
        "issue scales other than 0..100",
        "status quo points",
        "red lines",
    ]


@pytest.mark.parametrize("name", ["harbour.csv", "trade-ktab.csv", "tariff-bdm.csv",
                                  "climate-decide.txt"])  # fmt: skip
def test_files_over_the_size_limit_are_not_read(monkeypatch, name):
    from zopa.io.formats import _common

    monkeypatch.setattr(_common, "MAX_FILE_BYTES", 10)
    path = FORMATS_DIR / name
    scenario, problems = check_any(path)
    assert scenario is None
    size = path.stat().st_size
    assert [p.format() for p in problems] == [
        f"{path}: (file): file is too large (got '{size} bytes', expected at most 10 bytes)"
    ]


def test_workbooks_that_unpack_too_large_are_not_read(tmp_path, monkeypatch):
    from zopa.io.formats import xlsx

    path = tmp_path / "s.xlsx"
    write_any(_scenario(), path)
    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 1000)
    scenario, problems = check_any(path)
    assert scenario is None
    assert problems[0].format().startswith(f"{path}: (file): workbook unpacks too large")


def test_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("actor,issue,position,salience,capability\nd\xe9,x,1,1,1\n".encode("latin-1"))
    scenario, problems = check_any(path)
    assert scenario is None
    assert problems[0].format() == (  # byte 42 is the second character of line 2
        f"{path}:2: (file): not UTF-8 text: byte 0xe9 at column 2 (expected a UTF-8 file)"
        "\n    hint: save the file as UTF-8"
    )


def test_python_snippet_in_the_docs_runs(monkeypatch, capsys, tmp_path):
    import re
    import tempfile

    root = HERE.parent
    doc = (root / "docs" / "formats.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.DOTALL)
    assert len(blocks) == 1
    monkeypatch.chdir(root)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    exec(compile(blocks[0], "docs/formats.md", "exec"), {})
    out = capsys.readouterr().out
    assert "this format has no place for sources" in out
    assert "'anchor texts'" in out
    assert sorted(p.name for p in tmp_path.rglob("*.*")) == ["climate.xlsx", "smp.csv"]
