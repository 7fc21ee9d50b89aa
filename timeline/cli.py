"""Command line: ``python -m timeline extract|evaluate|batch``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import timeml
from .errors import TimelineError
from .model import frame_to_csv
from .pipeline import extract
from .source import read_bytes


def _extract_file(name: str, dateline: str | None):
    if name == "-":
        data = sys.stdin.buffer.read()
        filename = "stdin.txt"
    else:
        data = Path(name).read_bytes()
        filename = name
    if filename.endswith(".tml"):
        doc = timeml.parse(data.decode("utf-8"), path=filename)
        return extract(doc.text, dateline or doc.dct, article_id=doc.doc_id)
    document = read_bytes(data, filename)
    return extract(document.text, dateline, title=document.title,
                   metadata_date=document.metadata_date,
                   article_id=Path(filename).stem)


def cmd_extract(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _extract_jsonl(args.jsonl)
    if not args.files:
        print("extract: name at least one FILE (or - for standard input), or --jsonl IN",
              file=sys.stderr)
        return 2
    timelines = []
    for name in args.files:
        try:
            timelines.append(_extract_file(name, args.dateline))
        except (OSError, TimelineError) as exc:
            print(f"extract: {name}: {exc}", file=sys.stderr)
            return 1
    if args.format == "json":
        for tl in timelines:
            print(tl.to_json(indent=None if len(timelines) > 1 else 2))
    elif args.format == "csv":
        import pandas as pd

        frame = pd.concat([tl.to_frame() for tl in timelines], ignore_index=True)
        sys.stdout.write(frame_to_csv(frame))
    else:
        for tl in timelines:
            sys.stdout.write(timeml.write(tl))
    return 0


def _extract_jsonl(path: str) -> int:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            doc_id = None
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("line is not a JSON object")
                doc_id = item.get("id", number)
                text = item.get("text")
                if not isinstance(text, str):
                    raise ValueError("line has no \"text\" string")
                tl = extract(text, item.get("dateline"), article_id=str(doc_id),
                             title=item.get("title"))
                print(tl.to_json())
            except (ValueError, TimelineError) as exc:
                print(json.dumps({"id": doc_id if doc_id is not None else number,
                                  "error": str(exc)}))
            sys.stdout.flush()
    return 0


def _gold_interval(value: str):
    """The interval of a plain gold TIMEX3 value (day, month or year), else an empty one."""
    from .calendar import Interval, day_interval, month_interval, safe_date, year_interval

    parts = value.split("-")
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or len(parts) > 3:
        return Interval()
    numbers = [int(p) for p in parts]
    if len(numbers) == 3:
        day = safe_date(*numbers)
        return day_interval(day) if day else Interval()
    if len(numbers) == 2:
        return month_interval(*numbers) if 1 <= numbers[1] <= 12 else Interval()
    return year_interval(numbers[0])


def _with_gold_timexes(doc: timeml.TimeMLDocument):
    """A timeline whose times are the document's gold TIMEX3s, to measure anchoring alone."""
    from .events import extract_events
    from .model import Dateline, TimeExpression, Timeline

    line = Dateline(doc.dct, "given")
    timexes = [TimeExpression(g.attrs.get("tid", f"t{i}"), g.text, g.start_char, g.end_char,
                              g.attrs.get("type", "DATE"), g.attrs.get("value"),
                              g.attrs.get("mod"), interval=_gold_interval(g.attrs.get("value", "")),
                              resolution="explicit", rule="gold")
               for i, g in enumerate(doc.timexes, 1)]
    events = extract_events(doc.text, timexes, [], line)
    return Timeline(text=doc.text, dateline=line, timexes=timexes, events=events,
                    id=doc.doc_id)


def cmd_evaluate(args: argparse.Namespace) -> int:
    files = timeml.find_files(args.paths)
    if not files:
        print("evaluate: no .tml files found", file=sys.stderr)
        return 2
    total = timeml.Counts()
    errors: list[timeml.Error] = []
    chars = 0
    cpu = 0.0
    # Start-up (rule files, lexicon, known events, the holidays package) is not timed.
    extract("Warm-up: on Jan. 31, 2017, before Christmas, after a G20 summit, he said so.",
            "2017-01-31")
    for path in files:
        doc = timeml.read(path)
        started = time.process_time()
        if args.gold_timexes:
            tl = _with_gold_timexes(doc)
        else:
            tl = extract(doc.text, doc.dct, article_id=doc.doc_id)
        cpu += time.process_time() - started
        chars += len(doc.text)
        counts, errs = timeml.score_document(doc, tl)
        total.add(counts)
        errors.extend(errs)
    scores = timeml.scores(total)
    if args.errors:
        kinds = set(args.kinds.split(",")) if args.kinds else None
        shown = [e for e in errors if kinds is None or e.kind in kinds][: args.errors]
        for e in shown:
            print(f"{e.kind:8} {e.doc_id:28} gold={e.gold!r:30} sys={e.system!r:40} "
                  f"{e.context}")
        print()
    print(timeml.format_scores(scores, total, len(files)))
    print(f"speed    {cpu * 1000 / max(chars, 1) * 1000:.3f} ms CPU per 1,000 characters "
          f"({chars:,} characters, one pass after start-up; bench/engine.py: best of 3)")
    if args.json:
        print(json.dumps(scores))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from . import batch

    return batch.main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m timeline",
                                     description="News articles in, event timelines out.")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract timelines from files")
    ex.add_argument("files", nargs="*", help=".txt, .html, .tml files; - for standard input")
    ex.add_argument("--dateline", help="publication date, YYYY-MM-DD or written out "
                    "('Jan. 31, 2017'); wins over detection")
    ex.add_argument("--format", choices=("json", "csv", "timeml"), default="json")
    ex.add_argument("--jsonl", metavar="IN.jsonl",
                    help="batch: one JSON object a line in, one timeline a line out")
    ex.set_defaults(func=cmd_extract)
    ev = sub.add_parser("evaluate", help="TempEval-3 scores against gold TimeML")
    ev.add_argument("paths", nargs="+", help="TimeML files or folders of them")
    ev.add_argument("--errors", type=int, default=0, metavar="N", help="list N errors")
    ev.add_argument("--kinds", help="comma-separated error kinds to list "
                    "(missed,spurious,value,type,extent)")
    ev.add_argument("--json", action="store_true", help="also print the scores as JSON")
    ev.add_argument("--gold-timexes", action="store_true",
                    help="use the gold TIMEX3s instead of the finder's, to score anchoring alone")
    ev.set_defaults(func=cmd_evaluate)
    try:
        from . import batch

        batch.add_arguments(sub.add_parser("batch", help="many articles, many cores"))
    except ImportError:
        pass
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except TimelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:     # the reader went away (| head): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
