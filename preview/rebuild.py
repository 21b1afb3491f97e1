"""The preview's builds: after an edit to an article's text alone, one page; else all.

`invoke serve` rebuilds after every save. A full build renders and writes
every page, which at a thousand articles takes seconds. Most saves while
writing change one article's text and nothing any other page shows of it:
its title, summary, dates, tags, topic, address, share card and review dates
appear in lists, neighbours' links, the A to Z, the sitemap and structured
data, but its body appears only on its own page. For exactly that edit this
module renders and writes that one page, from the state the last full build
left in this long-lived process. Anything else takes the full build.

The fast path is taken only when all of these hold, and each is checked, not
assumed:

- the last build in this process was a full build that succeeded, of the
  same settings, and the site's today is still the same day;
- the save changed exactly one Markdown file Pelican read as an article or a
  page, and nothing else (no template, setting, picture or other file);
- the file's metadata block (up to the first blank line) is byte for byte as
  before;
- the same rules as a full build (`commands.build.preflight`: content rules
  over every file, review dates) find no problem;
- reading the file again gives a content object equal to the old one in
  everything but what only its own page shows (`OWN_PAGE_ONLY`), links to the
  same static files, and publishes no new picture;
- reading and rendering log no warning or error.

Otherwise, or if the fast path fails in any way, the full build runs, so the
problem list an editor sees is always the full build's. The page is written
to a temporary file and renamed over the old one, so the server never sends
half a page. tests/test_preview_rebuild.py applies every kind of edit (text, title,
date, tags, summary, review dates, new and deleted files, a picture, a
template, a setting) and compares the result with a clean full build, byte
for byte.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from commands.build import build, collect_pelican_log, load_settings, preflight
from commands.clean_photos import clean_private, pictures_in
from commands.host_files import COMPRESSED_SUFFIXES, compress_file
from commands.search_index import write_search_index
from engine import cache as site_cache
from plugins import images, plain_metadata, reading_aids
from rules.clock import today

# What a body edit may change on a content object: the attributes shown on its
# own page and nowhere else (plugins/reading_aids.py sets the last two; the
# templates read them only in article.html, which tests/test_preview_rebuild.py checks).
OWN_PAGE_ONLY = frozenset({"_content", "toc", "reading_minutes"})
MARKDOWN_SUFFIX = ".md"
NEIGHBOURS = re.compile(r"(next|prev)_article(_in_(sub)?category\d*)?")


def metadata_block(data: bytes) -> bytes:
    """The metadata lines of a Markdown file: everything before the first blank line."""
    text = data.replace(b"\r\n", b"\n").lstrip(b"\xef\xbb\xbf")
    return text.split(b"\n\n", 1)[0]


def _done() -> threading.Thread:
    done = threading.Thread(target=lambda: None)
    done.start()
    return done


@dataclass
class PreviewBuilder:
    """Builds for the preview: the first and every unsure one in full, the rest one page."""

    production: bool = False
    output: Path | None = None
    content: Path | None = None
    state: dict = field(default_factory=dict)
    # Bytes of each Markdown file as the last full build read them.
    _sources: dict[Path, bytes] = field(default_factory=dict)
    last: str = ""  # "full" or "page", for the terminal and the tests
    _removing: threading.Thread = field(default_factory=_done)
    # Photos this builder cleaned, as it left them, and the names it wrote them under.
    _written: dict[Path, tuple[int, int]] = field(default_factory=dict)
    _partials: set[Path] = field(default_factory=set)
    _content_folder: Path | None = None  # settings' PATH, read once

    def rebuild(self, changed: set[Path] | None = None) -> Path:
        """Bring the output up to date after `changed` (None: anything may have changed).

        First, a new or changed photo in content/images/ that carries where it was
        taken or the camera's serial is cleaned in place (commands/clean_photos.py),
        and the terminal is told in one line: the file is committed to a public
        repository, and the build refuses it as it is."""
        self._clean_photos(changed)
        if changed is not None and self.state:
            try:
                page = self._page_only(changed)
            except Exception:
                page = None
            if page is not None:
                self.last = "page"
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
        _forget_rendered_content()
        # A build forks workers only from a process with one thread.
        self._removing.join()
        keep: dict = {}
        output = build(
            production=self.production, output=self.output, content=self.content, keep=keep
        )
        # Deleting thousands of files takes seconds on some disks: not while the editor waits.
        self._removing = threading.Thread(
            target=shutil.rmtree, args=(keep.pop("previous"),), kwargs={"ignore_errors": True}
        )
        self._removing.start()
        keep["today"] = today(keep["settings"])
        self._sources = {Path(path): Path(path).read_bytes() for path in keep["paths"]}
        self.state.update(keep)
        self.last = "full"
        return output

    def _page_only(self, changed: set[Path]) -> Path | None:
        """Write the one page a body-only edit changes; None when that is not provably enough."""
        if len(changed) != 1:
            return None
        path = next(iter(changed)).resolve()
        if path.suffix != MARKDOWN_SUFFIX or path not in self._sources or not path.is_file():
            return None
        data = path.read_bytes()
        if data == self._sources[path]:
            return None  # touched, not changed: a full build costs only time, and is sure
        if metadata_block(data) != metadata_block(self._sources[path]):
            return None
        settings = self.state["settings"]
        if today(settings) != self.state["today"]:
            return None
        generator, old = _owner(self.state["generators"], settings, path)
        if old is None:
            return None
        preflight(settings)  # the same rules as a full build; a problem takes the full path
        with collect_pelican_log(settings) as messages:
            published = images.pending()
            new = _read_again(generator, old)
            if new is None or images.pending() != published:
                return None
            # A picture taken out would leave its copies behind: only a full build drops them.
            if _pictures(new) != _pictures(old):
                return None
            if not _same_outside(old, new) or new.summary != old.summary:
                return None
            if new.get_static_links() != old.get_static_links():
                return None
            _take_over(old, new)
            page = _render(generator, old, Path(self.state["output"]))
        if messages:
            # Something to say about this page: the full build says it, with all the rest.
            return None
        # The page's text is in the search index: written again from the same
        # objects a full build reads (only this record changed, the rest is cached).
        written = write_search_index(Path(self.state["output"]), self.state["generators"], settings)
        if settings["PRODUCTION"]:
            for path in [page, *written]:
                if path.suffix in COMPRESSED_SUFFIXES:
                    compress_file(path)
        self._sources[path] = data
        return page


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


def _same_outside(old, new) -> bool:
    """Whether `new` shows other pages exactly what `old` did.

    Every attribute the reader and the content plugins set must be equal, but
    those only the object's own page shows. The old object alone also carries
    its neighbours (`pelican.plugins.neighbors`, set from the order of dates
    and topics, which a body edit cannot change); any other attribute only the
    old one has was set by something this module does not know: a full build.
    """
    before, after = vars(old), vars(new)
    only_before = before.keys() - after.keys()
    if after.keys() - before.keys() or not all(NEIGHBOURS.fullmatch(n) for n in only_before):
        return False
    return all(before[name] == after[name] for name in after if name not in OWN_PAGE_ONLY)


def _take_over(old, new) -> None:
    """Give `old`, which every list and page of the site refers to, the new text."""
    for name in OWN_PAGE_ONLY:
        setattr(old, name, getattr(new, name))
    _forget_rendered_content(old)


def forget_memos() -> None:
    """Empty every memo this process keeps from one build to the next: Pelican's
    rendered bodies, the reader's files, dates and Markdown (plugins/plain_metadata.py),
    the reading aids, the pictures' keys and what the cache holds in memory
    (engine/cache.py). The preview's full build forgets only the rendered bodies
    (`_full`) and keeps the rest, which follows the files' bytes, for speed; after
    this a build in this process reuses nothing, as a fresh process would
    (tests/test_preview_rebuild.py compares the preview with such a build)."""
    _forget_rendered_content()
    plain_metadata.forget()
    reading_aids.forget()
    images.forget()
    site_cache.forget()


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


def _render(generator, content, output: Path) -> Path:
    """Write `content`'s page exactly as its generator's `generate_output` does, and swap it in."""
    from pelican import signals
    from pelican.writers import Writer

    arguments = {
        "relative_urls": generator.settings["RELATIVE_URLS"],
        "override_output": hasattr(content, "override_save_as"),
        "url": content.url,
    }
    if type(content).__name__ != "Article":
        signals.page_generator_write_page.send(generator, content=content)
        arguments["page"] = content
    elif content in generator.drafts or content in generator.drafts_translations:
        arguments |= {"article": content, "category": content.category, "blog": True}
        arguments["all_articles"] = generator.articles
    else:
        signals.article_generator_write_article.send(generator, content=content)
        arguments |= {"article": content, "category": getattr(content, "category", None)}
        arguments["blog"] = True
    with tempfile.TemporaryDirectory(prefix=".page-", dir=output.parent) as staging:
        writer = Writer(staging, settings=generator.settings)
        template = generator.get_template(content.template)
        writer.write_file(content.save_as, template, generator.context, **arguments)
        target = output / content.save_as
        (Path(staging) / content.save_as).replace(target)
    return target
