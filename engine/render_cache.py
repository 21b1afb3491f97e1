"""Pages kept under what they read: recorded reads, exact invalidation.

While a page renders, this module records everything it reads:

- each variable the template takes from its context (Jinja's
  `Context.resolve_or_missing`: the settings the theme shows, the lists, the
  page's own `article`, `output_file`, the paginator's page), `("v", name)`;
- each attribute of each content object it reads, wherever the reading code
  is (a template, or a plugin's function the template calls), `("a",
  identity, name)`: the object is named by its class and source file, so the
  same article in the next build is the same identity;
- each template it loads (`extends`, `include`, `import`), `("t", name)`.

A page's entry holds the keys it read and one digest of their values (each
value described by `describe`: a content object by its identity, since what
is read of it is recorded as its own keys). Before a page is rendered again,
the keys' values are worked out now; if their digest is the same, the page's
bytes are the ones kept, and it is not rendered. Whatever the page did not
read cannot change it; whatever it read is compared by value. A value this
module cannot describe (`Volatile`) keeps the page from being kept at all:
it is rendered every time.

What no key records is the environment every page shares, in `site_key`:
the code of the site and its libraries, the settings, the site's today, the
theme's static files and catalogues, and the compile-time configuration of
Jinja. Any change there renders every page again.

The reads of the rest of the build are recorded too (`site_reads`): what
Pelican and the plugins read of each content object while they build lists,
neighbours, feeds and the sitemap, outside any page's render and outside the
object's own making (its reader and `content_object_init`). The preview
(preview/rebuild.py) uses them to tell an edit whose effects are all in
pages (a body edit: re-render the pages that read it) from one that changes
what the build computes across articles (a title the A to Z sorts by: run
the build again, with the pages that read nothing changed kept).

Entries are kept in memory for the preview and on disk in the site cache
(engine/cache.py, step "render"), so a warm build renders only what changed.
A content object with no source file has no identity: a page that reads it
is rendered every time. tests/test_render_cache.py checks the rule on small
templates; tests/test_parallel_writer.py that a build with the cache, cold
and warm, writes what one without it writes; tests/test_preview_rebuild.py
that the preview, through every kind of edit, writes what a clean build
writes, and that a page whose recorded reads are cut makes that fail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STEP = "render"
# Attributes of a content object that every page shares and the site key
# holds: the settings, and the site's context, whose parts a page reads as
# its own variables.
SHARED = frozenset({"settings", "_context"})
# The theme's folders whose files every page may use without a recorded read:
# the stylesheet (its fingerprinted name is a variable pages read) and the
# catalogues the templates' words come from.
SHARED_THEME = ("static", "translations")
_MISSING = "<missing>"
# Settings no page can show: the build's folder (a fresh one each build), and
# the Jinja environment's options (`templates_digest`).
NOT_IN_SITE_KEY = frozenset({"OUTPUT_PATH", "JINJA_ENVIRONMENT"})
# Arguments a recorded method call may take: it is called again with them.
PLAIN = (str, int, float, bool)
LONGEST_ARGUMENT = 200


class Volatile(Exception):
    """A value with no description that stays the same from one build to the next."""


@dataclass
class Entry:
    """A page as it was last rendered: the template, what it read, and its bytes' name."""

    template: str
    keys: tuple
    digest: str
    output: str  # the output's sha256: its bytes are kept under that name


@dataclass
class _Recorder:
    page: set | None = None  # the keys the page being rendered reads
    site: set | None = None  # the keys the rest of the build reads
    depth: int = 0  # inside a content object's property: its value is what counts
    making: list = field(default_factory=list)  # objects whose own making runs


_recorder = _Recorder()
_installed: dict[str, Any] = {}


# --- Recording --------------------------------------------------------------


def identity(content) -> tuple[str, str] | None:
    """A content object's name from one build to the next: its class and source file."""
    fields = object.__getattribute__(content, "__dict__")
    source = fields.get("source_path")
    return (type(content).__name__, str(source)) if source else None


def _note(key: tuple) -> None:
    recorder = _recorder
    reads = recorder.page if recorder.page is not None else recorder.site
    if reads is not None and key[2] not in SHARED:
        reads.add(key)


