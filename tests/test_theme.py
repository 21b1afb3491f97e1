"""The stylesheet keeps the reading-comfort promises: size, measure, colour, motion, print."""

from __future__ import annotations

import re

import pytest
import quality


@pytest.fixture(scope="module")
def css(site) -> str:
    """The built stylesheet (the one the home page links) without its comments."""
    stylesheet = site.file_for(site.stylesheet_href())
    return re.sub(r"/\*.*?\*/", "", stylesheet.read_text(encoding="utf-8"), flags=re.DOTALL)


def block(css: str, opener: str) -> str:
    """The body of the first `opener { … }` block, braces balanced."""
    opening = css.index("{", css.index(opener))
    depth = 0
    for index in range(opening, len(css)):
        depth += {"{": 1, "}": -1}.get(css[index], 0)
        if depth == 0:
            break
    return css[opening + 1 : index]


def tokens(text: str) -> dict[str, str]:
    return dict(re.findall(r"(--app-colour-[a-z-]+):\s*(#[0-9a-f]{6})", text))


# (foreground, background, minimum ratio): text 4.5:1, focus and borders 3:1.
PAIRS = [
    ("text", "background", 4.5),
    ("text", "surface", 4.5),
    ("text-secondary", "background", 4.5),
    ("text-secondary", "surface", 4.5),
    ("link", "background", 4.5),
    ("link", "surface", 4.5),
    ("link-visited", "background", 4.5),
    ("link-visited", "surface", 4.5),
    ("text", "callout", 4.5),
    ("link", "callout", 4.5),
    ("focus", "background", 3.0),
    ("focus", "surface", 3.0),
    ("focus-text", "focus", 4.5),
    ("border", "background", 3.0),
    ("callout-border", "callout", 3.0),
    ("care-heading-text", "care-non-urgent", 4.5),
    ("care-heading-text", "care-urgent", 4.5),
    ("care-emergency-text", "care-emergency-body", 4.5),
    ("care-non-urgent", "surface", 3.0),
    ("care-urgent", "surface", 3.0),
    ("tick", "surface", 3.0),
    ("cross", "surface", 3.0),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_pairs_meet_wcag_aa(css, scheme):
    light = tokens(block(css, ":root"))
    palette = (
        light
        if scheme == "light"
        else {**light, **tokens(block(css, "(prefers-color-scheme: dark)"))}
    )
    failures = []
    for foreground, background, minimum in PAIRS:
        ratio = quality.contrast(
            palette[f"--app-colour-{foreground}"], palette[f"--app-colour-{background}"]
        )
        if ratio < minimum:
            failures.append(f"{foreground} on {background}: {ratio:.2f} < {minimum}")
    assert not failures, f"{scheme} scheme:\n" + "\n".join(failures)


def test_dark_scheme_is_not_pure_white_on_black(css):
    dark = tokens(block(css, "(prefers-color-scheme: dark)"))
    assert dark["--app-colour-text"] != "#ffffff"
    assert dark["--app-colour-background"] != "#000000"


def test_body_text_is_at_least_18px_with_a_65_character_measure(css):
    size = re.search(r"--app-font-size-body:\s*([\d.]+)rem", css)
    assert size and float(size.group(1)) * 16 >= 18
    assert re.search(r"--app-reading-width:\s*65ch", css)


def test_fonts_are_system_fonts_only(css):
    assert "@font-face" not in css
    assert "@import" not in css
    assert not re.search(r"url\(", css)
    assert re.search(r"--app-font-body:\s*system-ui", css)


def test_nothing_moves_outside_a_no_preference_motion_query(css):
    allowed = block(css, "@media (prefers-reduced-motion: no-preference)")
    rest = css.replace(allowed, "")
    for property_name in ("animation", "transition", "scroll-behavior: smooth"):
        assert property_name not in rest, f"{property_name} outside prefers-reduced-motion"


def test_there_is_a_print_stylesheet(css):
    printed = block(css, "@media print")
    assert ".app-header__nav" in printed and "display: none" in printed


def test_print_drops_the_chrome_and_prints_where_links_go(css):
    printed = block(css, "@media print")
    hidden = printed[: printed.index("display: none")]
    for chrome in (".app-header__nav", ".app-footer", ".app-breadcrumbs", ".app-contents-list"):
        assert chrome in hidden, f"{chrome} is printed"
    for kept in (".app-inset-text", ".app-review-dates", ".app-references {"):
        assert kept not in hidden, f"{kept} is hidden in print"
    # Only links that leave the page get their address printed, not #fragments.
    assert re.search(r'\.app-prose a\[href\^="http"\]::after', printed)
    assert re.search(r"content:\s*\" \(\" attr\(href\) \"\)\"", printed)
    assert "a::after" not in printed and 'href^="#"' not in printed


def test_every_interactive_element_has_a_focus_style(css):
    assert re.search(r":focus-visible\s*\{[^}]*outline:", css)


# Which template Pelican renders for each kind of output it writes when the
# setting is non-empty.
TEMPLATE_FOR_SETTING = {
    "ARTICLE_SAVE_AS": "article",
    "DRAFT_SAVE_AS": "article",
    "PAGE_SAVE_AS": "page",
    "DRAFT_PAGE_SAVE_AS": "page",
    "AUTHOR_SAVE_AS": "author",
    "CATEGORY_SAVE_AS": "category",
    "TAG_SAVE_AS": "tag",
    "YEAR_ARCHIVE_SAVE_AS": "period_archives",
    "MONTH_ARCHIVE_SAVE_AS": "period_archives",
    "DAY_ARCHIVE_SAVE_AS": "period_archives",
}


def test_the_theme_provides_every_template_and_never_falls_back_to_a_built_in_theme():
    from conftest import FIXTURE_CONTENT, ROOT

    from commands.build import load_settings
    from rules.sources import iter_markdown_sources

    templates = ROOT / "theme" / "templates"
    settings = load_settings(production=True)
    needed = {name for setting, name in TEMPLATE_FOR_SETTING.items() if settings.get(setting)}
    needed |= {
        name
        for name in settings["DIRECT_TEMPLATES"]
        if settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
    }
    needed |= {
        source.meta["template"][1]
        for source in iter_markdown_sources(FIXTURE_CONTENT)
        if "template" in source.meta
    }
    provided = {p.stem for p in templates.glob("*.html")}
    assert needed <= provided, (
        f"templates Pelican would need but the theme lacks: {needed - provided}"
    )
    fallbacks = [
        p.relative_to(templates).as_posix()
        for p in templates.rglob("*.html")
        if "!simple" in p.read_text() or "!theme" in p.read_text()
    ]
    assert not fallbacks, f"templates that extend a built-in theme: {fallbacks}"
