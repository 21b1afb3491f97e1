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
- a hash of the code of the site's modules that shape the step's results
  (`SHAPED_BY`, with every site module those import, `shaping_modules`), so
  an edit to the code a result comes from can never be answered from an
  older result. The code is hashed as Python reads it (`code_text`):
  comments, docstrings and layout left out, so editing those keeps every
  entry, and so does a change to a module no step's result comes from.
  What parsing a module gives is itself kept, under the file's bytes, in
  `cache/site/code/` (`read_module`).
  A step `SHAPED_BY` does not name is keyed on all of engine/, plugins/,
  rules/ and commands/. The pictures and share cards (plugins/images.py, in
  `CACHE_PATH/images/`) put `code_digest` of their steps in their own keys.
  tests/test_cache.py edits comments in every module and code in one,
  and counts the entries a build makes.

Pelican's own content cache keys on a file's path and time alone, which is why
it stays off here (`CACHE_CONTENT = False`). Values are JSON, written to a
name of the writer's own and renamed into place (`write_entry`, which the
pictures and share cards use too), so neither a build stopped half-way nor
two builds at once in one checkout leave or see a half-written entry; an
entry that cannot be read is worked out again and rewritten.
`SITE_CACHE = False` turns the cache off; `invoke clean` removes it.
A test builds with and without it and compares the two trees byte for byte
(tests/test_parallel_writer.py).

`held` puts a memory in front of the disk for a long-lived process (the
preview, which runs the content rules after every save): an entry read or made
once is kept in the process under the very same name as on disk, so it is
exactly as safe, and frozen (lists as tuples, objects as read-only mappings)
so no caller can change what the next one is handed. `forget` empties what
the process keeps, so that its next build reads the disk as a fresh process
would; `held_values` is what it holds.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import functools
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

SITE_CODE = Path(__file__).resolve().parent.parent
# The site's modules whose code shapes each step's results. What they import of
# the site's own code counts too (`shaping_modules`); a Markdown extension of
# the site is named here, as Markdown loads it by its name in MARKDOWN, not by
# an import (tests/test_cache.py checks that each one in the settings is).
SHAPED_BY: dict[str, tuple[str, ...]] = {
    # Markdown with the site's extensions, then typography (plugins/plain_metadata.py);
    # a translation's component words are in its key (from its catalogue, read by
    # rules/translations.py, which plain_metadata imports, so its code is in it too).
    "reader": ("plugins.plain_metadata", "plugins.health_components"),
    # Footnotes as References (plugins/references.py).
    "footnotes": ("plugins.references",),
    # The `.gz` copy of a page (commands/host_files.py).
    "gzip": ("commands.host_files",),
    # The words a template shows (rules/translations.py, `TEMPLATE_WORDS_STEP`).
    "template-words": ("rules.translations",),
    # What the content rules find in one file (rules/folder.py, `SUMMARY_STEP`).
    "rules-summary": ("rules.folder",),
    # The ids of a linked page, as the site's Markdown renders it (`IDS_STEP`).
    "rules-ids": ("rules.folder", "plugins.health_components"),
    # A picture's resized, metadata-free copies (plugins/images.py, `cache_key`).
    "pictures": ("plugins.images",),
    # A share card, drawn or cut from a Share_image (plugins/share_cards.py).
    "share-cards": ("plugins.share_cards", "plugins.images"),
    # Pagefind's index of the records the build hands it (commands/search_index.py).
    "search-index": ("commands.search_index",),
    # A page as the theme renders it (engine/render_cache.py): what it reads is
    # recorded and compared by value; the code of the plugins that make what
    # the templates read, and the functions they call, is here.
    "render": (
        "engine.render_cache",
        "plugins.plain_metadata",
        "plugins.health_components",
        "plugins.review_dates",
        "plugins.scheduling",
        "plugins.references",
        "plugins.reading_aids",
        "plugins.wide_content",
        "plugins.article_parts",
        "plugins.a_to_z",
        "plugins.images",
        "plugins.share_cards",
        "plugins.structured_data",
        "plugins.languages",
        "plugins.fingerprint",
        "plugins.security_headers",
        "plugins.term_lists",
        "plugins.typography",
    ),
}
# The engine's modules the pictures and share cards import: how their jobs are
# run and their entries written, never a byte of what the jobs make.
RUNS_THE_JOBS = {
    "engine.cache": "writes an entry whole; the bytes are the caller's",
    "engine.scheduler": "runs the jobs that make the copies, not what they make",
    "engine.workers": "runs jobs in forked workers; the bytes are the jobs'",
}
# Modules a step's modules import whose code cannot change that step's results.
NOT_SHAPING: dict[str, dict[str, str]] = {
    "pictures": {
        "rules.pictures": "which pictures are refused and what is said of one, "
        "not a copy's pixels or bytes",
        "rules.sources": "where a {static} path leads, not a copy's pixels or bytes",
        **RUNS_THE_JOBS,
    },
    "share-cards": RUNS_THE_JOBS,
}
# The code an undeclared step is keyed on: all of it.
CODE_FOLDERS = ("engine", "plugins", "rules", "commands")
LIBRARIES = (
    "markdown",
    "pymdown-extensions",
    "typogrify",
    "smartypants",
    "beautifulsoup4",
    "pelican",
    # What the pages kept by the render cache (engine/render_cache.py) were
    # rendered with: the templates' engine and its escaping, and Babel's dates.
    "jinja2",
    "markupsafe",
    "babel",
)
# Where entries go: CACHE_PATH (Pelican resolves it beside the settings) / this.
FOLDER_NAME = "site"
_folder: dict[str, Path | None] = {"path": None}
# Per step, for this process: the code cannot change under a running Python.
_salt: dict[str, str] = {}
_code: dict[str, str] = {}
# A module's imports as `(level, module, names)`, as its import statements say.
Imports = list[tuple[int, str, list[str]]]
# Each module file's code digest and imports, by path, for this process; on
# disk (in this folder of the site cache) by the file's bytes.
_modules: dict[Path, tuple[str, Imports]] = {}
MODULES_FOLDER = "code"
# `held` entries by their name on disk. A preview left running for days makes a
# new entry per saved version of a file: past this many, memory starts afresh.
HELD_ENTRIES = 50_000
_held: dict[str, Any] = {}
# A partial entry untouched this long was left by a build that stopped.
STALE_SECONDS = 24 * 60 * 60
PARTIAL = ".partial"


