"""The article page a reader meets: the text first, governance after it, a short header.

Reader first: title, a one-line byline, the text; then the review dates,
References, the disclaimer (inset text) with the emergency line, topic and
tags; the compact header and the footer's full menu. Each part has its own
module's test (test_review_dates.py, test_references.py, test_reading_aids.py,
test_article_parts.py); these check where they stand on the page.
"""

from __future__ import annotations

import re

from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import order_of


def test_health_article_carries_the_disclaimer_as_inset_text(fixture_site):
    # The same component, markup and hidden prefix as `/// inset` in Markdown.
    callout = fixture_site.soup(ARTICLE_PAGE).find("div", class_="app-inset-text")
    heading = callout.find("h2", class_="app-inset-text__heading")
    assert heading.find(class_="app-visually-hidden").get_text() == "Information: "
    assert "General information, not medical advice" in heading.get_text()
    text = callout.get_text(" ")
    assert "not a substitute for advice" in text
    assert "call 911" in text
    link = callout.find("a", string=re.compile("disclaimer"))
    assert fixture_site.file_for(link["href"]) == fixture_site.root / "disclaimer/index.html"


def test_the_text_comes_first_and_governance_follows_it_in_order(fixture_site):
    # Reader first: title, a one-line byline, the text; then the review
    # dates, the disclaimer with the emergency line, then topic, tags and the
    # neighbours (References, when there are any, sit between review and
    # disclaimer: test_footnotes_render_as_an_accessible_references_section).
    soup = fixture_site.soup(ARTICLE_PAGE)
    main = soup.find("main")
    h1 = main.h1
    first_text = main.select(".app-prose > p")[0]
    last_text = main.select(".app-prose > p")[-1]
    review = main.find(class_="app-review-dates")
    disclaimer = main.find("div", class_="app-inset-text")
    topics = main.find(class_="app-article__topics")
    back = main.find(class_="app-back-to-top")
    positions = order_of(soup, h1, first_text, last_text, review, disclaimer, topics, back)
    assert positions == sorted(positions), positions
    # Nothing but the byline between the title and the text.
    between = h1.find_all_next(True)
    between = between[: between.index(first_text)]
    assert {
        tag.get("class", [""])[0] for tag in between if tag.name in {"p", "div", "aside", "nav"}
    } <= {
        "app-article__meta",
        "app-prose",
    }


def test_the_contents_list_follows_the_opening_text(fixture_site):
    soup = fixture_site.soup(ARTICLE_PAGE)
    contents = soup.find("nav", class_="app-contents-list")
    opening = soup.select(".app-prose > p")[0]
    first_section = soup.select(".app-prose > h2")[0]
    assert order_of(soup, opening, contents, first_section) == sorted(
        order_of(soup, opening, contents, first_section)
    )


def test_the_header_is_short_and_the_footer_has_the_full_menu(fixture_site):
    soup = fixture_site.soup(ARTICLE_PAGE)
    header_links = [
        a.get_text() for a in soup.find("header", class_="app-header").nav.find_all("a")
    ]
    assert header_links == ["A to Z", "Search", "Menu"]
    menu_link = soup.find("header", class_="app-header").find("a", string="Menu")
    menu = soup.find(id=menu_link["href"].removeprefix("#"))
    assert menu.name == "nav" and menu.find_parent("footer")
    labels = [a.get_text() for a in menu.find_all("a")]
    assert labels == ["A to Z", "All articles", "Topics", "Tags", "Medical disclaimer", "Privacy"]
    a_to_z = soup.find("header").find("a", string="A to Z")
    assert fixture_site.file_for(a_to_z["href"]) == fixture_site.root / "a-z/index.html"
    search = soup.find("header").find("a", string="Search")
    assert fixture_site.file_for(search["href"]) == fixture_site.root / "search/index.html"
    footer = " ".join(soup.find("footer").get_text(" ").split())
    assert "general information, not medical advice" in footer
