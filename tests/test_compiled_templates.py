"""plugins/compiled_templates.py: a warm build compiles no template and writes what a
cold one wrote; an edited template is compiled afresh and shows at once.

Jinja writes an entry of the cache each time it compiles a template from its
source (and only then), so the entries' names and times say what a build compiled."""

from __future__ import annotations

from pathlib import Path

from conftest import cache_times, copy_site, edit, run_build, snapshot


def build(site: Path, output: str) -> None:
    result = run_build(site, "--output", output)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_warm_build_compiles_no_template_and_an_edited_one_is_compiled_afresh(tmp_path):
    site = copy_site(tmp_path / "site")
    build(site, "cold")
    cold = cache_times(site, "templates")
    templates = list((site / "theme/templates").rglob("*.html"))
    assert len(cold) >= len(templates) // 2, "the cold build compiled too few templates"
    build(site, "warm")
    assert cache_times(site, "templates") == cold, "the warm build compiled templates again"
    assert snapshot(site / "warm") == snapshot(site / "cold")
    edit(site / "theme/templates/base.html", "</body>", "<!-- edited --></body>")
    build(site, "edited")
    after = cache_times(site, "templates")
    assert {p: t for p, t in after.items() if p in cold} == cold, "unchanged templates compiled"
    assert len(after) == len(cold) + 1, "base.html, and only it, compiled afresh"
    pages = list((site / "edited").rglob("*.html"))
    assert pages and all("<!-- edited -->" in page.read_text() for page in pages)