def code_salt(step: str) -> str:
    """Library versions, Python's, and the code that shapes `step` (`code_digest`)."""
    if step not in _salt:
        _salt[step] = digest(f"{_libraries()}{code_digest(step)}")
    return _salt[step]


@functools.cache
def _libraries() -> str:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={version(name)}\n")
        except PackageNotFoundError:
            versions.append(f"{name} absent\n")
    return "".join(versions) + f"python {platform.python_version()}\n"


def code_digest(step: str) -> str:
    """A hash of the code of every module that shapes `step` (`shaping_modules`),
    read as Python reads it (`code_text`)."""
    if step not in _code:
        hashed = hashlib.sha256()
        for path in shaping_modules(step):
            hashed.update(path.relative_to(SITE_CODE).as_posix().encode() + b"\0")
            hashed.update(read_module(path)[0].encode())
        _code[step] = hashed.hexdigest()
    return _code[step]


def shaping_modules(step: str, root: Path = SITE_CODE) -> list[Path]:
    """The files of the modules `SHAPED_BY[step]` names and of the site's modules
    they import, at any depth (with the packages they are in), less
    `NOT_SHAPING[step]`; for a step `SHAPED_BY` does not name, every module in
    `CODE_FOLDERS`."""
    if step not in SHAPED_BY:
        return sorted(path for folder in CODE_FOLDERS for path in (root / folder).rglob("*.py"))
    leave_out = NOT_SHAPING.get(step, {})
    found: dict[str, Path] = {}
    waiting = list(SHAPED_BY[step])
    while waiting:
        name = waiting.pop()
        path = module_file(name, root)
        if name in found or name in leave_out or path is None:
            continue
        found[name] = path
        packages = [name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)]
        imports = read_module(path)[1]
        waiting += [*imported_names(name, imports, path.name == "__init__.py"), *packages]
    return sorted(found.values())


