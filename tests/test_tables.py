"""Tables on a phone: no text cut off, and a visible cue on every table that scrolls.

A copy of the site gets its own article with tables of 3, 4, 5, 6 and 8
columns of the words clinics really send out (hours, the steps of a visit,
reminders, addresses, telephone numbers, a very long word, an email address),
and one more table inside a warning callout, on its own background. In
Chromium at 320 and 390 px, with and without WCAG 1.4.12 text spacing, in
light and dark:

- no text is cut: every line of every cell lies inside its cell, can be
  brought whole into the visible part of its table's region (a line wider than
  that could only ever be read in pieces), and lies inside a region that
  scrolls to it, never under an edge that hides it for good;
- the page never scrolls sideways;
- a table that scrolls says so with a shade at each edge past which words of
  the table lie, seen in the pixels (the table's own ink hidden): at least
  3:1 against what is behind the table (WCAG 1.4.11), and no shade at an
  edge with nothing of the table beyond it, nor on a table that fits;
- axe passes (and the Nu checker, over the whole copy and its stylesheet).
  On paper every table fits the sheet, its words wrapping.

`test_the_checks_catch_a_cut_table_and_a_missing_cue` shows each check
failing on the faults it is there to find.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator

import pytest
import quality
from conftest import BuiltSite, copy_site, once_per_run, production_build, serving_built

PAGE = "tables-on-a-phone/index.html"
PHONE_WIDTHS = (320, 390)
# An A4 sheet (794 px at 96 dpi) less Chromium's default print margins.
PAPER_WIDTH = 718
# WCAG 1.4.11: what says "there is more this way" needs 3:1 against its surroundings.
CUE_CONTRAST = 3.0

TABLES_ARTICLE = """Title: Tables on a phone
Date: 2026-11-20
Slug: tables-on-a-phone
Summary: Clinic hours, the steps of a visit, reminders and addresses, in tables of three to eight columns.
Category: Clinic news

Every table below holds the kind of words our clinics really send out.

## Clinic hours

| Day | Morning | Afternoon |
| --- | --- | --- |
| Monday | 8:00 am to 12:30 pm | 1:30 pm to 6:00 pm |
| Wednesday | 8:30 am to 12:00 pm | Closed for staff training |
| Saturday | 9:00 am to 12:00 pm | Closed |

## Your first visit, step by step

| Step | Where to go | Who you meet | Working days |
| --- | --- | --- | --- |
| Check in | Reception, ground floor | Receptionist | Monday to Friday |
| Questionnaire | Waiting room beside the pharmacy | Healthcare assistant | Monday to Friday |
| Consultation | Eastfield Neurology Outpatients, 1200 Long Riverside Boulevard, Suite 400 | Consultant neurologist | Tuesday and Thursday |
| Recording | Neurophysiology department, second floor | Physiologist | Wednesday |
| Booking | Telephone 555-0199 and quote MB-2026-000123456 | Booking office | Monday to Saturday |

## Reminders for the week

| Reminder | Monday | Wednesday | Friday | Sunday |
| --- | --- | --- | --- | --- |
| Headache diary | Before breakfast | Before breakfast | Before breakfast | Before breakfast |
| Repeat prescription | Order online | Collect from the pharmacy | Nothing | Nothing |
| Telephone check-in | 10:15 am | Nothing | 10:15 am | Nothing |

## Where to find us

| Clinic | Address | Telephone | Email | Nearest bus stop | Entrance |
| --- | --- | --- | --- | --- | --- |
| Riverside Health Centre | 1200 Long Riverside Boulevard, Suite 400, Springfield | 555-0100 extension 2345 | riverside@example.org | Riverside Interchange, stand C | Ramp at the north entrance |
| Eastfield Neurology Outpatients | Electroencephalography Wing, 77 Kingsbridge Road, Eastfield | 555-0102 | appointments.eastfield@neurology-outpatients.example.org | Kingsbridge Road | Lift from the underground car park |

## Opening hours at every clinic

| Clinic | Monday to Thursday | Friday | Saturday | Sunday | Public holidays | Telephone | Accessible entrance |
| --- | --- | --- | --- | --- | --- | --- | --- |
| Riverside Health Centre | 8:00 am to 6:00 pm | 8:00 am to 4:30 pm | 9:00 am to 12:00 pm | Closed | Closed | 555-0100 | Ramp at the north entrance beside the pharmacy |
| Northgate Community Clinic | 9:00 am to 5:00 pm | 9:00 am to 5:00 pm | Closed | Closed | Closed | 555-0101 | Level access from the car park |
| Eastfield Neurology Outpatients | 8:30 am to 7:00 pm | 8:30 am to 5:00 pm | 10:00 am to 2:00 pm | Closed | 10:00 am to 2:00 pm | 555-0102 | Lift from the underground car park to every floor |

