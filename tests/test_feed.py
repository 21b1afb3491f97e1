"""The Atom feed a feed reader meets: well formed, absolute links, every article newest first."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from expected import ARTICLE_PAGES, PUBLIC_PAGES

ATOM = "{http://www.w3.org/2005/Atom}"


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
