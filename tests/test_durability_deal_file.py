"""Deal files and the durability parameter file: validation with located errors."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
import yaml

from zopa.durability import Settlement
from zopa.io import Problem, ScenarioError, check_scenario
from zopa.io.deal_file import MechanismsEntry, check_deal, load_deal
from zopa.io.durability_parameters import (
    check_durability_parameters,
    default_parameters_path,
    load_durability_parameters,
)
from zopa.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
DEALS = sorted((ROOT / "scenarios" / "deals").glob("*.yaml"))
SCENARIO = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"

MINIMAL = """\
zopa_deal: 1
id: test-deal
title: A test deal
scenario: scenario.yaml
sources:
  - id: src1
    title: A report
terms:
  territory:
    value: 50
    settlement: interim
    text: Freeze on the line.
    sources: [src1]
  nato:
    settlement: deferred
    text: Left open.
    sources: [src1]
mechanisms:
  monitoring: {level: international, lead: US, text: US-led, sources: [src1]}
  dmz: {present: true, width_km: 10, text: A zone, sources: [src1]}
  reassurance_force: {level: rear, text: Far from the line, sources: [src1]}
  guarantees: {level: legally_binding, guarantors: [UK], text: Binding, sources: [src1]}
  force_caps: {defender_personnel: 800000, text: Cap, sources: [src1]}
  arms_supply: {level: continued, text: Continued, sources: [src1]}
  snapback: {present: true, text: Snapback, sources: [src1]}
  joint_commission: {level: third_party, text: Commission, sources: [src1]}
  sequencing: {level: ceasefire_first, text: First, sources: [src1]}
  specificity: {level: high, text: Specific, sources: [src1]}
