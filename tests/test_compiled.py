"""The compiled hot modules (mypyc, ``scripts/compile.py``): in use, same output as the
sources, and set aside when a source changed after the build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from timeline import compiled, timeml

ROOT = Path(__file__).resolve().parent.parent
TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq"
REBUILD = "run .venv/bin/python scripts/compile.py (scripts/test.sh does) to build them"

# Extract the seeds and the TBAQ texts (with and without their creation time) as JSON lines.
_DUMP = f"""
import json, sys
from pathlib import Path
import timeline
from timeline import timeml
out = []
for path in sorted(Path({str(ROOT / 'seeds')!r}).glob('*.txt')):
    out.append(timeline.extract(path.read_text(encoding='utf-8')).to_json())
for path in timeml.find_files([{str(TBAQ)!r}]):
    doc = timeml.read(path)
    out.append(timeline.extract(doc.text, doc.dct).to_json())
    out.append(timeline.extract(doc.text).to_json())
sys.stdout.write(json.dumps(out))
"""


def _run(code: str, *, cwd: Path = ROOT, pure: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_PURE"}
    if pure:
        env["TIMELINE_PURE"] = "1"
    env["PYTHONPATH"] = str(cwd)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


_ACTIVE = "import timeline.compiled as c; print(','.join(c.import_all()))"


def test_the_compiled_modules_are_in_use() -> None:
    loaded = compiled.import_all()
    missing = [name for name in compiled.MODULES if not compiled.compiled_files(name)]
    assert not missing, f"no compiled {', '.join(missing)}: {REBUILD}"
    assert not compiled.stale(), f"compiled {compiled.stale()} out of date: {REBUILD}"
    assert loaded == list(compiled.MODULES)


def test_compiled_and_python_sources_give_the_same_output() -> None:
    assert timeml.find_files([TBAQ]), f"no TBAQ files under {TBAQ}"
    fast = _run(_DUMP)
    slow = _run(_DUMP, pure=True)
    assert fast.returncode == 0, fast.stderr
    assert slow.returncode == 0, slow.stderr
    fast_docs, slow_docs = json.loads(fast.stdout), json.loads(slow.stdout)
    assert len(fast_docs) > 500
    assert fast_docs == slow_docs


# Mangled snippets of TBAQ: cut anywhere, with quotes, brackets, abbreviations, stray case and
# odd characters put in, run with and without a dateline: paths the clean texts do not take.
_MANGLED = f"""
import json, random, sys
import timeline
from timeline import timeml
random.seed(20171)
texts = [timeml.read(p).text for p in timeml.find_files([{str(TBAQ)!r}])]
bits = ["\\n", "\\n\\n", '"', "\u201c", "\u201d", "'", "\u2019", "(", ")", "--", ";", ":",
        ",", ".", "?", " n't", "'s", " U.S.", " Mr.", " Jan.", " 1999", " 12:30", " $5", "%",
        "\u00a0", "\u0130", "\u00df", " said", " on Monday", " last year", " -"]
out = []
for _ in range(400):
    text = random.choice(texts)
    start = random.randrange(len(text))
    chars = list(text[start:start + random.randrange(1, 1200)])
    for _ in range(random.randrange(30)):
        k = random.randrange(len(chars) + 1)
        if random.random() < 0.7:
            chars.insert(k, random.choice(bits))
        elif chars:
            k = min(k, len(chars) - 1)
            chars[k] = chars[k].swapcase()
    dateline = random.choice([None, "2017-01-31", "1998-03-02"])
    out.append(timeline.extract("".join(chars), dateline).to_json())
sys.stdout.write(json.dumps(out))
"""


def test_compiled_and_python_sources_agree_on_mangled_text() -> None:
    fast = _run(_MANGLED)
    slow = _run(_MANGLED, pure=True)
    assert fast.returncode == 0, fast.stderr
    assert slow.returncode == 0, slow.stderr
    fast_docs = json.loads(fast.stdout)
    assert len(fast_docs) == 400
    assert fast_docs == json.loads(slow.stdout)


def test_timeline_pure_loads_the_sources() -> None:
    done = _run(_ACTIVE, pure=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
    assert "out of date" not in done.stderr


def test_a_source_changed_after_the_build_is_run_from_source(tmp_path: Path) -> None:
    """A copy of the package: as built, every module runs compiled; after an edit to one
    source, all of them run from source, with a warning that says how to rebuild."""
    shutil.copytree(ROOT / "timeline", tmp_path / "timeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    as_built = _run(_ACTIVE, cwd=tmp_path)
    assert as_built.returncode == 0, as_built.stderr
    assert as_built.stdout.strip() == ",".join(compiled.MODULES), REBUILD
    tense = tmp_path / "timeline" / "tense.py"
    tense.write_text(tense.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = _run(_ACTIVE, cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.strip() == ""
    assert "compiled tense out of date with the source" in edited.stderr
    assert "scripts/compile.py" in edited.stderr


def test_no_stamp_means_stale(tmp_path: Path, monkeypatch) -> None:
    """Compiled files with no record of the sources they came from are not trusted."""
    monkeypatch.setattr(compiled, "STAMP", tmp_path / "compiled.json")
    built = [name for name in compiled.MODULES if compiled.compiled_files(name)]
    assert built, REBUILD
    assert compiled.stale() == built
    (tmp_path / "compiled.json").write_text(json.dumps({"sources": {
        name: compiled.source_crc(name) for name in compiled.MODULES}}), encoding="utf-8")
    assert compiled.stale() == []

