"""The local preview: serve the built folder on 127.0.0.1 and rebuild on change.

A failed rebuild prints every problem and keeps serving the last good build,
so an editor sees what to fix without the preview going blank.

Live reload (`invoke serve` only). The page open in the editor's browser
updates itself after each save, and shows the same problem list the terminal
prints when a save breaks the build. Nothing of it reaches the built files:
the preview server alone changes HTML *responses*, in memory, on their way
out. It adds `<script src="/__preview/live.js" defer>` before `</body>` and
relaxes that response's meta Content-Security-Policy just enough for it
(`script-src 'self'` and `connect-src 'self'`, every other directive kept).
The script (`live.js`, beside this module) listens to
`/__preview/events`, a server-sent event stream: `rebuilt` or `failed` (with
the problems as JSON), each carrying the rebuild's version number. A page is
served with the version it was built at; the stream starts with the current
state, so a page that connects late or after a failure is told at once.

Why this and not a wrapper page that frames the site: a frame is not how
readers meet the page (the real hosts forbid framing, `frame-ancestors
'none'`), it changes what the editor sees and does (the address bar stays on
the wrapper, links open inside the frame, focus, zoom and print behave
differently), and the wrapper would still need the same event stream.
Rewriting the response keeps each page at its own address, the build's bytes
apart from the two additions, and the files on disk untouched.
`invoke preview` (`serve_forever`) uses the plain handler: it shows the
production build exactly as it is on disk.

A page served while a rebuild is being swapped in may carry the old number
with the new content; it then reloads once more than needed, never less.
"""

from __future__ import annotations

import functools
import html
import http.server
import io
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from commands.build import BuildFailed

STILL_SERVING = "Still serving the last good build. Fix the problems above and save again."
# The same advice under the list on the page (where the list is not "above").
STILL_SERVING_ON_PAGE = "Still serving the last good build. Fix the problems and save again."
# Said once the search index of a rebuild is written, after its pages are served.
SEARCH_UPDATED = "Search index updated."
EVENTS_PATH = "/__preview/events"
SCRIPT_PATH = "/__preview/live.js"
SCRIPT_FILE = Path(__file__).with_name("live.js")
# Each open page holds one stream (and one thread) for as long as it is open;
# more than this many is a runaway, not an editor's tabs.
MAX_STREAMS = 16
# A comment line this often lets the server notice a closed tab (its write
# fails) and keeps proxies and the browser from timing the stream out.
HEARTBEAT_SECONDS = 15.0
_META_CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page, as the real hosts serve them."""

    def page(self, body: bytes) -> bytes:
        """An HTML page on its way out: unchanged here (the live handler adds to it)."""
        return body

    def send_bytes(self, code: int, body: bytes, content_type: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            self.send_bytes(404, self.page(not_found.read_bytes()), "text/html; charset=utf-8")
            return
        super().send_error(code, message, explain)

    def send_head(self):
        # Like nginx's gzip_static and the other hosts: a production build has a
        # .gz beside each text file, sent to a browser that accepts it, so a
        # local check (Lighthouse, `invoke preview`) sees the bytes readers get.
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path /= "index.html"
        compressed = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and compressed.is_file():
            body = compressed.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def end_headers(self) -> None:
        # Every rebuild must show at once; never let the browser reuse a copy.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the editor's terminal for build messages


class LiveState:
    """What the rebuild loop last did, numbered, for every open page to hear."""

    def __init__(self) -> None:
        self.version = 0
        self.event = "rebuilt"
        self.data = json.dumps({"version": 0})
        self.closed = False
        self._changed = threading.Condition()
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)

    def publish(self, failure: BuildFailed | None = None) -> None:
        """Tell every page the build succeeded (no `failure`) or what failed."""
        with self._changed:
            self.version += 1
            report: dict[str, object] = {"version": self.version}
            if failure is None:
                self.event = "rebuilt"
            else:
                self.event = "failed"
                report |= {
                    "heading": str(failure).splitlines()[0],
                    "problems": failure.problems,
                    "next": STILL_SERVING_ON_PAGE,
                }
            self.data = json.dumps(report)
            self._changed.notify_all()

    def close(self) -> None:
        """End every stream, so the server can stop at once."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def messages(self) -> Iterator[str]:
        """The current state at once, then each new one, with heartbeats between."""
        seen = None
        while True:
            with self._changed:
                if self.version == seen:
                    self._changed.wait(HEARTBEAT_SECONDS)
                if self.closed:
                    return
                if self.version == seen:
                    message = ": heartbeat\n\n"
                else:
                    seen = self.version
                    message = f"event: {self.event}\ndata: {self.data}\n\n"
            yield message


