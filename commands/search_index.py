"""The search index: what `/search/` looks in, made by Pagefind at build time.

Pagefind (the `pagefind-bin` wheel, pinned in requirements.lock; nothing is
downloaded at run time) reads one small HTML record per published article
and page, written from Pelican's own content objects, never from the built
pages, so the site's header, footer, disclaimer box, contents list and
References never reach the index, and neither do drafts, scheduled articles,
hidden pages (the 404 page) or lists. A record is the title (as Pagefind's
title, weighted highest so that a title match ranks before a passing
mention), the article's `Also_called` names (weighted as the title: they are
its other names), the summary and the body.

Beside the index the build writes two files for the search page's script
(theme/static/js/search.js): `search/words.json`, the other words people use
(rules/search_words.py, `content/search-words.txt`), which the page searches
for instead of the word typed and fetches with the engine; and
`search/names.json`, every title and `Also_called` name with its address,
from which "no results" offers the closest, fetched only then (at 1000
articles it is some 6 KB the first search need not carry).

Pagefind's output for the same records is the same bytes (file names are
hashes of their content), so two builds are identical. It is kept in the
site cache (engine/cache.py) under a digest of the records it read and
Pagefind's version: a build in which no record changed writes the index from
the cache without running Pagefind. `commands/build.py` writes it into the
staging folder before the swap; the preview (preview/rebuild.py) serves its
new pages first, with the index before them, then writes the new one in
place (`write_search_index` on a live folder: only the files that changed,
the entry file last).
"""

from __future__ import annotations

import base64
import html
import json
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path

from pagefind_bin import get_executable

from engine import cache
from plugins.a_to_z import other_names
from plugins.article_parts import article_parts
from rules.search_words import read_words

STEP = "search-index"
# Where the index is published, and what of Pagefind's output the page uses:
# its search engine (pagefind.js and the English WebAssembly), the entry and
# metadata files, the index chunks and each page's fragment. Pagefind's own
# interfaces (pagefind-ui.*, the component and modular UIs, the highlighter)
# and its web worker are left out: the page's script runs the search itself.
FOLDER = "pagefind"
PUBLISHED = ("pagefind.js", "pagefind-entry.json", "wasm.en.pagefind")
PUBLISHED_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment")
WORDS_FILE = "search/words.json"
NAMES_FILE = "search/names.json"
# What Pagefind writes beside each record (its fragment and its share of the
# index), in bytes, when the records' folder is in memory.
ROOM_PER_RECORD = 64 * 1024
# Pagefind's files named by their content: one already there is the same file.
NAMED_BY_CONTENT = (".pf_meta", ".pf_index", ".pf_fragment")
# The file that names the others: written after them, so a reader of a live
# folder (the preview) finds either the old index or the new one.
ENTRY = "pagefind-entry.json"
# Pagefind's weights run from 0 to 10 (body text is 1, an <h2> 6).
TITLE_WEIGHT = 10


def records(generators) -> dict[str, str]:
    """The HTML Pagefind reads for every published article and page, by output path."""
    found: dict[str, str] = {}
    for content in published(generators):
        found[content.save_as] = record(content)
    return dict(sorted(found.items()))


def published(generators) -> list:
    """Every article and page a reader may find: published, neither hidden nor a draft."""
    contents = []
    for generator in generators:
        contents.extend(getattr(generator, "articles", ()))
        if type(generator).__name__ == "PagesGenerator":
            contents.extend(generator.pages)
    return [content for content in contents if content.status == "published"]


def record(content) -> str:
    """One page as Pagefind reads it: the title, other names, summary and body."""
    title = html.escape(content.title_text)
    names = other_names(content)
    opening, sections, _references = article_parts(content.content)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(content.lang)}"><head><title>{title}</title></head><body>',
        "<main data-pagefind-body>",
        f'<h1 data-pagefind-meta="title" data-pagefind-weight="{TITLE_WEIGHT}">{title}</h1>',
    ]
    if names:
        also = html.escape(", ".join(names))
        lines.append(f'<p data-pagefind-weight="{TITLE_WEIGHT}">Also called {also}.</p>')
    summary = getattr(content, "summary_text", "") or ""
    if summary:
        lines.append(f"<p>{html.escape(summary)}</p>")
    lines += [opening, sections, "</main></body></html>"]
    return "\n".join(lines)


