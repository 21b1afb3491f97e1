"""plugins/wide_content.py: tables and code blocks scroll in their own labelled, focusable box.

What a reader meets at 320 px (no sideways page scroll, the shades at a
table's edges, printed tables) is checked in the browser by test_tables.py
and test_browser.py; these check the markup the plugin writes.
"""

from __future__ import annotations

from plugins.wide_content import breakable, wrap_wide_content

ROW = "<tr><td>a</td></tr>"


def region(label: str, table: str) -> str:
    return (
        f'<div class="app-table-wrap" role="region" aria-label="{label}" tabindex="0">{table}</div>'
    )


def test_a_table_is_a_region_named_by_its_caption_else_the_heading_above_it():
    captioned = f"<table><caption>Doses by age</caption>{ROW}</table>"
    assert wrap_wide_content(f"<h2>Doses</h2>{captioned}") == (
        f"<h2>Doses</h2>{region('Doses by age', captioned)}"
    )
    heading = '<h2>A "quoted" &lt;b&gt; heading</h2><p>Text.</p>'
    assert wrap_wide_content(f"{heading}<table>{ROW}</table>") == heading + region(
        "Table: A &quot;quoted&quot; &lt;b&gt; heading", f"<table>{ROW}</table>"
    )
    blank = f"<table><caption> </caption>{ROW}</table>"
    assert wrap_wide_content(blank) == region("Table", blank)


def test_a_long_address_in_a_cell_gets_break_points_where_its_parts_are_and_words_stay_whole():
    cell = "https://www.example.org/a-very/long-path?with=query"
    body = f"<table><tr><td>see {cell}</td><td>Electroencephalography</td></tr></table>"
    assert wrap_wide_content(body) == region(
        "Table",
        "<table><tr><td>see https://www.example<wbr>.org/a-very/long-<wbr>path?with=query</td>"
        "<td>Electroencephalography</td></tr></table>",
    )
    assert breakable("x" * 45) == f"{'x' * 20}<wbr>{'x' * 20}<wbr>{'x' * 5}"
    assert breakable("&amp;" * 25).count("<wbr>") == 1  # a character reference counts as one


def test_code_blocks_are_focusable_once_and_a_body_without_either_is_untouched():
    body = '<pre><code>x</code></pre><pre tabindex="0">y</pre>'
    assert (
        wrap_wide_content(body) == '<pre tabindex="0"><code>x</code></pre><pre tabindex="0">y</pre>'
    )
    assert wrap_wide_content("<p>A paragraph.</p>") == "<p>A paragraph.</p>"
