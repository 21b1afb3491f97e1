"""Health components written in Markdown: rendered, outlined, valid, accessible, printable.

One copy of the site per session gets a test article with every component,
written as an editor would, and an emergency number of its own in
pelicanconf.py; it is built for production (what readers get) and for
development (which adds the components reference at /drafts/components/).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import quality
from conftest import SITEURL, BuiltSite, copy_site, edit, once_per_run, run_build
from markdown import Markdown

from commands.build import load_settings

PAGE = "components-test/index.html"
REFERENCE = "drafts/components/index.html"
NUMBER = "112"  # not the default, so the number can only come from the settings
ARTICLE = """Title: Components test
Date: 2026-11-20
Slug: components-test
Summary: Every health component, written as an editor would.
Category: Clinic news

A first paragraph.

/// emergency
- an example of a reason to call {emergency_number}
///

## When to get help

/// non-urgent | Speak to your doctor if:
- an example
///

/// urgent | Ask for an urgent appointment if:
- an example
    - a nested example
- a second example
///

## Good to know

/// warning | Before you drive
An example of information the reader must not miss.
///

/// inset
An example of an aside.
///

/// do
- an example of something helpful
///

/// dont
- do not do an example of something harmful
///

/// details | Where this comes from
Text only some readers need, with a [link]({filename}/pages/privacy.md).

- and a list
///

Code keeps its slashes:

