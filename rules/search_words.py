"""The other words people use, kept by editors in `content/search-words.txt`.

A reader types what they were told or how they spell it: "special k",
"migrane". Each line of the file says which word of the site's own such a
word means, so the search page looks for that instead:

    # Other words people use → the word our pages use
    special k → ketamine
    migrane → migraine

`->` works as well as `→`; a line starting with `#` is a note; blank lines
are skipped. The file is optional. The search page reads the list from the
build (commands/search_index.py); this module reads it and holds its rule: a
line that cannot be read, a word listed twice, and a word that would find no
published article or page are problems at the file's line, so no listed word
ever leads a reader to "no results".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rules.site import Summary, is_scheduled
from rules.sources import Problem, is_draft

FILE_NAME = "search-words.txt"
ARROW = re.compile(r"\s*(?:→|->)\s*")
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchWord:
    """One line of the list: what readers type (`said`) and the site's word (`means`)."""

    line: int
    said: str
    means: str


def words_file(content: Path) -> Path:
    """Where the list lives in a content folder."""
    return content / FILE_NAME


def is_words_file(rel: str) -> bool:
    """Whether a name relative to content/'s parent (`content/search-words.txt`) is the list."""
    return rel.split("/", 1)[-1] == FILE_NAME and rel.count("/") == 1


def read_words(content: Path) -> tuple[list[SearchWord], list[Problem]]:
    """The list's lines, and a problem for each line that cannot be read."""
    path = words_file(content)
    rel = f"{content.name}/{FILE_NAME}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError):
        return [], [Problem(rel, 0, "the file cannot be read as UTF-8 text; save it as UTF-8.")]
    words: list[SearchWord] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = ARROW.split(line)
        if len(parts) != 2 or not all(WORD.search(part) for part in parts):
            problems.append(
                Problem(
                    rel,
                    number,
                    f"write one word people use, an arrow and the word our pages use, "
                    f"as `special k → ketamine`; this line reads `{line}`.",
                )
            )
            continue
        said, means = (" ".join(part.split()) for part in parts)
        key = said.casefold()
        if key in seen:
            problems.append(
                Problem(
                    rel,
                    number,
                    f"“{said}” is listed already on line {seen[key]}; keep one of the two lines.",
                )
            )
            continue
        seen[key] = number
        words.append(SearchWord(number, said, means))
    return words, problems


def published_texts(
    summaries: Iterable[Summary], data: Mapping[str, bytes], on: dt.date
) -> list[str]:
    """The text of every article and page a production build publishes, lower case."""
    texts = []
    for summary in summaries:
        source = summary.source
        status = source.meta.get("status", (0, ""))[1].strip().lower()
        if not summary.checked or is_draft(source) or status == "hidden":
            continue
        if is_scheduled(source, on):
            continue
        texts.append(data[source.rel].decode("utf-8", "replace").casefold())
    return texts


def finds_a_page(means: str, texts: Iterable[str]) -> bool:
    """Whether every word of `means` starts a word in one published text (the
    search engine finds a word's longer forms too: migraine, migraines)."""
    patterns = [re.compile(rf"\b{re.escape(word)}") for word in WORD.findall(means.casefold())]
    return any(all(pattern.search(text) for pattern in patterns) for text in texts)


def check_search_words(
    content: Path, summaries: Iterable[Summary], data: Mapping[str, bytes], on: dt.date
) -> list[Problem]:
    """Every problem with the list: lines it cannot read, and words that would find nothing."""
    words, problems = read_words(content)
    if not words:
        return problems
    texts = published_texts(summaries, data, on)
    rel = f"{content.name}/{FILE_NAME}"
    for word in words:
        if not finds_a_page(word.means, texts):
            problems.append(
                Problem(
                    rel,
                    word.line,
                    f"“{word.said}” → “{word.means}” finds no published article or page: "
                    f"no page uses “{word.means}”. Change it to a word a page uses, "
                    "or delete the line.",
                )
            )
    return problems
