"""Metadata: the keys an editor writes and their values (dates, Status, Slug,
lists, Summary, Also_called), each problem on its own line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rules.dates import date_problem
from rules.names import file_name_message, name_problem, suggested_name
from rules.pictures import check_share_image
from rules.raw_html import check_unsafe_markup
from rules.sources import KNOWN_KEYS, Problem, Source, meant_key

# What `invoke new` writes as the Summary, for the editor to replace.
PLACEHOLDER_SUMMARY = "One or two plain sentences, at most 160 characters, shown in search results."
SUMMARY_MAX_CHARS = 160
STATUSES = {"published", "draft", "hidden"}


def check_metadata(source: Source, content: Path | None = None) -> Iterator[Problem]:
    rel, meta = source.rel, source.meta
    for key, (line, value) in meta.items():
        known = KNOWN_KEYS.get(key)
        if known is None:
            close = meant_key(key)
            hint = (
                f" Did you mean {KNOWN_KEYS[close].name}?"
                if close
                else " See the metadata table in README.md for the keys this site reads."
            )
            yield Problem(rel, line, f"unknown metadata key {key!r}.{hint}")
            continue
        if not value:
            yield Problem(rel, line, f"{known.name} is empty; give it a value or remove the line.")
            continue
        if known.kind == "date" and (wrong := date_problem(value)):
            yield Problem(rel, line, f"{known.name} {value!r} is not a valid date{wrong}")
        if known.kind == "status" and value.lower() not in STATUSES:
            yield Problem(
                rel,
                line,
                f"unknown Status {value!r}; use one of: " + ", ".join(sorted(STATUSES)) + ".",
            )
        if known.kind == "image":
            yield from check_share_image(source, content, line, value)
        if known.kind == "slug":
            yield from check_slug(source, line, value)
        if known.kind == "list" and ";" in value:
            fixed = ", ".join(part.strip() for part in value.split(";") if part.strip())
            yield Problem(
                rel,
                line,
                f"{known.name} has ';' between its names; separate them with commas: "
                f"`{known.name}: {fixed}`.",
            )
        if key == "category" and "," in value:
            yield Problem(
                rel,
                line,
                f"Category {value!r} has a comma, but an article has one topic; keep one "
                f"(`Category: {value.split(',')[0].strip()}`) and put the others in Tags.",
            )
        if known.kind in ("text", "list") and (inner := quoted(value)) is not None:
            yield Problem(
                rel,
                line,
                f"{known.name} is in quotes, and the quotes would show on the page; "
                f"remove them: `{known.name}: {inner}`.",
            )
    if "slug" not in meta and (wrong := name_problem(source.path.stem)):
        yield Problem(rel, 0, file_name_message(source.path.name, wrong))
    for key in KNOWN_KEYS.values():
        if source.kind in key.required_for and key.name.lower() not in meta:
            yield Problem(
                rel,
                1,
                f"{key.name} is missing; add a `{key.name}:` line "
                "to the metadata at the top of the file.",
            )
    if "also_called" in meta:
        yield from check_also_called(source)
    if "summary" in meta:
        line, value = meta["summary"]
        if len(value) > SUMMARY_MAX_CHARS:
            yield Problem(
                rel,
                line,
                f"Summary is {len(value)} characters; search engines cut "
                f"it at {SUMMARY_MAX_CHARS}. Shorten it.",
            )
        status = meta.get("status", (0, "published"))[1].lower()
        if value == PLACEHOLDER_SUMMARY and status in STATUSES and status != "draft":
            yield Problem(
                rel,
                line,
                "Summary is still the placeholder from `invoke new`; write one or "
                "two sentences that say what this article is about.",
            )
    for line, value in meta.values():
        yield from check_unsafe_markup(rel, line, value)


def check_slug(source: Source, line: int, value: str) -> Iterator[Problem]:
    """The slug is the web address and the file's name: the same, in lower case with hyphens."""
    stem = source.path.stem
    slug_wrong, stem_wrong = name_problem(value), name_problem(stem)
    if slug_wrong:
        good = stem if not stem_wrong else suggested_name(value)
        rename = f" and rename the file to {good}.md" if stem != good else ""
        yield Problem(
            source.rel,
            line,
            f"Slug {value!r} {slug_wrong}; the slug is the page's web address, so use "
            f"lower case and hyphens: write `Slug: {good}`{rename}.",
        )
    elif stem_wrong:
        yield Problem(
            source.rel,
            line,
            f"the file name {source.path.name!r} {stem_wrong}; rename the file to "
            f"{value}.md, to match its Slug (file names become web addresses).",
        )
    elif value != stem:
        yield Problem(
            source.rel,
            line,
            f"Slug {value!r} differs from the file name {stem!r}; "
            "rename the file or the slug so they match (the slug is the URL).",
        )


# A value wrapped in quotes: the opening and closing marks an editor types or pastes.
OPENING_QUOTES, CLOSING_QUOTES = "\"“„«'‘", "\"”“»'’"
DOUBLE_QUOTES = '"“”„«»'


def quoted(value: str) -> str | None:
    """`value` without the quotes around it, when it is wholly in quotes; else None."""
    if len(value) < 3 or value[0] not in OPENING_QUOTES or value[-1] not in CLOSING_QUOTES:
        return None
    inner = value[1:-1]
    marks = DOUBLE_QUOTES if value[0] in DOUBLE_QUOTES else "'‘’"
    if any(mark in inner for mark in marks) or not inner.strip():
        return None  # "Migraine" and "aura": two quotations, not one value in quotes
    return inner.strip()


def check_also_called(source: Source) -> Iterator[Problem]:
    """Also_called names are extra A to Z entries for an article: other names only, once each."""
    line, value = source.meta["also_called"]
    if source.kind != "article":
        yield Problem(
            source.rel,
            line,
            "Also_called only works on articles (it adds A to Z entries); remove it from this page.",
        )
    title = source.meta.get("title", (0, ""))[1].strip().casefold()
    seen: set[str] = set()
    for name in (part.strip() for part in value.split(",")):
        if not name:
            continue
        if name.casefold() == title:
            yield Problem(
                source.rel,
                line,
                f"Also_called {name!r} is the title itself; list only other names "
                "(a brand name, an older name).",
            )
        elif name.casefold() in seen:
            yield Problem(source.rel, line, f"Also_called lists {name!r} twice; keep one.")
        seen.add(name.casefold())
