"""A site with many articles: lists, pagination, topics, tags and neighbours stay sound.

One production build of a copy of the site with 34 generated articles in four
topics (benchmarks/synthetic.py; conftest.py's `many`, which test_a_to_z.py
reads too) is made per session; every page of it gets the
same structure and link checks as the real site, and the lists are checked
against the articles themselves.
"""

from __future__ import annotations

import re

import pytest
import quality
from conftest import ARTICLES, SITEURL, BuiltSite
from expected import A_TO_Z_PAGE, expected_pages, unlisted_pages

from benchmarks.synthetic import CATEGORIES
from commands.build import load_settings

BUDGET = quality.FIRST_RENDER_BUDGET_BYTES


@pytest.fixture(scope="session")
def pages(many: BuiltSite) -> list[str]:
    return many.html_pages()


def listed(site: BuiltSite, page: str) -> list[str]:
    """The article addresses a list page links to, in order."""
    return [a["href"] for a in site.soup(page).select(".app-article-list__title a")]


def test_the_build_has_every_page_the_content_calls_for(many, pages):
    content = many.root.parent / "content"
    assert pages == expected_pages(content, load_settings(production=True))
    assert len(pages) > 3 * ARTICLES // 2


def test_every_page_has_a_sound_structure(many, pages):
    problems = [problem for page in pages for problem in quality.structure_problems(many, page)]
    assert not problems, "\n".join(problems)


def test_every_article_has_its_own_card_and_every_page_a_1200_by_630_one(many, pages):
    from PIL import Image

    problems, cards = [], {}
    # The 404 page is never shared: it has no Open Graph at all.
    for page in [p for p in pages if p != "404.html"]:
        tag = many.soup(page).find("meta", property="og:image")
        file = many.file_for(tag["content"]) if tag else None
        if file is None or not file.is_file():
            problems.append(f"{page}: no og:image file ({tag})")
            continue
        with Image.open(file) as card:
            if card.size != (1200, 630):
                problems.append(f"{page}: card is {card.size}")
        cards[page] = tag["content"]
    articles = [p for p in cards if p.startswith("synthetic-article-")]
    assert len(articles) == ARTICLES
    assert len({cards[p] for p in articles}) == ARTICLES, "two articles share a card"
    assert not problems, "\n".join(problems)


def test_the_synthetic_pictures_are_published_as_pictures(many):
    pictured = many.soup("synthetic-article-0000/index.html").select(".app-prose picture img")
    assert len(pictured) == 1 and pictured[0]["width"] == "1440"
    assert many.file_for(pictured[0]["src"]).is_file()


def test_every_title_is_unique(many, pages):
    assert quality.duplicate_titles(many, pages) == []


def test_every_link_and_fragment_resolves(many, pages):
    problems = quality.broken_links(many, pages) + quality.missing_fragments(many, pages)
    assert not problems, "\n".join(problems)


def test_the_home_page_lists_the_newest_ten_and_the_pages_cover_every_article(many, pages):
    home_pages = [
        "index.html",
        *sorted(
            (p for p in pages if re.fullmatch(r"page/\d+/index\.html", p)),
            key=lambda p: int(p.split("/")[1]),
        ),
    ]
    assert len(home_pages) == 4
    everything = [url for page in home_pages for url in listed(many, page)]
    assert len(everything) == len(set(everything)) == ARTICLES + 1
    assert len(listed(many, "index.html")) == 10
    dates = [
        many.soup(page).select_one(f'a[href="{url}"]').find_parent("li").time["datetime"]
        for page in home_pages
        for url in listed(many, page)
    ]
    assert dates == sorted(dates, reverse=True), "the home page is not newest first"
    second = many.soup("page/2/index.html")
    assert second.find("link", rel="prev")["href"] == f"{SITEURL}/"
    assert second.find("link", rel="next")["href"] == f"{SITEURL}/page/3/"
    assert second.h1.get_text() == "Newest articles, page 2 of 4"
    nav = second.find("nav", attrs={"aria-label": "Pages"})
    assert [a.get_text() for a in nav.find_all("a")] == ["Newer articles", "Older articles"]


