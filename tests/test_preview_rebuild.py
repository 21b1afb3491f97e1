"""The preview's builds, decided by recorded reads, write exactly what a clean full build writes.

`invoke serve` renders again only the pages an edit reaches when everything
the edit changed was read by pages alone, and otherwise runs the full build,
in which the render cache renders only the pages whose reads changed
(preview/rebuild.py on engine/render_cache.py). Here every kind of edit an
editor makes is applied in turn to one long-lived preview, as in `make
serve`, started on a warm cache as on an editor's machine, and after each
one the preview's output is compared, byte for byte, with a clean full
build of the same sources made in a fresh process with a cache of its own,
emptied first. The test also checks which path each edit took (the pages
path for edits to the text, the full build for the rest), how many pages
each rendered, and for a mistake the same problem list as the full build's.
The mutation test cuts what pages record of an article's text and title and
shows that the comparison then fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SITEURL, copy_site

from benchmarks.synthetic import picture_name, slug_for, write_articles

ARTICLES = 8
DRAFT = "content/a-draft.md"
# Runs in the site copy. Each step replaces text in files, writes or deletes
# files, tells the preview builder what changed, then builds the same sources
# cleanly and reports which files differ.
DRIVER = r"""
import hashlib, json, os, shutil, subprocess, sys
from pathlib import Path
from preview import rebuild as preview_rebuild
from commands.build import BuildFailed
from engine import render_cache, workers
from plugins import parallel_writer

# A pretend two-core machine on which any work is worth a worker: the small
# site's full builds render in forked workers, as a site of hundreds would.
os.cpu_count = lambda: 2
workers.FORK_FROM_SECONDS = 0
PRODUCTION = bool(os.environ.get("PRODUCTION"))

if os.environ.get("CUT_READS"):
    # The mutation: pages forget that they read an article's text and title.
    cut = {"_content", "content", "get_content", "title", "title_text", "metadata"}
    note = render_cache._note
    render_cache._note = lambda key: (
        None if render_cache._recorder.page is not None and key[2] in cut else note(key))

site = Path.cwd()


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# Clean builds: in a process of their own (started once, every memo emptied
# before each build, as a fresh process has none), each with a cache of its
# own, emptied first.
CLEAN = '''
import json, os, sys
from commands import build as strict
from commands.build import BuildFailed, build
from preview.rebuild import forget_memos
settings = strict.load_settings
for line in sys.stdin:
    output, cache = json.loads(line)
    strict.load_settings = lambda cache=cache, **given: {**settings(**given), "CACHE_PATH": cache}
    forget_memos()
    try:
        build(output=output, production=bool(os.environ.get("PRODUCTION")))
        print("CLEAN", json.dumps(None), flush=True)
    except BuildFailed as failure:
        print("CLEAN", json.dumps(failure.problems), flush=True)
'''
cleaner = subprocess.Popen([sys.executable, "-c", CLEAN], cwd=site, text=True,
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def clean_build(output="clean", cache="clean-cache"):
    shutil.rmtree(site / output, ignore_errors=True)
    if cache == "clean-cache":
        shutil.rmtree(site / cache, ignore_errors=True)
    cleaner.stdin.write(json.dumps([str(site / output), str(site / cache)]) + "\n")
    cleaner.stdin.flush()
    while True:
        line = cleaner.stdout.readline()
        assert line, "the clean builds' process stopped"
        if line.startswith("CLEAN "):
            return json.loads(line.removeprefix("CLEAN "))


# The preview starts on a warm cache, as `make serve` does on an editor's
# machine: its first build keeps every page an earlier build rendered. (Not
# for the mutation: the earlier build's entries would hold the reads it cuts.)
if not os.environ.get("CUT_READS"):
    assert clean_build(output="earlier", cache="cache") is None


builder = preview_rebuild.PreviewBuilder(output=site / "preview", production=PRODUCTION)
builder.rebuild()
builder.finish()
assert os.environ.get("CUT_READS") or parallel_writer.last_flush["rendered"] == 0, (
    "the first build rendered pages an earlier build kept")
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
    parallel_writer.last_flush.update(rendered=0, kept=0)
    try:
        builder.rebuild(changed)
        builder.finish()
        problems, path = None, builder.last
    except BuildFailed as failure:
        problems, path = failure.problems, "refused"
    rendered = parallel_writer.last_flush["rendered"]
    preview = snapshot(site / "preview")
    clean_problems = clean_build()
    clean = before if clean_problems else snapshot(site / "clean")
    differing = sorted(name for name in preview.keys() | clean.keys()
                       if preview.get(name) != clean.get(name))
    print(json.dumps({"name": step["name"], "path": path, "problems": problems,
                      "clean_problems": clean_problems, "differing": differing,
                      "files": len(preview), "unchanged": preview == before,
                      "rendered": rendered,
                      "forked": workers.last_run("pages").workers}), flush=True)
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
        step("an article's text", "pages", text(one, "A sentence added to the text.")),
        step("the same text again", "pages", text(one, "Another added sentence.")),
        step("a draft's text", "pages", text(draft, "A draft grows.")),
        step("a page's text", "pages", (page, "\n\n", "\n\nA page grows.\n\n")),
        step("a new section", "pages", text(two, "## A new section\n\nIts words.")),
        step(
            "a link to another article", "pages", text(two, f"[See]({{filename}}{slug_for(5)}.md)")
        ),
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
        step("the text after a full build", "pages", text(one, "Back on the pages path.")),
    ]


