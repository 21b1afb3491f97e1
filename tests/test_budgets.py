"""Page weight and privacy, read from the built files: a small first render, nothing third-party.

The figures measured here are printed under "measured" at the end of every run,
so a change that makes a page heavier shows by how much.
"""

from __future__ import annotations

import re

import pytest
import quality
from conftest import FIXTURE_ARTICLE_PAGE
from expected import ARTICLE_PAGES, EXPECTED_PAGES

BUDGET = quality.FIRST_RENDER_BUDGET_BYTES


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_first_render_fits_in_14_kb_gzipped_without_javascript_or_fonts(
    site, page, record_property
):
    measured = quality.first_render(site.root, site.siteurl, page)
    parts = ", ".join(f"{name} {size:,} B" for name, size in measured.files.items())
    record_property("measured", f"first render {measured.total:,} B gzip of {BUDGET:,} ({parts})")
    assert not measured.problems, "\n".join(measured.problems)
    assert measured.total <= BUDGET, (
        f"{page}: first render is {measured.total:,} bytes gzipped, over the "
        f"{BUDGET:,}-byte budget: {parts}"
    )


@pytest.mark.parametrize("article", ARTICLE_PAGES)
def test_each_article_needs_only_its_html_and_one_stylesheet(site, article):
    measured = quality.first_render(site.root, site.siteurl, article)
    page, stylesheet = measured.files
    assert page == article
    assert re.fullmatch(r"theme/css/main\.[0-9a-f]{12}\.css", stylesheet), stylesheet


def test_no_page_loads_anything_from_another_origin(site):
    problems = quality.third_party_problems(site.root, site.siteurl)
    assert not problems, "\n".join(problems)


def test_no_page_sets_a_cookie_in_its_markup(site):
    problems = quality.cookie_meta_problems(site.root)
    assert not problems, "\n".join(problems)


def test_outbound_links_are_allowed_but_every_kind_of_resource_counts():
    # A plain <a href> is a link the reader chooses to follow; everything else
    # here would make the reader's browser contact the other site by itself.
    html = """
        <a href="https://www.nhs.uk/">NHS</a>
        <link rel="canonical" href="https://other.example/">
        <link rel="preload" href="https://cdn.example/font.woff2" as="font">
        <link rel="manifest" href="https://cdn.example/app.webmanifest">
        <img src="/local.png" srcset="/a.png 1x, https://img.example/b.png 2x" alt="">
        <iframe src="https://video.example/embed"></iframe>
        <p style="background: url('https://img.example/bg.png')">Text</p>
        <style>@import "https://css.example/more.css";</style>
    """
    found = sorted(url for _, url in quality.resource_urls(html) if url.startswith("https://"))
    assert found == [
        "https://cdn.example/app.webmanifest",
        "https://cdn.example/font.woff2",
        "https://css.example/more.css",
        "https://img.example/b.png",
        "https://img.example/bg.png",
        "https://video.example/embed",
    ]


def test_a_long_article_costs_no_more_first_render_than_a_short_one(fixture_site):
    # Article length is the editor's to decide: the budget covers what the
    # first screen needs, and the rest streams in after it.
    html = (fixture_site.root / FIXTURE_ARTICLE_PAGE).read_bytes()
    longer = html.replace(b"</main>", b"<p>More text for later screens.</p>" * 2000 + b"</main>")
    assert quality.first_screen(longer) == quality.first_screen(html)
    assert len(quality.first_screen(html)) < len(html)
