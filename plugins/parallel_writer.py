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
not rendered again; its kept bytes are written. The parent keeps each page's
entry (what it read) and each call's output names (`calls()`), which the
preview uses to render again exactly the pages an edit reaches.

tests/test_parallel_writer.py builds a site both ways and compares the trees
byte for byte; tests/test_render_cache.py does the same with the render
cache and without it.
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
_run: dict = {"generators": [], "now": None, "calls": [], "previous": None, "written": {}}
# The setting that names the folder the previous build is in (commands/build.py):
# a kept page whose file there is still the one written is hard-linked, not written.
PREVIOUS_OUTPUT = "PREVIOUS_OUTPUT_PATH"
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
        _made.append((name, entry, kept))
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
    """A kept page's text; or, when the previous build's file at `name` is still the
    one it wrote with these bytes, "" and a hard link to that file instead
    (`ParallelWriter._open_w`), so an unchanged page costs no write."""
    previous = _run["previous"]
    if previous is not None and isinstance(writer, ParallelWriter):
        source = previous / name
        target = Path(writer.output_path) / name
        written = _run["written"].get(name)
        # A name written twice in one build is written, not linked.
        same = written and written[0] == sha and _stat(source) == tuple(written[1:])
        if same and not target.exists():
            _run["link"] = source
            return ""
    data = cache.kept_bytes(render_cache.STEP, f"page:{sha}")
    return None if data is None else data.decode("utf-8")


def _keep_output(text: str) -> str:
    data = text.encode("utf-8")
    name = cache.digest(data)
    cache.keep_bytes(render_cache.STEP, f"page:{name}", data)
    return name


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


class ParallelWriter(Writer):
    """Pelican's Writer, with `write_file` deferred until `flush`."""

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings=settings)
        self.pending: list[tuple[tuple, dict]] = []
        _writers.append(self)

    def write_file(self, *args, **kwargs) -> None:
        self.pending.append((args, kwargs))

    def _open_w(self, filename, encoding, override=False):
        """Pelican's, or for a kept page whose file the previous build wrote (see
        `_kept_output`), that file hard-linked into place."""
        source = _run.pop("link", None)
        if source is None:
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
        if _run["previous"] is not None:
            # What this build wrote, kept for the next build into the same folder.
            cache.store(render_cache.STEP, _written_key(_run["previous"]), _run["written"])


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
    kept = [render_cache.entry(_name(args, kwargs)) is not None for args, kwargs in calls]
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
    for made, stats in done:
        produced.append([name for name, _entry, _kept in made])
        for (name, entry, was_kept), stat in zip(made, stats, strict=True):
            last_flush["kept" if was_kept else "rendered"] += 1
            if entry is not None and not was_kept:
                render_cache.keep(name, entry)
            if entry is not None and stat is not None:
                _run["written"][name] = (entry.output, *stat)
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
    )
    previous = settings.get(PREVIOUS_OUTPUT) if isinstance(writer, ParallelWriter) else None
    previous = Path(previous) if previous else None
    if previous != _run["previous"]:
        _run["previous"] = previous
        _run["written"] = (previous and cache.load(render_cache.STEP, _written_key(previous))) or {}

    def source(name: str) -> str:
        return environment.loader.get_source(environment, name)[0]

    _run["now"] = render_cache.Now(contents(generators), source)


def _written_key(previous: Path) -> str:
    return f"written\0{previous}"


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
        output = Path(writer.output_path)
        return list(_made), [_stat(output / name) for name, _entry, _kept in _made]

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
