"""Every page in the real browser: axe-core, reflow, text spacing, focus, motion, privacy.

One headless Chromium serves the whole session (conftest `browser`); the site
is served over http on 127.0.0.1 (conftest `served_site`).
"""

from __future__ import annotations

import pytest
import quality
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import copy_site, run_build
from expected import EXPECTED_PAGES

pytestmark = pytest.mark.browser


def fail_listing(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# Each page is opened once and shown at every width and colour scheme, and
# every in-page check runs in that one visit (`quality.every_in_page_problem`).


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_every_page_passes_every_in_page_check(browser, served_site, page):
    fail_listing(quality.every_in_page_problem(browser, served_site, page))


def test_a_missing_address_gets_the_sites_own_404_page_without_a_cookie(browser, served_site):
    with quality.visit(browser, served_site, "no-such-page/") as visit:
        assert any(r.status == 404 for r in visit.responses)
        assert visit.page.title() == "Page not found | Mind Balance"
        fail_listing(quality.privacy_problems(visit))


TRUST_PARTS = {
    "review dates": ".app-review-dates",
    "disclaimer callout": ".app-inset-text",
    "table of contents": ".app-contents-list",
}


def test_the_article_shows_review_dates_disclaimer_and_contents(browser, served_fixture_site):
    """In one visit, at each width and colour scheme, on screen and in print."""
    problems = []
    with quality.visit(browser, served_fixture_site, ARTICLE_PAGE) as visit:
        for width, scheme in quality.VIEWS:
            quality.show(visit, width=width, scheme=scheme)
            for media in ("screen", "print"):
                visit.page.emulate_media(media=media)
                for name, selector in TRUST_PARTS.items():
                    if media == "print" and name == "table of contents":
                        continue  # links cannot be followed on paper; print hides the list
                    box = visit.page.locator(selector).bounding_box()
                    if box is None or box["width"] == 0 or box["height"] == 0:
                        problems.append(f"{visit.label}, {media}: the {name} is not shown")
                    elif box["x"] < 0 or box["x"] + box["width"] > width + 1:
                        problems.append(
                            f"{visit.label}, {media}: the {name} does not fit the width"
                        )
    fail_listing(problems)


# --- Reader first: the title and the text on the first screen ------------------

# Phones people hold (360×640 is the smallest common one) and a laptop.
FIRST_SCREENS = [(360, 640), (390, 844), (1280, 800)]

FIRST_SCREEN_JS = """() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
    const text = document.querySelector('main .app-prose > p');
    const header = document.querySelector('.app-header');
    const home = document.querySelector('.app-header__home').getBoundingClientRect();
    const links = [...header.querySelectorAll('nav a')].map(a => a.getBoundingClientRect());
    return {
        height: innerHeight, h1: box(document.querySelector('h1')), text: box(text),
        line: parseFloat(getComputedStyle(text).lineHeight),
        headerOneLine: links.every(r => r.top < home.bottom && r.bottom > home.top),
    };
}"""


def test_the_title_and_the_start_of_the_text_are_on_the_first_screen(
    browser, served_fixture_site, record_property
):
    """In one visit, on each first screen in each colour scheme, at the top of the page."""
    problems, measured = [], []
    with quality.visit(browser, served_fixture_site, ARTICLE_PAGE) as visit:
        for width, height in FIRST_SCREENS:
            for scheme in quality.SCHEMES:
                quality.show(visit, width=width, height=height, scheme=scheme)
                found = visit.page.evaluate(FIRST_SCREEN_JS)
                where = f"{width}x{height} {scheme}"
                measured.append(
                    f"{where}: h1 at {found['h1']['top']:.0f} px, "
                    f"text at {found['text']['top']:.0f} px"
                )
                if not found["headerOneLine"]:
                    problems.append(f"{where}: the header's links wrap under the name")
                if not (found["h1"]["top"] >= 0 and found["h1"]["bottom"] <= found["height"]):
                    problems.append(f"{where}: the title is not on the first screen: {found}")
                # The first two lines of the text are readable without scrolling.
                if found["text"]["top"] + 2 * found["line"] > found["height"]:
                    problems.append(f"{where}: the text's first two lines are not: {found}")
    record_property("measured", "; ".join(measured))
    fail_listing(problems)


REVIEW_AFTER_TEXT_JS = """() => {
    const paragraphs = document.querySelectorAll('main .app-prose > p');
    const last = paragraphs[paragraphs.length - 1];
    const review = document.querySelector('.app-review-dates');
    const disclaimer = document.querySelector('main div.app-inset-text');
    const follows = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    return {
        domOrder: follows(last, review) && follows(review, disclaimer),
        textBottom: last.getBoundingClientRect().bottom,
        reviewTop: review.getBoundingClientRect().top,
        reviewBottom: review.getBoundingClientRect().bottom,
        disclaimerTop: disclaimer.getBoundingClientRect().top,
    };
}"""


def test_the_review_dates_and_disclaimer_come_after_the_text(browser, served_fixture_site):
    """In one visit, on each first screen."""
    problems = []
    with quality.visit(browser, served_fixture_site, ARTICLE_PAGE) as visit:
        for width, height in FIRST_SCREENS:
            quality.show(visit, width=width, height=height, scheme="light")
            found = visit.page.evaluate(REVIEW_AFTER_TEXT_JS)
            if not found["domOrder"]:
                problems.append("the review dates or disclaimer come before the text in the page")
            if not (found["textBottom"] <= found["reviewTop"] <= found["reviewBottom"]):
                problems.append(f"{width}x{height}: the review dates overlap the text: {found}")
            if found["reviewBottom"] > found["disclaimerTop"]:
                problems.append(f"{width}x{height}: the disclaimer overlaps the dates: {found}")
    fail_listing(problems)


# --- Whatever an editor writes fits 320 px -----------------------------------

WIDE_ARTICLE = """Title: Wide things
Date: 2026-11-20
Slug: wide-things
Summary: A page with a wide table, a long word, a long link, code and a big image.
Category: Notices

Some text before the table.

## Doses by week

| Week | Monday | Tuesday | Wednesday | Thursday | Friday |
| --- | --- | --- | --- | --- | --- |
| One | 10 milligrams in the morning | 10 milligrams in the morning | 20 milligrams at night | 20 milligrams at night | none at all today |
| Two | 20 milligrams in the morning | 20 milligrams in the morning | 30 milligrams at night | 30 milligrams at night | none at all today |

A word of sixty letters: {word}.

A long address: <https://www.example.org/a/very/long/path/that/goes/on/and/on/without/any/break/at/all/index.html>.

    a_line_of_code = "that is far longer than any phone is wide, and keeps going past the edge"

![A wide picture]({{static}}/images/wide.svg)
"""
WIDE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="300" viewBox="0 0 1200 300">'
    '<rect width="1200" height="300" fill="#1d5a94"/></svg>\n'
)


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory):
    """A copy of the site with an article full of wide things, built and served."""
    site = copy_site(tmp_path_factory.mktemp("wide") / "site")
    article = WIDE_ARTICLE.format(word="a" * 30 + "b" * 30)
    (site / "content" / "wide-things.md").write_text(article, encoding="utf-8")
    (site / "content" / "images").mkdir(exist_ok=True)
    (site / "content" / "images" / "wide.svg").write_text(WIDE_SVG, encoding="utf-8")
    output = site / "output"
    with quality.serving(output) as origin:
        result = run_build(site, "--production", "--output", str(output), env={"SITEURL": origin})
        assert result.returncode == 0, result.stdout + result.stderr
        yield quality.Served(origin, origin)


