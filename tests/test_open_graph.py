"""Canonical and Open Graph: what a search engine or a shared link's preview reads in every page's head."""

from __future__ import annotations

import pytest
from conftest import is_iso_with_zone, meta
from expected import ARTICLE_PAGES, EVERY_ARTICLE_PAGE, SHARED_PAGES


@pytest.mark.parametrize("page", SHARED_PAGES)
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


@pytest.mark.parametrize("page", ARTICLE_PAGES)
def test_article_open_graph_has_published_and_modified_times(site, page):
    soup = site.soup(page)
    for key in ("article:published_time", "article:modified_time"):
        assert is_iso_with_zone(meta(soup, key)), key
