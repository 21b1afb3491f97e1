"""commands/search_index.py and the search page: what is indexed, the page's
policy everywhere it is written, and real queries typed in Chromium.

The site is a copy of the tests' own with an `Also_called` name, a list of
other words people use, a draft and a scheduled article: what a reader types
must find the page meant, and nothing unpublished may be found.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import quality
from conftest import FIXTURE_ARTICLE_PAGE, BuiltSite, copy_site, production_build, serving_built

from commands.search_index import FOLDER, WORDS_FILE
from plugins.security_headers import SEARCH_POLICY, content_security_policy, nginx_snippets
from rules.search_words import FILE_NAME

SEARCH_PAGE = "search/index.html"
WORDS = (
    "# Other words people use → the word our pages use\nspecial k → ketamine\nmigrane → migraine\n"
)
DRAFT = "Title: Zebra draft\nSlug: zebra-draft\nDate: 2026-01-01\nStatus: draft\nCategory: Notes\nSummary: Not yet.\n\nA zebra.\n"
SCHEDULED = "Title: Quagga later\nSlug: quagga-later\nDate: {date}\nCategory: Notes\nSummary: Later.\n\nA quagga.\n"


@pytest.fixture(scope="module")
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
    import gzip

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
    assert value["words"] == {"migrane": "migraine", "special k": "ketamine"}
    assert ["Esketamine nasal spray", "ketamine-for-migraine/"] in value["names"]


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


def search(visit, query: str) -> str:
    page = visit.page
    page.fill("#search-query", query)
    said = re.compile(rf"for {re.escape(query)}\b")
    page.locator("#search-status", has_text=said).wait_for(state="attached", timeout=15_000)
    return page.inner_text("#search-status")


@pytest.mark.browser
def test_real_queries_find_the_page_meant(browser, searchable_served):
    article = "/ketamine-for-migraine/"
    with quality.visit(browser, searchable_served, SEARCH_PAGE, bypass_csp=False) as visit:
        page = visit.page
        assert search(visit, "migraine") == "2 results for migraine."
        assert page.get_attribute("#search-results li:first-child a", "href") == article
        assert page.locator("#search-results mark").count() > 0
        for query in ("esketamine", "special k", "migrane"):
            status = search(visit, query)
            assert re.match(rf"\d+ results? for {query}", status), status
            assert page.get_attribute("#search-results li:first-child a", "href") == article
        assert search(visit, "ketamin migrane").startswith("1 result for ketamin migrane")
        assert search(visit, "zebra") == "No results for zebra."
        assert page.is_visible("#search-none")
        assert search(visit, "ketamne") == "No results for ketamne."
        assert page.inner_text("#search-closest") == "Ketamine for Migraine Treatment"
        assert quality.csp_problems(visit) == []
        assert "q=ketamne" in page.url


@pytest.mark.browser
def test_keyboard_alone_searches_and_opens_a_result(browser, searchable_served):
    with quality.visit(browser, searchable_served, SEARCH_PAGE, bypass_csp=False) as visit:
        page = visit.page
        page.focus("#search-query")
        page.keyboard.type("migraine")
        page.keyboard.press("Enter")
        page.wait_for_selector("#search-results li", timeout=15_000)
        page.keyboard.press("Tab")  # the button
        page.keyboard.press("Tab")  # the first result
        focused = page.locator(":focus")
        assert focused.get_attribute("href") == "/ketamine-for-migraine/"
        page.keyboard.press("Enter")
        page.wait_for_url("**/ketamine-for-migraine/")


@pytest.mark.browser
def test_a_shared_address_searches_and_without_javascript_the_page_says_where_to_look(
    browser, searchable_served
):
    with quality.visit(
        browser, searchable_served, "search/index.html?q=migraine", bypass_csp=False
    ) as visit:
        visit.page.wait_for_selector("#search-results li", timeout=15_000)
        assert visit.page.input_value("#search-query") == "migraine"
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: route.fulfill(
                response=context.request.get(
                    route.request.url.replace(searchable_served.siteurl, searchable_served.local)
                )
            ),
        )
        page.goto(f"{searchable_served.siteurl}/search/")
        text = page.inner_text("main")
        assert "Search needs JavaScript" in text
        assert page.locator("main a[href$='/a-z/']").count() >= 1
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_pass_axe_and_fit_the_screen(browser, searchable_served, width, scheme):
    with quality.visit(
        browser, searchable_served, "search/index.html?q=migraine", width=width, scheme=scheme
    ) as visit:
        visit.page.wait_for_selector("#search-results li", timeout=15_000)
        assert quality.axe_problems(visit) == []
        assert quality.horizontal_scroll_problems(visit) == []


def test_the_search_page_is_valid_html(searchable):
    problems = quality.vnu_problems(searchable.root)
    assert [p for p in problems if "search" in p] == []


def test_the_article_page_itself_is_unchanged_by_the_index(searchable):
    assert (searchable.root / FIXTURE_ARTICLE_PAGE).is_file()