@pytest.mark.parametrize("scheme", quality.SCHEMES)
def test_wide_tables_words_links_code_and_images_never_widen_the_page(browser, wide_site, scheme):
    with quality.visit(browser, wide_site, "wide-things/index.html", width=320, scheme=scheme) as v:
        problems = quality.horizontal_scroll_problems(v) + quality.axe_problems(v)
        found = v.page.evaluate(
            """() => {
            const wrap = document.querySelector('.app-table-wrap');
            const table = wrap.querySelector('table');
            const pre = document.querySelector('.app-prose pre');
            const img = document.querySelector('.app-prose img');
            const prose = document.querySelector('.app-prose').getBoundingClientRect();
            return {
                role: wrap.getAttribute('role'), label: wrap.getAttribute('aria-label'),
                tabIndex: wrap.tabIndex, scrolls: wrap.scrollWidth > wrap.clientWidth,
                tableWider: table.getBoundingClientRect().width > wrap.clientWidth,
                preTabIndex: pre.tabIndex, preScrolls: pre.scrollWidth > pre.clientWidth,
                imageFits: img.getBoundingClientRect().width <= prose.width + 0.5,
            };
        }"""
        )
    # Tab reaches the table's region and the code block, with a visible ring
    # (reduced motion: a smooth scroll would still be under way when measured).
    with quality.visit(
        browser,
        wide_site,
        "wide-things/index.html",
        width=320,
        scheme=scheme,
        reduced_motion="reduce",
    ) as v:
        problems += quality.focus_problems(v)
    assert not problems, "\n".join(problems)
    assert found["role"] == "region" and found["label"] == "Table: Doses by week", found
    assert found["tabIndex"] == 0 and found["scrolls"] and found["tableWider"], found
    assert found["preTabIndex"] == 0 and found["preScrolls"], found
    assert found["imageFits"], found


def test_print_shows_the_article_and_its_governance_without_the_sites_chrome(
    browser, served_fixture_site
):
    with quality.visit(browser, served_fixture_site, ARTICLE_PAGE) as visit:
        visit.page.emulate_media(media="print")
        found = visit.page.evaluate(
            """() => {
            const shown = (selector) => [...document.querySelectorAll(selector)]
                .some(el => el.getClientRects().length > 0);
            const link = document.querySelector('main div.app-inset-text a');
            return {
                chrome: ['.app-header__nav', '.app-footer', '.app-breadcrumbs',
                         '.app-contents-list', '.app-back-to-top'].filter(shown),
                kept: ['h1', '.app-prose', '.app-review-dates', 'main div.app-inset-text']
                    .filter(s => !shown(s)),
                after: getComputedStyle(link, '::after').content,
                href: link.href,
            };
        }"""
        )
    assert found["chrome"] == [], f"printed: {found['chrome']}"
    assert found["kept"] == [], f"not printed: {found['kept']}"
    assert found["href"] in found["after"], f"the link's address is not printed: {found}"
