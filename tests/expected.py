"""The pages the site must publish, derived from content/ rather than listed by hand."""

from __future__ import annotations

from pathlib import Path

from plugins.content_rules import output_path, parse_source
from plugins.strict_build import load_settings

ROOT = Path(__file__).resolve().parent.parent


def expected_pages() -> list[str]:
    """Output paths of every published Markdown file, plus the home page."""
    settings = load_settings(production=True)
    content = ROOT / "content"
    pages = {"index.html"}
    for path in sorted(content.rglob("*.md")):
        kind = "page" if path.relative_to(content).parts[0] == "pages" else "article"
        source, _ = parse_source(path, path.name, kind, path.read_text(encoding="utf-8"))
        if source.meta.get("status", (0, ""))[1].lower() != "draft":
            pages.add(output_path(source, settings))
    return sorted(pages)


EXPECTED_PAGES = expected_pages()
ARTICLE_PAGE = "ketamine-for-migraine/index.html"
