"""Health components in Markdown: care cards, warning callout, inset text, do and don't lists, details.

A Python-Markdown extension (named in pelicanconf.MARKDOWN), built on
pymdown-extensions' Blocks API. An editor writes

    /// urgent | Ask for an urgent appointment with your doctor if:
    - an example of when to get help
    ///

and gets this site's markup and CSS block, with a visually hidden prefix that
states the level for screen readers, as the NHS does. The warning callout and
inset text are defined once, here: the theme draws them with the same code
(`component()`, which theme/templates/components/ wrap as macros).

Why this syntax and not another:

- Python-Markdown's admonition (`!!! warning "Title"`) ends where the
  indentation ends. Clinic staff writing in plain editors get indentation
  wrong; a line typed without its four spaces silently leaves the box, and a
  list nested in it needs eight. Blocks end at an explicit `///`, take their
  content unindented, and hold lists, nested lists and paragraphs as written.
- pymdownx.blocks.admonition/details produce generic markup (`div.admonition`,
  a `p` title) with no hidden prefix and no heading level; custom Block
  classes on the same API give this site's BEM markup with little code, and
  the one parser is maintained upstream (pymdown-extensions is the pack
  MkDocs Material uses; pinned exactly in pyproject.toml).
- Other syntaxes (generic attributes `{.class}` on divs via md_in_html, raw
  HTML, custom fences) make editors write markup, or are unmaintained.
- The API's one weakness, forgiving errors (an unknown name is plain text; a
  missing end swallows the rest of the page), is covered by the content rules
  (rules/components.py), which refuse both with `file:line: what to do`.

Headings fit the outline: a component's heading is one level below the
heading it sits under (h2 right under the title, h3 inside a `##` section),
and it is set after the toc extension has run, so it never enters the
contents list. `{emergency_number}` anywhere in the text becomes the
configured number (EMERGENCY_NUMBER); the extension's configuration is part
of MARKDOWN and therefore of the reader's memo key.

As a Pelican plugin (also in PLUGINS) it gives the theme `component()`, and,
where COMPONENT_REFERENCE_SAVE_AS
is set (development only: publishconf.py empties it, like DRAFT_SAVE_AS),
writes a living reference page: every component example in the editors'
guide (COMPONENT_REFERENCE_SOURCE), rendered, with its Markdown beside it.
The examples go through the content rules first, so the guide cannot show an
example the build would refuse.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from pathlib import Path

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pelican import signals
from pelican.contents import Page
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from plugins.plain_metadata import typogrify_html
from rules.components import DEFAULT_HEADINGS, KINDS, PREFIXES, check_blocks, no_examples_message

log = logging.getLogger(__name__)

# A heading placeholder: a paragraph while Markdown and toc run, a real
# heading once the level is known.
HEADING_MARK = "data-app-heading"
EMERGENCY_TOKEN = "{emergency_number}"  # noqa: S105 (a placeholder editors write, not a secret)


def _visually_hidden(parent: etree.Element, text: str) -> None:
    span = etree.SubElement(parent, "span", {"class": "app-visually-hidden"})
    span.text = text


def _heading(parent: etree.Element, css_class: str, text: str, prefix: str = "") -> etree.Element:
    heading = etree.SubElement(parent, "p", {"class": css_class, HEADING_MARK: ""})
    if prefix:
        _visually_hidden(heading, prefix)
        heading[-1].tail = text
    else:
        heading.text = text
    return heading


class Component(Block):
    """A component block: `/// name | heading`, content, `///`."""

    ARGUMENT = None  # the heading is optional to the parser; the content rules decide
    OPTIONS = {}  # noqa: RUF012 (the Block API's own class attribute)

    def title(self, default: str = "") -> str:
        return (self.argument or "").strip() or self.word(default)

    def word(self, english: str) -> str:
        """One of the component's own words in the page's language (the extension's `words`)."""
        return self.config.get("words", {}).get(english, english)

    def on_add(self, block: etree.Element) -> etree.Element:
        content = block.find("./*[@data-app-content]")
        return block if content is None else content


class CareCard(Component):
    def on_create(self, parent: etree.Element) -> etree.Element:
        level = self.NAME
        card = etree.SubElement(parent, "div", {"class": f"app-care-card app-care-card--{level}"})
        default = self.config.get("emergency_heading", "") if level == "emergency" else ""
        _heading(card, "app-care-card__heading", self.title(default), self.word(PREFIXES[level]))
        etree.SubElement(card, "div", {"class": "app-care-card__content", "data-app-content": ""})
        return card


def _same(english: str) -> str:
    return english


def warning_callout(
    parent: etree.Element, title: str, word: Callable[[str], str] = _same
) -> etree.Element:
    """The warning callout's markup, the one definition the Markdown block and the theme
    share; `word` gives its own words in the page's language."""
    callout = etree.SubElement(parent, "div", {"class": "app-warning-callout"})
    # NHS: without a heading of its own, the visible heading is "Important".
    if title:
        _heading(callout, "app-warning-callout__heading", title, word(PREFIXES["warning"]))
    else:
        _heading(callout, "app-warning-callout__heading", word(DEFAULT_HEADINGS["warning"]))
    return callout


def inset_text(
    parent: etree.Element, title: str, word: Callable[[str], str] = _same
) -> etree.Element:
    """The inset text's markup, the one definition the Markdown block and the theme share;
    `word` gives its own words in the page's language."""
    inset = etree.SubElement(parent, "div", {"class": "app-inset-text"})
    if title:
        _heading(inset, "app-inset-text__heading", title, word(PREFIXES["inset"]))
    else:
        _visually_hidden(inset, word(PREFIXES["inset"]))
    return inset


# What the theme draws with the same code as the Markdown blocks (`component()`).
THEME_COMPONENTS = {"warning": warning_callout, "inset": inset_text}


def component(name: str, heading: str, heading_level: int, body: str, prefix: str) -> Markup:
    """A component for the theme (the macros in theme/templates/components/ call it):
    the Markdown block's own element with `prefix`, its hidden words in the page's
    language (the template translates `COMPONENT_PREFIXES[name]`), its heading at
    `heading_level`, `body` (the template's own escaped output) inside, serialised
    as Python-Markdown serialises the article body."""
    element = THEME_COMPONENTS[name](etree.Element("div"), heading or "")
    for placeholder in element.iter():
        if placeholder.attrib.pop(HEADING_MARK, None) is not None:
            placeholder.tag = f"h{heading_level}"
        if placeholder.get("class") == "app-visually-hidden":
            placeholder.text = prefix
    closing = f"</{element.tag}>"
    opening = to_html_string(element).removesuffix(closing)
    return Markup(opening + str(body) + closing)  # noqa: S704 (serialised by Markdown, escaped)


class WarningCallout(Component):
    NAME = "warning"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return warning_callout(parent, self.title(), self.word)


class InsetText(Component):
    NAME = "inset"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return inset_text(parent, self.title(), self.word)


class DoDontList(Component):
    def on_create(self, parent: etree.Element) -> etree.Element:
        box = etree.SubElement(parent, "div", {"class": "app-do-dont-list"})
        _heading(box, "app-do-dont-list__label", self.title(DEFAULT_HEADINGS[self.NAME]))
        return box

    def on_end(self, block: etree.Element) -> None:
        mark = "tick" if self.NAME == "do" else "cross"
        for element in block:
            if element.tag in ("ul", "ol"):
                element.set("class", f"app-do-dont-list__list app-do-dont-list__list--{mark}")


class Details(Component):
    NAME = "details"

    def on_create(self, parent: etree.Element) -> etree.Element:
        details = etree.SubElement(parent, "details", {"class": "app-details"})
        summary = etree.SubElement(details, "summary", {"class": "app-details__summary"})
        text = etree.SubElement(summary, "span", {"class": "app-details__summary-text"})
        text.text = self.title(DEFAULT_HEADINGS["details"])
        etree.SubElement(details, "div", {"class": "app-details__text", "data-app-content": ""})
        return details


def _subclass(base: type[Component], name: str) -> type[Component]:
    return type(base.__name__ + name.title().replace("-", ""), (base,), {"NAME": name})


BLOCKS: list[type[Component]] = [
    *(_subclass(CareCard, name) for name in ("non-urgent", "urgent", "emergency")),
    WarningCallout,
    InsetText,
    *(_subclass(DoDontList, name) for name in ("do", "dont")),
    Details,
]
assert {block.NAME for block in BLOCKS} == set(KINDS), "every rule's kind has a renderer"


class EmergencyNumber(Preprocessor):
    """`{emergency_number}` becomes the configured number, before any parsing."""

    def __init__(self, md: Markdown, number: str) -> None:
        super().__init__(md)
        self.number = number

    def run(self, lines: list[str]) -> list[str]:
        return [line.replace(EMERGENCY_TOKEN, self.number) for line in lines]


class OutlineHeadings(Treeprocessor):
    """Each component heading one level below the heading it sits under."""

    def run(self, root: etree.Element) -> None:
        level = 1  # the page title is the h1
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                level = int(element.tag[1])
            elif HEADING_MARK in element.attrib:
                del element.attrib[HEADING_MARK]
                element.tag = f"h{min(level + 1, 6)}"
        for element in root.iter():
            element.attrib.pop("data-app-content", None)


class HealthComponentsExtension(BlocksExtension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "emergency_number": ["911", "the number {emergency_number} stands for"],
            "emergency_heading": [
                "Call {emergency_number} or go to the nearest emergency department now if:",
                "the heading of an emergency care card that has none of its own",
            ],
            "words": [
                {},
                "the components' own words (rules/components.py COMPONENT_WORDS and the "
                "emergency heading) in the language of the file, by their English: "
                "plugins/plain_metadata.py gives a translation its catalogue's",
            ],
        }
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr) -> None:
        number = self.getConfig("emergency_number")
        words = self.getConfig("words")
        heading = self.getConfig("emergency_heading")
        heading = words.get(heading, heading).replace(EMERGENCY_TOKEN, number)
        for block in BLOCKS:
            block_mgr.register(block, {"emergency_heading": heading, "words": words})
        # After fenced code (25) is set aside, so code samples keep the token.
        md.preprocessors.register(EmergencyNumber(md, number), "app_emergency_number", 15)
        # After toc (5): component headings get no id and stay out of the contents.
        md.treeprocessors.register(OutlineHeadings(md), "app_outline_headings", 4)


