"""commands/search_index.py and the search page: what is indexed, the page's
policy everywhere it is written, and real queries typed in Chromium.

The site is a copy of the tests' own with an `Also_called` name, a list of
other words people use, a draft and a scheduled article: what a reader types
must find the page meant, and nothing unpublished may be found.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re

import pytest
import quality
from conftest import (
    FIXTURE_ARTICLE_PAGE,
    BuiltSite,
    copy_site,
    once_per_run,
    production_build,
    serving_built,
)

from commands.search_index import FOLDER, NAMES_FILE, WORDS_FILE
from plugins.security_headers import SEARCH_POLICY, content_security_policy, nginx_snippets
from rules.search_words import FILE_NAME

SEARCH_PAGE = "search/index.html"
WORDS = (
    "# Other words people use → the word our pages use\nspecial k → ketamine\nmigrane → migraine\n"
)
DRAFT = "Title: Zebra draft\nSlug: zebra-draft\nDate: 2026-01-01\nStatus: draft\nCategory: Notes\nSummary: Not yet.\n\nA zebra.\n"
SCHEDULED = "Title: Quagga later\nSlug: quagga-later\nDate: {date}\nCategory: Notes\nSummary: Later.\n\nA quagga.\n"


@pytest.fixture(scope="module")
@once_per_run
def searchable(tmp_path_factory) -> BuiltSite:
    site = copy_site(tmp_path_factory.mktemp("search") / "site")
    content = site / "content"
    article = content / "ketamine-for-migraine.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("\n\n", "\nAlso_called: Esketamine nasal spray\n\n", 1), encoding="utf-8"
    )
    (content / FILE_NAME).write_text(WORDS, encoding="utf-8")
    (content / "zebra-draft.md").write_text(DRAFT, encoding="utf-8")
    later = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    (content / "quagga-later.md").write_text(SCHEDULED.format(date=later), encoding="utf-8")
    return production_build(site)


@pytest.fixture(scope="module")
def searchable_served(searchable):
    with serving_built(searchable) as served:
        yield served


def fragments(site: BuiltSite) -> str:
    """Every fragment's text (Pagefind gzips them), as one string."""
    return "\n".join(
        gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        for path in sorted((site.root / FOLDER / "fragment").glob("*.pf_fragment"))
    )


def test_only_published_articles_and_pages_are_indexed_without_the_sites_furniture(searchable):
    text = fragments(searchable)
    urls = sorted(set(re.findall(r'"url":"([^"]+)"', text)))
    assert urls == ["/disclaimer/", "/ketamine-for-migraine/", "/privacy/"]
    assert "Zebra" not in text and "Quagga" not in text
    for furniture in ("Skip to main content", "Read our medical disclaimer", "Contents"):
        assert furniture not in text, furniture


def test_the_words_file_holds_the_list_and_every_name(searchable):
    value = json.loads((searchable.root / WORDS_FILE).read_text(encoding="utf-8"))
    assert value == {"words": {"migrane": "migraine", "special k": "ketamine"}}
    names = json.loads((searchable.root / NAMES_FILE).read_text(encoding="utf-8"))
    assert ["Esketamine nasal spray", "ketamine-for-migraine/"] in names
    assert ["Ketamine for Migraine Treatment", "ketamine-for-migraine/"] in names


def test_the_search_page_is_noindex_and_not_in_the_sitemap(searchable):
    soup = searchable.soup(SEARCH_PAGE)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "/search/" not in (searchable.root / "sitemap.xml").read_text(encoding="utf-8")
    form = soup.find("form", role="search")
    assert form["method"] == "get" and form.find("input")["name"] == "q"


def test_the_search_page_has_its_own_policy_in_headers_nginx_and_meta(searchable):
    rules = quality.header_rules((searchable.root / "_headers").read_text(encoding="utf-8"))
    assert rules["/search/*"]["Content-Security-Policy"] == SEARCH_POLICY
    assert "! Content-Security-Policy" in rules["/search/*"]
    assert f'"{SEARCH_POLICY}"' in nginx_snippets()["nginx-headers-search.conf"]
    meta = searchable.soup(SEARCH_PAGE).find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    expected = content_security_policy(meta=True, origin=searchable.siteurl, policy="search")
    assert meta["content"] == expected
    assert "script-src 'self' 'wasm-unsafe-eval'" in SEARCH_POLICY


def test_every_other_page_links_to_search_without_a_script(searchable):
    for page in searchable.html_pages():
        soup = searchable.soup(page)
        if page == SEARCH_PAGE:
            continue
        assert soup.find("script", src=True) is None, page
        assert soup.find("a", href=f"{searchable.siteurl}/search/"), page


def search(visit, query: str, *, typed: bool = False) -> str:
    """Type `query` into the search box (key by key, or filled at once); what the
    live region then says."""
    page = visit.page
    if typed:
        page.fill("#search-query", "")
        page.focus("#search-query")
        page.keyboard.type(query)
    else:
        page.fill("#search-query", query)
    said = re.compile(rf"for {re.escape(query)}\b")
    page.locator("#search-status", has_text=said).wait_for(state="attached", timeout=15_000)
    return page.inner_text("#search-status")


def first_result(visit) -> str | None:
    return visit.page.get_attribute("#search-results li:first-child a", "href")