## Before a long journey

/// warning | Phone before a long journey
| Day | Last appointment | Doors close |
| --- | --- | --- |
| Monday to Thursday | 5:30 pm | 6:00 pm |
| Friday | 4:00 pm | 4:30 pm |
///
"""


@pytest.fixture(scope="module")
@once_per_run
def tables_built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A production build of a copy of the site with the tables article."""
    site = copy_site(tmp_path_factory.mktemp("tables") / "site")
    (site / "content" / "tables-on-a-phone.md").write_text(TABLES_ARTICLE, encoding="utf-8")
    return production_build(site)


@pytest.fixture(scope="module")
def tables_site(tables_built: BuiltSite) -> Iterator[quality.Served]:
    """That build served on 127.0.0.1 and read at its own address."""
    with serving_built(tables_built) as served:
        yield served


# Every line of text in every table, against its cell, its region and the page.
CUT_TEXT_JS = """() => {
    const page = document.documentElement.clientWidth;
    const problems = [];
    document.querySelectorAll('.app-table-wrap').forEach((region, index) => {
        const name = `table ${index + 1} (${region.getAttribute('aria-label')})`;
        const style = getComputedStyle(region);
        const box = region.getBoundingClientRect();
        const left = box.left + region.clientLeft;
        const top = box.top + region.clientTop;
        const shown = {
            left: Math.max(left, 0), right: Math.min(left + region.clientWidth, page),
            top, bottom: top + region.clientHeight,
        };
        const sideways = ['auto', 'scroll'].includes(style.overflowX)
            && region.scrollWidth > region.clientWidth;
        if (box.left < -0.5 || box.right > page + 0.5) {
            problems.push(`${name}: its region is wider than the page`);
        }
        if (region.scrollHeight > region.clientHeight + 1) {
            problems.push(`${name}: its region cuts ${region.scrollHeight - region.clientHeight}px off the table's height`);
        }
        for (const cell of region.querySelectorAll('caption, th, td')) {
            const words = `"${cell.textContent.trim().slice(0, 40)}"`;
            if (cell.scrollWidth > cell.clientWidth + 1) {
                problems.push(`${name}: ${words} spills out of its cell`);
            }
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const range = document.createRange();
                range.selectNodeContents(node);
                for (const line of range.getClientRects()) {
                    if (line.width < 0.5) continue;
                    if (line.width > shown.right - shown.left + 0.5) {
                        problems.push(`${name}: a line of ${words} is ${Math.round(line.width)}px wide ` +
                            `with ${Math.round(shown.right - shown.left)}px of the table in view: it can only be read in pieces`);
                    }
                    const outside = line.left < shown.left - 0.5 || line.right > shown.right + 0.5;
                    const reachable = line.left - left + region.scrollLeft >= -0.5
                        && line.right - left + region.scrollLeft <= region.scrollWidth + 0.5;
                    if (outside && !(sideways && reachable)) {
                        problems.push(`${name}: ${words} is cut off at the side of its region, which does not scroll to it`);
                    }
                    if (line.top < shown.top - 0.5 || line.bottom > shown.bottom + 0.5) {
                        problems.push(`${name}: ${words} is cut off at the top or bottom of its region`);
                    }
                }
            }
        }
    });
    return problems;
}"""


def cut_text_problems(visit: quality.Visit) -> list[str]:
    """Text in a table that no reader can see whole: spilling out of its cell, wider
    than the part of the table in view, or under an edge of its region (or of the
    page) that does not scroll to it."""
    return [f"{visit.label}: {problem}" for problem in visit.page.evaluate(CUT_TEXT_JS)]


# The table's own words and lines made invisible, so only the region's cue is left to see.
HIDE_TABLE_INK = (
    ".app-table-wrap table, .app-table-wrap table * "
    "{ color: transparent !important; border-color: transparent !important; }"
)


