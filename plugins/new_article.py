"""Start a new article: a Markdown file whose metadata is complete and in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican.utils import slugify

TEMPLATE = """\
Title: {title}
Date: {today}
Modified: {today}
Slug: {slug}
Summary: One or two plain sentences, at most 160 characters, shown in search results.
Authors: Mind Balance
Category: Migraine
Tags: migraine
Status: draft

Write the introduction here. Start sections with `## A heading`.
"""


def create_article(content: Path, title: str, today: dt.date | None = None) -> Path:
    """Write content/<slug>.md as a draft and return its path; never overwrite."""
    slug = slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\s+", "-")])
    path = content / f"{slug}.md"
    if path.exists():
        raise FileExistsError(f"{path.name} already exists")
    when = (today or dt.date.today()).isoformat()
    path.write_text(TEMPLATE.format(title=title, today=when, slug=slug), encoding="utf-8")
    return path
