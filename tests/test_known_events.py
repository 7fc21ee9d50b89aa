"""Shape and fact checks for the known-events table, timeline/data/known_events.csv."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

CSV_PATH = Path(__file__).resolve().parent.parent / "timeline" / "data" / "known_events.csv"
HEADER = ["series", "name", "start", "end", "place", "country", "aliases", "source"]
SERIES = {
    "g20_summit", "g7_summit", "nato_summit", "brics_summit", "apec_meeting", "cop", "davos",
    "us_presidential_election", "us_midterm_election", "uk_general_election", "uk_referendum",
    "french_presidential_election", "german_federal_election", "russian_presidential_election",
    "summer_olympics", "winter_olympics", "fifa_world_cup", "covid_pandemic", "h1n1_pandemic",
    "kuwait_invasion", "iraq_invasion", "ukraine_invasion",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The only (series, start year) pairs allowed to hold two rows: both names must be listed.
MET_TWICE = {
    ("g20_summit", 2009): {"G20 London summit 2009", "G20 Pittsburgh summit 2009"},
    ("g20_summit", 2010): {"G20 Toronto summit 2010", "G20 Seoul summit 2010"},
    ("cop", 2001): {"COP6-bis Bonn (resumed COP6)", "COP7 Marrakech"},
}

# Yearly series: first year, last year, and every year without a row with the reason.
YEARLY = {
    "g20_summit": (2008, 2026, {}),
    "g7_summit": (2000, 2026, {2020: "summit cancelled (COVID-19)"}),
    "brics_summit": (2009, 2025, {}),  # 2026 (India): dates not found in any source
    "apec_meeting": (2000, 2026, {2019: "Santiago meeting cancelled (protests in Chile)"}),
    "cop": (2000, 2026, {2020: "COP26 postponed to 2021 (COVID-19)"}),
    "davos": (2000, 2026, {
        2004: "dates not confirmed by a source",
        2021: "in-person meeting cancelled (COVID-19)",
    }),
}
# Other series: the start years expected (Tokyo 2020 was held in 2021).
START_YEARS = {
    "nato_summit": {2001, 2002, 2004, 2005, 2006, 2008, 2009, 2010, 2012, 2014, 2016, 2017, 2018,
                    2019, 2021, 2022, 2023, 2024, 2025, 2026},
    "us_presidential_election": {2000, 2004, 2008, 2012, 2016, 2020, 2024},
    "us_midterm_election": {2002, 2006, 2010, 2014, 2018, 2022, 2026},
    "uk_general_election": {2001, 2005, 2010, 2015, 2017, 2019, 2024},
    "uk_referendum": {2014, 2016},
    "french_presidential_election": {2002, 2007, 2012, 2017, 2022},
    "german_federal_election": {2002, 2005, 2009, 2013, 2017, 2021, 2025},
    "russian_presidential_election": {2000, 2004, 2008, 2012, 2018, 2024},
    "summer_olympics": {2000, 2004, 2008, 2012, 2016, 2021, 2024},
    "winter_olympics": {2002, 2006, 2010, 2014, 2018, 2022, 2026},
    "fifa_world_cup": {2002, 2006, 2010, 2014, 2018, 2022, 2026},
}

# Inclusive length in days (min, max) of one event of the series.
LENGTH_DAYS = {
    "g20_summit": (1, 3), "g7_summit": (2, 4), "nato_summit": (1, 3), "brics_summit": (1, 3),
    "apec_meeting": (1, 2), "cop": (10, 16), "davos": (4, 6),
    "summer_olympics": (16, 18), "winter_olympics": (16, 18), "fifa_world_cup": (29, 39),
    # WHO's declaration of a pandemic to its end (H1N1: 14 months; COVID-19: 38).
    "h1n1_pandemic": (400, 450), "covid_pandemic": (1100, 1200),
    # An invasion is the day it began.
    "kuwait_invasion": (1, 1), "iraq_invasion": (1, 1), "ukraine_invasion": (1, 1),
}
ONE_DAY_VOTES = {
    "us_presidential_election", "us_midterm_election", "uk_general_election", "uk_referendum",
    "french_presidential_election", "german_federal_election", "russian_presidential_election",
}
# Polling day by convention or law (Monday is 0).
VOTING_WEEKDAY = {
    "uk_general_election": 3, "uk_referendum": 3, "french_presidential_election": 6,
    "german_federal_election": 6, "russian_presidential_election": 6,
}
# Phrases too vague to name one event.
GENERIC_ALIASES = {
    "summit", "the summit", "meeting", "the meeting", "election", "the election", "vote",
    "the vote", "referendum", "olympics", "the olympics", "world cup", "the world cup", "games",
    "conference", "climate conference", "g20", "g7", "g8", "nato", "brics", "apec", "cop",
    "davos", "wef", "midterms", "general election", "presidential election",
}


def load_rows() -> list[dict[str, str]]:
    """Read the table as a list of dicts, failing on a missing file or a stray column."""
    if not CSV_PATH.is_file():
        pytest.fail(f"the known-events table is missing at {CSV_PATH}")
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    for row in rows:
        assert None not in row and None not in row.values(), f"ragged row: {row}"
    return rows


ROWS = load_rows()


def day(text: str) -> date:
    return date.fromisoformat(text)


def aliases(row: dict[str, str]) -> list[str]:
    return [a for a in row["aliases"].split("|")] if row["aliases"] else []


def us_election_day(year: int) -> date:
    """The Tuesday next after the first Monday in November (3 U.S.C. § 1, 2 U.S.C. § 7)."""
    first = date(year, 11, 1)
    first_monday = first + timedelta(days=(0 - first.weekday()) % 7)
    return first_monday + timedelta(days=1)


def by_alias(alias: str) -> dict[str, str]:
    found = [r for r in ROWS if alias in aliases(r)]
    assert len(found) == 1, f"alias {alias!r} should name exactly one event, got {len(found)}"
    return found[0]


def test_file_is_utf8_with_exact_header() -> None:
    raw = CSV_PATH.read_bytes()
    text = raw.decode("utf-8")  # raises on bad UTF-8
    assert not text.startswith("\ufeff"), "no byte-order mark"
    assert text.splitlines()[0].split(",") == HEADER


def test_holds_at_least_200_events() -> None:
    assert len(ROWS) >= 200


def test_dates_are_iso_and_ordered() -> None:
    for row in ROWS:
        assert ISO_DATE.match(row["start"]) and ISO_DATE.match(row["end"]), row["name"]
        start, end = day(row["start"]), day(row["end"])
        assert start <= end, f"{row['name']}: start after end"
        assert 1990 <= start.year <= 2026, f"{row['name']}: outside 1990-2026"


def test_series_are_known_and_all_present() -> None:
    used = {row["series"] for row in ROWS}
    assert used <= SERIES, f"unknown series: {used - SERIES}"
    assert used == SERIES, f"series without rows: {SERIES - used}"


def test_required_cells_are_filled() -> None:
    for row in ROWS:
        for column in ("series", "name", "start", "end", "place", "source"):
            assert row[column].strip() == row[column] and row[column], f"{row['name']}: {column}"
        if row["place"] == "Worldwide":         # a pandemic: no one country
            assert row["country"] == "", row["name"]
        else:
            assert re.fullmatch(r"[A-Z]{2}", row["country"]), f"{row['name']}: {row['country']!r}"


def test_sources_look_like_urls() -> None:
    for row in ROWS:
        url = urlparse(row["source"])
        assert url.scheme in {"http", "https"}, f"{row['name']}: {row['source']}"
        assert "." in url.netloc and not re.search(r"\s", row["source"]), row["source"]


def test_names_are_unique() -> None:
    names = [row["name"] for row in ROWS]
    assert len(names) == len(set(names))


def test_one_row_per_series_and_year_except_listed_double_years() -> None:
    groups: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in ROWS:
        groups[(row["series"], day(row["start"]).year)].add(row["name"])
    for key, names in groups.items():
        if len(names) > 1:
            assert MET_TWICE.get(key) == names, f"duplicate series and year {key}: {names}"
    for key, names in MET_TWICE.items():
        assert groups[key] == names, f"allow-listed double year {key} no longer matches"


@pytest.mark.parametrize("series", sorted(YEARLY))
def test_yearly_series_have_no_unexplained_gaps(series: str) -> None:
    first, last, gaps = YEARLY[series]
    years = {day(r["start"]).year for r in ROWS if r["series"] == series}
    expected = set(range(first, last + 1)) - set(gaps)
    missing, extra = sorted(expected - years), sorted(years - expected)
    assert years == expected, f"{series}: missing {missing}, extra {extra}"


@pytest.mark.parametrize("series", sorted(START_YEARS))
def test_periodic_series_cover_the_issue_range(series: str) -> None:
    years = {day(r["start"]).year for r in ROWS if r["series"] == series}
    assert years == START_YEARS[series]


def test_rows_are_chronological_and_do_not_overlap_within_a_series() -> None:
    last_end: dict[str, date] = {}
    for row in ROWS:
        start = day(row["start"])
        previous = last_end.get(row["series"])
        assert previous is None or start > previous, f"{row['name']} overlaps or is out of order"
        last_end[row["series"]] = day(row["end"])


def test_event_lengths_are_plausible() -> None:
    for row in ROWS:
        length = (day(row["end"]) - day(row["start"])).days + 1
        if row["series"] in ONE_DAY_VOTES:
            limit = 3 if row["series"] == "russian_presidential_election" else 1
            assert length <= limit, f"{row['name']}: {length} days"
        else:
            low, high = LENGTH_DAYS[row["series"]]
            assert low <= length <= high, f"{row['name']}: {length} days"


def test_us_elections_fall_on_the_statutory_election_day() -> None:
    us = [r for r in ROWS if r["series"] in {"us_presidential_election", "us_midterm_election"}]
    assert len(us) == 14
    for row in us:
        assert day(row["start"]) == us_election_day(day(row["start"]).year), row["name"]


def test_votes_fall_on_their_customary_weekday() -> None:
    for row in ROWS:
        if row["series"] in VOTING_WEEKDAY:
            assert day(row["end"]).weekday() == VOTING_WEEKDAY[row["series"]], row["name"]


def test_winter_olympics_are_in_february() -> None:
    for row in ROWS:
        if row["series"] == "winter_olympics":
            assert day(row["start"]).month == 2 == day(row["end"]).month, row["name"]


def test_aliases_are_lowercase_specific_phrases() -> None:
    for row in ROWS:
        names = aliases(row)
        assert len(names) == len(set(names)), f"{row['name']}: repeated alias"
        for alias in names:
            assert alias and alias == alias.strip() and alias == alias.lower(), (row["name"], alias)
            assert "  " not in alias and "," not in alias, (row["name"], alias)
            assert alias not in GENERIC_ALIASES, f"{row['name']}: alias {alias!r} is too vague"


def test_an_alias_never_names_events_of_two_series() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in ROWS:
        for alias in aliases(row):
            owners[alias].add(row["series"])
    shared = {alias: series for alias, series in owners.items() if len(series) > 1}
    assert not shared, f"aliases shared across series: {shared}"


@pytest.mark.parametrize(
    ("alias", "series", "start", "end", "country"),
    [
        ("hamburg summit", "g20_summit", "2017-07-07", "2017-07-08", "DE"),
        ("2016 us presidential election", "us_presidential_election", "2016-11-08", "2016-11-08",
         "US"),
        ("brexit vote", "uk_referendum", "2016-06-23", "2016-06-23", "GB"),
        ("scottish independence referendum", "uk_referendum", "2014-09-18", "2014-09-18", "GB"),
        ("cop21", "cop", "2015-11-30", "2015-12-12", "FR"),
        ("tokyo 2020", "summer_olympics", "2021-07-23", "2021-08-08", "JP"),
        ("2014 world cup", "fifa_world_cup", "2014-06-12", "2014-07-13", "BR"),
        ("2021 german federal election", "german_federal_election", "2021-09-26", "2021-09-26",
         "DE"),
        ("2017 french presidential election", "french_presidential_election", "2017-05-07",
         "2017-05-07", "FR"),
        ("2019 uk general election", "uk_general_election", "2019-12-12", "2019-12-12", "GB"),
        ("biarritz summit", "g7_summit", "2019-08-24", "2019-08-26", "FR"),
        ("nato washington summit", "nato_summit", "2024-07-09", "2024-07-11", "US"),
        ("2022 world cup", "fifa_world_cup", "2022-11-20", "2022-12-18", "QA"),
        ("sochi 2014", "winter_olympics", "2014-02-07", "2014-02-23", "RU"),
    ],
)
def test_well_known_facts(alias: str, series: str, start: str, end: str, country: str) -> None:
    row = by_alias(alias)
    got = (row["series"], row["start"], row["end"], row["country"])
    assert got == (series, start, end, country)
