"""`sitemap.xml` listing every public page with its last change, and `robots.txt`.

Public means published: articles, pages, and every page of every list of
articles (home, archive, topics, tags, the A to Z, and another language's A to
Z where it has translations). Drafts and hidden pages (the 404
page) are left out. In production `robots.txt` names the
sitemap; any other build tells crawlers to stay away (its pages also carry
`noindex`).

A page with translations (plugins/languages.py) names every version of itself,
its own included, in `xhtml:link rel="alternate" hreflang` elements, as Google
documents; with no translation the sitemap has none, nor their namespace.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from plugins.a_to_z import language_lists

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
# (hreflang, absolute URL) of every version of a page; empty without translations.
Alternates = tuple[tuple[str, str], ...]


def last_change(content):
    return getattr(content, "modified", None) or getattr(content, "date", None)


def list_pages(generator: ArticlesGenerator, settings: dict):
    """`(URL path, articles on that page)` for every page of every list of articles."""
    from pelican.paginator import Paginator

    sizes = settings.get("PAGINATED_TEMPLATES", {})
    lists = [
        (name, settings[f"{name.upper()}_SAVE_AS"], settings[f"{name.upper()}_URL"], articles)
        for name, articles in (
            ("index", generator.articles),
            ("archives", generator.dates),
            ("categories", generator.articles),
            ("tags", generator.articles),
            ("a_to_z", generator.articles),
        )
        if name in settings["DIRECT_TEMPLATES"] and settings.get(f"{name.upper()}_SAVE_AS")
    ]
    # Each other language's A to Z, where it has translations (plugins/a_to_z.py).
    lists += [
        ("a_to_z", save_as, url, listed) for _, save_as, url, listed in language_lists(generator)
    ]
    # Pelican keeps categories as (category, articles) pairs and tags as a dict.
    for kind, groups in (("category", generator.categories), ("tag", generator.tags.items())):
        if settings.get(f"{kind.upper()}_SAVE_AS"):
            lists += [(kind, term.save_as, term.url, articles) for term, articles in groups]
    for name, save_as, url, articles in lists:
        per_page = None
        if name in sizes:
            per_page = sizes[name] or settings["DEFAULT_PAGINATION"]
        paginator = Paginator(save_as, url, articles, settings, per_page)
        for number in paginator.page_range:
            page = paginator.page(number)
            # The topic and tag indexes list every article's terms, not a page of articles.
            yield page.url, page.object_list if name in sizes else articles


def alternates(content, siteurl: str) -> Alternates:
    """Every version of `content` with its language, and the default one as x-default."""
    translations = getattr(content, "translations", None)
    if not translations:
        return ()
    versions = sorted([content, *translations], key=lambda version: version.lang)
    found = [(version.lang, f"{siteurl}/{version.url}") for version in versions]
    found += [("x-default", f"{siteurl}/{v.url}") for v in versions if v.in_default_lang]
    return tuple(found)


def public_entries(generators, settings: dict) -> list[tuple[str, str, Alternates]]:
    """`(absolute URL, lastmod, alternates)` for every public page, sorted by URL.

    A list of articles last changed when the newest article on it did.
    """
    contents = []
    articles_generator = None
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            contents.extend(generator.articles)
            contents.extend(generator.translations)
            articles_generator = generator
        elif isinstance(generator, PagesGenerator):
            contents.extend(generator.pages)
            contents.extend(generator.translations)
    siteurl = settings["SITEURL"]
    entries = []
    changes = []
    for content in contents:
        changed = last_change(content)
        if changed is None:
            raise ValueError(
                f"{content.source_path}: no Date or Modified, so the sitemap cannot say when "
                "it last changed; add `Modified: YYYY-MM-DD`."
            )
        changes.append(changed)
        entries.append(
            (f"{siteurl}/{content.url}", changed.isoformat(), alternates(content, siteurl))
        )
    if articles_generator is not None and changes:
        for url, listed in list_pages(articles_generator, settings):
            # An empty list (a site with no articles yet) changed with the site.
            newest = max((last_change(article) for article in listed), default=max(changes))
            entries.append((f"{siteurl}/{url}", newest.isoformat(), ()))
    return sorted(set(entries))


def sitemap_xml(entries: list[tuple[str, str, Alternates]]) -> bytes:
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{NAMESPACE}}}urlset")
    for location, lastmod, versions in entries:
        url = ET.SubElement(urlset, f"{{{NAMESPACE}}}url")
        ET.SubElement(url, f"{{{NAMESPACE}}}loc").text = location
        ET.SubElement(url, f"{{{NAMESPACE}}}lastmod").text = lastmod
        for lang, href in versions:
            attributes = {"rel": "alternate", "hreflang": lang, "href": href}
            ET.SubElement(url, f"{{{XHTML}}}link", attributes)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(settings: dict) -> str:
    if settings.get("PRODUCTION"):
        return f"User-agent: *\nAllow: /\n\nSitemap: {settings['SITEURL']}/sitemap.xml\n"
    return "# Not the public site: keep crawlers out.\nUser-agent: *\nDisallow: /\n"


def write_files(generators) -> None:
    settings = generators[0].settings
    output = Path(settings["OUTPUT_PATH"])
    output.mkdir(parents=True, exist_ok=True)
    (output / "sitemap.xml").write_bytes(sitemap_xml(public_entries(generators, settings)))
    (output / "robots.txt").write_text(robots_txt(settings), encoding="utf-8")


def register() -> None:
    signals.all_generators_finalized.connect(write_files)