def test_the_archive_and_each_topic_list_exactly_their_articles(many, pages):
    assert len(listed(many, "archives/index.html")) == ARTICLES + 1  # 50 to a page
    for number, category in enumerate(CATEGORIES):
        slug = category.lower().replace(" ", "-")
        topic_pages = [p for p in pages if p.startswith(f"category/{slug}/")]
        urls = [url for page in topic_pages for url in listed(many, page)]
        expected = {
            f"{SITEURL}/synthetic-article-{index:04d}/"
            for index in range(ARTICLES)
            if index % len(CATEGORIES) == number
        }
        if category == "Migraine":
            expected.add(f"{SITEURL}/ketamine-for-migraine/")
        assert sorted(urls) == sorted(expected), category
    topics = many.soup("categories/index.html").select(".app-term-list a")
    assert sorted(a.get_text() for a in topics) == sorted(CATEGORIES)


def test_a_hidden_article_is_published_but_listed_nowhere(many, pages):
    assert "opening-hours/index.html" in pages
    assert not [p for p in pages if "notices" in p or "opening-times" in p]
    soup = many.soup("opening-hours/index.html")
    crumbs = [li.get_text(strip=True) for li in soup.select(".app-breadcrumbs li")]
    assert crumbs == ["Home", "Opening hours"]
    assert "Notices" not in soup.get_text()


def test_only_the_first_home_page_is_the_current_page_in_the_header(many):
    assert many.soup("index.html").select('header [aria-current="page"]')
    assert not many.soup("page/2/index.html").select('header [aria-current="page"]')
    assert len(many.soup("page/2/index.html").select('[aria-current="page"]')) == 1


def test_each_article_links_to_its_neighbours_in_the_same_topic(many):
    page = "synthetic-article-0012/index.html"
    soup = many.soup(page)
    topic = soup.select(".app-breadcrumbs li")[1].get_text(strip=True)
    nav = soup.find("nav", attrs={"aria-label": f"More in {topic}"})
    links = {a["rel"][0]: a["href"] for a in nav.find_all("a")}
    assert links == {
        "next": f"{SITEURL}/synthetic-article-0016/",
        "prev": f"{SITEURL}/synthetic-article-0008/",
    }


def test_the_sitemap_lists_every_public_page_and_the_headers_file_stays_small(many, pages):
    sitemap = (many.root / "sitemap.xml").read_text()
    locations = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    # The hidden article, and the pages never listed (the 404 page, the search page).
    unlisted = {"opening-hours/index.html", *unlisted_pages()}
    assert locations == {many.url(page) for page in pages if page not in unlisted}
    # Three rules however many articles: every file, the search page's own
    # policy, and a year's caching of the theme's fingerprinted files.
    assert list(quality.header_rules((many.root / "_headers").read_text())) == [
        "/*",
        "/search/*",
        "/theme/*",
    ]


def test_every_list_page_still_fits_the_first_render_budget(many, pages, record_property):
    lists = [p for p in pages if p.startswith(("page/", "archives/", "category/", "tag/"))]
    lists += ["index.html", "categories/index.html", "tags/index.html", A_TO_Z_PAGE]
    measured = [quality.first_render(many.root, many.siteurl, page) for page in lists]
    heaviest = max(measured, key=lambda m: m.total)
    record_property("measured", f"heaviest list page {heaviest.page}: {heaviest.total:,} B gzip")
    over = [f"{m.page}: {m.total:,} B" for m in measured if m.problems or m.total > BUDGET]
    assert not over, "\n".join(over)


@pytest.mark.validator
def test_the_html_checker_accepts_every_page(many):
    problems = quality.vnu_problems(many.root)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize(
    "page",
    [
        "page/2/index.html",
        "category/migraine/index.html",
        "synthetic-article-0012/index.html",
        A_TO_Z_PAGE,
    ],
)
def test_lists_and_neighbours_pass_axe_and_reflow_in_the_browser(browser, many_served, page):
    problems = []
    with quality.visit(browser, many_served, page) as visit:  # shown at each width and scheme
        for width in quality.WIDTHS:
            for scheme in quality.SCHEMES:
                quality.show(visit, width=width, scheme=scheme)
                problems += quality.axe_problems(visit) + quality.horizontal_scroll_problems(visit)
    assert not problems, "\n".join(problems)
