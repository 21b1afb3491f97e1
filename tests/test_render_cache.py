"""The render cache (engine/render_cache.py): a page is kept under what it read.

These tests render small Jinja templates through the cache, with Pelican's own
content objects, and check the rule itself: a page is rendered again exactly
when something it read changed (a variable, an attribute of a content object,
a method's result, a template it loaded), never for something it did not
read, and never kept when a value it read has no stable description. The
whole site, byte for byte with the cache and without it, is in
tests/test_parallel_writer.py and tests/test_preview_rebuild.py.
"""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG

from engine import render_cache


@pytest.fixture(autouse=True)
def fresh():
    render_cache.install(Content, jinja2.runtime.Context, jinja2.Environment)
    render_cache.forget()
    render_cache.hold(True)
    render_cache.start("test", lambda name: None, lambda name, value: None, lambda name: False)
    yield
    render_cache.hold(False)
    render_cache.forget()


def article(path: str, title: str, text: str = "<p>Words.</p>") -> Article:
    metadata = {"title": title, "date": dt.datetime(2026, 1, 2), "slug": path.split(".")[0]}
    return Article(text, metadata=metadata, settings=dict(DEFAULT_CONFIG), source_path=path)


class Pages:
    """Renders through the render cache, counting the pages actually rendered."""

    def __init__(self, templates: dict[str, str], objects: list) -> None:
        self.templates = templates
        self.environment = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
        self.objects = objects
        self.kept_text: dict[str, str] = {}
        self.rendered = 0

    def render(self, name: str, template: str, **variables) -> str:
        template_object = self.environment.get_template(template)
        counting = Counting(template_object, self)
        now = render_cache.Now(self.objects, lambda name: self.templates[name])
        text, entry, kept = render_cache.render(
            counting, {"output_file": name, **variables}, now, self.kept_text.get, self.save
        )
        if entry is not None and not kept:
            render_cache.keep(name, entry)
        return text

    def save(self, text: str) -> str:
        name = str(hash(text))
        self.kept_text[name] = text
        return name


class Counting:
    def __init__(self, template: jinja2.Template, pages: Pages) -> None:
        self.template, self.pages, self.name = template, pages, template.name

    def render(self, variables) -> str:
        self.pages.rendered += 1
        return self.template.render(variables)


def test_a_page_is_rendered_again_only_when_a_variable_it_read_changes():
    pages = Pages({"page.html": "{{ SITENAME }}: {% if show %}{{ other }}{% endif %}"}, [])
    assert pages.render("a.html", "page.html", SITENAME="Site", show=False, unused=1) == "Site: "
    pages.render("a.html", "page.html", SITENAME="Site", show=False, unused=1)
    assert pages.rendered == 1
    # The template never names `unused`: changing it renders nothing.
    pages.render("a.html", "page.html", SITENAME="Site", show=False, unused=2)
    assert pages.rendered == 1
    assert pages.render("a.html", "page.html", SITENAME="New", show=False, unused=2) == "New: "
    assert pages.rendered == 2
    # Jinja looks up every name a template uses as it starts, so `other`, in a
    # branch that did not run, counts as read: a page may be rendered again
    # for nothing, never kept wrongly.
    pages.render("a.html", "page.html", SITENAME="New", show=False, other=3)
    assert pages.rendered == 3


def test_a_page_is_rendered_again_when_an_attribute_it_read_changes():
    first, second = article("first.md", "First"), article("second.md", "Second")
    pages = Pages({"list.html": "{% for a in items %}{{ a.title }} {% endfor %}"}, [first, second])
    assert pages.render("list.html", "list.html", items=[first, second]) == "First Second "
    second.slug = "moved"  # not read by the page
    pages.render("list.html", "list.html", items=[first, second])
    assert pages.rendered == 1
    second.title = "Renamed"
    assert pages.render("list.html", "list.html", items=[first, second]) == "First Renamed "
    assert pages.rendered == 2
    # The order of the list is a value the page read.
    assert pages.render("list.html", "list.html", items=[second, first]) == "Renamed First "
    assert pages.rendered == 3


def test_a_method_read_is_its_result():
    item = article("item.md", "Item", "<p>One.</p>")
    pages = Pages({"page.html": "{{ a.get_content('') | safe }}"}, [item])
    pages.render("p.html", "page.html", a=item)
    pages.render("p.html", "page.html", a=item)
    assert pages.rendered == 1
    item._content = "<p>Two.</p>"
    Content.get_content.cache.clear()  # Pelican's memo of rendered bodies
    assert pages.render("p.html", "page.html", a=item) == "<p>Two.</p>"
    assert pages.rendered == 2


