"""Keep Title and Summary as the editor wrote them: plain text, never markup.

Pelican treats a title as HTML and runs typogrify over it, so `Fast & "safe" <b>`
would lose its `<b>` as a tag and have its quotes curled. This reader escapes
the two fields before typogrify sees them (the page heading still gets curly
quotes and the `&` styling) and keeps the untouched text as `title_text` and
`summary_text` for `<title>`, the meta description, Open Graph and JSON-LD.
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


def register() -> None:
    signals.readers_init.connect(use_plain_text_reader)
