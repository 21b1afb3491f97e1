"""Scheduled articles: an article whose Date is after today waits for its day.

An editor may write next month's article now and commit it. Until its Date
(in the site's time zone, by `rules.clock.today`, which tests can fix):

- a production build does not publish it: it becomes a draft, which
  publishconf.py never writes, so nothing links to it (lists, neighbours,
  feed, sitemap, A to Z) and its address does not exist yet;
- the preview (`make serve`) writes it at its own address with a "Scheduled
  for <date>" notice, as a hidden article: reachable by its address, listed
  nowhere, exactly as it will not be listed in production.

CI runs every day, so the article appears on its day without anyone pushing.
The content rules refuse a link to a scheduled article from a published page
(`rules.site`), since in production that link would lead nowhere.
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Article

from rules.clock import today


def hold_back_scheduled(content) -> None:
    """Mark a published article dated after today as scheduled, and keep it unlisted."""
    if not isinstance(content, Article) or content.status != "published":
        content.scheduled = False
        return
    content.scheduled = content.date.date() > today(content.settings)
    if content.scheduled:
        content.status = "draft" if content.settings.get("PRODUCTION") else "hidden"


def register() -> None:
    signals.content_object_init.connect(hold_back_scheduled)
