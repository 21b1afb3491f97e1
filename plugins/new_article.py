"""Start a new article: a draft whose metadata is in order, with a placeholder to replace.

Review dates are left out on purpose: only the editor knows when a clinician
reviewed the article, and the build asks for them once the draft is published.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican.utils import slugify

from plugins.content_rules import PLACEHOLDER_SUMMARY

TEMPLATE = """\
Title: {title}
Date: {today}
Modified: {today}
Slug: {slug}
Summary: {placeholder}
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
    text = TEMPLATE.format(title=title, today=when, slug=slug, placeholder=PLACEHOLDER_SUMMARY)
    path.write_text(text, encoding="utf-8")
    return path
