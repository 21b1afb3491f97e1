"""Typography for article bodies: typogrify 2.1.0's characters, written faster.

typogrify (amp, smartypants, caps, initial_quotes, widont) was about a third
of a plain build's time (issue 13). Every faster engine elsewhere (Markdown's
smarty, markdown-it's typographer) writes other characters, and a site that changes engine changes every page. This one
writes exactly what typogrify 2.1.0 with smartypants 2.0.2 writes;
tests/test_typography.py compares the two on every Markdown file of the site
and its tests, hundreds of synthetic articles and thousands of random
HTML-ish strings. It is faster because:

- smartypants and caps share one tokenisation (typogrify tokenises twice);
- each of smartypants' expressions runs only when the character it looks
  for is in the piece of text, and literal replacements are `str.replace`;
- caps runs its expression only where two capitals are close enough to match;
- widont looks at the last word before each closing block tag instead of
  trying the expression after every space;
- the result for a piece of text seen before is remembered.

Where a shortcut's reasoning does not hold (a comment that smartypants reads
as text, a `<` outside any tag), the step falls back to typogrify's own code.

As a Pelican plugin it checks the typography settings when the build starts,
so a misspelt `TYPOGRIFY_DASHES` or filter name stops the build instead of
being ignored (dashes) or failing deep inside a worker (filters).
"""

from __future__ import annotations

import logging
import re

import smartypants
from pelican import signals
from typogrify import filters

log = logging.getLogger(__name__)

FILTERS = ("amp", "smartypants", "caps", "initial_quotes", "widont")
DASHES = {
    "default": smartypants.Attr.set1,
    "oldschool": smartypants.Attr.set2,
    "oldschool_inverted": smartypants.Attr.set3,
}


def smartypants_attr(dashes: str) -> int:
    """smartypants' attributes as the site sets them: dashes by name, `&quot;` curled too."""
    return DASHES.get(dashes, smartypants.Attr.set1) | smartypants.Attr.w


def typogrify(text: str, ignore_tags: list[str], attr: int, omit: tuple[str, ...] = ()) -> str:
    """What `typogrify.filters.typogrify(text, ignore_tags, **{f: False for f in omit})`
    writes when smartypants' default attributes are `attr`."""
    enabled = frozenset(FILTERS) - set(omit)
    unknown = set(omit) - set(FILTERS)
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s): {sorted(unknown)}")
    parts = []
    for section, process in filters.process_ignores(text, ignore_tags):
        parts.append(_apply(section, attr, enabled) if process else section)
    return "".join(parts)


def reference(text: str, ignore_tags: list[str], attr: int, omit: tuple[str, ...] = ()) -> str:
    """typogrify 2.1.0 itself, with smartypants' default attributes set to `attr`:
    what `typogrify` must equal (tests/test_typography.py)."""
    smartypants.Attr.default = attr
    return filters.typogrify(text, ignore_tags, **dict.fromkeys(omit, False))


def _apply(text: str, attr: int, enabled: frozenset[str]) -> str:
    if "amp" in enabled and "&" in text and _AMP.search(text):
        text = filters.amp(text)
    if "smartypants" in enabled or "caps" in enabled:
        tokens = _tokenize(text)
        if "smartypants" in enabled:
            tokens = _smartypants(tokens, attr)
        if "caps" in enabled:
            # caps tokenises smartypants' output again. The tags come out the
            # same unless a text token holds a `<` (a comment with `--` in it,
            # which smartypants treats as text, or a `<` that opens no tag).
            if any(not is_tag and "<" in value for is_tag, value in tokens):
                tokens = _tokenize("".join(value for _, value in tokens))
            tokens = _caps(tokens)
        text = "".join(value for _, value in tokens)
    if "initial_quotes" in enabled and any(quote in text for quote in _INITIAL_QUOTES):
        text = filters.initial_quotes(text)
    if "widont" in enabled:
        text = _widont(text)
    return text


# --- Tokens: smartypants._tokenize, as (is_tag, text) pairs ---------------------

_TAG_SOUP = re.compile(r"([^<]*)(<!--.*?--\s*>|<[^>]*>)", re.S)


def _tokenize(text: str) -> list[tuple[bool, str]]:
    tokens = []
    previous_end = 0
    match = _TAG_SOUP.match(text)
    while match:
        if match.group(1):
            tokens.append((False, match.group(1)))
        tag = match.group(2)
        is_tag = True
        # A comment with `--` inside is text to smartypants (smartypants._tokenize).
        if tag.startswith("<!--") and "--" in tag[4:].rstrip(">").rstrip().rstrip("-"):
            is_tag = False
        tokens.append((is_tag, tag))
        previous_end = match.end()
        match = _TAG_SOUP.match(text, previous_end)
    if previous_end < len(text):
        tokens.append((False, text[previous_end:]))
    return tokens


