"""Shared fixtures: paths relative to this file, never the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw their examples deterministically (derived from each test) and keep
# no example database, so every machine and every run checks the same cases: a failure
# is reproducible, never a matter of luck. Explore more widely by hand with
# `pytest --hypothesis-profile explore`.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, database=None, max_examples=500)
settings.load_profile("deterministic")

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def repo_root() -> Path:
    return ROOT
