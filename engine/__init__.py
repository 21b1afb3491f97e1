"""The engine: what makes the build fast, and nothing else.

The content-addressed cache on disk (`engine.cache`), one way to run work in
forked workers (`engine.workers`, with the one rule for when forking is safe
and pays), the jobs that make pictures and share cards before the output is
written (`engine.scheduler`), and the Markdown files read ahead on every core
(`engine.read_ahead`). Each works on what its caller hands it: the engine
imports nothing else of the site's, only the standard library, Pelican and
the settings it is given (docs/architecture.md).
"""
