"""Every page in the real browser: axe-core, reflow, text spacing, focus, motion, privacy.

One headless Chromium serves the whole session (conftest `browser`); the site
is served over http on 127.0.0.1 (conftest `served_site`).
"""

from __future__ import annotations

import pytest
import quality
from expected import ARTICLE_PAGE, EXPECTED_PAGES

pytestmark = pytest.mark.browser


def fail_listing(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", quality.SCHEMES)
@pytest.mark.parametrize("width", quality.WIDTHS)
@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_axe_finds_no_violations(browser, served_site, page, width, scheme):
    with quality.visit(browser, served_site, page, width=width, scheme=scheme) as visit:
        fail_listing(quality.axe_problems(visit))


@pytest.mark.parametrize("scheme", quality.SCHEMES)
@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_no_horizontal_scrolling_at_320px(browser, served_site, page, scheme):
    with quality.visit(browser, served_site, page, width=320, scheme=scheme) as visit:
        fail_listing(quality.horizontal_scroll_problems(visit))


@pytest.mark.parametrize("width", quality.WIDTHS)
@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_text_fits_with_wcag_text_spacing(browser, served_site, page, width):
    with quality.visit(browser, served_site, page, width=width) as visit:
        fail_listing(quality.text_spacing_problems(visit))


@pytest.mark.parametrize("scheme", quality.SCHEMES)
@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_every_interactive_element_shows_a_visible_focus_ring(browser, served_site, page, scheme):
    # Reduced motion: with smooth scrolling a ring below the fold is still on its
    # way into view when it is measured.
    with quality.visit(browser, served_site, page, scheme=scheme, reduced_motion="reduce") as visit:
        fail_listing(quality.focus_problems(visit))


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_nothing_moves_when_the_reader_asks_for_reduced_motion(browser, served_site, page):
    with quality.visit(browser, served_site, page, reduced_motion="reduce") as visit:
        fail_listing(quality.motion_problems(visit))


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_no_cookie_and_no_request_to_another_origin(browser, served_site, page):
    with quality.visit(browser, served_site, page) as visit:
        fail_listing(quality.privacy_problems(visit))


def test_a_missing_address_gets_the_sites_own_404_page_without_a_cookie(browser, served_site):
    with quality.visit(browser, served_site, "no-such-page/") as visit:
        assert any(r.status == 404 for r in visit.responses)
        assert visit.page.title() == "Page not found | Mind Balance"
        fail_listing(quality.privacy_problems(visit))


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_the_pages_own_content_security_policy_blocks_nothing_it_needs(browser, served_site, page):
    with quality.visit(browser, served_site, page, bypass_csp=False) as visit:
        sheets = visit.page.evaluate("document.styleSheets.length")
        fail_listing(quality.csp_problems(visit))
    assert sheets == 1, f"{page}: the stylesheet did not load under the page's own policy"


TRUST_PARTS = {
    "review dates": ".app-review-dates",
    "disclaimer callout": ".app-inset-text",
    "table of contents": ".app-contents-list",
}


@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("scheme", quality.SCHEMES)
@pytest.mark.parametrize("width", quality.WIDTHS)
def test_the_article_shows_review_dates_disclaimer_and_contents(
    browser, served_site, width, scheme, media
):
    with quality.visit(browser, served_site, ARTICLE_PAGE, width=width, scheme=scheme) as visit:
        visit.page.emulate_media(media=media)
        problems = []
        for name, selector in TRUST_PARTS.items():
            if media == "print" and name == "table of contents":
                continue  # links cannot be followed on paper; print hides the list
            box = visit.page.locator(selector).bounding_box()
            if box is None or box["width"] == 0 or box["height"] == 0:
                problems.append(f"{visit.label}, {media}: the {name} is not shown")
            elif box["x"] < 0 or box["x"] + box["width"] > width + 1:
                problems.append(f"{visit.label}, {media}: the {name} does not fit the width")
    fail_listing(problems)
