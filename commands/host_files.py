"""What every build writes for the hosts, after Pelican and before the swap.

- `_headers`: the headers for Netlify and Cloudflare Pages
  (`plugins.security_headers`).
- `.nojekyll`: GitHub Pages publishes the folder as it is (no Jekyll, which
  would drop `_headers` and other names starting with `_`).
- `<file>.gz` next to every text file (production builds), for nginx's `gzip_static`: compressed
  once at the highest level, with no file name and a zero time stamp in the
  gzip header, so two builds of the same commit are byte-identical.
"""

from __future__ import annotations

import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from engine.cache import cached_bytes, digest, write_entry
from plugins.security_headers import netlify_headers

COMPRESSED_SUFFIXES = frozenset({".html", ".css", ".js", ".xml", ".svg", ".txt", ".json"})


def output_files(output: Path) -> list[str]:
    """Every file in the build, as a path relative to it."""
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())


def compress_file(path: Path) -> None:
    """Write `path`.gz beside `path`."""
    # gzip -9 is the slowest step per page; the same bytes always compress the same.
    original = path.read_bytes()
    data = cached_bytes(
        "gzip", digest(original), lambda: gzip.compress(original, compresslevel=9, mtime=0)
    )
    # Whole, under a new name renamed over the old: never through a hard link
    # (the preview's builds share unchanged files with the build before).
    write_entry(path.with_name(path.name + ".gz"), data)


def precompress(output: Path) -> None:
    files = [p for p in output.rglob("*") if p.is_file() and p.suffix in COMPRESSED_SUFFIXES]
    # zlib and file I/O release the GIL, so threads use every core; the bytes
    # written do not depend on the order.
    with ThreadPoolExecutor() as pool:
        list(pool.map(compress_file, files))


def write_host_files(output: Path, *, theme_dir: str, compress: bool) -> None:
    """Add `_headers`, `.nojekyll` and (if `compress`) the `.gz` copies to a finished build.

    `theme_dir` is THEME_STATIC_DIR, the folder of fingerprinted theme files.
    Only production builds are compressed: the preview server does not use the
    copies, and skipping them keeps the editor's rebuild quick.
    """
    (output / ".nojekyll").write_bytes(b"")
    # Only the theme's folder matters to the rules; walking the whole build would
    # cost a stat per page on every rebuild.
    theme_files = [f"{theme_dir}/{path}" for path in output_files(output / theme_dir)]
    headers = netlify_headers(theme_files, immutable_dir=theme_dir)
    (output / "_headers").write_text(headers, encoding="utf-8")
    if compress:
        precompress(output)
