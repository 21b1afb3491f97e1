"""The site's Markdown reader (plugins/plain_metadata.py): its memo key follows the
bytes and the settings (reading ahead into the memo: tests/test_read_ahead.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT

from benchmarks.synthetic import write_articles
from commands.build import load_settings
from plugins import plain_metadata
from plugins.plain_metadata import SiteMarkdownReader, memo_key

# Files enough that whatever one conversion leaves behind shows in the next.
ARTICLES = 70


@pytest.fixture
def settings() -> dict:
    return load_settings(production=True)


@pytest.fixture
def articles(tmp_path) -> list[str]:
    return [str(path) for path in write_articles(tmp_path, 2)]


@pytest.fixture(autouse=True)
def empty_memo():
    plain_metadata.forget()


def test_the_memo_key_changes_with_the_bytes_and_the_markdown_settings(settings, articles):
    data = Path(articles[0]).read_bytes()
    key = memo_key(data, settings)
    assert memo_key(data, {**settings}) == key
    other = {**settings, "MARKDOWN": {**settings["MARKDOWN"], "output_format": "xhtml"}}
    assert memo_key(data, other) != key
    assert memo_key(data + b"\nOne more sentence.\n", settings) != key


def test_the_memo_key_changes_with_the_health_components_settings(settings, articles, tmp_path):
    # A new EMERGENCY_NUMBER must never be served from HTML remembered with the old one.
    data = Path(articles[0]).read_bytes()
    configs = settings["MARKDOWN"]["extension_configs"]
    changed = {**configs["plugins.health_components"], "emergency_number": "112"}
    other = {
        **settings,
        "MARKDOWN": {
            **settings["MARKDOWN"],
            "extension_configs": {**configs, "plugins.health_components": changed},
        },
    }
    assert memo_key(data, other) != memo_key(data, settings)
    # And the reader's result does change with it.
    source = tmp_path / "card.md"
    source.write_text("Title: Card\n\n/// emergency\n- an example\n///\n", encoding="utf-8")
    first, _ = SiteMarkdownReader(settings).read(str(source))
    second, _ = SiteMarkdownReader(other).read(str(source))
    assert "Call 911 " in first and "Call 112 " in second


CARDS = "\n\n/// emergency\n- an example\n///\n\n/// do\n- something\n///\n"


def test_a_translation_is_read_with_the_components_words_of_its_language(settings, tmp_path):
    spanish, english = tmp_path / "es.md", tmp_path / "en.md"
    spanish.write_text("Title: Tarjetas\nLang: es" + CARDS, encoding="utf-8")
    english.write_text("Title: Cards" + CARDS, encoding="utf-8")
    # (Typography joins a heading's last two words with a no-break space.)
    read_spanish = SiteMarkdownReader(settings).read(str(spanish))[0].replace("&nbsp;", " ")
    assert "Se necesita actuar de inmediato: " in read_spanish
    assert "Llame al 911 o vaya ahora" in read_spanish and "Qué hacer" in read_spanish
    assert "Immediate action" not in read_spanish and ">Do<" not in read_spanish
    read_english = SiteMarkdownReader(settings).read(str(english))[0].replace("&nbsp;", " ")
    assert "Immediate action required: " in read_english and ">Do<" in read_english
    # The words its catalogue gives are part of the key: a catalogue that words them
    # otherwise is never answered from the memo; the default language's key is as it was.
    theme = tmp_path / "theme"
    shutil.copytree(settings["THEME"], theme)
    catalogue = theme / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace('msgstr "Qué hacer"', 'msgstr "Haga esto"'), "utf-8")
    other = {**settings, "THEME": str(theme)}
    assert memo_key(spanish.read_bytes(), other) != memo_key(spanish.read_bytes(), settings)
    assert memo_key(english.read_bytes(), other) == memo_key(english.read_bytes(), settings)
    assert "Haga&nbsp;esto" in SiteMarkdownReader(other).read(str(spanish))[0]


def test_a_file_saved_while_it_is_read_is_remembered_under_the_bytes_converted(
    settings, tmp_path, monkeypatch
):
    path = tmp_path / "saved.md"
    path.write_text("Title: Before\nSummary: S\n\nBefore.\n", encoding="utf-8")
    convert = SiteMarkdownReader.convert

    def save_during_conversion(self, data):
        path.write_text("Title: After\nSummary: S\n\nAfter.\n", encoding="utf-8")
        return convert(self, data)

    monkeypatch.setattr(SiteMarkdownReader, "convert", save_during_conversion)
    content, metadata = SiteMarkdownReader(settings).read(str(path))
    assert metadata["title_text"] == "Before" and "Before." in content
    monkeypatch.setattr(SiteMarkdownReader, "convert", convert)
    content, metadata = SiteMarkdownReader(settings).read(str(path))
    assert metadata["title_text"] == "After" and "After." in content


def test_a_value_wrapped_onto_indented_lines_is_one_line_of_text(settings, tmp_path):
    path = tmp_path / "wrapped.md"
    path.write_text(
        "Title: A long title\n    that goes on\nSummary: Short.\n\nBody.\n", encoding="utf-8"
    )
    _, metadata = SiteMarkdownReader(settings).read(str(path))
    assert metadata["title_text"] == "A long title that goes on"


def test_a_remembered_file_still_gets_this_builds_metadata_objects(settings, articles):
    reader = SiteMarkdownReader(settings)
    _, first = reader.read(articles[0])
    _, again = SiteMarkdownReader(load_settings()).read(articles[0])
    assert first["category"] is not again["category"]
    assert first["category"].settings["SITEURL"] != again["category"].settings["SITEURL"]
    assert first["title_text"] == again["title_text"]


@pytest.fixture(scope="module")
def many_files(tmp_path_factory) -> Path:
    """The tests' own site with enough synthetic articles to show a memory of the file before."""
    content = tmp_path_factory.mktemp("reader") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    write_articles(content, ARTICLES)
    return content


def test_one_reused_markdown_converts_every_file_as_a_new_one(many_files):
    """Python-Markdown's reset() must forget everything of the file before (footnotes,
    ids, metadata, the site's components): the reused instance against a fresh one."""
    from markdown import Markdown

    from commands.build import load_settings
    from plugins.plain_metadata import SiteMarkdownReader

    settings = load_settings(production=True)
    reader = SiteMarkdownReader(settings)  # adds the extensions to MARKDOWN, as Pelican's does
    files = sorted(many_files.rglob("*.md"))
    assert len(files) > ARTICLES
    differing = []
    for path in files:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        reused, _ = reader.convert(path.read_bytes())
        fresh = Markdown(**settings["MARKDOWN"]).convert(text)
        if settings.get("SITE_TYPOGRIFY"):
            from plugins.plain_metadata import typogrify_html

            fresh = typogrify_html(fresh, settings)
        if reused != fresh:
            differing.append(path.name)
    assert not differing, f"a reused Markdown converts these differently: {differing}"
