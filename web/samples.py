"""``python -m web.samples``: regenerate ``sample_output/`` from the articles in ``seeds/``.

For each seed: the timeline as JSON, the events as CSV, and a self-contained HTML page with
the interactive chart (plotly.js inlined, no network needed). ``--check`` only compares and
exits 1 when the committed files are stale.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

import timeline
from timeline.source import read_bytes

from .charts import figure

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
OUT = ROOT / "sample_output"


def render(path: Path) -> dict[str, str]:
    """The sample files of one seed article: name -> content."""
    document = read_bytes(path.read_bytes(), path.name)
    tl = timeline.extract(document.text, title=document.title,
                          metadata_date=document.metadata_date, article_id=path.stem)
    title = f"{path.name} (dateline {tl.dateline.value or 'unknown'}, {tl.dateline.source})"
    fig = figure(tl.to_frame(), title=title)
    body = fig.to_html(full_html=False, include_plotlyjs=True, div_id=f"timeline-{path.stem}",
                       config={"responsive": True})
    page = ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title></head>"
            "<body style=\"font-family:system-ui,sans-serif;margin:1.5rem\">"
            f"<h1 style=\"font-size:1.1rem\">{html.escape(title)}</h1>\n{body}\n</body></html>\n")
    return {f"{path.stem}.json": tl.to_json(indent=2) + "\n",
            f"{path.stem}.csv": tl.to_csv() or "",
            f"{path.stem}.html": page}


def build(seeds: Path = SEEDS) -> dict[str, str]:
    files: dict[str, str] = {}
    for path in sorted(seeds.iterdir()):
        if path.suffix in (".txt", ".html", ".md") and not path.name.startswith("."):
            files.update(render(path))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.samples", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    files = build()
    stale = [name for name, text in files.items()
             if not (args.out / name).is_file()
             or (args.out / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"stale: {args.out / name}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
