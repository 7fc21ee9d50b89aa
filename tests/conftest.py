"""Shared fixtures: the seed article and the TBAQ development corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_68c4bcfba95a403f.txt"
TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tbaq_dir() -> Path:
    if not TBAQ.is_dir():
        pytest.fail(f"the TBAQ corpus is missing at {TBAQ}; it ships in ../shared/corpora")
    return TBAQ
