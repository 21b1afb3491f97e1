"""benchmarks/search_budgets.py: how the search page's budgets are counted and said.

The figures themselves are measured by `invoke bench --search`, never by a
test; these check that bytes are counted as the hosts send them and that each
figure is set beside its budget.
"""

from __future__ import annotations

import pytest

from benchmarks.search_budgets import INDEX_STEP, Search, report, served_bytes

SITEURL = "http://127.0.0.1:8000"


def test_a_file_counts_as_its_gz_copy_where_the_build_wrote_one_and_once(tmp_path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search/index.html").write_bytes(b"x" * 900)
    (tmp_path / "search/index.html.gz").write_bytes(b"x" * 300)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind/wasm.en.pagefind").write_bytes(b"x" * 5000)
    urls = [f"{SITEURL}/search/", f"{SITEURL}/pagefind/wasm.en.pagefind", f"{SITEURL}/search/"]
    assert served_bytes(tmp_path, SITEURL, urls) == {
        "/search/": 300,
        "/pagefind/wasm.en.pagefind": 5000,
    }
    with pytest.raises(ValueError, match="another site"):
        served_bytes(tmp_path, SITEURL, ["https://cdn.example/pagefind.js"])


def test_each_figure_is_set_beside_its_budget():
    page = {"/search/": 4_000, "/theme/js/search.0123456789ab.js": 2_000}
    typed = [
        Search("migraine", 120.4, "35 results for migraine.", {"/pagefind/pagefind.js": 30_000}),
        Search("zebra", 40.0, "No results for zebra.", {}),
    ]
    builds = {"warm": {INDEX_STEP: 1.0, "whole build": 11.0}}
    table = report(1000, builds, page, typed).splitlines()
    assert table[2] == (
        "| 1000 | first search, page and search together | 36.0 KB (page 6.0 KB, engine, "
        "index and fragments 30.0 KB, 3 files) | ≤ 150 KB |"
    )
    assert table[3] == "| 1000 | … of which, by kind of file | js 30.0 KB | |"
    assert table[4] == (
        "| 1000 | “migraine”: last keystroke to results (35 results for migraine.) "
        "| 120 ms | ≤ 300 ms |"
    )
    assert table[-1] == (
        "| 1000 | warm: search index of the whole build | 1.00 s of 11.00 s "
        "(9.1%; 10.0% added) | ≤ 10% added |"
    )
