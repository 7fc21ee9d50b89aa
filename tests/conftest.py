"""Shared fixtures: the seed article and the TBAQ development corpus."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_68c4bcfba95a403f.txt"
TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq"
_CACHE: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """The tests (and the processes they start) keep the holiday cache in a folder of their
    own, not the user's ~/.cache."""
    global _CACHE
    _CACHE = tempfile.mkdtemp(prefix="timeline-test-cache-")
    os.environ["TIMELINE_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE:
        shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tbaq_dir() -> Path:
    if not TBAQ.is_dir():
        pytest.fail(f"the TBAQ corpus is missing at {TBAQ}; it ships in ../shared/corpora")
    return TBAQ
