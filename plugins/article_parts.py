"""The article body in three parts, so the theme can put each where a reader needs it.

A reader opening a health article on a phone should see the title and the
start of the text on the first screen; governance (review dates, References,
the disclaimer) follows the text, as the NHS, Mayo Clinic and MedlinePlus lay
out theirs. So the theme needs the body split where those things go:

- the opening text, before the first top-level `<h2>`: the contents list
  comes after it, not above it;
- the sections;
- the References section (plugins/references.py), which Python-Markdown puts
  last: the review block comes before it.

Templates call `article_parts(article.content)` on the finished HTML, after
Pelican has resolved `{filename}` links, and get `(opening, sections,
references)`; joined, the three are the body unchanged.
"""

from __future__ import annotations

import re

from pelican import signals

from plugins.references import SECTION_START

# Elements without an end tag: they never open a level of nesting.
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>")


def first_top_level_h2(body: str) -> int:
    """The offset of the first `<h2>` not nested in another element, or -1.

    Python-Markdown escapes `<` inside code, and the content rules refuse HTML
    comments and unclosed tags, so every `<` that starts a tag here is one.
    An `<h2>` inside a box (a callout in the opening text) is skipped: the
    contents list must not land inside it.
    """
    depth = 0
    for match in TAG.finditer(body):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif name == "h2" and depth == 0:
            return match.start()
        elif name not in VOID and not self_closing:
            depth += 1
    return -1


def article_parts(body: str) -> tuple[str, str, str]:
    """`(opening, sections, references)` of an article's HTML; any of them may be empty."""
    found = [match.start() for match in SECTION_START.finditer(body)]
    text, references = (body[: found[-1]], body[found[-1] :]) if found else (body, "")
    split = first_top_level_h2(text)
    if split < 0:
        return text, "", references
    return text[:split], text[split:], references


def add_template_global(generator) -> None:
    generator.env.globals["article_parts"] = article_parts


def register() -> None:
    signals.generator_init.connect(add_template_global)
