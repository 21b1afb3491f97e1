"""Keep Title and Summary as the editor wrote them: plain text, never markup.

Pelican treats a title as HTML and runs typogrify over it, so `Fast & "safe" <b>`
would lose its `<b>` as a tag and have its quotes curled. This reader escapes
the two fields before typogrify sees them, keeps the untouched text as
`title_text` and `summary_text` (what the theme shows in headings, `<title>`,
the meta description, Open Graph and JSON-LD), and sets `title` back to the
escaped plain text for Pelican's own uses such as the feed.
"""

from __future__ import annotations

import html

from pelican import signals
from pelican.readers import MarkdownReader

PLAIN_FIELDS = ("title", "summary")


class PlainTextMarkdownReader(MarkdownReader):
    """Markdown reader whose Title and Summary are plain text."""

    def read(self, source_path: str) -> tuple[str, dict]:
        content, metadata = super().read(source_path)
        for field in PLAIN_FIELDS:
            if field in metadata:
                text = " ".join(str(metadata[field]).split())
                metadata[f"{field}_text"] = text
                metadata[field] = html.escape(text, quote=False)
        return content, metadata


def use_plain_text_reader(readers) -> None:
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = PlainTextMarkdownReader


def undo_typography_in_title(content) -> None:
    """Feeds use `title` as escaped text: give them the editor's words, not
    typogrify's no-break spaces and spans."""
    if hasattr(content, "title_text"):
        content.title = html.escape(content.title_text, quote=False)


def register() -> None:
    signals.readers_init.connect(use_plain_text_reader)
    signals.content_object_init.connect(undo_typography_in_title)
