"""Readability: a Flesch–Kincaid grade per article, reported as a warning, never an error."""

from __future__ import annotations

import textstat
from conftest import run_build, run_invoke

from commands.build import load_settings
from commands.readability import grade, prose, spanish_grade

SETTINGS = load_settings()
EASY = "Title: Rest\nDate: 2026-11-20\nSlug: rest\nSummary: Rest.\nCategory: Clinic news\n\n"
HARD = (
    "Pharmacological interventions targeting glutamatergic neurotransmission demonstrate "
    "considerable heterogeneity regarding therapeutic efficacy, necessitating individualised "
    "consideration of contraindications, comorbidities and concomitant medications."
)


def test_only_the_prose_is_measured_and_every_block_is_a_sentence():
    text = prose(
        "Sit in a dark room.\n\n## A heading with many words in it\n\n"
        "- Drink water\n- Rest\n\nSee the note.[^1]\n\n[^1]: A citation, not prose.\n",
        SETTINGS,
    )
    assert text.splitlines() == ["Sit in a dark room.", "Drink water.", "Rest.", "See the note."]


def test_a_first_line_that_looks_like_metadata_is_still_prose():
    assert prose("Note: call your doctor if it gets worse.\n", SETTINGS) == (
        "Note: call your doctor if it gets worse."
    )


def test_long_words_in_long_sentences_score_higher_than_plain_ones():
    plain = "A migraine is a bad headache. It can make you feel sick. Rest in a dark room."
    assert grade(plain) <= SETTINGS["READABILITY_MAX_GRADE"] < grade(HARD)
    assert grade("") == 0.0


def test_the_report_warns_about_hard_articles_and_the_build_still_passes(site_copy):
    (site_copy / "content/rest.md").write_text(
        EASY + "Rest when you can. Sleep at the same time each night.\n", encoding="utf-8"
    )
    (site_copy / "content/hard.md").write_text(
        EASY.replace("rest", "hard").replace("Rest", "Hard") + HARD + "\n", encoding="utf-8"
    )
    report = run_invoke(site_copy, "review-report")
    assert report.returncode == 0, report.stderr
    assert "target 6 or lower" in report.stdout
    rows = [line for line in report.stdout.splitlines() if "content/" in line and "(" in line]
    assert any("content/hard.md" in row for row in rows)
    warned = [line for line in report.stderr.splitlines() if line.startswith("warning:")]
    assert [line.split(":")[1].strip() for line in warned] == [
        "content/hard.md",
        "content/ketamine-for-migraine.md",  # 9.5 in its current wording
    ]
    assert "content/rest.md" not in report.stderr
    assert run_build(site_copy).returncode == 0


def test_spanish_text_is_graded_by_fernandez_huerta():
    plain = "Una frase corta. Otra frase corta."
    dense = (
        "La administración intravenosa de anestésicos disociativos requiere "
        "monitorización cardiovascular continuada durante la intervención terapéutica."
    )
    assert grade(plain, "es") < grade(dense, "es")
    assert grade(plain, "es") == spanish_grade(textstat.fernandez_huerta(plain))
    assert grade(plain, "es") != grade(plain)  # not the English formula
