"""How hard each article is to read: a Flesch–Kincaid grade, for the editor.

Health-literacy guidance asks for text a reader of about 9 to 11 years can
follow; in US school grades (reading age minus 5) that is grade 4 to 6.
`READABILITY_MAX_GRADE` in pelicanconf.py sets the target. A grade above it
is a warning in `invoke review-report`, never a build error: the formula only
counts words per sentence and syllables per word, so the editor decides.

Spanish text (`Lang: es`) is measured with the Fernández Huerta reading ease
(textstat; 0 to 100, higher is easier), read as a US school grade on its
usual scale, so one target (READABILITY_MAX_GRADE) serves both languages.

Only the prose is measured: paragraphs and list items, each counted as a
sentence even without a full stop. Headings, the references and code are
left out, since they are labels and citations, not sentences to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from rules.sources import iter_markdown_sources

SENTENCE_ENDS = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class Readability:
    """One article's figures for the report."""

    path: str
    title: str
    grade: float
    words: int
    over_target: bool


def prose(markdown_text: str, settings: dict) -> str:
    """The article's sentences as plain text, one block after another."""
    # Without the meta extension: the body's first line ("Note: …") is prose here.
    config = {
        name: options
        for name, options in settings["MARKDOWN"]["extension_configs"].items()
        if name != "markdown.extensions.meta"
    }
    html = markdown.markdown(markdown_text, extensions=list(config), extension_configs=config)
    soup = BeautifulSoup(html, "html.parser")
    for unread in soup.select("h1, h2, h3, h4, h5, h6, pre, code, div.footnote, sup"):
        unread.decompose()
    blocks = []
    for block in soup.find_all(["p", "li"]):
        if block.find(["p", "li"]):
            continue  # a list item holding paragraphs: count the paragraphs
        text = " ".join(block.get_text(" ").split())
        if text:
            blocks.append(text if text.endswith(SENTENCE_ENDS) else f"{text}.")
    return "\n".join(blocks)


def grade(text: str, lang: str = "en") -> float:
    """The Flesch–Kincaid grade of plain English text, or the grade Spanish text's
    Fernández Huerta ease reads as (0 for no text)."""
    if not text.strip():
        return 0.0
    # Imported here: textstat takes a tenth of a second to load, and every build
    # (most of them never grade anything) imports this module.
    import textstat

    if lang == "es":
        return spanish_grade(textstat.fernandez_huerta(text))
    return round(textstat.flesch_kincaid_grade(text), 1)


# Fernández Huerta's scale: (lowest ease, the US school grade it reads as).
SPANISH_SCALE = ((90, 4), (80, 6), (70, 7), (60, 9), (50, 11), (30, 13))


def spanish_grade(ease: float) -> float:
    """The school grade a Fernández Huerta ease reads as (16 below 30: university)."""
    return float(next((grade for lowest, grade in SPANISH_SCALE if ease >= lowest), 16))


def readability_rows(content: Path, settings: dict) -> list[Readability]:
    """Every article's grade, hardest first."""
    target = settings["READABILITY_MAX_GRADE"]
    rows = []
    for source in iter_markdown_sources(content):
        if source.kind != "article":
            continue
        text = prose("\n".join(line for _, line in source.body), settings)
        lang = source.meta.get("lang", (0, settings["DEFAULT_LANG"]))[1].strip()
        score = grade(text, lang)
        title = source.meta.get("title", (0, source.rel))[1]
        rows.append(Readability(source.rel, title, score, len(text.split()), score > target))
    return sorted(rows, key=lambda row: (-row.grade, row.path))
