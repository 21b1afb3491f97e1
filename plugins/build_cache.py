"""A content-addressed cache on disk for per-file work that does not change between builds.

Most of a build is the same work on the same bytes as last time: Markdown and
typogrify on each article, footnotes turned into References, the `.gz` copy
of each page, what the content rules find in each file on its own (its
summary, rules/folder.py). Kept on disk under a key of *everything* that shapes the
result, a fresh process (every `invoke build`, CI with actions/cache, the
benchmark's warm run) does that work only for what changed.

What is in a key, and why each part:

- the input's own bytes (the file, or the HTML a step transforms), by sha256;
- the step's name and the settings it reads (the caller passes them);
- the versions of every library whose output lands in the result (Markdown,
  pymdown-extensions, typogrify, smartypants, Beautiful Soup, Pelican) and
  of Python;
- a hash of this site's own code in `plugins/` and `rules/`, so an edit to
  an extension or a plugin can never be answered from an older result.

Pelican's own content cache keys on a file's path and time alone, which is why
it stays off here (`CACHE_CONTENT = False`). Values are JSON, written to a
temporary name and renamed into place, so a build stopped half-way leaves no
half-written entry; an entry that cannot be read is worked out again and
rewritten. `SITE_CACHE = False` turns the cache off; `invoke clean` removes it.
A test builds with and without it and compares the two trees byte for byte
(tests/test_speed.py).

`held` puts a memory in front of the disk for a long-lived process (the
preview, which runs the content rules after every save): an entry read or made
once is kept in the process under the very same name as on disk, so it is
exactly as safe, and frozen (lists as tuples, objects as read-only mappings)
so no caller can change what the next one is handed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pelican import signals

SITE_CODE = Path(__file__).resolve().parent.parent
CODE_FOLDERS = ("plugins", "rules")
LIBRARIES = (
    "markdown",
    "pymdown-extensions",
    "typogrify",
    "smartypants",
    "beautifulsoup4",
    "pelican",
)
# Where entries go: CACHE_PATH (Pelican resolves it beside the settings) / this.
FOLDER_NAME = "site"
_folder: dict[str, Path | None] = {"path": None}
_salt: dict[str, str] = {}
# `held` entries by their name on disk. A preview left running for days makes a
# new entry per saved version of a file: past this many, memory starts afresh.
HELD_ENTRIES = 50_000
_held: dict[str, Any] = {}


def code_salt() -> str:
    """Library versions, Python's, and a hash of the site's plugin and rule sources."""
    if "salt" not in _salt:
        digest = hashlib.sha256()
        for name in LIBRARIES:
            try:
                digest.update(f"{name}=={version(name)}\n".encode())
            except PackageNotFoundError:
                digest.update(f"{name} absent\n".encode())
        digest.update(f"python {platform.python_version()}\n".encode())
        for folder in CODE_FOLDERS:
            for path in sorted((SITE_CODE / folder).rglob("*.py")):
                digest.update(path.relative_to(SITE_CODE).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
        _salt["salt"] = digest.hexdigest()
    return _salt["salt"]


def configure(settings: dict) -> Path | None:
    """Use the cache folder of `settings` (None, the cache off, unless SITE_CACHE)."""
    if settings.get("SITE_CACHE") and settings.get("CACHE_PATH"):
        _folder["path"] = Path(settings["CACHE_PATH"]) / FOLDER_NAME
    else:
        _folder["path"] = None
    return _folder["path"]


def _name(step: str, key: str) -> str:
    return hashlib.sha256(f"{code_salt()}\0{step}\0{key}".encode()).hexdigest()


def _entry(step: str, key: str) -> Path | None:
    folder = _folder["path"]
    if folder is None:
        return None
    name = _name(step, key)
    return folder / step / name[:2] / name[2:]


def load(step: str, key: str) -> Any | None:
    """The JSON value an earlier build stored for `step` and `key`, or None."""
    path = _entry(step, key)
    if path is None:
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # not there yet, or unreadable: the caller works it out again


def store(step: str, key: str, value: Any) -> None:
    """Keep a JSON `value` for later builds (nothing when the cache is off)."""
    path = _entry(step, key)
    if path is not None:
        _write(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def cached(step: str, key: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, or its value from an earlier build with the same step and key.

    `key` must hold everything besides the site's code and libraries that the
    value depends on (the caller's input bytes and settings); the value must be
    JSON (lists come back as lists)."""
    value = load(step, key)
    if value is None:
        value = compute()
        store(step, key, value)
    return value


def held(
    step: str, key: str, compute: Callable[[], Any], decode: Callable[[Any], Any] | None = None
) -> Any:
    """As `cached`, with the value also kept in this process: `decode(value)`,
    which must be something no caller can change (default `freeze`: lists as
    tuples, objects as read-only mappings), from memory, disk or `compute()`
    alike (the JSON round trip included). Nothing is kept in memory, and
    `compute()` is returned as it is, while the cache is off."""
    folder = _folder["path"]
    if folder is None:
        return compute()
    name = _name(step, key)
    if name in _held:
        return _held[name]
    path = folder / step / name[:2] / name[2:]
    try:
        data = path.read_bytes()
        value = json.loads(data)
    except (OSError, ValueError):
        data = json.dumps(compute(), ensure_ascii=False, separators=(",", ":")).encode()
        _write(path, data)
        value = json.loads(data)
    if len(_held) >= HELD_ENTRIES:
        _held.clear()
    _held[name] = kept = (decode or freeze)(value)
    return kept


def freeze(value: Any) -> Any:
    """A JSON value that cannot be changed: lists as tuples, objects as read-only mappings."""
    if isinstance(value, list):
        return tuple(freeze(item) for item in value)
    if isinstance(value, dict):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    return value


def cached_bytes(step: str, key: str, compute: Callable[[], bytes]) -> bytes:
    """As `cached`, for a value that is bytes (a `.gz` copy)."""
    path = _entry(step, key)
    if path is None:
        return compute()
    try:
        return path.read_bytes()
    except OSError:
        pass
    value = compute()
    _write(path, value)
    return value


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except OSError:
        pass  # a read-only or full disk costs speed, never the build


def digest(data: bytes | str) -> str:
    """The sha256 of `data` (text as UTF-8), for keys."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def on_initialized(pelican) -> None:
    configure(pelican.settings)


def register() -> None:
    signals.initialized.connect(on_initialized)