def preview_site(folder: Path) -> Path:
    site = copy_site(folder / "site")
    write_articles(site / "content", ARTICLES)
    # A draft nothing links to (a link to a draft is refused).
    draft = (site / article(3)).read_text().replace(slug_for(3), "a-draft")
    (site / DRAFT).write_text(draft.replace("Tags:", "Status: draft\nTags:", 1))
    return site


def drive(site: Path, steps: list[dict], **environment) -> list[tuple[dict, dict]]:
    """Apply `steps` in turn to one long-lived preview of `site`; each with its report."""
    (site / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, str(site / "steps.json")],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **environment},
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    return list(zip(steps, reports, strict=True))


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> list[tuple[dict, dict]]:
    site = preview_site(tmp_path_factory.mktemp("preview"))
    return drive(site, plan(site))


def test_every_edit_gives_what_a_clean_full_build_gives(results):
    for step, report in results:
        assert report["files"] > 2 * ARTICLES, step["name"]
        assert report["differing"] == [], f"after {step['name']}: {report['differing'][:10]}"


def test_only_edits_to_the_text_take_the_pages_path(results):
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


def test_the_full_builds_render_in_forked_workers(results):
    forked = [report["forked"] for step, report in results if report["path"] == "full"]
    assert forked and all(count == 2 for count in forked), forked


def test_a_production_preview_gives_what_a_clean_production_build_gives(tmp_path):
    """The same comparison for a production build (absolute addresses, the feed,
    `.gz` copies). Its feed carries each article's whole text, and the feed is
    written by the rest of the build, not a page: so here a text edit, read by
    the feed, takes the full build, as the recorded reads say."""
    site = preview_site(tmp_path)
    names = ("an article's text", "a title", "a template", "a new file", "a deleted file")
    steps = [step for step in plan(site) if step["name"] in names]
    results = drive(site, steps, PRODUCTION="1", SITEURL=SITEURL)
    assert {step["name"]: report["path"] for step, report in results} == dict.fromkeys(
        names, "full"
    )
    for step, report in results:
        assert report["differing"] == [], f"after {step['name']}: {report['differing'][:10]}"
    assert any(name.endswith(".gz") for name in snapshot_names(site / "preview"))


def snapshot_names(folder: Path) -> list[str]:
    return [path.name for path in folder.rglob("*") if path.is_file()]


def test_each_edit_renders_only_the_pages_it_reaches(results):
    """A text edit renders its own page; a title edit, the pages that show the
    title (lists, neighbours, the A to Z), not every page; a template, the
    pages that use it."""
    reports = {step["name"]: report for step, report in results}
    for name in ("an article's text", "a page's text", "a link to another article"):
        assert reports[name]["rendered"] == 1, (name, reports[name]["rendered"])
    pages = reports["a title"]["files"]
    assert 1 < reports["a title"]["rendered"] < pages / 2
    # article.html: the articles and the draft, not the lists or the pages.
    assert ARTICLES <= reports["a template"]["rendered"] < pages / 2


def test_a_page_whose_recorded_reads_are_cut_makes_the_comparison_fail(tmp_path):
    """The mutation: without the reads of the text and title recorded, the preview
    keeps stale pages, and the byte-for-byte comparison says so."""
    site = preview_site(tmp_path)
    steps = [step for step in plan(site) if step["name"] in ("an article's text", "a title")]
    reports = drive(site, steps, CUT_READS="1")
    for step, report in reports:
        assert report["differing"], f"{step['name']}: the cut reads went unnoticed"
