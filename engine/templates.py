"""The theme's templates compiled once, kept on disk for later builds (`cache/templates/`).

Pelican makes a fresh Jinja environment for each of its generators on every
build, and each compiles, from its source, every template it renders: about
forty compilations and a fifth of a second of CPU for this site's theme, a
quarter of a small site's whole build. Jinja can keep what it compiles
through a "bytecode cache"; `CompiledTemplates` is one, with its entries in
the site's cache folder under a key of everything the compiled code depends on:

- the template's name and its file's path (Jinja's own `bucket.key`): the code
  names its file, so a template error still names the file it is in;
- the template's source (Jinja's checksum, which Jinja checks again on loading),
  so an edited template is compiled afresh at once;
- the environment's compile-time configuration (`environment_digest`):
  delimiters, whitespace control, autoescaping, `optimized`, `finalize`, the
  extensions and policies, and each filter and test by name, by what Jinja
  passes it (context, eval context or environment, which the compiled code
  spells out) and by the function's own name, with Jinja's and Python's
  versions. (Jinja's own FileSystemBytecodeCache keys on the name and source alone.)
  What no key can see is a filter's *output* when the compiler runs it: with
  `optimized` on, Jinja runs a filter applied to a constant while compiling.
  The theme applies none to a constant; if one ever does, the filter's code
  edited without its template changing needs `invoke clean`.

An entry is written whole (`engine.cache.write_entry`), so two builds at once in
one checkout never read half of one; an entry that cannot be read is compiled
again and rewritten. `SITE_CACHE = False` turns this off with the rest of the
cache, and `invoke clean` removes it. plugins/compiled_templates.py hands it to
Pelican. tests/test_templates.py shows that a changed source or configuration
is compiled afresh and a damaged entry compiled again;
tests/test_compiled_templates.py that a warm build compiles nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from engine.cache import write_entry

FOLDER_NAME = "templates"


def environment_digest(environment: jinja2.Environment) -> str:
    """A hash of what in `environment` decides the code a template compiles to."""

    def named(value) -> str:
        if value is None or isinstance(value, bool | int | float | str):
            return repr(value)
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value))}"

    def passed(function) -> str:
        """What Jinja passes the function first (`@pass_context` and the others set it)."""
        return str(getattr(function, "jinja_pass_arg", None))

    def called(functions: dict) -> str:
        """Each by name, with what Jinja passes it and which function it is."""
        return ",".join(
            f"{name}:{passed(function)}:{named(function)}"
            for name, function in sorted(functions.items())
        )

    parts = [
        jinja2.__version__,
        sys.version,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        repr(environment.line_statement_prefix),
        repr(environment.line_comment_prefix),
        repr(environment.trim_blocks),
        repr(environment.lstrip_blocks),
        repr(environment.newline_sequence),
        repr(environment.keep_trailing_newline),
        repr(environment.optimized),
        repr(environment.is_async),
        named(environment.autoescape),
        f"{named(environment.finalize)}:{passed(environment.finalize)}",
        repr(getattr(environment, "newstyle_gettext", None)),
        ",".join(sorted(environment.extensions)),
        ",".join(f"{key}={named(value)}" for key, value in sorted(environment.policies.items())),
        called(environment.filters),
        called(environment.tests),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache in `folder`, keyed as the module docstring says."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def entry(self, bucket: Bucket) -> Path:
        key = f"{bucket.key}\0{bucket.checksum}\0{environment_digest(bucket.environment)}"
        name = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / name[:2] / name[2:]

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self.entry(bucket).read_bytes()
        except OSError:
            return  # not compiled yet: Jinja compiles it, then `dump_bytecode`
        try:
            bucket.bytecode_from_string(data)
        except (ValueError, EOFError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # damaged: compiled again, and the entry rewritten

    def dump_bytecode(self, bucket: Bucket) -> None:
        # A read-only or full disk costs speed, never the build.
        with contextlib.suppress(OSError):
            write_entry(self.entry(bucket), bucket.bytecode_to_string())


def use_compiled_templates(settings: dict) -> None:
    """Give every Jinja environment made with `settings` the cache of compiled templates,
    in CACHE_PATH; nothing while SITE_CACHE is off."""
    if not (settings.get("SITE_CACHE") and settings.get("CACHE_PATH")):
        return
    folder = Path(settings["CACHE_PATH"]) / FOLDER_NAME
    settings["JINJA_ENVIRONMENT"] = {
        **settings["JINJA_ENVIRONMENT"],
        "bytecode_cache": CompiledTemplates(folder),
    }
