"""``zopa sensitivity`` as a user meets it."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from zopa.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def ranged(fixtures, tmp_path):
    """Three actors on issue x; A and C get ranges, B keeps its position."""
    text = (fixtures / "scenarios" / "three-actors.yaml").read_text()
    text = text.replace(
        "position: 0, salience: 1.0,", "position: 0, salience: 1.0, range: [0, 30],"
    )
    text = text.replace(
        "position: 90, salience: 0.5,", "position: 90, salience: 0.5, range: [80, 100],"
    )
    path = tmp_path / "ranged.yaml"
    path.write_text(text)
    return path


def test_json_matches_the_analytic_indices_of_the_compromise_model(ranged):
    result = run(
        "sensitivity", str(ranged), "-m", "compromise", "--distribution", "uniform",
        "--samples", "1024", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"] == "compromise"
    assert data["method"] == "sobol"
    assert data["evaluations"] == 1024 * (2 + 2)
    assert [x["name"] for x in data["inputs"]] == ["position:A:x", "position:C:x"]
    assert data["inputs"][0]["label"] == "Actor A's position on Issue X"
    # w = capability x salience = (1, 1, 1.5); Var = 30^2/12 = 75 and 20^2/12 = 33.3
    # S1_A = 75 / (75 + 1.5^2 x 33.3) = 75 / 150 = 0.5, S1_C = 0.5
    indices = {i["input"]: i for i in data["issues"]["x"]["indices"]}
    for name in ("position:A:x", "position:C:x"):
        assert indices[name]["S1"] == pytest.approx(0.5, abs=max(indices[name]["S1_conf"], 0.01))
        assert indices[name]["ST"] == pytest.approx(0.5, abs=max(indices[name]["ST_conf"], 0.01))


def test_table_says_what_drives_the_forecast_and_plots_are_written(ranged, tmp_path):
    result = run(
        "sensitivity", str(ranged), "--plot", str(tmp_path / "plots"), "-n", "256", "--full"
    )
    assert result.exit_code == 0, result.output
    # the median is B's position, which has no range: nothing to attribute
    assert "forecast 60.0 ± 0.0 (sd): the forecast does not vary" in result.stdout
    # give B a range: B is the median voter, so B's position drives the median alone
    text = ranged.read_text().replace("red_line: 30,", "red_line: 30, range: [50, 70],")
    ranged.write_text(text)
    result = run(
        "sensitivity", str(ranged), "--plot", str(tmp_path / "plots"), "-n", "256", "--full"
    )
    assert result.exit_code == 0, result.output
    assert (
        "Actor B's position on Issue X drives 100% of the variance of the median" in result.stdout
    )
    assert "of the variance of the median forecast" in result.stdout
    assert "alone (S1)" in result.stdout
    assert (tmp_path / "plots" / "sensitivity-median-sobol-x.png").stat().st_size > 1000


def test_morris_csv(ranged):
    result = run("sensitivity", str(ranged), "--method", "morris", "-m", "compromise", "-f", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "issue,input,label,mu_star,mu_star_conf,mu,sigma"
    assert len(lines) == 3


def test_nothing_varies_is_a_clear_input_error(fixtures):
    result = run("sensitivity", str(fixtures / "scenarios" / "three-actors.yaml"))
    assert result.exit_code == 2
    assert "nothing varies: give stances a `range`" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samples", "100"], "power of 2"),
        (["--issue", "nope"], "unknown issue(s) nope"),
        (["--model", "nope"], "unknown model"),
        (["-m", "compromise", "-p", "nope=1"], "no such parameter"),
    ],
)
def test_bad_requests_exit_2(ranged, args, message):
    result = run("sensitivity", str(ranged), *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def _doc(repo_root):
    return (repo_root / "docs" / "sensitivity.md").read_text()


def test_every_json_key_is_documented(ranged, repo_root):
    doc = _doc(repo_root)
    keys: set[str] = set()
    for method in ("sobol", "morris"):
        args = ("sensitivity", str(ranged), "-m", "compromise", "--method", method, "-f", "json")
        data = json.loads(run(*args).stdout)
        keys |= set(data) | set(data["inputs"][0]) | set(data["issues"]["x"])
        keys |= set(data["issues"]["x"]["indices"][0])
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"undocumented keys in docs/sensitivity.md: {missing}"


def test_the_library_example_in_the_docs_runs(repo_root, monkeypatch, capsys):
    doc = _doc(repo_root)
    (block,) = [b.split("```", 1)[0] for b in doc.split("```python\n")[1:]]
    monkeypatch.chdir(repo_root)  # the example reads the flagship from the repository root
    exec(compile(block, "docs/sensitivity.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("position:")


@pytest.mark.slow
def test_the_flagship_findings_in_the_docs_are_the_tools(repo_root):
    # docs/sensitivity.md quotes the tool on the flagship; if the scenario changes, rerun
    # the commands in the doc and paste their output.
    doc = " ".join(_doc(repo_root).split())
    flagship = str(repo_root / "scenarios" / "ukraine-ceasefire-2026.yaml")
    for model in ("median", "compromise"):
        result = run(
            "sensitivity", flagship, "-m", model, "-i", "territory", "-i", "nato", "--full"
        )
        assert result.exit_code == 0, result.output
        text = " ".join(result.stdout.split())
        text = re.sub(
            r"\+ \d+ other input\(s\) with smaller effects \(all in --format json\) ", "", text
        )
        sentences = re.findall(
            r"→ (.+? drives \d+% of the variance of the \w+ forecast "
            r"\(\d+% on its own\))",
            text,
        )
        assert len(sentences) == 2, text
        for sentence in sentences:
            assert sentence in doc, sentence