# --- smartypants.smartypants, one text token at a time ---------------------------

# The tags smartypants leaves alone (its public `tags_to_skip`), matched by the
# expression smartypants 2.0.2 builds from them in `smartypants.smartypants`.
_SKIP_SMARTYPANTS = re.compile(r"<(/)?(%s)[^>]*>" % "|".join(smartypants.tags_to_skip), re.I)  # noqa: UP031 - smartypants' own expression and formatting
_NON_SPACE = re.compile(r"\S")
# Remembered educated text per attributes; emptied when it grows past the limit
# so a long-lived preview process stays small.
_EDUCATED: dict[int, dict[str, tuple[bool, str]]] = {}
_MEMO_LIMIT = 50_000


def _smartypants(tokens: list[tuple[bool, str]], attr: int) -> list[tuple[bool, str]]:
    memo = _EDUCATED.setdefault(attr, {})
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    skipped_stack: list[str] = []
    in_pre = False
    previous_last = ""
    result = []
    for is_tag, value in tokens:
        if is_tag:
            result.append((True, value))
            skip = _SKIP_SMARTYPANTS.match(value)
            if skip:
                if not skip.group(1):
                    skipped_stack.append(skip.group(2).lower())
                    in_pre = True
                else:
                    if skipped_stack and skip.group(2).lower() == skipped_stack[-1]:
                        skipped_stack.pop()
                    if not skipped_stack:
                        in_pre = False
            continue
        last = value[-1:]
        if not in_pre:
            known = memo.get(value)
            if known is None:
                known = memo[value] = _educate(value, attr)
            lone, value = known
            if lone:
                # A token that is just a quote curls by the text before it.
                closing = _NON_SPACE.match(previous_last)
                if value == "'":
                    value = "&#8217;" if closing else "&#8216;"
                else:
                    value = "&#8221;" if closing else "&#8220;"
                value = _entities(value, attr)
        previous_last = last
        result.append((False, value))
    return result


def _educate(text: str, attr: int) -> tuple[bool, str]:
    """(True, the quote) for a lone quote, which depends on the text before it;
    otherwise (False, smartypants' result for the token)."""
    if "\\" in text:
        text = smartypants.process_escapes(text)
    if attr & smartypants.Attr.w and "&quot;" in text:
        text = text.replace("&quot;", '"')
    dashes = attr & smartypants.Attr.mask_d
    if "--" in text:
        if dashes == smartypants.Attr.d:
            text = text.replace("--", "&#8212;")
        elif dashes == smartypants.Attr.D:
            text = text.replace("---", "&#8212;").replace("--", "&#8211;")
        elif dashes == smartypants.Attr.i:
            text = text.replace("---", "&#8211;").replace("--", "&#8212;")
    if attr & smartypants.Attr.e and "." in text:
        text = text.replace("...", "&#8230;").replace(". . .", "&#8230;")
    backticks = attr & smartypants.Attr.mask_b
    if backticks == smartypants.Attr.b:
        text = text.replace("``", "&#8220;").replace("''", "&#8221;")
    elif backticks == smartypants.Attr.B:
        text = text.replace("`", "&#8216;").replace("'", "&#8217;")
    if attr & smartypants.Attr.q:
        if text in ("'", '"'):
            return True, text
        text = _convert_quotes(text)
    return False, _entities(text, attr)


def _entities(text: str, attr: int) -> str:
    mode = attr & smartypants.Attr.mask_o
    if not mode:
        return text
    modes = {smartypants.Attr.u: 0, smartypants.Attr.h: 1, smartypants.Attr.s: 2}
    return smartypants.convert_entities(text, modes[mode])


# smartypants.convert_quotes' expressions, in its order. Each one needs the
# quote it names, so it is skipped where that quote is absent; none adds a quote.
_PUNCT = r"""[!"#\$\%'()*+,-.\/:;<=>?\@\[\\\]\^_`{|}~]"""
_CLOSE = r"[^\ \t\r\n\[\{\(\-]"
_DEC_DASHES = "&#8211;|&#8212;"
_OPENING = r"""
            (
                \s          |   # a whitespace char, or
                &nbsp;      |   # a non-breaking space entity, or
                --          |   # dashes, or
                &[mn]dash;  |   # named dash entities
                %s          |   # or decimal entities
                &\#x201[34];    # or hex
            )
            %s                # the quote
            (?=\w)            # followed by a word character
            """