def _getattribute(self, name: str):
    recorder = _recorder
    if recorder.depth or (
        recorder.page is None
        and (recorder.site is None or (recorder.making and self in recorder.making))
    ):
        # Recording nothing, inside a read, or the object's own making (its reader
        # and plugins run again with it): the attribute as Python gives it.
        return object.__getattribute__(self, name)
    recorder.depth += 1
    try:
        value = object.__getattribute__(self, name)
    except AttributeError:
        _note(("a", identity(self), name))
        raise
    finally:
        recorder.depth -= 1
    if callable(value) and name[:2] != "__" and _bound(self, name, value):
        return _Call(self, name, value)
    _note(("a", identity(self), name))
    return value


def _plain(argument) -> bool:
    if argument is None or type(argument) in PLAIN:
        return not isinstance(argument, str) or len(argument) <= LONGEST_ARGUMENT
    return False


def _bound(content, name: str, value) -> bool:
    """Whether `value`, read as `content.name`, is a method of its class bound to it
    (Python's, or a decorator's partial, as Pelican's memoised `get_content`)."""
    if name in object.__getattribute__(content, "__dict__"):
        return False
    if type(value) is types.MethodType:
        return value.__self__ is content
    return type(value) is functools.partial and value.args[:1] == (content,)


class _Call:
    """A content object's method, read: called with plain arguments, what it
    returns is the read (what it reads inside is its own business)."""

    __slots__ = ("content", "method", "name")

    def __init__(self, content, name: str, method) -> None:
        self.content, self.name, self.method = content, name, method

    def __call__(self, *args, **kwargs):
        if kwargs or not all(_plain(arg) for arg in args):
            return self.method(*args, **kwargs)  # what it reads is recorded as it reads
        _recorder.depth += 1
        try:
            return self.method(*args)
        finally:
            _recorder.depth -= 1
            _note(("m", identity(self.content), self.name, args))


def install(content_class: type, context_class: type, environment_class: type) -> None:
    """Record reads of `content_class`'s attributes, of Jinja's context variables
    and of the templates loaded (once per process; nothing is recorded until
    `record_site` or a page's render starts)."""
    if _installed:
        return
    _installed["content"] = content_class
    content_class.__getattribute__ = _getattribute
    # Each class's own __init__ (an Article's runs after Content's, and may set
    # its status): the making ends when the outermost one returns.
    classes, found = [content_class], []
    while classes:
        kind = classes.pop()
        classes.extend(kind.__subclasses__())
        if "__init__" in vars(kind):
            found.append(kind)
    for kind in found:
        kind.__init__ = _making(kind.__init__)
    resolve = context_class.resolve_or_missing

    def resolve_or_missing(self, key):
        value = resolve(self, key)
        reads = _recorder.page
        if reads is not None and not _recorder.depth and key not in self.vars:
            reads.add(("v", key))
        return value

    context_class.resolve_or_missing = resolve_or_missing
    # Where Jinja 3 loads every template, by `get_template` and `select_template`
    # alike (an `include` of a list); its public `get_template` where it has none.
    method = "_load_template" if hasattr(environment_class, "_load_template") else "get_template"
    load = getattr(environment_class, method)

    def loading(self, name, *args, **kwargs):
        template = load(self, name, *args, **kwargs)
        if _recorder.page is not None:
            _recorder.page.add(("t", template.name))
        return template

    setattr(environment_class, method, loading)


def _making(made: Callable) -> Callable:
    """`made` (an __init__), with the object noted as in its making while it runs and
    (held) the values the outermost one leaves noted, for `carry_over`."""

    @functools.wraps(made)
    def making(self, *args, **kwargs):
        _recorder.making.append(self)
        try:
            made(self, *args, **kwargs)
        finally:
            _recorder.making.pop()
        if _held["on"] and self not in _recorder.making:
            _made_as[id(self)] = (self, dict(object.__getattribute__(self, "__dict__")))

    return making


def record_site(on: bool) -> None:
    """Start (a fresh set) or stop recording what the build reads outside the pages
    (only while held: only the preview asks)."""
    if on:
        _recorder.site = set() if _held["on"] else None
        _made_as.clear()  # the objects of an earlier build
    else:
        _site_reads[:] = [frozenset(_recorder.site or ())]
        _recorder.site = None