def test_a_page_is_rendered_again_when_a_template_it_loaded_changes():
    # The second include is the first of a list that exists (`select_template`).
    templates = {
        "page.html": "{% include 'part.html' %}{% include ['none.html', 'end.html'] %}",
        "part.html": "part",
        "end.html": "!",
    }
    pages = Pages(templates, [])
    assert pages.render("p.html", "page.html") == "part!"
    pages.render("p.html", "page.html")
    assert pages.rendered == 1
    for name, text, expected in (
        ("part.html", "new part", "new part!"),
        ("end.html", "?", "new part?"),
    ):
        templates[name] = text
        pages.environment = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
        assert pages.render("p.html", "page.html") == expected
    assert pages.rendered == 3


def test_a_page_whose_template_is_gone_is_rendered_again_not_an_error():
    templates = {"page.html": "{% include 'part.html' %}", "part.html": "part"}
    pages = Pages(templates, [])
    pages.render("p.html", "page.html")
    del templates["part.html"]
    templates["page.html"] = "whole"
    pages.environment = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    assert pages.render("p.html", "page.html") == "whole"
    assert pages.rendered == 2


def test_a_page_with_no_entry_is_among_the_readers_of_any_change():
    """What a page rendered with no entry read is unknown: the preview renders it again."""
    pages = Pages({"page.html": "{{ thing is defined }}"}, [])
    pages.render("p.html", "page.html", thing=object())
    render_cache.keep("p.html", None)  # as the pages' writer notes such a page
    assert render_cache.readers_of(set()) == {"p.html"}


def test_what_the_rest_of_the_build_set_is_carried_over_and_what_the_reader_sets_is_not():
    made = article("one.md", "One")
    made.translations = ["the rest of the build's list"]  # replaced after its making
    made.neighbour = "set after its making"
    new = article("one.md", "One, renamed")
    render_cache.carry_over(made, new)
    assert new.translations == ["the rest of the build's list"]
    assert new.neighbour == "set after its making"
    assert new.title == "One, renamed"  # the reader's own value stays the new one
    # An Article's own __init__ runs after Content's and may set its status: that
    # is its making too, never carried over a new version's own.
    settings = {**DEFAULT_CONFIG, "WITH_FUTURE_DATES": False}
    future = {"title": "Later", "date": dt.datetime(2999, 1, 1), "slug": "later"}
    waiting = Article("<p>.</p>", metadata=future, settings=settings, source_path="later.md")
    assert waiting.status == "draft"
    now = Article(
        "<p>.</p>",
        metadata={**future, "date": dt.datetime(2026, 1, 1)},
        settings=settings,
        source_path="later.md",
    )
    render_cache.carry_over(waiting, now)
    assert now.status == "published"


def test_a_value_with_no_stable_description_is_never_kept():
    pages = Pages({"page.html": "{{ thing is defined }}"}, [])
    for _ in range(2):
        pages.render("p.html", "page.html", thing=object())
    assert pages.rendered == 2


def test_descriptions_are_equal_exactly_when_the_values_are():
    def described(value) -> str:
        out: list[str] = []
        render_cache.describe(value, out, {})
        return "".join(out)

    first = article("first.md", "First")
    assert described({"a": [1, "x", None]}) == described({"a": [1, "x", None]})
    assert described({"a": 1, "b": 2}) != described({"b": 2, "a": 1})  # order is read
    assert described(["1"]) != described([1])
    assert described(["a", "b"]) != described(["ab"])
    assert described({1, 2}) == described({2, 1})
    assert described(dt.date(2026, 1, 2)) != described(dt.datetime(2026, 1, 2))
    # A content object is its identity: what is read of it is recorded on its own.
    assert described(first) == described(article("first.md", "Other title"))
    assert described(first) != described(article("second.md", "First"))
    with pytest.raises(render_cache.Volatile):
        described(object())


def test_differing_names_the_reads_an_edit_changes():
    old, new = article("one.md", "One", "<p>Old.</p>"), article("one.md", "One", "<p>New.</p>")
    old.next_article = "set by the rest of the build"
    pages = Pages({"page.html": "{{ a.title }}{{ a._content }}{{ a.next_article }}"}, [old])
    pages.render("one.html", "page.html", a=old)
    site = {("a", render_cache.identity(old), "title")}
    changed = render_cache.differing(old, new, site)
    assert changed == {("a", ("Article", "one.md"), "_content")}
    assert new.next_article == old.next_article  # what only the old one had, given to the new
    assert render_cache.readers_of(changed) == {"one.html"}
    assert render_cache.differing(old, article("two.md", "One"), site) is None