def edge_colours(png: bytes) -> tuple[tuple[int, int, int], ...]:
    """The commonest colour of the middle half (in height) of a picture's first pixel
    column but one, its middle column and its last but one: left edge, inside, right edge."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    rows = range(height // 4, 3 * height // 4 + 1)
    return tuple(
        Counter(image.getpixel((x, y)) for y in rows).most_common(1)[0][0]
        for x in (1, width // 2, width - 2)
    )


# Scroll a region to x, then say on each side whether words of its table lie past
# the edge in view, and whether the table does (past the words: the padding at its side).
PAST_THE_EDGES_JS = """(region, x) => {
    region.scrollLeft = x;
    const box = region.getBoundingClientRect();
    const left = box.left + region.clientLeft;
    const right = left + region.clientWidth;
    const table = region.querySelector('table').getBoundingClientRect();
    const words = [...region.querySelectorAll('caption, th, td')].flatMap(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return [...range.getClientRects()].filter(r => r.width > 0);
    });
    return {
        left: {words: words.some(r => r.left < left - 0.5), table: table.left < left - 0.5},
        right: {words: words.some(r => r.right > right + 0.5), table: table.right > right + 0.5},
    };
}"""


def cue_problems(visit: quality.Visit) -> list[str]:
    """Each table's region, seen in pixels at its start and, if it scrolls, at its end:
    an edge with words of the table past it shows a cue at 3:1 against the inside;
    an edge with nothing of the table past it looks like the inside."""
    unstyle = quality.add_style(visit, HIDE_TABLE_INK)
    regions = visit.page.locator(".app-table-wrap")
    problems = []
    for index in range(regions.count()):
        region = regions.nth(index)
        name = f"table {index + 1} ({region.get_attribute('aria-label')})"
        overflow = region.evaluate("r => r.scrollWidth - r.clientWidth")
        for scroll in (0, overflow) if overflow > 0 else (0,):
            past = region.evaluate(PAST_THE_EDGES_JS, scroll)
            left, inside, right = edge_colours(region.screenshot(animations="disabled"))
            where = f"{visit.label}: {name}, scrolled {scroll}px of {overflow}px"
            for side, colour in (("left", left), ("right", right)):
                ratio = quality.contrast(f"rgb{colour}", f"rgb{inside}")
                if past[side]["words"] and ratio < CUE_CONTRAST:
                    problems.append(
                        f"{where}: words of the table lie past its {side} edge, but the edge "
                        f"shows no cue ({ratio:.2f}:1 against the inside, under {CUE_CONTRAST}:1)"
                    )
                differs = max(abs(a - b) for a, b in zip(colour, inside, strict=True)) > 3
                if not past[side]["table"] and differs:
                    problems.append(
                        f"{where}: its {side} edge ({colour}) is not like the inside "
                        f"({inside}), with nothing of the table past it"
                    )
    unstyle()
    return problems


def fail_listing(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_no_table_cuts_its_text_and_every_table_that_scrolls_shows_it(browser, tables_site, width):
    """One visit per width, shown in each scheme, first as written, then with WCAG
    text spacing (the checker applies it, then reads the whole page; it stays)."""
    problems = []
    with quality.visit(browser, tables_site, PAGE, width=width) as visit:
        for spacing in (False, True):
            for scheme in quality.SCHEMES:
                quality.show(visit, width=width, scheme=scheme)
                if spacing:
                    visit.label += ", text spacing"
                    problems += quality.text_spacing_problems(visit)
                problems += quality.horizontal_scroll_problems(visit)
                problems += cut_text_problems(visit) + cue_problems(visit)
    fail_listing(problems)


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_axe_finds_no_violations_in_the_tables(browser, tables_site, width):
    problems = []
    with quality.visit(browser, tables_site, PAGE, width=width) as visit:
        for scheme in quality.SCHEMES:
            quality.show(visit, width=width, scheme=scheme)
            problems += quality.axe_problems(visit)
    fail_listing(problems)


@pytest.mark.validator
def test_the_nu_checker_accepts_the_tables_and_the_stylesheet(tables_built):
    problems = quality.vnu_problems(tables_built.root)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_a_printed_table_fits_the_sheet_with_its_words_wrapped(browser, tables_site):
    with quality.visit(browser, tables_site, PAGE, width=PAPER_WIDTH) as visit:
        visit.page.emulate_media(media="print")
        fail_listing(quality.horizontal_scroll_problems(visit) + cut_text_problems(visit))


@pytest.mark.browser
def test_the_checks_catch_a_cut_table_and_a_missing_cue(browser, tables_site):
    """The same checks on tables made to fail: a region that hides what it cannot
    show, cells that never wrap, no cue; then covers in the wrong colour."""
    with quality.visit(browser, tables_site, PAGE, width=320) as visit:
        quality.add_style(
            visit,
            ".app-table-wrap { overflow: hidden; background: none; }"
            " .app-prose td { white-space: nowrap; }",
        )
        cut = "\n".join(cut_text_problems(visit))
        cue = "\n".join(cue_problems(visit))
    assert "is cut off at the side of its region, which does not scroll to it" in cut, cut
    assert "it can only be read in pieces" in cut, cut
    assert "but the edge shows no cue" in cue, cue
    # Covers in the page's colour on the warning callout's own background.
    with quality.visit(browser, tables_site, PAGE, width=320) as visit:
        quality.add_style(
            visit, ".app-warning-callout { --app-table-cover: var(--app-colour-background); }"
        )
        cue = "\n".join(cue_problems(visit))
    assert "Important: Phone before a long journey), scrolled 0px" in cue, cue
    assert "left edge" in cue and "is not like the inside" in cue, cue
