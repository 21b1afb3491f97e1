"""Render and write the pages in one forked worker per core.

Pelican renders every page through Jinja and writes it, one after another,
in one process: about a third of a full build. Pelican's `get_writer` signal
lets a plugin supply the Writer, so this one only *records* each
`write_file` call while the generators run. When Pelican sends `finalized`
(this plugin is first in PLUGINS, so it runs before any other receiver), the
recorded calls are split into one shard per core by output name (two calls
for one name stay in one shard, in order, so Pelican's "is to be
overwritten" warning still fires) and each shard is rendered by a forked
worker with Pelican's own `Writer.write_file`, so every byte written is what a
single process writes. `gc.freeze()` before forking keeps the collector from
touching, and so copying, the parent's objects.

What makes it exactly equivalent, and the fallbacks:

- The warnings a worker logs are sent back and logged again by the parent in
  the order of the calls, so the build's problem list is the same.
- If any worker fails (a template error, a crash), nothing of the workers'
  results is used: the parent renders every call itself, in order, and so
  stops at the first failing call with the traceback a single process has.
- Workers are forked only from a process with one thread (as the preview's
  rebuilds are: its server runs in a process of its own, preview/server.py),
  with two or more cores, enough pages to pay for the fork, and no
  `content_written` receiver (a receiver in a worker could not change the
  parent). Otherwise the calls run in process, in order.

tests/test_speed.py builds a site both ways and compares the trees byte for byte.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import threading
import zlib

from pelican import signals
from pelican.writers import Writer

# Fewer calls than this are rendered in process: forking costs more than it saves.
PARALLEL_FROM = 64
_writers: list[ParallelWriter] = []
# How many shards the last flush forked (0: rendered in process), for the tests.
last_forked = {"shards": 0}


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
        workers = min(os.cpu_count() or 1, 8)
        last_forked["shards"] = 0
        if (
            not self.settings.get("PARALLEL_WRITE", True)
            or workers < 2
            or len(calls) < PARALLEL_FROM
            or threading.active_count() > 1
            or bool(signals.content_written.receivers)
        ):
            self.write_now(calls)
            return
        shards: list[list[tuple[int, tuple, dict]]] = [[] for _ in range(workers)]
        for index, (args, kwargs) in enumerate(calls):
            name = args[0] if args else kwargs.get("name")
            shards[zlib.crc32(str(name).encode()) % workers].append((index, args, kwargs))
        shards = [shard for shard in shards if shard]
        last_forked["shards"] = len(shards)
        results = _run_forked(self, shards)
        if results is None:
            self.write_now(calls)  # the same error, with its real traceback
            return
        for _, name, level, message in sorted(results):
            logging.getLogger(name).log(level, "%s", message)


class _Capture(logging.Handler):
    """A worker's warnings, each with the index of the call that logged it."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.index = 0
        self.records: list[tuple[int, str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((self.index, record.name, record.levelno, record.getMessage()))


def _run_forked(writer: ParallelWriter, shards: list[list[tuple[int, tuple, dict]]]):
    """Each shard in a forked worker; every worker's warnings, or None if one failed."""
    sys.stdout.flush()
    sys.stderr.flush()
    gc.collect()
    gc.freeze()
    children = []
    try:
        for shard in shards:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                os.close(read_end)
                _work(writer, shard, write_end)
            os.close(write_end)
            children.append((pid, read_end))
    finally:
        gc.unfreeze()
    results: list[tuple[int, str, int, str]] | None = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data or results is None:
            results = None
            continue
        ok, records = pickle.loads(data)  # noqa: S301 - our own forked child, over our own pipe
        results = results + records if ok else None
    return results


def _work(writer: ParallelWriter, shard: list[tuple[int, tuple, dict]], write_end: int) -> None:
    capture = _Capture()
    logging.getLogger().addHandler(capture)
    ok = True
    try:
        for index, args, kwargs in shard:
            capture.index = index
            Writer.write_file(writer, *args, **kwargs)
    except BaseException:
        ok = False
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps((ok, capture.records)))
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)


def use_parallel_writer(pelican) -> type[Writer]:
    _writers.clear()  # a run that stopped before `finalized` leaves nothing to write
    return ParallelWriter


def flush(pelican) -> None:
    while _writers:
        _writers.pop(0).flush()


def register() -> None:
    signals.get_writer.connect(use_parallel_writer)
    signals.finalized.connect(flush)
