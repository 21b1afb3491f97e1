"""Every page: language, title, description, one h1, heading order, landmarks."""

from __future__ import annotations

import itertools

import pytest
from expected import EXPECTED_PAGES


def test_the_built_pages_are_exactly_the_expected_pages(site):
    assert site.html_pages() == EXPECTED_PAGES


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_page_declares_english(site, page):
    assert site.soup(page).html.get("lang") == "en"


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_page_has_a_title_and_a_meta_description(site, page):
    soup = site.soup(page)
    assert soup.title.string.strip()
    description = soup.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"].strip()
    assert len(description["content"]) <= 160


def test_every_page_title_is_unique(site):
    titles = [site.soup(page).title.string.strip() for page in EXPECTED_PAGES]
    duplicates = {t for t in titles if titles.count(t) > 1}
    assert not duplicates, f"titles used more than once: {duplicates}"


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_page_has_exactly_one_h1(site, page):
    assert len(site.soup(page).find_all("h1")) == 1


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_headings_never_skip_a_level(site, page):
    levels = [
        int(h.name[1]) for h in site.soup(page).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    ]
    assert levels[0] == 1, f"first heading is h{levels[0]}"
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not jumps, f"heading levels jump: {jumps} in order {levels}"


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_page_has_one_of_each_landmark(site, page):
    soup = site.soup(page)
    body = soup.body
    assert len(soup.find_all("main")) == 1
    # Page-level header and footer are direct children of <body> (banner, contentinfo).
    assert len(body.find_all("header", recursive=False)) == 1
    assert len(body.find_all("footer", recursive=False)) == 1
    navs = soup.find_all("nav")
    assert navs and all(nav.get("aria-label") or nav.get("aria-labelledby") for nav in navs)


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_skip_link_comes_first_and_reaches_main(site, page):
    soup = site.soup(page)
    first_link = soup.body.find("a")
    assert first_link.get_text(strip=True) == "Skip to main content"
    target = first_link["href"].removeprefix("#")
    assert soup.find(id=target).name == "main"


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
    assert not soup.find_all(attrs=lambda a: a and any(k.startswith("on") for k in a))
    assert not soup.find_all("link", rel="preload", attrs={"as": "font"})


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_dates_are_machine_readable(site, page):
    for time in site.soup(page).find_all("time"):
        assert time.get("datetime"), time
