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

tests/test_parallel_writer.py builds a site both ways and compares the trees byte for byte.
"""

from __future__ import annotations

import zlib

from pelican import signals
from pelican.writers import Writer

from engine import workers

# The kind of work engine.workers records for the pages.
KIND = "pages"
# What rendering and writing one page costs, in CPU seconds: a production
# build of 123 articles on the project's 2-core machine, 151 calls.
PAGE_SECONDS = 0.002
_writers: list[ParallelWriter] = []


class ParallelWriter(Writer):
    """Pelican's Writer, with `write_file` deferred until `flush`."""

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings=settings)
        self.pending: list[tuple[tuple, dict]] = []
        _writers.append(self)

    def write_file(self, *args, **kwargs) -> None:
        self.pending.append((args, kwargs))

    def write_now(self, calls: list[tuple[tuple, dict]]) -> None:
        for args, kwargs in calls:
            Writer.write_file(self, *args, **kwargs)

    def flush(self) -> None:
        """Render and write every recorded call; in workers when that is safe and pays."""
        calls, self.pending = self.pending, []
        count = workers.workers_for(len(calls), len(calls) * PAGE_SECONDS)
        workers.note_run(KIND, len(calls), 0)
        if (
            not count
            or not self.settings.get("PARALLEL_WRITE", True)
            or signals.content_written.receivers
        ):
            self.write_now(calls)
            return
        shards: list[list[int]] = [[] for _ in range(count)]
        for index, (args, kwargs) in enumerate(calls):
            name = args[0] if args else kwargs.get("name")
            shards[zlib.crc32(str(name).encode()) % count].append(index)
        jobs = [self._job(args, kwargs) for args, kwargs in calls]
        done = workers.run(KIND, jobs, count, groups=shards)
        if None in done:
            self.write_now(calls)  # the same error, with its real traceback
            return
        workers.log_again(done)

    def _job(self, args: tuple, kwargs: dict):
        return lambda: Writer.write_file(self, *args, **kwargs)


def use_parallel_writer(pelican) -> type[Writer]:
    _writers.clear()  # a run that stopped before `finalized` leaves nothing to write
    return ParallelWriter


def flush(pelican) -> None:
    while _writers:
        _writers.pop(0).flush()


def register() -> None:
    signals.get_writer.connect(use_parallel_writer)
    signals.finalized.connect(flush)