def makeExtension(**kwargs) -> HealthComponentsExtension:
    return HealthComponentsExtension(**kwargs)


# --- The theme's side: shared prefixes, the living reference page ----------

# Each component example in the guide: a ```markdown fence that starts with
# `///`, under the `####` heading that names it.
EXAMPLE = re.compile(
    r"^#### (?P<name>.+)\n(?:(?!#|```).*\n)*```markdown\n(?P<body>///.*\n(?:(?!```).*\n)*)```$",
    re.M,
)


def reference_examples(text: str) -> list[tuple[str, int, str]]:
    """(component name, line of its first Markdown line, Markdown) for each example."""
    return [
        (match["name"], text.count("\n", 0, match.start("body")) + 1, match["body"])
        for match in EXAMPLE.finditer(text)
    ]


def reference_markdown(examples: list[tuple[str, int, str]]) -> str:
    parts = ["Every component an editor can write, as the site renders it, then its Markdown."]
    for name, _, body in examples:
        parts.append(f"## {name}\n\n{body}\nIts Markdown:\n\n```markdown\n{body}```")
    return "\n\n".join(parts) + "\n"


def add_reference_page(generator) -> None:
    settings = generator.settings
    save_as = settings.get("COMPONENT_REFERENCE_SAVE_AS")
    if not save_as:
        return
    root = Path(settings["PATH"]).parent
    source = root / settings["COMPONENT_REFERENCE_SOURCE"]
    examples = reference_examples(source.read_text(encoding="utf-8"))
    if not examples:
        log.warning("%s", no_examples_message(source.name))
    for _, first, body in examples:
        lines = list(enumerate(body.splitlines(), start=first))
        for number, message in check_blocks(lines):
            log.warning("%s:%d: %s", settings["COMPONENT_REFERENCE_SOURCE"], number, message)
    markdown = settings["MARKDOWN"]
    extensions = [*markdown.get("extensions", ()), *markdown.get("extension_configs", {})]
    md = Markdown(**{**markdown, "extensions": list(dict.fromkeys(extensions))})
    content = md.convert(reference_markdown(examples))
    if settings.get("SITE_TYPOGRIFY"):
        content = typogrify_html(content, settings)
    title = "Health components"
    metadata = {
        "title": title,
        "title_text": title,
        "summary": "Every health component, rendered: a reference for editors.",
        "summary_text": "Every health component, rendered: a reference for editors.",
        "slug": "components",
        "save_as": save_as,
        "url": save_as.removesuffix("index.html"),
        "status": "hidden",
        "template": "page",
    }
    page = Page(
        content, metadata, settings=settings, source_path=str(source), context=generator.context
    )
    generator.hidden_pages.append(page)


def add_theme_components(generator) -> None:
    generator.env.globals["component"] = component
    generator.env.globals["COMPONENT_PREFIXES"] = PREFIXES


def register() -> None:
    signals.generator_init.connect(add_theme_components)
    signals.page_generator_finalized.connect(add_reference_page)
