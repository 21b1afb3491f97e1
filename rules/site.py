"""Rules over the whole site: what no single file shows wrong, but two together do.

Each rule here prevents a problem that the tests would otherwise find only
in the built pages, naming a page instead of a line (tests/test_rule_coverage.py
lists them): two pages with one title, a link to a page that will not be
published (a draft, or an article scheduled for a later day), a link to a
`#fragment` the target does not have, and a Modified date in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from markdown import Markdown
from pelican.utils import slugify

from rules.content import (
    FILENAME_LINK,
    Problem,
    Source,
    is_draft,
    markdown_lines,
    parse_date,
    resolve_link,
)

# Ids every page has from the theme, whatever its Markdown: a link may use them.
THEME_IDS = frozenset({"main-content"})
# `(#fragment)` and `(<{filename}x.md#fragment>)` link targets in Markdown.
FRAGMENT_LINK = re.compile(
    r"\]\(\s*<?(?P<target>(?:\{filename\}[^)#\s\"'>]*)?)#(?P<fragment>[^)\s\"'>]+)>?"
)
ID_ATTRIBUTE = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")
# Raw HTML that would break what the theme guarantees on every page.
STRUCTURE_TAG = re.compile(r"<\s*(h[1-6]|main|header|footer|nav|style)\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
EMPTY_LINK = re.compile(r"(?<!!)\[\s*\]\((?P<src>[^)\s]*)")
# `[text](address)` where the address is on this site but not written with {filename}.
ADDRESS_LINK = re.compile(r"(?<!!)\]\(\s*<?(?P<src>(?:/|\.\./|\./)[^)\s>]*)")


def _date(source: Source, key: str) -> dt.date | None:
    value = parse_date(source.meta[key][1]) if key in source.meta else None
    return value.date() if value else None


def is_scheduled(source: Source, on: dt.date) -> bool:
    """An article whose Date is after `on`: production builds do not publish it yet."""
    published = _date(source, "date")
    return source.kind == "article" and published is not None and published > on


def check_site(sources: list[Source], content: Path, settings: dict, on: dt.date) -> list[Problem]:
    """Every problem that only shows across files, for the sources that parsed."""
    return [
        *check_page_structure(sources),
        *check_addresses(sources, settings),
        *check_unique_titles(sources, on),
        *check_links_to_unpublished(sources, content, on),
        *check_fragments(sources, content, settings),
        *check_modified_not_in_future(sources, on),
    ]


def check_page_structure(sources: Iterable[Source]) -> list[Problem]:
    """Raw HTML that would break a page's outline, landmarks, policy or link names."""
    problems = []
    for source in sources:
        for number, line in markdown_lines(source.body):
            for tag in STRUCTURE_TAG.finditer(line):
                name = tag.group(1).lower()
                if name == "style":
                    message = (
                        "a <style> element is blocked by the site's security policy; "
                        "use a component (docs/editing.md) or ask a maintainer."
                    )
                elif name.startswith("h"):
                    message = (
                        f"a raw <{name}> heading escapes the outline checks; write it in "
                        f"Markdown (`{'#' * max(2, int(name[1]))} Heading`)."
                    )
                else:
                    message = (
                        f"a raw <{name}> would give the page a second {name} region; the "
                        "theme draws it. Remove the tag and keep its text."
                    )
                problems.append(Problem(source.rel, number, message))
            if STYLE_ATTRIBUTE.search(line):
                problems.append(
                    Problem(
                        source.rel,
                        number,
                        "a style= attribute is blocked by the site's security policy; remove "
                        "it (the theme styles every element) or use a component.",
                    )
                )
            for link in EMPTY_LINK.finditer(line):
                problems.append(
                    Problem(
                        source.rel,
                        number,
                        f"the link to {link.group('src')!r} has no text, so a screen reader "
                        "can only read out its address; write what it leads to in the brackets.",
                    )
                )
    return problems


def check_addresses(sources: list[Source], settings: dict) -> list[Problem]:
    """A link to an address on this site must lead to a page it builds.

    Articles and pages are linked with {filename} (checked where they are
    written); a typed address is accepted when it is one of the site's lists."""
    known = {"/", "/" + settings.get("INDEX_URL", "")}
    for key in ("ARCHIVES_URL", "CATEGORIES_URL", "TAGS_URL"):
        if settings.get(key):
            known.add("/" + settings[key])
    for source in sources:
        if is_draft(source):
            continue
        if "category" in source.meta and settings.get("CATEGORY_URL"):
            slug = _slug(source.meta["category"][1], settings, "CATEGORY")
            known.add("/" + settings["CATEGORY_URL"].format(slug=slug))
        for tag in source.meta.get("tags", (0, ""))[1].split(","):
            if tag.strip() and settings.get("TAG_URL"):
                known.add("/" + settings["TAG_URL"].format(slug=_slug(tag, settings, "TAG")))
    problems = []
    for source in sources:
        for number, line in markdown_lines(source.body):
            for link in ADDRESS_LINK.finditer(line):
                address = link.group("src").split("#")[0].split("?")[0]
                if address in known:
                    continue
                problems.append(
                    Problem(
                        source.rel,
                        number,
                        f"the link to {link.group('src')!r} is a typed address the build cannot "
                        "check; link to an article or page with {filename}name.md, to a "
                        "picture with {static}/images/name, or to a list such as /archives/.",
                    )
                )
    return problems


