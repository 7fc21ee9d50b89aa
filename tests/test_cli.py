"""The command line: extract in every format, JSONL batches with bad lines."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from timeline.cli import main
from timeline.model import FRAME_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def test_extract_json(seed_text: str, capsys) -> None:
    assert main(["extract", str(ROOT / "seeds" / "000_68c4bcfba95a403f.txt")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dateline"]["value"] == "2017-01-31"
    assert [t["value"] for t in data["timexes"] if t["text"] == "yesterday"] == \
        ["2017-01-30", "2017-01-30"]


def test_extract_csv_has_the_contract_columns(capsys) -> None:
    assert main(["extract", str(ROOT / "seeds" / "000_68c4bcfba95a403f.txt"),
                 "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == FRAME_COLUMNS


def test_extract_timeml_and_dateline_option(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The vote was held yesterday.", encoding="utf-8")
    assert main(["extract", str(path), "--dateline", "2016-11-09", "--format", "timeml"]) == 0
    out = capsys.readouterr().out
    assert '<TIMEX3 tid="t1" type="DATE" value="2016-11-08">yesterday</TIMEX3>' in out


def test_extract_reports_bad_files(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01\x02")
    assert main(["extract", str(path)]) == 1
    assert "binary" in capsys.readouterr().err


def test_jsonl_batch_keeps_order_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "text": "It ended yesterday.", "dateline": "2017-01-31"}),
        "{not json",
        json.dumps({"id": "c", "text": 5}),
        json.dumps({"id": "d", "text": "MOSCOW, Jan 30, 2017 (Reuters) - Talks ended today."}),
    ]) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "timeline", "extract", "--jsonl", str(path)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("id") for line in lines] == ["a", 2, "c", "d"]
    assert lines[0]["timexes"][0]["value"] == "2017-01-30"
    assert "error" in lines[1] and "error" in lines[2]
    assert lines[3]["dateline"]["value"] == "2017-01-30"
