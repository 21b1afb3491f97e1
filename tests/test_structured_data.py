"""plugins/structured_data.py: the JSON-LD of every page, and the escaping contract.

An article whose metadata is full of markup characters (`"`, `&`, `<`, curly
quotes) keeps its text intact in the title, the meta tags, Open Graph and
JSON-LD, and its JSON-LD cannot close its own script.
"""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import copy_site, is_iso_with_zone, json_ld, meta, run_build
from expected import HEALTH_ARTICLE_PAGES, PUBLIC_PAGES


@pytest.mark.parametrize("page", HEALTH_ARTICLE_PAGES)
def test_each_health_article_is_a_reviewed_medical_web_page_at_its_own_address(site, page):
    graph = json_ld(site.soup(page))
    assert graph["MedicalWebPage"]["url"] == site.url(page)
    assert is_iso_with_zone(graph["MedicalWebPage"]["lastReviewed"])
    assert graph["BreadcrumbList"]["itemListElement"][-1]["item"] == site.url(page)


def test_article_json_ld_describes_a_reviewed_medical_web_page(fixture_site):
    site = fixture_site
    graph = json_ld(site.soup(ARTICLE_PAGE))
    page = graph["MedicalWebPage"]
    assert page["url"] == site.url(ARTICLE_PAGE)
    assert is_iso_with_zone(page["lastReviewed"])
    assert page["about"] == {"@type": "MedicalCondition", "name": "Migraine"}
    assert page["mentions"] == [{"@type": "Drug", "name": "Ketamine"}]
    assert "reviewedBy" not in page  # the article names no reviewer
    article = graph["Article"]
    for key in ("headline", "datePublished", "dateModified", "author", "publisher"):
        assert article[key], key
    assert article["headline"] == "Ketamine for Migraine Treatment"
    assert all(is_iso_with_zone(article[k]) for k in ("datePublished", "dateModified"))
    crumbs = graph["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[1] == {
        "@type": "ListItem",
        "position": 2,
        "name": "Migraine",
        "item": site.url("category/migraine/index.html"),
    }
    assert crumbs[-1]["item"] == site.url(ARTICLE_PAGE)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_public_page_has_parseable_json_ld(site, page):
    assert json_ld(site.soup(page))


# --- The escaping contract ---------------------------------------------------


TRICKY_TITLE = 'Fast & "safe" <relief> – what’s “new”'


TRICKY_SUMMARY = 'Is it "safe"? A & B <compared> – here’s “why” it matters.'


# Always a year ahead, so this fixture never becomes due for review itself.
NEXT_YEAR = (dt.date.today() + dt.timedelta(days=365)).isoformat()


TRICKY_REVIEWER = 'Dr. Ana “Annie” O’Neil & <team>, "MD"'


@pytest.fixture(scope="module")
def tricky_page(tmp_path_factory) -> BeautifulSoup:
    """A production build of an article whose metadata is full of markup characters."""
    copy = copy_site(tmp_path_factory.mktemp("tricky") / "site")
    (copy / "content" / "tricky.md").write_text(
        f"Title: {TRICKY_TITLE}\nDate: 2026-11-24\nSlug: tricky\nSummary: {TRICKY_SUMMARY}\n"
        f"Category: Migraine\nReviewed: 2026-11-24\nNext_review: {NEXT_YEAR}\n"
        f"Reviewer: {TRICKY_REVIEWER}\n\nA short article.\n",
        encoding="utf-8",
    )
    result = run_build(copy, "--production")
    assert result.returncode == 0, result.stderr
    return BeautifulSoup((copy / "output/tricky/index.html").read_text(), "html.parser")


def test_title_keeps_quotes_ampersands_and_angle_brackets(tricky_page):
    assert tricky_page.title.string == f"{TRICKY_TITLE} | Mind Balance"
    assert tricky_page.h1.get_text() == TRICKY_TITLE
    assert not tricky_page.find("relief")


def test_meta_and_open_graph_keep_the_text_intact(tricky_page):
    assert meta(tricky_page, "description") == TRICKY_SUMMARY
    assert meta(tricky_page, "og:title") == TRICKY_TITLE
    assert meta(tricky_page, "og:description") == TRICKY_SUMMARY
    assert meta(tricky_page, "twitter:title") == TRICKY_TITLE


def test_json_ld_keeps_the_text_intact_and_cannot_close_its_script(tricky_page):
    raw = tricky_page.find("script", type="application/ld+json").string
    assert "<" not in raw and ">" not in raw
    graph = json_ld(tricky_page)
    assert graph["Article"]["headline"] == TRICKY_TITLE
    assert graph["MedicalWebPage"]["description"] == TRICKY_SUMMARY
    assert graph["MedicalWebPage"]["reviewedBy"] == {"@type": "Person", "name": TRICKY_REVIEWER}


def test_reviewer_is_shown_as_text(tricky_page):
    review = " ".join(tricky_page.find(class_="app-review-dates").get_text(" ").split())
    assert f"Reviewed by {TRICKY_REVIEWER}" in review
