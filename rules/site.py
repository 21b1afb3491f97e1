"""Rules over the whole site: what no single file shows wrong, but two together do.

Each rule here prevents a problem that the tests would otherwise find only
in the built pages, naming a page instead of a line (tests/test_rule_coverage.py
lists them): two pages with one title, a link to a page that will not be
published (a draft, or an article scheduled for a later day), a link to a
`#fragment` the target does not have, a Modified date in the future or before
Date, a Date years ahead (a slip of the year), an Also_called name that is
another page's title or another article's name, and a Category spelt a letter
or two away from a health topic or another article's topic.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from markdown import Markdown
from pelican.utils import slugify

from rules.body import FILENAME_LINK, Target
from rules.dates import parse_date
from rules.files import check_output, site_outputs
from rules.sources import Lookups, Problem, Source, is_draft
from rules.translations import is_translation, language_of

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


@dataclass
class Summary:
    """One Markdown file as the rules know it after reading it once.

    Everything here follows from the file's bytes and its name alone, so a
    build may keep it (as JSON) and use it again while the bytes stay the same;
    what depends on other files (whether a link's target exists, another
    page's title) is worked out from the summaries on every build.
    """

    source: Source  # path, name, kind and metadata; the body is not kept
    # It passed the reading checks (size, not empty, UTF-8) and takes part in the
    # content rules; a file that did not is still read for its review dates and pictures.
    checked: bool = True
    problems: list[Problem] = field(default_factory=list)  # found in the file alone
    targets: list[Target] = field(default_factory=list)  # to look for on disk
    share_image: tuple[int, str] | None = None
    pictures: list[tuple[int, str]] = field(default_factory=list)  # for picture notes
    filename_links: list[tuple[int, str]] = field(default_factory=list)
    fragment_links: list[tuple[int, str, str]] = field(default_factory=list)
    address_links: list[tuple[int, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        source = self.source
        return {
            "kind": source.kind,
            "meta": source.meta,
            "checked": self.checked,
            "problems": [[p.line, p.message] for p in self.problems],
            "targets": [[t.line, t.address, t.image] for t in self.targets],
            "share_image": self.share_image,
            "pictures": self.pictures,
            "filename_links": self.filename_links,
            "fragment_links": self.fragment_links,
            "address_links": self.address_links,
        }

    @classmethod
    def from_json(cls, value: Mapping, path: Path, rel: str) -> Summary:
        return cls.from_kept(cls.kept(value, rel), path)

    @staticmethod
    def kept(value: Mapping, rel: str) -> KeptSummary:
        """A summary's JSON in a form nobody can change, which a long-lived
        process may hold and hand to every build (`engine.cache.held`)."""
        return KeptSummary(
            rel,
            value["kind"],
            tuple((key, (line, text)) for key, (line, text) in value["meta"].items()),
            value["checked"],
            tuple(Problem(rel, line, message) for line, message in value["problems"]),
            tuple(Target(*target) for target in value["targets"]),
            tuple(value["share_image"]) if value["share_image"] else None,
            tuple(tuple(picture) for picture in value["pictures"]),
            tuple(tuple(link) for link in value["filename_links"]),
            tuple(tuple(link) for link in value["fragment_links"]),
            tuple(tuple(link) for link in value["address_links"]),
        )

    @classmethod
    def from_kept(cls, kept: KeptSummary, path: Path) -> Summary:
        """A summary of its own (lists and metadata the caller may change) from a kept one."""
        return cls(
            Source(path, kept.rel, kept.kind, dict(kept.meta)),
            checked=kept.checked,
            problems=list(kept.problems),
            targets=list(kept.targets),
            share_image=kept.share_image,
            pictures=list(kept.pictures),
            filename_links=list(kept.filename_links),
            fragment_links=list(kept.fragment_links),
            address_links=list(kept.address_links),
        )


class KeptSummary(NamedTuple):
    """`Summary` without its path, as tuples of what cannot change (`Summary.kept`)."""

    rel: str
    kind: str
    meta: tuple[tuple[str, tuple[int, str]], ...]
    checked: bool
    problems: tuple[Problem, ...]
    targets: tuple[Target, ...]
    share_image: tuple[int, str] | None
    pictures: tuple[tuple[int, str], ...]
    filename_links: tuple[tuple[int, str], ...]
    fragment_links: tuple[tuple[int, str, str], ...]
    address_links: tuple[tuple[int, str], ...]


def find_links(summary: Summary, lines: list[tuple[int, str]]) -> None:
    """Fill in the links the rules across files follow, from the body's Markdown lines."""
    for number, line in lines:
        summary.filename_links += [(number, m.group("path")) for m in FILENAME_LINK.finditer(line)]
        summary.fragment_links += [
            (number, m.group("target"), m.group("fragment")) for m in FRAGMENT_LINK.finditer(line)
        ]
        summary.address_links += [(number, m.group("src")) for m in ADDRESS_LINK.finditer(line)]


def _date(source: Source, key: str) -> dt.date | None:
    value = parse_date(source.meta[key][1]) if key in source.meta else None
    return value.date() if value else None


# Scheduling is for the weeks ahead; a Date further off is a slip of the year (2062 for 2026).
FARTHEST_AHEAD = dt.timedelta(days=366)


def is_far_ahead(source: Source, on: dt.date) -> bool:
    """An article whose Date is more than a year after `on`: its year is a typo."""
    published = _date(source, "date")
    return (
        source.kind == "article"
        and not is_draft(source)
        and published is not None
        and published - on > FARTHEST_AHEAD
    )


def is_scheduled(source: Source, on: dt.date) -> bool:
    """An article whose Date is after `on`: production builds do not publish it yet."""
    published = _date(source, "date")
    return source.kind == "article" and published is not None and published > on


def check_site(
    summaries: list[Summary],
    content: Path,
    settings: dict,
    on: dt.date,
    reserved: dict[str, str],
    ids: Callable[[Summary], frozenset[str]],
    lookups: Lookups | None = None,
) -> list[Problem]:
    """Every problem that only shows across files, for the files that were read.

    `ids` gives the ids a page's body has (`IdReader`, or the same kept by the build);
    `lookups` answers for the disk during this run of the rules (default: a fresh one)."""
    lookups = lookups or Lookups()
    return [
        *check_outputs(summaries, settings, reserved),
        *check_addresses(summaries, settings),
        *check_unique_titles(summaries, on),
        *check_also_called_unique(summaries, settings),
        *check_category_spelling(summaries, settings),
        *check_links_to_unpublished(summaries, content, on, lookups),
        *check_fragments(summaries, content, ids, lookups),
        *check_modified_not_in_future(summaries, on),
        *check_date_order(summaries, on),
    ]


def check_outputs(
    summaries: list[Summary], settings: dict, reserved: dict[str, str]
) -> list[Problem]:
    """No two published sources, or a source and the site, write one file; the
    first file (in name order) keeps its address."""
    outputs = site_outputs(settings)
    # A translation is written under /<lang>/ (rules/translations.py checks it).
    found = (
        check_output(s.source, settings, reserved, outputs)
        for s in summaries
        if not is_translation(s.source, settings)
    )
    return [problem for problem in found if problem]


def check_page_structure(source: Source, lines: list[tuple[int, str]]) -> list[Problem]:
    """Raw HTML that would break a page's outline, landmarks, policy or link names
    (`lines`: the body's Markdown lines, outside code)."""
    problems = []
    for number, line in lines:
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


def check_addresses(summaries: list[Summary], settings: dict) -> list[Problem]:
    """A link to an address on this site must lead to a page it builds.

    Articles and pages are linked with {filename} (checked where they are
    written); a typed address is accepted when it is one of the site's lists."""
    known = {"/", "/" + settings.get("INDEX_URL", "")}
    for key in ("ARCHIVES_URL", "CATEGORIES_URL", "TAGS_URL"):
        if settings.get(key):
            known.add("/" + settings[key])
    category_subs, tag_subs = _subs(settings, "CATEGORY"), _subs(settings, "TAG")
    for source in (summary.source for summary in summaries):
        if is_draft(source):
            continue
        if "category" in source.meta and settings.get("CATEGORY_URL"):
            slug = _slugify(source.meta["category"][1].strip(), category_subs)
            known.add("/" + settings["CATEGORY_URL"].format(slug=slug))
        for tag in source.meta.get("tags", (0, ""))[1].split(","):
            if tag.strip() and settings.get("TAG_URL"):
                slug = _slugify(tag.strip(), tag_subs)
                known.add("/" + settings["TAG_URL"].format(slug=slug))
    problems = []
    for summary in summaries:
        for number, src in summary.address_links:
            address = src.split("#")[0].split("?")[0]
            if address in known:
                continue
            problems.append(
                Problem(
                    summary.source.rel,
                    number,
                    f"the link to {src!r} is a typed address the build cannot "
                    "check; link to an article or page with {filename}name.md, to a "
                    "picture with {static}/images/name, or to a list such as /archives/.",
                )
            )
    return problems


def _subs(settings: dict, kind: str) -> tuple[tuple[str, str], ...]:
    """The substitutions Pelican slugifies a category or tag name with, hashable."""
    subs = settings.get(f"{kind}_REGEX_SUBSTITUTIONS") or settings["SLUG_REGEX_SUBSTITUTIONS"]
    return tuple(tuple(sub) for sub in subs)


# A thousand articles name a few dozen topics and tags, each slugified afresh on
# every build; `slugify` is a pure function of its arguments.
@functools.lru_cache(maxsize=4096)
def _slugify(name: str, subs: tuple[tuple[str, str], ...]) -> str:
    """The slug Pelican gives a category or tag `name`."""
    return slugify(name, regex_subs=subs)


def check_unique_titles(summaries: Iterable[Summary], on: dt.date) -> list[Problem]:
    """Two published pages with one title look the same in search results, tabs and lists."""
    seen: dict[str, Source] = {}
    problems = []
    for source in sorted((s.source for s in summaries), key=lambda s: s.rel):
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


def _name_key(name: str) -> str:
    """A title or name as readers tell them apart: capitals and spaces do not count."""
    return " ".join(name.casefold().split())


def check_also_called_unique(summaries: Iterable[Summary], settings: dict) -> list[Problem]:
    """An Also_called name is an A to Z entry of its own: it may not be another page's
    title or another article's Also_called name, or the A to Z lists one name twice,
    leading to two pages. Names are compared within one language (`Lang`)."""
    published = sorted((s.source for s in summaries if not is_draft(s.source)), key=lambda s: s.rel)
    titles = {}
    for source in published:
        if "title" in source.meta:
            key = (language_of(source, settings), _name_key(source.meta["title"][1]))
            titles.setdefault(key, source)
    given: dict[tuple[str, str], Source] = {}
    problems = []
    for source in published:
        if source.kind != "article" or "also_called" not in source.meta:
            continue
        line, value = source.meta["also_called"]
        for name in dict.fromkeys(part.strip() for part in value.split(",") if part.strip()):
            key = (language_of(source, settings), _name_key(name))
            other = titles.get(key)
            if other is not None and other is not source:
                what = "page" if other.kind == "page" else "article"
                problems.append(
                    Problem(
                        source.rel,
                        line,
                        f"Also_called {name!r} is the title of another {what}, "
                        f"{other.rel}; the A to Z would list {name!r} twice, leading to "
                        "two pages. Remove it here: readers find that page under its title.",
                    )
                )
            elif given.get(key, source) is not source:
                problems.append(
                    Problem(
                        source.rel,
                        line,
                        f"Also_called {name!r} is also an Also_called name of "
                        f"{given[key].rel}; the A to Z would list {name!r} twice, leading "
                        "to two articles. Keep it on one of them.",
                    )
                )
            else:
                given.setdefault(key, source)
    return problems


def check_category_spelling(summaries: Iterable[Summary], settings: dict) -> list[Problem]:
    """A Category a letter or two from a health category, or from another topic that as
    many articles or more have, is a misspelling: it would make a second topic, and an
    article outside the health categories has no review dates and no disclaimer. Of two
    spellings, only the one on fewer articles, or else the newer article, is told."""
    health = {name.casefold(): name for name in settings.get("HEALTH_CATEGORIES", [])}
    # A translation's Category is checked against its language's names (rules/translations.py).
    articles = sorted(
        (
            s.source
            for s in summaries
            if s.source.kind == "article"
            and "category" in s.source.meta
            and not is_translation(s.source, settings)
        ),
        key=lambda source: source.rel,
    )
    used: dict[str, list[Source]] = {}
    for source in articles:
        used.setdefault(source.meta["category"][1].strip().casefold(), []).append(source)
    # The spelling more likely meant comes first: more articles, then the oldest article.
    rank = {
        topic: (-len(having), *min((_date(s, "date") or dt.date.max, s.rel) for s in having))
        for topic, having in used.items()
    }

    problems = []
    for source in articles:
        line, name = source.meta["category"]
        key = name.strip().casefold()
        if key in health:
            continue
        meant = _close(key, tuple(health))
        where = ""
        if meant:
            meant = health[meant]
        else:
            others = tuple(other for other in used if other != key and rank[other] < rank[key])
            found = _close(key, others)
            if found:
                first = used[found][0]
                meant, where = first.meta["category"][1].strip(), f" (the topic of {first.rel})"
        if meant:
            note = (
                f", and only {meant} carries review dates and the disclaimer"
                if meant.casefold() in health
                else ""
            )
            problems.append(
                Problem(
                    source.rel,
                    line,
                    f"Category {name!r} is not a topic of this site; did you mean {meant}"
                    f"{where}? Another spelling makes a second topic{note}.",
                )
            )
    return problems


@functools.lru_cache(maxsize=4096)
def _close(name: str, names: tuple[str, ...]) -> str | None:
    """The one of `names` that `name` is a slip away from (one or two letters), or None."""
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.8)
    return found[0] if found else None


