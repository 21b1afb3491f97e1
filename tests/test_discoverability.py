"""Findable and shareable without leaking anything: canonical, Open Graph, JSON-LD, feed, sitemap."""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_ARTICLE, SITEURL, BuiltSite, copy_site, run_build
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from expected import (
    ARTICLE_PAGES,
    EVERY_ARTICLE_PAGE,
    EXPECTED_PAGES,
    HEALTH_ARTICLE_PAGES,
    PUBLIC_PAGES,
    expected_pages,
)

from commands.build import load_settings

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup: BeautifulSoup) -> dict[str, dict]:
    """The page's JSON-LD graph, by @type; json.loads must accept it."""
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


def is_iso_with_zone(value: str) -> bool:
    return dt.datetime.fromisoformat(value).tzinfo is not None


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_page_has_canonical_open_graph_and_twitter_card(site, page):
    soup = site.soup(page)
    url = site.url(page)
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:url") == url
    assert meta(soup, "og:title") and meta(soup, "og:title") in soup.title.string
    assert meta(soup, "og:description") == meta(soup, "description")
    assert meta(soup, "og:site_name") == "Mind Balance"
    assert meta(soup, "og:locale") == "en_US"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "og:type") == ("article" if page in EVERY_ARTICLE_PAGE else "website")


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_page_has_a_1200_by_630_share_card_that_exists(site, page):
    from PIL import Image

    soup = site.soup(page)
    url = meta(soup, "og:image")
    assert url.startswith(f"{site.siteurl}/images/share/"), url
    file = site.file_for(url)
    assert file is not None and file.is_file(), url
    with Image.open(file) as card:
        assert card.size == (1200, 630)
        assert Image.MIME[card.format] == meta(soup, "og:image:type")
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt")
    assert file.stat().st_size <= 100_000


@pytest.mark.parametrize("page", ARTICLE_PAGES)
def test_each_article_has_its_own_card_and_its_json_ld_names_the_same_file(site, page):
    soup = site.soup(page)
    card = meta(soup, "og:image")
    assert card != meta(site.soup("index.html"), "og:image")
    image = json_ld(soup)["Article"]["image"]
    assert image == {"@type": "ImageObject", "url": card, "width": 1200, "height": 630}


def test_the_drawn_card_is_described_by_the_title(fixture_site):
    soup = fixture_site.soup(ARTICLE_PAGE)
    assert meta(soup, "og:image:alt") == "Ketamine for Migraine Treatment, Mind Balance"


@pytest.mark.parametrize("page", ARTICLE_PAGES)
def test_article_open_graph_has_published_and_modified_times(site, page):
    soup = site.soup(page)
    for key in ("article:published_time", "article:modified_time"):
        assert is_iso_with_zone(meta(soup, key)), key


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


def test_the_feed_is_well_formed_with_absolute_links(site):
    feed = ET.parse(site.root / "feeds" / "all.atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert links and all(link.startswith(f"{site.siteurl}/") for link in links), links
    # Every listed article, newest first, each entry at the article's own address.
    entries = [
        entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        for entry in feed.iter(f"{ATOM}entry")
    ]
    assert entries == [site.url(page) for page in ARTICLE_PAGES]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_public_page_links_its_feed(site, page):
    feed = site.soup(page).find("link", rel="alternate", type="application/atom+xml")
    assert feed["href"] == f"{site.siteurl}/feeds/all.atom.xml"


def test_the_sitemap_lists_exactly_the_public_pages_with_lastmod(site):
    root = ET.parse(site.root / "sitemap.xml").getroot()
    urls = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}
    assert sorted(urls) == sorted(site.url(page) for page in PUBLIC_PAGES)
    assert all(is_iso_with_zone(lastmod) for lastmod in urls.values())
    assert "404.html" in EXPECTED_PAGES  # built, and left out of the sitemap above


def test_a_site_with_no_articles_yet_still_lists_its_home_and_list_pages(site_copy):
    (site_copy / FIXTURE_ARTICLE).unlink()
    result = run_build(site_copy, "--production", "--output", "out")
    assert result.returncode == 0, result.stderr
    root = ET.parse(site_copy / "out/sitemap.xml").getroot()
    urls = {url.findtext(f"{SITEMAP}loc") for url in root}
    for path in ("", "archives/", "categories/", "tags/", "privacy/"):
        assert f"{SITEURL}/{path}" in urls, path


def test_robots_txt_names_the_sitemap(site):
    robots = (site.root / "robots.txt").read_text()
    assert f"Sitemap: {site.siteurl}/sitemap.xml" in robots.splitlines()
    assert "Disallow: /" not in robots


def test_a_development_build_keeps_crawlers_out(built_template):
    development = BuiltSite(built_template / "output", "")
    # The same pages as production (the content has no drafts) plus the
    # development-only components reference, every one kept out of search.
    reference = load_settings()["COMPONENT_REFERENCE_SAVE_AS"]
    expected = expected_pages(built_template / "content")
    assert development.html_pages() == sorted([*expected, reference])
    robots = (development.root / "robots.txt").read_text()
    assert "Disallow: /" in robots.splitlines()
    for page in development.html_pages():
        robots_meta = development.soup(page).find("meta", attrs={"name": "robots"})
        assert robots_meta["content"] == "noindex", page
    assert not (development.root / "feeds").exists()


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
