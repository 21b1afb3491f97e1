"""The pipeline keeps the seed article whole: every sentence of its source, its metadata, its typography.

Run on the tests' own copy of the article (conftest.FIXTURE_CONTENT), so editors may change
or retire the real one; `data/ketamine-for-migraine.txt` is the source text it was written from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from expected import PUBLIC_PAGES

SOURCE = Path(__file__).parent / "data" / "ketamine-for-migraine.txt"


def source_sentences() -> list[str]:
    """The sentences of the source text, skipping its title and its one subheading."""
    paragraphs = [p.strip() for p in SOURCE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    sentences = []
    for paragraph in paragraphs[1:]:
        lines = [line for line in paragraph.splitlines() if line.rstrip().endswith((".", "?", "!"))]
        for line in lines:
            sentences.extend(re.split(r"(?<=[.!?])\s+(?=[A-Z“])", line.strip()))
    return sentences


def normalised(text: str) -> str:
    # typogrify joins the last two words with a no-break space (widont).
    return " ".join(text.replace("\u00a0", " ").split())


SENTENCES = source_sentences()


def test_the_source_text_has_the_expected_number_of_sentences():
    assert len(SENTENCES) == 22


@pytest.mark.parametrize("sentence", SENTENCES, ids=[s[:40] for s in SENTENCES])
def test_article_contains_every_source_sentence_verbatim(fixture_site, sentence):
    article = fixture_site.soup(ARTICLE_PAGE).find("article")
    assert normalised(sentence) in normalised(article.get_text())


def test_article_keeps_the_source_heading(fixture_site):
    headings = [h.get_text(" ", strip=True) for h in fixture_site.soup(ARTICLE_PAGE).find_all("h2")]
    assert "How Ketamine Helps Migraines" in [normalised(h) for h in headings]


def test_article_title_summary_and_dates(fixture_site):
    soup = fixture_site.soup(ARTICLE_PAGE)
    assert soup.h1.get_text() == "Ketamine for Migraine Treatment"
    assert soup.title.string == "Ketamine for Migraine Treatment | Mind Balance"
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Migraines affect one billion people")
    published = soup.find("article").find("time")
    assert published["datetime"] == "2026-11-25T00:00:00-05:00"
    assert published.get_text() == "November 25, 2026"


def test_typogrify_marks_up_the_article(fixture_site):
    article = fixture_site.soup(ARTICLE_PAGE).find("article")
    assert article.find("span", class_="caps", string="NMDA")
    assert "\u00a0" in article.get_text()  # widont


def test_curly_quotes_and_dashes_survive(fixture_site):
    text = fixture_site.soup(ARTICLE_PAGE).find("article").get_text()
    for character in "’“”–":
        assert character in text


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_production_pages_are_indexable(site, page):
    assert site.soup(page).find("meta", attrs={"name": "robots"}) is None
