"""JSON-LD for search engines, built with json.dumps and never by string interpolation.

Templates call `structured_data(article, crumbs=...)`,
`structured_data(page, crumbs=...)`, `structured_data()` (the home page) or
`structured_data(crumbs=...)` (a list of articles: a `CollectionPage`). The
crumbs are the (name, URL) pairs the page's visible breadcrumbs show, so the
two trails can never differ. A health article describes itself as a
schema.org `MedicalWebPage` (with `lastReviewed`, `reviewedBy`, `about` the
condition and `mentions` the drugs, from its metadata), plus the `Article`
and `BreadcrumbList` that Google documents. Every date is ISO 8601 with its
time zone.

The JSON goes inside a `<script>` element, where the HTML parser does not
decode entities, so it cannot be HTML-escaped. Instead `<`, `>` and `&` are
written as JSON unicode escapes: no value can close the element early.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pelican import signals


def absolute(settings: dict, url: str) -> str:
    return f"{settings['SITEURL']}/{url}"


def _as_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value]


def breadcrumb_list(items: list[tuple[str, str]]) -> dict:
    """A BreadcrumbList from (name, absolute URL) pairs, Home first."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def organisation(settings: dict) -> dict:
    return {"@type": "Organization", "name": settings["SITENAME"], "url": absolute(settings, "")}


def article_graph(settings: dict, article, crumbs: list[tuple[str, str]]) -> list[dict]:
    url = absolute(settings, article.url)
    published = article.date.isoformat()
    modified = getattr(article, "modified", None) or article.date
    authors = [
        {"@type": "Organization" if a.name == settings["SITENAME"] else "Person", "name": a.name}
        for a in getattr(article, "authors", [])
    ]
    webpage = {
        "@type": "MedicalWebPage",
        "@id": f"{url}#webpage",
        "url": url,
        "name": article.title_text,
        "description": article.summary_text,
        "inLanguage": article.lang,
        "datePublished": published,
        "dateModified": modified.isoformat(),
        "isPartOf": {
            "@type": "WebSite",
            "name": settings["SITENAME"],
            "url": absolute(settings, ""),
        },
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
    }
    if getattr(article, "reviewed", None):
        webpage["lastReviewed"] = article.reviewed.isoformat()
    if getattr(article, "reviewer", None):
        webpage["reviewedBy"] = {"@type": "Person", "name": article.reviewer}
    if getattr(article, "about", None):
        webpage["about"] = {"@type": "MedicalCondition", "name": article.about}
    mentions = _as_list(getattr(article, "mentions", None))
    if mentions:
        webpage["mentions"] = [{"@type": "Drug", "name": name} for name in mentions]
    schema_article = {
        "@type": "Article",
        "@id": f"{url}#article",
        "headline": article.title_text,
        "description": article.summary_text,
        "datePublished": published,
        "dateModified": modified.isoformat(),
        "author": authors or [organisation(settings)],
        "publisher": organisation(settings),
        "mainEntityOfPage": {"@id": f"{url}#webpage"},
        "inLanguage": article.lang,
    }
    card = getattr(article, "share_card", None)
    if card:
        # The same file as og:image (plugins/share_cards.py).
        schema_article["image"] = {
            "@type": "ImageObject",
            "url": absolute(settings, card.path),
            "width": card.width,
            "height": card.height,
        }
    minutes = getattr(article, "reading_minutes", None)
    if minutes:
        schema_article["timeRequired"] = f"PT{minutes}M"
    return [webpage, schema_article, {**breadcrumb_list(crumbs), "@id": f"{url}#breadcrumb"}]


def page_graph(settings: dict, page, crumbs: list[tuple[str, str]]) -> list[dict]:
    url = absolute(settings, page.url)
    return [
        {
            "@type": "WebPage",
            "@id": f"{url}#webpage",
            "url": url,
            "name": page.title_text,
            "description": page.summary_text,
            "inLanguage": page.lang,
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
        },
        {**breadcrumb_list(crumbs), "@id": f"{url}#breadcrumb"},
    ]


def site_graph(settings: dict) -> list[dict]:
    return [
        {
            "@type": "WebSite",
            "name": settings["SITENAME"],
            "url": absolute(settings, ""),
            "description": settings["SITE_DESCRIPTION"],
            "inLanguage": settings["DEFAULT_LANG"],
            "publisher": organisation(settings),
        }
    ]


def collection_graph(settings: dict, crumbs: list[tuple[str, str]], lang: str) -> list[dict]:
    """A list of articles (an archive, topic or tag page) in `lang`: `crumbs` are the
    (name, absolute URL) pairs from Home to this page, as its breadcrumbs show."""
    name, url = crumbs[-1]
    return [
        {
            "@type": "CollectionPage",
            "@id": f"{url}#webpage",
            "url": url,
            "name": name,
            "inLanguage": lang,
            "isPartOf": {
                "@type": "WebSite",
                "name": settings["SITENAME"],
                "url": absolute(settings, ""),
            },
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
        },
        {**breadcrumb_list(crumbs), "@id": f"{url}#breadcrumb"},
    ]


@dataclass(frozen=True)
class JsonLd:
    """A JSON-LD block: its exact text (which the meta CSP hashes) and its element."""

    text: str

    def __html__(self) -> str:
        return f'<script type="application/ld+json">{self.text}</script>'


def to_script(data: dict) -> JsonLd:
    """JSON-LD that no value can break out of: `<`, `>` and `&` become unicode escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # No newline just inside the element: browsers hash the text exactly, but
    # the Nu Html Checker trims it first, and the two must agree on the hash.
    return JsonLd(text)


def make_structured_data(settings: dict):
    def structured_data(content=None, *, crumbs=None, lang=None) -> JsonLd:
        """`crumbs`: the (name, URL) pairs the page's breadcrumbs show, Home first;
        `lang`: a list's language (another language's A to Z), else DEFAULT_LANG."""
        if content is None and crumbs is None:
            graph = site_graph(settings)
        elif content is None:
            graph = collection_graph(settings, list(crumbs), lang or settings["DEFAULT_LANG"])
        elif type(content).__name__ == "Article":
            graph = article_graph(settings, content, list(crumbs))
        else:
            graph = page_graph(settings, content, list(crumbs))
        return to_script({"@context": "https://schema.org", "@graph": graph})

    return structured_data


def add_template_global(generator) -> None:
    generator.env.globals["structured_data"] = make_structured_data(generator.settings)


def register() -> None:
    signals.generator_init.connect(add_template_global)
