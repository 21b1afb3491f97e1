"""The checkers catch what they guard against: a deliberately broken copy of the site fails.

A copy of the site gets, through its theme (the content rules would refuse
most of this in Markdown), a low-contrast colour, an image without alt text,
a jump from h2 to h4 and a Google font; and through its stylesheet, a box too
wide for a phone, a heading that clips its text, a link with no focus ring and
a transition that ignores reduced motion. It is built with the real command and
checked with the very functions the real tests use; each must name the page
and the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import quality
from conftest import FIXTURE_ARTICLE_PAGE, copy_site, edit, run_build

from scripts import system_packages

ARTICLE = FIXTURE_ARTICLE_PAGE
FONT = "https://fonts.googleapis.com/css2?family=Roboto"


def inject(path: Path, anchor: str, addition: str) -> None:
    """Add `addition` just after `anchor` (which must be there)."""
    edit(path, anchor, anchor + addition)


def break_theme(site: Path) -> None:
    templates = site / "theme/templates"
    inject(
        templates / "base.html",
        'type="image/svg+xml">',
        f'\n  <link rel="stylesheet" href="{FONT}">',
    )
    inject(
        templates / "article.html",
        "{{ neighbours(article) }}",
        '\n<img src="{{ SITEURL }}/favicon.svg" width="32" height="32">'
        "\n<h2>Related reading</h2>\n<h4>Further detail</h4>",
    )
    inject(
        site / "theme/static/css/main.css",
        "/* ------------------------------------------------------------- utilities */",
        "\n.app-article__meta { color: #c9c6bd; }"
        "\n.app-lede { min-width: 30rem; }"
        "\n.app-article-list__title { height: 1.3em; overflow: hidden; }"
        "\n.app-header__link:focus-visible { outline: none; }"
        "\n.app-footer { transition: background-color 0.3s; }\n",
    )


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory):
    """The broken copy, built for production and served on 127.0.0.1."""
    copy = copy_site(tmp_path_factory.mktemp("broken") / "site")
    break_theme(copy)
    output = copy / "output"
    with quality.serving(output) as origin:
        result = run_build(copy, "--production", "--output", str(output), env={"SITEURL": origin})
        assert result.returncode == 0, result.stdout + result.stderr
        yield output, origin


@pytest.mark.browser
def test_axe_names_the_page_and_each_broken_rule(browser, broken_site):
    _, origin = broken_site
    with quality.visit(browser, quality.Served(origin, origin), ARTICLE) as visit:
        problems = "\n".join(quality.axe_problems(visit))
    for rule in ("color-contrast", "image-alt", "heading-order"):
        assert f"{ARTICLE} at 1280px, light: {rule} (" in problems, problems


@pytest.mark.browser
def test_the_browser_reports_the_font_request_as_third_party(browser, broken_site):
    """The page's own policy refuses the font, and says so; with the policy lifted,
    the request itself is caught and refused."""
    _, origin = broken_site
    served = quality.Served(origin, origin)
    with quality.visit(browser, served, ARTICLE) as visit:
        refused = quality.csp_problems(visit)
    said = f"{ARTICLE} at 1280px, light: error: Loading the stylesheet '{FONT}' violates"
    assert any(problem.startswith(said) for problem in refused), refused
    with quality.visit(browser, served, ARTICLE, bypass_csp=True) as visit:
        problems = quality.privacy_problems(visit)
    assert f"{ARTICLE} at 1280px, light: third-party request: {FONT}" in problems, problems


def test_the_built_files_show_the_third_party_font(broken_site):
    output, origin = broken_site
    problems = quality.third_party_problems(output, origin)
    assert f"{ARTICLE}: third-party resource: <link href> loads {FONT}" in problems, problems
    assert "index.html: third-party resource: <link href> loads " + FONT in problems


@pytest.mark.validator
def test_vnu_names_the_page_and_the_missing_alt(broken_site):
    output, _ = broken_site
    problems = "\n".join(quality.vnu_problems(output))
    assert f"{ARTICLE}:" in problems
    assert "vnu error: An “img” element must have an “alt” attribute" in problems, problems


@pytest.mark.browser
def test_the_layout_checks_name_the_page_and_what_is_wrong(browser, broken_site):
    _, origin = broken_site
    with quality.visit(browser, quality.Served(origin, origin), "index.html", width=320) as visit:
        wide = quality.horizontal_scroll_problems(visit)
        spacing = "\n".join(quality.text_spacing_problems(visit))
    assert wide and wide[0].startswith("index.html at 320px, light: reflow: "), wide
    assert '<p.app-lede> "Plain, calm' in wide[0]
    assert (
        'index.html at 320px, light: text-spacing: <h3.app-article-list__title> "Ketamine'
        in spacing
    ), spacing
    assert "clips its content" in spacing


@pytest.mark.browser
def test_focus_and_motion_checks_name_the_page_and_the_element(browser, broken_site):
    _, origin = broken_site
    with quality.visit(
        browser, quality.Served(origin, origin), "privacy/index.html", reduced_motion="reduce"
    ) as visit:
        focus = quality.focus_problems(visit)
        motion = quality.motion_problems(visit)
    label = "privacy/index.html at 1280px, light"
    assert (
        f'{label}: focus-visible: <a.app-header__link> "A to Z" has no focus '
        "indicator (outline or box-shadow)" in focus
    ), focus
    assert any(
        p.startswith(f"{label}: reduced-motion: <footer.app-footer>")
        and "transition background-color 0.3s" in p
        for p in motion
    ), motion


def test_a_missing_java_or_chromium_fails_saying_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CHROME_PATH", raising=False)
    monkeypatch.setattr(system_packages, "BROWSER_CANDIDATES", (str(tmp_path / "chromium"),))
    with pytest.raises(pytest.fail.Exception, match="apt-get install default-jre-headless"):
        quality.require_java()
    with pytest.raises(
        pytest.fail.Exception, match="install Debian's chromium, or set CHROME_PATH"
    ):
        quality.require_chromium()
    with pytest.raises(pytest.fail.Exception, match="npm ci"):
        quality.require_node_file(quality.NODE_MODULES / "no-such-checker.js")
