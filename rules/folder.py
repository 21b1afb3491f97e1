"""The content rules over the whole folder: each file read once, then the rules across files.

`check_folder` walks content/ in name order and, for each Markdown file, makes
its `Summary` (rules/site.py): the problems the file has on its own and what
the rules across files need of it, all from one parse of its lines. A summary
follows from the file's bytes and name alone, so the caller may keep it
between builds (`cached`, engine/cache.py in `commands.build`). What
depends on other files is worked out from the summaries on every build: that
a linked file or picture exists and can be published, Share_image sizes,
clashing addresses, titles, links to drafts, scheduled articles and fragments,
Modified dates against today. The ids a fragment link needs come from the
site's own Markdown, for linked pages only, and may be kept the same way.

With or without what was kept, the list of problems is the same, text, lines
and order (tests/test_rules_cache.py). The review dates (rules/reviews.py) are
checked over the same summaries (`folder_reviews`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rules.body import check_body, check_target
from rules.clock import today
from rules.files import check_file_type, check_readable, reserved_folders
from rules.metadata import check_metadata
from rules.photo_metadata import check_private_metadata
from rules.pictures import check_share_image, picture_links, picture_notes
from rules.reviews import check_reviews
from rules.search_words import check_search_words, is_words_file
from rules.site import THEME_IDS, IdReader, Summary, check_page_structure, check_site, find_links
from rules.sources import (
    Cached,
    Lookups,
    Problem,
    Source,
    compute,
    content_entries,
    markdown_lines,
    parse_source,
)
from rules.translations import check_catalogues, check_translations

SUMMARY_STEP = "rules-summary"
IDS_STEP = "rules-ids"


def summarize(path: Path, rel: str, kind: str, raw: bytes, *, published: bool = True) -> Summary:
    """The summary of one Markdown file from its bytes.

    A file the rules cannot read (too large, empty, not UTF-8) gets the one
    problem that says so; one that is still UTF-8 text is parsed anyway,
    because the review-date rules and picture notes read every Markdown file,
    even one in images/ or extra/ that is never published (`published=False`:
    no rules of its own, its folder's rule says what is wrong).
    """
    unreadable = check_readable(rel, raw) if published else None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems = [unreadable] if unreadable else []
        return Summary(Source(path, rel, kind), checked=False, problems=problems)
    source, problems = parse_source(path, rel, kind, text.lstrip("\ufeff"))
    summary = Summary(source, pictures=picture_links(source))
    if unreadable or not published:
        summary.checked, summary.problems = False, [unreadable] if unreadable else []
        return summary
    lines = list(markdown_lines(source.body))
    problems.extend(check_metadata(source))  # Share_image is looked for on disk later
    if "share_image" in source.meta:
        summary.share_image = source.meta["share_image"]
    problems.extend(check_body(source, summary.targets))
    problems.extend(check_page_structure(source, lines))
    find_links(summary, lines)
    summary.problems = problems
    return summary


@dataclass
class Folder:
    """content/ as the rules read it: problems with files that are not Markdown,
    and a summary of every Markdown file, in name order."""

    content: Path
    problems: list[Problem] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    data: dict[str, bytes] = field(default_factory=dict)  # each summary's bytes, by name
    # The disk as the rules after reading see it, asked once per path: made
    # with the folder, so it lives for one build (one preflight) only.
    lookups: Lookups = field(default_factory=Lookups)

    @property
    def sources(self) -> list[Source]:
        """Every Markdown file (metadata only; empty for one that is not text),
        for the review-date rules."""
        return [summary.source for summary in self.summaries]


def read_folder(content: Path, cached: Cached = compute) -> Folder:
    """Walk `content` and summarize each Markdown file (`cached` may keep them)."""
    folder = Folder(content)
    if not content.is_dir():
        return folder  # check_folder says so
    # rules.sources.relative_name and kind_of, without a new Path per file.
    prefix = f"{content.name}/" if content.name else ""
    for path, parts, link in content_entries(content):
        rel = prefix + "/".join(parts)
        if not link and is_words_file(rel):
            continue  # the other words people use: rules/search_words.py reads it
        found = check_file_type(path, rel, parts, link)
        if found is not None:
            folder.problems.extend(found)
            if not link and not any(p.startswith(".") for p in parts):
                folder.problems.extend(check_private_metadata(path, rel))
            # A Markdown file in images/ or extra/ is never published, but the
            # review dates and picture notes have always read it.
            if link or path.suffix.lower() != ".md" or any(p.startswith(".") for p in parts):
                continue
        raw = read_bytes(path)
        kind = "page" if parts[0] == "pages" else "article"
        published = found is None
        key = f"{rel}\0{kind}\0{published}\0{hashlib.sha256(raw).hexdigest()}"
        made: list[Summary] = []
        work = functools.partial(_summary_json, made, path, rel, kind, raw, published)
        kept = cached(SUMMARY_STEP, key, work, functools.partial(Summary.kept, rel=rel))
        # A summary made now is used as made; only a kept one is read back from
        # JSON, so a test comparing the two compares the round trip as well.
        folder.summaries.append(made[0] if made else Summary.from_kept(kept, path))
        folder.data[rel] = raw
    return folder


def read_bytes(path: Path) -> bytes:
    """`path.read_bytes()` in half the time: a thousand files are read on every
    build, and the file object's buffering is of no use to a whole-file read."""
    handle = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(handle, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(handle)
    return b"".join(chunks)


def _summary_json(
    made: list[Summary], path: Path, rel: str, kind: str, raw: bytes, published: bool
) -> dict:
    made.append(summarize(path, rel, kind, raw, published=published))
    return made[0].to_json()


def check_folder(
    folder: Folder,
    settings: dict,
    reserved: dict[str, str] | None = None,
    on: dt.date | None = None,
    cached: Cached = compute,
) -> list[Problem]:
    """Every problem in the content folder, sorted by file and line.

    `reserved` names the folders no slug may take (default: those of
    `settings`; the build passes those of development and production both).
    `on` is the site's today (default: rules.clock.today).
    """
    content = folder.content
    if not content.is_dir():
        return [Problem(str(content), 0, "the content folder does not exist.")]
    reserved = reserved if reserved is not None else reserved_folders(settings)
    problems = list(folder.problems)
    checked = [summary for summary in folder.summaries if summary.checked]
    for summary in folder.summaries:
        problems.extend(summary.problems)
    lookups = folder.lookups
    for summary in checked:
        source = summary.source
        for target in summary.targets:
            problems.extend(check_target(source, content, target, lookups))
        if summary.share_image:
            problems.extend(check_share_image(source, content, *summary.share_image, lookups))
    ids = _ids(folder, settings, cached)
    on = on or today(settings)
    problems.extend(check_site(checked, content, settings, on, reserved, ids, lookups))
    # Languages: translations and the interface catalogues (rules/translations.py).
    problems.extend(check_translations((summary.source for summary in checked), settings))
    problems.extend(check_catalogues(settings, cached))
    problems.extend(check_search_words(content, checked, folder.data, on))
    return sorted(problems)


def _ids(folder: Folder, settings: dict, cached: Cached) -> Callable[[Summary], frozenset[str]]:
    """The ids of a page (its own and the theme's), kept under its bytes and the Markdown settings."""
    reader = IdReader(settings)
    markdown = repr(settings["MARKDOWN"])
    found: dict[str, frozenset[str]] = {}

    def ids(summary: Summary) -> frozenset[str]:
        rel = summary.source.rel
        if rel not in found:
            raw = folder.data[rel]

            def work() -> list[str]:
                text = raw.decode("utf-8").lstrip("\ufeff")
                source, _ = parse_source(summary.source.path, rel, summary.source.kind, text)
                return reader.ids(source)

            key = f"{hashlib.sha256(raw).hexdigest()}\0{markdown}"
            found[rel] = THEME_IDS | frozenset(cached(IDS_STEP, key, work))
        return found[rel]

    return ids


def folder_notes(folder: Folder) -> list[Problem]:
    """Pictures that build but look soft on sharp screens (rules.pictures.image_notes)."""
    return sorted(
        note
        for summary in folder.summaries
        for note in picture_notes(summary.source, summary.pictures, folder.content, folder.lookups)
    )


def folder_reviews(
    folder: Folder, settings: dict, on: dt.date | None = None
) -> tuple[list[Problem], list[Problem]]:
    """(errors, notices) about review dates (rules/reviews.py), over every Markdown file."""
    return check_reviews(folder.sources, settings, on=on)
