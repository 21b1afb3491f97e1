"""Every page: language, title, description, one h1, heading order, landmarks, no scripts
(but the search page's own), breadcrumbs; the 404 page never indexed."""

from __future__ import annotations

import pytest
import quality
from expected import EXPECTED_PAGES

from plugins.security_headers import allows_scripts, page_policy


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
    if allows_scripts(page_policy(page)):
        # The one exception, the search page, under a policy of its own
        # (plugins/security_headers.py): exactly its own module script, from the theme.
        assert quality.own_module_scripts(site.siteurl, scripts) == ["search"], scripts
        scripts = []
    assert not scripts
    handlers = soup.find_all(lambda tag: any(name.startswith("on") for name in tag.attrs))
    assert not handlers, handlers
    assert not soup.find_all("link", rel="preload", attrs={"as": "font"})


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_dates_are_machine_readable(site, page):
    for time in site.soup(page).find_all("time"):
        assert time.get("datetime"), time


@pytest.mark.parametrize("page", [p for p in EXPECTED_PAGES if p not in ("index.html", "404.html")])
def test_articles_and_pages_have_breadcrumbs_ending_at_themselves(site, page):
    soup = site.soup(page)
    crumbs = soup.find("nav", attrs={"aria-label": "Breadcrumb"}).find_all("li")
    assert crumbs[0].a["href"] == f"{site.siteurl}/"
    assert crumbs[-1]["aria-current"] == "page"
    assert crumbs[-1].get_text() == soup.h1.get_text()


def test_the_404_page_is_never_indexed(site):
    soup = site.soup("404.html")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