def check_links_to_unpublished(
    summaries: list[Summary], content: Path, on: dt.date, lookups: Lookups | None = None
) -> list[Problem]:
    """A published page must not link to a draft or a scheduled article: in
    production the link would go nowhere."""
    lookups = lookups or Lookups()
    waiting = {}
    for source in (summary.source for summary in summaries):
        if is_draft(source):
            waiting[lookups.real(source.path)] = (
                source.rel,
                "a draft",
                "publish that article first",
            )
        elif is_scheduled(source, on) and not is_far_ahead(source, on):
            # (A Date years ahead is reported on its own line, as the one mistake.)
            waiting[lookups.real(source.path)] = (
                source.rel,
                f"scheduled for {_date(source, 'date')}",
                "add the link on or after that day",
            )
    problems = []
    for summary in summaries:
        source = summary.source
        if not waiting or lookups.real(source.path) in waiting:
            continue
        for number, linked in summary.filename_links:
            target = lookups.beside(content, source, linked)
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


def check_fragments(
    summaries: list[Summary],
    content: Path,
    ids: Callable[[Summary], frozenset[str]],
    lookups: Lookups | None = None,
) -> list[Problem]:
    """A `#fragment` link must name an id the target page has: a heading, a
    footnote, an explicit `{#id}`, or one of the theme's."""
    lookups = lookups or Lookups()
    by_path = {lookups.real(summary.source.path): summary for summary in summaries}
    problems = []
    for summary in summaries:
        source = summary.source
        for number, linked, fragment in summary.fragment_links:
            if linked:
                target = by_path.get(lookups.beside(content, source, linked[len("{filename}") :]))
                if target is None:
                    continue  # a missing file is reported by the link rule itself
            else:
                target = summary
            if fragment not in ids(target):
                shown = "this page" if target is summary else target.source.rel
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