@functools.cache
def module_file(name: str, root: Path = SITE_CODE) -> Path | None:
    """The file of the module `name` (dotted) under `root`, or None (a library's)."""
    base = root.joinpath(*name.split("."))
    for path in (base.with_name(base.name + ".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def imported_names(name: str, imports: Imports, is_package: bool = False) -> list[str]:
    """Every name the module `name` imports that may be a module, with the packages
    they are in (a module's packages run before it), from `(level, module, names)`."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for level, module, names in imports:
        if level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - level + 1])
            module = f"{base}.{module}" if module else base
        found += [module, *(f"{module}.{alias}" for alias in names)]
    return [
        prefix
        for dotted in found
        for prefix in (dotted.rsplit(".", depth)[0] for depth in range(dotted.count(".") + 1))
        if prefix
    ]


def read_module(path: Path) -> tuple[str, Imports]:
    """The sha256 of the code of the file `path` (`code_text`) and its imports.

    Parsing the modules every build needs costs a tenth of a second or more,
    so what it gives is kept: in this process by path, and in the site cache
    (`MODULES_FOLDER`) under the file's bytes, Python's version and this module's
    bytes (which decide what `code_text` makes of them), so a fresh build
    parses only the modules that changed. An entry that cannot be read is
    worked out again."""
    if path not in _modules:
        data = path.read_bytes()
        folder = _folder["path"]
        key = digest(f"{platform.python_version()}\0{_own_bytes()}\0{digest(data)}")
        entry = folder / MODULES_FOLDER / key[:2] / key[2:] if folder else None
        try:
            value = json.loads(entry.read_bytes()) if entry else None
            code, imports = value["code"], [(i[0], i[1], list(i[2])) for i in value["imports"]]
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            imports = []
            code = digest(code_text(data.decode("utf-8"), imports))
            if entry:
                value = {"code": code, "imports": imports}
                _write(entry, json.dumps(value, separators=(",", ":")).encode())
        _modules[path] = (code, imports)
    return _modules[path]


@functools.cache
def _own_bytes() -> str:
    return digest(Path(__file__).read_bytes())


def code_text(source: str, imports: Imports | None = None) -> str:
    """Python source as Python runs it: its syntax tree without comments, layout,
    line numbers or docstrings, nor any other string standing alone as a
    statement, which does nothing. (No cached step reads a `__doc__`.) Every
    import statement, wherever it is, is added to `imports` as `(level,
    module, names)`."""
    tree = ast.parse(source)
    tree.body = _statements(tree.body, [] if imports is None else imports)
    return ast.dump(tree)


def _statements(statements: list[ast.stmt], imports: Imports) -> list[ast.stmt]:
    """`statements` without lone strings, in inner blocks too. Only statements are
    visited: docstrings and imports are never anything else, and walking every
    expression as well would cost more than parsing."""
    kept = []
    for statement in statements:
        if _lone_string(statement):
            continue
        if isinstance(statement, ast.Import):
            imports += [(0, alias.name, []) for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom):
            names = [alias.name for alias in statement.names]
            imports.append((statement.level, statement.module or "", names))
        for block in ("body", "orelse", "finalbody"):
            inner = getattr(statement, block, None)
            if isinstance(inner, list):
                setattr(statement, block, _statements(inner, imports))
        for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
            part.body = _statements(part.body, imports)
        kept.append(statement)
    return kept


def _lone_string(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def configure(settings: dict) -> Path | None:
    """Use the cache folder of `settings` (None, the cache off, unless SITE_CACHE)."""
    if settings.get("SITE_CACHE") and settings.get("CACHE_PATH"):
        _folder["path"] = Path(settings["CACHE_PATH"]) / FOLDER_NAME
    else:
        _folder["path"] = None
    return _folder["path"]


def _name(step: str, key: str) -> str:
    return hashlib.sha256(f"{code_salt(step)}\0{step}\0{key}".encode()).hexdigest()


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


def held_values() -> tuple[Any, ...]:
    """What `held` keeps in this process, oldest first."""
    return tuple(_held.values())


def forget() -> None:
    """Empty what this process keeps of the cache's entries (`held`) and of the
    modules it parsed (`read_module`): the next use reads the disk again, or works
    them out. The code's digests stay: the code cannot change under a running Python."""
    _held.clear()
    _modules.clear()


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


def kept_bytes(step: str, key: str) -> bytes | None:
    """The bytes `keep_bytes` kept for `step` and `key`, or None."""
    path = _entry(step, key)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def has(step: str, key: str) -> bool:
    """Whether an earlier build stored something for `step` and `key` (not read)."""
    path = _entry(step, key)
    return path is not None and path.is_file()


def kept_file(step: str, key: str) -> Path | None:
    """The file holding the bytes `keep_bytes` kept for `step` and `key`, or None."""
    path = _entry(step, key)
    return path if path is not None and path.is_file() else None


def keep_bytes(step: str, key: str, data: bytes) -> None:
    """Keep `data` for later builds under `step` and `key` (nothing when the cache is off)."""
    path = _entry(step, key)
    if path is not None and not path.exists():
        _write(path, data)


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


def link_or_copy(source: Path, target: Path) -> None:
    """Put `source`'s bytes at `target` (a new file): a hard link where the disk makes
    one, else a copy. Whoever writes either file later must replace it whole
    (`write_entry`), never write through it: every writer in this project does."""
    try:
        os.link(source, target)
    except FileExistsError:
        target.unlink()
        link_or_copy(source, target)
    except OSError:
        shutil.copyfile(source, target)


# Linux's shared-memory filesystem (tmpfs, in RAM): where scratch files that
# a step makes and deletes go when it has room (creating a thousand small
# files on this project's virtual disk takes a second, in memory a twentieth).
IN_MEMORY = Path("/dev/shm")  # noqa: S108 - only the parent of mkdtemp's private folders


def in_memory(room: int, *, runs_programs: bool = False, folder: Path = IN_MEMORY) -> str | None:
    """`folder` (tmpfs) as the parent of a scratch folder needing `room` bytes, when it
    has that room, is writable and (`runs_programs`) may run programs; else None
    (`tempfile`'s default, the system's temporary folder)."""
    try:
        roomy = shutil.disk_usage(folder).free >= room
        runs = not runs_programs or not os.statvfs(folder).f_flag & os.ST_NOEXEC
    except OSError:
        return None
    return str(folder) if roomy and runs and os.access(folder, os.W_OK) else None


def digest(data: bytes | str) -> str:
    """The sha256 of `data` (text as UTF-8), for keys."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
