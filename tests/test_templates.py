"""engine/templates.py: a compiled template is loaded again only where compiling
would give the same code: same name and file, same source, same configuration."""

from __future__ import annotations

from pathlib import Path

import jinja2

from engine.templates import CompiledTemplates, environment_digest

TEMPLATE = "{% if shown %}\n  <p>{{ words | upper }}</p>\n{% endif %}\n"


class Counting(jinja2.Environment):
    """An environment that counts the templates it compiles from their source."""

    compiled = 0

    def compile(self, *args, **kwargs):
        Counting.compiled += 1
        return super().compile(*args, **kwargs)


def render(folder: Path, cache: Path, **options) -> tuple[str, int]:
    """What a fresh environment renders of `t.html`, and how many templates it compiled."""
    Counting.compiled = 0
    environment = Counting(
        loader=jinja2.FileSystemLoader(folder), bytecode_cache=CompiledTemplates(cache), **options
    )
    text = environment.get_template("t.html").render(shown=True, words="kept")
    return text, Counting.compiled


def test_a_template_is_compiled_once_and_again_only_when_what_shapes_its_code_changes(tmp_path):
    folder, cache = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    (folder / "t.html").write_text(TEMPLATE, encoding="utf-8")
    first = render(folder, cache, trim_blocks=True)
    assert first == ("  <p>KEPT</p>\n", 1)
    assert render(folder, cache, trim_blocks=True) == (first[0], 0), "not loaded from the cache"
    # Whitespace control changes the code: the other configuration compiles its own.
    assert render(folder, cache, trim_blocks=False) == ("\n  <p>KEPT</p>\n", 1)
    assert render(folder, cache, trim_blocks=True) == (first[0], 0)
    # The source changed: compiled afresh, at once.
    (folder / "t.html").write_text(TEMPLATE.replace("upper", "lower"), encoding="utf-8")
    assert render(folder, cache, trim_blocks=True) == ("  <p>kept</p>\n", 1)


def test_the_configuration_key_follows_what_the_compiler_reads():
    def environment(**options) -> jinja2.Environment:
        options = {"autoescape": True, "trim_blocks": True, **options}
        return jinja2.Environment(**options)  # noqa: S701 - autoescape is in options

    base = environment()
    assert environment_digest(base) == environment_digest(environment())
    others = [
        environment(trim_blocks=False),
        environment(autoescape=False),
        environment(extensions=["jinja2.ext.i18n"]),
        environment(block_start_string="<%", block_end_string="%>"),
        environment(finalize=str),
    ]
    with_filter = environment()
    with_filter.filters["shout"] = str.upper
    others.append(with_filter)
    # The same filter's name, but Jinja passes it the context: other compiled code.
    with_context = environment()
    with_context.filters["shout"] = jinja2.pass_context(lambda context, value: value.upper())
    others.append(with_context)
    with_policy = environment()
    with_policy.policies["ext.i18n.trimmed"] = True
    others.append(with_policy)
    digests = {environment_digest(other) for other in others}
    assert len(digests) == len(others) and environment_digest(base) not in digests


def test_a_damaged_entry_is_compiled_again_and_rewritten(tmp_path):
    folder, cache = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    (folder / "t.html").write_text(TEMPLATE, encoding="utf-8")
    expected, _ = render(folder, cache)
    entries = [path for path in cache.rglob("*") if path.is_file()]
    assert len(entries) == 1
    for damage in (b"", b"garbage", entries[0].read_bytes()[:20]):
        entries[0].write_bytes(damage)
        assert render(folder, cache) == (expected, 1)
        assert entries[0].read_bytes() != damage
