"""plugins/sitemap.py: `sitemap.xml` lists every public page, `robots.txt` names it,
and a build that is not production keeps crawlers out."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from conftest import FIXTURE_ARTICLE, SITEURL, BuiltSite, is_iso_with_zone, run_build
from expected import EXPECTED_PAGES, PUBLIC_PAGES, expected_pages

from commands.build import load_settings

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


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