def opens_the_first_result_by_keyboard(visit, query: str, address: str) -> None:
    """Type `query`, press Enter, Tab past the button to the first result, and open it."""
    page = visit.page
    search(visit, query, typed=True)
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li", timeout=15_000)
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Tab")  # the first result
    assert page.locator(":focus").get_attribute("href") == address
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{address}")


def page_without_javascript(browser, served, page: str) -> tuple[str, int]:
    """The text of <main> with JavaScript off, and how many links it has to the A to Z."""
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.route(
            "**/*",
            lambda route: route.fulfill(
                response=context.request.get(
                    route.request.url.replace(served.siteurl, served.local)
                )
            ),
        )
        tab.goto(quality.page_url(served.siteurl, page))
        found = tab.inner_text("main"), tab.locator("main a[href$='/a-z/']").count()
        tab.unroute_all(behavior="ignoreErrors")  # the icon may still be on its way
        return found
    finally:
        context.close()


@pytest.mark.browser
def test_real_queries_find_the_page_meant(browser, searchable_served):
    article = "/ketamine-for-migraine/"
    with quality.visit(browser, searchable_served, SEARCH_PAGE) as visit:
        page = visit.page
        assert page.get_attribute("#search-status", "role") == "status"
        assert search(visit, "migraine", typed=True) == "2 results for migraine."
        assert first_result(visit) == article
        assert page.locator("#search-results mark").count() > 0
        for query in ("esketamine", "special k", "migrane"):
            status = search(visit, query)
            assert re.match(rf"\d+ results? for {query}", status), status
            assert first_result(visit) == article
        assert search(visit, "ketamin migrane").startswith("1 result for ketamin migrane")
        assert search(visit, "zebra") == "No results for zebra."
        assert page.is_visible("#search-none")
        assert search(visit, "ketamne") == "No results for ketamne."
        assert page.inner_text("#search-closest") == "Ketamine for Migraine Treatment"
        assert quality.csp_problems(visit) == []
        assert "q=ketamne" in page.url
        opens_the_first_result_by_keyboard(visit, "migraine", article)


@pytest.mark.browser
def test_a_shared_address_searches_and_without_javascript_the_page_says_where_to_look(
    browser, searchable_served
):
    with quality.visit(browser, searchable_served, "search/index.html?q=migraine") as visit:
        visit.page.wait_for_selector("#search-results li", timeout=15_000)
        assert visit.page.input_value("#search-query") == "migraine"
    text, a_to_z_links = page_without_javascript(browser, searchable_served, SEARCH_PAGE)
    assert "Search needs JavaScript" in text and a_to_z_links >= 1


@pytest.mark.browser
def test_real_queries_on_the_site_of_many_articles(browser, many_served):
    """A title word, an `Also_called` name, a listed misspelling (conftest's
    MANY_SEARCH_WORDS) and a word on no page, among 35 articles, then the
    first result opened by keyboard alone: one visit; then the page without JavaScript."""
    triptan = "/synthetic-article-0005/"  # "Triptan tablets", also called Brand X and Zolmi
    with quality.visit(browser, many_served, SEARCH_PAGE) as visit:
        page = visit.page
        assert search(visit, "triptan", typed=True) == "1 result for triptan."
        assert first_result(visit) == triptan
        assert page.inner_text("#search-results li:first-child a") == "Triptan tablets"
        assert page.locator("#search-results li:first-child mark").count() > 0
        assert search(visit, "Zolmi") == "1 result for Zolmi."
        assert first_result(visit) == triptan
        said = search(visit, "tryptan")
        assert said == "1 result for tryptan. Searched as triptan.", said
        assert first_result(visit) == triptan
        said = search(visit, "aura")
        assert re.fullmatch(r"\d+ results for aura\. The first 10 are listed\.", said), said
        # A title match ranks before the articles that only mention it.
        assert first_result(visit) == "/synthetic-article-0001/"
        assert search(visit, "zebra") == "No results for zebra."
        assert page.is_visible("#search-none a[href$='/a-z/']")
        assert page.locator("#search-results").is_hidden()
        assert quality.csp_problems(visit) == []
        opens_the_first_result_by_keyboard(visit, "triptan", triptan)
    text, a_to_z_links = page_without_javascript(browser, many_served, SEARCH_PAGE)
    assert "Search needs JavaScript" in text and a_to_z_links >= 1


@pytest.mark.browser
def test_results_pass_axe_and_fit_the_screen(browser, searchable_served):
    """In one visit, shown at each width and colour scheme."""
    problems = []
    with quality.visit(browser, searchable_served, "search/index.html?q=migraine") as visit:
        visit.page.wait_for_selector("#search-results li", timeout=15_000)
        for width, scheme in quality.VIEWS:
            quality.show(visit, width=width, scheme=scheme)
            problems += quality.axe_problems(visit) + quality.horizontal_scroll_problems(visit)
    assert problems == []


def test_the_search_page_is_valid_html(searchable):
    assert (searchable.root / "search" / "index.html").is_file()
    problems = quality.vnu_problems(searchable.root / "search")
    assert problems == []


def test_the_article_page_itself_is_unchanged_by_the_index(searchable):
    assert (searchable.root / FIXTURE_ARTICLE_PAGE).is_file()
