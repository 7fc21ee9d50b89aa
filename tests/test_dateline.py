"""Dateline detection: the rule file's examples, a table of real-world heads, the seed."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import dateline
from timeline.errors import RuleError

TABLE = tomllib.loads((Path(__file__).parent / "data" / "datelines.toml").read_text("utf-8"))
CASES = TABLE["case"]
RULES = tomllib.loads(dateline.DATA.read_text("utf-8"))
EXAMPLES = [(p["name"], ex) for p in RULES["pattern"] for ex in p["examples"]]
COUNTER = [(p["name"], text) for p in RULES["pattern"] for text in p["counter_examples"]]


def _check_found(text: str, value: str, phrase: str) -> None:
    found = dateline.detect(text)
    assert found.value == date.fromisoformat(value), found
    assert found.source == "text"
    assert text[found.start_char:found.end_char] == phrase
    assert found.text == phrase


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_table(case: dict) -> None:
    if "value" in case:
        _check_found(case["text"], case["value"], case["date"])
    else:
        found = dateline.detect(case["text"])
        assert found.value is None, found
        assert found.source == "none"


def test_table_size_and_spread() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 40
    assert sum("value" not in c for c in CASES) >= 12
    heads = "\n".join(c["text"] for c in CASES if "value" in c)
    for marker in ("(EIRNS)", "(Reuters)", "(AP)", "(AFP)", "(Xinhua)", "(Bloomberg)",
                   "GMT", "Published", "Updated", "T10:32:00"):
        assert marker in heads, marker


@pytest.mark.parametrize(("pattern", "example"), EXAMPLES,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(EXAMPLES)])
def test_rule_examples(pattern: str, example: dict) -> None:
    _check_found(example["text"], example["value"], example["date"])


@pytest.mark.parametrize(("pattern", "text"), COUNTER,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(COUNTER)])
def test_rule_counter_examples(pattern: str, text: str) -> None:
    assert dateline.detect(text).value is None


def test_rule_file_shape() -> None:
    r = dateline.rules()
    assert [p.name for p in r.patterns] == sorted(
        (p["name"] for p in RULES["pattern"]),
        key=lambda n: next(p["rank"] for p in RULES["pattern"] if p["name"] == n))
    for spec in RULES["pattern"]:
        assert spec["examples"], spec["name"]
        assert spec["counter_examples"], spec["name"]
        assert set(spec["forms"]) <= set(RULES["forms"])
    assert set(r.months.values()) == set(range(1, 13))
    assert set(r.weekdays.values()) == set(range(7))


def test_bad_rule_file_is_a_rule_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dateline.DATA.read_text("utf-8").replace("{DATE}[ \\t]*/(?:{SLASHWIRE})/",
                                                      "{DATE}{NOSUCHBLOCK}", 1)
    assert "{NOSUCHBLOCK}" in broken
    path = tmp_path / "datelines.toml"
    path.write_text(broken, "utf-8")
    monkeypatch.setattr(dateline, "DATA", path)
    dateline.rules.cache_clear()
    try:
        with pytest.raises(RuleError, match="NOSUCHBLOCK"):
            dateline.rules()
    finally:
        monkeypatch.undo()
        dateline.rules.cache_clear()


def test_seed(seed_text: str) -> None:
    found = dateline.detect(seed_text)
    assert found.value == date(2017, 1, 31)
    assert found.source == "text"
    assert seed_text[found.start_char:found.end_char] == "Jan. 31, 2017"


def test_seed_through_the_pipeline(seed_text: str) -> None:
    from timeline.pipeline import extract

    tl = extract(seed_text)
    assert tl.dateline.value == date(2017, 1, 31)
    assert tl.dateline.source == "text"


def test_only_the_head_is_read() -> None:
    body = "The council met again to discuss the budget and many other things.\n" * 40
    assert len(body) > 2000
    assert dateline.detect(body + "Published March 3, 2019\n").value is None
    assert dateline.detect("Published March 3, 2019\n" + body).value == date(2019, 3, 3)


def test_one_line_article_without_newlines() -> None:
    body = " ".join(["Russia said it was ready to cooperate with the new administration."] * 80)
    assert "\n" not in body and len(body) > 5000
    text = "MOSCOW, Jan. 30, 2017 (Reuters) - " + body
    _check_found(text, "2017-01-30", "Jan. 30, 2017")
    _check_found("Published 4:12 PM EST, March 3, 2019 | " + body, "2019-03-03", "March 3, 2019")
    assert dateline.detect(body + " Published March 3, 2019").value is None


def test_yearless_wire_line_never_uses_today() -> None:
    text = "MOSCOW, Jan 30 (Reuters) - Russia said on Monday it was ready to talk."
    assert dateline.detect(text).value is None


def test_offsets_survive_crlf_and_leading_space() -> None:
    text = "\r\n  Headline\r\n   Monday 4 March 2019 10.32 GMT\r\nBody."
    _check_found(text, "2019-03-04", "4 March 2019")


def test_empty_and_whitespace() -> None:
    for text in ("", " ", "\n\n\n", "2019"):
        assert dateline.detect(text).value is None


def test_long_single_line_is_cheap() -> None:
    text = "word 12 - " * 100_000
    assert dateline.detect(text).value is None


FRAGMENTS = ["March 3, 2019", "Jan. 31, 2017", " (Reuters) ", " (EIRNS)—", "Published ",
             "Updated: ", "2019-03-04T10:32:00Z", " | ", "\n", "\r\n", "Monday ", "4 March 2019",
             " 10.32 GMT", "By Jane Doe", " - ", "03/04/2019", "Born\n", "MOSCOW, ", "Jan 30",
             "–", "Feb 29", "2020", "31", " to "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30))
def test_arbitrary_text_gives_valid_offsets(parts: list[str]) -> None:
    text = "".join(parts)
    found = dateline.detect(text)
    if found.value is None:
        assert found.source == "none"
    else:
        assert found.source == "text"
        assert 0 <= found.start_char < found.end_char <= len(text)
        assert text[found.start_char:found.end_char] == found.text
        assert re.search(r"[0-9]", found.text)
