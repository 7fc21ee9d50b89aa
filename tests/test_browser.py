"""The real server (``python -m web`` on a free port) driven by headless Debian Chromium:
upload the seed through the form, see the chart draw markers and bands, hover an event,
filter the cross-article page, correct an event, download the CSV."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from web.testing import ServerDidNotStart, running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OTHER = ("LISBON, March 4, 2015 - The fisheries ministers met in Lisbon on March 3, 2015. "
         "They will meet again in April 2015, officials said.")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m web`` on a free loopback port with a fresh data directory."""
    data_dir = tmp_path_factory.mktemp("web-data")
    try:
        with running_server(data_dir / "store", data_dir.parent / "server.log",
                            threads=4) as base:
            yield base
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test.sh "
                    "does it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" or "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert problems == [], problems


@pytest.fixture(scope="module")
def seed_url(server: str, browser: Browser, seed_text: str) -> str:
    """The seed uploaded through the form, as a user would: the article page's URL."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#text", seed_text)
    page.fill("#title", "Russian advisor on Syria (seed)")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/articles/\d+$"))
    url = page.url
    context.close()
    return url


def chart_ready(page: Page) -> None:
    expect(page.locator("#chart")).to_have_attribute("data-rendered", "1", timeout=20_000)


def table_rows(page: Page) -> list[dict[str, str]]:
    """The events table as the user sees it."""
    rows = []
    for tr in page.locator("#events-table tbody tr").all():
        cells = tr.locator("td")
        rows.append({"event_id": tr.get_attribute("data-event-id") or "",
                     "start": cells.nth(0).inner_text().replace("…", "").strip(),
                     "end": cells.nth(1).inner_text().replace("…", "").strip(),
                     "relation": cells.nth(2).inner_text().strip(),
                     "event": tr.locator(".event-label").inner_text().strip()})
    return rows


def test_the_seed_uploaded_through_the_form_has_its_page(page: Page, seed_url: str) -> None:
    page.goto(seed_url)
    expect(page.locator("h1")).to_have_text("Russian advisor on Syria (seed)")
    expect(page.locator("#dateline-value")).to_contain_text("2017-01-31")
    assert page.locator("#article-text mark.timex").count() >= 3
    assert page.locator("#events-table tbody tr").count() >= 3


def test_the_chart_draws_markers_and_bands(page: Page, seed_url: str) -> None:
    page.goto(seed_url)
    chart_ready(page)
    markers = page.locator("#chart .scatterlayer .trace .points path")
    bands = page.locator("#chart .barlayer .trace .points path")
    assert markers.count() >= 1
    assert bands.count() >= 1
    # What is drawn is the page's figure: one marker per point of its scatter traces.
    points = page.evaluate("""() => document.getElementById('chart').data
        .filter(t => t.type === 'scatter')
        .reduce((n, t) => n + t.x.filter(x => x !== null).length, 0)""")
    assert markers.count() == points


def test_hovering_an_event_shows_its_label(page: Page, seed_url: str) -> None:
    page.goto(seed_url)
    chart_ready(page)
    labels = {row["event"] for row in table_rows(page)}
    # The first trace of exact days (diamonds) among the scatter traces, as drawn.
    index = page.evaluate("""() => document.getElementById('chart').data
        .filter(t => t.type === 'scatter').findIndex(t => / day$|^day$/.test(t.name))""")
    assert index >= 0
    marker = page.locator("#chart .scatterlayer .trace").nth(index).locator(
        ".points path").first
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    hover = page.locator("#chart .hoverlayer .hovertext")
    expect(hover).to_have_count(1, timeout=5_000)
    lines = [t.strip() for t in hover.locator("tspan.line").all_text_contents()]
    assert lines[0] in labels, (lines, labels)          # the event's label, in bold
    assert lines[1].startswith("“")                     # then the time text, quoted


def test_hovering_a_time_expression_tells_how_it_was_resolved(page: Page,
                                                              seed_url: str) -> None:
    page.goto(seed_url)
    mark = page.locator("#article-text mark.timex", has_text="yesterday").first
    title = mark.get_attribute("title") or ""
    assert mark.get_attribute("data-start") and "interval [" in title and "resolved:" in title


def test_the_cross_article_page_filters(page: Page, server: str, seed_url: str) -> None:
    created = page.request.post(server + "/api/articles", data={"text": OTHER,
                                                                "title": "Lisbon fisheries"})
    assert created.status == 201
    other_id = created.json()["id"]
    seed_id = seed_url.rsplit("/", 1)[1]
    page.goto(server + "/timeline")
    chart_ready(page)
    everything = page.locator("#events-table tbody tr").count()
    articles = {tr.get_attribute("data-article-id")
                for tr in page.locator("#events-table tbody tr").all()}
    assert articles == {seed_id, other_id}

    page.fill("input[name=q]", "fisheries")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r".*q=fisheries.*"))
    chart_ready(page)
    rows = page.locator("#events-table tbody tr")
    assert 0 < rows.count() < everything
    assert {tr.get_attribute("data-article-id") for tr in rows.all()} == {other_id}
    # The CSV link exports exactly the rows shown.
    href = page.locator("#timeline-csv").get_attribute("href")
    exported = list(csv.DictReader(io.StringIO(page.request.get(server + href).text())))
    assert [(r["article_id"], r["event_id"]) for r in exported] == [
        (tr.get_attribute("data-article-id"), tr.get_attribute("data-event-id"))
        for tr in rows.all()]

    page.fill("input[name=q]", "")
    page.select_option("select[name=article]", seed_id)
    page.fill("input[name=from]", "2017-01-30")
    page.fill("input[name=to]", "2017-01-30")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(rf".*article={seed_id}.*"))
    rows = page.locator("#events-table tbody tr")
    assert rows.count() >= 1
    for tr in rows.all():
        assert tr.get_attribute("data-article-id") == seed_id
        start = tr.locator("td").nth(1).inner_text().strip()
        assert start == "…" or start <= "2017-01-30"


def test_correcting_a_date_changes_the_chart_and_the_csv(page: Page, seed_url: str) -> None:
    page.goto(seed_url)
    chart_ready(page)
    article_id = seed_url.rsplit("/", 1)[1]
    row = page.locator("#events-table tbody tr[data-start]").filter(
        has=page.locator("td.start", has_text=re.compile(r"\d{4}-"))).filter(
        has=page.locator("td.end", has_text=re.compile(r"\d{4}-"))).first
    event_id = row.get_attribute("data-event-id")
    point = f"{article_id}/{event_id}"
    find = """id => { for (const t of document.getElementById('chart').data) {
        const i = (t.ids || []).indexOf(id);
        if (i >= 0) return t.type === 'bar' ? t.base[i] : t.x[i]; } return null; }"""
    before = page.evaluate(find, point)
    assert before is not None and not before.startswith("2016-12-24")

    row.locator("summary").click()
    form = row.locator("form.edit-form")
    form.locator("input[name=start]").fill("2016-12-24")
    form.locator("input[name=end]").fill("2016-12-25")
    form.locator("button[value=save]").click()
    page.wait_for_url(re.compile(r".*#events$"))
    chart_ready(page)
    changed = page.locator(f"#event-{event_id}")
    expect(changed.locator("td.start")).to_have_text("2016-12-24")
    expect(changed.locator("td.end")).to_have_text("2016-12-25")
    assert page.evaluate(find, point).startswith("2016-12-24")
    exported = list(csv.DictReader(io.StringIO(page.request.get(seed_url + ".csv").text())))
    corrected = next(r for r in exported if r["event_id"] == event_id)
    assert (corrected["start"], corrected["end"]) == ("2016-12-24", "2016-12-25")


def test_the_downloaded_csv_matches_the_events_table(page: Page, seed_url: str,
                                                     tmp_path: Path) -> None:
    page.goto(seed_url)
    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert re.fullmatch(r"article-\d+\.csv", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    exported = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    shown = table_rows(page)
    assert len(exported) == len(shown) >= 3
    for row, seen in zip(exported, shown, strict=True):
        assert {k: row[k] for k in seen} == seen


def test_the_chart_zooms_by_dragging(page: Page, seed_url: str) -> None:
    page.goto(seed_url)
    chart_ready(page)
    before = page.evaluate("() => document.getElementById('chart').layout.xaxis.range.slice()")
    area = page.locator("#chart .nsewdrag").first.bounding_box()
    assert area is not None
    y = area["y"] + area["height"] / 2
    page.mouse.move(area["x"] + area["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.6, y, steps=8)
    page.mouse.up()
    page.wait_for_function(
        "r => JSON.stringify(document.getElementById('chart').layout.xaxis.range) !== "
        "JSON.stringify(r)", arg=before)
    after = page.evaluate("() => document.getElementById('chart').layout.xaxis.range")
    assert before[0] < after[0] < after[1] < before[1]
