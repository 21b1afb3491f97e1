"""`sitemap.xml` listing every public page with its last change, and `robots.txt`.

Public means published: the home page, articles and pages. Drafts and hidden
pages (the 404 page) are left out. In production `robots.txt` names the
sitemap; any other build tells crawlers to stay away (its pages also carry
`noindex`).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def last_change(content):
    return getattr(content, "modified", None) or getattr(content, "date", None)


def public_entries(generators, settings: dict) -> list[tuple[str, str]]:
    """`(absolute URL, lastmod)` for every public page, sorted by URL."""
    contents = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            contents.extend(generator.articles)
        elif isinstance(generator, PagesGenerator):
            contents.extend(generator.pages)
    siteurl = settings["SITEURL"]
    entries = []
    for content in contents:
        changed = last_change(content)
        if changed is None:
            raise ValueError(
                f"{content.source_path}: no Date or Modified, so the sitemap cannot say when "
                "it last changed; add `Modified: YYYY-MM-DD`."
            )
        entries.append((f"{siteurl}/{content.url}", changed.isoformat()))
    if entries:
        newest = max(entries, key=lambda entry: entry[1])[1]
        entries.append((f"{siteurl}/", newest))
    return sorted(entries)


def sitemap_xml(entries: list[tuple[str, str]]) -> bytes:
    ET.register_namespace("", NAMESPACE)
    urlset = ET.Element(f"{{{NAMESPACE}}}urlset")
    for location, lastmod in entries:
        url = ET.SubElement(urlset, f"{{{NAMESPACE}}}url")
        ET.SubElement(url, f"{{{NAMESPACE}}}loc").text = location
        ET.SubElement(url, f"{{{NAMESPACE}}}lastmod").text = lastmod
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
