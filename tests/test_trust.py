"""What makes a health page trustworthy: review dates, the disclaimer, references, navigation."""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import assert_refused, edit, run_build, run_invoke
from expected import EXPECTED_PAGES

from plugins.article_parts import article_parts
from plugins.reading_aids import sections
from plugins.references import restructure_footnotes


def article(site) -> BeautifulSoup:
    return site.soup(ARTICLE_PAGE)


def test_article_shows_when_it_was_reviewed_and_is_next_due(fixture_site):
    review = article(fixture_site).find(class_="app-review-dates")
    text = " ".join(review.get_text(" ").split())
    assert "Page last reviewed: November 25, 2026" in text
    assert "Next review due: November 25, 2027" in text
    times = [t["datetime"] for t in review.find_all("time")]
    assert times == ["2026-11-25T00:00:00-05:00", "2027-11-25T00:00:00-05:00"]
    assert "due for review" not in text
    assert "Reviewed by" not in text  # no reviewer is named in the metadata


def test_health_article_carries_the_disclaimer_as_inset_text(fixture_site):
    # The same component, markup and hidden prefix as `/// inset` in Markdown.
    callout = article(fixture_site).find("div", class_="app-inset-text")
    heading = callout.find("h2", class_="app-inset-text__heading")
    assert heading.find(class_="app-visually-hidden").get_text() == "Information: "
    assert "General information, not medical advice" in heading.get_text()
    text = callout.get_text(" ")
    assert "not a substitute for advice" in text
    assert "call 911" in text
    link = callout.find("a", string=re.compile("disclaimer"))
    assert fixture_site.file_for(link["href"]) == fixture_site.root / "disclaimer/index.html"


def order_of(soup: BeautifulSoup, *elements) -> list[int]:
    """Where each element starts in the document, as an index into every tag."""
    everything = soup.find_all(True)
    return [next(i for i, tag in enumerate(everything) if tag is element) for element in elements]


def test_the_text_comes_first_and_governance_follows_it_in_order(fixture_site):
    # Reader first: title, a one-line byline, the text; then the review
    # dates, the disclaimer with the emergency line, then topic, tags and the
    # neighbours (References, when there are any, sit between review and
    # disclaimer: test_footnotes_render_as_an_accessible_references_section).
    soup = article(fixture_site)
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
    soup = article(fixture_site)
    contents = soup.find("nav", class_="app-contents-list")
    opening = soup.select(".app-prose > p")[0]
    first_section = soup.select(".app-prose > h2")[0]
    assert order_of(soup, opening, contents, first_section) == sorted(
        order_of(soup, opening, contents, first_section)
    )


def test_a_long_article_ends_with_back_to_top(fixture_site):
    soup = article(fixture_site)
    assert soup.find("nav", class_="app-contents-list")  # long: it has a contents list
    link = soup.find(class_="app-back-to-top").a
    assert link.get_text() == "Back to top"
    target = soup.find(id=link["href"].removeprefix("#"))
    assert target.name == "main" and target["tabindex"] == "-1"


def test_a_short_article_has_no_back_to_top(site_copy):
    text = (site_copy / ARTICLE).read_text(encoding="utf-8")
    body_start = text.index("\n\n")
    short = text[:body_start] + "\n\nOne short paragraph.\n\n## One section\n\nMore text.\n"
    (site_copy / ARTICLE).write_text(short, encoding="utf-8")
    result = run_build(site_copy, "--production")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((site_copy / "output" / ARTICLE_PAGE).read_text(), "html.parser")
    assert soup.find(class_="app-back-to-top") is None
    assert soup.find(class_="app-contents-list") is None
    assert soup.find(class_="app-review-dates")  # the governance is still there


def test_the_header_is_short_and_the_footer_has_the_full_menu(fixture_site):
    soup = article(fixture_site)
    header_links = [
        a.get_text() for a in soup.find("header", class_="app-header").nav.find_all("a")
    ]
    assert header_links == ["A to Z", "Topics", "Menu"]
    menu_link = soup.find("header", class_="app-header").find("a", string="Menu")
    menu = soup.find(id=menu_link["href"].removeprefix("#"))
    assert menu.name == "nav" and menu.find_parent("footer")
    labels = [a.get_text() for a in menu.find_all("a")]
    assert labels == ["A to Z", "All articles", "Topics", "Tags", "Medical disclaimer", "Privacy"]
    a_to_z = soup.find("header").find("a", string="A to Z")
    assert fixture_site.file_for(a_to_z["href"]) == fixture_site.root / "a-z/index.html"
    footer = " ".join(soup.find("footer").get_text(" ").split())
    assert "general information, not medical advice" in footer


def test_article_has_a_table_of_contents_of_its_sections(fixture_site):
    soup = article(fixture_site)
    contents = soup.find("nav", class_="app-contents-list")
    assert soup.find(id=contents["aria-labelledby"]).get_text() == "On this page"
    entries = [(a["href"], a.get_text()) for a in contents.ol.find_all("a")]
    sections = [
        (f"#{h['id']}", " ".join(h.get_text().split())) for h in soup.select(".app-prose h2")
    ]
    assert entries == sections
    assert len(entries) >= 3


def test_the_contents_list_keeps_headings_with_extra_attributes():
    body = (
        '<h2 id="what-it-is">What it <em>is</em></h2><p>Text.</p>'
        '<h2 id="nausea" lang="en" class="x">Nausea &amp; aura</h2>'
        '<h2 class="plain">No id</h2>'
    )
    assert sections(body) == [("what-it-is", "What it is"), ("nausea", "Nausea & aura")]


