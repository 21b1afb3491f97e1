"""Every page: language, title, description, one h1, heading order, landmarks, no scripts."""

from __future__ import annotations

import pytest
import quality
from expected import EXPECTED_PAGES


def test_the_built_pages_are_exactly_the_expected_pages(site):
    assert site.html_pages() == EXPECTED_PAGES


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_page_structure_language_title_headings_landmarks_and_skip_link(site, page):
    problems = quality.structure_problems(site, page)
    assert not problems, "\n".join(problems)


def test_every_page_title_is_unique(site):
    duplicates = quality.duplicate_titles(site, EXPECTED_PAGES)
    assert not duplicates, f"titles used more than once: {duplicates}"


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_page_uses_the_site_stylesheet_and_favicon(site, page):
    soup = site.soup(page)
    assert soup.find("link", rel="stylesheet")["href"].endswith(".css")
    assert soup.find("link", rel="icon") is not None


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_page_carries_no_javascript_or_web_fonts(site, page):
    soup = site.soup(page)
    scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
    assert not scripts
    handlers = soup.find_all(lambda tag: any(name.startswith("on") for name in tag.attrs))
    assert not handlers, handlers
    assert not soup.find_all("link", rel="preload", attrs={"as": "font"})


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_dates_are_machine_readable(site, page):
    for time in site.soup(page).find_all("time"):
        assert time.get("datetime"), time