def relax_policy(policy: str) -> str:
    """`policy` with the page's own origin allowed for scripts and connections."""
    directives = dict(part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    for name in ("script-src", "connect-src"):
        sources = directives.get(name, "'none'").split()
        sources = [s for s in sources if s != "'none'"]
        if "'self'" not in sources:
            sources.append("'self'")
        directives[name] = " ".join(sources)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_live_reload(page: str, version: int) -> str:
    """The page with the live-reload script and a policy that lets it run."""

    def relaxed(match: re.Match[str]) -> str:
        policy = relax_policy(html.unescape(match.group(2)))
        return match.group(1) + html.escape(policy) + match.group(3)

    page = _META_CSP.sub(relaxed, page, count=1)
    tag = f'<script src="{SCRIPT_PATH}" data-version="{version}" defer></script>'
    before, body_end, after = page.rpartition("</body>")
    return before + tag + body_end + after if body_end else page + tag


class _LiveHandler(_Handler):
    """The plain handler plus live reload: the script, the event stream, pages that load it."""

    def __init__(self, *args, live: LiveState, **kwargs) -> None:
        self.live = live  # set first: the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def page(self, body: bytes) -> bytes:
        return add_live_reload(body.decode("utf-8"), self.live.version).encode("utf-8")

    def do_GET(self) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:
            self.stream_events()
        else:
            super().do_GET()

    def send_head(self):
        route = urlsplit(self.path).path
        if route == SCRIPT_PATH:
            self.send_bytes(200, SCRIPT_FILE.read_bytes(), "text/javascript; charset=utf-8")
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path /= "index.html"
        if path.suffix == ".html" and path.is_file():
            self.send_bytes(200, self.page(path.read_bytes()), "text/html; charset=utf-8")
            return None
        moved = self.moved_to(route)
        if moved:
            self.send_response(307)
            self.send_header("Location", moved)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def moved_to(self, route: str) -> str | None:
        """Where a draft went when it was published, or a published page when it
        became a draft again: the open tab reloads after the save and follows it."""
        if route.startswith(DRAFTS):
            other = "/" + route.removeprefix(DRAFTS)
        elif route.count("/") == 2 and route.endswith("/"):
            other = DRAFTS + route.lstrip("/")
        else:
            return None
        target = Path(self.translate_path(other)) / "index.html"
        return other if other != "/" and target.is_file() else None

    def stream_events(self) -> None:
        if not self.live.streams.acquire(blocking=False):
            self.send_bytes(
                503,
                b"Too many pages are waiting for rebuilds; close some tabs.\n",
                "text/plain; charset=utf-8",
            )
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for message in self.live.messages():
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded
        finally:
            self.live.streams.release()


# Where the preview writes drafts: pelicanconf.DRAFT_URL, "drafts/{slug}/".
DRAFTS = "/drafts/"


class PortInUse(Exception):
    """The preview's port is taken; the message says what to do."""


def make_server(
    directory: Path, host: str, port: int, *, live: LiveState | None = None
) -> http.server.ThreadingHTTPServer:
    """A server for `directory`; with `live`, pages reload themselves after each rebuild."""
    if live is None:
        handler = functools.partial(_Handler, directory=str(directory))
    else:
        handler = functools.partial(_LiveHandler, directory=str(directory), live=live)
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise PortInUse(
            f"Cannot serve on http://{host}:{port}/ ({error.strerror}). Another preview may "
            f"still be running: stop it, or use another port: make serve PORT={port + 1}"
        ) from None


def serve_forever(directory: Path, *, host: str, port: int) -> None:
    """Serve `directory` until interrupted, exactly as built (no live reload)."""
    server = make_server(directory, host, port)
    print(f"Serving {directory} at http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve_and_rebuild(
    directory: Path,
    *,
    rebuild: Callable[[set[Path] | None], object],
    watch: Iterable[Path],
    host: str,
    port: int,
    address_file: Path | None = None,
    not_own: Callable[[set[Path]], set[Path]] = lambda changed: changed,
    finish: Callable[[], bool] = lambda: False,
) -> None:
    """Serve `directory`, call `rebuild` with the changed paths whenever a watched path
    changes, and tell open pages.

    The first build is `rebuild(None)`; a BuildFailed from it stops everything.
    `not_own(changed)` leaves out of `changed` what the rebuild wrote itself (a
    photo it cleaned): that is no reason to build again. `finish()` runs after
    open pages were told: the work no page but the search page waits for (the
    search index; True when it did some, which is said); a BuildFailed from it
    is said as a rebuild's is.

    The server runs in a process of its own, so this one rebuilds with a single
    thread: only then may a full rebuild fork workers to read and render pages
    on every core (engine/workers.py, the one place that forks). It is
    started before the first build, so it never holds a copy of a build's
    objects. It hears of each rebuild over a pipe, and stops when this process
    ends, however it ends (the pipe closes). While it serves, `address_file` holds
    its address and process id, so other commands print the address it really has
    (`running_preview`).
    """
    import multiprocessing

    import watchfiles

    # The editor reads these lines as they happen, also when the output goes
    # to a pipe or a log (block-buffered by default): one flush per line.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    server = make_server(directory, host, port, live=LiveState())
    news, tell = multiprocessing.Pipe(duplex=False)
    serving = multiprocessing.get_context("fork").Process(
        target=_serve_until_told, args=(server, news, tell), daemon=True
    )
    serving.start()
    server.socket.close()  # the server process has the socket now
    news.close()
    try:
        started = time.time()
        print(f"Built development site in {rebuild(None)}")
        _finish(finish)
        # The watcher starts after the first build: a save made during it would
        # wait for the next one, while the server already shows the old pages.
        while not_own(_changed_since(started, watch)):
            started = time.time()
            rebuild(None)
            _finish(finish)
        if address_file:
            address_file.parent.mkdir(parents=True, exist_ok=True)
            address_file.write_text(
                json.dumps({"address": f"http://{host}:{port}/", "pid": os.getpid()}),
                encoding="utf-8",
            )
        print(f"Serving at http://{host}:{port}/ and rebuilding on change (Ctrl+C to stop)")
        # A save between the last look above and the moment the watcher is listening
        # would be missed: its first answer (a change, or a second of quiet) comes
        # once it listens, and the files are looked at once more then.
        unseen_since: float | None = started
        for changes in watchfiles.watch(
            *watch, debounce=400, rust_timeout=1000, yield_on_timeout=True
        ):
            paths = {Path(path) for _, path in changes}
            if unseen_since is not None:
                paths |= _changed_since(unseen_since, watch)
                unseen_since = None
            changed = not_own(paths)
            if not changed:
                continue
            # Editors' save dances leave short-lived temporary files; name only real ones.
            names = sorted({path.name for path in changed if path.exists()})
            print(f"Changed: {', '.join(names)}; rebuilding…")
            try:
                rebuild(changed)
            except BuildFailed as failure:
                print(failure)
                print(STILL_SERVING)
                news_for_pages = failure.problems
            else:
                print("Rebuilt. Open pages update themselves.")
                news_for_pages = None
            if not _tell(tell, news_for_pages):
                return
            if news_for_pages is None:
                try:
                    _finish(finish)
                except BuildFailed as failure:
                    print(failure)
                    print(STILL_SERVING)
                    if not _tell(tell, failure.problems):
                        return
    except KeyboardInterrupt:
        pass
    finally:
        if address_file:
            address_file.unlink(missing_ok=True)
        tell.close()
        serving.join(timeout=5)
        if serving.is_alive():
            serving.terminate()


def _finish(finish: Callable[[], bool]) -> None:
    """What a build left for after its pages are served, said when done (a failure
    of the first build's is the build's: raised)."""
    if finish():
        print(SEARCH_UPDATED)


def _tell(tell, news) -> bool:
    """Send the server news of a build; False (and said) if it has stopped."""
    try:
        tell.send(news)
    except OSError:
        print("The preview server has stopped; start `make serve` again.")
        return False
    return True


def running_preview(address_file: Path) -> str | None:
    """The address of the preview that is serving now, if one is."""
    try:
        note = json.loads(address_file.read_text(encoding="utf-8"))
        os.kill(note["pid"], 0)  # signal 0: only asks whether the process is alive
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return note["address"]


def _changed_since(moment: float, watch: Iterable[Path]) -> set[Path]:
    """The watched files written after `moment` (seconds since the epoch)."""
    changed = set()
    for root in watch:
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        changed.update(path for path in files if path.stat().st_mtime > moment)
    return changed


def _serve_until_told(server: http.server.ThreadingHTTPServer, news, tell) -> None:
    """The server process: serve, and pass each rebuild's news to the open pages."""
    import signal

    tell.close()  # so that the pipe ends when the rebuilding process does
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the rebuilding process
    live = server.RequestHandlerClass.keywords["live"]

    def relay() -> None:
        try:
            while True:
                problems = news.recv()
                live.publish(None if problems is None else BuildFailed(problems))
        except (EOFError, OSError):
            pass
        live.close()
        server.shutdown()

    threading.Thread(target=relay, daemon=True).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
