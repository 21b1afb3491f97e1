"""The preview's builds: after an edit whose effects are all on pages, those pages; else all.

`invoke serve` rebuilds after every save, in one long-lived process. Which
build a save gets is decided by what the last full build recorded it read
(engine/render_cache.py), not by a list of special cases:

- the pages: each page's entry names every attribute of every content
  object it read (and the variables and templates);
- the rest of the build: what Pelican and the plugins read of each content
  object while making lists, neighbours, feeds, the A to Z and the sitemap
  (`render_cache.site_reads`).

After a save that changed only Markdown files the last full build read, each
file is read again, and every recorded read of its object is worked out on
the old object and the new one. If no read of the rest of the build changed,
every effect of the edit is on pages that read what changed: the new values
are given to the old object (which every list refers to), exactly those
pages are rendered again, and only files whose bytes changed are replaced,
each in one step, so the server never sends half a page. A body edit renders
its own page; a new link to another article, that too. If a read of the rest
of the build changed (a title the A to Z sorts by, a date, tags), or
anything but those Markdown files changed (a template, a setting, a picture,
a new or deleted file), the full strict build runs (commands/build.py), and
the render cache renders only the pages whose reads changed.

The pages path is also left for the full build when it cannot prove itself:
the rules (`commands.build.preflight`) find a problem, reading or rendering
logs a warning, the site's today changed, or the file now publishes a
picture the last build did not (or drops one: its copies must go), since
those are files besides pages. So the problem list an editor sees is always
the full build's. tests/test_preview_rebuild.py applies every kind of edit
(text, title, date, tags, summary, review dates, new and deleted files, a
picture, a template, a setting) to one long-lived preview and compares each
result with a clean full build, byte for byte.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pelican.writers import Writer

from commands.build import build, collect_pelican_log, load_settings, preflight, write_index
from commands.clean_photos import clean_private, pictures_in
from commands.host_files import COMPRESSED_SUFFIXES, compress_file
from engine import cache as site_cache
from engine import render_cache
from plugins import images, parallel_writer, plain_metadata, reading_aids
from rules.clock import today

MARKDOWN_SUFFIX = ".md"


def _done() -> threading.Thread:
    done = threading.Thread(target=lambda: None)
    done.start()
    return done


@dataclass
class PreviewBuilder:
    """Builds for the preview: the first and every unsure one in full, the rest the pages an edit reaches."""

    production: bool = False
    output: Path | None = None
    content: Path | None = None
    state: dict = field(default_factory=dict)
    # Bytes of each Markdown file as the last full build read them.
    _sources: dict[Path, bytes] = field(default_factory=dict)
    last: str = ""  # "full" or "pages", for the terminal and the tests
    _removing: threading.Thread = field(default_factory=_done)
    # Photos this builder cleaned, as it left them, and the names it wrote them under.
    _written: dict[Path, tuple[int, int]] = field(default_factory=dict)
    _partials: set[Path] = field(default_factory=set)
    _content_folder: Path | None = None  # settings' PATH, read once
    _index_due: bool = False  # the search index of the last build is for `finish` to write

    def rebuild(self, changed: set[Path] | None = None) -> Path:
        """Bring the output's pages up to date after `changed` (None: anything may
        have changed): the pages path when the recorded reads allow it, else the
        full build. The search index follows in `finish`, once the pages are served.

        First, a new or changed photo in content/images/ that carries where it was
        taken or the camera's serial is cleaned in place (commands/clean_photos.py),
        and the terminal is told in one line: the file is committed to a public
        repository, and the build refuses it as it is."""
        self._clean_photos(changed)
        if changed is not None and self.state:
            try:
                page = self._pages_only(changed)
            except Exception:
                page = None
            if page is not None:
                self.last = "pages"
                return self.state["output"]
        return self._full()

    def _clean_photos(self, changed: set[Path] | None) -> None:
        if self._content_folder is None:
            settings = load_settings(production=self.production, content=self.content)
            self._content_folder = Path(settings["PATH"])
        content = self._content_folder
        for cleaning in clean_private(
            pictures_in(content) if changed is None else changed, content
        ):
            print(cleaning.said)
            self._written[cleaning.path.resolve()] = cleaning.written
            self._partials.add(cleaning.partial.resolve())

    def not_own(self, changed: set[Path]) -> set[Path]:
        """`changed` without the writes this builder made itself: a photo it cleaned
        (while the file is as it left it) and the names it wrote it under."""

        def own(path: Path) -> bool:
            path = path.resolve()  # the watcher's names and the settings' may differ
            if path in self._partials:
                return True
            try:
                stat = path.stat()
            except OSError:
                return False
            return self._written.get(path) == (stat.st_mtime_ns, stat.st_size)

        return {path for path in changed if not own(path)}

    def _full(self) -> Path:
        self.state.clear()
        self._sources.clear()
        # This process builds again: it keeps what each page and the rest of the
        # build read (engine/render_cache.py), which the pages path asks.
        render_cache.hold(True)
        _forget_rendered_content()
        # A build forks workers only from a process with one thread.
        self._removing.join()
        keep: dict = {}
        output = build(
            production=self.production,
            output=self.output,
            content=self.content,
            keep=keep,
            index_later=True,
        )
        self._index_due = True
        # Deleting thousands of files takes seconds on some disks: not while the editor waits.
        self._removing = threading.Thread(
            target=shutil.rmtree, args=(keep.pop("previous"),), kwargs={"ignore_errors": True}
        )
        self._removing.start()
        keep["today"] = today(keep["settings"])
        # What the pages path starts from: the calls that wrote the pages and
        # what the rest of the build read (engine/render_cache.py).
        keep["calls"] = parallel_writer.last_calls()
        keep["site_reads"] = render_cache.site_reads()
        self._sources = {Path(path): Path(path).read_bytes() for path in keep["paths"]}
        self.state.update(keep)
        self.last = "full"
        return output

    def _pages_only(self, changed: set[Path]) -> Path | None:
        """Render again the pages that read what an edit to Markdown files changed;
        None when the edit reaches more than pages (or that is not provable)."""
        paths = {path.resolve() for path in changed}
        if not all(path.suffix == MARKDOWN_SUFFIX and path in self._sources for path in paths):
            return None
        data = {path: path.read_bytes() for path in paths if path.is_file()}
        if len(data) != len(paths) or all(data[p] == self._sources[p] for p in paths):
            return None  # deleted, or touched, not changed: a full build is sure
        settings = self.state["settings"]
        if today(settings) != self.state["today"]:
            return None
        preflight(settings)  # the same rules as a full build; a problem takes the full path
        site = self.state["site_reads"]
        output = Path(self.state["output"])
        with (
            tempfile.TemporaryDirectory(prefix=".pages-", dir=output.parent) as staging,
            collect_pelican_log(settings) as messages,
        ):
            edits, reach = [], set()
            for path in paths:
                generator, old = _owner(self.state["generators"], settings, path)
                if old is None:
                    return None
                published = images.pending()
                new = _read_again(generator, old)
                if new is None or images.pending() != published:
                    return None
                # A picture taken out would leave its copies behind: only a full build drops them.
                if _pictures(new) != _pictures(old):
                    return None
                differing = render_cache.differing(old, new, site)
                if differing is None or differing & site:
                    return None
                edits.append((old, new))
                reach |= differing
            for old, new in edits:
                _take_over(old, new)
            self._render_pages(render_cache.readers_of(reach), Path(staging))
            if messages:
                # Something to say: the full build says it, with all the rest,
                # and until then the served pages stay as they were.
                return None
            written = _put_in_place(Path(staging), output)
        if settings["PRODUCTION"]:
            for page in written:
                if page.suffix in COMPRESSED_SUFFIXES:
                    compress_file(page)
        self._sources.update(data)
        self._index_due = True
        return Path(self.state["output"])

    def finish(self) -> bool:
        """Write the search index the last build left due into the served output, once
        its pages are served: Pagefind reads every record again (seconds at a
        thousand articles), and no page but the search page waits for it. Only
        files whose bytes changed are written, each whole (commands/search_index.py)."""
        if not self._index_due or not self.state:
            return False
        settings = self.state["settings"]
        written = write_index(Path(self.state["output"]), self.state["generators"], settings)
        self._index_due = False  # only once written: a failure is tried again after the next save
        if settings["PRODUCTION"]:
            for path in written:
                if path.suffix in COMPRESSED_SUFFIXES:
                    compress_file(path)
        return True

    def _render_pages(self, names: set[str], staging: Path) -> None:
        """Render the calls of the last full build that wrote `names` again, into `staging`."""
        calls = parallel_writer.calls_writing(self.state["calls"], names)
        # The settings as Pelican ran with them (its plugins add to them): the
        # render cache's site key is the full build's, so its entries hold.
        ran = self.state["generators"][0].settings
        settings = {**ran, "OUTPUT_PATH": str(staging)}
        parallel_writer.write_calls(
            Writer(staging, settings=settings), calls, self.state["generators"]
        )


def _put_in_place(staging: Path, output: Path) -> list[Path]:
    """Put each file of `staging` whose bytes differ from the served one in its place,
    each in one step (renamed over the old); the files put in place."""
    replaced = []
    for page in sorted(staging.rglob("*")):
        if not page.is_file():
            continue
        target = output / page.relative_to(staging)
        if target.is_file() and target.read_bytes() == page.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        page.replace(target)
        replaced.append(target)
    return replaced


PICTURE = re.compile(r'(?:src|srcset)="([^"]+)"')


def _pictures(content) -> set[str]:
    """Every picture address in the object's body (each `src` and `srcset`)."""
    return set(PICTURE.findall(content._content or ""))


