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
name of the writer's own and renamed into place (`write_entry`, which the
pictures and share cards use too), so neither a build stopped half-way nor
two builds at once in one checkout leave or see a half-written entry; an
entry that cannot be read is worked out again and rewritten.
`SITE_CACHE = False` turns the cache off; `invoke clean` removes it.
A test builds with and without it and compares the two trees byte for byte
(tests/test_speed.py).

`held` puts a memory in front of the disk for a long-lived process (the
preview, which runs the content rules after every save): an entry read or made
once is kept in the process under the very same name as on disk, so it is
exactly as safe, and frozen (lists as tuples, objects as read-only mappings)
so no caller can change what the next one is handed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import platform
import secrets
import shutil
import time
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
# A partial entry untouched this long was left by a build that stopped.
STALE_SECONDS = 24 * 60 * 60
PARTIAL = ".partial"


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
    # A read-only or full disk costs speed, never the build.
    with contextlib.suppress(OSError):
        write_entry(path, data)


# --- Entries whole or not at all, whoever else builds in this checkout ------
#
# Two builds may share cache/ at once: the preview and an editor's build, two
# test workers. Each makes an entry under a name of its own beside the final
# one (`partial_name`: its pid and a random part), then renames it into
# place; readers only ever look at final names, so none sees half an entry.


def partial_name(final: Path) -> Path:
    """A name beside `final` that no other process, thread or build uses, where an
    entry is made before it is renamed to `final`."""
    return final.with_name(f".{final.name}.{os.getpid()}-{secrets.token_hex(6)}{PARTIAL}")


def write_entry(path: Path, data: bytes) -> None:
    """Write the file `path` whole or not at all.

    An entry is named by what it holds, so one another build put there first
    holds the same bytes: replacing it in one step changes nothing a reader
    can see, and mends an entry that was damaged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_name(path)
    try:
        with partial.open("xb") as file:
            file.write(data)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def publish_folder(staging: Path, final: Path) -> None:
    """Rename the finished folder `staging` to `final`, in one step.

    If another build got there first, its folder (the same files: an entry is
    named by what it holds) is kept and `staging` removed."""
    try:
        staging.rename(final)
    except OSError as error:
        if error.errno not in (errno.EEXIST, errno.ENOTEMPTY) or not final.is_dir():
            raise
        shutil.rmtree(staging, ignore_errors=True)


def remove_entry(final: Path) -> None:
    """Take `final` (a damaged entry) out of sight in one step, then delete it."""
    aside = partial_name(final)
    try:
        final.rename(aside)
    except FileNotFoundError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def sweep_partials(folder: Path, older_than: float = STALE_SECONDS) -> None:
    """Remove what builds stopped half-way (Ctrl+C, a power cut) left in `folder`:
    partial entries untouched for `older_than` seconds, far longer than any build
    takes to finish one."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in folder.glob(f".*{PARTIAL}"):
            with contextlib.suppress(OSError):
                if now - entry.lstat().st_mtime > older_than:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink()


def digest(data: bytes | str) -> str:
    """The sha256 of `data` (text as UTF-8), for keys."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def on_initialized(pelican) -> None:
    configure(pelican.settings)


def register() -> None:
    signals.initialized.connect(on_initialized)
