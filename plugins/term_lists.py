"""Topic and tag lists that answer "is this article in me?" at once.

For each topic and tag page Pelican 4.12 keeps, in date order, the articles
that are in the term: `[a for a in self.dates if a in articles]`, where
`articles` is a list. Each `in` walks that list, so the pages of all terms
cost articles × articles-per-term comparisons: a tenth of a second at 1000
articles, seconds at 5000, on every build and every preview rebuild.

When the articles are sorted into terms (`article_generator_finalized`),
this plugin replaces each term's list with a `TermArticles`: the same list,
in the same order, whose `in` looks the article up in a set of identities.
That is exactly what a list's `in` does for Pelican's content objects, which
define no equality of their own and so are equal only to themselves; an
object that does define equality is still compared the list's way. Nothing
else changes, and tests/test_parallel_writer.py checks the whole build against one
without the site's speed features.
"""

from __future__ import annotations

from pelican import signals


class TermArticles(list):
    """A term's articles, with `in` by identity in constant time."""

    def __init__(self, articles=()) -> None:
        super().__init__(articles)
        self._ids = {id(article) for article in self}

    def __contains__(self, item: object) -> bool:
        if id(item) in self._ids:
            return True
        # Objects equal to others than themselves: the list's own walk.
        return type(item).__eq__ is not object.__eq__ and list.__contains__(self, item)


def index_terms(generator) -> None:
    generator.tags.update((tag, TermArticles(a)) for tag, a in generator.tags.items())
    generator.categories = [(name, TermArticles(a)) for name, a in generator.categories]
    generator.authors = [(name, TermArticles(a)) for name, a in generator.authors]
    # The context holds the same pairs, as Pelican's _update_context put them there.
    generator.context["tags"] = list(generator.tags.items())
    generator.context["categories"] = generator.categories
    generator.context["authors"] = generator.authors


def register() -> None:
    signals.article_generator_finalized.connect(index_terms)