class IdReader:
    """The ids of a page's body as the site's own Markdown (`settings["MARKDOWN"]`)
    renders them. The build asks only for pages a fragment link points at (few)."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings["MARKDOWN"]
        self.markdown: Markdown | None = None

    def ids(self, source: Source) -> list[str]:
        """The ids in `source`'s body (besides the theme's), sorted."""
        if self.markdown is None:
            configs = self.settings.get("extension_configs", {})
            self.markdown = Markdown(
                extensions=list(configs),
                extension_configs=configs,
                output_format=self.settings.get("output_format", "html5"),
            )
        body = "\n".join(line for _, line in source.body)
        html = self.markdown.reset().convert(body)
        return sorted({m.group(1) or m.group(2) for m in ID_ATTRIBUTE.finditer(html)})


def check_modified_not_in_future(summaries: Iterable[Summary], on: dt.date) -> list[Problem]:
    """`Updated <date>` must not promise a change that has not happened."""
    problems = []
    for source in (summary.source for summary in summaries):
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


def check_date_order(summaries: Iterable[Summary], on: dt.date) -> list[Problem]:
    """Date is the day an article goes live, at most a year ahead, and Modified is not
    before it. A Date years ahead is a typo in its year, the one mistake: Modified is
    then not said to be earlier."""
    problems = []
    for source in (summary.source for summary in summaries):
        published, modified = _date(source, "date"), _date(source, "modified")
        if is_far_ahead(source, on):
            years = round((published - on).days / 365.25)
            ahead = f"{years} years" if years > 1 else "more than a year"
            problems.append(
                Problem(
                    source.rel,
                    source.meta["date"][0],
                    f"Date {published} is {ahead} from today, so the article would not be "
                    "published until then; check the year (Date is the day it goes live).",
                )
            )
        elif published and modified and modified < published:
            problems.append(
                Problem(
                    source.rel,
                    source.meta["modified"][0],
                    "Modified is earlier than Date; "
                    "Modified is when the article last changed, so it cannot come first.",
                )
            )
    return problems
