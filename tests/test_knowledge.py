"""Tests of timeline.knowledge: the known-events loader, series lookups, countries, holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timeline import knowledge as kb
from timeline.calendar import Interval
from timeline.errors import RuleError

SMALL = Path(__file__).parent / "data" / "known_events_small.csv"
HEADER = ",".join(kb.CSV_HEADER)
GOOD_ROW = "g20_summit,G20 Hamburg summit 2017,2017-07-07,2017-07-08,Hamburg,DE,g20 hamburg,src"


def _write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- loader --------------------------------------------------------------------------------

def test_load_small_table() -> None:
    events = kb.load_events(SMALL)
    assert len(events) == 41
    hamburg = next(e for e in events if e.name == "G20 Hamburg summit 2017")
    assert (hamburg.start, hamburg.end) == (date(2017, 7, 7), date(2017, 7, 8))
    assert hamburg.interval == Interval(date(2017, 7, 7), date(2017, 7, 9))
    assert hamburg.aliases == ("hamburg summit", "g20 hamburg")
    assert kb.load_events(SMALL) is events


def test_project_table_loads_and_names_known_series() -> None:
    events = kb.load_events()
    assert len(events) >= 200
    series = kb.series_data()[0]
    assert {e.series for e in events} <= set(series)
    assert {e.series for e in events} == set(series)


def test_good_row_loads(tmp_path: Path) -> None:
    (event,) = kb.load_events(_write(tmp_path, GOOD_ROW))
    assert event.country == "DE" and event.source == "src"


@pytest.mark.parametrize("row, header", [
    (GOOD_ROW, "series,name,start,end,place,country,source"),
    ("g20_summit,G20 Hamburg,2017-07-32,2017-07-08,Hamburg,DE,,src", HEADER),
    ("g20_summit,G20 Hamburg,2017-07-08,2017-07-07,Hamburg,DE,,src", HEADER),
    ("g20_summit,G20 Hamburg,2017-07-07,2017-07-08,Hamburg,DE,,", HEADER),
    ("G20 Summit,G20 Hamburg,2017-07-07,2017-07-08,Hamburg,DE,,src", HEADER),
    ("g20_summit,,2017-07-07,2017-07-08,Hamburg,DE,,src", HEADER),
    ("g20_summit,G20 Hamburg,2017-07-07", HEADER),
])
def test_bad_rows_raise(tmp_path: Path, row: str, header: str) -> None:
    with pytest.raises(RuleError):
        kb.load_events(_write(tmp_path, row, header=header))


def test_duplicate_row_raises(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="duplicate"):
        kb.load_events(_write(tmp_path, GOOD_ROW, GOOD_ROW))


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(RuleError):
        kb.load_events(tmp_path / "nope.csv")


# --- series ----------------------------------------------------------------------------------

@pytest.mark.parametrize("example", kb.series_data()[3], ids=lambda e: e["phrase"])
def test_series_examples(example: dict) -> None:
    found = kb.series_for(example["phrase"], example.get("country"), path=SMALL)
    assert found == (example["series"] or None)


def test_series_options_of_generic_phrases() -> None:
    assert kb.series_options("the Olympics") == ("summer_olympics", "winter_olympics")
    assert set(kb.series_options("the election", "US")) == {"us_presidential_election",
                                                            "us_midterm_election"}
    assert kb.series_options("the election", "SY") == ()


def test_nearest_event_directions() -> None:
    day = date(2017, 1, 31)
    assert kb.nearest_event("g20_summit", day, "after", path=SMALL).name == \
        "G20 Hamburg summit 2017"
    assert kb.nearest_event("g20_summit", day, "before", path=SMALL).name == \
        "G20 Hangzhou summit 2016"
    assert kb.nearest_event("g20_summit", day, "at", path=SMALL) is None
    assert kb.nearest_event("g20_summit", date(2017, 7, 8), "at", path=SMALL).name == \
        "G20 Hamburg summit 2017"
    assert kb.nearest_event("g7_summit", date(2017, 6, 1), "nearest", path=SMALL).name == \
        "G7 Taormina summit 2017"
    assert kb.nearest_event("g20_summit", day, "after", country="JP", path=SMALL).name == \
        "G20 Osaka summit 2019"
    assert kb.nearest_event("fifa_world_cup", date(2030, 1, 1), "after", path=SMALL) is None
    with pytest.raises(ValueError):
        kb.nearest_event("g20_summit", day, "sideways", path=SMALL)


def test_events_in_year() -> None:
    names = [e.name for e in kb.events_in_year("g20_summit", 2009, path=SMALL)]
    assert names == ["G20 London summit 2009", "G20 Pittsburgh summit 2009"]
    assert kb.events_in_year("g20_summit", 2030, path=SMALL) == []


def test_choose_by_year_and_name() -> None:
    occurrences = [kb.event_occurrence(e) for e in kb.load_events(SMALL)
                   if e.series == "summer_olympics"]
    assert kb.choose(occurrences, None, "at", 2016).name == "Summer Olympics 2016 Rio de Janeiro"
    assert kb.choose(occurrences, None, "after") is None


def test_numbered_forms() -> None:
    base = kb.knowledge_base(SMALL)
    assert base.numbered("COP 21").name == "COP21 Paris 2015"
    assert base.numbered("COP30") is None


# --- countries -------------------------------------------------------------------------------

@pytest.mark.parametrize("example", kb.country_examples(), ids=lambda e: e["text"][:30])
def test_country_examples(example: dict) -> None:
    assert kb.article_country(example["text"]) == (example["country"] or None)


def test_country_counts_and_restriction(seed_text: str) -> None:
    counts = kb.country_mentions(seed_text)
    assert counts["US"] >= 10 and counts["RU"] >= 8
    assert kb.article_country("Assad and Assad and Putin", among={"US", "RU"}) == "RU"
    assert kb.country_of("U.S.") == "US" and kb.country_of("Ruritania") is None


# --- holidays --------------------------------------------------------------------------------

@pytest.mark.parametrize("example", kb.holiday_data()[1],
                         ids=lambda e: f"{e['key']}-{e['year']}-{e.get('country', '')}")
def test_holiday_examples(example: dict) -> None:
    found = kb.holiday_interval(example["key"], example["year"], example.get("country"))
    expected = Interval(date.fromisoformat(example["start"]), date.fromisoformat(example["end"]))
    assert found == expected


def test_named_holidays() -> None:
    assert kb.holiday_interval("thanksgiving", 2017, "US") == \
        Interval(date(2017, 11, 23), date(2017, 11, 24))
    assert kb.holiday_interval("easter", 2017) == Interval(date(2017, 4, 16), date(2017, 4, 17))
    assert kb.holiday_interval("christmas_eve", 2017) == \
        Interval(date(2017, 12, 24), date(2017, 12, 25))
    # A country without Thanksgiving falls back to the first country listed (US).
    assert kb.holiday_interval("thanksgiving", 2017, "FR") == \
        Interval(date(2017, 11, 23), date(2017, 11, 24))
    assert kb.holiday_interval("no_such_day", 2017) is None


@pytest.mark.parametrize("phrase, key", [
    ("Thanksgiving", "thanksgiving"), ("Christmas", "christmas"), ("Christmas Eve",
                                                                  "christmas_eve"),
    ("Easter", "easter"), ("Good Friday", "good_friday"), ("New Year's Day", "new_years_day"),
    ("New Year\u2019s Eve", "new_years_eve"), ("Independence Day", "independence_day"),
    ("Labour Day", "labor_day"), ("Memorial Day", "memorial_day"), ("Halloween", "halloween"),
    ("Christmas 2016", "christmas"), ("the Fourth of July", "independence_day"),
    ("Tuesday", None), ("summit", None),
])
def test_holiday_for(phrase: str, key: str | None) -> None:
    assert kb.holiday_for(phrase) == key


def test_easter_based_and_fixed_holidays_resolve_every_year() -> None:
    for key, holiday in kb.holiday_data()[0].items():
        if holiday.package:
            continue
        for year in (2000, 2017, 2026):
            found = kb.holiday_interval(key, year)
            assert found is not None and found.start.year == year, key
