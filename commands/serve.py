"""The local preview: serve the built folder on 127.0.0.1 and rebuild on change.

A failed rebuild prints every problem and keeps serving the last good build,
so an editor sees what to fix without the preview going blank.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from commands.build import BuildFailed


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page, as the real hosts serve them."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        # Every rebuild must show at once; never let the browser reuse a copy.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the editor's terminal for build messages


class PortInUse(Exception):
    """The preview's port is taken; the message says what to do."""


def make_server(directory: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(directory))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise PortInUse(
            f"Cannot serve on http://{host}:{port}/ ({error.strerror}). Another preview may "
            f"still be running: stop it, or use another port, e.g. invoke serve --port {port + 1}."
        ) from None


def serve_forever(directory: Path, *, host: str, port: int) -> None:
    """Serve `directory` until interrupted."""
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
    rebuild: Callable[[], object],
    watch: Iterable[Path],
    host: str,
    port: int,
) -> None:
    """Serve `directory` and call `rebuild` whenever a watched path changes."""
    import watchfiles

    server = make_server(directory, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving at http://{host}:{port}/ and rebuilding on change (Ctrl+C to stop)")
    try:
        for changes in watchfiles.watch(*watch, debounce=400):
            # Editors' save dances leave short-lived temporary files; name only real ones.
            names = sorted({Path(path).name for _, path in changes if Path(path).exists()})
            print(f"Changed: {', '.join(names)}; rebuilding…")
            try:
                rebuild()
            except BuildFailed as failure:
                print(failure)
                print("Still serving the last good build. Fix the problems above and save again.")
            else:
                print("Rebuilt. Reload the page in your browser.")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
