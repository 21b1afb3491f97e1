"""The site's Markdown reader: plain-text Title and Summary, typography, and a memo.

Plain text. Pelican treats a title as HTML and runs typogrify over it, so
`Fast & "safe" <b>` would lose its `<b>` as a tag and have its quotes curled.
This reader keeps the untouched text as `title_text` and `summary_text` (what
the theme shows in headings, `<title>`, the meta description, Open Graph and
JSON-LD) and sets `title` and `summary` to the same text, escaped, for
Pelican's own uses such as the feed.

Language. A file with `Lang:` in another language than the default is read
with the health components' own words in its language, from its catalogue
(`markdown_options`), so those words are part of the memo key.

Typography. typogrify (curly quotes, dashes, no widows) runs here, on the
article body only, instead of in Pelican (`TYPOGRIFY` stays False and
`SITE_TYPOGRIFY` switches it), so that its result is part of what the memo
keeps.

Memo. Reading a file means Markdown plus typogrify, most of the build's time.
The result depends only on the file's bytes and the Markdown and typogrify
settings, so it is kept in memory under exactly that key: the preview server,
which rebuilds in one long-lived process, reads only the files that changed.
The same result is also kept on disk by engine/cache.py (in the folder of
the run's settings, set when Pelican starts), under a key that adds the
library versions and the code that shapes it (this module, typography, the
site's Markdown extension: `engine.cache.SHAPED_BY`), so a fresh process
(every `invoke build`, CI, publishing) converts only files it has not seen.
Before Pelican reads, commands/build.py has engine/read_ahead.py fill the
memo (`Memo`) on every core.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader

from engine.cache import cached, configure, load
from plugins import typography
from rules.components import COMPONENT_WORDS
from rules.translations import catalogue_words

PLAIN_FIELDS = ("title", "summary")
# Everything the memo's value depends on besides the file's bytes and MARKDOWN
# (which memo_key reads on its own).
MEMO_SETTINGS = (
    "SITE_TYPOGRIFY",
    "TYPOGRIFY_DASHES",
    "TYPOGRIFY_IGNORE_TAGS",
    "TYPOGRIFY_OMIT_FILTERS",
)
# (file bytes' sha256, settings key) -> (HTML, metadata strings), for this process only.
_MEMO: dict[tuple[str, str], tuple[str, dict[str, list[str]]]] = {}


def typogrify_html(text: str, settings: dict) -> str:
    """typogrify as Pelican applies it (dashes as TYPOGRIFY_DASHES, `&quot;` curled too),
    by plugins/typography.py: the same characters as typogrify 2.1.0, several times faster."""
    return typography.typogrify(
        text,
        settings["TYPOGRIFY_IGNORE_TAGS"],
        typography.smartypants_attr(settings["TYPOGRIFY_DASHES"]),
        tuple(settings["TYPOGRIFY_OMIT_FILTERS"]),
    )


class SiteMarkdownReader(MarkdownReader):
    """Markdown reader with plain-text Title and Summary, typography, and the memo."""

    def read(self, source_path: str) -> tuple[str, dict]:
        if self.settings["FORMATTED_FIELDS"]:
            raise ValueError("FORMATTED_FIELDS must stay empty: metadata is plain text here.")
        self._source_path = source_path
        # Read once: the key and the conversion come from the same bytes, so a
        # save in between can never file one version's HTML under another's key.
        data = Path(source_path).read_bytes()
        key = memo_key(data, self.settings)
        if key not in _MEMO:
            _MEMO[key] = convert_cached(data, key, self.settings)
        content, raw_metadata = _MEMO[key]
        # Dates, categories and tags are objects bound to this build's settings:
        # made afresh each time from the remembered strings. A value wrapped
        # onto indented lines is one value, its lines joined by spaces.
        metadata = {}
        for name, values in raw_metadata.items():
            value = " ".join(values)
            if name in DATE_FIELDS:
                metadata[name] = _date(self, name, value)
            else:
                metadata[name] = self.process_metadata(name, value)
        for field in PLAIN_FIELDS:
            if field in metadata:
                text = " ".join(str(metadata[field]).split())
                metadata[f"{field}_text"] = text
                metadata[field] = html.escape(text, quote=False)
        return content, metadata

    def convert(self, data: bytes) -> tuple[str, dict[str, list[str]]]:
        """The body as HTML with typography, and the metadata as the strings written."""
        self._md = _markdown(markdown_options(self.settings, file_language(data, self.settings)))
        # As pelican_open reads a file: UTF-8, without a byte-order mark.
        content = self._md.convert(data.decode("utf-8").removeprefix("\ufeff"))
        if content and self.settings.get("SITE_TYPOGRIFY"):
            content = typogrify_html(content, self.settings)
        meta = getattr(self._md, "Meta", {})
        return content, {name.lower(): list(values) for name, values in meta.items()}


# One Markdown instance per settings, reset between files (Python-Markdown's
# documented reuse): building one costs about as much as converting a file.
# tests/test_plain_metadata.py checks that reuse converts every file exactly as a new one.
# One for each language the site's files are written in (their components' words differ).
MARKDOWN_INSTANCES = 4
_MARKDOWN: dict[str, Markdown] = {}


def _markdown(options: dict) -> Markdown:
    key = repr(options)
    if key not in _MARKDOWN:
        if len(_MARKDOWN) >= MARKDOWN_INSTANCES:
            _MARKDOWN.clear()
        _MARKDOWN[key] = Markdown(**options)
    return _MARKDOWN[key].reset()


def convert_cached(
    data: bytes, key: tuple[str, str], settings: dict
) -> tuple[str, dict[str, list[str]]]:
    """What the reader makes of `data`, from the on-disk cache when an earlier build made it."""
    content, meta = cached(
        "reader", repr(key), lambda: list(SiteMarkdownReader(settings).convert(data))
    )
    return content, meta


# Dates are parsed by dateutil, a tenth of the reading time when the rest
# comes from the memo. A date string parses the same way all day long:
# Pelican fills in what it lacks from today's date, which is in the key.
DATE_FIELDS = ("date", "modified")
_DATES: dict[tuple[str, str, dt.date], object] = {}


def _date(reader: MarkdownReader, name: str, value: str):
    key = (name, value, dt.date.today())
    if key not in _DATES:
        if len(_DATES) > 100_000:
            _DATES.clear()  # a preview left running for weeks stays small
        _DATES[key] = reader.process_metadata(name, value)
    return _DATES[key]


# A `Lang:` line among a file's metadata, the lines before its first blank line.
LANG_LINE = re.compile(rb"^lang:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)
BLANK_LINE = re.compile(rb"\r?\n[ \t]*\r?\n")
COMPONENTS = "plugins.health_components"


def file_language(data: bytes, settings: dict) -> str:
    """The language a Markdown file is written in: its `Lang:`, else DEFAULT_LANG."""
    found = LANG_LINE.search(BLANK_LINE.split(data, maxsplit=1)[0])
    return found.group(1).decode("utf-8", "replace") if found else settings["DEFAULT_LANG"]


def markdown_options(settings: dict, lang: str) -> dict:
    """MARKDOWN for a file in `lang`: in another language than the default, the health
    components show their own words (prefixes, default headings, the emergency
    heading) as the language's catalogue translates them."""
    markdown = settings["MARKDOWN"]
    configs = markdown.get("extension_configs", {})
    if lang == settings["DEFAULT_LANG"] or COMPONENTS not in configs:
        return markdown
    config = configs[COMPONENTS]
    english = [*COMPONENT_WORDS, *filter(None, [config.get("emergency_heading")])]
    words = catalogue_words(settings, lang, english)
    return {**markdown, "extension_configs": {**configs, COMPONENTS: {**config, "words": words}}}


