"""The pages a build must publish, derived from a content folder rather than listed by hand.

Articles and pages come from their Markdown; the lists (home, archive, topics,
tags, the A to Z, each topic and tag, and their later pages) and the search
page from DIRECT_TEMPLATES, the articles' Category and Tags and the pagination settings.
A production build leaves out drafts and the articles dated after the site's
today (`plugins/scheduling.py`), so the expectation does too.

The module-level names describe the real `content/`: the rules every page must
meet are checked on whatever it holds. No test names one of its articles.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pelican.urlwrappers import Category, Tag

from commands.build import load_settings
from rules.clock import today
from rules.dates import parse_date
from rules.files import output_path
from rules.sources import iter_markdown_sources

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Published:
    """What a production build publishes from one content folder."""

    pages: list[str]  # every output page, lists included
    articles: list[str]  # the listed articles' pages, newest first
    health_articles: list[str]  # those in a HEALTH_CATEGORIES topic
    every_article: frozenset[str]  # every article's page, hidden ones included


def _pages_of(save_as: str, count: int, per_page: int | None) -> set[str]:
    """`save_as` and, for a long list, `<folder>/page/<n>/index.html` for n ≥ 2."""
    pages = {save_as}
    if per_page and count > per_page:
        folder = str(Path(save_as).parent).removeprefix(".")
        for number in range(2, math.ceil(count / per_page) + 1):
            pages.add(f"{folder}/page/{number}/index.html".lstrip("/"))
    return pages


def published(content: Path = ROOT / "content", settings: dict | None = None) -> Published:
    """What a production build of `content` writes, read from its sources."""
    settings = settings or load_settings(production=True)
    per_page = {
        name: size or settings["DEFAULT_PAGINATION"]
        for name, size in settings["PAGINATED_TEMPLATES"].items()
    }
    day = today(settings)
    pages: set[str] = set()
    articles: list[tuple[str, str]] = []
    health: list[str] = []
    every_article: set[str] = set()
    categories: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for source in iter_markdown_sources(content):
        status = source.meta.get("status", (0, ""))[1].lower()
        if status == "draft":
            continue
        if source.kind == "article":
            date = parse_date(source.meta["date"][1])
            if date and date.date() > day:
                continue  # scheduled: published on its day
        page = output_path(source, settings)
        pages.add(page)
        if source.kind == "article":
            every_article.add(page)
        if source.kind == "article" and status != "hidden":
            category = source.meta["category"][1]
            articles.append((source.meta["date"][1], page))
            if category in settings["HEALTH_CATEGORIES"]:
                health.append(page)
            categories[category] += 1
            for tag in source.meta.get("tags", (0, ""))[1].split(","):
                if tag.strip():
                    tags[tag.strip()] += 1
    for name in settings["DIRECT_TEMPLATES"]:
        save_as = settings[f"{name.upper()}_SAVE_AS"]
        pages |= _pages_of(save_as, len(articles), per_page.get(name))
    for wrapper, counts in ((Category, categories), (Tag, tags)):
        for name, count in counts.items():
            save_as = wrapper(name, settings).save_as  # Pelican's own slug for the name
            pages |= _pages_of(save_as, count, per_page.get(wrapper.__name__.lower()))
    newest_first = [page for _, page in sorted(articles, reverse=True)]
    return Published(sorted(pages), newest_first, sorted(health), frozenset(every_article))


def expected_pages(content: Path = ROOT / "content", settings: dict | None = None) -> list[str]:
    """Output paths of every published Markdown file and every list of articles."""
    return published(content, settings).pages


def unlisted_pages(settings: dict | None = None) -> frozenset[str]:
    """Pages built but never listed by a search engine (`noindex`, not in the
    sitemap, no structured data): the 404 page, served at any address, and the
    search page, whose results are not a place in the site."""
    settings = settings or load_settings(production=True)
    return frozenset({"404.html", settings["SEARCH_SAVE_AS"]})


PUBLISHED = published()
EXPECTED_PAGES = PUBLISHED.pages
# Pages a search engine may list: everything but the unlisted pages.
PUBLIC_PAGES = [page for page in EXPECTED_PAGES if page not in unlisted_pages()]
# Pages a reader may share, with a canonical address, Open Graph and a share
# card: everything but the 404 page, which is no place of its own.
SHARED_PAGES = [page for page in EXPECTED_PAGES if page != "404.html"]
# Every listed article's page, newest first, and those that carry review dates.
ARTICLE_PAGES = PUBLISHED.articles
HEALTH_ARTICLE_PAGES = PUBLISHED.health_articles
EVERY_ARTICLE_PAGE = PUBLISHED.every_article
# The A to Z (plugins/a_to_z.py): one page, every article by its first letter.
A_TO_Z_PAGE = "a-z/index.html"
