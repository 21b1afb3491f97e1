"""Start a new article: a draft whose metadata is complete, ready to preview.

`invoke new "Title"` calls `create_article()`. The draft has every key the
content rules ask of a health article: today's date, a review a year ahead,
and a placeholder summary that the build refuses to publish until the
editor replaces it. The draft is previewed at /drafts/<slug>/ by `make
serve` and never published while it says `Status: draft`.

The title must give a usable address: not empty, not the address of an
existing article or page, and not one of the folders the site writes itself
(the archive, topic and tag lists, drafts, the theme...). Nothing is written
unless every check passes, and an existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican.utils import slugify

from rules.clock import today as site_today
from rules.files import output_path
from rules.metadata import PLACEHOLDER_SUMMARY
from rules.reviews import a_year_after
from rules.sources import iter_markdown_sources, relative_name

TEMPLATE = """\
Title: {title}
Date: {today}
Modified: {today}
Slug: {slug}
Summary: {placeholder}
Authors: Mind Balance
Category: Migraine
Tags: migraine
Reviewed: {today}
Next_review: {next_review}
Status: draft

Start with one or two sentences that say who this article is for and what it explains.

## What it is

Write short sentences in everyday words. Explain each medical term the first time you use it.

## What you can do

- Use a list for steps or choices.
- Keep each item to one idea.

## When to get help

Say when to see a doctor, and when to call for emergency help.
"""


class ArticleNotCreated(Exception):
    """Why the article was not created, and what to do instead."""


def slug_for(title: str, settings: dict) -> str:
    """The address Pelican would give this title."""
    return slugify(
        title,
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def create_article(
    content: Path,
    title: str,
    settings: dict,
    *,
    reserved: dict[str, str],
    today: dt.date | None = None,
) -> Path:
    """Write content/<slug>.md as a draft and return its path; never overwrite.

    `reserved` maps the folders the site writes itself to what they hold
    (`commands.build.reserved_everywhere()`).
    """
    title = " ".join(title.split())
    example = 'for example: invoke new "Cluster headache basics"'
    if not title:
        raise ArticleNotCreated(f"The title is empty. Give the title in quotes, {example}.")
    slug = slug_for(title, settings)
    if not slug:
        raise ArticleNotCreated(
            f"The title {title!r} gives an empty web address: it needs letters or numbers, {example}."
        )
    path = content / f"{slug}.md"
    if path.exists() or path.is_symlink():
        raise ArticleNotCreated(
            f"{relative_name(content, path)} already exists. Edit that file, or choose another title."
        )
    save_as = settings["ARTICLE_SAVE_AS"].format(slug=slug)
    for source in iter_markdown_sources(content):
        if output_path(source, settings) == save_as:
            raise ArticleNotCreated(
                f"{source.rel} is already published at /{slug}/. Choose another title, "
                "or add a word to this one."
            )
    if slug in reserved:
        raise ArticleNotCreated(
            f"/{slug}/ is where the site puts {reserved[slug]}. Choose another title, "
            "or add a word to this one."
        )
    when = today or site_today(settings)
    text = TEMPLATE.format(
        title=title,
        today=when.isoformat(),
        next_review=a_year_after(when).isoformat(),
        slug=slug,
        placeholder=PLACEHOLDER_SUMMARY,
    )
    with path.open("x", encoding="utf-8") as file:  # "x": fail rather than overwrite
        file.write(text)
    return path
