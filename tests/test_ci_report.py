"""On GitHub's runners the build says every problem on its line, and sums them up.

With GITHUB_ACTIONS=true, `invoke build` prints each problem, warning and
note as a workflow command (`::error file=…,line=…,title=…::…`), which GitHub
shows on that line of a pull request's "Files changed", and appends a table of
them all and the review report to the file GITHUB_STEP_SUMMARY names
(commands/ci_report.py). The build here is of a copy of the site whose only
Markdown is one article written below, broken at known lines: it does not
depend on what content/ holds today.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_build

from commands.ci_report import step_summary, table_cell, workflow_command
from rules.sources import Problem

# A comma in the file name, and in the warning's title: GitHub's property escaping.
ARTICLE = "content/pain,diary.md"
TODAY = "2027-01-14"  # after Next_review: the review is overdue, a warning
TEXT = """\
Title: Keeping a pain diary
Date: 2026-01-05
Slug: pain,diary
Summary: How a diary helps you and your doctor see what sets off an attack.
Category: Migraine
Reviewed: 2026-01-05
Next_review: 2026-06-01
Status: 50%
Modifed: 2026-01-05

A diary shows what comes before an attack.

# What to write down

![]({static}/images/small-chart.png)

Write the time, the pain and what you ate.
"""
ERROR = (
    "::error file=content/pain%2Cdiary.md,line={},title=Fix this before the site can be published::"
)
SLUG = (
    "Slug 'pain,diary' has signs or accented letters; the slug is the page's web address, "
    "so use lower case and hyphens: write `Slug: pain-diary` and rename the file to pain-diary.md."
)
ANNOTATIONS = [
    ERROR.format(3) + SLUG,
    ERROR.format(8) + "unknown Status '50%25'; use one of: draft, hidden, published.",
    ERROR.format(9) + "unknown metadata key 'modifed'. Did you mean Modified?",
    ERROR.format(13)
    + "a `#` heading makes a second h1, but the title is the page's only h1; start sections at `##`.",
    ERROR.format(15)
    + "image '{static}/images/small-chart.png' has no alt text; describe it in the brackets: ![what the image shows](…).",
    "::warning file=content/pain%2Cdiary.md,line=7,title=Published%2C but needs attention::"
    "the review was due on 2026-06-01; review the article with a clinician, then update Reviewed and Next_review.",
    "::notice file=content/pain%2Cdiary.md,line=15,title=A note%2C not an error::"
    "{static}/images/small-chart.png is 300 px wide; it is shown as it is, but looks soft on phones with sharp screens. "
    "A picture at least 720 px wide (1440 px for desktops) fills the column.",
]
TABLE = """\
## The build failed with 5 problems

| File | Line | Kind | What to do |
| --- | --- | --- | --- |
| content/pain,diary.md | 3 | error | Slug 'pain,diary' has signs or accented letters; the slug is the page's web address, so use lower case and hyphens: write `Slug: pain-diary` and rename the file to pain-diary.md. |
| content/pain,diary.md | 8 | error | unknown Status '50%'; use one of: draft, hidden, published. |
| content/pain,diary.md | 9 | error | unknown metadata key 'modifed'. Did you mean Modified? |
| content/pain,diary.md | 13 | error | a `#` heading makes a second h1, but the title is the page's only h1; start sections at `##`. |
| content/pain,diary.md | 15 | error | image '{static}/images/small-chart.png' has no alt text; describe it in the brackets: !\\[what the image shows\\](…). |
| content/pain,diary.md | 7 | warning | the review was due on 2026-06-01; review the article with a clinician, then update Reviewed and Next\\_review. |
| content/pain,diary.md | 15 | note | {static}/images/small-chart.png is 300 px wide; it is shown as it is, but looks soft on phones with sharp screens. A picture at least 720 px wide (1440 px for desktops) fills the column. |

## Review status on 2027-01-14

### Overdue for review (1): still published, with a notice that the page is due for review

- **Keeping a pain diary** (`content/pain,diary.md`): next review 2026-06-01
"""


@pytest.fixture
def broken_site(site_copy: Path) -> Path:
    """The copy with one Markdown file, the article above, and the small picture it shows."""
    from PIL import Image

    for markdown in (site_copy / "content").rglob("*.md"):
        markdown.unlink()
    (site_copy / ARTICLE).write_text(TEXT, encoding="utf-8")
    pictures = site_copy / "content/images"
    pictures.mkdir(exist_ok=True)
    Image.new("RGB", (300, 200), "white").save(pictures / "small-chart.png")
    return site_copy


def test_every_problem_is_annotated_on_its_line_and_summed_up(broken_site, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("What an earlier step wrote.\n", encoding="utf-8")
    result = run_build(
        broken_site,
        env={"SITE_TODAY": TODAY, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations == ANNOTATIONS
    # The terminal's list is said as before, next to the annotations.
    assert f"{ARTICLE}:8: unknown Status '50%'" in result.stderr
    written = summary.read_text(encoding="utf-8")
    assert written == "What an earlier step wrote.\n" + TABLE + "\n0 of 1 articles are current.\n"


def test_no_annotation_or_summary_away_from_githubs_runners(broken_site, tmp_path):
    summary = tmp_path / "summary.md"
    result = run_build(broken_site, env={"SITE_TODAY": TODAY, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{ARTICLE}:8: unknown Status '50%'" in result.stderr
    assert "::error" not in result.stdout + result.stderr
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert not summary.exists()


@pytest.mark.parametrize(
    ("level", "problem", "command"),
    [
        (
            "error",
            Problem("content/a:b,c.md", 3, "50% done:\r\nnext, line"),
            "::error file=content/a%3Ab%2Cc.md,line=3,title=Fix this before the site can be published"
            "::50%25 done:%0D%0Anext, line",
        ),
        (
            "note",
            Problem("content/images/x.png", 0, "a whole file"),
            "::notice file=content/images/x.png,title=A note%2C not an error::a whole file",
        ),
        (
            "error",
            Problem("", 0, "pelican warning: Empty alt attribute"),
            "::error title=Fix this before the site can be published::pelican warning: Empty alt attribute",
        ),
    ],
    ids=["escaped", "no line", "no file"],
)
def test_a_workflow_command_escapes_what_github_would_misread(level, problem, command):
    assert workflow_command(level, problem) == command


def test_a_table_cell_reads_as_the_message_says():
    assert table_cell("an <img> has no alt; [^x] | a_b & `a|b <c>`") == (
        "an \\<img\\> has no alt; \\[^x\\] \\| a\\_b \\& `a\\|b <c>`"
    )
    assert step_summary([], "The build passed", "## Review status on 2027-01-14\n") == (
        "## The build passed\n\nNo problems, warnings or notes.\n\n## Review status on 2027-01-14\n"
    )
