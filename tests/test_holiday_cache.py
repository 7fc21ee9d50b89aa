"""The on-disk cache of what the ``holidays`` package answers (timeline.holiday_cache)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from timeline import holiday_cache
from timeline import knowledge as kb

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    holiday_cache.forget()
    yield tmp_path
    holiday_cache.forget()


def _counting(calls: list[tuple[str, int]]):
    def compute(country: str, year: int) -> dict[str, date]:
        calls.append((country, year))
        return kb._ask_package(country, year)
    return compute


def test_the_package_is_asked_once_then_the_file_answers(cache_dir: Path) -> None:
    calls: list[tuple[str, int]] = []
    first = holiday_cache.days("US", 2017, _counting(calls))
    assert first["Thanksgiving Day"] == date(2017, 11, 23)
    assert holiday_cache.days("US", 2017, _counting(calls)) == first
    holiday_cache.forget()                         # as a new process would start
    assert holiday_cache.days("US", 2017, _counting(calls)) == first
    assert calls == [("US", 2017)]
    path = holiday_cache.cache_path()
    assert path is not None and path.parent == cache_dir
    assert json.loads(path.read_text(encoding="utf-8"))["US:2017"]["Thanksgiving Day"] == \
        "2017-11-23"


def test_the_file_is_named_for_the_package_version(cache_dir: Path) -> None:
    import holidays

    assert holiday_cache.package_version() == holidays.__version__
    assert holiday_cache.cache_path() == cache_dir / f"holidays-{holidays.__version__}.json"


def test_a_later_process_does_not_import_the_package(cache_dir: Path) -> None:
    code = ("import sys, timeline; from timeline import knowledge as kb\n"
            "print(kb.holiday_interval('thanksgiving', 2016, 'US'), 'holidays' in sys.modules)")
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    expected = "Interval(start=datetime.date(2016, 11, 24), end=datetime.date(2016, 11, 25))"
    assert runs[0].stdout.strip() == f"{expected} True"
    assert runs[1].stdout.strip() == f"{expected} False"


def test_a_damaged_file_is_asked_past_and_rewritten(cache_dir: Path) -> None:
    path = holiday_cache.cache_path()
    assert path is not None
    path.write_text('{"US:2017": {"Thanksgiving Day": "not a date"', encoding="utf-8")
    calls: list[tuple[str, int]] = []
    assert holiday_cache.days("US", 2017, _counting(calls))["Thanksgiving Day"] == \
        date(2017, 11, 23)
    assert calls == [("US", 2017)]
    assert json.loads(path.read_text(encoding="utf-8"))["US:2017"]["Thanksgiving Day"] == \
        "2017-11-23"
    path.write_text('{"US:2017": {"Thanksgiving Day": "2017-13-45"}}', encoding="utf-8")
    holiday_cache.forget()
    assert holiday_cache.days("US", 2017, _counting(calls))["Thanksgiving Day"] == \
        date(2017, 11, 23)
    assert len(calls) == 2


def test_off_or_unwritable_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "off")
    holiday_cache.forget()
    assert holiday_cache.cache_path() is None
    holiday_cache.days("GB", 2017, _counting(calls))
    holiday_cache.days("GB", 2017, _counting(calls))
    assert len(calls) == 2
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(blocked / "cache"))
    holiday_cache.forget()
    found = holiday_cache.days("GB", 2017, _counting(calls))
    assert found["Christmas Day"] == date(2017, 12, 25)
    assert not (blocked / "cache").exists()
    holiday_cache.forget()
