"""Render and write the pages in forked workers, one per core (engine/workers.py).

Pelican renders every page through Jinja and writes it, one after another,
in one process: about a third of a full build. Pelican's `get_writer` signal
lets a plugin supply the Writer, so this one only *records* each
`write_file` call while the generators run. When Pelican sends `finalized`
(this plugin is first in PLUGINS, so it runs before any other receiver), the
recorded calls are split into one group per worker by output name (two calls
for one name stay in one group, in order, so Pelican's "is to be
overwritten" warning still fires) and the groups are rendered by forked
workers with Pelican's own `Writer.write_file`, so every byte written is what
a single process writes.

What makes it exactly equivalent, and the fallbacks:

- The warnings a worker logs are sent back and logged again by the parent in
  the order of the calls, so the build's problem list is the same.
- If any call fails in a worker (a template error, a crash), nothing of the
  workers' results is used: the parent renders every call itself, in order,
  and so stops at the first failing call with the traceback a single
  process has.
- Workers are forked only when engine/workers.py finds it safe and worth it
  (one thread, two or more cores, enough pages), and when nothing receives
  `content_written` (a receiver in a worker could not change the parent).
  Otherwise the calls run in process, in order.

Every page goes through the render cache (engine/render_cache.py): a page
whose recorded reads have the values they had when it was last rendered is
not rendered again, and the cache's file of its bytes is hard-linked into
place (copied where the disk cannot link). The parent keeps each page's
entry (what it read) and each call's output names (`last_calls()`), which
the preview uses to render again exactly the pages an edit reaches
(`write_calls`).

tests/test_parallel_writer.py builds a site both ways, and warm (every page
kept), and compares the trees byte for byte; tests/test_render_cache.py
checks the render cache's rule on small templates.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import jinja2
from pelican import signals
from pelican.contents import Content
from pelican.writers import Writer

from engine import cache, render_cache, workers
from engine.templates import environment_digest
from rules.clock import today

# The kind of work engine.workers records for the pages.
KIND = "pages"
# What rendering and writing one page costs, in CPU seconds: a production
# build of 123 articles on the project's 2-core machine, 151 calls.
PAGE_SECONDS = 0.002
# A kept page costs its checks and its writing only.
KEPT_SECONDS = 0.0002
_writers: list[ParallelWriter] = []
# This run's generators (their content objects are what pages read) and, per
# page rendered or kept in a job, (output name, entry, whether it was kept).
_run: dict = {"generators": [], "now": None, "calls": []}
_made: list[tuple[str, render_cache.Entry | None, bool]] = []
# What the last flush did: pages rendered and pages whose kept bytes were written.
last_flush = {"rendered": 0, "kept": 0}


class KeptTemplate:
    """A template whose pages go through the render cache (engine/render_cache.py)."""

    def __init__(self, template: jinja2.Template, writer: Writer) -> None:
        self.template = template
        self.name = template.name
        self.writer = writer

    def render(self, variables) -> str:
        name = variables["output_file"]
        text, entry, kept = render_cache.render(
            self.template,
            variables,
            _run["now"],
            lambda sha: _kept_output(self.writer, name, sha),
            _keep_output,
        )
        if entry is not None and not kept:
            render_cache.keep(name, entry)  # on the disk, by whichever process rendered it
            _link_kept(self.writer, name, entry.output)  # the bytes just kept: linked too
        # The parent needs the entry only to hold it (the preview).
        _made.append((name, entry if render_cache.held() else None, kept))
        return text


class _Discard:
    """The file Pelican writes a page into when the page is a link to its bytes."""

    def __enter__(self):
        return self

    def __exit__(self, *exception) -> None:
        return None

    def write(self, text: str) -> None:
        return None


def _kept_output(writer: Writer, name: str, sha: str) -> str | None:
    """A kept page's text; or "" when its file in the cache will be linked into place."""
    if _link_kept(writer, name, sha):
        return ""
    data = cache.kept_bytes(render_cache.STEP, f"page:{sha}")
    return None if data is None else data.decode("utf-8")


def _link_kept(writer: Writer, name: str, sha: str) -> bool:
    """Have the pages' own writer hard-link the cache's file of the bytes `sha` to
    `name` instead of writing them (`ParallelWriter._open_w`): a page costs one
    file, the cache's, not two. Not for a name this build wrote already (Pelican
    decides which of the two stays), nor for another writer."""
    if not isinstance(writer, ParallelWriter) or (Path(writer.output_path) / name).exists():
        return False
    kept = cache.kept_file(render_cache.STEP, f"page:{sha}")
    if kept is None:
        return False
    _run["link"] = kept
    return True


def _keep_output(text: str) -> str:
    data = text.encode("utf-8")
    name = cache.digest(data)
    cache.keep_bytes(render_cache.STEP, f"page:{name}", data)
    return name


class ParallelWriter(Writer):
    """Pelican's Writer, with `write_file` deferred until `flush`."""

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings=settings)
        self.pending: list[tuple[tuple, dict]] = []
        _writers.append(self)

    def write_file(self, *args, **kwargs) -> None:
        self.pending.append((args, kwargs))

    def _open_w(self, filename, encoding, override=False):
        """Pelican's, or for a kept page (see `_kept_output`), the cache's file of its
        bytes hard-linked into place."""
        source = _run.pop("link", None)
        if source is None:
            if override and filename in self._written_files - self._overridden_files:
                # Pelican writes this name again: never through a hard link
                # (the cache's file) the first write may have made.
                Path(filename).unlink(missing_ok=True)
            return super()._open_w(filename, encoding, override=override)
        self._written_files.add(filename)  # Pelican's own note of what it wrote
        if override:
            self._overridden_files.add(filename)
        cache.link_or_copy(source, Path(filename))
        return _Discard()

    def flush(self) -> None:
        """Render and write every recorded call; in workers when that is safe and pays."""
        calls, self.pending = self.pending, []
        render_cache.record_site(False)
        produced = write_calls(self, calls, _run["generators"])
        _run["calls"] += zip(calls, produced, strict=True)


