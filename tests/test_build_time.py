"""benchmarks/build_time.py: the figures `invoke bench` writes into docs/benchmarks.md.

The timings themselves are measured by `invoke bench`, never by a test; these
check how they are summed up and recorded.
"""

from __future__ import annotations

import pytest

from benchmarks.build_time import Run, ratio_row, record, spread, targets


def test_a_figure_is_the_median_with_the_lowest_and_highest_run():
    assert spread([1.0]) == "1.00 s"
    assert spread([4.0, 1.0, 2.0]) == "2.00 s (1.00–4.00)"
    assert spread([1.5, 3.0], "×") == "2.25× (1.50–3.00)"


def test_each_run_is_divided_by_the_plain_run_of_its_own_round():
    ours = [Run(2.0, 100.0), Run(3.0, 100.0)]
    plain = [Run(4.0, 90.0), Run(3.0, 90.0)]
    assert ratio_row(1000, "cold", ours, plain, 0.5) == (
        "| 1000 | cold | 2.50 s (2.00–3.00) | 0.75× (0.50–1.00) | ≤ 0.5× |"
    )


def test_results_go_between_the_bench_markers_and_nowhere_else(tmp_path):
    document = tmp_path / "benchmarks.md"
    document.write_text(
        "# Speed\n<!-- bench:start -->\nold\n<!-- bench:end -->\nAfter.\n", encoding="utf-8"
    )
    record("new\n", document)
    assert document.read_text(encoding="utf-8") == (
        "# Speed\n<!-- bench:start -->\nnew\n<!-- bench:end -->\nAfter.\n"
    )
    document.write_text("# Speed\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no <!-- bench:start --> … <!-- bench:end --> block"):
        record("new\n", document)
    assert document.read_text(encoding="utf-8") == "# Speed\n"


def test_each_size_has_the_targets_of_its_own_row_of_the_issue():
    assert (targets(1000)["body"], targets(1000)["other"]) == (0.3, 1.5)
    assert (targets(5000)["body"], targets(5000)["other"]) == (0.5, 3.0)
    assert targets(2000) == targets(1000)  # the nearest smaller size's
    assert targets(60) == targets(1000)  # below every named size: the smallest's
