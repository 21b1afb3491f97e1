"""plugins/reading_aids.py: the contents list, the reading time, and "Back to top" on long articles."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import run_build

from plugins.reading_aids import sections


def test_article_has_a_table_of_contents_of_its_sections(fixture_site):
    soup = fixture_site.soup(ARTICLE_PAGE)
    contents = soup.find("nav", class_="app-contents-list")
    assert soup.find(id=contents["aria-labelledby"]).get_text() == "On this page"
    entries = [(a["href"], a.get_text()) for a in contents.ol.find_all("a")]
    sections = [
        (f"#{h['id']}", " ".join(h.get_text().split())) for h in soup.select(".app-prose h2")
    ]
    assert entries == sections
    assert len(entries) >= 3


def test_the_contents_list_keeps_headings_with_extra_attributes():
    body = (
        '<h2 id="what-it-is">What it <em>is</em></h2><p>Text.</p>'
        '<h2 id="nausea" lang="en" class="x">Nausea &amp; aura</h2>'
        '<h2 class="plain">No id</h2>'
    )
    assert sections(body) == [("what-it-is", "What it is"), ("nausea", "Nausea & aura")]


def test_article_shows_a_reading_time(fixture_site):
    assert re.fullmatch(
        r"\d+ minute read\.",
        fixture_site.soup(ARTICLE_PAGE).find(class_="app-article__reading-time").get_text(),
    )


def test_a_long_article_ends_with_back_to_top(fixture_site):
    soup = fixture_site.soup(ARTICLE_PAGE)
    assert soup.find("nav", class_="app-contents-list")  # long: it has a contents list
    link = soup.find(class_="app-back-to-top").a
    assert link.get_text() == "Back to top"
    target = soup.find(id=link["href"].removeprefix("#"))
    assert target.name == "main" and target["tabindex"] == "-1"


def test_a_short_article_has_no_back_to_top(site_copy):
    text = (site_copy / ARTICLE).read_text(encoding="utf-8")
    body_start = text.index("\n\n")
    short = text[:body_start] + "\n\nOne short paragraph.\n\n## One section\n\nMore text.\n"
    (site_copy / ARTICLE).write_text(short, encoding="utf-8")
    result = run_build(site_copy, "--production")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((site_copy / "output" / ARTICLE_PAGE).read_text(), "html.parser")
    assert soup.find(class_="app-back-to-top") is None
    assert soup.find(class_="app-contents-list") is None
    assert soup.find(class_="app-review-dates")  # the governance is still there