def _owner(generators: list, settings: dict, path: Path):
    """The generator that read `path`, and the content object it made of it."""
    relative = path.relative_to(Path(settings["PATH"]).resolve()).as_posix()
    for generator in generators:
        if not hasattr(generator, "readers"):
            continue
        for item in _published(generator):
            if item.relative_source_path == relative:
                return generator, item
    return None, None


def _published(generator) -> list:
    """Every content object a generator writes a page for."""
    names = ("articles", "translations", "hidden_articles", "hidden_translations", "pages")
    names += ("hidden_pages", "draft_pages", "draft_translations", "drafts", "drafts_translations")
    return [item for name in names for item in getattr(generator, name, [])]


def _read_again(generator, old):
    """The content object Pelican's generator makes of the file now."""
    from pelican import signals

    kind = type(old)
    prefix = "article" if kind.__name__ == "Article" else "page"
    content = generator.readers.read_file(
        base_path=generator.path,
        path=old.relative_source_path,
        content_class=kind,
        context=generator.context,
        preread_signal=getattr(signals, f"{prefix}_generator_preread"),
        preread_sender=generator,
        context_signal=getattr(signals, f"{prefix}_generator_context"),
        context_sender=generator,
    )
    if not isinstance(content, kind) or not content.is_valid() or content.status != old.status:
        return None
    content.refresh_metadata_intersite_links()
    return content


