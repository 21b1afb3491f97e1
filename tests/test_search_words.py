"""rules/search_words.py: the other words people use, and the rule that each finds a page."""

from __future__ import annotations

from pathlib import Path

from conftest import assert_refused, run_build

from rules.search_words import FILE_NAME, finds_a_page, read_words


def write_words(content: Path, text: str) -> None:
    (content / FILE_NAME).write_text(text, encoding="utf-8")


def test_the_list_reads_arrows_notes_and_blank_lines(tmp_path):
    write_words(tmp_path, "# other words\n\nspecial k → ketamine\nMigrane -> migraine\n")
    words, problems = read_words(tmp_path)
    assert problems == []
    assert [(w.line, w.said, w.means) for w in words] == [
        (3, "special k", "ketamine"),
        (4, "Migrane", "migraine"),
    ]


def test_a_line_without_an_arrow_or_listed_twice_is_named_by_its_line(tmp_path):
    write_words(tmp_path, "special k ketamine\nmigrane → migraine\nMIGRANE → migraine\n")
    _, problems = read_words(tmp_path)
    assert [(p.line, "arrow" in p.message or "listed already" in p.message) for p in problems] == [
        (1, True),
        (3, True),
    ]


def test_a_word_finds_a_page_when_each_of_its_words_starts_one_there():
    assert finds_a_page("migraine", ["three migraines a month"])
    assert not finds_a_page("zebra", ["three migraines a month"])


def test_a_listed_word_that_finds_no_page_stops_the_build_at_its_line(built_production_copy):
    site, before = built_production_copy
    write_words(site / "content", "migrane → migraine\nstripy horse → zebra\n")
    assert_refused(
        run_build(site, "--production"),
        site,
        before,
        f"content/{FILE_NAME}:2: “stripy horse” → “zebra” finds no published article or page",
    )
