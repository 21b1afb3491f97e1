"""Fingerprint theme files: publish `css/main.css` as `css/main.<hash>.css`.

A file whose name changes whenever its bytes change can be cached for a year
(`immutable`), and a new stylesheet reaches readers on the next page load.
`FINGERPRINT_FILES` in pelicanconf.py lists the files (paths under
theme/static/). When Pelican starts, this plugin hashes each one and gives
templates `ASSETS`, mapping the listed path to its published URL path:

    <link rel="stylesheet" href="{{ SITEURL }}/{{ ASSETS['css/main.css'] }}">

When Pelican has written everything, the copied file is renamed to that name,
so the unhashed name is never published.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from pelican import signals

HASH_LENGTH = 12
FINGERPRINT = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[A-Za-z0-9]+$")


def is_fingerprinted(path: str) -> bool:
    """Whether an output path carries a content hash in its name."""
    return FINGERPRINT.search(path) is not None


def fingerprinted_name(path: str, data: bytes) -> str:
    """`css/main.css` -> `css/main.<first 12 hex digits of sha256>.css`."""
    posix = PurePosixPath(path)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return posix.with_name(f"{posix.stem}.{digest}{posix.suffix}").as_posix()


def _static_file(pelican, path: str) -> Path:
    for folder in pelican.settings["THEME_STATIC_PATHS"]:
        candidate = Path(pelican.theme) / folder / path
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"FINGERPRINT_FILES names {path!r}, but theme/static/{path} does not exist; "
        "fix the path in pelicanconf.py or add the file."
    )


def add_assets(pelican) -> None:
    static_dir = pelican.settings["THEME_STATIC_DIR"]
    assets = {}
    for path in pelican.settings.get("FINGERPRINT_FILES", []):
        hashed = fingerprinted_name(path, _static_file(pelican, path).read_bytes())
        assets[path] = f"{static_dir}/{hashed}"
    pelican.settings["ASSETS"] = assets


def rename_outputs(pelican) -> None:
    output = Path(pelican.output_path)
    static_dir = pelican.settings["THEME_STATIC_DIR"]
    for path, url in pelican.settings.get("ASSETS", {}).items():
        (output / static_dir / path).replace(output / url)


def register() -> None:
    signals.initialized.connect(add_assets)
    signals.finalized.connect(rename_outputs)
