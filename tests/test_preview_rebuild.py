"""The preview's one-page fast path writes exactly what a clean full build writes.

`invoke serve` renders only the edited page when an edit changes an article's
text and nothing any other page shows (preview/rebuild.py). Here every
kind of edit an editor makes is applied in turn to one long-lived preview, as
in `make serve`, and after each one the preview's output is compared, byte for
byte, with a clean full build of the same sources made in the same process
with every memo emptied and the on-disk cache of per-file work deleted. The test also checks which
path each edit took: the fast path for edits to the text, the full build for
the rest, and for a mistake the same problem list as the full build's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_site

from benchmarks.synthetic import picture_name, slug_for, write_articles

ARTICLES = 8
DRAFT = "content/a-draft.md"
# Runs in the site copy. Each step replaces text in files, writes or deletes
# files, tells the preview builder what changed, then builds the same sources
# cleanly and reports which files differ.
DRIVER = r"""
import hashlib, json, shutil, sys
from pathlib import Path
from preview import rebuild as preview_rebuild
from commands.build import BuildFailed, build

site = Path.cwd()


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build():
    preview_rebuild.forget_memos()
    shutil.rmtree(site / "clean", ignore_errors=True)
    shutil.rmtree(site / "cache" / "site", ignore_errors=True)
    try:
        build(output=site / "clean")
    except BuildFailed as failure:
        return failure.problems
    return None


builder = preview_rebuild.PreviewBuilder(output=site / "preview")
builder.rebuild()
for step in json.loads(Path(sys.argv[1]).read_text()):
    before = snapshot(site / "preview")
    for name, old, new in step["replace"]:
        text = (site / name).read_text(encoding="utf-8")
        assert old in text, f"{step['name']}: {name} has no {old!r}"
        (site / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    for name, text in step["write"].items():
        (site / name).write_text(text, encoding="utf-8")
    for name in step["delete"]:
        (site / name).unlink()
    changed = {site / name for name in [*(r[0] for r in step["replace"]), *step["write"], *step["delete"]]}
    try:
        builder.rebuild(changed)
        problems, path = None, builder.last
    except BuildFailed as failure:
        problems, path = failure.problems, "refused"
    preview = snapshot(site / "preview")
    clean_problems = clean_build()
    clean = before if clean_problems else snapshot(site / "clean")
    differing = sorted(name for name in preview.keys() | clean.keys()
                       if preview.get(name) != clean.get(name))
    print(json.dumps({"name": step["name"], "path": path, "problems": problems,
                      "clean_problems": clean_problems, "differing": differing,
                      "files": len(preview), "unchanged": preview == before}), flush=True)
"""


def article(index: int) -> str:
    return f"content/{slug_for(index)}.md"


def step(name: str, expected: str, *replace: tuple[str, str, str], **files) -> dict:
    return {
        "name": name,
        "expected": expected,
        "replace": [list(r) for r in replace],
        "write": files.get("write", {}),
        "delete": files.get("delete", []),
    }


def day_before(site: Path, name: str, field: str) -> tuple[str, str, str]:
    """A replacement moving `field`'s date in file `name` one day earlier."""
    value = re.search(rf"^{field}: (\S+)$", (site / name).read_text(), re.M)[1]
    earlier = dt.date.fromisoformat(value) - dt.timedelta(days=1)
    return (name, f"{field}: {value}", f"{field}: {earlier.isoformat()}")


def plan(site: Path) -> list[dict]:
    one, two, draft, page = article(1), article(2), DRAFT, "content/pages/privacy.md"
    first_heading = "\n\n## "

    def text(name: str, words: str) -> tuple[str, str, str]:
        """A paragraph (or heading) added before the file's first `##` heading."""
        return (name, first_heading, f"\n\n{words}{first_heading}")

    new_article = (site / article(4)).read_text().replace(slug_for(4), "a-new-article")
    new_article = new_article.replace("Title: Synthetic", "Title: A new synthetic", 1)
    picture = f"![A generated test picture]({{static}}/images/{picture_name(2)})"
    return [
        step("an article's text", "page", text(one, "A sentence added to the text.")),
        step("the same text again", "page", text(one, "Another added sentence.")),
        step("a draft's text", "page", text(draft, "A draft grows.")),
        step("a page's text", "page", (page, "\n\n", "\n\nA page grows.\n\n")),
        step("a new section", "page", text(two, "## A new section\n\nIts words.")),
        step("a title", "full", (two, "Title: Synthetic", "Title: Renamed synthetic")),
        step("a date", "full", day_before(site, two, "Date")),
        step("the tags", "full", (two, "Tags: ", "Tags: added tag, ")),
        step("the summary", "full", (two, "Summary: A generated", "Summary: A rewritten")),
        step("the review dates", "full", day_before(site, two, "Next_review")),
        step("a picture in the text", "full", text(one, picture)),
        step("the picture taken out", "full", (one, f"\n\n{picture}", "")),
        step(
            "a template",
            "full",
            ("theme/templates/article.html", "{% block content %}", "{% block content %}<!-- -->"),
        ),
        step(
            "a setting",
            "full",
            ("pelicanconf.py", "SITE_DESCRIPTION = (", "SITE_DESCRIPTION = ('A ' "),
        ),
        step("a new file", "full", write={"content/a-new-article.md": new_article}),
        step("a deleted file", "full", delete=["content/a-new-article.md"]),
        step("a link to a missing file", "refused", text(one, "[Gone]({filename}gone.md)")),
        step("the link mended", "full", (one, "[Gone]({filename}gone.md)", "")),
        step("the text after a full build", "page", text(one, "Back on the fast path.")),
    ]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> list[tuple[dict, dict]]:
    site = copy_site(tmp_path_factory.mktemp("preview") / "site")
    write_articles(site / "content", ARTICLES)
    # A draft nothing links to (a link to a draft is refused).
    draft = (site / article(3)).read_text().replace(slug_for(3), "a-draft")
    (site / DRAFT).write_text(draft.replace("Tags:", "Status: draft\nTags:", 1))
    steps = plan(site)
    (site / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, str(site / "steps.json")],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    return list(zip(steps, reports, strict=True))


def test_every_edit_gives_what_a_clean_full_build_gives(results):
    for step, report in results:
        assert report["files"] > 2 * ARTICLES, step["name"]
        assert report["differing"] == [], f"after {step['name']}: {report['differing'][:10]}"


def test_only_edits_to_the_text_take_the_fast_path(results):
    paths = {step["name"]: report["path"] for step, report in results}
    assert paths == {step["name"]: step["expected"] for step, _ in results}


def test_a_mistake_is_reported_as_the_full_build_reports_it(results):
    refused = [(step, report) for step, report in results if step["expected"] == "refused"]
    assert refused
    for _, report in refused:
        assert report["problems"], "the preview took a broken file"
        assert report["problems"] == report["clean_problems"]
        assert any("gone.md" in problem for problem in report["problems"])
        assert report["unchanged"], "a refused edit changed the served pages"


def test_what_the_fast_path_may_leave_out_appears_only_on_the_page_itself():
    """OWN_PAGE_ONLY names what a text edit may change; no other template may read it."""
    from preview.rebuild import OWN_PAGE_ONLY

    templates = Path(__file__).resolve().parent.parent / "theme" / "templates"
    own = {"article.html", "page.html"}
    names = [name.lstrip("_") for name in OWN_PAGE_ONLY] + ["content", "get_content"]
    for template in templates.rglob("*.html"):
        if template.name in own:
            continue
        source = template.read_text(encoding="utf-8")
        for name in names:
            assert not re.search(rf"\.{name}\b", source), f"{template.name} reads .{name}"
