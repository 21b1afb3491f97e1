"""The editor's preview: `invoke serve` builds, serves on 127.0.0.1 and rebuilds on change."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import quality
from conftest import edit
from expected import ARTICLE_SOURCE

ARTICLE = ARTICLE_SOURCE


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(condition, seconds: float = 20) -> bool:
    """Poll `condition` every 0.2 s for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def start_serve(site: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=site,
        env=os.environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@dataclass
class Preview:
    """A running `invoke serve`: its site, its address, and what it has printed."""

    site: Path
    origin: str
    output: list[str]

    def printed(self, text: str) -> bool:
        return text in "".join(self.output)


@pytest.fixture
def preview(site_copy: Path) -> Iterator[Preview]:
    port = quality.free_port()
    process = start_serve(site_copy, port)
    running = Preview(site_copy, f"http://127.0.0.1:{port}", [])
    # Read the output as it comes, so the test can wait for a message and the
    # pipe never fills.
    reader = threading.Thread(target=lambda: running.output.extend(process.stdout), daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: fetch(f"{running.origin}/")[0] == 200), "the preview never answered"
        yield running
    finally:
        process.terminate()
        process.wait(timeout=10)
        reader.join(timeout=10)
        process.stdout.close()


def test_serve_shows_the_styled_article(preview):
    origin = preview.origin
    status, page = fetch(f"{origin}/ketamine-for-migraine/")
    assert status == 200
    assert (
        '<h1 class="app-heading-xl app-article__title">Ketamine for Migraine Treatment</h1>' in page
    )
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    status, css = fetch(f"{origin}{stylesheet}")
    assert status == 200 and "--app-colour-background" in css
    status, missing = fetch(f"{origin}/no-such-page/")
    assert status == 404 and "Page not found" in missing


def test_serve_rebuilds_when_content_changes_and_keeps_the_last_good_build(preview):
    site, origin = preview.site, preview.origin
    edit(site / ARTICLE, "Title: Ketamine for Migraine Treatment", "Title: Ketamine and Migraine")
    assert wait_for(
        lambda: "Ketamine and Migraine</h1>" in fetch(f"{origin}/ketamine-for-migraine/")[1]
    )
    edit(site / ARTICLE, "Date: 2026-11-25", "Date: not a date")
    assert wait_for(lambda: preview.printed("Still serving the last good build")), preview.output
    assert preview.printed(f"{ARTICLE}:2: Date 'not a date' is not a valid date")
    status, page = fetch(f"{origin}/ketamine-for-migraine/")
    assert status == 200 and "Ketamine and Migraine</h1>" in page


def test_serve_says_what_to_do_when_the_port_is_taken(site_copy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_serve(site_copy, port)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    assert f"Cannot serve on http://127.0.0.1:{port}/" in output
    assert f"--port {port + 1}" in output
