"""Each cached result is keyed on the code that shapes it, and on nothing else of the code.

engine/cache.py keys every entry of cache/site/ (reader, footnotes,
`.gz` copies, the content rules' summaries and ids) and the pictures and
share cards in cache/images/ on the code of the modules that shape that step
(`SHAPED_BY`, with what they import of the site), read as Python reads it:
comments, docstrings and layout left out (`code_text`). So a comment or a
docstring edited anywhere, or code changed in a module no step comes from,
keeps a warm build warm; a real change to the code a result comes from
makes that step's entries miss, and the build writes what the new code
writes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import FIXTURE_ARTICLE, FIXTURE_ARTICLE_PAGE, ROOT, copy_site, edit, run_build
from PIL import Image

from commands.build import load_settings
from engine import cache
from engine.cache import NOT_SHAPING, SHAPED_BY, code_text, shaping_modules
from plugins.images import PICTURES_STEP
from plugins.share_cards import CARDS_STEP
from rules.folder import IDS_STEP, SUMMARY_STEP

CODE = """\
'''The module's docstring.'''

import os

LIMIT = 3  # a comment


class Thing:
    '''A class's docstring.'''

    def size(self, text):
        '''A method's docstring.'''
        if text:
            '''A string standing alone does nothing.'''
            return len(text) + LIMIT
        return os.sep
