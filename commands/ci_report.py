"""What a build found, said where GitHub shows it: on the line, and on the run's page.

`commands/build.py` hands this module every problem, warning and note of a
build once, as the build ends, whether it passed or failed. Only when
`GITHUB_ACTIONS=true` (GitHub's runners set it) does it say anything:

- each finding as a workflow command, `::error file=content/x.md,line=3,title=…::what to do`
  (`::warning` for a warning such as an overdue review, `::notice` for a
  note), which GitHub shows on that line of the pull request's "Files
  changed" and in the run's list of annotations;
- a Markdown summary appended to the file `GITHUB_STEP_SUMMARY` names,
  shown on the run's page: a table of every finding (file, line, what to do),
  then the review report of `invoke review-report --markdown`.

The terminal's own `file:line: what to do` list is printed by the callers, as
everywhere else; this only adds GitHub's forms of the same findings.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from commands.review_report import review_report
from rules.clock import ClockNotSet
from rules.sources import Problem

# A finding: its level ("error", "warning" or "note", as the terminal says it) and the problem.
Finding = tuple[str, Problem]

# level: (GitHub's workflow command, the annotation's title)
COMMANDS = {
    "error": ("error", "Fix this before the site can be published"),
    "warning": ("warning", "Published, but needs attention"),
    "note": ("notice", "A note, not an error"),
}


def escape_data(text: str) -> str:
    """A workflow command's message, as GitHub reads it back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title): `:` and `,` would end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, problem: Problem) -> str:
    """`::error file=…,line=…,title=…::message`; no `line` without one, no `file` without a file."""
    command, title = COMMANDS[level]
    properties = []
    if problem.path:
        properties.append(f"file={escape_property(problem.path)}")
        if problem.line:
            properties.append(f"line={problem.line}")
    properties.append(f"title={escape_property(title)}")
    return f"::{command} {','.join(properties)}::{escape_data(problem.message)}"


# A code span, as Markdown reads one: a run of backticks, then the same run again.
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
# Outside code spans: what Markdown or GitHub's HTML would read as something else.
MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")


def table_cell(text: str) -> str:
    """`text` as it reads, in one cell of a Markdown table: the message's own
    `code` stays code; no `<tag>`, `[^x]` or `|` in it is taken for markup."""
    cell, last = [], 0
    for span in CODE_SPAN.finditer(text):
        cell.append(MARKUP.sub(r"\\\1", text[last : span.start()]))
        cell.append(span.group(0).replace("|", "\\|"))
        last = span.end()
    cell.append(MARKUP.sub(r"\\\1", text[last:]))
    return " ".join("".join(cell).split())


def step_summary(findings: Sequence[Finding], outcome: str, review: str) -> str:
    """The Markdown for the run's page: `outcome`, every finding, then `review`."""
    lines = [f"## {outcome}", ""]
    if findings:
        lines += ["| File | Line | Kind | What to do |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {table_cell(p.path) or '–'} | {p.line or '–'} | {level} | {table_cell(p.message)} |"
            for level, p in findings
        ]
    else:
        lines.append("No problems, warnings or notes.")
    return "\n".join(lines) + "\n\n" + review


def review_markdown(settings: dict) -> str:
    """The review report's Markdown for the site being built ("" when it cannot be made:
    then the build's own findings say why)."""
    content = Path(settings["PATH"])
    if not content.is_dir():
        return ""
    try:
        return review_report(content, settings, markdown=True)[0]
    except ClockNotSet:
        return ""


def tell_github(findings: Sequence[Finding], outcome: str, settings: dict) -> None:
    """On GitHub's runners: one annotation per finding on standard output, and the
    summary appended to GITHUB_STEP_SUMMARY. Elsewhere: nothing."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    for level, problem in findings:
        print(workflow_command(level, problem))
    sys.stdout.flush()
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with Path(summary).open("a", encoding="utf-8") as file:
            file.write(step_summary(findings, outcome, review_markdown(settings)))