"""


@pytest.fixture
def deal_dir(tmp_path):
    shutil.copy(SCENARIO, tmp_path / "scenario.yaml")
    return tmp_path


def _write(folder: Path, text: str) -> Path:
    path = folder / "deal.yaml"
    path.write_text(text)
    return path


def _line_of(text: str, fragment: str) -> int:
    return next(k for k, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_minimal_deal_loads(deal_dir):
    deal, scenario = load_deal(_write(deal_dir, MINIMAL))
    assert deal.id == "test-deal"
    assert deal.term("territory").settlement is Settlement.INTERIM
    assert deal.settled_value("territory") == 50
    assert deal.settled_value("nato") is None
    m = deal.mechanisms
    assert (m.monitoring, m.monitoring_lead, m.dmz_width_km) == ("international", "US", 10)
    assert m.guarantees == "legally_binding"
    assert not m.guarantees_conditional
    assert m.force_caps.defender_personnel == 800_000
    assert m.provisions["snapback"].sources == ("src1",)
    assert "territory" in scenario.issue_ids


def test_unstated_dmz_width_becomes_none(deal_dir):
    text = MINIMAL.replace("{present: true, width_km: 10,", "{present: true,")
    deal, _ = load_deal(_write(deal_dir, text))
    assert deal.mechanisms.dmz_width_km is None
    text = MINIMAL.replace("{present: true, width_km: 10,", "{present: false,")
    deal, _ = load_deal(_write(deal_dir, text))
    assert deal.mechanisms.dmz_width_km == 0


def test_all_problems_located_at_once(deal_dir):
    text = (
        MINIMAL.replace("value: 50", "value: 150")
        .replace("sources: [src1]}\n  dmz", "sources: [srcl]}\n  dmz")
        .replace("level: third_party", "level: trilateral")
        .replace("settlement: deferred", "settlement: deferred\n    value: 10")
    )
    path = _write(deal_dir, text)
    deal, _, problems = check_deal(path)
    assert deal is None
    messages = [p.format() for p in problems]
    f = str(path)
    assert (
        f"{f}:{_line_of(text, 'srcl')}: mechanisms.monitoring.sources[0]: unknown source "
        "(got 'srcl', expected a source id listed under `sources:`)\n"
        "    hint: did you mean 'src1'?"
    ) in messages
    assert (
        f"{f}:{_line_of(text, 'trilateral')}: mechanisms.joint_commission.level: unknown level "
        "(got 'trilateral', expected one of none, bilateral, third_party)"
    ) in messages
    assert any(
        m.startswith(f"{f}:{_line_of(text, 'value: 10')}: terms.nato.value: a deferred issue")
        for m in messages
    )
    assert len([p for p in problems if p.is_error]) == 3  # scale checked once the file is valid


def test_value_outside_scale_and_unknown_issue(deal_dir):
    text = MINIMAL.replace("value: 50", "value: 150").replace("  nato:", "  natoo:")
    path = _write(deal_dir, text)
    deal, _, problems = check_deal(path)
    assert deal is None
    messages = [p.format() for p in problems]
    assert (
        f"{path}:{_line_of(text, 'value: 150')}: terms.territory.value: outside the issue's "
        "scale (got 150.0, expected a value in [0, 100])"
    ) in messages
    natoo = next(p for p in problems if p.path == "terms.natoo")
    assert natoo.line == _line_of(text, "natoo:") + 1  # the entry's first line
    assert natoo.hint == "did you mean 'nato'?"


def test_missing_mechanism_and_citation(deal_dir):
    text = MINIMAL.replace(
        "  snapback: {present: true, text: Snapback, sources: [src1]}\n", ""
    ).replace("text: Freeze on the line.\n    sources: [src1]", "text: Freeze on the line.")
    path = _write(deal_dir, text)
    _, _, problems = check_deal(path)
    paths = {(p.path, p.message) for p in problems}
    assert ("mechanisms.snapback", "missing required field") in paths
    assert ("terms.territory.sources", "missing required field") in paths
    located = {p.path: p.line for p in problems}
    assert located["mechanisms.snapback"] == _line_of(text, "mechanisms:") + 1
    assert located["terms.territory.sources"] == _line_of(text, "territory:") + 1


def test_empty_source_list_is_refused(deal_dir):
    text = MINIMAL.replace(
        "{level: high, text: Specific, sources: [src1]}",
        "{level: high, text: Specific, sources: []}",
    )
    _, _, problems = check_deal(_write(deal_dir, text))
    p = next(p for p in problems if p.path == "mechanisms.specificity.sources")
    assert p.expected == "at least 1 item(s)"


def test_missing_scenario_file(tmp_path):
    path = _write(tmp_path, MINIMAL)
    deal, _, problems = check_deal(path)
    assert deal is None
    assert problems[0].path == "scenario"
    assert problems[0].line == _line_of(MINIMAL, "scenario:")
    with pytest.raises(ScenarioError, match="scenario file not found"):
        load_deal(path)


def test_yaml_aliases_are_refused(deal_dir):
    text = MINIMAL.replace("title: A test deal", "title: &t A test deal\ndescription: *t")
    _, _, problems = check_deal(_write(deal_dir, text))
    assert any("anchors and aliases" in p.message for p in problems)


@pytest.mark.parametrize("path", DEALS, ids=[p.stem for p in DEALS])
def test_shipped_deal_validates_and_cites_every_term(path):
    deal, scenario, problems = check_deal(path)
    assert deal is not None, [p.format() for p in problems]
    assert not [p for p in problems if p.file == str(path)]
    known = {s.id for s in deal.sources}
    assert deal.terms
    for term in deal.terms:
        assert term.provision.text.strip()
        assert term.provision.sources
        assert set(term.provision.sources) <= known
    assert set(deal.mechanisms.provisions) == set(MechanismsEntry.model_fields)
    for provision in deal.mechanisms.provisions.values():
        assert provision.text.strip()
        assert provision.sources
        assert set(provision.sources) <= known
    for source in deal.sources:
        assert source.title
        assert source.publisher or source.url
    assert scenario is not None


def test_the_five_plans_are_shipped():
    assert {p.stem for p in DEALS} == {
        "us-28-point-plan-2025-11",
        "e3-counter-proposal-2025-11",
        "us-ukraine-20-point-framework-2025-12",
        "coalition-paris-declaration-2026-01",
        "russia-memorandum-2025-06",
    }


def test_shipped_parameters_are_labelled():
    params = load_durability_parameters()
    for p in params.parameters.values():
        assert p.source.strip(), p.id
        assert p.status.value in {"sourced", "transferred", "assumption"}
        if p.status.value == "sourced":
            assert "No published number" not in p.source, p.id
    assert params["baseline.p_relapse_5y"].status.value == "assumption"
    assert params["attacker.reconstitution_years"].value == 5
    assert params.ending.defender == "UA"


def test_shipped_parameter_actors_and_issues_exist_in_flagship():
    params = load_durability_parameters()
    _deal, scenario = load_deal(DEALS[0])
    assert {params.ending.defender, params.ending.attacker} <= set(scenario.actor_ids)
    issues = set(params.ending.capitulation_issues) | set(params.ending.core_issues)
    assert issues <= set(scenario.issue_ids)


def test_broken_parameter_file_is_located(tmp_path):
    data = yaml.safe_load(default_parameters_path().read_text())
    data["parameters"]["hr.dmz"]["range"] = [0.3, 1.5]
    data["parameters"]["hr.dmz"]["value"] = 2.0
    del data["parameters"]["balance.elasticity"]
    data["levels"]["monitoring"].pop("bilateral")
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    params, problems = check_durability_parameters(path)
    assert params is None
    found = {(p.path, p.message) for p in problems}
    assert ("parameters.hr.dmz.value", "central value outside its range") in found
    assert ("parameters.hr.dmz.range", "a mechanism's hazard ratio must lie in (0, 1]") in found
    assert ("levels.monitoring", "levels do not match the mechanism's levels") in found
    missing = [p for p in problems if p.message == "missing parameter"]
    assert [p.expected for p in missing] == ["balance.elasticity"]
    assert all(p.line is not None for p in problems)


def test_every_parameter_and_field_is_documented():
    doc = (ROOT / "docs" / "durability.md").read_text()
    params = load_durability_parameters()
    missing = [pid for pid in params.parameters if f"`{pid}`" not in doc]
    assert not missing, f"undocumented parameters in docs/durability.md: {missing}"
    from zopa.io.deal_file import DealFile, TermEntry

    fields = set(DealFile.model_fields) | set(TermEntry.model_fields)
    for name, field in MechanismsEntry.model_fields.items():
        fields.add(name)
        fields |= set(field.annotation.model_fields)
    missing = sorted(f for f in fields if f"`{f}`" not in doc)
    assert not missing, f"undocumented deal-file fields in docs/durability.md: {missing}"


def test_python_snippets_in_the_docs_run(monkeypatch, capsys):
    import re

    doc = (ROOT / "docs" / "durability.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.DOTALL)
    assert blocks
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, "docs/durability.md", "exec"), {})
    assert "frozen_conflict" in capsys.readouterr().out


# --- a scenario loader shared by several deals ----------------------------------------------


def test_a_memoised_scenario_loader_reads_each_scenario_once():
    calls: list[Path] = []

    @functools.cache
    def load(path: Path) -> tuple[Scenario | None, list[Problem]]:
        calls.append(path)
        return check_scenario(path)

    for path in DEALS:
        shared = check_deal(path, scenario_loader=load)
        alone = check_deal(path)
        assert shared[0] == alone[0]
        assert shared[1] == alone[1]
        assert [p.format() for p in shared[2]] == [p.format() for p in alone[2]]
    assert calls == [SCENARIO.resolve()]
    assert load_deal(DEALS[0], scenario_loader=load) == load_deal(DEALS[0])
    assert calls == [SCENARIO.resolve()]


def test_problems_from_a_scenario_loader_are_located_as_before(deal_dir):
    path = _write(deal_dir, MINIMAL)
    scenario_problem = Problem("scenario.yaml", 3, "title", "something is wrong")
    seen: list[Path] = []

    def broken(target: Path) -> tuple[Scenario | None, list[Problem]]:
        seen.append(target)
        return None, [scenario_problem]

    deal, scenario, problems = check_deal(path, scenario_loader=broken)
    assert (deal, scenario) == (None, None)
    assert seen == [(deal_dir / "scenario.yaml").resolve()]
    assert problems[0] is scenario_problem
    assert [(p.line, p.path, p.message) for p in problems[1:]] == [
        (_line_of(MINIMAL, "scenario:"), "scenario", "the scenario file is not valid")
    ]
