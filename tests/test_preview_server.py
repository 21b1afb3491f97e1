"""The editor's preview: `invoke serve` builds, serves on 127.0.0.1 and rebuilds on change.

The server and live reload are preview/server.py and preview/live.js; `invoke preview`
serves a production build with the same server, without live reload.
"""

from __future__ import annotations

import html
import os
import re
import signal
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
from conftest import CLEANED_LINE, edit, phone_photo, run_invoke, snapshot
from conftest import FIXTURE_ARTICLE as ARTICLE_SOURCE

from preview.server import SEARCH_UPDATED

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


def start_serve(site: Path, port: int, task: str = "serve") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "invoke", task, "--port", str(port)],
        cwd=site,
        env=os.environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Ctrl+C stops it as in a terminal, even under a runner started with SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
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
    # The search index follows the served pages, written in place: the new
    # title is among the names the search page offers.
    assert wait_for(lambda: "Ketamine and Migraine" in fetch(f"{origin}/search/names.json")[1])
    assert wait_for(lambda: preview.printed(SEARCH_UPDATED)), preview.output
    edit(site / ARTICLE, "Date: 2026-11-25", "Date: not a date")
    assert wait_for(lambda: preview.printed("Still serving the last good build")), preview.output
    assert preview.printed(f"{ARTICLE}:2: Date 'not a date' is not a valid date")
    status, page = fetch(f"{origin}/ketamine-for-migraine/")
    assert status == 200 and "Ketamine and Migraine</h1>" in page


def test_serve_cleans_a_photo_dropped_into_images_and_says_so_once(preview, tmp_path):
    from rules.photo_metadata import private_metadata

    site = preview.site
    images = site / "content/images"
    images.mkdir(exist_ok=True)
    phone_photo(tmp_path / "phone-photo.jpg")
    (tmp_path / "phone-photo.jpg").replace(images / "phone-photo.jpg")  # whole, as a save is
    assert wait_for(lambda: preview.printed(CLEANED_LINE), 60), preview.output
    # A build after the cleaning (it may have ended before the poll above saw the line).
    cleaned = "".join(preview.output).index(CLEANED_LINE)
    assert wait_for(
        lambda: "Rebuilt. Open pages update themselves." in "".join(preview.output)[cleaned:],
        60,
    ), preview.output
    assert private_metadata(images / "phone-photo.jpg") == ()
    # Its own write is no news: no second build for the cleaned file.
    time.sleep(2)
    printed = "".join(preview.output)
    assert printed.count(CLEANED_LINE) == 1, printed
    assert printed.count("phone-photo.jpg; rebuilding") == 1, printed
    assert "The build failed" not in printed, printed


def test_serve_cleans_a_photo_already_there_before_its_first_build(site_copy):
    images = site_copy / "content/images"
    images.mkdir(exist_ok=True)
    phone_photo(images / "phone-photo.jpg", size=(1200, 900))
    port = quality.free_port()
    process = start_serve(site_copy, port)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        # Its server may answer a moment before it says it built: wait for its words.
        assert wait_for(lambda: "Serving at" in "".join(lines), 60), lines
        assert fetch(f"http://127.0.0.1:{port}/")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        reader.join(timeout=10)
        process.stdout.close()
    output = "".join(lines)
    assert output.count(CLEANED_LINE) == 1, output
    assert output.index(CLEANED_LINE) < output.index("Built development site"), output
    assert "The build failed" not in output, output


