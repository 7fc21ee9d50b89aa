"""sample_output/ is what `python -m web.samples` makes of seeds/ today."""

from __future__ import annotations

from web import samples


def test_sample_output_is_up_to_date() -> None:
    files = samples.build()
    assert files, "no seeds found"
    stale = [name for name, text in files.items()
             if not (samples.OUT / name).is_file()
             or (samples.OUT / name).read_text(encoding="utf-8") != text]
    assert not stale, f"sample_output is stale: {stale}; run .venv/bin/python -m web.samples"


def test_samples_cover_every_seed() -> None:
    stems = {p.stem for p in samples.SEEDS.iterdir() if p.suffix in (".txt", ".html", ".md")}
    names = set(samples.build())
    for stem in stems:
        assert {f"{stem}.json", f"{stem}.csv", f"{stem}.html"} <= names
