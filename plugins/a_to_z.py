"""The A to Z: every published article under the first letter of its title.

Some readers would rather find a page by its name than search, for example
when they are unsure of a spelling (NHS Health A to Z research). The page is
a direct template (`a_to_z` in DIRECT_TEMPLATES, written to A_TO_Z_SAVE_AS);
this plugin hands it `a_to_z_letters`: a list of `Letter`s, A to Z and then "0–9"
(titles that start with a digit or a symbol), each with its entries in
alphabetical order. An article's optional `Also_called:` metadata
(comma-separated other names, e.g. a brand name) adds entries under those
names that lead to the same article ("Brand X, see Ketamine for …").
Drafts and hidden articles are not listed: Pelican's `articles` holds only
the published ones.

Each other language with published translations has an A to Z of its own
(A_TO_Z_LANG_SAVE_AS, /es/a-z/), of its translations only, in its alphabet
(`LANGUAGES[lang]["alphabet"]`: Spanish has Ñ after N) and sorted as that
language sorts; with no translation there is none.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field

from pelican import signals

OTHER = "0–9"  # "0–9" with an en dash, read as "zero to nine"
ENGLISH = string.ascii_uppercase
# Sorts after every lower-case letter: "ñ" read as "n~" comes after "nz", before "o".
AFTER_EVERY_LETTER = "~"


@dataclass(frozen=True)
class Entry:
    """One line of the A to Z: `name`, and the article it leads to.

    `see` is true for an `Also_called` name: the line reads "name, see title"."""

    name: str
    article: object
    see: bool = False


@dataclass
class Letter:
    label: str  # "A" … "Z", or OTHER
    entries: list[Entry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The id of the letter's heading: `letter-a`, …, `letter-0-9`."""
        return "letter-" + ("0-9" if self.label == OTHER else self.label.lower())


def letter_of(name: str, alphabet: str = ENGLISH) -> str:
    """The letter of `alphabet` a name starts with (other accents ignored: "Émile" is E,
    and in Spanish "Ñandú" is Ñ), else OTHER."""
    stripped = name.strip()
    if stripped[:1].upper() in alphabet:
        return stripped[:1].upper()
    first = unicodedata.normalize("NFKD", stripped[:1]).upper()[:1] if stripped else ""
    return first if first in alphabet else OTHER


def sort_key(name: str, alphabet: str = ENGLISH) -> tuple[list[tuple[int, str]], str]:
    """Alphabetical as a reader expects: accents and case ignored, numbers by
    value ("article 2" before "article 10"); a letter of its own in `alphabet`
    (Spanish Ñ) after the letter it is written from, and before the next one."""
    text = name
    for letter in alphabet:
        if letter not in ENGLISH:
            base = unicodedata.normalize("NFKD", letter.casefold())[0]
            text = re.sub(re.escape(letter), base + AFTER_EVERY_LETTER, text, flags=re.IGNORECASE)
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    parts = re.split(r"(\d+)", plain.casefold())
    return [(int(part), "") if part.isdigit() else (-1, part) for part in parts], name


def other_names(article) -> list[str]:
    value = getattr(article, "also_called", None) or ""
    if not isinstance(value, str):
        value = ",".join(value)
    return [name.strip() for name in value.split(",") if name.strip()]


def a_to_z(articles, alphabet: str = ENGLISH) -> list[Letter]:
    """Every letter of `alphabet`, then OTHER, each with its entries sorted by name."""
    letters = {label: Letter(label) for label in [*alphabet, OTHER]}
    for article in articles:
        title = article.title_text
        letters[letter_of(title, alphabet)].entries.append(Entry(title, article))
        for name in other_names(article):
            letters[letter_of(name, alphabet)].entries.append(Entry(name, article, see=True))
    for letter in letters.values():
        letter.entries.sort(key=lambda entry: sort_key(entry.name, alphabet))
    return list(letters.values())


def language_lists(generator) -> list[tuple[str, str, str, list]]:
    """(language, save_as, URL, its articles) of each language but the default that has
    published translations: its A to Z (A_TO_Z_LANG_SAVE_AS). None without translations."""
    settings = generator.settings
    pattern = settings.get("A_TO_Z_LANG_SAVE_AS")
    if not pattern or "a_to_z" not in settings["DIRECT_TEMPLATES"]:
        return []
    by_language: dict[str, list] = {}
    for article in generator.translations:
        by_language.setdefault(article.lang, []).append(article)
    return [
        (
            lang,
            pattern.format(lang=lang),
            settings["A_TO_Z_LANG_URL"].format(lang=lang),
            by_language[lang],
        )
        for lang in sorted(by_language)
    ]


def add_to_context(generator) -> None:
    generator.context["a_to_z_letters"] = a_to_z(generator.articles)
    # Where each other language's A to Z is, by the default one's URL (plugins/languages.py).
    for lang, _, url, _ in language_lists(generator):
        generator.context.setdefault("language_urls", {}).setdefault(lang, {})[
            generator.settings["A_TO_Z_URL"]
        ] = url


def write_language_pages(generator, writer) -> None:
    """Each other language's A to Z, in its alphabet, of its translations."""
    settings = generator.settings
    for lang, save_as, url, articles in language_lists(generator):
        alphabet = settings["LANGUAGES"][lang].get("alphabet", ENGLISH)
        writer.write_file(
            save_as,
            generator.get_template("a_to_z"),
            generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            url=url,
            page_name="a_to_z",
            a_to_z_letters=a_to_z(articles, alphabet),
            a_to_z_url=url,
            page_lang=lang,
        )


def register() -> None:
    signals.article_generator_finalized.connect(add_to_context)
    signals.article_writer_finalized.connect(write_language_pages)