def test_the_body_splits_around_the_contents_list_and_references_and_joins_back_whole():
    body = restructure_footnotes(
        markdown.markdown(
            "Opening.[^a]\n\n<div><h2>In a box</h2></div>\n\n## First\n\nText.\n\n"
            "## Second\n\n[^a]: A source.",
            extensions=["extra"],
        )
    )
    opening, sections, references = article_parts(body)
    assert opening + sections + references == body
    assert "In a box" in opening  # a nested h2 is not where the sections start
    assert sections.startswith("<h2>First</h2>")
    assert references.startswith("<section") and "A source." in references
    assert article_parts("<p>Only text.</p>") == ("<p>Only text.</p>", "", "")


def test_article_shows_a_reading_time(fixture_site):
    assert re.fullmatch(
        r"\d+ minute read\.",
        article(fixture_site).find(class_="app-article__reading-time").get_text(),
    )


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


# --- Builds that must fail, or warn ----------------------------------------


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_an_overdue_review_is_published_with_a_notice_and_a_warning(site_copy, production):
    edit(site_copy / ARTICLE, "Next_review: 2027-11-25", "Next_review: 2026-01-15")
    edit(site_copy / ARTICLE, "Reviewed: 2026-11-25", "Reviewed: 2025-01-15")
    result = run_build(site_copy, *(["--production"] if production else []))
    assert result.returncode == 0, result.stderr
    assert "warning: content/ketamine-for-migraine.md:10: the review was due on 2026-01-15" in (
        result.stderr
    )
    page = BeautifulSoup((site_copy / "output" / ARTICLE_PAGE).read_text(), "html.parser")
    assert "This page is due for review." in page.find(class_="app-review-dates").get_text()


REFERENCE_PROBLEMS = {
    "undefined footnote": (
        ("can be.\n", "can be.[^who]\n"),
        "content/ketamine-for-migraine.md:20: footnote [^who] is referenced but never defined",
    ),
    "unreferenced footnote": (
        ("or fatigue.\n", "or fatigue.\n\n[^spare]: A source nobody cites.\n"),
        "content/ketamine-for-migraine.md:38: footnote [^spare] is defined but never referenced",
    ),
}


@pytest.mark.parametrize("case", REFERENCE_PROBLEMS, ids=list(REFERENCE_PROBLEMS))
def test_reference_problems_fail_naming_file_and_line(built_production_copy, case):
    site, before = built_production_copy
    (old, new), message = REFERENCE_PROBLEMS[case]
    edit(site / ARTICLE, old, new)
    assert_refused(run_build(site, "--production"), site, before, message)


def test_footnotes_render_as_an_accessible_references_section(site_copy):
    edit(
        site_copy / ARTICLE,
        "the third most common illness in the world.",
        "the third most common illness in the world.[^burden]",
    )
    edit(
        site_copy / ARTICLE,
        "or fatigue.\n",
        "or fatigue.\n\n[^burden]: A study of the global burden of disease.\n",
    )
    edit(
        site_copy / ARTICLE,
        "About: Migraine",
        "Reviewer: Dr Ana Ruiz, MD, neurologist\nAbout: Migraine",
    )
    result = run_build(site_copy, "--production")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((site_copy / "output" / ARTICLE_PAGE).read_text(), "html.parser")
    section = soup.find("section", class_="app-references")
    assert soup.find(id=section["aria-labelledby"]).get_text() == "References"
    item = section.ol.find("li")
    assert "A study of the global burden of disease." in item.get_text()
    back = item.find("a", class_="footnote-backref")
    assert back["aria-label"] == "Back to reference 1 in the text"
    assert soup.find(id=back["href"].lstrip("#")).name == "sup"
    citation = soup.find("a", class_="footnote-ref")
    assert citation.get_text() == "Reference 1"
    assert citation.find(class_="app-visually-hidden")
    contents = [a.get_text() for a in soup.find("nav", class_="app-contents-list").find_all("a")]
    assert contents[-1] == "References"
    # After the text: review dates (with the reviewer), References, then the disclaimer.
    review = soup.find(class_="app-review-dates")
    assert "Reviewed by Dr Ana Ruiz, MD, neurologist" in " ".join(review.get_text(" ").split())
    disclaimer = soup.find("div", class_="app-inset-text")
    last_text = soup.select(".app-prose > p")[-1]
    positions = order_of(soup, last_text, review, section, disclaimer)
    assert positions == sorted(positions), positions


def test_review_report_lists_overdue_articles_first(site_copy):
    second = site_copy / "content" / "migraine-triggers.md"
    second.write_text(
        (site_copy / ARTICLE)
        .read_text(encoding="utf-8")
        .replace("Slug: ketamine-for-migraine", "Slug: migraine-triggers")
        .replace("Title: Ketamine for Migraine Treatment", "Title: Migraine Triggers")
        .replace("Next_review: 2027-11-25", "Next_review: 2026-02-01")
        .replace("Reviewed: 2026-11-25", "Reviewed: 2025-02-01"),
        encoding="utf-8",
    )
    result = run_invoke(site_copy, "review-report")
    assert result.returncode == 0, result.stderr
    report = result.stdout.splitlines()
    assert report[1].startswith("overdue") and "content/migraine-triggers.md" in report[1]
    # "current", or "due soon" in its last month: either way after the overdue one.
    assert report[2].startswith(("current", "due soon"))
    assert "content/ketamine-for-migraine.md" in report[2]