def last_calls() -> list[tuple[tuple[tuple, dict], list[str]]]:
    """The last run's `write_file` calls, each with the output names it wrote."""
    return list(_run["calls"])


def calls_writing(calls: list, names: set[str]) -> list[tuple[tuple, dict]]:
    """The calls (from `last_calls`) that wrote any of `names`, in their order."""
    return [call for call, produced in calls if names.intersection(produced)]


def write_calls(writer: Writer, calls: list[tuple[tuple, dict]], generators) -> list[list[str]]:
    """Render and write `calls` with `writer` through the render cache, the pages
    reading the content objects of `generators`; per call, the output names it
    wrote (in workers when that is safe and pays)."""
    calls = [_kept(writer, args, kwargs) for args, kwargs in calls]
    if calls:
        _start(writer, calls[0], generators)
    # Held (the preview), the entries of the calls' names are read into this
    # process first (for their cost), and every page's entry comes back from
    # the workers (a paginated call's later pages too), kept or rendered.
    kept = [render_cache.has_entry(_name(args, kwargs)) for args, kwargs in calls]
    cost = sum(KEPT_SECONDS if hit else PAGE_SECONDS for hit in kept)
    count = workers.workers_for(len(calls), cost)
    workers.note_run(KIND, len(calls), 0)
    jobs = [_job(writer, args, kwargs) for args, kwargs in calls]
    if (
        not count
        or not writer.settings.get("PARALLEL_WRITE", True)
        or signals.content_written.receivers
    ):
        done = [job() for job in jobs]
    else:
        shards: list[list[int]] = [[] for _ in range(count)]
        for index, (args, kwargs) in enumerate(calls):
            shards[zlib.crc32(str(_name(args, kwargs)).encode()) % count].append(index)
        results = workers.run(KIND, jobs, count, groups=shards)
        if None in results:
            done = [job() for job in jobs]  # the same error, with its real traceback
        else:
            workers.log_again(results)
            done = [result.value for result in results]
    produced = []
    last_flush.update(rendered=0, kept=0)
    for made in done:
        produced.append([name for name, _entry, _kept in made])
        for name, entry, was_kept in made:
            last_flush["kept" if was_kept else "rendered"] += 1
            if render_cache.held():  # the worker stored it; held, this process knows it too
                render_cache.keep(name, entry, stored=True)
    return produced


def _name(args: tuple, kwargs: dict):
    return args[0] if args else kwargs.get("name")


def _kept(writer: Writer, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """The call with its template going through the render cache."""
    if len(args) > 1 and isinstance(args[1], jinja2.Template):
        args = (args[0], KeptTemplate(args[1], writer), *args[2:])
    elif isinstance(kwargs.get("template"), jinja2.Template):
        kwargs = {**kwargs, "template": KeptTemplate(kwargs["template"], writer)}
    return args, kwargs


def _start(writer: Writer, first: tuple[tuple, dict], generators) -> None:
    """The render cache for this run's settings, and the values its pages read now."""
    args, kwargs = first
    template = args[1] if len(args) > 1 else kwargs["template"]
    environment = template.template.environment
    settings = writer.settings
    key = render_cache.site_key(
        settings,
        today(settings),
        cache.code_salt(render_cache.STEP),
        Path(settings["THEME"]),
        environment_digest(environment),
    )
    render_cache.start(
        key,
        lambda name: cache.load(render_cache.STEP, name),
        lambda name, value: cache.store(render_cache.STEP, name, value),
        lambda name: cache.has(render_cache.STEP, name),
    )

    def source(name: str) -> str:
        return environment.loader.get_source(environment, name)[0]

    _run["now"] = render_cache.Now(contents(generators), source)


def contents(generators) -> list:
    """Every content object the generators made (articles, pages, drafts, static files...)."""
    found: dict[int, object] = {}
    for generator in generators:
        for value in vars(generator).values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, Content):
                        found[id(item)] = item
    return list(found.values())


def _job(writer: Writer, args: tuple, kwargs: dict):
    def job():
        _made.clear()
        Writer.write_file(writer, *args, **kwargs)
        return list(_made)

    return job


def start_recording(pelican) -> None:
    render_cache.install(Content, jinja2.runtime.Context, jinja2.Environment)
    _run.update(generators=[], calls=[])
    render_cache.record_site(True)


def keep_generators(generators) -> None:
    _run["generators"] = list(generators)


def use_parallel_writer(pelican) -> type[Writer]:
    _writers.clear()  # a run that stopped before `finalized` leaves nothing to write
    return ParallelWriter


def flush(pelican) -> None:
    while _writers:
        _writers.pop(0).flush()


def register() -> None:
    signals.initialized.connect(start_recording)
    signals.all_generators_finalized.connect(keep_generators)
    signals.get_writer.connect(use_parallel_writer)
    signals.finalized.connect(flush)
