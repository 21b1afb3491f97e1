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
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field

from pelican import signals

OTHER = "0–9"  # "0–9" with an en dash, read as "zero to nine"


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


def letter_of(name: str) -> str:
    """ "A" … "Z" for a name starting with that letter (accents ignored: "Émile" is E), else OTHER."""
    stripped = name.strip()
    first = unicodedata.normalize("NFKD", stripped[:1]).upper()[:1] if stripped else ""
    return first if first in string.ascii_uppercase else OTHER


def sort_key(name: str) -> tuple[list[tuple[int, str]], str]:
    """Alphabetical as a reader expects: accents and case ignored, numbers by
    value ("article 2" before "article 10")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    parts = re.split(r"(\d+)", plain.casefold())
    return [(int(part), "") if part.isdigit() else (-1, part) for part in parts], name


def other_names(article) -> list[str]:
    value = getattr(article, "also_called", None) or ""
    if not isinstance(value, str):
        value = ",".join(value)
    return [name.strip() for name in value.split(",") if name.strip()]


def a_to_z(articles) -> list[Letter]:
    """Every letter A to Z, then OTHER, each with its entries sorted by name."""
    letters = {label: Letter(label) for label in [*string.ascii_uppercase, OTHER]}
    for article in articles:
        title = article.title_text
        letters[letter_of(title)].entries.append(Entry(title, article))
        for name in other_names(article):
            letters[letter_of(name)].entries.append(Entry(name, article, see=True))
    for letter in letters.values():
        letter.entries.sort(key=lambda entry: sort_key(entry.name))
    return list(letters.values())


def add_to_context(generator) -> None:
    generator.context["a_to_z_letters"] = a_to_z(generator.articles)


def register() -> None:
    signals.article_generator_finalized.connect(add_to_context)
