"""The pages the site must publish, derived from content/ rather than listed by hand."""

from __future__ import annotations

from pathlib import Path

from plugins.content_rules import iter_markdown_sources, output_path
from plugins.strict_build import load_settings

ROOT = Path(__file__).resolve().parent.parent


def expected_pages() -> list[str]:
    """Output paths of every published Markdown file, plus the home page."""
    settings = load_settings(production=True)
    pages = {"index.html"}
    for source in iter_markdown_sources(ROOT / "content"):
        if source.meta.get("status", (0, ""))[1].lower() != "draft":
            pages.add(output_path(source, settings))
    return sorted(pages)


EXPECTED_PAGES = expected_pages()
# Pages a search engine may list: everything but the 404 page.
PUBLIC_PAGES = [page for page in EXPECTED_PAGES if page != "404.html"]
ARTICLE_PAGE = "ketamine-for-migraine/index.html"