def test_serve_says_what_to_do_when_the_port_is_taken(site_copy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_serve(site_copy, port)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    assert f"Cannot serve on http://127.0.0.1:{port}/" in output
    assert f"make serve PORT={port + 1}" in output


def test_make_serve_takes_the_port_it_is_given(tmp_path):
    # The Makefile only bootstraps: with PORT it hands that port to the preview.
    planned = subprocess.run(
        ["make", "-n", "-C", str(quality.ROOT), "serve", "PORT=8123"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MAKEFLAGS": ""},
    ).stdout
    assert "invoke serve --port 8123" in planned, planned


# --- The editor's way from a new draft to its published address ---------------


def test_a_new_draft_is_announced_at_the_previews_real_address_and_its_tab_follows_it_live(
    preview, browser
):
    from playwright.sync_api import expect

    site, origin = preview.site, preview.origin
    created = run_invoke(site, "new", "Quiet Rooms at Work")
    assert created.returncode == 0, created.stderr
    draft_address = f"{origin}/drafts/quiet-rooms-at-work/"
    assert f"Open {draft_address} to see it as you write" in created.stdout
    draft = site / "content/quiet-rooms-at-work.md"
    assert wait_for(lambda: fetch(draft_address)[0] == 200), preview.output

    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(draft_address, wait_until="load")
        expect(page.get_by_role("heading", level=1)).to_have_text("Quiet Rooms at Work")
        # "Going live" in the guide's order: the real summary first, then the draft line.
        edit(draft, "Summary: One or two", "Summary: Where to rest at work. One or two")
        edit(draft, "Status: draft\n", "")
        page.wait_for_url(f"{origin}/quiet-rooms-at-work/", timeout=WAIT_MS)
        expect(page.get_by_role("heading", level=1)).to_have_text("Quiet Rooms at Work")
        # And back: a page made a draft again is followed to its draft address.
        edit(draft, "Title: Quiet Rooms at Work", "Title: Quiet Rooms at Work\nStatus: draft")
        page.wait_for_url(draft_address, timeout=WAIT_MS)
    finally:
        context.close()


# --- Live reload: the open page follows the editor's saves --------------------

LIVE_SCRIPT = '<script src="/__preview/live.js"'
WAIT_MS = 20_000
META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def meta_policy(page: str) -> dict[str, set[str]]:
    """The page's meta Content-Security-Policy: each directive and its sources."""
    policy = html.unescape(META_CSP.search(page).group(1))
    return {d.split()[0]: set(d.split()[1:]) for d in policy.split(";") if d.strip()}


def strip_policy(page: str) -> str:
    return META_CSP.sub("", page)


@pytest.mark.browser
def test_the_open_page_updates_itself_and_shows_what_to_fix(preview, browser):
    from playwright.sync_api import expect

    site, origin = preview.site, preview.origin
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(f"{origin}/ketamine-for-migraine/", wait_until="load")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Ketamine for Migraine Treatment")

        # A save: the page shows it without the test reloading anything.
        edit(
            site / ARTICLE, "Title: Ketamine for Migraine Treatment", "Title: Ketamine and Migraine"
        )
        expect(heading).to_have_text("Ketamine and Migraine", timeout=WAIT_MS)

        # A mistake: the same list as the terminal, over the last good build.
        edit(site / ARTICLE, "Date: 2026-11-25", "Date: 25/11/2026")
        problems = page.get_by_role("dialog", name="The build failed with 1 problem:")
        expect(problems).to_be_visible(timeout=WAIT_MS)
        expect(problems.get_by_role("listitem")).to_have_text(
            re.compile(rf"^{re.escape(ARTICLE)}:2: Date '25/11/2026' is not a valid date")
        )
        expect(problems).to_contain_text("Still serving the last good build")
        expect(heading).to_have_text("Ketamine and Migraine")
        assert preview.printed(f"{ARTICLE}:2: Date '25/11/2026' is not a valid date")

        # A page opened while the build is broken is told at once, and the
        # list is as readable as the site: axe at 320 px in dark, under the
        # page's own policy, as the first page.
        with browser.new_context(
            viewport={"width": 320, "height": 800}, color_scheme="dark"
        ) as late_context:
            late = late_context.new_page()
            late.goto(f"{origin}/", wait_until="load")
            expect(late.get_by_role("dialog")).to_contain_text(f"{ARTICLE}:2:", timeout=WAIT_MS)
            visit = quality.Visit(late, "the problem list at 320px, dark", [], [], [])
            assert not quality.axe_problems(visit) + quality.horizontal_scroll_problems(visit)

        # The fix: the problems go and the page comes back with it.
        edit(site / ARTICLE, "Date: 25/11/2026", "Date: 2026-11-25")
        edit(site / ARTICLE, "Title: Ketamine and Migraine", "Title: Ketamine, Fixed")
        expect(heading).to_have_text("Ketamine, Fixed", timeout=WAIT_MS)
        expect(page.get_by_role("dialog")).to_have_count(0)
        assert preview.printed("Rebuilt. Open pages update themselves.")
    finally:
        context.close()
    refused = [line for line in console if "Content Security Policy" in line]
    assert not refused, refused


def test_live_reload_lives_in_responses_only_and_the_build_on_disk_is_untouched(preview, tmp_path):
    site, origin = preview.site, preview.origin
    edit(site / ARTICLE, "Title: Ketamine for Migraine Treatment", "Title: Ketamine and Migraine")
    assert wait_for(
        lambda: "Ketamine and Migraine</h1>" in fetch(f"{origin}/ketamine-for-migraine/")[1]
    )
    status, served = fetch(f"{origin}/ketamine-for-migraine/")
    on_disk = (site / "output/ketamine-for-migraine/index.html").read_text(encoding="utf-8")
    assert status == 200 and served.count(LIVE_SCRIPT) == 1 and LIVE_SCRIPT not in on_disk
    # The response is the file plus the script, with a policy that allows it
    # and keeps every directive of the page's own.
    disk_policy, served_policy = meta_policy(on_disk), meta_policy(served)
    assert served_policy == disk_policy | {
        "script-src": disk_policy["script-src"] | {"'self'"},
        "connect-src": {"'self'"},
    }
    without_additions = re.sub(r'<script src="/__preview/[^>]*></script>', "", served)
    assert strip_policy(without_additions) == strip_policy(on_disk)
    status, script = fetch(f"{origin}/__preview/live.js")
    assert status == 200 and "EventSource" in script
    assert LIVE_SCRIPT in fetch(f"{origin}/no-such-page/")[1], "the 404 page reloads too"

    # The same sources built without the preview give the same bytes.
    plain = tmp_path / "plain"
    result = run_invoke(site, "build", "--output", str(plain))
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(site / "output") == snapshot(plain)
    leaked = [
        p.name
        for p in (site / "output").rglob("*")
        if p.is_file() and b"__preview" in p.read_bytes()
    ]
    assert not leaked, leaked


def test_ctrl_c_stops_the_preview_at_once_with_pages_listening(site_copy):
    port = quality.free_port()
    process = start_serve(site_copy, port)
    origin = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: fetch(f"{origin}/")[0] == 200), "the preview never answered"
        events = f"{origin}/__preview/events"
        streams = [urllib.request.urlopen(events, timeout=10) for _ in range(3)]  # noqa: S310 - 127.0.0.1 only
        assert [s.readline() for s in streams] == [b"event: rebuilt\n"] * 3
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
        assert process.returncode == 0, output
        assert "Traceback" not in output
        # Each stream ends cleanly: the rest of its message, then the end of the response.
        assert [s.read() for s in streams] == [b'data: {"version": 0}\n\n'] * 3
    finally:
        process.kill()
        process.communicate()


def test_production_preview_serves_the_build_exactly(built_production_copy):
    site, _ = built_production_copy
    port = quality.free_port()
    process = start_serve(site, port, task="preview")
    try:
        origin = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: fetch(f"{origin}/")[0] == 200), "the preview never answered"
        status, page = fetch(f"{origin}/ketamine-for-migraine/")
        on_disk = (site / "output/ketamine-for-migraine/index.html").read_text(encoding="utf-8")
        assert status == 200 and page == on_disk
        assert "__preview" not in page
        assert fetch(f"{origin}/__preview/live.js")[0] == 404
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_a_production_build_is_served_compressed_like_the_real_hosts(fixture_site):
    # Lighthouse and `invoke preview` read the build through this server: they
    # must get the precompressed bytes nginx's gzip_static would send.
    import gzip

    site = fixture_site
    with quality.serving(site.root) as origin:
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
            f"{origin}/ketamine-for-migraine/", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Content-Type"].startswith("text/html")
            body = gzip.decompress(response.read())
        plain = fetch(f"{origin}/ketamine-for-migraine/")
    assert body == (site.root / "ketamine-for-migraine" / "index.html").read_bytes()
    assert plain[1].encode() == body
