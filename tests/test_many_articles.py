"""A site with many articles: lists, pagination, topics, tags and neighbours stay sound.

One production build of a copy of the site with 34 generated articles in four
topics (benchmarks/synthetic.py) is made per session; every page of it gets the
same structure and link checks as the real site, and the lists are checked
against the articles themselves.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import quality
from conftest import SITEURL, BuiltSite, copy_site, production_build, serving_built
from expected import A_TO_Z_PAGE, expected_pages

from benchmarks.synthetic import CATEGORIES, write_articles
from commands.build import load_settings

BUDGET = quality.FIRST_RENDER_BUDGET_BYTES
HIDDEN = (
    "Title: Opening hours\nDate: 2026-11-20\nSlug: opening-hours\nSummary: When we are open.\n"
    "Category: Notices\nTags: opening times\nStatus: hidden\n\nWe are open on weekdays.\n"
)
ARTICLES = 34  # with the real one, 35: four pages of ten on the home page
# (index, new title, Also_called) for a few generated articles.
RETITLED = [
    (1, "Aura and what it looks like", "Visual aura, migraine with aura"),
    (2, "Émigrés and migraine care abroad", ""),
    (3, "5 ways to rest your eyes", "Eye rest"),
    (5, "Triptan tablets", "Brand X, Zolmi"),
]


@pytest.fixture(scope="session")
def many(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    site = copy_site(tmp_path_factory.mktemp("many") / "site")
    write_articles(site / "content", ARTICLES)
    # Titles under other letters than S (one accented, one with a digit) and
    # Also_called names, for the A to Z.
    for index, title, also_called in RETITLED:
        path = site / "content" / f"synthetic-article-{index:04d}.md"
        text = re.sub(
            r"^Title: .*$", f"Title: {title}", path.read_text(encoding="utf-8"), count=1, flags=re.M
        )
        if also_called:
            text = text.replace("\n\n", f"\nAlso_called: {also_called}\n\n", 1)
        path.write_text(text, encoding="utf-8")
    # A hidden article in a topic and tag of its own: neither list exists.
    (site / "content" / "opening-hours.md").write_text(HIDDEN, encoding="utf-8")
    return production_build(site)


@pytest.fixture(scope="session")
def many_served(many: BuiltSite) -> Iterator[quality.Served]:
    with serving_built(many) as served:
        yield served


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
    unlisted = {"404.html", "opening-hours/index.html"}  # hidden pages
    assert locations == {many.url(page) for page in pages if page not in unlisted}
    assert len(quality.header_rules((many.root / "_headers").read_text())) == 2


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
@pytest.mark.parametrize("scheme", quality.SCHEMES)
def test_lists_and_neighbours_pass_axe_and_reflow_in_the_browser(
    browser, many_served, page, scheme
):
    for width in quality.WIDTHS:
        with quality.visit(browser, many_served, page, width=width, scheme=scheme) as visit:
            problems = quality.axe_problems(visit) + quality.horizontal_scroll_problems(visit)
            assert not problems, "\n".join(problems)


def test_generated_articles_are_the_same_every_time(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for folder in (first, second):
        write_articles(folder, 5)
    files = [sorted(p for p in folder.rglob("*") if p.is_file()) for folder in (first, second)]
    assert [p.relative_to(first) for p in files[0]] == [p.relative_to(second) for p in files[1]]
    assert [p.read_bytes() for p in files[0]] == [p.read_bytes() for p in files[1]]


# --- The A to Z -----------------------------------------------------------------


def expected_letter(name: str) -> str:
    first = unicodedata.normalize("NFKD", name)[:1].upper()
    return first if first in string.ascii_uppercase else "0–9"


def test_the_a_to_z_lists_every_article_once_under_its_first_letter(many, pages):
    soup = many.soup(A_TO_Z_PAGE)
    # Every published article, from the archive (hidden ones are not in it).
    articles = {
        a["href"]: a.get_text()
        for a in many.soup("archives/index.html").select(".app-article-list__title a")
    }
    assert len(articles) == ARTICLES + 1
    found: dict[str, list[str]] = {}
    see: dict[str, tuple[str, str]] = {}
    for section in soup.select("main section"):
        letter = section.h2.get_text()
        for item in section.find_all("li"):
            link = item.a
            if item.get_text().startswith(link.get_text()):
                found.setdefault(link["href"], []).append(letter)
                assert link.get_text() == articles[link["href"]]
            else:
                name = item.get_text().split(", see ")[0]
                see[name] = (letter, link["href"])
    assert {url: letters for url, letters in found.items()} == {
        url: [expected_letter(title)] for url, title in articles.items()
    }
    assert f"{SITEURL}/opening-hours/" not in found  # hidden
    urls = {title: url for url, title in articles.items()}
    assert see == {
        "Visual aura": ("V", urls["Aura and what it looks like"]),
        "migraine with aura": ("M", urls["Aura and what it looks like"]),
        "Eye rest": ("E", urls["5 ways to rest your eyes"]),
        "Brand X": ("B", urls["Triptan tablets"]),
        "Zolmi": ("Z", urls["Triptan tablets"]),
    }
    assert "Brand X, see Triptan tablets" in soup.get_text()
    # Numbers by value, as a reader counts: 4 before 10.
    listed_s = [
        a.get_text() for a in soup.find(id="letter-s").find_parent("section").select("li a")
    ]
    four = next(i for i, t in enumerate(listed_s) if t.startswith("Synthetic article 4:"))
    ten = next(i for i, t in enumerate(listed_s) if t.startswith("Synthetic article 10:"))
    assert four < ten, listed_s


def test_a_to_z_letters_link_only_where_there_are_articles(many):
    soup = many.soup(A_TO_Z_PAGE)
    nav = soup.find("nav", attrs={"aria-label": "A to Z letters"})
    items = nav.find_all("li")
    assert [li.get_text(strip=True) for li in items] == [*string.ascii_uppercase, "0–9"]
    headings = {section.h2.get_text(): section.h2["id"] for section in soup.select("main section")}
    for item in items:
        letter = item.get_text(strip=True)
        if letter in headings:
            assert item.a["href"] == f"#{headings[letter]}", letter
        else:
            assert item.a is None, f"{letter} has no articles but is a link"
    assert "S" in headings and "0–9" in headings and "Q" not in headings
    for section in soup.select("main section"):
        back = section.find(class_="app-back-to-top").a
        assert back.get_text() == "Back to top" and back["href"] == f"#{nav['id']}"


def test_the_a_to_z_is_linked_from_the_header_and_listed_in_the_sitemap(many):
    header = many.soup("synthetic-article-0012/index.html").find("header", class_="app-header")
    assert header.find("a", string="A to Z")["href"] == f"{SITEURL}/a-z/"
    assert f"<loc>{SITEURL}/a-z/</loc>" in (many.root / "sitemap.xml").read_text()
    soup = many.soup(A_TO_Z_PAGE)
    assert soup.title.get_text() == "A to Z | Mind Balance"
    assert soup.find("link", rel="canonical")["href"] == f"{SITEURL}/a-z/"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    crumbs = next(node for node in data["@graph"] if node["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Home", "A to Z"]