_site_reads: list[frozenset] = [frozenset()]
# Held: each content object's values as its making left them, by id (the
# object kept alive with them, so ids stay unique).
_made_as: dict[int, tuple[object, dict]] = {}


def site_reads() -> frozenset:
    """What the last build read outside the pages while `record_site` was on."""
    return _site_reads[0]


# --- Describing values ------------------------------------------------------


def describe(value, out: list[str], memo: dict) -> None:
    """Append a description of `value` to `out`: equal descriptions, equal values,
    in this build and the next. A content object is described by its identity
    (what a page reads of it is recorded as keys of its own)."""
    kind = type(value)
    if value is None or kind in (bool, int, float):
        out.append(repr(value))
    elif isinstance(value, str):
        out.append(f"s{len(value)}:")
        out.append(value)
    elif isinstance(value, dt.date | dt.time):
        out.append(f"{kind.__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}")
    elif isinstance(value, _installed.get("content", ())):
        out.append(f"C{identity(value)}")
    elif kind.__name__ in ("Category", "Tag", "Author") and hasattr(value, "slug"):
        out.append(f"W{kind.__name__}:{value.name}")  # a URL wrapper: its name and the settings
    elif isinstance(value, list | tuple | Mapping | set | frozenset):
        kept = memo.get(id(value))
        if kept is None:
            part: list[str] = []
            if isinstance(value, Mapping):
                part.append("{")
                for key, item in value.items():
                    describe(key, part, memo)
                    describe(item, part, memo)
            elif isinstance(value, set | frozenset):
                part.append("<")
                part.extend(sorted(_described(item, memo) for item in value))
            else:
                part.append("[")
                for item in value:
                    describe(item, part, memo)
            part.append("]")
            kept = memo[id(value)] = (value, "".join(part))  # the value kept alive: ids stay unique
        out.append(kept[1])
    elif dataclasses.is_dataclass(value):
        out.append(f"D{kind.__module__}.{kind.__qualname__}(")
        for item in dataclasses.fields(value):
            out.append(item.name)
            describe(getattr(value, item.name), out, memo)
        out.append(")")
    elif kind.__name__ == "Page" and hasattr(value, "paginator"):  # Pelican's paginated page
        paginator = value.paginator
        out.append(f"P{value.name}:{value.url}:{value.number}:{paginator.num_pages}:")
        describe(value.object_list, out, memo)
    elif kind.__name__ == "Paginator" and hasattr(value, "num_pages"):
        out.append(f"PG{value.name}:{value.url}:{value.num_pages}:{value.per_page}:")
        describe(value.object_list, out, memo)
    elif callable(value) and hasattr(value, "__qualname__"):
        out.append(f"F{getattr(value, '__module__', '')}.{value.__qualname__}")
    elif kind.__name__ == "Undefined" or kind.__name__.endswith("Undefined"):
        out.append("U")
    else:
        raise Volatile(kind.__qualname__)


def _described(value, memo: dict) -> str:
    out: list[str] = []
    describe(value, out, memo)
    return "".join(out)


def _digest(parts: Iterable[str]) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass"))
        hashed.update(b"\0")
    return hashed.hexdigest()


# --- The values of keys, now ------------------------------------------------


class Now:
    """Works out what each recorded key reads in this build, once per key and value:
    each value as a short digest of its description."""

    def __init__(self, objects: Iterable, template_source: Callable[[str], str]) -> None:
        # An object with no identity is none of them: what is read of it is Volatile.
        self.objects = {name: item for item in objects if (name := identity(item)) is not None}
        self.template_source = template_source
        self.shared: dict = {}  # ("a", "m", "t") keys: the same for every page
        self.variables: dict = {}  # (name, id(value)): (value, its digest)
        self.texts: dict = {}  # each key as text
        self.memo: dict = {}

    def value(self, key: tuple, variables: Mapping) -> str:
        if key[0] == "v":
            if key[1] not in variables:
                return _MISSING
            value = variables[key[1]]
            found = self.variables.get((key[1], id(value)))
            if found is None:  # the value kept alive with its digest: ids stay unique
                found = self.variables[(key[1], id(value))] = (
                    value,
                    _digest([_described(value, self.memo)]),
                )
            return found[1]
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = _digest([self._shared(key)])
        return found

    def _shared(self, key: tuple) -> str:
        if key[0] == "t":
            return self.template_source(key[1])
        content = self.objects.get(key[1])
        if content is None:
            raise Volatile(f"no object {key[1]}")
        return read_now(content, key, self.memo)

    def digest(self, keys: Iterable[tuple], variables: Mapping) -> str:
        parts = []
        for key in keys:
            text = self.texts.get(key)
            if text is None:
                text = self.texts[key] = repr(key)
            parts.append(f"{text}={self.value(key, variables)}")
        return _digest(["\n".join(parts)])


