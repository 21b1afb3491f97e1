"""Aids for a reader who cannot concentrate for long: a contents list and a reading time.

Each article gets `toc` (a list of `(id, text)` for its `##` sections, in
order; the theme shows it when there are three or more) and
`reading_minutes`. Both are read from the rendered HTML before Pelican
resolves internal links, so they never trigger link warnings.
"""

from __future__ import annotations

import math

from bs4 import BeautifulSoup
from pelican import signals

WORDS_PER_MINUTE = 200  # a common figure for reading on screen


def sections(html: str) -> list[tuple[str, str]]:
    """`(id, text)` of every h2 that has an id, in document order."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        (heading["id"], " ".join(heading.get_text(" ").split()))
        for heading in soup.find_all("h2")
        if heading.get("id")
    ]


def reading_minutes(html: str) -> int:
    words = len(BeautifulSoup(html, "html.parser").get_text(" ").split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def on_content(content) -> None:
    html = getattr(content, "_content", None) or ""
    content.toc = sections(html)
    content.reading_minutes = reading_minutes(html)


def register() -> None:
    signals.content_object_init.connect(on_content)
