"""The pages the site must publish, derived from content/ rather than listed by hand.

Articles and pages come from their Markdown; the lists (home, archive, topics,
tags, the A to Z, each topic and tag, and their later pages) from
DIRECT_TEMPLATES, the articles' Category and Tags and the pagination settings.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from pelican.urlwrappers import Category, Tag

from commands.build import load_settings
from rules.content import iter_markdown_sources, output_path

ROOT = Path(__file__).resolve().parent.parent


def _pages_of(save_as: str, count: int, per_page: int | None) -> set[str]:
    """`save_as` and, for a long list, `<folder>/page/<n>/index.html` for n ≥ 2."""
    pages = {save_as}
    if per_page and count > per_page:
        folder = str(Path(save_as).parent).removeprefix(".")
        for number in range(2, math.ceil(count / per_page) + 1):
            pages.add(f"{folder}/page/{number}/index.html".lstrip("/"))
    return pages


def expected_pages(content: Path = ROOT / "content", settings: dict | None = None) -> list[str]:
    """Output paths of every published Markdown file and every list of articles."""
    settings = settings or load_settings(production=True)
    per_page = {
        name: size or settings["DEFAULT_PAGINATION"]
        for name, size in settings["PAGINATED_TEMPLATES"].items()
    }
    pages: set[str] = set()
    articles = 0
    categories: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for source in iter_markdown_sources(content):
        status = source.meta.get("status", (0, ""))[1].lower()
        if status == "draft":
            continue
        pages.add(output_path(source, settings))
        if source.kind == "article" and status != "hidden":
            articles += 1
            categories[source.meta["category"][1]] += 1
            for tag in source.meta.get("tags", (0, ""))[1].split(","):
                if tag.strip():
                    tags[tag.strip()] += 1
    for name in settings["DIRECT_TEMPLATES"]:
        save_as = settings[f"{name.upper()}_SAVE_AS"]
        pages |= _pages_of(save_as, articles, per_page.get(name))
    for wrapper, counts in ((Category, categories), (Tag, tags)):
        for name, count in counts.items():
            save_as = wrapper(name, settings).save_as  # Pelican's own slug for the name
            pages |= _pages_of(save_as, count, per_page.get(wrapper.__name__.lower()))
    return sorted(pages)


EXPECTED_PAGES = expected_pages()
# Pages a search engine may list: everything but the 404 page.
PUBLIC_PAGES = [page for page in EXPECTED_PAGES if page != "404.html"]
# The A to Z (plugins/a_to_z.py): one page, every article by its first letter.
A_TO_Z_PAGE = "a-z/index.html"
ARTICLE_PAGE = "ketamine-for-migraine/index.html"
# The article's Markdown, as the build's messages name it.
ARTICLE_SOURCE = "content/ketamine-for-migraine.md"
