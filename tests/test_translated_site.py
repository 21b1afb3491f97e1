"""Every page check, on a site with a translation: the copy with the Spanish fixture.

The production build of the tests' site with the Spanish fixture translation
(conftest `spanish_site`, made once per session and shared with
tests/test_languages.py) passes what every page of the real site must pass:
the Nu Html Checker, page structure in its own language, links and
fragments, the first-render budget, a second build byte-identical on another
machine, every in-page check in the browser (axe-core light and dark at 320
and 1280 px, reflow, motion, focus, text spacing, privacy, the page's own
policy) and Lighthouse on the Spanish article. The pages checked in the
browser are the Spanish ones and the English original, which links them.
"""

from __future__ import annotations

import re

import pytest
import quality
from conftest import FIXTURE_ARTICLE_PAGE, SPANISH_ARTICLE_PAGE
from test_browser import fail_listing
from test_lighthouse import (
    audit,
    category_problems,
    measured_line,
    performance_input_problems,
    score_verdict,
)
from test_reproducible import differences_on_another_machine, shown_dates

# The skip link, the first words of every page, in each language of the fixture.
SKIP_LINK = {"en": "Skip to main content", "es": "Saltar al contenido principal"}
SPANISH_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def spanish_pages(site) -> list[str]:
    return [page for page in site.html_pages() if page.startswith("es/")]


def in_browser(site) -> list[str]:
    """The pages opened in the browser: the Spanish ones and the English original."""
    return [*spanish_pages(site), FIXTURE_ARTICLE_PAGE]


@pytest.mark.validator
def test_every_page_passes_the_nu_html_checker(spanish_site):
    problems = quality.vnu_problems(spanish_site.root)
    assert not problems, f"{len(problems)} vnu errors and warnings:\n" + "\n".join(problems)


def test_there_are_spanish_pages_and_each_says_so(spanish_site):
    pages = spanish_pages(spanish_site)
    assert SPANISH_ARTICLE_PAGE in pages
    problems = []
    for page in spanish_site.html_pages():
        lang = "es" if page in pages else "en"
        problems += quality.structure_problems(spanish_site, page, lang, SKIP_LINK[lang])
    assert not problems, "\n".join(problems)
    assert not quality.duplicate_titles(spanish_site, spanish_site.html_pages())


def test_every_link_and_fragment_resolves_with_a_translation(spanish_site):
    pages = spanish_site.html_pages()
    broken = quality.broken_links(spanish_site, pages)
    missing = quality.missing_fragments(spanish_site, pages)
    assert not broken + missing, "\n".join(broken + missing)


def test_the_spanish_pages_fit_the_first_render_budget(spanish_site, record_property):
    problems = []
    for page in spanish_pages(spanish_site):
        measured = quality.first_render(spanish_site.root, spanish_site.siteurl, page)
        record_property("measured", f"{page}: first render {measured.total:,} B gzip")
        problems += measured.problems
        if measured.total > quality.FIRST_RENDER_BUDGET_BYTES:
            problems.append(f"{page}: first render is {measured.total:,} bytes gzipped")
    problems += quality.third_party_problems(spanish_site.root, spanish_site.siteurl)
    assert not problems, "\n".join(problems)


def test_a_second_build_on_another_machine_is_byte_identical(spanish_site, tmp_path):
    second = tmp_path / "second"
    differing = differences_on_another_machine(spanish_site.root.parent, spanish_site, second)
    assert not differing, "\n".join(differing)
    spanish_date = re.compile(rf"[1-9][0-9]? de ({'|'.join(SPANISH_MONTHS)}) de [0-9]{{4}}")
    shown = shown_dates(second / "es")
    assert shown and all(spanish_date.fullmatch(date) for date in shown), sorted(set(shown))


@pytest.mark.browser
def test_every_in_page_check_in_the_browser(browser, spanish_site, served_spanish_site):
    problems = []
    for page in in_browser(spanish_site):
        problems += quality.every_in_page_problem(browser, served_spanish_site, page)
    fail_listing(problems)


@pytest.mark.lighthouse
def test_lighthouse_on_the_spanish_article(served_spanish_site, tmp_path_factory, record_property):
    report = audit(served_spanish_site, {"article": SPANISH_ARTICLE_PAGE}, tmp_path_factory)[
        "article"
    ]
    assert report.get("runtimeError") is None, report["runtimeError"]
    assert report["finalDisplayedUrl"] == report["requestedUrl"], "redirected"
    record_property("measured", measured_line(report))
    problems = (
        category_problems(report, "article")
        + performance_input_problems(report)
        + score_verdict(report)[0]
    )
    assert not problems, f"{report['requestedUrl']}:\n" + "\n".join(problems)