```text
/// urgent
///
```
"""
# selector: (hidden prefix, heading tag or None)
EXPECTED = {
    ".app-care-card--emergency": ("Immediate action required: ", "h2"),
    ".app-care-card--non-urgent": ("Non-urgent advice: ", "h3"),
    ".app-care-card--urgent": ("Urgent advice: ", "h3"),
    ".app-warning-callout": ("Important: ", "h3"),
    ".app-inset-text": ("Information: ", None),
    ".app-do-dont-list": ("", "h3"),
    ".app-details": ("", None),
}


@pytest.fixture(scope="session")
@once_per_run
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltSite, BuiltSite]:
    """(production build, development build) of a copy with the test article."""
    site = copy_site(tmp_path_factory.mktemp("components") / "site")
    (site / "content" / "components-test.md").write_text(ARTICLE, encoding="utf-8")
    edit(site / "pelicanconf.py", 'EMERGENCY_NUMBER = "911"', f'EMERGENCY_NUMBER = "{NUMBER}"')
    for args in (("--production", "--output", "out"), ("--output", "dev")):
        result = run_build(site, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(site / "out", SITEURL), BuiltSite(site / "dev", SITEURL)


@pytest.fixture(scope="session")
def production(built) -> BuiltSite:
    return built[0]


@pytest.fixture(scope="session")
def development(built) -> BuiltSite:
    return built[1]


def test_every_component_renders_from_markdown_with_its_hidden_prefix(production):
    body = production.soup(PAGE).select_one(".app-prose")
    problems = []
    for selector, (prefix, heading) in EXPECTED.items():
        found = body.select(selector)
        if not found:
            problems.append(f"{selector}: not rendered")
            continue
        component = found[0]
        hidden = component.select_one(".app-visually-hidden")
        if prefix and (hidden is None or hidden.get_text() != prefix):
            problems.append(f"{selector}: hidden prefix {prefix!r} missing")
        if heading and component.find(heading) is None:
            problems.append(f"{selector}: no <{heading}> heading")
    assert not problems, "\n".join(problems)
    assert "///" not in body.get_text().replace("/// urgent\n///", "")


def test_component_headings_fit_the_outline_and_stay_out_of_the_contents(production):
    body = production.soup(PAGE).select_one(".app-prose")
    # Under the title the first card is an h2; inside a `##` section, h3s.
    assert body.select_one(".app-care-card--emergency > h2") is not None
    assert len(body.select(".app-do-dont-list > h3")) == 2
    headings = body.select(
        ".app-care-card__heading, .app-warning-callout__heading, .app-do-dont-list__label"
    )
    assert headings and all(not h.get("id") for h in headings)
    assert not body.select("[data-app-heading], [data-app-content]")


def test_lists_and_labels_inside_components_are_as_written(production):
    body = production.soup(PAGE).select_one(".app-prose")
    urgent = body.select_one(".app-care-card--urgent .app-care-card__content")
    # typogrify joins the last two words with a no-break space; read words.
    assert [" ".join(li.get_text(" ").split()) for li in urgent.select(":scope > ul > li")] == [
        "an example a nested example",
        "a second example",
    ]
    ticks = body.select(".app-do-dont-list__list--tick > li")
    crosses = body.select(".app-do-dont-list__list--cross > li")
    assert [" ".join(li.get_text().split()) for li in crosses] == [
        "do not do an example of something harmful"
    ]
    assert len(ticks) == 1
    summary = body.select_one("details.app-details > summary.app-details__summary")
    assert " ".join(summary.get_text().split()) == "Where this comes from"
    assert body.select_one(".app-details a")["href"].endswith("/privacy/")


def test_the_emergency_number_comes_from_the_settings(production):
    card = production.soup(PAGE).select_one(".app-care-card--emergency")
    text = " ".join(card.get_text().split())
    assert f"Call {NUMBER} or go to the nearest emergency department now if:" in text
    assert f"a reason to call {NUMBER}" in text
    assert "{emergency_number}" not in card.get_text()
    assert "911" not in production.soup(PAGE).select_one(".app-prose").get_text()


def test_the_disclaimer_is_the_same_component_as_markdown_inset_text(production, development):
    disclaimer = production.soup("ketamine-for-migraine/index.html").select_one(".app-inset-text")
    written = production.soup(PAGE).select_one(".app-prose .app-inset-text")
    for inset in (disclaimer, written):
        assert inset.name == "div"
        assert inset.select_one(".app-visually-hidden").get_text() == "Information: "
    assert f"call {NUMBER}" in " ".join(disclaimer.get_text().split())
    assert not production.soup("ketamine-for-migraine/index.html").select(".app-callout")


def test_the_components_reference_is_built_for_development_only(production, development):
    assert not (production.root / "drafts").exists()
    reference = development.soup(REFERENCE)
    rendered = {selector: len(reference.select(f".app-prose {selector}")) for selector in EXPECTED}
    assert all(rendered.values()), rendered
    # Each example is shown as its Markdown too, from the editors' guide.
    sources = [code.get_text() for code in reference.select("pre code")]
    assert any(source.startswith("/// emergency\n") for source in sources)
    assert any("{emergency_number}" in source for source in sources)


def test_development_settings_name_the_reference_and_production_empties_it():
    assert load_settings()["COMPONENT_REFERENCE_SAVE_AS"] == REFERENCE
    assert load_settings(production=True)["COMPONENT_REFERENCE_SAVE_AS"] == ""


@pytest.mark.validator
def test_the_nu_checker_finds_nothing_in_the_components(production):
    # The production build: the development one links root-relative, which vnu,
    # reading files, takes as blocked by the pages' own policy.
    problems = quality.vnu_problems(production.root)
    assert not problems, "\n".join(problems)


# --- In the browser ---------------------------------------------------------


@pytest.fixture(scope="session")
def served(built) -> Iterator[dict[str, quality.Served]]:
    production, development = built
    with quality.serving(production.root) as out, quality.serving(development.root) as dev:
        # The development build links root-relative, so it is read where it is served.
        yield {PAGE: quality.Served(production.siteurl, out), REFERENCE: quality.Served(dev, dev)}


PAGES = [PAGE, REFERENCE]


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_violations_in_the_components(browser, served, page):
    problems = []
    with quality.visit(browser, served[page], page) as visit:  # shown at each width and scheme
        for width in quality.WIDTHS:
            for scheme in quality.SCHEMES:
                quality.show(visit, width=width, scheme=scheme)
                problems += quality.axe_problems(visit)
                if width == 320:
                    problems += quality.horizontal_scroll_problems(visit)
    assert not problems, "\n".join(problems)


# Each component's visible text and the colours it is drawn on, as printed.
PRINTED_JS = """(selectors) => selectors.map((selector) => {
    const el = document.querySelector(selector);
    if (!el) return {selector, missing: true};
    const box = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    const texts = [...el.querySelectorAll('h2, h3, li, p, summary')]
        .filter((t) => !t.closest('.app-visually-hidden'))
        .map((t) => {
            let background = 'rgb(255, 255, 255)';
            for (let node = t; node; node = node.parentElement) {
                const c = getComputedStyle(node).backgroundColor;
                if (c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) { background = c; break; }
            }
            return {text: t.textContent.trim().slice(0, 30), colour: getComputedStyle(t).color,
                    background};
        });
    const hidden = el.querySelector('.app-visually-hidden');
    return {selector, width: box.width, height: box.height, display: s.display,
            visibility: s.visibility, texts,
            prefix: hidden ? hidden.getBoundingClientRect().width : null};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", quality.SCHEMES)
def test_components_print_visible_and_in_high_contrast(browser, served, scheme):
    with quality.visit(browser, served[PAGE], PAGE, scheme=scheme) as visit:
        visit.page.emulate_media(media="print")
        found = visit.page.evaluate(PRINTED_JS, [f".app-prose {s}" for s in EXPECTED])
    problems = []
    for part in found:
        where = f"{scheme}, print: {part['selector']}"
        if part.get("missing"):
            problems.append(f"{where}: not on the page")
            continue
        if part["display"] == "none" or part["visibility"] == "hidden" or not part["height"]:
            problems.append(f"{where}: hidden when printed")
        if part["prefix"] is not None and part["prefix"] > 1:
            problems.append(f"{where}: the screen-reader prefix shows on paper")
        for text in part["texts"]:
            ratio = quality.contrast(text["colour"], text["background"])
            if ratio < 7:  # print: black on white, well above AA
                problems.append(f"{where}: {text['text']!r} prints at {ratio:.1f}:1")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_components_keep_their_outline_in_forced_colours(browser, served):
    # Windows High Contrast drops backgrounds: each box must still have its border.
    with quality.visit(browser, served[PAGE], PAGE) as visit:
        visit.page.emulate_media(forced_colors="active")
        borders = visit.page.evaluate(
            """(selectors) => selectors.map((selector) => {
                const s = getComputedStyle(document.querySelector(selector));
                const widths = ['Top', 'Right', 'Bottom', 'Left']
                    .map((side) => parseFloat(s[`border${side}Width`]));
                return [selector, Math.max(...widths)];
            })""",
            [
                ".app-care-card--emergency",
                ".app-care-card--urgent",
                ".app-care-card--non-urgent",
                ".app-care-card__heading",
                ".app-warning-callout",
                ".app-inset-text",
                ".app-do-dont-list",
            ],
        )
    assert [selector for selector, width in borders if width < 1] == []


def test_the_components_own_words_are_the_ones_the_reader_gives_for_the_files_language():
    # plugins/plain_metadata.py gives a translation its catalogue's words (`words`).
    words = {"Don't": "Qué no hacer", "Urgent advice: ": "Consejo urgente: "}
    md = Markdown(
        extensions=["plugins.health_components"],
        extension_configs={"plugins.health_components": {"words": words}},
    )
    html = md.convert("/// dont\n- x\n///\n\n/// urgent | Pida una cita si:\n- y\n///\n")
    assert ">Qué no hacer</h2>" in html
    assert '<span class="app-visually-hidden">Consejo urgente: </span>Pida una cita si:' in html
    assert "Don't" not in html and "Urgent advice" not in html
