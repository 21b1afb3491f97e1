"""Raw HTML in Markdown: markup that would run code on a reader's device, and
elements opened and never closed (or closed and never opened)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from rules.sources import Problem, joined

UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|form)\b", re.IGNORECASE)
# An on…= attribute inside a tag, even one written over several lines.
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^<>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:", re.IGNORECASE)


def check_unsafe_markup(rel: str, line: int, text: str) -> Iterator[Problem]:
    """Markup that would run code or collect data on a reader's device.

    `text` starts at `line` and may span several lines; each problem names
    the line it is on.
    """

    def line_of(offset: int) -> int:
        return line + text.count("\n", 0, offset)

    for match in UNSAFE_TAG.finditer(text):
        yield Problem(
            rel,
            line_of(match.start()),
            f"raw <{match.group(1).lower()}> is not allowed: pages carry "
            "no scripts, frames, embeds or forms. Remove it; link to the "
            "resource instead.",
        )
    for match in EVENT_ATTRIBUTE.finditer(text):
        yield Problem(
            rel,
            line_of(match.start(1)),
            f"the {match.group(1).lower()}= event attribute runs JavaScript and is "
            "not allowed; remove it.",
        )
    for number, part in enumerate(text.split("\n"), start=line):
        # Browsers decode entities and drop tabs and newlines inside a URL scheme.
        if SCRIPT_URL.search(re.sub(r"[\t\r\n\0]", "", html.unescape(part))):
            yield Problem(rel, number, "a javascript: URL is not allowed; link to a page instead.")


RAW_TAG = re.compile(r"<(?P<name>[a-z][a-z0-9]*)\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(
    r"""\b(?P<name>[a-z-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""",
    re.IGNORECASE,
)
AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]*:[^>\s]*|[^>\s@]+@[^>\s]+)>", re.IGNORECASE)
VOID_TAGS = {"area", "br", "col", "hr", "img", "input", "source", "track", "wbr", "meta", "link"}


class _TagBalance(HTMLParser):
    """Tracks raw HTML elements opened in Markdown, to find ones never closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []
        self.stray: list[tuple[str, int]] = []
        self.line_offset = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID_TAGS:
            self.open.append((tag, self.getpos()[0] + self.line_offset))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return
        self.stray.append((tag, self.getpos()[0] + self.line_offset))


def check_raw_html(rel: str, lines: list[tuple[int, str]]) -> Iterator[Problem]:
    if not lines:
        return
    parser = _TagBalance()
    parser.line_offset = lines[0][0] - 1
    # Markdown autolinks (<https://…>) are not HTML; blank them so the parser skips them.
    text = joined(
        [(number, AUTOLINK.sub(lambda m: " " * len(m.group(0)), line)) for number, line in lines]
    )
    parser.feed(text)
    parser.close()
    for tag, line in parser.open:
        yield Problem(
            rel,
            line,
            f"raw HTML <{tag}> is opened here but never closed; "
            f"add </{tag}>, or write it in Markdown instead.",
        )
    for tag, line in parser.stray:
        yield Problem(rel, line, f"</{tag}> closes an element that was never opened; remove it.")
