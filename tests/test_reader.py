"""The site's Markdown reader: its memo and parallel reading give exactly what reading gives."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from plugins import plain_metadata
from plugins.plain_metadata import SiteMarkdownReader, memo_key, read_ahead
from plugins.strict_build import load_settings
from plugins.synthetic import write_articles

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings() -> dict:
    return load_settings(production=True)


@pytest.fixture
def articles(tmp_path) -> list[str]:
    return [str(path) for path in write_articles(tmp_path, plain_metadata.PARALLEL_FROM + 6)]


@pytest.fixture(autouse=True)
def empty_memo(monkeypatch):
    monkeypatch.setattr(plain_metadata, "_MEMO", {})


# Run in a fresh single-threaded process: a pytest-xdist worker has threads,
# so read_ahead (rightly) would not fork from it.
READ_AHEAD = """
import json, sys
from plugins import plain_metadata
from plugins.strict_build import load_settings
settings = load_settings(production=True)
paths = json.loads(sys.argv[1])
count = plain_metadata.read_ahead(paths, settings)
again = plain_metadata.read_ahead(paths, settings)
memo = {path: plain_metadata._MEMO[plain_metadata.memo_key(path, settings)] for path in paths}
print(json.dumps({"count": count, "again": again, "memo": memo}))
"""


def test_reading_ahead_in_workers_gives_what_reading_in_process_gives(settings, articles):
    result = subprocess.run(
        [sys.executable, "-c", READ_AHEAD, json.dumps(articles)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    ahead = json.loads(result.stdout)
    assert ahead["count"] == len(articles)
    assert ahead["again"] == 0  # all remembered now
    reader = SiteMarkdownReader(settings)
    assert ahead["memo"] == {path: list(reader._convert(path)) for path in articles}


def test_a_process_with_threads_reads_in_process(settings, articles):
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as the preview server's thread
    server.start()
    try:
        assert read_ahead(articles, settings) == 0
    finally:
        stop.set()
        server.join()


def test_the_memo_key_changes_with_the_bytes_and_the_markdown_settings(settings, articles):
    path = articles[0]
    key = memo_key(path, settings)
    assert memo_key(path, {**settings}) == key
    other = {**settings, "MARKDOWN": {**settings["MARKDOWN"], "output_format": "xhtml"}}
    assert memo_key(path, other) != key
    with Path(path).open("a", encoding="utf-8") as file:
        file.write("\nOne more sentence.\n")
    assert memo_key(path, settings) != key


def test_a_remembered_file_still_gets_this_builds_metadata_objects(settings, articles):
    reader = SiteMarkdownReader(settings)
    _, first = reader.read(articles[0])
    _, again = SiteMarkdownReader(load_settings()).read(articles[0])
    assert first["category"] is not again["category"]
    assert first["category"].settings["SITEURL"] != again["category"].settings["SITEURL"]
    assert first["title_text"] == again["title_text"]
