"""Tidy exports: a CSV per result (one observation per row) and one workbook."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from zopa import service
from zopa.cli import app
from zopa.report.document import write_report
from zopa.report.exports import COLUMNS, csv_text

ROOT = Path(__file__).resolve().parent.parent
COLLIDE = ROOT / "tests" / "fixtures" / "deals" / "red-lines-collide.yaml"
E3 = ROOT / "scenarios" / "deals" / "e3-counter-proposal-2025-11.yaml"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "report"
    result = service.report(
        COLLIDE,
        models=["compromise", "median"],
        draws=20,
        tables={"ab": ["A", "B"], "all": ["A", "B", "C"]},
    )
    write_report(result, out, xlsx=True)
    return out


@pytest.mark.parametrize(
    ("name", "rows"),
    [("forecasts", 2 * 3), ("packages", 4 * 3), ("utilities", 4 * 3), ("tables", 2 * 3)],
)
def test_each_report_csv_is_tidy(folder, name, rows):
    frame = pd.read_csv(folder / f"{name}.csv")
    assert list(frame.columns) == list(COLUMNS[name])
    assert len(frame) == rows  # models x issues; core packages x issues or actors; tables x actors
    assert not frame.duplicated(subset=list(frame.columns[:3])).any()


def test_forecasts_csv_keeps_the_ranges(folder):
    frame = pd.read_csv(folder / "forecasts.csv")
    assert frame[["low", "median", "high"]].notna().all().all()
    assert (frame["low"] <= frame["high"]).all()
    assert set(frame["draws"]) == {20}
    # the compromise of A, B, C on aid: weights 0.8, 0.2, 1.0 at 100, 0, 50 -> 130 / 2
    aid = frame[(frame["model"] == "compromise") & (frame["issue"] == "aid")]
    assert aid["point"].item() == pytest.approx(65.0)


def test_the_empty_zone_exports_the_core_deal(folder):
    packages = pd.read_csv(folder / "packages.csv")
    assert set(packages["source"]) == {"core"}  # the zone is empty: no row of empty cells
    assert packages["value"].notna().all()
    utilities = pd.read_csv(folder / "utilities.csv")
    assert utilities[["utility", "gain"]].notna().all().all()


def test_the_workbook_has_a_sheet_per_table(folder):
    book = load_workbook(folder / "report.xlsx", read_only=True)
    assert book.sheetnames == ["forecasts", "packages", "utilities", "tables"]
    for name in book.sheetnames:
        header = next(book[name].iter_rows(max_row=1, values_only=True))
        assert list(header) == list(COLUMNS[name])
        rows = list(book[name].iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(pd.read_csv(folder / f"{name}.csv"))


def test_durability_rows_are_tidy():
    report = service.durability(E3, draws=200, seed=0)
    frame = pd.read_csv(io.StringIO(csv_text(report.to_rows())))
    assert list(frame.columns) == list(COLUMNS["durability"])
    assert len(frame) == 11  # years 0..10
    assert (frame["low"] <= frame["p_hold"]).all()
    assert (frame["p_hold"] <= frame["high"]).all()
    assert frame["plan"].unique().tolist() == ["e3-counter-proposal-2025-11"]


def test_deals_csv_has_no_empty_rows_when_the_zone_is_empty():
    result = CliRunner().invoke(app, ["deals", str(COLLIDE), "-f", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output))
    assert list(frame.columns) == ["package", "source", "issue", "value"]
    assert len(frame) == 12
    assert frame["value"].notna().all()


def test_an_empty_table_still_has_its_header():
    assert csv_text([], COLUMNS["packages"]) == "package,source,issue,value\n"


def test_text_never_becomes_a_formula(tmp_path):
    rows = [{"table": "=cmd|' /C calc'!A0", "actor": "A", "utility": -0.5}]
    text = csv_text(rows)
    assert text.splitlines()[1] == "'=cmd|' /C calc'!A0,A,-0.5"  # numbers stay numbers
    from zopa.report.exports import write_xlsx

    path = write_xlsx({"tables": rows}, tmp_path / "t.xlsx")
    sheet = load_workbook(path)["tables"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=cmd|' /C calc'!A0"
    assert sheet["C2"].value == -0.5
