"""plugins/term_lists.py: every topic, tag and author list answers `in` at once, and stays the same list.

`TermArticles` itself answers `in` by identity, or by equality for objects that
define it.
"""

from __future__ import annotations

from types import SimpleNamespace

from plugins.term_lists import TermArticles, index_terms


class Content:
    """Like Pelican's content objects: no equality of its own."""


def test_every_term_keeps_its_articles_in_order_as_a_term_list_in_the_generator_and_context():
    first, second, third = Content(), Content(), Content()
    generator = SimpleNamespace(
        tags={"sleep": [first, second], "aura": [third]},
        categories=[("Migraine", [second, first]), ("Sleep", [third])],
        authors=[("Editor", [first, second, third])],
        context={},
    )
    index_terms(generator)
    assert generator.tags == {"sleep": [first, second], "aura": [third]}
    assert generator.categories == [("Migraine", [second, first]), ("Sleep", [third])]
    assert generator.authors == [("Editor", [first, second, third])]
    terms = [*generator.tags.values(), *(a for _, a in [*generator.categories, *generator.authors])]
    assert all(type(articles) is TermArticles for articles in terms)
    migraine = generator.categories[0][1]
    assert first in migraine and third not in migraine
    # The templates read the context: the same pairs, not the lists Pelican made first.
    assert generator.context["tags"] == list(generator.tags.items())
    assert all(type(a) is TermArticles for _, a in generator.context["tags"])
    assert generator.context["categories"] is generator.categories
    assert generator.context["authors"] is generator.authors


def test_a_term_list_finds_what_a_plain_list_finds():
    """`in` by identity for objects without equality of their own; by equality otherwise."""
    from plugins.term_lists import TermArticles

    class Content:  # like Pelican's: no __eq__
        pass

    first, second, outsider = Content(), Content(), Content()
    terms = TermArticles([first, second])
    assert list(terms) == [first, second]
    for item in (first, second, outsider, "first", 1):
        assert (item in terms) == (item in [first, second])
    words = TermArticles(["migraine", "sleep"])
    assert "".join(["mig", "raine"]) in words  # an equal string, not the same object
    assert "ketamine" not in words