_SINGLE_START = re.compile(r"""^'(?=%s\\B)""" % (_PUNCT,))  # noqa: UP031 - smartypants' own expression and formatting
_DOUBLE_START = re.compile(r"""^"(?=%s\\B)""" % (_PUNCT,))  # noqa: UP031 - smartypants' own expression and formatting
_DOUBLE_SINGLE = re.compile(r""""'(?=\w)""")
_SINGLE_DOUBLE = re.compile(r"""'"(?=\w)""")
_DECADE = re.compile(r"""\b'(?=\d{2}s)""")
_OPENING_SINGLE = re.compile(_OPENING % (_DEC_DASHES, "'"), re.VERBOSE)
_CLOSING_SINGLE = re.compile(
    r"""
            ("""
    + _CLOSE
    + r""")
            '
            (?!\s | s\b | \d)
            """,
    re.VERBOSE,
)
_CLOSING_SINGLE_S = re.compile(
    r"""
            ("""
    + _CLOSE
    + r""")
            '
            (\s | s\b)
            """,
    re.VERBOSE,
)
_OPENING_DOUBLE = re.compile(_OPENING % (_DEC_DASHES, '"'), re.VERBOSE)
_CLOSING_DOUBLE_SPACE = re.compile(r'"(?=\s)')
_CLOSING_DOUBLE_START = re.compile(r'^"(?=%s)' % (_PUNCT,))  # noqa: UP031 - smartypants' own expression and formatting
_CLOSING_DOUBLE = re.compile(r'(%s)"' % (_CLOSE,))  # noqa: UP031 - smartypants' own expression and formatting


def _convert_quotes(text: str) -> str:
    single = "'" in text
    double = '"' in text
    if not (single or double):
        return text
    if single:
        text = _SINGLE_START.sub("&#8217;", text)
    if double:
        text = _DOUBLE_START.sub("&#8221;", text)
    if single and double:
        text = _DOUBLE_SINGLE.sub("&#8220;&#8216;", text)
        text = _SINGLE_DOUBLE.sub("&#8216;&#8220;", text)
    if single and "'" in text:
        text = _DECADE.sub("&#8217;", text)
        text = _OPENING_SINGLE.sub(r"\1&#8216;", text)
        text = _CLOSING_SINGLE.sub(r"\1&#8217;", text)
        text = _CLOSING_SINGLE_S.sub(r"\1&#8217;\2", text)
        text = text.replace("'", "&#8216;")
    if double and '"' in text:
        text = _OPENING_DOUBLE.sub(r"\1&#8220;", text)
        text = _CLOSING_DOUBLE_SPACE.sub("&#8221;", text)
        text = _CLOSING_DOUBLE_START.sub("&#8221;", text)
        text = _CLOSING_DOUBLE.sub(r"\1&#8221;", text)
        text = text.replace('"', "&#8220;")
    return text


# --- amp, caps, initial_quotes ------------------------------------------------------

# typogrify's amp changes nothing unless this matches somewhere in the text.
_AMP = re.compile(r"(\s|&nbsp;)(&|&amp;|&\#38;)(\s|&nbsp;)")
_INITIAL_QUOTES = ('"', "'", "&ldquo;", "&#8220;", "&lsquo;", "&#8216;")

_SKIP_CAPS = re.compile("<(/)?(?:kbd|script)[^>]*>", re.IGNORECASE)
_CAPS = re.compile(
    r"""(
                            (\b[A-Z\d]*        # Group 2: Any amount of caps and digits
                            [A-Z]\d*[A-Z]      # A cap string much at least include two caps (but they can have digits between them)
                            [A-Z\d']*\b)       # Any amount of caps and digits or dumb apostsrophes
                            | (\b[A-Z]+\.\s?   # OR: Group 3: Some caps, followed by a '.' and an optional space
                            (?:[A-Z]+\.\s?)+)  # Followed by the same thing at least once more
                            (?:\s|\b|$))
                            """,
    re.VERBOSE,
)
# Every match of _CAPS holds two capitals with only digits, or a dot and at
# most one space, between them; text without such a pair is left as it is.
_CAPS_PAIR = re.compile(r"[A-Z](?:\d*|\.\s?)[A-Z]")
_CAPPED: dict[str, str] = {}


