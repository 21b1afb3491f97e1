"""benchmarks/synthetic.py: the generated articles the tests and the benchmark build."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import write_articles


def test_generated_articles_are_the_same_every_time(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for folder in (first, second):
        write_articles(folder, 5)
    files = [sorted(p for p in folder.rglob("*") if p.is_file()) for folder in (first, second)]
    assert [p.relative_to(first) for p in files[0]] == [p.relative_to(second) for p in files[1]]
    assert [p.read_bytes() for p in files[0]] == [p.read_bytes() for p in files[1]]
