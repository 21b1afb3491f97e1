"""Tables and code blocks that can be wider than a phone, made to scroll in their own box.

An editor's six-column table or a long line of code must never make the whole
page scroll sideways at 320 px (WCAG 1.4.10 Reflow). Each table is wrapped in
`<div class="app-table-wrap" role="region" aria-label="…" tabindex="0">`:
the wrapper scrolls (main.css), and because it is a labelled, focusable
region a keyboard user can reach it and scroll it with the arrow keys, and a
screen-reader user hears what it holds. The label is the table's caption, or
else the heading the table sits under (GOV.UK and NHS.UK name scrolling
tables the same way). Code blocks (`<pre>`) scroll too, so they get
`tabindex="0"` for the same keyboard reason (axe: scrollable-region-focusable).

Runs on the body Python-Markdown wrote (every attribute double-quoted,
tables never nested), so patterns read it exactly.

A table keeps its words whole (main.css), so its narrowest column is its
longest word, and a long email address or web address in a cell would make the
table scroll further than a phone shows at once: such a run of 25 characters
or more gets `<wbr>` break points between pieces of up to 20 characters, cut
where an address has its parts (after `/` or `-`, before `.`, `@`, `?`, `#`,
`=`, `&` or `_`), or every 20 characters where it has none. Real words stay whole
("Electroencephalography" is 22 letters); copying the text copies it unchanged.
"""

from __future__ import annotations

import html
import re

from pelican import signals

TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL)
HEADING = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.DOTALL)
PRE = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)")
TAG = re.compile(r"<[^>]*>")
TAG_OR_LONG_RUN = re.compile(r"(<[^>]*>)|[^\s<>]{25,}")
# A run's natural parts: a character reference whole; a part ends after / or -
# and the punctuation that starts a part of an address begins one.
PART = re.compile(r"&#?\w+;|[.@?#=&_]?[^-/.@?#=&_]*[-/]?")
PIECE = 20
UNIT = re.compile(r"&#?\w+;|.", re.DOTALL)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def table_label(body: str, table_html: str, offset: int) -> str:
    """The caption, else "Table: <the nearest heading above>", else "Table"."""
    caption = CAPTION.search(table_html)
    if caption and _text(caption.group(1)):
        return _text(caption.group(1))
    headings = HEADING.findall(body, 0, offset)
    return f"Table: {_text(headings[-1])}" if headings else "Table"


def breakable(run: str) -> str:
    """`run` with `<wbr>` between pieces of at most PIECE characters, cut at its parts."""
    pieces: list[list[str]] = [[]]
    for part in filter(None, PART.findall(run)):
        units = UNIT.findall(part)  # a character reference (&amp;) is one
        while units:
            room = PIECE - len(pieces[-1])
            if room <= 0 or (pieces[-1] and len(units) > room):
                pieces.append([])
                room = PIECE
            pieces[-1] += units[:room]
            units = units[room:]
    return "<wbr>".join("".join(piece) for piece in pieces)


def break_long_runs(table_html: str) -> str:
    """The table with break points in every run of text too long for a phone."""
    return TAG_OR_LONG_RUN.sub(lambda m: m.group(1) or breakable(m.group(0)), table_html)


def wrap_wide_content(body: str) -> str:
    """The body with every table in a labelled scrolling region and every `<pre>` focusable."""
    if "<table" in body:

        def wrap(match: re.Match[str]) -> str:
            label = html.escape(table_label(body, match.group(0), match.start()), quote=True)
            return (
                f'<div class="app-table-wrap" role="region" aria-label="{label}" tabindex="0">'
                f"{break_long_runs(match.group(0))}</div>"
            )

        body = TABLE.sub(wrap, body)
    if "<pre" in body:
        body = PRE.sub('<pre tabindex="0"', body)
    return body


def on_content(content) -> None:
    if getattr(content, "_content", None):
        content._content = wrap_wide_content(content._content)


def register() -> None:
    signals.content_object_init.connect(on_content)
