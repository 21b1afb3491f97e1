"""The Markdown files a build will read, read ahead in forked workers (engine/workers.py).

Markdown and typography are most of a full build's time and each file is
independent, so the files the reader's memo lacks are read on every core
before Pelican reads them one by one, from the memo. What reading a file
means, and where the memo is, is the reader's (plugins/plain_metadata.py,
its `Memo`): this module only sees a key per file's bytes, whether the memo
(or the cache on disk) already holds it, how to read one, and where to keep
the result.

Only the files neither the memo nor the cache holds are read, and only when
engine/workers.py finds forking safe and worth it for that many: after most
saves in the preview the memo holds all but a few files, and those are left
for Pelican's own reading. A file a worker could not read is left to it as
well, so its error is reported as it would be without reading ahead.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Protocol

from engine import workers

# The kind of work engine.workers records for reading ahead.
KIND = "read-ahead"


class Memo(Protocol):
    """What read_ahead fills: a reader's memo for one build's settings."""

    # What reading one file costs, in CPU seconds.
    seconds: float

    def key(self, data: bytes) -> Hashable:
        """The memo's key for a file's bytes."""

    def recall(self, key: Hashable) -> bool:
        """Whether the memo holds `key` (taking it from the cache on disk if it can)."""

    def convert(self, data: bytes, key: Hashable) -> object:
        """What the reader makes of `data` (it must pickle)."""

    def keep(self, key: Hashable, value: object) -> None:
        """Put a file's reading in the memo."""


def read_ahead(source_paths: list[str], memo: Memo) -> int:
    """Read the files `memo` lacks in forked workers; return how many were read."""
    if not workers.can_fork():
        return 0
    missing: dict[Hashable, bytes] = {}
    for path in source_paths:
        data = Path(path).read_bytes()
        key = memo.key(data)
        if key not in missing and not memo.recall(key):
            missing[key] = data
    count = workers.workers_for(len(missing), len(missing) * memo.seconds)
    workers.note_run(KIND, len(missing), 0)
    if not count:
        return 0
    jobs = [_job(memo, data, key) for key, data in missing.items()]
    done = workers.run(KIND, jobs, count)
    workers.log_again(done)
    for key, result in zip(missing, done, strict=True):
        if result is not None:
            memo.keep(key, result.value)
    return sum(result is not None for result in done)


def _job(memo: Memo, data: bytes, key: Hashable):
    return lambda: memo.convert(data, key)
