"""rules/translations.py: a translation's rules and the interface catalogue, with `file:line`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import FIXTURE_CONTENT, TRANSLATIONS_FIXTURE, edit, run_build, with_spanish_fixture

from commands.build import load_settings
from rules.reviews import check_reviews
from rules.sources import parse_source
from rules.translations import check_catalogues, check_translations, translation_pairs

ORIGINAL = (FIXTURE_CONTENT / "ketamine-for-migraine.md").read_text(encoding="utf-8")
SPANISH = (TRANSLATIONS_FIXTURE / "es" / "ketamine-for-migraine.md").read_text(encoding="utf-8")


def source(rel: str, text: str):
    return parse_source(Path(rel), rel, "article", text)[0]


def problems(*files: tuple[str, str]) -> list[str]:
    settings = load_settings()
    return [str(p) for p in check_translations([source(*f) for f in files], settings)]


def test_the_fixture_translation_passes_and_pairs_with_its_original():
    original = ("content/ketamine-for-migraine.md", ORIGINAL)
    spanish = ("content/es/ketamine-for-migraine.md", SPANISH)
    assert problems(original, spanish) == []
    pairs = list(translation_pairs([source(*original), source(*spanish)], load_settings()))
    assert [(t.rel, o.rel) for t, o in pairs] == [(spanish[0], original[0])]


def test_a_translation_of_a_file_that_does_not_exist():
    text = SPANISH.replace("Slug: ketamine-for-migraine", "Slug: no-such-article")
    assert problems(("content/es/no-such-article.md", text)) == [
        "content/es/no-such-article.md:3: this español translation has no original: no "
        "English article has Slug: no-such-article. Give it the Slug of the file it translates."
    ]


def test_two_translations_in_one_language():
    found = problems(
        ("content/ketamine-for-migraine.md", ORIGINAL),
        ("content/es/ketamine-for-migraine.md", SPANISH),
        ("content/es/otra.md", SPANISH),
    )
    assert found == [
        "content/es/otra.md:4: content/es/ketamine-for-migraine.md is already the español "
        "translation of content/ketamine-for-migraine.md; keep one of the two."
    ]


def test_an_unknown_language_code():
    found = problems(("content/x.md", SPANISH.replace("Lang: es", "Lang: ES")))
    assert found == [
        "content/x.md:4: Lang 'ES' is not a language of this site; use one of en, es "
        "(LANGUAGES in pelicanconf.py). Did you mean es?"
    ]


def test_a_category_that_does_not_fit_the_language_and_review_dates_of_its_own():
    text = SPANISH.replace("Category: Migraña", "Category: Migraine")
    text = text.replace("Next_review: 2027-11-20\n", "")
    found = problems(("content/ketamine-for-migraine.md", ORIGINAL), ("content/es/k.md", text))
    assert found == [
        "content/es/k.md:7: a translation's Category is its original's topic in español: "
        "write `Category: Migraña` (content/ketamine-for-migraine.md is in Migraine).",
        "content/es/k.md: a translation of a health article has review dates of its own; "
        "add `Next_review: YYYY-MM-DD` for the clinical review of this translation.",
    ]


def test_the_catalogue_has_every_word_of_the_theme():
    assert check_catalogues(load_settings()) == []


def test_the_components_own_words_need_their_translation_too(tmp_path):
    site = with_spanish_fixture(tmp_path / "site")
    edit(
        site / "theme" / "translations" / "es" / "LC_MESSAGES" / "messages.po",
        'msgstr "Qué no hacer"',
        'msgstr ""',
    )
    result = run_build(site)
    assert result.returncode == 1
    found = result.stdout + result.stderr
    assert "rules/components.py:" in found
    assert '"Don\'t" has no español translation in theme/translations/es/' in found


def test_a_translation_of_a_health_article_is_told_when_its_review_is_overdue():
    text = SPANISH.replace("Reviewed: 2026-11-20", "Reviewed: 2025-01-10")
    text = text.replace("Next_review: 2027-11-20", "Next_review: 2026-01-10")
    original = source("content/ketamine-for-migraine.md", ORIGINAL)
    translation = source("content/es/ketamine-for-migraine.md", text)
    errors, notices = check_reviews([original, translation], load_settings(), on=date(2026, 12, 1))
    assert errors == []
    assert [str(n) for n in notices] == [
        "content/es/ketamine-for-migraine.md:10: the review was due on 2026-01-10; review the "
        "article with a clinician, then update Reviewed and Next_review."
    ]
    # Its missing dates are told once, by the translations' rule.
    missing = source("content/es/k.md", SPANISH.replace("Next_review: 2027-11-20\n", ""))
    assert check_reviews([original, missing], load_settings(), on=date(2026, 12, 1)) == ([], [])


def test_a_template_word_without_a_translation_stops_the_build_naming_its_line(tmp_path):
    site = with_spanish_fixture(tmp_path / "site")
    edit(
        site / "theme" / "templates" / "components" / "back_to_top.html",
        '{{ _("Back to top") }}',
        '{{ _("Back to the top") }}',
    )
    result = run_build(site)
    assert result.returncode == 1
    assert (
        "theme/templates/components/back_to_top.html:5: 'Back to the top' has no español "
        "translation in theme/translations/es/LC_MESSAGES/messages.po"
    ) in result.stdout + result.stderr
    assert not (site / "output").exists()


def test_a_wrong_translation_stops_the_build_with_file_and_line(tmp_path):
    site = with_spanish_fixture(tmp_path / "site")
    edit(site / "content" / "es" / "ketamine-for-migraine.md", "Lang: es", "Lang: pt")
    result = run_build(site)
    assert result.returncode == 1
    assert "content/es/ketamine-for-migraine.md:4: Lang 'pt' is not a language" in (
        result.stdout + result.stderr
    )
