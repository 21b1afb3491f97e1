"""Footnotes become an accessible, numbered "References" section.

Python-Markdown renders footnotes as an anonymous `<div class="footnote">`
after a rule, with a bare number as the link text and "↩" as the way back.
Screen-reader users hear neither what the number is nor where "↩" goes. This
plugin turns that into a labelled section with a real heading, spells out
"Reference 1" for each citation, and labels each back link. The content rules
have already refused a footnote that is referenced but never defined, or
defined but never referenced, naming file and line.
"""

from __future__ import annotations

import re

from pelican import signals

from engine.cache import cached, digest

HEADING_ID = "references"
# How the section starts in the output (BeautifulSoup writes attributes in
# its own order); plugins/article_parts.py finds it by this.
SECTION_START = re.compile(r'<section\b[^>]*\bclass="app-references"')


def restructure_footnotes(html: str) -> str:
    """The article HTML with its footnotes as a References section.

    Parsing with Beautiful Soup costs more than the rest of an article's
    reading, so the result is kept on disk under the HTML's hash."""
    if 'class="footnote"' not in html:
        return html
    return cached("footnotes", digest(html), lambda: _restructure(html))


def _restructure(html: str) -> str:
    from bs4 import BeautifulSoup  # only articles with footnotes pay for the import

    soup = BeautifulSoup(html, "html.parser")
    block = soup.find("div", class_="footnote")
    if block is None:
        return html
    section = soup.new_tag(
        "section", attrs={"class": "app-references", "aria-labelledby": HEADING_ID}
    )
    heading = soup.new_tag("h2", id=HEADING_ID)
    heading.string = "References"
    section.append(heading)
    items = block.find("ol")
    items["class"] = "app-references__list"
    section.append(items.extract())
    block.replace_with(section)

    for number, item in enumerate(items.find_all("li", recursive=False), start=1):
        for back in item.find_all("a", class_="footnote-backref"):
            back["aria-label"] = f"Back to reference {number} in the text"
            back["class"] = "footnote-backref app-references__back"
            del back["title"]
    for link in soup.find_all("a", class_="footnote-ref"):
        number = link.get_text(strip=True)
        link.clear()
        hidden = soup.new_tag("span", attrs={"class": "app-visually-hidden"})
        hidden.string = "Reference "
        link.append(hidden)
        link.append(number)
    return str(soup)


def on_content(content) -> None:
    if getattr(content, "_content", None):
        content._content = restructure_footnotes(content._content)


def register() -> None:
    signals.content_object_init.connect(on_content)