def memo_key(data: bytes, settings: dict) -> tuple[str, str]:
    """A file's bytes and every setting the reader's result depends on (for a file in
    another language, the components' words its catalogue gives)."""
    digest = hashlib.sha256(data).hexdigest()
    markdown = markdown_options(settings, file_language(data, settings))
    # Pelican's MarkdownReader adds the configured extensions (and meta) to
    # MARKDOWN["extensions"] when it starts; name them the same before and after.
    extensions = {*markdown.get("extensions", ()), *markdown.get("extension_configs", {})}
    extensions.add("markdown.extensions.meta")
    others = {name: value for name, value in markdown.items() if name != "extensions"}
    fixed = [sorted(extensions), others, *(settings.get(name) for name in MEMO_SETTINGS)]
    return digest, repr(fixed)


def forget() -> None:
    """Empty this process's memos (the files read, the dates, the Markdown instance):
    the next build reads as a fresh process would."""
    for memo in (_MEMO, _DATES, _MARKDOWN):
        memo.clear()


# --- The memo, as engine/read_ahead.py fills it -----------------------------

# What reading one file costs, in CPU seconds: Markdown and typography on the
# generated articles (benchmarks/synthetic.py), on the project's 2-core machine.
READ_SECONDS = 0.006


@dataclass(frozen=True)
class Memo:
    """This process's memo for one build's settings: what engine/read_ahead.py reads
    ahead into, on every core, before Pelican reads the files one by one."""

    settings: dict
    seconds: float = READ_SECONDS

    def key(self, data: bytes) -> tuple[str, str]:
        return memo_key(data, self.settings)

    def recall(self, key: tuple[str, str]) -> bool:
        if key not in _MEMO:
            stored = load("reader", repr(key))
            if stored is None:
                return False
            _MEMO[key] = (stored[0], stored[1])
        return True

    def convert(self, data: bytes, key: tuple[str, str]) -> tuple[str, dict[str, list[str]]]:
        return convert_cached(data, key, self.settings)

    def keep(self, key: tuple[str, str], value: tuple[str, dict[str, list[str]]]) -> None:
        _MEMO[key] = value

    def get(self, key: tuple[str, str]) -> tuple[str, dict[str, list[str]]] | None:
        """What the memo holds for `key`, or None."""
        return _MEMO.get(key)


def use_cache(pelican) -> None:
    """The reader keeps what it makes in the engine's cache on disk: in this run's folder."""
    configure(pelican.settings)


def use_site_reader(readers) -> None:
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = SiteMarkdownReader


def register() -> None:
    signals.initialized.connect(use_cache)
    signals.readers_init.connect(use_site_reader)
