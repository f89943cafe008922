"""The flagship report: findings a reader can check, the five questions answered, HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zopa import service
from zopa.report import position_map
from zopa.report.document import write_report

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
TABLES = {
    "bilateral": ["US", "RU"],
    "with-europe": ["US", "RU", "UA", "UK", "FR", "DE", "IT", "PL", "NB", "EU"],
}
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, service.ReportResult]:
    out = tmp_path_factory.mktemp("flagship") / "report"
    result = service.report(FLAGSHIP, models=["compromise", "median"], draws=20, tables=TABLES)
    with pytest.MonkeyPatch.context() as patch:
        # the fourteen position maps are the figures' own tests' business; the text is ours
        patch.setattr(position_map, "plot_position_maps", lambda *a, **k: [])
        write_report(result, out, xlsx=True)
    return out, result


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 3)
    return text[start : end if end >= 0 else None]


def _finding_lines(text: str) -> list[str]:
    body = _section(text, "Findings") + _section(text, "The questions asked")
    return [line for line in body.splitlines() if line.lstrip().startswith("- ")]


def test_findings_open_the_report_and_link_to_their_tables(written):
    out, _ = written
    text = (out / "report.md").read_text()
    assert text.index("## Findings") < text.index("## The questions asked")
    assert text.index("## The questions asked") < text.index("## Where will it land?")
    lines = _finding_lines(text)
    assert len(lines) > 20
    anchors = {
        "#where-will-it-land",
        "#what-deal-is-possible",
        "#what-to-discuss-first",
        "#who-is-at-the-table",
        "#will-it-hold",
        "#the-questions-asked",
    }
    for line in lines:
        link = re.search(r"\(\[→ table\]\((#[\w-]+)\)\)$", line)
        assert link, line
        assert link.group(1) in anchors
    html = (out / "report.html").read_text()
    for anchor in anchors:
        assert f'id="{anchor[1:]}"' in html


def test_every_number_in_a_sentence_is_in_the_tables(written):
    out, _ = written
    text = (out / "report.md").read_text()
    tables = text[text.index("## Where will it land?") :] + "".join(
        line for line in _section(text, "The questions asked").splitlines() if line.startswith("|")
    )
    header = text[: text.index("## Findings")]
    known = set(NUMBER.findall(tables)) | set(NUMBER.findall(header))
    for line in _finding_lines(text):
        sentence = line.split("([→ table]")[0]
        for number in NUMBER.findall(sentence):
            assert number in known, f"{number} of {sentence!r} is in no table"


def test_the_findings_follow_the_results(written):
    out, result = written
    text = (out / "report.md").read_text()
    deals = result.deals.to_dict()
    assert deals["zopa"]["empty"]
    assert "No deal satisfies every party whose consent is needed (RU and UA)" in text
    tables = result.tables.to_dict()["tables"]
    rejecting = [a for a, ok in tables["bilateral"]["acceptable_to"].items() if ok is False]
    assert "UA" in rejecting
    assert f"that {len(rejecting)} actors would reject" in text
    for a in result.durability.to_dict()["deals"]:
        assert a["deal"]["title"] in text
    # the warning the core deal needs: sanctions and language/church at Russia's end
    warnings = _section(text, "Findings")
    assert "sanctions at 100, where RU stands" in warnings
    assert "language\\_church at 100, where RU stands" in warnings
    assert "The agenda's trades start from the weighted mean of positions" in warnings


def test_the_five_questions_are_answered(written):
    out, _ = written
    questions = _section((out / "report.md").read_text(), "The questions asked")
    headings = re.findall(r"^### \d+\. (.+)$", questions, flags=re.M)
    assert len(headings) == 5
    blocks = re.split(r"^### \d+\. .+$", questions, flags=re.M)[1:]
    for block in blocks:
        assert re.search(r"^- ", block, flags=re.M), block
    dialogue, cost, fatal, deterrence, ending = blocks
    assert "cannot say whether this should happen" in dialogue
    assert "HU and SK at 95" in dialogue
    assert "would reject the bilateral table's deal" in cost
    assert "UA can veto it from outside the room" in cost
    assert "territory above 65" in fatal
    assert "nato above 50" in fatal
    assert "cannot say which value there would be fatal" in fatal  # guarantees: no red line
    assert "parity" in deterrence
    assert "The most likely ending over the 5 plans is" in ending


def test_who_is_at_the_table_shows_each_deal_and_who_rejects_it(written):
    out, _ = written
    section = _section((out / "report.md").read_text(), "Who is at the table?")
    assert "| table | in the room | deal | rejected by | veto players outside |" in section
    assert re.search(r"^\| bilateral \| RU, US \| nash \| UA, .* \| UA \|$", section, flags=re.M)
    assert "The deal each table reaches:" in section
    assert "| `territory` | 80 | 50 (set aside) |" in section


def test_text_bugs_are_gone(written):
    out, _ = written
    text = (out / "report.md").read_text()
    assert "on None" not in text
    assert "1 sources" not in text
    assert "34 sources" in text


def test_html_is_self_contained(written):
    out, _ = written
    html = (out / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert re.search(r"""(src|href)=["']https?:""", html) is None
    images = re.findall(r'<img src="([^"]+)"', html)
    assert images
    assert all(src.startswith("data:image/png;base64,") for src in images)
    assert len(images) == (out / "report.md").read_text().count("![")
    assert "@media print" in html
    assert "@page" in html
