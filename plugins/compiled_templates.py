"""Pelican's Jinja environments keep the templates they compile on disk (engine/templates.py).

When Pelican starts, before it makes a generator (and so an environment), the
settings' JINJA_ENVIRONMENT is given the site cache's `CompiledTemplates`, so a
build compiles only the templates that changed since the last one.
"""

from __future__ import annotations

from pelican import signals

from engine.templates import use_compiled_templates


def keep_compiled_templates(pelican) -> None:
    use_compiled_templates(pelican.settings)


def register() -> None:
    signals.initialized.connect(keep_compiled_templates)
