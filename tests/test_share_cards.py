"""plugins/share_cards.py: a 1200 × 630 share card for every page, named in its head and JSON-LD."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import SITEURL, BuiltSite, copy_site, json_ld, meta, run_build
from expected import ARTICLE_PAGES, SHARED_PAGES


@pytest.mark.parametrize("page", SHARED_PAGES)
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


def test_the_drawn_card_wraps_a_long_title_and_stays_small(tmp_path):
    from PIL import Image

    site = copy_site(tmp_path / "site")
    title = "A very long title " * 12
    (site / "content/long.md").write_text(
        f"Title: {title.strip()}\nDate: 2026-11-20\nSlug: long\nSummary: Long.\n"
        "Category: Notices\n\nText.\n",
        encoding="utf-8",
    )
    result = run_build(site, "--production", "--output", "out")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((site / "out/long/index.html").read_text(), "html.parser")
    card = BuiltSite(site / "out", SITEURL).file_for(
        soup.find("meta", property="og:image")["content"]
    )
    assert card.stat().st_size <= 100_000
    with Image.open(card) as image:
        assert image.size == (1200, 630)
