"""Aids for a reader who cannot concentrate for long: a contents list and a reading time.

Each article gets `toc` (a list of `(id, text)` for its `##` sections, in
order; the theme shows it when there are three or more) and
`reading_minutes`. Both are read from the rendered HTML before Pelican
resolves internal links, so they never trigger link warnings.
"""

from __future__ import annotations

import functools
import html
import math
import re

from pelican import signals

WORDS_PER_MINUTE = 200  # a common figure for reading on screen
# The body is Python-Markdown's own output: every attribute double-quoted,
# the toc extension's id on every heading (attr_list may add others). So
# patterns read it exactly and far faster than an HTML parser, which matters
# because this runs for every article on every build.
H2_WITH_ID = re.compile(r'<h2\b[^>]*?\sid="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</h2>', re.DOTALL)
TAG = re.compile(r"<[^>]*>")


def text_of(fragment: str) -> str:
    """The words of an HTML fragment, with tags removed and entities decoded."""
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def sections(body: str) -> list[tuple[str, str]]:
    """`(id, text)` of every h2 that has an id, in document order."""
    return [
        (html.unescape(match["id"]), text_of(match["inner"])) for match in H2_WITH_ID.finditer(body)
    ]


def reading_minutes(body: str) -> int:
    words = len(text_of(body).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


@functools.cache
def _aids(body: str) -> tuple[tuple[tuple[str, str], ...], int]:
    # Bodies come back unchanged from the reader's memo on every rebuild of the
    # preview, so their aids are worked out once.
    return tuple(sections(body)), reading_minutes(body)


def forget() -> None:
    """Empty the memo of the aids worked out in this process."""
    _aids.cache_clear()


def on_content(content) -> None:
    toc, minutes = _aids(getattr(content, "_content", None) or "")
    content.toc = list(toc)
    content.reading_minutes = minutes


def register() -> None:
    signals.content_object_init.connect(on_content)