def read_now(content, key: tuple, memo: dict) -> str:
    """What the recorded read `key` (an attribute, or a method's call) of `content` gives now."""
    _recorder.depth += 1  # reading values, not rendering: nothing recorded
    try:
        value = getattr(content, key[2])
        if key[0] == "m":
            value = value(*key[3])
    except AttributeError:
        return _MISSING
    finally:
        _recorder.depth -= 1
    if key[2] == "__dict__":
        value = {name: item for name, item in value.items() if name not in SHARED}
    return _described(value, memo)


def carry_over(old, new) -> None:
    """Give `new` what the rest of the build set on `old` after its making: each
    attribute `old` has now that its making did not leave as it is (held: the
    values its making left are noted; otherwise, the attributes only `old` has)."""
    theirs, ours = vars(old), vars(new)
    made = _made_as.get(id(old), (None, None))[1]
    for attribute, value in theirs.items():
        if made is None:
            if attribute not in ours:
                ours[attribute] = value
        elif attribute not in made or made[attribute] is not value:
            ours[attribute] = value


def adopt(old, new) -> None:
    """Make `old`, which every list and page refers to, the new version: `new`'s
    values (with what `carry_over` gave it), and `new`'s making as its own."""
    vars(old).update(vars(new))
    if id(new) in _made_as:
        _made_as[id(old)] = (old, _made_as.pop(id(new))[1])


def differing(old, new, site: Iterable[tuple]) -> set[tuple] | None:
    """The recorded reads of `old` (by the pages and by `site`, the rest of the build)
    whose values `new`, the same file read again, changes; None if `new` is not
    the same object's next version. What the rest of the build set on `old`
    (its neighbours, its translations) is given to `new` first (`carry_over`):
    what it read to set them is among the reads compared."""
    name = identity(old)
    if name is None or identity(new) != name:
        return None
    carry_over(old, new)
    keys = {key for key in site if key[0] in "am" and key[1] == name}
    for kept in _pages.entries.values():
        keys.update(key for key in kept.keys if key[0] in "am" and key[1] == name)
    found = set()
    for key in keys:
        try:
            same = read_now(old, key, {}) == read_now(new, key, {})
        except Exception:  # what cannot be compared counts as changed
            same = False
        if not same:
            found.add(key)
    return found


# --- The kept pages ----------------------------------------------------------


@dataclass
class Pages:
    """The entries of one site key, by output name, and the one copy of each key they read."""

    key: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    interned: dict[tuple, tuple] = field(default_factory=dict)
    # Pages the last build rendered with no entry: what they read is unknown.
    unkept: set[str] = field(default_factory=set)


_pages = Pages()
_store: dict[str, Callable] = {}


def site_key(
    settings: Mapping, today: dt.date, code: str, theme: Path, templates_digest: str
) -> str:
    """Everything every page shares: the code (`code`, a digest from the caller),
    the settings, the site's today, the theme's shared files and Jinja's configuration."""
    parts = [code, today.isoformat(), templates_digest]
    memo: dict = {}
    for name in sorted(settings):
        if name in NOT_IN_SITE_KEY:
            continue
        parts.append(name)
        try:
            parts.append(_described(settings[name], memo))
        except Volatile:
            parts.append(type(settings[name]).__qualname__)
    for folder in SHARED_THEME:
        for path in sorted((theme / folder).rglob("*")):
            if path.is_file():
                parts += [
                    path.relative_to(theme).as_posix(),
                    hashlib.sha256(path.read_bytes()).hexdigest(),
                ]
    return _digest(parts)


