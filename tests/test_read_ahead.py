"""Reading ahead (engine/read_ahead.py): the Markdown files read in forked workers
give exactly what reading them in process gives, and a process with threads
does not fork."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT

from benchmarks.synthetic import write_articles
from commands.build import load_settings
from engine.read_ahead import read_ahead
from engine.workers import FORK_FROM_SECONDS
from plugins import plain_metadata
from plugins.plain_metadata import READ_SECONDS, Memo, SiteMarkdownReader


@pytest.fixture
def settings() -> dict:
    return load_settings(production=True)


@pytest.fixture
def articles(tmp_path) -> list[str]:
    """More files than it takes for reading them to be worth forking."""
    enough = int(FORK_FROM_SECONDS / READ_SECONDS) + 6
    return [str(path) for path in write_articles(tmp_path, enough)]


@pytest.fixture(autouse=True)
def empty_memo():
    plain_metadata.forget()


# Run in a fresh single-threaded process: a pytest-xdist worker has threads,
# so read_ahead (rightly) would not fork from it.
READ_AHEAD = """
import json, os, sys
from pathlib import Path
from engine import workers
from engine.read_ahead import KIND, read_ahead
from plugins import plain_metadata
os.cpu_count = lambda: 2  # the parallel path, whatever machine runs the suite
from commands.build import load_settings
settings = load_settings(production=True)
paths = json.loads(sys.argv[1])
memo = plain_metadata.Memo(settings)
count = read_ahead(paths, memo)
record = workers.last_run(KIND)
again = read_ahead(paths, memo)
read = {path: memo.get(memo.key(Path(path).read_bytes())) for path in paths}
print(json.dumps({"count": count, "again": again, "memo": read, "workers": record.workers}))
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
    assert ahead["workers"] == 2, "the files were not read by forked workers"
    assert ahead["again"] == 0  # all remembered now
    reader = SiteMarkdownReader(settings)
    assert ahead["memo"] == {
        path: list(reader.convert(Path(path).read_bytes())) for path in articles
    }


def test_a_process_with_threads_reads_in_process(settings, articles):
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as the preview server's thread
    server.start()
    try:
        assert read_ahead(articles, Memo(settings)) == 0
    finally:
        stop.set()
        server.join()
