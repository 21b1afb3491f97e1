"""The search page's budgets, measured on a generated site (`invoke bench --search`).

Issue 20 set three budgets for a site of 1000 articles:

- the first search on a phone transfers at most 150 KB in total: the page, its
  stylesheet and script, Pagefind's engine and WebAssembly, the index chunks
  and the fragments of the results shown;
- the results show within 300 ms of the last keystroke, in Chromium on this
  machine;
- the index adds at most 10 % to a warm build.

This script makes a copy of the site with N generated articles
(benchmarks/synthetic.py), builds it for production twice (nothing cached,
then warm) with each step timed (benchmarks/phases.py, which times
`commands.search_index.write_search_index`), then once more after one
article's text changed, which makes Pagefind index the site again. It serves
the build with Python's own server and types real queries into the search
page in headless Chromium (benchmarks/search_budgets.mjs, on the
puppeteer-core the Lighthouse runner uses). Bytes are counted from the built
files as the hosts send them: a file's `.gz` copy where the build wrote one
(nginx's gzip_static, the preview, Netlify and Cloudflare compress the
same), else the file (Pagefind's index chunks and fragments are compressed
already). A script, not a test: the times depend on the machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.synthetic import copy_site, write_articles

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "benchmarks" / "search_budgets.mjs"
# What a reader types: a title word, words a body uses, a word of the
# generated text in many articles, and a word on no page.
QUERIES = ("migraine", "headache diary", "aura", "throbbing", "zebra")
KEY_DELAY_MS = 60
FIRST_SEARCH_BUDGET_BYTES = 150_000
RESULTS_BUDGET_MS = 300.0
INDEX_SHARE_BUDGET = 0.10
INDEX_STEP = "search index (Pagefind, kept in the cache)"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def served_bytes(output: Path, siteurl: str, urls: Iterable[str]) -> dict[str, int]:
    """What the hosts send for each URL of the site (its `.gz` copy where the build
    wrote one), by path; a URL asked for twice counts once, as the browser caches it."""
    sizes: dict[str, int] = {}
    for url in urls:
        if not url.startswith(siteurl + "/"):
            raise ValueError(f"the page asked another site for {url}")
        path = urlsplit(url).path
        file = output / path.lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        compressed = file.with_name(file.name + ".gz")
        sizes[path] = (compressed if compressed.is_file() else file).stat().st_size
    return sizes


@dataclass(frozen=True)
class Search:
    query: str
    ms: float
    said: str
    bytes: dict[str, int]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(output: Path, port: int):
    """The build served as it is on disk (no compression: bytes are counted from the files)."""
    handler = functools.partial(QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def timed_build(site: Path, output: Path, siteurl: str) -> dict[str, float]:
    """One production build in a fresh process, each step timed (benchmarks/phases.py)."""
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.phases", str(output), str(site / "content")],
        cwd=site,
        env={**os.environ, "SITEURL": siteurl, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"the build failed:\n{run.stdout}\n{run.stderr}")
    return json.loads(run.stdout.splitlines()[-1])


def searches(chrome: str, output: Path, siteurl: str) -> tuple[dict[str, int], list[Search]]:
    """The page's own load in bytes by path, and each query typed on it."""
    job = {
        "chromePath": chrome,
        "chromeFlags": CHROMIUM_FLAGS,
        "url": f"{siteurl}/search/",
        "queries": list(QUERIES),
        "keyDelayMs": KEY_DELAY_MS,
    }
    node = shutil.which("node")
    if node is None:
        raise SystemExit("Node.js is not installed: sudo apt-get install nodejs npm")
    run = subprocess.run(
        [node, str(RUNNER), json.dumps(job)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if run.returncode != 0:
        raise SystemExit(f"the browser run failed:\n{run.stderr[-3000:]}")
    found = json.loads(run.stdout)
    return served_bytes(output, siteurl, found["loaded"]), [
        Search(s["query"], s["ms"], s["said"], served_bytes(output, siteurl, s["urls"]))
        for s in found["searches"]
    ]


def report(
    articles: int, builds: dict[str, dict[str, float]], page: dict[str, int], typed: list[Search]
) -> str:
    """The figures as a Markdown table, each beside its budget."""
    first = typed[0]
    transfer = sum({**page, **first.bytes}.values())
    engine = sum(size for path, size in first.bytes.items() if path.startswith("/pagefind/"))
    rows = [
        f"| {articles} | first search, page and search together | {transfer / 1000:,.1f} KB "
        f"(page {sum(page.values()) / 1000:,.1f} KB, engine, index and fragments "
        f"{engine / 1000:,.1f} KB, {len(page) + len(first.bytes)} files) "
        f"| ≤ {FIRST_SEARCH_BUDGET_BYTES / 1000:,.0f} KB |",
    ]
    kinds: dict[str, int] = {}
    for path, size in first.bytes.items():
        kind = path.rsplit(".", 1)[-1] if path.startswith("/pagefind/") else "page's own"
        kinds[kind] = kinds.get(kind, 0) + size
    parts = ", ".join(f"{kind} {size / 1000:,.1f} KB" for kind, size in sorted(kinds.items()))
    rows.append(f"| {articles} | … of which, by kind of file | {parts} | |")
    for search in typed:
        rows.append(
            f"| {articles} | “{search.query}”: last keystroke to results "
            f"({search.said}) | {search.ms:,.0f} ms | ≤ {RESULTS_BUDGET_MS:,.0f} ms |"
        )
    for label, spent in builds.items():
        index, whole = spent[INDEX_STEP], spent["whole build"]
        rows.append(
            f"| {articles} | {label}: search index of the whole build | {index:,.2f} s of "
            f"{whole:,.2f} s ({index / whole:.1%}; {index / (whole - index):.1%} added) "
            f"| ≤ {INDEX_SHARE_BUDGET:.0%} added |"
        )
    head = ["| articles | figure | measured | budget |", "| ---: | --- | ---: | ---: |"]
    return "\n".join(head + rows)


def run(articles: int, chrome: str) -> str:
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        site = copy_site(Path(folder) / "site")
        write_articles(site / "content", articles)
        output = Path(folder) / "output"
        builds = {"nothing cached": timed_build(site, output, siteurl)}
        builds["warm, nothing changed"] = timed_build(site, output, siteurl)
        article = site / "content" / "synthetic-article-0000.md"
        article.write_text(
            article.read_text(encoding="utf-8") + "\nOne sentence more.\n", encoding="utf-8"
        )
        builds["warm, one article's text changed"] = timed_build(site, output, siteurl)
        with serving(output, port):
            page, typed = searches(chrome, output, siteurl)
    return report(articles, builds, page, typed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument(
        "--chrome",
        default=os.environ.get("CHROME_PATH") or shutil.which("chromium") or "chromium",
    )
    args = parser.parse_args(argv)
    print(run(args.articles, args.chrome))


if __name__ == "__main__":
    main()