def _take_over(old, new) -> None:
    """Give `old`, which every list and page of the site refers to, the new object's
    values (what the rest of the build set on `old`, as its neighbours and its
    translations, stays: `render_cache.carry_over`)."""
    render_cache.adopt(old, new)
    # Neither keeps its rendered body in Pelican's memo: `new` is dropped now,
    # and would stay in memory until the next full build.
    _forget_rendered_content(old)
    _forget_rendered_content(new)


def forget_memos() -> None:
    """Empty every memo this process keeps from one build to the next: Pelican's
    rendered bodies, the reader's files, dates and Markdown (plugins/plain_metadata.py),
    the reading aids, the pictures' keys and what the cache holds in memory
    (engine/cache.py), the pages' entries (engine/render_cache.py). The preview's full build forgets only the rendered bodies
    (`_full`) and keeps the rest, which follows the files' bytes, for speed; after
    this a build in this process reuses nothing, as a fresh process would
    (tests/test_preview_rebuild.py compares the preview with such a build)."""
    _forget_rendered_content()
    plain_metadata.forget()
    reading_aids.forget()
    images.forget()
    site_cache.forget()
    render_cache.forget()


def _forget_rendered_content(content=None) -> None:
    """Drop Pelican's memo of rendered bodies: one object's, or all of them.

    Pelican memoises `get_content` and `get_summary` on the class, keyed by the
    object, and never clears them: without this a long-lived preview would
    keep every build's pages in memory, and an edited object its old body.
    """
    from pelican.contents import Content

    for memo in (Content.get_content, Content.get_summary):
        cache = memo.cache  # the memoized decorator's dict, shared by every object
        if content is None:
            cache.clear()
        else:
            for key in [key for key in cache if key and key[0] is content]:
                del cache[key]
