"""Screenshots of the web service for the README: upload form, the seed's article page, the
cross-article timeline. Starts ``python -m web`` on a free loopback port with a temporary data
directory, uploads the seed through the form and four TimeBank/AQUAINT articles through the API.

    .venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SEED = ROOT / "seeds" / "000_68c4bcfba95a403f.txt"
TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq" / "AQUAINT"
MORE = ("APW19980807.0261.tml", "APW19980808.0022.tml", "APW19980811.0474.tml",
        "APW19980818.0515.tml")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def tml_article(path: Path) -> tuple[str, str, str]:
    """Title, text and DCT of a TimeML file (tags stripped)."""
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="(\d{4}-\d{2}-\d{2})', raw)
    if dct is None:
        dct = re.search(r'value="(\d{4}-\d{2}-\d{2})"[^>]*functionInDocument="CREATION_TIME"',
                        raw)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", body.group(1) if body else raw)).strip()
    heading = re.search(r"<TITLE>(.*?)</TITLE>", raw, re.S)
    title = html.unescape(heading.group(1)).strip() if heading else text.split("\n", 1)[0]
    return title, text, dct.group(1) if dct else ""


def main() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([sys.executable, "-m", "web", "--port", str(port),
                                 "--data-dir", tmp], cwd=ROOT)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            for name in MORE:
                title, text, dct = tml_article(TBAQ / name)
                body = json.dumps({"text": text, "title": title, "dateline": dct}).encode()
                request = urllib.request.Request(base + "/api/articles", data=body,
                                                 headers={"Content-Type": "application/json"})
                urllib.request.urlopen(request, timeout=60).close()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1360, "height": 900})
                page.goto(base + "/")
                page.fill("#text", SEED.read_text(encoding="utf-8"))
                page.fill("#title", "Russian advisor to UN on Russian-U.S. military "
                          "cooperation in Syria")
                page.evaluate("() => { const t = document.getElementById('text');"
                              " t.scrollTop = 0; t.setSelectionRange(0, 0); }")
                page.locator("#title").blur()
                page.screenshot(path=DOCS / "upload-form.png")
                page.click("button[type=submit]")
                page.wait_for_url(re.compile(r".*/articles/\d+$"))
                page.wait_for_selector("#chart[data-rendered='1']")
                page.set_viewport_size({"width": 1360, "height": 1500})
                page.screenshot(path=DOCS / "article-page.png")
                page.set_viewport_size({"width": 1360, "height": 900})
                page.goto(base + "/timeline?from=1998-08-01&to=1998-08-20")
                page.wait_for_selector("#chart[data-rendered='1']")
                page.set_viewport_size({"width": 1360, "height": 1250})
                marker = page.locator("#chart .scatterlayer .trace .points path").nth(3)
                box = marker.bounding_box()
                if box:
                    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2,
                                    steps=4)
                    page.wait_for_timeout(400)
                page.screenshot(path=DOCS / "cross-article-timeline.png")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    print("wrote", ", ".join(str(p.relative_to(ROOT)) for p in sorted(DOCS.glob("*.png"))))


if __name__ == "__main__":
    main()
