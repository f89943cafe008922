"""The JSON API, endpoint by endpoint, with every class of bad input (FastAPI test client)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

from zopa import service

from web_helpers import FLAGSHIP, ROOT, THREE, make_app

FORMATS = ROOT / "tests" / "fixtures" / "formats"
US_TERRITORY = {"stances": [{"actor": "US", "issue": "territory", "position": 60}]}


@pytest.fixture
def client(tmp_path):
    with TestClient(make_app(tmp_path)) as c:
        yield c


@pytest.fixture
def csrf(client):
    return {"X-CSRF-Token": client.get("/api/session").json()["csrf"]}


def _versions(client, sid=1):
    return [v["number"] for v in client.get(f"/api/scenarios/{sid}/versions").json()]


def _problems(response):
    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert problems
    for p in problems:
        assert set(p) == {"file", "line", "path", "message", "severity", "got", "expected", "hint"}
    return problems


# --- scenarios, versions, store ------------------------------------------------------


def test_the_flagship_is_in_the_store(client):
    (listed,) = client.get("/api/scenarios").json()
    assert listed["name"] == "ukraine-ceasefire-2026"
    assert listed["latest"] == 1
    got = client.get("/api/scenarios/1").json()
    flagship = service.load_scenario(FLAGSHIP).scenario
    assert got["data"]["title"] == flagship.title
    assert len(got["data"]["stances"]) == len(flagship.stances)
    assert got["version"]["author"] == "tester"
    assert len(client.get("/api/scenarios/1/deal-files").json()) == 5


def test_create_read_delete(client):
    text = THREE.read_text()
    made = client.post("/api/scenarios", json={"name": "three", "text": text, "message": "m"})
    assert made.status_code == 201
    sid = made.json()["id"]
    assert client.get(f"/api/scenarios/{sid}").json()["data"]["actors"][0]["id"] == "A"
    (v1,) = client.get(f"/api/scenarios/{sid}/versions").json()
    assert (v1["number"], v1["message"], v1["author"]) == (1, "m", "tester")
    again = client.post("/api/scenarios", json={"name": "three", "text": text})
    assert again.status_code == 409
    assert client.delete(f"/api/scenarios/{sid}").status_code == 204
    assert client.get(f"/api/scenarios/{sid}").status_code == 404
    assert len(client.get("/api/scenarios").json()) == 1


def test_create_from_json_text(client):
    data = json.dumps(service.load_scenario(THREE).to_dict(), default=str)
    made = client.post("/api/scenarios", json={"name": "j", "text": data, "format": "json"})
    assert made.status_code == 201


def test_every_save_is_a_new_version_with_a_diff_and_restore(client):
    saved = client.post("/api/scenarios/1/versions", json={"overrides": US_TERRITORY})
    assert saved.status_code == 201
    assert saved.json()["number"] == 2
    assert "US on territory" in saved.json()["message"]
    text = client.get("/api/scenarios/1/versions/2").json()["text"]
    edited = text.replace("title: ", "title: Edited ", 1)
    third = client.post(
        "/api/scenarios/1/versions", json={"text": edited, "author": "ana", "message": "title"}
    )
    assert (third.json()["number"], third.json()["author"]) == (3, "ana")
    diff = client.get("/api/scenarios/1/diff", params={"from": 1, "to": 2}).json()
    assert "-  position: 80" in diff["diff"]
    assert "+  position: 60" in diff["diff"]
    assert diff["added"] >= 1
    assert diff["removed"] >= 1
    restored = client.post("/api/scenarios/1/versions/1/restore", json={})
    assert restored.json()["number"] == 4
    assert restored.json()["message"] == "restored version 1"
    assert _versions(client) == [1, 2, 3, 4]
    v1 = client.get("/api/scenarios/1/versions/1").json()["text"]
    assert client.get("/api/scenarios/1/versions/4").json()["text"] == v1
    unchanged = client.get("/api/scenarios/1/diff", params={"from": 1}).json()
    assert unchanged["diff"] == ""
    assert client.get("/api/scenarios/1", params={"version": 2}).json()["version"]["number"] == 2


def test_import_every_format(client, csrf):
    for path in [THREE, *sorted(FORMATS.glob("*")), FLAGSHIP]:
        if "bad" in path.name:
            continue
        with path.open("rb") as f:
            made = client.post(
                "/api/scenarios/import",
                files={"file": (path.name, f)},
                data={"name": f"import-{path.name}"},
                headers=csrf,
            )
        assert made.status_code == 201, (path.name, made.text)


def test_import_xlsx_round_trip(client, csrf):
    exported = client.get("/api/scenarios/1/export", params={"format": "xlsx"})
    assert exported.status_code == 200
    assert exported.content[:2] == b"PK"
    assert "ukraine-ceasefire-2026-v1.xlsx" in exported.headers["content-disposition"]
    made = client.post(
        "/api/scenarios/import",
        files={"file": ("back.xlsx", exported.content)},
        headers=csrf,
    )
    assert made.status_code == 201, made.text


def test_export_yaml(client):
    got = client.get("/api/scenarios/1/export")
    assert got.status_code == 200
    assert got.text.startswith("zopa: 1")
    assert "&id" not in got.text  # no YAML anchors: zopa's reader rejects them
    assert got.text == client.get("/api/scenarios/1/versions/1").json()["text"]


def test_bad_files_give_located_problems_and_store_nothing(client, csrf):
    for path in sorted(FORMATS.glob("*bad*")):
        with path.open("rb") as f:
            answer = client.post(
                "/api/scenarios/import", files={"file": (path.name, f)}, headers=csrf
            )
        problems = _problems(answer)
        assert all(p["file"] in (path.name, "") for p in problems), problems
        assert all("zopa-upload" not in json.dumps(p) for p in problems)
    mistakes = (ROOT / "tests/fixtures/scenarios/ten-mistakes.yaml").read_text()
    problems = _problems(client.post("/api/scenarios", json={"name": "bad", "text": mistakes}))
    assert len(problems) >= 10
    assert all(p["line"] for p in problems if p["severity"] == "error")
    assert len(client.get("/api/scenarios").json()) == 1


def test_validate_an_upload(client, csrf):
    bad = ROOT / "tests/fixtures/scenarios/ten-mistakes.yaml"
    answer = client.post(
        "/api/validate", files={"file": ("mine.yaml", bad.read_bytes())}, headers=csrf
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data == json.loads(answer.text)
    assert "mine.yaml" in answer.text
    assert "zopa-validate" not in answer.text
    good = client.post(
        "/api/validate", files={"file": ("ok.yaml", THREE.read_bytes())}, headers=csrf
    )
    assert good.status_code == 200


def test_not_found(client):
    assert client.get("/api/scenarios/99").status_code == 404
    assert client.get("/api/scenarios/1/versions/9").status_code == 404
    assert client.post("/api/scenarios/99/forecast", json={}).status_code == 404
    assert client.get("/scenarios/1/nowhere").status_code == 404


def test_bad_version_bodies(client):
    _problems(client.post("/api/scenarios/1/versions", json={}))
    _problems(client.post("/api/scenarios/1/versions", json={"text": "zopa: 1\n"}))
    bad = {"stances": [{"actor": "US", "issue": "territory", "position": 999}]}
    problems = _problems(client.post("/api/scenarios/1/versions", json={"overrides": bad}))
    assert problems[0]["path"] == "stances[0].position"
    _problems(client.post("/api/scenarios/1/versions", json={"colour": "red"}))
    assert _versions(client) == [1]


# --- analyses -------------------------------------------------------------------------


def _same_as_service(answer, result):
    assert answer.status_code == 200, answer.text
    assert answer.json() == result.to_dict()


def test_forecast_is_the_service_json(client):
    flagship = service.load_scenario(FLAGSHIP).scenario
    body = {"models": ["median", "nash"], "draws": 50, "seed": 3}
    answer = client.post("/api/scenarios/1/forecast", json=body)
    _same_as_service(
        answer, service.forecast(flagship, models=["median", "nash"], draws=50, seed=3)
    )
    assert (
        answer.text
        == service.forecast(flagship, models=["median", "nash"], draws=50, seed=3).to_json()
    )
    assert "analysis;dur=" in answer.headers["server-timing"]


def test_deals_tables_sensitivity_are_the_service_json(client):
    flagship = service.load_scenario(FLAGSHIP).scenario
    _same_as_service(client.post("/api/scenarios/1/deals", json={}), service.deals(flagship))
    tables = {"bilateral": ["US", "RU"], "with-ukraine": ["US", "RU", "UA"]}
    _same_as_service(
        client.post("/api/scenarios/1/tables", json={"tables": tables, "forecasts": False}),
        service.tables(flagship, tables, forecasts=False),
    )
    answer = client.post("/api/scenarios/1/sensitivity", json={"method": "morris", "samples": 8})
    expected = service.sensitivity(flagship, method="morris", samples=8).to_dict()
    assert answer.status_code == 200
    got = answer.json()
    got.pop("seconds")  # how long it took, not a result
    expected.pop("seconds")
    assert got == expected


def test_durability_one_and_compared(client):
    names = client.get("/api/scenarios/1/deal-files").json()
    one = client.post("/api/scenarios/1/durability", json={"deals": names[:1], "draws": 200})
    assert one.status_code == 200, one.text
    deal = service.load_deal(FLAGSHIP.parent / "deals" / names[0])
    expected = json.loads(service.durability(deal, draws=200).to_json())
    assert one.json() == expected
    every = client.post("/api/scenarios/1/durability", json={"draws": 200})
    assert len(every.json()["deals"]) == 5
    _problems(client.post("/api/scenarios/1/durability", json={"deals": ["nope.yaml"]}))
    _problems(client.post("/api/scenarios/1/durability", json={"draws": 5}))


def test_durability_follows_unsaved_changes(client, tmp_path):
    """Overrides in the request reach the scenario the deals are assessed against."""
    names = client.get("/api/scenarios/1/deal-files").json()
    change = {"stances": [{"actor": "RU", "issue": "territory", "position": 5}]}
    asked = {"deals": names[:1], "draws": 200, "overrides": change}
    got = client.post("/api/scenarios/1/durability", json=asked)
    assert got.status_code == 200, got.text
    changed = service.with_overrides(service.load_scenario(FLAGSHIP).scenario, **change)
    (tmp_path / "deals").mkdir()
    from zopa.io import save_scenario

    save_scenario(changed, tmp_path / "scenario.yaml")
    text = (FLAGSHIP.parent / "deals" / names[0]).read_text()
    deal = tmp_path / "deals" / names[0]
    deal.write_text(
        text.replace("scenario: ../ukraine-ceasefire-2026.yaml", "scenario: ../scenario.yaml")
    )
    expected = json.loads(service.durability(service.load_deal(deal), draws=200).to_json())
    expected.pop("deal", None)
    answer = got.json()
    answer.pop("deal", None)
    assert answer == expected
    unchanged = client.post("/api/scenarios/1/durability", json={"deals": names[:1], "draws": 200})
    assert unchanged.json()["utilities"] != got.json()["utilities"]
    assert _versions(client) == [1]


def test_deal_files_are_checked_against_the_scenario(client):
    deal = (FLAGSHIP.parent / "deals" / "e3-counter-proposal-2025-11.yaml").read_text()
    bad = deal.replace("territory:", "territorry:", 1)
    problems = _problems(
        client.post("/api/scenarios/1/deal-files", json={"name": "bad.yaml", "text": bad})
    )
    assert any("territorry" in json.dumps(p) for p in problems)
    assert len(client.get("/api/scenarios/1/deal-files").json()) == 5
    added = client.post("/api/scenarios/1/deal-files", json={"name": "copy.yaml", "text": deal})
    assert added.status_code == 201
    twice = client.post("/api/scenarios/1/deal-files", json={"name": "copy.yaml", "text": deal})
    assert twice.status_code == 409


def test_what_if_changes_the_forecast_and_saves_nothing(client):
    base = client.post("/api/scenarios/1/forecast", json={"models": ["all"]}).json()
    answer = client.post(
        "/api/scenarios/1/what-if",
        json={"overrides": US_TERRITORY, "forecast": {"models": ["all"]}, "deals": {}},
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["forecast"]["forecasts"] != base["forecasts"]
    assert data["deals"]["zopa"] is not None or "zopa" in data["deals"]
    assert data["tables"] is None
    assert data["elapsed_ms"] > 0
    flagship = service.load_scenario(FLAGSHIP).scenario
    changed = service.with_overrides(flagship, **US_TERRITORY)
    assert data["forecast"] == service.forecast(changed, models=["all"]).to_dict()
    assert _versions(client) == [1]


def test_advice_for_one_actor_as_the_service_gives_it(client):
    body = {"actor": "EU", "top": 3, "deal_space": False}
    answer = client.post("/api/scenarios/1/advise", json=body)
    assert answer.status_code == 200, answer.text
    flagship = service.load_scenario(FLAGSHIP).scenario
    want = service.advise(flagship, actor="EU", top=3, deal_space=False).to_dict()
    assert answer.json() == want
    assert [lever["rank"] for lever in want["own"]] == [1, 2, 3]
    # on unsaved changes, through what-if: the changed scenario's advice
    changed = client.post(
        "/api/scenarios/1/what-if",
        json={"overrides": US_TERRITORY, "forecast": None, "advise": body},
    ).json()
    moved = service.with_overrides(flagship, **US_TERRITORY)
    assert changed["advise"] == service.advise(moved, actor="EU", top=3, deal_space=False).to_dict()
    assert changed["advise"] != want
    bad = client.post("/api/scenarios/1/what-if", json={"advise": {"actor": "XX"}})
    assert [p["path"] for p in _problems(bad)] == ["actor"]


def test_what_if_bad_input(client):
    def ask(overrides, **more):
        return client.post("/api/scenarios/1/what-if", json={"overrides": overrides, **more})

    bad = {"stances": [{"actor": "US", "issue": "territory", "position": 101}]}
    assert _problems(ask(bad))[0]["path"] == "stances[0].position"
    unknown = {"stances": [{"actor": "XX", "issue": "territory", "position": 1}]}
    assert _problems(ask(unknown))[0]["path"] == "stances[0]"
    _problems(ask({"actors": [{"actor": "ZZ", "capability": 1}]}))
    _problems(ask({"stances": [{"actor": "US", "issue": "territory", "position": "high"}]}))
    _problems(ask({}, forecast={"models": ["oracle"]}))
    _problems(ask({}, forecast={"draws": 10**9}))
    _problems(ask({}, forecast={"params": {"nosuch": 1}}))
    _problems(ask({}, deals={"parties": ["XX"]}))
    _problems(ask({}, tables={"tables": {"t": ["XX"]}}))
    assert _versions(client) == [1]


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("forecast", {"models": ["oracle"]}),
        ("forecast", {"draws": -1}),
        ("forecast", {"draws": 10**6}),
        ("forecast", {"rounds": 0}),
        ("deals", {"grid": 1}),
        ("deals", {"parties": []}),
        ("deals", {"loss": "cubic"}),
        ("tables", {"tables": {}}),
        ("tables", {"tables": {"t": ["XX"]}}),
        ("sensitivity", {"model": "oracle"}),
        ("sensitivity", {"issues": ["nowhere"]}),
        ("durability", {"draws": 10**7}),
        ("advise", {}),
        ("advise", {"actor": "XX"}),
        ("advise", {"actor": "EU", "model": "oracle"}),
        ("advise", {"actor": "EU", "top": 0}),
        ("advise", {"actor": "EU", "rank_by": "luck"}),
    ],
)
def test_analyses_bad_input(client, route, body):
    _problems(client.post(f"/api/scenarios/1/{route}", json=body))


def test_backtest_on_an_upload(client, csrf):
    deu = ROOT / "tests/fixtures/deu"
    answer = client.post(
        "/api/backtest",
        files={
            "file": ("deu.csv", (deu / "deu-sample.csv").read_bytes()),
            "capability": ("votes.csv", (deu / "council-votes.csv").read_bytes()),
        },
        data={"models": "median,compromise", "bootstrap": "50"},
        headers=csrf,
    )
    assert answer.status_code == 200, answer.text
    cases = service.load_cases(deu / "deu-sample.csv", capability=deu / "council-votes.csv")
    expected = service.backtest(cases, models=["median", "compromise"], bootstrap=50)
    assert answer.json() == expected.to_dict()
    bad = client.post(
        "/api/backtest", files={"file": ("cases.yaml", THREE.read_bytes())}, headers=csrf
    )
    _problems(bad)


def test_report_download(client):
    answer = client.get("/api/scenarios/1/report", params={"draws": 20})
    assert answer.status_code == 200, answer.text
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert "report.md" in names
    assert "forecasts.json" in names
    assert "durability.json" in names


def test_request_errors_are_located_problems(client):
    answer = client.post(
        "/api/scenarios/1/forecast",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    _problems(answer)
    problems = _problems(client.post("/api/scenarios/1/forecast", json={"draws": "many"}))
    assert problems[0]["path"] == "draws"
