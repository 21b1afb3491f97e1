"""plugins/compiled_templates.py: a warm build compiles no template and writes what a
cold one wrote; an edited template is compiled afresh and shows at once."""

from __future__ import annotations

import subprocess
import sys

from conftest import copy_site, edit, invoke_env, snapshot

# Builds the copy it runs in into the folder argv[1] names, then prints how many
# templates Jinja compiled from their source in this process.
COUNTED_BUILD = """
import sys
import jinja2
compiled = 0
original = jinja2.Environment.compile
def counted(self, *args, **kwargs):
    global compiled
    compiled += 1
    return original(self, *args, **kwargs)
jinja2.Environment.compile = counted
from commands.build import build
build(output=sys.argv[1])
print(compiled)
"""


def counted_build(site, output: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", COUNTED_BUILD, output],
        cwd=site,
        env=invoke_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return int(result.stdout.split()[-1])


def test_a_warm_build_compiles_no_template_and_an_edited_one_is_compiled_afresh(tmp_path):
    site = copy_site(tmp_path / "site")
    cold = counted_build(site, "cold")
    assert cold > 10, "the cold build compiled too few templates to be the theme's"
    assert any((site / "cache" / "templates").rglob("*"))
    assert counted_build(site, "warm") == 0
    assert snapshot(site / "warm") == snapshot(site / "cold")
    edit(site / "theme/templates/base.html", "</body>", "<!-- edited --></body>")
    again = counted_build(site, "edited")
    assert 0 < again < cold, "only what the edit changed is compiled again"
    pages = [path for path in (site / "edited").rglob("*.html")]
    assert pages and all("<!-- edited -->" in page.read_text() for page in pages)
