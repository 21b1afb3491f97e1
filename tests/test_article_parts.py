"""plugins/article_parts.py: the body split around the contents list and References."""

from __future__ import annotations

import markdown

from plugins.article_parts import article_parts
from plugins.references import restructure_footnotes


def test_the_body_splits_around_the_contents_list_and_references_and_joins_back_whole():
    body = restructure_footnotes(
        markdown.markdown(
            "Opening.[^a]\n\n<div><h2>In a box</h2></div>\n\n## First\n\nText.\n\n"
            "## Second\n\n[^a]: A source.",
            extensions=["extra"],
        )
    )
    opening, sections, references = article_parts(body)
    assert opening + sections + references == body
    assert "In a box" in opening  # a nested h2 is not where the sections start
    assert sections.startswith("<h2>First</h2>")
    assert references.startswith("<section") and "A source." in references
    assert article_parts("<p>Only text.</p>") == ("<p>Only text.</p>", "", "")