def hold(on: bool) -> None:
    """Keep the entries, and what the rest of the build reads, in this process
    (`on`: the preview, which builds again and asks `readers_of`, `differing`
    and `site_reads`); or not (a one-shot build: entries go to the disk only,
    each page's worker stores its own, and nothing of the rest of the build is
    recorded)."""
    _held["on"] = on


def held() -> bool:
    return _held["on"]


_held = {"on": False}


def start(
    key: str,
    load: Callable[[str], Any],
    store: Callable[[str, Any], None],
    stored: Callable[[str], bool],
) -> Pages:
    """Use the entries of site key `key` (kept in memory from an earlier build in this
    process, else from `load`); new entries go to `store` too; `stored(name)` says
    whether `load` would find one."""
    global _pages
    if _pages.key != key:
        _pages = Pages(key=key)
    _store.update(load=load, store=store, stored=stored)
    return _pages


def has_entry(name: str) -> bool:
    """Whether the page `name` has an entry (read into memory if held: see `hold`)."""
    if _held["on"] or "stored" not in _store:
        return entry(name) is not None
    return name in _pages.entries or _store["stored"](f"{_pages.key}\0{name}")


def entry(name: str) -> Entry | None:
    """The entry of the page `name` (from memory, else the disk; kept in memory if held)."""
    found = _pages.entries.get(name)
    if found is None and "load" in _store:
        kept = _store["load"](f"{_pages.key}\0{name}")
        if kept:
            found = Entry(kept[0], _keys(kept[1]), kept[2], kept[3])
            if _held["on"]:
                _pages.entries[name] = found
    return found


def _keys(listed) -> tuple:
    return _shared(
        tuple(tuple(part) if isinstance(part, list) else part for part in key) for key in listed
    )


def _shared(keys: Iterable[tuple]) -> tuple:
    """`keys`, each the one tuple all entries share for it: a thousand pages read one
    article's title, and hold one key for it (memory, at thousands of pages)."""
    if not _held["on"]:
        return tuple(keys)
    return tuple(_pages.interned.setdefault(key, key) for key in keys)


def keep(name: str, kept: Entry | None, *, stored: bool = False) -> None:
    """Keep the entry of the page `name`: on the disk (unless `stored` already, by the
    worker that rendered it), and in memory if held. None: the page was rendered
    with no entry (a value with no stable description), so it reads anything."""
    if kept is None:
        _pages.entries.pop(name, None)
        _pages.unkept.add(name)
        return
    _pages.unkept.discard(name)
    if _held["on"]:
        kept.keys = _shared(kept.keys)
        _pages.entries[name] = kept
    if "store" in _store and not stored:
        _store["store"](
            f"{_pages.key}\0{name}", [kept.template, kept.keys, kept.digest, kept.output]
        )


def render(
    template,
    variables: Mapping,
    now: Now,
    output: Callable[[str], str | None],
    save: Callable[[str], str],
) -> tuple[str, Entry | None, bool]:
    """The page `template` makes of `variables`: (text, its entry, whether it was kept).

    `output(sha)` gives kept bytes back (None if lost), `save(text)` keeps them
    and returns their name."""
    name = variables["output_file"]
    kept = entry(name)
    if kept is not None and kept.template == template.name:
        try:
            same = now.digest(kept.keys, variables) == kept.digest
        except Exception:  # a value it cannot work out now (a template gone): changed
            same = False
        if same:
            text = output(kept.output)
            if text is not None:
                return text, kept, True
    reads: set = {("t", template.name)}
    outer, _recorder.page = _recorder.page, reads
    try:
        text = template.render(variables)
    finally:
        _recorder.page = outer
    keys = tuple(sorted(reads, key=repr))
    try:
        digest = now.digest(keys, variables)
    except Exception:  # a value with no stable description: never kept
        return text, None, False
    made = Entry(template.name, keys, digest, save(text))
    return text, made, False


def readers_of(changed: Iterable[tuple]) -> set[str]:
    """The output names whose entries read any of `changed` (keys), and every page
    rendered with no entry (what it reads is unknown)."""
    changed = set(changed)
    found = {name for name, kept in _pages.entries.items() if changed.intersection(kept.keys)}
    return found | _pages.unkept


def forget() -> None:
    """Keep nothing in memory: the next build starts from the disk (tests)."""
    global _pages
    _pages = Pages()
    _made_as.clear()