def _cap_wrapper(match: re.Match) -> str:
    if match.group(2):
        return f'<span class="caps">{match.group(2)}</span>'
    caps = match.group(3)
    if caps[-1] == " ":
        return f'<span class="caps">{caps[:-1]}</span> '
    return f'<span class="caps">{caps}</span>'


def _caps(tokens: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    if len(_CAPPED) > _MEMO_LIMIT:
        _CAPPED.clear()
    skipping = False
    result = []
    for is_tag, value in tokens:
        if is_tag:
            skip = _SKIP_CAPS.match(value)
            skipping = bool(skip and skip.group(1) is None)
        elif not skipping and _CAPS_PAIR.search(value):
            known = _CAPPED.get(value)
            if known is None:
                known = _CAPPED[value] = _CAPS.sub(_cap_wrapper, value)
            value = known
        result.append((is_tag, value))
    return result


# --- widont -----------------------------------------------------------------------

_WIDONT = re.compile(
    r"""((?:</?(?:a|em|span|strong|i|b)[^>]*>)|[^<>\s]) # must be proceeded by an approved inline opening or closing tag or a nontag/nonspace
                                   \s+                                             # the space to replace
                                   ([^<>\s]+                                       # must be flollowed by non-tag non-space characters
                                   \s*                                             # optional white space!
                                   (</(a|em|span|strong|i|b)>\s*)*                 # optional closing inline tags with optional white space after each
                                   ((</(p|h[1-6]|li|dt|dd)>)|$))                   # end with a closing p, h1-6, li or the end of the string
                                   """,
    re.VERBOSE,
)
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|dt|dd)>")
_INLINE_ENDS = ("</a>", "</em>", "</span>", "</strong>", "</i>", "</b>")


def _widont(text: str) -> str:
    """typogrify's widont, trying only where a match can be.

    A match ends at a closing block tag (or the end of the text) and holds
    no other: the only part of it that could is an inline tag before the
    last space, and only if a `<` stood before a closing block tag with no
    `>` between (then typogrify's own widont runs). So the text splits
    after each closing block tag into pieces that match alone, at most once
    each. Before the closing tag come only spaces and closing inline tags,
    then the last word, the spaces before it, and one character or one
    inline tag: walking back from the closing tag finds them, and the
    expression runs only from the `>` before them.
    """
    parts = []
    start = 0
    for block_end in _BLOCK_END.finditer(text):
        close, end = block_end.span()
        if text.rfind("<", start, close) > text.rfind(">", start, close):
            return filters.widont(text)
        begin = _widont_start(text, start, close)
        match = None if begin is None else _WIDONT.search(text, begin, end)
        if match is None:
            parts.append(text[start:end])
        elif match.end() == end:
            parts += [text[start : match.start()], match.expand(r"\1&nbsp;\2")]
        else:
            return filters.widont(text)  # the reasoning above failed: be exact
        start = end
    parts.append(_WIDONT.sub(r"\1&nbsp;\2", text[start:]))
    return "".join(parts)


def _widont_start(text: str, start: int, close: int) -> int | None:
    """Where a widont match ending at the closing tag at `close` can begin, or None."""
    position = close
    while True:
        while position > start and text[position - 1].isspace():
            position -= 1
        inline = next((tag for tag in _INLINE_ENDS if text.endswith(tag, start, position)), None)
        if inline is None:
            break
        position -= len(inline)
    word_end = position
    while position > start and text[position - 1] not in "<>" and not text[position - 1].isspace():
        position -= 1
    if position == word_end:
        return None
    spaces_end = position
    while position > start and text[position - 1].isspace():
        position -= 1
    if position in (spaces_end, start):
        return None
    if text[position - 1] != ">":
        return position - 1
    return text.rfind(">", start, position - 1) + 1 or start


# --- Plugin: the settings this engine reads --------------------------------------------


def check_settings(pelican) -> None:
    settings = pelican.settings
    dashes = settings.get("TYPOGRIFY_DASHES", "default")
    if dashes not in DASHES:
        log.warning(
            "pelicanconf.py: TYPOGRIFY_DASHES is %r; use one of %s.",
            dashes,
            ", ".join(repr(name) for name in DASHES),
        )
    unknown = [name for name in settings.get("TYPOGRIFY_OMIT_FILTERS", ()) if name not in FILTERS]
    if unknown:
        log.warning(
            "pelicanconf.py: TYPOGRIFY_OMIT_FILTERS names %s; the filters are %s.",
            ", ".join(repr(name) for name in unknown),
            ", ".join(FILTERS),
        )


def register() -> None:
    signals.initialized.connect(check_settings)