def index_files(found: dict[str, str]) -> dict[str, bytes]:
    """Pagefind's published files for these records, by path under FOLDER (cached)."""
    key = cache.digest(json.dumps([version("pagefind-bin"), found], ensure_ascii=False))
    kept = cache.cached(STEP, key, lambda: _encoded(run_pagefind(found)))
    return {path: base64.b64decode(data) for path, data in kept.items()}


def _encoded(files: dict[str, bytes]) -> dict[str, str]:
    return {path: base64.b64encode(data).decode("ascii") for path, data in files.items()}


def run_pagefind(found: dict[str, str]) -> dict[str, bytes]:
    """Run Pagefind over the records (written in memory where there is room); its
    published files by path."""
    room = ROOM_PER_RECORD * len(found) + sum(len(text) for text in found.values()) * 4
    with tempfile.TemporaryDirectory(prefix="search-records-", dir=cache.in_memory(room)) as folder:
        site = Path(folder, "site")
        for save_as, text in found.items():
            path = site / save_as
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        out = Path(folder, "out")
        site.mkdir(exist_ok=True)
        command = [str(get_executable()), "--site", str(site), "--output-path", str(out)]
        result = subprocess.run(
            [*command, "--force-language", "en", "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"Pagefind failed: {result.stderr or result.stdout}".strip())
        return {
            path.relative_to(out).as_posix(): path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.is_file() and is_published(path.relative_to(out).as_posix())
        }


def is_published(path: str) -> bool:
    """Whether a file of Pagefind's output is one the search page uses."""
    return path in PUBLISHED or path.endswith(PUBLISHED_SUFFIXES)


def as_json(value) -> bytes:
    """`value` as compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def words(content: Path) -> bytes:
    """`search/words.json`: the other words people use, each with the word our pages use."""
    said = {word.said.casefold(): word.means for word in read_words(content)[0]}
    return as_json({"words": dict(sorted(said.items()))})


def names(generators) -> bytes:
    """`search/names.json`: every title and `Also_called` name with its address."""
    found = []
    for item in published(generators):
        found.append([item.title_text, item.url])
        found.extend([name, item.url] for name in other_names(item))
    return as_json(sorted(found))


def write_search_index(output: Path, generators, settings: dict) -> list[Path]:
    """Write the index, `search/words.json` and `search/names.json` into a build in
    `output`; return the files written.

    Into a live folder (the preview's), only files whose bytes changed are
    written, each whole (a temporary name, then renamed), the entry file after
    the files it names, and the files the new index no longer names deleted
    last. A search that loaded the old entry file a moment before may then
    miss one of its old fragments: the preview's search page, once, until the
    next search."""
    if not settings.get("SEARCH_SAVE_AS"):
        return []
    target = output / FOLDER
    files = {f"{FOLDER}/{path}": data for path, data in index_files(records(generators)).items()}
    files[WORDS_FILE] = words(Path(settings["PATH"]))
    files[NAMES_FILE] = names(generators)
    # What an earlier index left, less the hosts' `.gz` copies (each goes with its file).
    before = {
        path.relative_to(output).as_posix()
        for path in target.rglob("*")
        if path.is_file() and path.suffix != ".gz"
    }
    written = []
    for name in sorted(files, key=lambda name: name.endswith(ENTRY)):
        path, data = output / name, files[name]
        if _same(path, data, content_named=name in before and name.endswith(NAMED_BY_CONTENT)):
            continue
        cache.write_entry(path, data)
        written.append(path)
    for name in before - files.keys():
        (output / name).unlink(missing_ok=True)
        (output / f"{name}.gz").unlink(missing_ok=True)
    return written


def keep_previous_index(previous: Path, output: Path) -> None:
    """Give the build in `output` the index of the build in `previous` (hard links,
    or copies where links cannot be made): the preview serves its new pages with
    it, then writes the new index in place (preview/rebuild.py). No file is
    ever written through such a link: every writer replaces whole files."""
    found = []
    for name in (FOLDER, WORDS_FILE, NAMES_FILE):
        path = previous / name
        found += [item for item in path.rglob("*") if item.is_file()] if path.is_dir() else [path]
    for path in found:
        if path.suffix == ".gz" or not path.is_file():
            continue  # the host files' step makes the build's own
        target = output / path.relative_to(previous)
        target.parent.mkdir(parents=True, exist_ok=True)
        cache.link_or_copy(path, target)


def _same(path: Path, data: bytes, *, content_named: bool) -> bool:
    """Whether `path` already holds `data` (a file named by its content: by its size)."""
    try:
        if content_named:
            return path.stat().st_size == len(data)
        return path.read_bytes() == data
    except OSError:
        return False