def _slug(name: str, settings: dict, kind: str) -> str:
    """The slug Pelican gives a category or tag name, by the same settings."""
    subs = settings.get(f"{kind}_REGEX_SUBSTITUTIONS") or settings["SLUG_REGEX_SUBSTITUTIONS"]
    return slugify(name.strip(), regex_subs=subs)


def check_unique_titles(sources: Iterable[Source], on: dt.date) -> list[Problem]:
    """Two published pages with one title look the same in search results, tabs and lists."""
    seen: dict[str, Source] = {}
    problems = []
    for source in sorted(sources, key=lambda s: s.rel):
        if is_draft(source) or "title" not in source.meta:
            continue
        key = " ".join(source.meta["title"][1].casefold().split())
        if key in seen:
            first = seen[key]
            when = " (scheduled)" if is_scheduled(source, on) else ""
            problems.append(
                Problem(
                    source.rel,
                    source.meta["title"][0],
                    f"the title {source.meta['title'][1]!r}{when} is also the title of "
                    f"{first.rel}; readers tell pages apart by their titles in search "
                    "results and tabs. Give one of them another title.",
                )
            )
        else:
            seen[key] = source
    return problems


def check_links_to_unpublished(sources: list[Source], content: Path, on: dt.date) -> list[Problem]:
    """A published page must not link to a draft or a scheduled article: in
    production the link would go nowhere."""
    waiting = {}
    for source in sources:
        if is_draft(source):
            waiting[source.path.resolve()] = (source.rel, "a draft", "publish that article first")
        elif is_scheduled(source, on):
            waiting[source.path.resolve()] = (
                source.rel,
                f"scheduled for {_date(source, 'date')}",
                "add the link on or after that day",
            )
    problems = []
    for source in sources:
        if not waiting or source.path.resolve() in waiting:
            continue
        for number, line in markdown_lines(source.body):
            for link in FILENAME_LINK.finditer(line):
                target = resolve_link(source, content, link.group("path"))
                if target in waiting:
                    rel, state, fix = waiting[target]
                    problems.append(
                        Problem(
                            source.rel,
                            number,
                            f"links to {rel}, which is {state}, so the published page would "
                            f"link nowhere; {fix}, or remove the link for now.",
                        )
                    )
    return problems


def check_fragments(sources: list[Source], content: Path, settings: dict) -> list[Problem]:
    """A `#fragment` link must name an id the target page has: a heading, a
    footnote, an explicit `{#id}`, or one of the theme's."""
    by_path = {source.path.resolve(): source for source in sources}
    ids = _IdReader(settings)
    problems = []
    for source in sources:
        for number, line in markdown_lines(source.body):
            for link in FRAGMENT_LINK.finditer(line):
                linked = link.group("target")
                if linked:
                    target = by_path.get(resolve_link(source, content, linked[len("{filename}") :]))
                    if target is None:
                        continue  # a missing file is reported by the link rule itself
                else:
                    target = source
                fragment = link.group("fragment")
                if fragment not in ids.of(target):
                    shown = "this page" if target is source else target.rel
                    problems.append(
                        Problem(
                            source.rel,
                            number,
                            f"the link to #{fragment} finds no such place on {shown}; "
                            "use the id of a heading there (its words in lower case, joined "
                            "by hyphens: `## Side effects` is #side-effects).",
                        )
                    )
    return problems


class _IdReader:
    """The ids of a page's body as the site's own Markdown renders it.

    Rendered only for pages that a fragment link points at (few), once each."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings["MARKDOWN"]
        self.markdown: Markdown | None = None
        self.found: dict[Path, frozenset[str]] = {}

    def of(self, source: Source) -> frozenset[str]:
        if source.path not in self.found:
            if self.markdown is None:
                configs = self.settings.get("extension_configs", {})
                self.markdown = Markdown(
                    extensions=list(configs),
                    extension_configs=configs,
                    output_format=self.settings.get("output_format", "html5"),
                )
            body = "\n".join(line for _, line in source.body)
            html = self.markdown.reset().convert(body)
            found = {m.group(1) or m.group(2) for m in ID_ATTRIBUTE.finditer(html)}
            self.found[source.path] = THEME_IDS | found
        return self.found[source.path]


def check_modified_not_in_future(sources: Iterable[Source], on: dt.date) -> list[Problem]:
    """`Updated <date>` must not promise a change that has not happened."""
    problems = []
    for source in sources:
        modified = _date(source, "modified")
        if modified and modified > on and not is_draft(source):
            published = _date(source, "date")
            if published and published >= modified:
                continue  # a scheduled article updated before its day: Date says when
            problems.append(
                Problem(
                    source.rel,
                    source.meta["modified"][0],
                    f"Modified {modified} is in the future; use the date of the last "
                    "change (today at the latest).",
                )
            )
    return problems
