"""Shared set-up of the web tests: an app over a fresh SQLite store with the flagship."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "ukraine-ceasefire-2026.yaml"
THREE = ROOT / "tests" / "fixtures" / "scenarios" / "three-actors.yaml"


def make_app(tmp_path: Path, **options):
    from zopa.web import Settings, create_app

    settings = Settings(
        store_url=f"sqlite:///{tmp_path / 'zopa.db'}",
        seed_files=(str(FLAGSHIP),),
        author="tester",
        **options,
    )
    return create_app(settings)