"""


def test_comments_docstrings_and_layout_are_not_code():
    same = [
        CODE.replace("# a comment", "# another comment, longer"),
        "# A comment on top.\n" + CODE + "\n# And one at the end.\n",
        CODE.replace("The module's docstring.", "The module's docstring, reworded."),
        CODE.replace("'''A method's docstring.'''", "'''A method's\n        docstring.'''"),
        CODE.replace("'''A class's docstring.'''\n", ""),
        CODE.replace("A string standing alone", "Another string"),
        CODE.replace("LIMIT = 3", "LIMIT = (\n    3\n)").replace("\n\n\nclass", "\n\nclass"),
    ]
    for other in same:
        assert code_text(other) == code_text(CODE), other
    different = [
        CODE.replace("LIMIT = 3", "LIMIT = 4"),
        CODE.replace("return os.sep", "return os.linesep"),
        CODE.replace("len(text) + LIMIT", "len(text) - LIMIT"),
        CODE.replace("import os", "import os\nimport sys"),
    ]
    for other in different:
        assert code_text(other) != code_text(CODE), other


def test_a_step_follows_the_imports_of_its_modules(tmp_path, monkeypatch):
    """At any depth, inside functions, relative or not, with their packages;
    less what NOT_SHAPING leaves out, and nothing that is not imported."""
    files = {
        "site/__init__.py": "",
        "site/first.py": "from site import second\nfrom . import third as t\n",
        "site/second.py": "def f():\n    from site.deep.fourth import g\n    import json\n",
        "site/third.py": "from site.left_out import x\n",
        "site/deep/__init__.py": "from .fifth import y\n",
        "site/deep/fourth.py": "import markdown\n",
        "site/deep/fifth.py": "",
        "site/left_out.py": "from site import unrelated\n",
        "site/unrelated.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setitem(SHAPED_BY, "test-step", ("site.first",))
    monkeypatch.setitem(NOT_SHAPING, "test-step", {"site.left_out": "the test says so"})
    found = [
        path.relative_to(tmp_path).as_posix() for path in shaping_modules("test-step", tmp_path)
    ]
    assert found == [
        "site/__init__.py",
        "site/deep/__init__.py",
        "site/deep/fifth.py",
        "site/deep/fourth.py",
        "site/first.py",
        "site/second.py",
        "site/third.py",
    ]


def test_what_parsing_a_module_gives_is_kept_under_its_bytes(tmp_path):
    """The same digest and imports from the disk as from parsing; an edited file is
    parsed again; a damaged entry is worked out again, not trusted."""
    module = tmp_path / "site" / "thing.py"
    module.parent.mkdir()
    module.write_text(CODE, encoding="utf-8")
    cache.forget()
    parsed = cache.read_module(module)
    assert parsed == (cache.digest(code_text(CODE)), [(0, "os", [])])
    cache.configure({"SITE_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")})
    try:
        for _ in range(2):  # made, then read back
            cache.forget()
            assert cache.read_module(module) == parsed
        [entry] = [path for path in (tmp_path / "cache/site/code").rglob("*") if path.is_file()]
        cache.forget()
        module.write_text(CODE.replace("LIMIT = 3", "LIMIT = 4"), encoding="utf-8")
        assert cache.read_module(module)[0] != parsed[0]
        module.write_text(CODE, encoding="utf-8")
        for damage in (b"{damaged", b'{"code": "x"}', b"[]"):
            entry.write_bytes(damage)
            cache.forget()
            assert cache.read_module(module) == parsed
    finally:
        cache.configure({})


def modules(step: str) -> set[str]:
    return {path.relative_to(ROOT).as_posix() for path in shaping_modules(step)}


def test_every_step_the_code_uses_is_declared():
    """A step SHAPED_BY does not name would be keyed on all the code: correct, but
    cold after any change. The steps named in calls and the steps' constants."""
    used = {SUMMARY_STEP, IDS_STEP, PICTURES_STEP, CARDS_STEP}
    for folder in ("engine", "plugins", "rules", "commands"):
        for path in (ROOT / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                first = node.args[0]
                if name in {"cached", "cached_bytes", "load", "store", "held"} and isinstance(
                    first, ast.Constant
                ):
                    used.add(first.value)
    assert {"reader", "footnotes", "gzip"} <= used
    assert used <= set(SHAPED_BY), used - set(SHAPED_BY)


def test_each_step_holds_the_code_its_results_come_from():
    assert {
        "plugins/plain_metadata.py",
        "plugins/typography.py",
        "plugins/health_components.py",
        "rules/components.py",
        "engine/cache.py",
    } <= modules("reader")
    assert {"plugins/references.py"} <= modules("footnotes")
    assert {"commands/host_files.py"} <= modules("gzip")
    assert {
        "rules/folder.py",
        "rules/sources.py",
        "rules/metadata.py",
        "rules/body.py",
        "rules/raw_html.py",
        "rules/pictures.py",
        "rules/files.py",
        "rules/site.py",
    } <= modules(SUMMARY_STEP)
    assert {"plugins/images.py"} <= modules(PICTURES_STEP)
    # The card's size is rules.pictures's SHARE_IMAGE_SIZE.
    assert {"plugins/share_cards.py", "plugins/images.py", "rules/pictures.py"} <= modules(
        CARDS_STEP
    )
    # Markdown loads the site's extensions by their names in the settings, not by
    # an import: each must be declared for the steps that run the site's Markdown.
    markdown = load_settings()["MARKDOWN"]
    extensions = [*markdown.get("extensions", ()), *markdown.get("extension_configs", {})]
    own = [cache.module_file(name) for name in extensions]
    own = [path.relative_to(ROOT).as_posix() for path in own if path]
    assert own, "the site has a Markdown extension of its own"
    for step in ("reader", IDS_STEP):
        assert set(own) <= modules(step), step
    # What no result comes from: the pages' writer, the sitemap, the commands.
    everything = set().union(*(modules(step) for step in SHAPED_BY))
    for unrelated in ("plugins/sitemap.py", "plugins/parallel_writer.py", "commands/build.py"):
        assert unrelated not in everything
    assert not {"rules/pictures.py", "rules/sources.py"} & modules(PICTURES_STEP)
    # Each module left out is one the step would otherwise take in.
    for step, left_out in NOT_SHAPING.items():
        for name in left_out:
            with pytest.MonkeyPatch.context() as patch:
                patch.setitem(NOT_SHAPING, step, {})
                assert cache.module_file(name) in shaping_modules(step), (step, name)


# --- Through real builds of a copy of the site ------------------------------------


def entries(site: Path) -> dict[str, int]:
    """Every cached result (cache/site/ and cache/images/) and when it was written;
    not what parsing each module gave (cache/site/code/), which follows its bytes."""
    cache = site / "cache"
    return {
        name: path.stat().st_mtime_ns
        for folder in ("site", "images")
        for path in (cache / folder).rglob("*")
        if path.is_file()
        and not (name := path.relative_to(cache).as_posix()).startswith("site/code/")
    }


def made(before: dict[str, int], after: dict[str, int], prefix: str) -> set[str]:
    return {name for name in after.keys() - before.keys() if name.startswith(prefix)}


def build(site: Path, output: str) -> str:
    result = run_build(site, "--production", "--output", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return (site / output / FIXTURE_ARTICLE_PAGE).read_text(encoding="utf-8")


def test_a_warm_build_stays_warm_through_comments_and_misses_only_what_code_changes(tmp_path):
    site = copy_site(tmp_path / "site")
    (site / "content/images").mkdir(exist_ok=True)
    Image.linear_gradient("L").resize((1600, 1000)).convert("RGB").save(
        site / "content/images/sky.jpg", quality=90
    )
    edit(
        site / FIXTURE_ARTICLE,
        "\n## Migraine and Nausea",
        "\n![A calm grey sky]({static}/images/sky.jpg)\n\n"
        "A grey sky is calm to look at.[^sky]\n\n"
        "[^sky]: Mind Balance clinic team. Light and migraine. Patient leaflet. 2026.\n\n"
        "## Migraine and Nausea",
    )
    cold_page = build(site, "cold")
    cold = entries(site)
    for step in ("site/reader/", "site/footnotes/", "site/gzip/", "site/rules-summary/"):
        assert made({}, cold, step), f"the cold build made no {step} entry"
    assert any(name.startswith("images/cards/") for name in cold)
    assert any(name.endswith(".avif") for name in cold)

    # A comment, a docstring and blank lines in every module of the site's code.
    edited = 0
    for folder in ("engine", "plugins", "rules", "commands"):
        for path in sorted((site / folder).glob("*.py")):
            text = path.read_text(encoding="utf-8")
            if ast.get_docstring(ast.parse(text)):
                text = text.replace('"""', '"""Edited, and still not code. ', 1)
            text = text.replace("\n\n\ndef ", "\n\n\n# Why this function is here.\n\n\ndef ", 1)
            text = f"# A comment an editor added.\n{text}\n# And one at the end.\n"
            path.write_text(text, encoding="utf-8")
            edited += 1
    assert edited > 30
    assert build(site, "warm") == cold_page
    assert entries(site) == cold, "a comment or a docstring made a cache entry miss"

    # Real code in the typography engine: the reader's entries (and the footnotes
    # and .gz copies of what it now writes) miss; the rules and pictures do not.
    typography = site / "plugins/typography.py"
    text = typography.read_text(encoding="utf-8")
    assert text.count('<span class="caps">') == 3
    typography.write_text(text.replace('class="caps"', 'class="capitals"'), encoding="utf-8")
    page = build(site, "typography")
    after = entries(site)
    assert len(made(cold, after, "site/reader/")) == len(made({}, cold, "site/reader/"))
    assert not made(cold, after, "site/rules-summary/")
    assert not made(cold, after, "images/")
    assert '<span class="caps">US</span>' in cold_page
    assert page == cold_page.replace('class="caps"', 'class="capitals"')

    # A rule's message: the summaries miss and the new words are shown.
    edit(site / FIXTURE_ARTICLE, "Category: Migraine", "Category: Migraine\nColour: blue")
    before = entries(site)
    result = run_build(site, "--production", "--output", "refused")
    assert "unknown metadata key 'colour'." in result.stderr, result.stderr
    rules = site / "rules/metadata.py"
    edit(rules, 'f"unknown metadata key {key!r}.{hint}"', 'f"no such metadata key {key!r}.{hint}"')
    refused = entries(site)
    result = run_build(site, "--production", "--output", "refused")
    assert result.returncode == 1
    assert "content/ketamine-for-migraine.md:8: no such metadata key 'colour'." in result.stderr
    after = entries(site)
    assert len(made(before, refused, "site/rules-summary/")) == 1, "the broken article's"
    markdown = list((site / "content").rglob("*.md"))
    assert len(made(refused, after, "site/rules-summary/")) == len(markdown), (
        "every file's summary was made again"
    )
    assert not made(refused, after, "images/")


def test_a_cache_entry_from_other_code_or_bytes_is_never_used(tmp_path, monkeypatch):
    """The key holds the site's code: an entry made under other code is not found,
    and a damaged entry is worked out again, not trusted."""
    cache.configure({"SITE_CACHE": True, "CACHE_PATH": str(tmp_path)})
    try:
        assert cache.cached("step", "key", lambda: ["first"]) == ["first"]
        assert cache.cached("step", "key", lambda: ["second"]) == ["first"]
        assert cache.cached("step", "other key", lambda: ["third"]) == ["third"]
        monkeypatch.setattr(cache, "code_salt", lambda step: "other code")
        assert cache.cached("step", "key", lambda: ["fourth"]) == ["fourth"]
        for entry in (tmp_path / "site" / "step").rglob("*"):
            if entry.is_file():
                entry.write_bytes(b"{damaged")
        assert cache.cached("step", "key", lambda: ["fifth"]) == ["fifth"]
    finally:
        cache.configure({})
