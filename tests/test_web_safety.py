"""The web app's guards: Host header, token, upload cap, cross-site writes, time limit."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading

import pytest
from fastapi.testclient import TestClient

from zopa.web.runner import Runner, TooSlow
from zopa.web.settings import hosts_for

from web_helpers import THREE, make_app


def _client(tmp_path, **options):
    return TestClient(make_app(tmp_path, **options))


def test_only_the_bound_host_names_are_answered(tmp_path):
    allowed = hosts_for("127.0.0.1", 8000)
    assert "localhost:8000" in allowed
    assert "127.0.0.1:8000" in allowed
    with _client(tmp_path, allowed_hosts=allowed) as c:
        ok = c.get("/api/scenarios", headers={"host": "127.0.0.1:8000"})
        assert ok.status_code == 200
        rebound = c.get("/api/scenarios", headers={"host": "evil.example:8000"})
        assert rebound.status_code == 400
        assert "Host" in rebound.json()["reason"]
    assert hosts_for("0.0.0.0", 8000) == ()  # every interface: the token protects instead
    assert hosts_for("::1", 80) == tuple(sorted(hosts_for("::1", 80)))
    assert "[::1]:80" in hosts_for("::1", 80)


def test_a_token_is_required_when_set(tmp_path):
    with _client(tmp_path, token="s3cret") as c:
        assert c.get("/api/scenarios").status_code == 401
        assert c.get("/").status_code == 401
        bad = c.get("/api/scenarios", headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
        good = c.get("/api/scenarios", headers={"Authorization": "Bearer s3cret"})
        assert good.status_code == 200
        page = c.get("/", params={"token": "s3cret"})  # the address printed at start
        assert page.status_code == 200
        assert "zopa_token" in page.headers["set-cookie"]
        assert "samesite=strict" in page.headers["set-cookie"].lower()
        assert c.get("/api/scenarios").status_code == 200  # the cookie now


def test_posts_need_json_or_the_csrf_token(tmp_path):
    with _client(tmp_path) as c:
        form = c.post("/api/scenarios", data={"name": "x", "text": "y"})
        assert form.status_code == 403
        plain = c.post(
            "/api/scenarios/1/forecast", content=b"{}", headers={"content-type": "text/plain"}
        )
        assert plain.status_code == 403
        upload = c.post("/api/scenarios/import", files={"file": ("t.yaml", THREE.read_bytes())})
        assert upload.status_code == 403
        csrf = c.get("/api/session").json()["csrf"]
        assert csrf in c.get("/").text  # the pages carry it
        upload = c.post(
            "/api/scenarios/import",
            files={"file": ("t.yaml", THREE.read_bytes())},
            headers={"X-CSRF-Token": csrf},
        )
        assert upload.status_code == 201
        assert c.post("/api/scenarios/1/forecast", json={}).status_code == 200
        assert len(c.get("/api/scenarios").json()) == 2


def test_uploads_are_capped(tmp_path):
    with _client(tmp_path, max_upload=1000) as c:
        csrf = {"X-CSRF-Token": c.get("/api/session").json()["csrf"]}
        big = c.post("/api/scenarios/import", files={"file": ("t.yaml", b"#" * 5000)}, headers=csrf)
        assert big.status_code == 413
        assert len(c.get("/api/scenarios").json()) == 1


def test_the_ten_mib_cap_by_default(tmp_path):
    with _client(tmp_path) as c:
        csrf = {"X-CSRF-Token": c.get("/api/session").json()["csrf"]}
        big = c.post(
            "/api/scenarios/import",
            files={"file": ("t.yaml", b"#" * (10 * 1024 * 1024 + 1))},
            headers=csrf,
        )
        assert big.status_code == 413


def test_draws_are_capped(tmp_path):
    with _client(tmp_path, max_draws=100) as c:
        answer = c.post("/api/scenarios/1/forecast", json={"draws": 101})
        assert answer.status_code == 422
        assert answer.json()["problems"][0]["path"] == "draws"
        assert c.post("/api/scenarios/1/forecast", json={"draws": 100}).status_code == 200


def test_a_slow_analysis_gets_503_and_does_not_stall_the_others():
    release = threading.Event()
    runner = Runner(workers=2, time_limit=0.2)

    async def both():
        slow = asyncio.ensure_future(runner.run(lambda: release.wait(30)))
        fast = await runner.run(lambda: "answered")
        with pytest.raises(TooSlow):
            await slow
        return fast

    try:
        assert asyncio.run(both()) == "answered"
    finally:
        release.set()
        runner.close()


def test_the_time_limit_answers_503(tmp_path):
    with _client(tmp_path, time_limit=1e-6) as c:
        answer = c.post("/api/scenarios/1/forecast", json={"models": ["all"], "draws": 2000})
        assert answer.status_code == 503
        assert "limit" in answer.json()["reason"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_seeding_skips_deal_files_that_are_not_regular_or_not_text(tmp_path):
    """A FIFO or a non-UTF-8 file among a seed's deals is skipped, not read (no hang)."""
    from zopa.web import Settings
    from zopa.web.app import seed_store
    from zopa.web.store import Store

    folder = tmp_path / "seed"
    (folder / "deals").mkdir(parents=True)
    scenario = folder / "three.yaml"
    shutil.copy(THREE, scenario)
    good = "scenario: three.yaml\n"
    (folder / "deals" / "a-good.yaml").write_text(good, encoding="utf-8")
    (folder / "deals" / "b-latin1.yaml").write_bytes(b"scenario: three.yaml # caf\xe9\n")
    os.mkfifo(folder / "deals" / "c-pipe.yaml")
    store = Store(f"sqlite:///{tmp_path / 'zopa.db'}")
    settings = Settings(
        store_url=f"sqlite:///{tmp_path / 'zopa.db'}",
        seed_files=(str(scenario),),
        author="tester",
    )
    seed_store(store, settings)
    created = store.find("three")
    assert created is not None
    assert store.deals(created.id) == {"a-good.yaml": good}
