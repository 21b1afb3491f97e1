"""plugins/security_headers.py: the security headers, defined once.

The values are defined once in plugins/security_headers.py; these tests check
that every copy (the build's `_headers`, the committed nginx snippets, the
meta policy in every page) is generated from that definition, and that the
pages need nothing the policy forbids.
"""

from __future__ import annotations

import pytest
import quality
from conftest import ROOT
from expected import EXPECTED_PAGES
from quality import header_rules

from commands.build import load_settings
from commands.host_files import output_files
from plugins.fingerprint import is_fingerprinted
from plugins.security_headers import (
    CACHE_IMMUTABLE,
    MAX_HEADER_RULES,
    POLICIES,
    SEARCH_PATH,
    SEARCH_POLICY,
    SECURITY_HEADERS,
    allows_scripts,
    content_security_policy,
    netlify_headers,
    nginx_snippets,
    page_policy,
    site_origin,
)

REQUIRED = {
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
}


def directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_every_required_header_is_defined_with_a_strict_value():
    headers = dict(SECURITY_HEADERS)
    assert headers.keys() >= REQUIRED
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert int(headers["Strict-Transport-Security"].split("max-age=")[1].split(";")[0]) >= 31536000
    policy = directives(content_security_policy())
    assert policy["default-src"] == "'none'"
    for name in ("base-uri", "form-action", "frame-ancestors"):
        assert policy[name] == "'none'", name
    assert "unsafe-inline" not in content_security_policy()
    assert "unsafe-eval" not in content_security_policy()
    assert "script-src" not in policy  # no scripts run; JSON-LD is data and needs none
    # Only for robots.txt (Lighthouse's robots-txt audit fetches it under the page's policy).
    assert policy["connect-src"] == "'self'"


def test_the_meta_policy_lets_a_page_connect_to_its_sites_robots_txt_and_nothing_else():
    header = directives(content_security_policy())
    meta = directives(content_security_policy(meta=True, origin="https://www.example.org"))
    assert meta["connect-src"] == "https://www.example.org/robots.txt"
    # Every other directive is the header's, with the origin named beside 'self'.
    for name, value in header.items():
        if name not in {"connect-src", "frame-ancestors"}:
            assert meta[name] == value.replace("'self'", "'self' https://www.example.org"), name


def test_committed_nginx_snippets_are_what_the_generator_writes():
    for name, text in nginx_snippets().items():
        committed = (ROOT / "deploy" / name).read_text(encoding="utf-8")
        assert committed == text, f"deploy/{name} is stale: run `.venv/bin/invoke headers`"


def test_the_headers_file_is_generated_with_three_rules_whatever_the_size_of_the_site(site):
    written = (site.root / "_headers").read_text(encoding="utf-8")
    assert written == netlify_headers(output_files(site.root), immutable_dir="theme")
    rules = header_rules(written)
    assert rules == {
        "/*": dict(SECURITY_HEADERS),
        # The search page's own policy replaces the site's (detached first).
        "/search/*": {"! Content-Security-Policy": "", "Content-Security-Policy": SEARCH_POLICY},
        "/theme/*": {"Cache-Control": CACHE_IMMUTABLE},
    }
    # Hosts join the values of a header set by two matching rules: one rule each.
    assert "Cache-Control" not in rules["/*"]
    theme_files = [path for path in output_files(site.root) if path.startswith("theme/")]
    assert theme_files and all(is_fingerprinted(path.removesuffix(".gz")) for path in theme_files)


def test_a_file_without_a_content_hash_cannot_be_cached_for_a_year():
    with pytest.raises(ValueError, match=r"theme/css/extra\.css .*FINGERPRINT_FILES"):
        netlify_headers(["index.html", "theme/css/extra.css"], immutable_dir="theme")
    many_pages = [f"article-{n}/index.html" for n in range(10 * MAX_HEADER_RULES)]
    assert len(header_rules(netlify_headers(many_pages, immutable_dir="theme"))) == 3


def test_the_search_page_is_the_one_page_under_a_policy_of_its_own():
    settings = load_settings(production=True)
    assert f"/{settings['SEARCH_URL']}" == SEARCH_PATH
    assert [page for page in EXPECTED_PAGES if page_policy(page) != "site"] == [
        settings["SEARCH_SAVE_AS"]
    ]
    assert [policy for policy in POLICIES if allows_scripts(policy)] == ["search"]


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_every_page_carries_the_meta_policies_for_github_pages(site, page):
    head = site.soup(page).head
    meta = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    scripts = [script.string for script in head.find_all("script", type="application/ld+json")]
    # The page's own JSON-LD, hashed from exactly the text it carries, and nothing else.
    # The search page has a policy of its own (tests/test_search_index.py).
    policy = page_policy(page)
    assert meta["content"] == content_security_policy(
        meta=True, origin=site_origin(site.siteurl), scripts=scripts, policy=policy
    )
    assert len(scripts) == (0 if page == "404.html" or policy != "site" else 1)
    assert "frame-ancestors" not in meta["content"]  # ignored by browsers in a meta tag
    first_two = head.find_all("meta", limit=2)
    assert first_two[0].get("charset") and first_two[1] is meta
    referrer = head.find("meta", attrs={"name": "referrer"})
    assert referrer["content"] == dict(SECURITY_HEADERS)["Referrer-Policy"]


@pytest.mark.parametrize("page", EXPECTED_PAGES)
def test_pages_need_nothing_the_policy_forbids(site, page):
    soup = site.soup(page)
    assert not soup.find_all("style")
    assert not soup.find_all(style=True)
    scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
    scripted = allows_scripts(page_policy(page))
    if scripted:
        # The one exception: its own script, from the theme, and a GET form to itself.
        assert quality.own_module_scripts(site.siteurl, scripts) == ["search"], scripts
        assert [(f["method"], f["action"]) for f in soup.find_all("form")] == [
            ("get", site.url(page))
        ]
        scripts = []
    assert not scripts
    assert not soup.find_all(["iframe", "object", "embed", "base"])
    assert scripted or not soup.find_all("form")
    for tag in soup.find_all(["link", "img"]):
        url = tag.get("href") or tag.get("src") or ""
        if tag.name == "img" or "stylesheet" in tag.get("rel", []) or "icon" in tag.get("rel", []):
            assert url.startswith(site.siteurl + "/"), f"{page}: {url} is not same-origin"
