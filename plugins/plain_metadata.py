"""The site's Markdown reader: plain-text Title and Summary, typography, and a memo.

Plain text. Pelican treats a title as HTML and runs typogrify over it, so
`Fast & "safe" <b>` would lose its `<b>` as a tag and have its quotes curled.
This reader keeps the untouched text as `title_text` and `summary_text` (what
the theme shows in headings, `<title>`, the meta description, Open Graph and
JSON-LD) and sets `title` and `summary` to the same text, escaped, for
Pelican's own uses such as the feed.

Typography. typogrify (curly quotes, dashes, no widows) runs here, on the
article body only, instead of in Pelican (`TYPOGRIFY` stays False and
`SITE_TYPOGRIFY` switches it), so that its result is part of what the memo
keeps.

Memo. Reading a file means Markdown plus typogrify, most of the build's time.
The result depends only on the file's bytes and the Markdown and typogrify
settings, so it is kept in memory under exactly that key: the preview server,
which rebuilds in one long-lived process, reads only the files that changed.
A fresh process (every `invoke build`, CI, publishing) starts empty, and no
cache is ever written to disk.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

PLAIN_FIELDS = ("title", "summary")
# Everything the memo's value depends on besides the file's bytes.
MEMO_SETTINGS = (
    "MARKDOWN",
    "SITE_TYPOGRIFY",
    "TYPOGRIFY_DASHES",
    "TYPOGRIFY_IGNORE_TAGS",
    "TYPOGRIFY_OMIT_FILTERS",
)
# (file bytes' sha256, settings key) -> (HTML, metadata strings), for this process only.
_MEMO: dict[tuple[str, str], tuple[str, dict[str, list[str]]]] = {}


def typogrify_html(text: str, settings: dict) -> str:
    """typogrify as Pelican applies it (dashes as TYPOGRIFY_DASHES, `&quot;` curled too)."""
    import smartypants
    from typogrify.filters import typogrify

    dashes = {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}
    smartypants.Attr.default = dashes.get(settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
    smartypants.Attr.default |= smartypants.Attr.w
    omitted = dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False)
    return typogrify(text, settings["TYPOGRIFY_IGNORE_TAGS"], **omitted)


class SiteMarkdownReader(MarkdownReader):
    """Markdown reader with plain-text Title and Summary, typography, and the memo."""

    def read(self, source_path: str) -> tuple[str, dict]:
        if self.settings["FORMATTED_FIELDS"]:
            raise ValueError("FORMATTED_FIELDS must stay empty: metadata is plain text here.")
        self._source_path = source_path
        digest = hashlib.sha256(Path(source_path).read_bytes()).hexdigest()
        key = (digest, self._settings_key())
        if key not in _MEMO:
            _MEMO[key] = self._convert(source_path)
        content, raw_metadata = _MEMO[key]
        # Dates, categories and tags are objects bound to this build's settings:
        # made afresh each time from the remembered strings.
        metadata = {}
        for name, values in raw_metadata.items():
            value = values if len(values) > 1 else values[0]
            metadata[name] = self.process_metadata(name, value)
        for field in PLAIN_FIELDS:
            if field in metadata:
                text = " ".join(str(metadata[field]).split())
                metadata[f"{field}_text"] = text
                metadata[field] = html.escape(text, quote=False)
        return content, metadata

    def _settings_key(self) -> str:
        return repr([self.settings.get(name) for name in MEMO_SETTINGS])

    def _convert(self, source_path: str) -> tuple[str, dict[str, list[str]]]:
        """The body as HTML with typography, and the metadata as the strings written."""
        self._md = Markdown(**self.settings["MARKDOWN"])
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        if content and self.settings.get("SITE_TYPOGRIFY"):
            content = typogrify_html(content, self.settings)
        meta = getattr(self._md, "Meta", {})
        return content, {name.lower(): list(values) for name, values in meta.items()}


def use_site_reader(readers) -> None:
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = SiteMarkdownReader


def register() -> None:
    signals.readers_init.connect(use_site_reader)
